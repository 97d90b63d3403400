//! Work queues and deadline overviews (hàng đợi công việc, tổng hợp hạn xử
//! lý): the rows the officers' queues and the overdue dashboard read. The
//! classification rules (what is late, what is at risk) stay with the
//! caller; these are the counts and lists the store can give in one query.

use jiff::civil::Date;
use serde::Serialize;

use super::dossier::{Dossier, DossierId};

/// Which offices' dossiers a queue or an overview covers (phạm vi).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficeScope {
    /// Every office (the NPD centre, the ministry, administrators).
    All,
    /// Only the dossiers received at this office.
    Office(u16),
    /// This office and every office below it in the tree (a province and
    /// its districts and communes).
    Subtree(u16),
}

/// Where the next page of a queue starts (keyset paging on the queue's
/// order: promised date, then id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueCursor {
    /// Promised date of the last item seen.
    pub promised_on: Date,
    /// Id of the last item seen.
    pub id: DossierId,
}

impl QueueCursor {
    /// The cursor after `d`.
    pub fn after(d: &Dossier) -> Self {
        Self {
            promised_on: d.promised_on,
            id: d.id,
        }
    }

    /// Where the page after `page` starts, if `page` was full (`limit`
    /// items); `None` = this was the last page.
    pub fn next(page: &[QueueEntry], limit: u32) -> Option<Self> {
        if page.len() < usize::try_from(limit).unwrap_or(usize::MAX) {
            return None;
        }
        page.last().map(|e| Self::after(&e.dossier))
    }
}

/// One dossier waiting in a work queue, with the applicant's name (the
/// officer needs it to find the form or the card).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueEntry {
    /// The dossier (no events).
    pub dossier: Dossier,
    /// Họ tên công dân, in full (officers only).
    pub citizen_name: String,
}

/// Open dossiers of one office against their promised dates (hồ sơ đang
/// xử lý: đúng hạn / sắp đến hạn / quá hạn).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OpenTimeliness {
    /// Số hiệu đơn vị tiếp nhận.
    pub office: u16,
    /// Every open dossier.
    pub open: i64,
    /// Promised before the day asked about (quá hạn).
    pub late: i64,
    /// Promised from that day up to the horizon, both included (sắp đến
    /// hạn).
    pub at_risk: i64,
    /// Cards ready at the office or posted, waiting for their citizen (chờ
    /// trả thẻ, đã gửi bưu điện): open, but the offices' deadline is met;
    /// never late or at risk.
    pub awaiting_pickup: i64,
    /// Only booked, nothing received yet: no deadline runs.
    pub booked: i64,
}

/// Dossiers of one office with one promised date whose card became ready
/// (for pickup, or posted) on one civil day: the day the offices' deadline
/// is measured at (the caller classifies each group on time or late).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FinishedGroup {
    /// Số hiệu đơn vị tiếp nhận.
    pub office: u16,
    /// Ngày hẹn trả.
    pub promised_on: Date,
    /// The civil day the card became ready for the citizen or was posted
    /// (ngày có thẻ), at the UTC offset the caller gave.
    pub finished_on: Date,
    /// How many.
    pub count: i64,
}
