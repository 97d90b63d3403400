//! The capture record on the wire (phiếu thu nhận thông tin): fingerprints
//! in their legal order, the portrait checklist and the identifying
//! features, as `PUT …/capture` and `POST /api/v1/dossiers` read them and
//! `GET …/capture` writes them. A body becomes a core [`CaptureRecord`]
//! only through its checked constructors, slot by slot in legal order; a
//! refusal names the member and the rule broken.

use cancuoc_core::dossier::capture::{
    CaptureError, CaptureRecord, CaptureSlot, IdentifyingFeatures, MissingReason,
    PortraitChecklist, SlotOutcome,
};
use cancuoc_core::i18n::Localized;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::codes::HeadCoveringCode;

/// Lý do không thu nhận được: why a finger could not be captured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingReasonView {
    /// Cụt ngón / mất ngón.
    Amputated,
    /// Đang băng bó, bị thương.
    Injured,
    /// Vân tay bị sẹo, mờ, không đọc được.
    Unreadable,
    /// Lý do khác, in words: `{"other": "text"}` (non-blank, at most 200
    /// characters; trimmed).
    Other(String),
}

/// What happened at one fingerprint slot: `"captured"` (đã thu nhận), or
/// `{"missing": reason}` (không thu nhận được).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlotOutcomeView {
    /// Đã thu nhận.
    Captured,
    /// Không thu nhận được, with the reason.
    Missing(MissingReasonView),
}

/// Ảnh chân dung: the checklist ticked before a portrait is accepted
/// (Thông tư 60/2021/TT-BCA Điều 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortraitView {
    /// Ảnh màu.
    pub colour: bool,
    /// Phông nền trắng.
    pub white_background: bool,
    /// Chụp chính diện.
    pub frontal: bool,
    /// Đầu để trần, or a religious or ethnic head covering.
    pub head: HeadCoveringCode,
    /// Rõ mặt.
    pub face_visible: bool,
    /// Rõ hai tai.
    pub both_ears_visible: bool,
    /// Không đeo kính.
    pub no_glasses: bool,
}

/// The capture record of a dossier (phiếu thu nhận thông tin).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaptureRecordView {
    /// Vân tay: the outcome of each slot in legal order — flat four right,
    /// flat four left, flat thumbs, then rolled right thumb … little,
    /// rolled left thumb … little — at most 13; a prefix while capturing.
    #[schema(max_items = 13)]
    pub fingerprints: Vec<SlotOutcomeView>,
    /// The accepted portrait checklist, `null` before one is accepted.
    #[serde(default)]
    pub portrait: Option<PortraitView>,
    /// Đặc điểm nhân dạng, e.g. `Nốt ruồi C: 1cm trên trước mày trái`
    /// (non-blank, at most 200 characters; trimmed); `null` before they are
    /// written.
    #[serde(default)]
    #[schema(max_length = 200, pattern = "\\S")]
    pub features: Option<String>,
}

impl From<&MissingReason> for MissingReasonView {
    fn from(r: &MissingReason) -> Self {
        match r {
            MissingReason::Amputated => Self::Amputated,
            MissingReason::Injured => Self::Injured,
            MissingReason::Unreadable => Self::Unreadable,
            MissingReason::Other(t) => Self::Other(t.clone()),
        }
    }
}

impl From<MissingReasonView> for MissingReason {
    fn from(r: MissingReasonView) -> Self {
        match r {
            MissingReasonView::Amputated => Self::Amputated,
            MissingReasonView::Injured => Self::Injured,
            MissingReasonView::Unreadable => Self::Unreadable,
            MissingReasonView::Other(t) => Self::Other(t),
        }
    }
}

impl From<&SlotOutcome> for SlotOutcomeView {
    fn from(o: &SlotOutcome) -> Self {
        match o {
            SlotOutcome::Captured => Self::Captured,
            SlotOutcome::Missing(r) => Self::Missing(r.into()),
        }
    }
}

impl From<SlotOutcomeView> for SlotOutcome {
    fn from(o: SlotOutcomeView) -> Self {
        match o {
            SlotOutcomeView::Captured => Self::Captured,
            SlotOutcomeView::Missing(r) => Self::Missing(r.into()),
        }
    }
}

impl From<&PortraitChecklist> for PortraitView {
    fn from(p: &PortraitChecklist) -> Self {
        Self {
            colour: p.colour,
            white_background: p.white_background,
            frontal: p.frontal,
            head: p.head.into(),
            face_visible: p.face_visible,
            both_ears_visible: p.both_ears_visible,
            no_glasses: p.no_glasses,
        }
    }
}

impl From<PortraitView> for PortraitChecklist {
    fn from(p: PortraitView) -> Self {
        Self {
            colour: p.colour,
            white_background: p.white_background,
            frontal: p.frontal,
            head: p.head.into(),
            face_visible: p.face_visible,
            both_ears_visible: p.both_ears_visible,
            no_glasses: p.no_glasses,
        }
    }
}

impl From<&CaptureRecord> for CaptureRecordView {
    fn from(r: &CaptureRecord) -> Self {
        Self {
            fingerprints: r.fingerprints().map(|(_, o)| o.into()).collect(),
            portrait: r.portrait().map(PortraitView::from),
            features: r.features().map(|f| f.as_str().to_owned()),
        }
    }
}

/// Why a capture body was refused: which member, and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureRefusal {
    /// More outcomes than the 13 slots.
    TooManyFingerprints {
        /// How many were given.
        given: usize,
    },
    /// A member the core's checked constructors refused.
    Rule {
        /// The member, e.g. `fingerprints[4]`, `portrait`, `features`.
        member: String,
        /// The rule broken.
        error: CaptureError,
    },
}

impl CaptureRefusal {
    /// The body member refused, e.g. `fingerprints[4]`.
    pub fn member(&self) -> &str {
        match self {
            Self::TooManyFingerprints { .. } => "fingerprints",
            Self::Rule { member, .. } => member,
        }
    }
}

impl Localized for CaptureRefusal {
    fn code(&self) -> &'static str {
        match self {
            Self::TooManyFingerprints { .. } => "capture.too_many_fingerprints",
            Self::Rule { error, .. } => error.code(),
        }
    }

    fn message_vi(&self) -> String {
        match self {
            Self::TooManyFingerprints { given } => format!(
                "Có {given} lượt vân tay; phiếu thu nhận chỉ có 13 lượt (4 ngón phải, 4 ngón \
                 trái, 2 ngón cái, rồi 10 ngón lăn)"
            ),
            Self::Rule { error, .. } => error.message_vi(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            Self::TooManyFingerprints { given } => format!(
                "{given} fingerprint outcomes given; the record has 13 slots (four right, \
                 four left, thumbs, then ten rolled)"
            ),
            Self::Rule { error, .. } => error.message_en(),
        }
    }
}

impl TryFrom<CaptureRecordView> for CaptureRecord {
    type Error = CaptureRefusal;

    /// Builds the record through its checked constructors: each outcome
    /// recorded at its slot in legal order, the portrait through its
    /// checklist, the features through their parser.
    fn try_from(body: CaptureRecordView) -> Result<Self, CaptureRefusal> {
        let given = body.fingerprints.len();
        if given > CaptureSlot::ALL.len() {
            return Err(CaptureRefusal::TooManyFingerprints { given });
        }
        let mut record = CaptureRecord::new();
        let slots = CaptureSlot::ALL.iter().zip(body.fingerprints);
        for (i, (slot, outcome)) in slots.enumerate() {
            record
                .record(*slot, outcome.into())
                .map_err(|error| CaptureRefusal::Rule {
                    member: format!("fingerprints[{i}]"),
                    error,
                })?;
        }
        if let Some(portrait) = body.portrait {
            record
                .set_portrait(portrait.into())
                .map_err(|error| CaptureRefusal::Rule {
                    member: "portrait".into(),
                    error,
                })?;
        }
        if let Some(text) = body.features {
            let features =
                IdentifyingFeatures::parse(&text).map_err(|error| CaptureRefusal::Rule {
                    member: "features".into(),
                    error,
                })?;
            record.set_features(features);
        }
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::dossier::capture::HeadCovering;
    use serde_json::json;

    fn body(v: serde_json::Value) -> CaptureRecordView {
        serde_json::from_value(v).expect("a capture body")
    }

    #[test]
    fn a_record_reads_and_writes_its_documented_shape() {
        let mut fingerprints = vec![json!("captured"); 13];
        fingerprints[4] = json!({"missing": "amputated"});
        fingerprints[5] = json!({"missing": {"other": "  băng bó  "}});
        let sent = json!({
            "fingerprints": fingerprints,
            "portrait": {
                "colour": true, "white_background": true, "frontal": true,
                "head": "religious_or_ethnic", "face_visible": true,
                "both_ears_visible": true, "no_glasses": true
            },
            "features": " Nốt ruồi C: 1cm trên trước mày trái "
        });
        let record = CaptureRecord::try_from(body(sent.clone())).expect("accepted");
        assert!(record.is_complete());
        assert_eq!(
            record.portrait().map(|p| p.head),
            Some(HeadCovering::ReligiousOrEthnic)
        );
        // Written back trimmed, in the same shape.
        let mut want = sent;
        want["fingerprints"][5] = json!({"missing": {"other": "băng bó"}});
        want["features"] = json!("Nốt ruồi C: 1cm trên trước mày trái");
        let written = serde_json::to_value(CaptureRecordView::from(&record)).expect("json");
        assert_eq!(written, want);
    }

    #[test]
    fn a_partial_record_is_a_prefix_with_nulls() {
        let record =
            CaptureRecord::try_from(body(json!({"fingerprints": ["captured"]}))).expect("a prefix");
        assert_eq!(
            serde_json::to_value(CaptureRecordView::from(&record)).expect("json"),
            json!({"fingerprints": ["captured"], "portrait": null, "features": null})
        );
    }

    #[test]
    fn refusals_name_the_member_and_the_rule() {
        let refuse = |v| CaptureRecord::try_from(body(v)).expect_err("refused");
        let blank = refuse(json!({"fingerprints": ["captured", {"missing": {"other": " "}}]}));
        assert_eq!(blank.member(), "fingerprints[1]");
        assert_eq!(blank.code(), "capture.blank_reason");
        assert!(blank.message_vi().contains("bàn tay trái"), "{blank:?}");
        let many = refuse(json!({"fingerprints": vec!["captured"; 14]}));
        assert_eq!(many.member(), "fingerprints");
        assert_eq!(many.code(), "capture.too_many_fingerprints");
        assert!(many.message_en().starts_with("14 fingerprint"));
        let glasses = refuse(json!({"fingerprints": [], "portrait": {
            "colour": true, "white_background": true, "frontal": true, "head": "bare",
            "face_visible": true, "both_ears_visible": true, "no_glasses": false
        }}));
        assert_eq!(glasses.member(), "portrait");
        assert_eq!(glasses.code(), "capture.portrait_refused");
        let features = refuse(json!({"fingerprints": [], "features": "  "}));
        assert_eq!(features.member(), "features");
        assert_eq!(features.code(), "capture.features_blank");
        // Every finger of the right hand's flat impression amputated, yet
        // the impression captured: the core's contradiction check holds.
        let mut f = vec![json!("captured"); 4];
        for _ in 0..4 {
            f.push(json!({"missing": "amputated"}));
        }
        let amputated = refuse(json!({ "fingerprints": f }));
        assert_eq!(amputated.code(), "capture.flat_contradicts_amputation");
        assert_eq!(amputated.member(), "fingerprints[7]");
    }
}
