//! Dossiers on the wire (hồ sơ): a dossier with its fee, deadlines and event
//! log, and the deadline watch of an office.

use cancuoc_core::rules::Timeliness;
use cancuoc_service::model::{ChargedFee, Dossier, EventRecord, StageDeadline};
use cancuoc_service::{DeadlineWatch, WatchItem};
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::codes::{
    ChannelCode, EventKindCode, ExemptionCode, KindCode, ReasonCode, RoleCode, StageCode, StateCode,
};
use super::rules::LegalBasisView;

/// Thời hạn từng khâu: the last working day of one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct StageDeadlineView {
    /// The stage.
    pub stage: StageCode,
    /// Its last working day.
    #[schema(value_type = String, format = Date, example = "2026-11-24")]
    pub due: Date,
}

/// Lệ phí đã thu: the fee as it was charged when the dossier opened, with
/// the rule that priced it and its legal basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChargedFeeView {
    /// How the application was filed, which some reductions depend on.
    pub channel: ChannelCode,
    /// The rule that produced the amount: `<table>:rate`, `<table>:free`,
    /// `<table>:exempt` or a reduction's id.
    #[schema(example = "tt73-2024:rate")]
    pub rule_id: String,
    /// Biểu phí: the fee table in force.
    #[schema(example = "tt73-2024")]
    pub table_id: String,
    /// Mức thu: the table amount before exemptions and reductions, in đồng.
    pub base_amount_vnd: u32,
    /// Mức giảm: the reduction applied, in percent (0 when none).
    pub reduction_percent: u8,
    /// Căn cứ pháp lý, most specific first, in the shape of the rules
    /// answers' basis.
    pub basis: Vec<LegalBasisView>,
    /// Giải thích (tiếng Việt).
    pub explanation_vi: String,
    /// Explanation (English).
    pub explanation_en: String,
}

/// One event of a dossier's log (sự kiện trong nhật ký xử lý).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventView {
    /// 1, 2, 3 …: the dossier's version after the event.
    pub seq: i64,
    /// When (epoch seconds).
    pub at: i64,
    /// Cán bộ: the officer's id, `null` for the citizen on the portal.
    #[schema(required = true)]
    pub actor: Option<i64>,
    /// The role the step was taken in.
    pub actor_role: RoleCode,
    /// State before; `null` for the creating event.
    #[schema(required = true)]
    pub from: Option<StateCode>,
    /// State after (the same as before for a capture event).
    pub to: StateCode,
    /// Ghi chú or the reason given.
    #[schema(required = true)]
    pub note: Option<String>,
    /// What the event records.
    pub kind: EventKindCode,
}

/// A dossier (hồ sơ cấp thẻ) as officers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct DossierView {
    /// The record's id (keyset paging: `after`).
    pub id: i64,
    /// Mã hồ sơ, 16 digits.
    #[schema(example = "0790251121482133")]
    pub code: String,
    /// Loại cấp.
    pub kind: KindCode,
    /// Lý do; `null` for bulk-loaded history.
    #[schema(required = true)]
    pub reason: Option<ReasonCode>,
    /// Đơn vị tiếp nhận: the receiving office's number.
    pub office: u16,
    /// The applicant's record id (`id` of the citizen).
    pub citizen: i64,
    /// Lệ phí in đồng, after exemption and reduction.
    pub fee_vnd: u32,
    /// Đối tượng miễn lệ phí that made it free, `null` when none.
    #[schema(required = true)]
    pub exemption: Option<ExemptionCode>,
    /// The fee as charged at opening; `null` for bulk-loaded history.
    #[schema(required = true)]
    pub charged: Option<ChargedFeeView>,
    /// Ngày tiếp nhận (or the appointment day of a booking).
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// Thời hạn từng khâu, in stage order.
    pub deadlines: Vec<StageDeadlineView>,
    /// Ngày hẹn trả kết quả.
    #[schema(value_type = String, format = Date)]
    pub promised_on: Date,
    /// Trạng thái.
    pub state: StateCode,
    /// Phiên bản: the number of events; name it in the next step.
    pub version: i64,
    /// When opened (epoch seconds).
    pub created_at: i64,
    /// When last changed (epoch seconds).
    pub updated_at: i64,
    /// Nhật ký xử lý, oldest first; empty in lists.
    pub events: Vec<EventView>,
}

impl From<&StageDeadline> for StageDeadlineView {
    fn from(d: &StageDeadline) -> Self {
        Self {
            stage: d.stage.into(),
            due: d.due,
        }
    }
}

impl From<&ChargedFee> for ChargedFeeView {
    fn from(f: &ChargedFee) -> Self {
        Self {
            channel: f.channel.into(),
            rule_id: f.rule_id.clone(),
            table_id: f.table_id.clone(),
            base_amount_vnd: f.base_amount_vnd,
            reduction_percent: f.reduction_percent,
            basis: f
                .basis
                .iter()
                .map(|(document, article)| LegalBasisView {
                    document: document.clone(),
                    article: article.clone(),
                })
                .collect(),
            explanation_vi: f.explanation_vi.clone(),
            explanation_en: f.explanation_en.clone(),
        }
    }
}

impl From<&EventRecord> for EventView {
    fn from(e: &EventRecord) -> Self {
        Self {
            seq: e.seq,
            at: e.at,
            actor: e.actor.map(|o| o.0),
            actor_role: e.actor_role.into(),
            from: e.from.map(StateCode::from),
            to: e.to.into(),
            note: e.note.clone(),
            kind: e.kind.into(),
        }
    }
}

impl From<&Dossier> for DossierView {
    fn from(d: &Dossier) -> Self {
        Self {
            id: d.id.0,
            code: d.code.to_string(),
            kind: d.kind.into(),
            reason: d.reason.map(ReasonCode::from),
            office: d.office,
            citizen: d.citizen.0,
            fee_vnd: d.fee_vnd,
            exemption: d.exemption.map(ExemptionCode::from),
            charged: d.charged.as_ref().map(ChargedFeeView::from),
            received_on: d.received_on,
            deadlines: d.deadlines.iter().map(StageDeadlineView::from).collect(),
            promised_on: d.promised_on,
            state: d.state.into(),
            version: d.version,
            created_at: d.created_at,
            updated_at: d.updated_at,
            events: d.events.iter().map(EventView::from).collect(),
        }
    }
}

/// Where an open dossier stands against its promised date, by `status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum TimelinessView {
    /// Đúng hạn: finished on or before the promised date.
    OnTime {
        /// Day finished.
        #[schema(value_type = String, format = Date)]
        finished: Date,
        /// Working days to spare.
        working_days_early: u32,
    },
    /// Trễ hạn: finished after the promised date, or running past it.
    Late {
        /// Day finished, `null` while still running.
        #[schema(value_type = Option<String>, format = Date, required = true)]
        finished: Option<Date>,
        /// Working days after the promised date.
        working_days_late: u32,
        /// Calendar days after the promised date.
        calendar_days_late: u32,
    },
    /// Sắp đến hạn: running, due within the at-risk window.
    AtRisk {
        /// Working days until the promised date (0: due today).
        working_days_left: u32,
    },
    /// Đang xử lý: running, on schedule.
    Running {
        /// Working days until the promised date.
        working_days_left: u32,
    },
}

impl From<Timeliness> for TimelinessView {
    fn from(t: Timeliness) -> Self {
        match t {
            Timeliness::OnTime {
                finished,
                working_days_early,
            } => Self::OnTime {
                finished,
                working_days_early,
            },
            Timeliness::Late {
                finished,
                working_days_late,
                calendar_days_late,
            } => Self::Late {
                finished,
                working_days_late,
                calendar_days_late,
            },
            Timeliness::AtRisk { working_days_left } => Self::AtRisk { working_days_left },
            Timeliness::Running { working_days_left } => Self::Running { working_days_left },
        }
    }
}

/// One dossier of a deadline watch, classified against its promised date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct WatchItemView {
    /// Mã hồ sơ.
    pub code: String,
    /// Trạng thái.
    pub state: StateCode,
    /// Ngày tiếp nhận.
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// Ngày hẹn trả.
    #[schema(value_type = String, format = Date)]
    pub promised_date: Date,
    /// Where it stands: `late` or `at-risk` here.
    pub timeliness: TimelinessView,
    /// Phiên bản, for a follow-up step.
    pub version: i64,
}

/// Overdue (quá hạn) and at-risk (sắp đến hạn) open dossiers of an office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeadlineWatchView {
    /// Số hiệu đơn vị.
    pub office: u16,
    /// The day the watch was computed for (today in Vietnam).
    #[schema(value_type = String, format = Date)]
    pub today: Date,
    /// The at-risk window in working days.
    pub at_risk_working_days: u32,
    /// Quá hạn: past their promised date, oldest promise first.
    pub overdue: Vec<WatchItemView>,
    /// Sắp đến hạn: due within the window.
    pub at_risk: Vec<WatchItemView>,
}

impl From<&WatchItem> for WatchItemView {
    fn from(w: &WatchItem) -> Self {
        Self {
            code: w.code.to_string(),
            state: w.state.into(),
            received_on: w.received_on,
            promised_date: w.promised_date,
            timeliness: w.timeliness.into(),
            version: w.version,
        }
    }
}

impl From<&DeadlineWatch> for DeadlineWatchView {
    fn from(w: &DeadlineWatch) -> Self {
        Self {
            office: w.office,
            today: w.today,
            at_risk_working_days: w.at_risk_working_days,
            overdue: w.overdue.iter().map(WatchItemView::from).collect(),
            at_risk: w.at_risk.iter().map(WatchItemView::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::dossier::code::DossierCode;
    use cancuoc_core::dossier::workflow::{Role, State};
    use cancuoc_core::rules::{Channel, Exemption, IssueKind, Reason, Stage};
    use cancuoc_service::model::{CitizenId, DossierId, EventKind, OfficerId};
    use jiff::civil::date;
    use serde_json::json;

    fn code() -> DossierCode {
        DossierCode::new(790, date(2026, 11, 21), 48213).expect("code")
    }

    fn dossier() -> Dossier {
        Dossier {
            id: DossierId(3),
            code: code(),
            kind: IssueKind::Reissue,
            reason: Some(Reason::Lost),
            office: 790,
            citizen: CitizenId(1),
            fee_vnd: 0,
            exemption: Some(Exemption::PoorHousehold),
            charged: Some(ChargedFee {
                channel: Channel::InPerson,
                rule_id: "tt73-2024:exempt".into(),
                table_id: "tt73-2024".into(),
                base_amount_vnd: 70_000,
                reduction_percent: 0,
                basis: vec![("Thông tư 73/2024/TT-BTC".into(), "Điều 5".into())],
                explanation_vi: "Miễn".into(),
                explanation_en: "Exempt".into(),
                exemption_document: None,
            }),
            received_on: date(2026, 11, 21),
            deadlines: vec![StageDeadline {
                stage: Stage::TransferToNpd,
                due: date(2026, 11, 24),
            }],
            promised_on: date(2026, 12, 1),
            state: State::Captured,
            version: 2,
            created_at: 10,
            updated_at: 20,
            events: vec![
                EventRecord {
                    seq: 1,
                    at: 10,
                    actor: Some(OfficerId(4)),
                    actor_role: Role::Receptionist,
                    from: None,
                    to: State::Received,
                    note: None,
                    kind: EventKind::Transition,
                },
                EventRecord {
                    seq: 2,
                    at: 20,
                    actor: None,
                    actor_role: Role::Citizen,
                    from: Some(State::Received),
                    to: State::Received,
                    note: Some("n".into()),
                    kind: EventKind::Capture,
                },
            ],
        }
    }

    #[test]
    fn a_dossier_writes_the_fields_the_api_always_had() {
        let json = serde_json::to_value(DossierView::from(&dossier())).expect("json");
        assert_eq!(
            json,
            json!({
                "id": 3,
                "code": code().to_string(),
                "kind": "reissue",
                "reason": "lost",
                "office": 790,
                "citizen": 1,
                "fee_vnd": 0,
                "exemption": "poor-household",
                "charged": {
                    "channel": "in-person",
                    "rule_id": "tt73-2024:exempt",
                    "table_id": "tt73-2024",
                    "base_amount_vnd": 70000,
                    "reduction_percent": 0,
                    "basis": [{"document": "Thông tư 73/2024/TT-BTC", "article": "Điều 5"}],
                    "explanation_vi": "Miễn",
                    "explanation_en": "Exempt"
                },
                "received_on": "2026-11-21",
                "deadlines": [{"stage": "transfer-to-npd", "due": "2026-11-24"}],
                "promised_on": "2026-12-01",
                "state": "captured",
                "version": 2,
                "created_at": 10,
                "updated_at": 20,
                "events": [
                    {"seq": 1, "at": 10, "actor": 4, "actor_role": "receptionist",
                     "from": null, "to": "received", "note": null, "kind": "transition"},
                    {"seq": 2, "at": 20, "actor": null, "actor_role": "citizen",
                     "from": "received", "to": "received", "note": "n", "kind": "capture"}
                ]
            })
        );
    }

    #[test]
    fn a_dossier_without_reason_or_fee_writes_nulls() {
        let d = Dossier {
            reason: None,
            exemption: None,
            charged: None,
            events: Vec::new(),
            ..dossier()
        };
        let json = serde_json::to_value(DossierView::from(&d)).expect("json");
        for key in ["reason", "exemption", "charged"] {
            assert!(json[key].is_null(), "{key}: {json}");
        }
        assert_eq!(json["events"], json!([]));
    }

    #[test]
    fn timeliness_is_tagged_by_status() {
        let cases = [
            (
                Timeliness::Late {
                    finished: None,
                    working_days_late: 16,
                    calendar_days_late: 23,
                },
                json!({"status": "late", "finished": null, "working_days_late": 16,
                       "calendar_days_late": 23}),
            ),
            (
                Timeliness::OnTime {
                    finished: date(2026, 11, 20),
                    working_days_early: 2,
                },
                json!({"status": "on-time", "finished": "2026-11-20", "working_days_early": 2}),
            ),
            (
                Timeliness::AtRisk {
                    working_days_left: 0,
                },
                json!({"status": "at-risk", "working_days_left": 0}),
            ),
            (
                Timeliness::Running {
                    working_days_left: 5,
                },
                json!({"status": "running", "working_days_left": 5}),
            ),
        ];
        for (t, want) in cases {
            assert_eq!(
                serde_json::to_value(TimelinessView::from(t)).expect("json"),
                want
            );
        }
    }
}
