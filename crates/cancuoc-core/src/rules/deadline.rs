//! Processing deadlines in working days (thời hạn giải quyết, ngày làm việc):
//! per-stage due dates, the promised return date printed on the appointment
//! slip (giấy hẹn), and on-time / late classification of dossiers.
//!
//! Budgets come from `data/rules/deadlines.toml` (Circular 60/2021/TT-BCA
//! Art. 5 and 11, Law 26/2023 Art. 26, Circular 59/2021/TT-BCA Art. 12).
//! Stages chain — each starts the day the previous one is due — and their sum
//! (7 from an office, 6 from the NPD centre) fits within both overall caps;
//! the slip promises the cap of the regime in force on the reception date
//! (8 working days to 30 Jun 2024, 7 from 1 Jul 2024). "Within N working days
//! of a date" never counts the date itself.

use super::data::{basis, data};
use super::kinds::coded_enum;
use super::regime::Regime;
use super::{RulesError, vi_date};
use crate::basis::{Explained, LegalBasis};
use crate::calendar::WorkingCalendar;
use jiff::civil::Date;
use serde::Serialize;

coded_enum! {
    /// Who received the dossier (nơi tiếp nhận hồ sơ).
    Receiver, "receiver", ALL, CODES {
        /// A district or provincial police office (Công an cấp huyện, Phòng PC06).
        Office = "office", "cơ quan Công an cấp huyện / cấp tỉnh", "district or provincial police office";
        /// The National Population Data Centre itself (Trung tâm dữ liệu quốc gia về dân cư).
        NpdCentre = "npd-centre", "Trung tâm dữ liệu quốc gia về dân cư", "National Population Data Centre";
    }
}

coded_enum! {
    /// A processing stage of a card dossier (bước xử lý hồ sơ).
    Stage, "stage", ALL, CODES {
        /// Commune police verify and update the population data (xác minh, cập nhật), in parallel.
        CommuneVerification = "commune-verification", "Công an cấp xã kiểm tra, xác minh, cập nhật dữ liệu dân cư", "commune police verify and update the population data";
        /// The office processes and sends the data to the NPD centre (chuyển dữ liệu lên Trung tâm).
        TransferToNpd = "transfer-to-npd", "xử lý và chuyển dữ liệu lên Trung tâm dữ liệu quốc gia về dân cư", "process and send the data to the NPD centre";
        /// Central processing, approval and printing (xử lý, phê duyệt, in thẻ).
        CentralProcessing = "central-processing", "xử lý, phê duyệt, in hoàn chỉnh thẻ", "central processing, approval and printing";
        /// Dispatch of the card back to the office (chuyển phát thẻ về nơi làm thủ tục).
        Dispatch = "dispatch", "chuyển phát thẻ về nơi làm thủ tục", "dispatch of the card back to the office";
    }
}

/// The due date of one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageDue {
    /// The stage.
    pub stage: Stage,
    /// Its budget in working days.
    pub working_days: u8,
    /// The day it starts counting from (not itself counted).
    pub starts: Date,
    /// The last day it may end.
    pub due: Date,
    /// The rule that sets the budget.
    pub basis: LegalBasis,
}

/// Every deadline of a dossier received on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// The regime in force on the reception date.
    pub regime: Regime,
    /// Reception date (ngày tiếp nhận hồ sơ).
    pub received: Date,
    /// Who received it.
    pub by: Receiver,
    /// The stages in order; commune verification runs in parallel from reception.
    pub stages: Vec<StageDue>,
    /// The overall cap in working days.
    pub cap_working_days: u8,
    /// The return date printed on the appointment slip (ngày hẹn trả kết quả).
    pub promised_date: Date,
}

fn cal_err(e: crate::calendar::CalendarError) -> RulesError {
    RulesError::calendar(&e)
}

/// The stage due dates and the promised return date of a dossier received
/// on `received` by `by`, under the regime in force that day.
pub fn deadlines(
    received: Date,
    by: Receiver,
    cal: &WorkingCalendar,
) -> Result<Explained<Deadlines>, RulesError> {
    let d = data()?;
    let regime = Regime::on(received)?;
    let Some(cap) = d.deadlines.regime.iter().find(|r| r.regime == regime) else {
        return Err(RulesError::Data {
            file: "deadlines.toml",
            message: format!("no cap for {regime}"),
        });
    };
    let mut stages = Vec::with_capacity(4);
    let cv = &d.deadlines.commune_verification;
    stages.push(StageDue {
        stage: Stage::CommuneVerification,
        working_days: cv.working_days,
        starts: received,
        due: cal
            .add_working_days(received, u32::from(cv.working_days))
            .map_err(cal_err)?,
        basis: basis(&cv.document, &cv.article),
    });
    let mut start = received;
    for s in d
        .deadlines
        .stage
        .iter()
        .filter(|s| s.receivers.contains(&by))
    {
        let due = cal
            .add_working_days(start, u32::from(s.working_days))
            .map_err(cal_err)?;
        stages.push(StageDue {
            stage: s.stage,
            working_days: s.working_days,
            starts: start,
            due,
            basis: basis(&s.document, &s.article),
        });
        start = due;
    }
    let promised_date = cal
        .add_working_days(received, u32::from(cap.cap_working_days))
        .map_err(cal_err)?;
    let total: u32 = stages
        .iter()
        .filter(|s| s.stage != Stage::CommuneVerification)
        .map(|s| u32::from(s.working_days))
        .sum();
    let n = cap.cap_working_days;
    let cap_basis = basis(&cap.cap_document, &cap.cap_article);
    let mut all_basis = vec![cap_basis];
    for s in &stages {
        if !all_basis.contains(&s.basis) {
            all_basis.push(s.basis.clone());
        }
    }
    let explanation_vi = format!(
        "Hồ sơ tiếp nhận ngày {} tại {} theo {}: thời hạn tối đa {n} ngày làm việc (không tính ngày tiếp nhận), hẹn trả ngày {}. Các bước nối tiếp nhau, tổng {total} ngày làm việc; Công an cấp xã xác minh trong {} ngày làm việc, song song.",
        vi_date(received),
        by.label_vi(),
        regime.name_vi(),
        vi_date(promised_date),
        cv.working_days
    );
    let explanation_en = format!(
        "Dossier received on {received} by the {} under the {}: at most {n} working days (the reception day not counted), return promised on {promised_date}. The stages follow each other, {total} working days in all; commune police verify within {} working day(s), in parallel.",
        by.label_en(),
        regime.name_en(),
        cv.working_days
    );
    Ok(Explained {
        value: Deadlines {
            regime,
            received,
            by,
            stages,
            cap_working_days: n,
            promised_date,
        },
        basis: all_basis,
        explanation_vi,
        explanation_en,
    })
}

/// The promised return date alone (what [`deadlines`] prints on the slip),
/// for hot paths that need no stages and no text.
pub fn promised_date(received: Date, cal: &WorkingCalendar) -> Result<Date, RulesError> {
    let d = data()?;
    let regime = Regime::on(received)?;
    let Some(cap) = d.deadlines.regime.iter().find(|r| r.regime == regime) else {
        return Err(RulesError::Data {
            file: "deadlines.toml",
            message: format!("no cap for {regime}"),
        });
    };
    cal.add_working_days(received, u32::from(cap.cap_working_days))
        .map_err(cal_err)
}

/// The due date of an old CMND/CCCD number confirmation (Giấy xác nhận số
/// CMND) requested on `received`: at most 7 working days.
pub fn cmnd_number_confirmation(
    received: Date,
    cal: &WorkingCalendar,
) -> Result<Explained<Date>, RulesError> {
    let b = &data()?.deadlines.cmnd_number_confirmation;
    let due = cal
        .add_working_days(received, u32::from(b.working_days))
        .map_err(cal_err)?;
    let n = b.working_days;
    Ok(Explained {
        value: due,
        basis: vec![basis(&b.document, &b.article)],
        explanation_vi: format!(
            "Giấy xác nhận số CMND được cấp trong tối đa {n} ngày làm việc kể từ ngày nhận đủ hồ sơ ({}): chậm nhất ngày {}.",
            vi_date(received),
            vi_date(due)
        ),
        explanation_en: format!(
            "An old-number confirmation is issued within {n} working days of a complete request ({received}): by {due} at the latest."
        ),
    })
}

/// Where a dossier stands against its promised date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Timeliness {
    /// Finished on or before the promised date (đúng hạn).
    OnTime {
        /// Day finished.
        finished: Date,
        /// Working days to spare.
        working_days_early: u32,
    },
    /// Finished after the promised date, or still running past it (trễ hạn).
    Late {
        /// Day finished, `None` while still running.
        finished: Option<Date>,
        /// Working days after the promised date (may be 0 when it ended on a
        /// day off right after it).
        working_days_late: u32,
        /// Calendar days after the promised date.
        calendar_days_late: u32,
    },
    /// Running, due within the at-risk window (sắp đến hạn).
    AtRisk {
        /// Working days until the promised date (0 = due today).
        working_days_left: u32,
    },
    /// Running, on schedule (đang xử lý).
    Running {
        /// Working days until the promised date.
        working_days_left: u32,
    },
}

impl Timeliness {
    /// Stable code: `on-time`, `late`, `at-risk`, `running`.
    pub const fn code(&self) -> &'static str {
        match self {
            Timeliness::OnTime { .. } => "on-time",
            Timeliness::Late { .. } => "late",
            Timeliness::AtRisk { .. } => "at-risk",
            Timeliness::Running { .. } => "running",
        }
    }
}

/// A running dossier is at risk when due within this many working days.
pub const DEFAULT_AT_RISK_WORKING_DAYS: u32 = 1;

/// [`classify_with`] with [`DEFAULT_AT_RISK_WORKING_DAYS`].
pub fn classify(
    promised: Date,
    finished: Option<Date>,
    today: Date,
    cal: &WorkingCalendar,
) -> Result<Timeliness, RulesError> {
    classify_with(promised, finished, today, DEFAULT_AT_RISK_WORKING_DAYS, cal)
}

/// Classifies a dossier promised for `promised`: finished on `finished`, or
/// still running on `today`; running dossiers due within `at_risk_within`
/// working days are at risk.
pub fn classify_with(
    promised: Date,
    finished: Option<Date>,
    today: Date,
    at_risk_within: u32,
    cal: &WorkingCalendar,
) -> Result<Timeliness, RulesError> {
    let between = |a: Date, b: Date| -> Result<u32, RulesError> {
        let n = cal.working_days_between(a, b).map_err(cal_err)?;
        Ok(u32::try_from(n).unwrap_or(0))
    };
    let calendar_days = |a: Date, b: Date| -> u32 {
        a.until(b)
            .ok()
            .and_then(|s| u32::try_from(s.get_days()).ok())
            .unwrap_or(0)
    };
    let end = finished.unwrap_or(today);
    if end > promised {
        return Ok(Timeliness::Late {
            finished,
            working_days_late: between(promised, end)?,
            calendar_days_late: calendar_days(promised, end),
        });
    }
    match finished {
        Some(f) => Ok(Timeliness::OnTime {
            finished: f,
            working_days_early: between(f, promised)?,
        }),
        None => {
            let left = between(today, promised)?;
            if left <= at_risk_within {
                Ok(Timeliness::AtRisk {
                    working_days_left: left,
                })
            } else {
                Ok(Timeliness::Running {
                    working_days_left: left,
                })
            }
        }
    }
}
