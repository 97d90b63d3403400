//! The legal rules' answers on the wire (câu trả lời có căn cứ): each
//! answer of `/api/v1/rules/…` is its `value` with the legal bases that
//! produced it and an explanation in Vietnamese and English.

use cancuoc_core::basis::{Explained, LegalBasis};
use cancuoc_core::rules::{Deadlines, Eligibility, Expiry, Fee, StageDue};
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use super::codes::{
    ChannelCode, EligibilityCode, ExemptionCode, KindCode, ReasonCode, ReceiverCode, RegimeCode,
    StageCode,
};

/// Căn cứ pháp lý: a legal document and the article in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct LegalBasisView {
    /// Văn bản, e.g. `Luật Căn cước 26/2023/QH15`.
    #[schema(example = "Luật Căn cước 26/2023/QH15")]
    pub document: String,
    /// Điều khoản, e.g. `Điều 21 khoản 1`; empty when the whole document
    /// is meant.
    #[schema(example = "Điều 21 khoản 1")]
    pub article: String,
}

impl From<&LegalBasis> for LegalBasisView {
    fn from(b: &LegalBasis) -> Self {
        Self {
            document: b.document.to_string(),
            article: b.article.to_string(),
        }
    }
}

fn bases(list: &[LegalBasis]) -> Vec<LegalBasisView> {
    list.iter().map(LegalBasisView::from).collect()
}

/// Lệ phí: the fee for an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FeeView {
    /// Số tiền phải nộp, in đồng.
    pub amount_vnd: u32,
    /// Mức thu of the table, before exemptions and reductions, in đồng.
    pub base_amount_vnd: u32,
    /// The rule that produced the amount: `<table>:free`, `<table>:exempt`,
    /// `<table>:rate` or the id of the reduction applied.
    #[schema(example = "tt73-2024:rate")]
    pub rule_id: String,
    /// Biểu phí: the fee table in force.
    #[schema(example = "tt73-2024")]
    pub table_id: String,
    /// The regime of the table.
    pub regime: RegimeCode,
    /// Loại cấp asked about (or the reason's default).
    pub kind: KindCode,
    /// Lý do asked about.
    pub reason: ReasonCode,
    /// Hình thức nộp asked about.
    pub channel: ChannelCode,
    /// The exemption that made it free, `null` when none did.
    #[schema(required = true)]
    pub exemption: Option<ExemptionCode>,
    /// Mức giảm in percent (0 when none).
    pub reduction_percent: u8,
    /// True for the 1 Jul – 20 Oct 2024 gap, priced by Circular 59/2019 as
    /// a reference while no fee text for the new card existed.
    pub interim: bool,
}

impl From<&Fee> for FeeView {
    fn from(f: &Fee) -> Self {
        Self {
            amount_vnd: f.amount_vnd,
            base_amount_vnd: f.base_amount_vnd,
            rule_id: f.rule_id.clone(),
            table_id: f.table_id.clone(),
            regime: f.regime.into(),
            kind: f.kind.into(),
            reason: f.reason.into(),
            channel: f.channel.into(),
            exemption: f.exemption.map(ExemptionCode::from),
            reduction_percent: f.reduction_percent,
            interim: f.interim,
        }
    }
}

/// The deadline of one processing stage (thời hạn từng khâu).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct StageDueView {
    /// The stage.
    pub stage: StageCode,
    /// Its budget in working days.
    pub working_days: u8,
    /// The day it counts from (not itself counted).
    #[schema(value_type = String, format = Date)]
    pub starts: Date,
    /// The last day it may end.
    #[schema(value_type = String, format = Date)]
    pub due: Date,
    /// The rule that sets the budget.
    pub basis: LegalBasisView,
}

impl From<&StageDue> for StageDueView {
    fn from(s: &StageDue) -> Self {
        Self {
            stage: s.stage.into(),
            working_days: s.working_days,
            starts: s.starts,
            due: s.due,
            basis: (&s.basis).into(),
        }
    }
}

/// Thời hạn giải quyết: every deadline of a dossier received on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeadlinesView {
    /// The regime in force on the reception date.
    pub regime: RegimeCode,
    /// Ngày tiếp nhận.
    #[schema(value_type = String, format = Date)]
    pub received: Date,
    /// Nơi tiếp nhận.
    pub by: ReceiverCode,
    /// The stages in order; commune verification runs in parallel from
    /// reception.
    pub stages: Vec<StageDueView>,
    /// The overall cap in working days.
    pub cap_working_days: u8,
    /// Ngày hẹn trả kết quả printed on the appointment slip.
    #[schema(value_type = String, format = Date)]
    pub promised_date: Date,
}

impl From<&Deadlines> for DeadlinesView {
    fn from(d: &Deadlines) -> Self {
        Self {
            regime: d.regime.into(),
            received: d.received,
            by: d.by.into(),
            stages: d.stages.iter().map(StageDueView::from).collect(),
            cap_working_days: d.cap_working_days,
            promised_date: d.promised_date,
        }
    }
}

/// Đối tượng được cấp thẻ: what the law says about a person getting a card
/// on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct EligibilityView {
    /// The regime in force on the date.
    pub regime: RegimeCode,
    /// Tuổi tròn on the date.
    pub age: u16,
    /// What the law says.
    pub status: EligibilityCode,
    /// The day the minimum age (14) is reached.
    #[schema(value_type = String, format = Date)]
    pub min_age_date: Date,
}

impl From<&Eligibility> for EligibilityView {
    fn from(e: &Eligibility) -> Self {
        Self {
            regime: e.regime.into(),
            age: e.age,
            status: e.status.into(),
            min_age_date: e.min_age_date,
        }
    }
}

/// The last day of validity, or `None` for a card without expiry.
fn expiry_value(e: &Expiry) -> Option<Date> {
    match e {
        Expiry::On(d) => Some(*d),
        Expiry::None => None,
    }
}

/// Declares one answer type of the rules: its `value`, basis and
/// explanations, and its conversion from the core's `Explained`.
macro_rules! answer {
    (
        $(#[$meta:meta])*
        $name:ident from $core:ty {
            $(#[$vmeta:meta])*
            value: $value:ty = $convert:path
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
        pub struct $name {
            $(#[$vmeta])*
            pub value: $value,
            /// Căn cứ pháp lý, most specific first.
            pub basis: Vec<LegalBasisView>,
            /// Giải thích (tiếng Việt).
            pub explanation_vi: String,
            /// Explanation (English).
            pub explanation_en: String,
        }

        impl From<&Explained<$core>> for $name {
            fn from(e: &Explained<$core>) -> Self {
                Self {
                    value: $convert(&e.value),
                    basis: bases(&e.basis),
                    explanation_vi: e.explanation_vi.clone(),
                    explanation_en: e.explanation_en.clone(),
                }
            }
        }
    };
}

answer! {
    /// The fee (lệ phí) with its legal basis.
    FeeAnswer from Fee {
        /// The fee.
        value: FeeView = FeeView::from
    }
}

answer! {
    /// The deadlines (thời hạn giải quyết) with their legal basis.
    DeadlinesAnswer from Deadlines {
        /// The stage deadlines and the promised date.
        value: DeadlinesView = DeadlinesView::from
    }
}

answer! {
    /// The expiry of a card (thời hạn sử dụng) with its legal basis.
    ExpiryAnswer from Expiry {
        /// Có giá trị đến ngày: the last day of validity, `YYYY-MM-DD`;
        /// `null` when the card does not expire (không thời hạn).
        #[schema(value_type = Option<String>, format = Date, required = true)]
        value: Option<Date> = expiry_value
    }
}

answer! {
    /// Eligibility for a card (đối tượng được cấp) with its legal basis.
    EligibilityAnswer from Eligibility {
        /// What the law says on the date.
        value: EligibilityView = EligibilityView::from
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::person::PartialDate;
    use cancuoc_core::rules;
    use jiff::civil::date;
    use serde_json::json;

    fn dob(s: &str) -> PartialDate {
        s.parse().expect("dob")
    }

    #[test]
    fn expiry_is_a_date_or_null() {
        let on = rules::card_expiry(dob("1990-05-17"), date(2026, 1, 1)).expect("expiry");
        let v = serde_json::to_value(ExpiryAnswer::from(&on)).expect("json");
        assert_eq!(v["value"], "2030-05-17");
        assert_eq!(v["basis"][0]["document"], "Luật Căn cước 26/2023/QH15");
        let none = rules::card_expiry(dob("1950"), date(2026, 1, 1)).expect("expiry");
        let v = serde_json::to_value(ExpiryAnswer::from(&none)).expect("json");
        assert!(v["value"].is_null(), "{v}");
        assert!(v["explanation_en"].as_str().is_some_and(|s| !s.is_empty()));
    }

    #[test]
    fn eligibility_writes_its_codes() {
        let e = rules::eligibility(dob("2015-03-01"), date(2026, 1, 1)).expect("eligibility");
        let v = serde_json::to_value(EligibilityAnswer::from(&e)).expect("json");
        assert_eq!(
            v["value"],
            json!({"regime": "cancuoc2023", "age": 10, "status": "on-request",
                   "min_age_date": "2029-03-01"})
        );
    }

    #[test]
    fn fee_and_deadlines_write_their_codes() {
        let fee = rules::fee(
            rules::IssueKind::Reissue,
            rules::Reason::Lost,
            &[rules::Exemption::PoorHousehold],
            date(2026, 11, 21),
            rules::Channel::InPerson,
        )
        .expect("fee");
        let v = serde_json::to_value(FeeAnswer::from(&fee)).expect("json");
        assert_eq!(v["value"]["amount_vnd"], 0);
        assert_eq!(v["value"]["exemption"], "poor-household");
        assert_eq!(v["value"]["channel"], "in-person");
        assert_eq!(v["value"]["kind"], "reissue");
        assert_eq!(v["value"]["regime"], "cancuoc2023");
        let cal = cancuoc_core::calendar::WorkingCalendar::official();
        let d = rules::deadlines(date(2026, 11, 20), rules::Receiver::NpdCentre, cal)
            .expect("deadlines");
        let v = serde_json::to_value(DeadlinesAnswer::from(&d)).expect("json");
        assert_eq!(v["value"]["by"], "npd-centre");
        assert_eq!(v["value"]["received"], "2026-11-20");
        assert_eq!(v["value"]["stages"][0]["stage"], "commune-verification");
        assert!(
            v["value"]["stages"][0]["basis"]["document"].is_string(),
            "{v}"
        );
    }
}
