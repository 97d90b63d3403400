//! The portrait checklist (ảnh chân dung) and the identifying features
//! (đặc điểm nhân dạng) of the capture record.

use serde::{Deserialize, Serialize};

use super::{CaptureError, MAX_FEATURES_CHARS};
use crate::i18n::Localized;

/// How the head is shown on the portrait.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadCovering {
    /// Đầu để trần.
    #[default]
    Bare,
    /// Khăn đội đầu theo lễ phục tôn giáo / trang phục dân tộc: allowed when
    /// the face and both ears are visible.
    ReligiousOrEthnic,
    /// Any other hat or covering: not allowed.
    Other,
}

/// The portrait checklist (ảnh chân dung) the officer ticks before a photo is
/// accepted. Plain data; [`PortraitChecklist::check`] says what is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortraitChecklist {
    /// Ảnh màu.
    pub colour: bool,
    /// Phông nền trắng.
    pub white_background: bool,
    /// Chụp chính diện.
    pub frontal: bool,
    /// Đầu để trần, or a permitted covering.
    pub head: HeadCovering,
    /// Rõ mặt.
    pub face_visible: bool,
    /// Rõ hai tai.
    pub both_ears_visible: bool,
    /// Không đeo kính (true when no glasses are worn).
    pub no_glasses: bool,
}

impl PortraitChecklist {
    /// A checklist with every requirement met and a bare head.
    pub const COMPLIANT: Self = Self {
        colour: true,
        white_background: true,
        frontal: true,
        head: HeadCovering::Bare,
        face_visible: true,
        both_ears_visible: true,
        no_glasses: true,
    };

    /// Every rule the photo breaks, in checklist order; empty when accepted.
    pub fn problems(&self) -> Vec<PortraitProblem> {
        let mut out = Vec::new();
        let checks = [
            (self.colour, PortraitProblem::NotColour),
            (self.white_background, PortraitProblem::BackgroundNotWhite),
            (self.frontal, PortraitProblem::NotFrontal),
            (
                self.head != HeadCovering::Other,
                PortraitProblem::HeadCovered,
            ),
            (self.face_visible, PortraitProblem::FaceHidden),
            (self.both_ears_visible, PortraitProblem::EarsHidden),
            (self.no_glasses, PortraitProblem::Glasses),
        ];
        for (ok, problem) in checks {
            if !ok {
                out.push(problem);
            }
        }
        out
    }

    /// Accepts the checklist or lists every rule it breaks.
    pub fn check(&self) -> Result<(), CaptureError> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CaptureError::Portrait { problems })
        }
    }
}

/// One way a portrait breaks the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortraitProblem {
    /// Not a colour photo.
    NotColour,
    /// Background not white.
    BackgroundNotWhite,
    /// Not taken from the front.
    NotFrontal,
    /// A hat or covering that is not religious or ethnic dress.
    HeadCovered,
    /// Face not fully visible.
    FaceHidden,
    /// Not both ears visible.
    EarsHidden,
    /// Glasses worn.
    Glasses,
}

impl PortraitProblem {
    /// Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::NotColour => "không phải ảnh màu",
            Self::BackgroundNotWhite => "phông nền không phải màu trắng",
            Self::NotFrontal => "không chụp chính diện",
            Self::HeadCovered => {
                "đầu không để trần (chỉ được giữ khăn đội đầu của lễ phục tôn giáo, trang phục dân tộc)"
            }
            Self::FaceHidden => "không rõ mặt",
            Self::EarsHidden => "không rõ hai tai",
            Self::Glasses => "có đeo kính",
        }
    }
    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::NotColour => "not a colour photo",
            Self::BackgroundNotWhite => "background is not white",
            Self::NotFrontal => "not taken from the front",
            Self::HeadCovered => {
                "head is covered (only religious or ethnic head coverings are allowed)"
            }
            Self::FaceHidden => "face not fully visible",
            Self::EarsHidden => "both ears not visible",
            Self::Glasses => "glasses worn",
        }
    }
}

/// The identifying features (đặc điểm nhân dạng) printed on the back of the
/// card, e.g. "Nốt ruồi C:1cm trên trước mày trái". Trimmed, non-blank, at
/// most [`MAX_FEATURES_CHARS`] characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct IdentifyingFeatures(String);

impl IdentifyingFeatures {
    /// Trims and checks the text.
    pub fn parse(text: &str) -> Result<Self, CaptureError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(CaptureError::FeaturesBlank);
        }
        let len = t.chars().count();
        if len > MAX_FEATURES_CHARS {
            return Err(CaptureError::FeaturesTooLong { len });
        }
        Ok(Self(t.to_owned()))
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for IdentifyingFeatures {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(|e| serde::de::Error::custom(e.message_en()))
    }
}
