//! The information capture record (thu nhận thông tin) of a dossier:
//! fingerprints in their legal order, the portrait checklist and the
//! identifying features (đặc điểm nhân dạng).
//!
//! Legal order of the fingerprint captures (Circular 60/2021/TT-BCA Art. 5
//! §1(iii); seed 004; DESIGN.md §2.5): flat four fingers of the right hand
//! (index, middle, ring, little), flat four fingers of the left hand, the two
//! thumbs flat together, then the ten fingers rolled: right thumb, index,
//! middle, ring, little, then left thumb … little. A finger that cannot be
//! captured is recorded with its reason. [`CaptureRecord`] only accepts the
//! slots in that order, so a stored record is always a prefix of it.
//!
//! Portrait (ảnh chân dung, same article §1(iv)): colour, white background,
//! frontal, bare head, face and both ears visible, no glasses; religious
//! dress or ethnic costume, including a head covering, is allowed when the
//! face and both ears stay visible.

mod portrait;
mod slots;

pub use portrait::{HeadCovering, IdentifyingFeatures, PortraitChecklist, PortraitProblem};
pub use slots::{CaptureSlot, MissingReason, SlotOutcome};

use serde::{Deserialize, Serialize};

use crate::basis::LegalBasis;
use crate::i18n::Localized;

/// The legal source of the capture order and the portrait rules.
pub const CAPTURE_BASIS: LegalBasis = LegalBasis::new("Thông tư 60/2021/TT-BCA", "Điều 5");

/// Longest identifying-features text accepted, in characters (the card has
/// room for a line or two).
pub const MAX_FEATURES_CHARS: usize = 200;
/// Longest free-text reason for a missing fingerprint, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// The capture record of one dossier (phiếu thu nhận thông tin): fingerprint
/// slots filled in legal order, the accepted portrait checklist and the
/// identifying features. Built step by step; [`CaptureRecord::is_complete`]
/// says when it may move the dossier to "information captured".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawCaptureRecord")]
pub struct CaptureRecord {
    /// Outcome of `CaptureSlot::ALL[i]` at position `i`; always a prefix.
    fingerprints: Vec<SlotOutcome>,
    portrait: Option<PortraitChecklist>,
    features: Option<IdentifyingFeatures>,
}

/// Unchecked shape read from storage, turned into a [`CaptureRecord`] by
/// replaying it through the same checks.
#[derive(Deserialize)]
struct RawCaptureRecord {
    fingerprints: Vec<SlotOutcome>,
    portrait: Option<PortraitChecklist>,
    features: Option<IdentifyingFeatures>,
}

impl TryFrom<RawCaptureRecord> for CaptureRecord {
    type Error = String;
    fn try_from(raw: RawCaptureRecord) -> Result<Self, String> {
        if raw.fingerprints.len() > CaptureSlot::ALL.len() {
            return Err(format!(
                "{} fingerprint outcomes given, at most 13",
                raw.fingerprints.len()
            ));
        }
        let mut rec = CaptureRecord::new();
        for (slot, outcome) in CaptureSlot::ALL.iter().zip(raw.fingerprints) {
            rec.record(*slot, outcome).map_err(|e| e.message_en())?;
        }
        if let Some(p) = raw.portrait {
            rec.set_portrait(p).map_err(|e| e.message_en())?;
        }
        rec.features = raw.features;
        Ok(rec)
    }
}

impl CaptureRecord {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// The slot to capture next, or `None` when all 13 are recorded.
    pub fn next_slot(&self) -> Option<CaptureSlot> {
        CaptureSlot::ALL.get(self.fingerprints.len()).copied()
    }

    /// Records the outcome of `slot`, which must be [`Self::next_slot`].
    /// A missing finger needs a reason; "other" needs words. A flat
    /// impression cannot be "captured" when every finger in it is then
    /// recorded as amputated.
    pub fn record(&mut self, slot: CaptureSlot, outcome: SlotOutcome) -> Result<(), CaptureError> {
        let expected = self.next_slot();
        if expected != Some(slot) {
            return Err(CaptureError::OutOfOrder {
                expected,
                got: slot,
            });
        }
        if let SlotOutcome::Missing(MissingReason::Other(text)) = &outcome {
            let t = text.trim();
            if t.is_empty() {
                return Err(CaptureError::BlankOtherReason { slot });
            }
            if t.chars().count() > MAX_REASON_CHARS {
                return Err(CaptureError::ReasonTooLong { slot });
            }
        }
        if outcome == SlotOutcome::Missing(MissingReason::Amputated)
            && let Some(flat) = slot.flat_slot()
            && self.outcome(flat) == Some(&SlotOutcome::Captured)
        {
            // The other fingers of the same flat impression, including this one.
            let all_gone = CaptureSlot::ALL
                .iter()
                .filter(|s| s.flat_slot() == Some(flat))
                .all(|&s| {
                    s == slot
                        || self.outcome(s) == Some(&SlotOutcome::Missing(MissingReason::Amputated))
                });
            if all_gone {
                return Err(CaptureError::FlatCapturedButAmputated { flat, rolled: slot });
            }
        }
        let outcome = match outcome {
            SlotOutcome::Missing(MissingReason::Other(t)) => {
                SlotOutcome::Missing(MissingReason::Other(t.trim().to_owned()))
            }
            o => o,
        };
        self.fingerprints.push(outcome);
        Ok(())
    }

    /// The outcome recorded for `slot`, if it was reached.
    pub fn outcome(&self, slot: CaptureSlot) -> Option<&SlotOutcome> {
        self.fingerprints.get(slot.index())
    }

    /// Every recorded slot with its outcome, in legal order.
    pub fn fingerprints(&self) -> impl Iterator<Item = (CaptureSlot, &SlotOutcome)> {
        CaptureSlot::ALL
            .iter()
            .copied()
            .zip(self.fingerprints.iter())
    }

    /// Accepts the portrait if its checklist passes; otherwise lists every
    /// problem and keeps the previous portrait.
    pub fn set_portrait(&mut self, checklist: PortraitChecklist) -> Result<(), CaptureError> {
        checklist.check()?;
        self.portrait = Some(checklist);
        Ok(())
    }

    /// The accepted portrait checklist.
    pub fn portrait(&self) -> Option<&PortraitChecklist> {
        self.portrait.as_ref()
    }

    /// Sets the identifying features.
    pub fn set_features(&mut self, features: IdentifyingFeatures) {
        self.features = Some(features);
    }

    /// The identifying features.
    pub fn features(&self) -> Option<&IdentifyingFeatures> {
        self.features.as_ref()
    }

    /// True when all 13 fingerprint slots are recorded (captured or missing
    /// with a reason), a portrait was accepted and the features are written.
    pub fn is_complete(&self) -> bool {
        self.check_complete().is_ok()
    }

    /// Like [`Self::is_complete`], but says what is still missing.
    pub fn check_complete(&self) -> Result<(), CaptureError> {
        let missing_slots: Vec<CaptureSlot> = CaptureSlot::ALL
            .get(self.fingerprints.len()..)
            .unwrap_or(&[])
            .to_vec();
        let portrait_missing = self.portrait.is_none();
        let features_missing = self.features.is_none();
        if missing_slots.is_empty() && !portrait_missing && !features_missing {
            Ok(())
        } else {
            Err(CaptureError::Incomplete {
                missing_slots,
                portrait_missing,
                features_missing,
            })
        }
    }
}

/// Why a capture step or record was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// A slot recorded out of the legal order.
    #[error("fingerprint slot {got:?} recorded out of order (expected {expected:?})")]
    OutOfOrder {
        /// The slot due next, `None` when all were recorded.
        expected: Option<CaptureSlot>,
        /// The slot given.
        got: CaptureSlot,
    },
    /// "Other" reason with no words.
    #[error("missing fingerprint {slot:?}: the other reason is blank")]
    BlankOtherReason {
        /// The slot.
        slot: CaptureSlot,
    },
    /// "Other" reason too long.
    #[error("missing fingerprint {slot:?}: the reason is too long")]
    ReasonTooLong {
        /// The slot.
        slot: CaptureSlot,
    },
    /// A flat impression recorded as captured whose every finger is amputated.
    #[error("{flat:?} recorded as captured, but all its fingers are amputated (at {rolled:?})")]
    FlatCapturedButAmputated {
        /// The flat slot.
        flat: CaptureSlot,
        /// The rolled slot that completed the contradiction.
        rolled: CaptureSlot,
    },
    /// The portrait breaks the rules.
    #[error("portrait refused: {problems:?}")]
    Portrait {
        /// Every rule broken.
        problems: Vec<PortraitProblem>,
    },
    /// Blank identifying features.
    #[error("identifying features are blank")]
    FeaturesBlank,
    /// Identifying features too long.
    #[error("identifying features have {len} characters, at most 200")]
    FeaturesTooLong {
        /// Characters given.
        len: usize,
    },
    /// The record is not complete yet.
    #[error("capture record incomplete")]
    Incomplete {
        /// Fingerprint slots not recorded yet, in order.
        missing_slots: Vec<CaptureSlot>,
        /// No accepted portrait.
        portrait_missing: bool,
        /// No identifying features.
        features_missing: bool,
    },
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

impl Localized for CaptureError {
    fn code(&self) -> &'static str {
        match self {
            Self::OutOfOrder { .. } => "capture.out_of_order",
            Self::BlankOtherReason { .. } => "capture.blank_reason",
            Self::ReasonTooLong { .. } => "capture.reason_too_long",
            Self::FlatCapturedButAmputated { .. } => "capture.flat_contradicts_amputation",
            Self::Portrait { .. } => "capture.portrait_refused",
            Self::FeaturesBlank => "capture.features_blank",
            Self::FeaturesTooLong { .. } => "capture.features_too_long",
            Self::Incomplete { .. } => "capture.incomplete",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            Self::OutOfOrder {
                expected: Some(e),
                got,
            } => format!(
                "Thu nhận vân tay sai thứ tự: đến lượt {} (bước {}/13), không phải {}",
                e.label_vi(),
                e.index() + 1,
                got.label_vi()
            ),
            Self::OutOfOrder {
                expected: None,
                got,
            } => format!(
                "Đã ghi đủ 13 lượt vân tay; không thể ghi thêm {}",
                got.label_vi()
            ),
            Self::BlankOtherReason { slot } => format!(
                "Không thu nhận được {}: lý do khác phải được mô tả, không để trống",
                slot.label_vi()
            ),
            Self::ReasonTooLong { slot } => format!(
                "Không thu nhận được {}: mô tả lý do dài quá {MAX_REASON_CHARS} ký tự",
                slot.label_vi()
            ),
            Self::FlatCapturedButAmputated { flat, rolled } => format!(
                "Mâu thuẫn: {} được ghi là đã thu nhận, nhưng mọi ngón của lượt này đều ghi \
                 cụt ngón (đến {})",
                flat.label_vi(),
                rolled.label_vi()
            ),
            Self::Portrait { problems } => format!(
                "Ảnh chân dung không đạt: {} (theo Điều 5 Thông tư 60/2021/TT-BCA)",
                join(problems.iter().map(|p| p.label_vi().to_owned()))
            ),
            Self::FeaturesBlank => "Chưa mô tả đặc điểm nhân dạng".into(),
            Self::FeaturesTooLong { len } => {
                format!("Đặc điểm nhân dạng dài {len} ký tự, tối đa {MAX_FEATURES_CHARS} ký tự")
            }
            Self::Incomplete {
                missing_slots,
                portrait_missing,
                features_missing,
            } => {
                let mut parts = Vec::new();
                if !missing_slots.is_empty() {
                    parts.push(format!(
                        "còn {} lượt vân tay chưa ghi, bắt đầu từ {}",
                        missing_slots.len(),
                        missing_slots.first().map_or("", |s| s.label_vi())
                    ));
                }
                if *portrait_missing {
                    parts.push("chưa có ảnh chân dung đạt yêu cầu".into());
                }
                if *features_missing {
                    parts.push("chưa mô tả đặc điểm nhân dạng".into());
                }
                format!("Chưa thu nhận đủ thông tin: {}", parts.join("; "))
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            Self::OutOfOrder {
                expected: Some(e),
                got,
            } => format!(
                "Fingerprints out of order: {} is due (step {}/13), not {}",
                e.label_en(),
                e.index() + 1,
                got.label_en()
            ),
            Self::OutOfOrder {
                expected: None,
                got,
            } => format!(
                "All 13 fingerprint slots are recorded; {} cannot be added",
                got.label_en()
            ),
            Self::BlankOtherReason { slot } => format!(
                "{} not captured: an 'other' reason must be described, not left blank",
                slot.label_en()
            ),
            Self::ReasonTooLong { slot } => format!(
                "{} not captured: the reason is longer than {MAX_REASON_CHARS} characters",
                slot.label_en()
            ),
            Self::FlatCapturedButAmputated { flat, rolled } => format!(
                "Contradiction: {} is recorded as captured, but every finger in it is \
                 recorded as amputated (last: {})",
                flat.label_en(),
                rolled.label_en()
            ),
            Self::Portrait { problems } => format!(
                "Portrait refused: {} (Circular 60/2021/TT-BCA Art. 5)",
                join(problems.iter().map(|p| p.label_en().to_owned()))
            ),
            Self::FeaturesBlank => "The identifying features are not described".into(),
            Self::FeaturesTooLong { len } => format!(
                "The identifying features have {len} characters, at most {MAX_FEATURES_CHARS}"
            ),
            Self::Incomplete {
                missing_slots,
                portrait_missing,
                features_missing,
            } => {
                let mut parts = Vec::new();
                if !missing_slots.is_empty() {
                    parts.push(format!(
                        "{} fingerprint slots not recorded, starting with {}",
                        missing_slots.len(),
                        missing_slots.first().map_or("", |s| s.label_en())
                    ));
                }
                if *portrait_missing {
                    parts.push("no accepted portrait".into());
                }
                if *features_missing {
                    parts.push("identifying features not described".into());
                }
                format!("Information capture incomplete: {}", parts.join("; "))
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
