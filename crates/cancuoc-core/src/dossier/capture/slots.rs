//! Fingerprint capture slots (lượt thu nhận vân tay) in their legal order,
//! and the outcome of each: captured, or missing with a reason.

use serde::{Deserialize, Serialize};

/// One fingerprint capture step (lượt thu nhận vân tay), in legal order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureSlot {
    /// Vân tay phẳng 4 ngón chụm bàn tay phải (index, middle, ring, little).
    FlatRightFour,
    /// Vân tay phẳng 4 ngón chụm bàn tay trái.
    FlatLeftFour,
    /// Vân tay phẳng 2 ngón cái chụm.
    FlatThumbs,
    /// Vân tay lăn ngón cái phải.
    RolledRightThumb,
    /// Vân tay lăn ngón trỏ phải.
    RolledRightIndex,
    /// Vân tay lăn ngón giữa phải.
    RolledRightMiddle,
    /// Vân tay lăn ngón áp út phải.
    RolledRightRing,
    /// Vân tay lăn ngón út phải.
    RolledRightLittle,
    /// Vân tay lăn ngón cái trái.
    RolledLeftThumb,
    /// Vân tay lăn ngón trỏ trái.
    RolledLeftIndex,
    /// Vân tay lăn ngón giữa trái.
    RolledLeftMiddle,
    /// Vân tay lăn ngón áp út trái.
    RolledLeftRing,
    /// Vân tay lăn ngón út trái.
    RolledLeftLittle,
}

impl CaptureSlot {
    /// All 13 slots in the legal capture order.
    pub const ALL: [CaptureSlot; 13] = [
        Self::FlatRightFour,
        Self::FlatLeftFour,
        Self::FlatThumbs,
        Self::RolledRightThumb,
        Self::RolledRightIndex,
        Self::RolledRightMiddle,
        Self::RolledRightRing,
        Self::RolledRightLittle,
        Self::RolledLeftThumb,
        Self::RolledLeftIndex,
        Self::RolledLeftMiddle,
        Self::RolledLeftRing,
        Self::RolledLeftLittle,
    ];

    /// Position in the legal order, 0–12.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Stable snake_case code, e.g. `rolled_right_thumb`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::FlatRightFour => "flat_right_four",
            Self::FlatLeftFour => "flat_left_four",
            Self::FlatThumbs => "flat_thumbs",
            Self::RolledRightThumb => "rolled_right_thumb",
            Self::RolledRightIndex => "rolled_right_index",
            Self::RolledRightMiddle => "rolled_right_middle",
            Self::RolledRightRing => "rolled_right_ring",
            Self::RolledRightLittle => "rolled_right_little",
            Self::RolledLeftThumb => "rolled_left_thumb",
            Self::RolledLeftIndex => "rolled_left_index",
            Self::RolledLeftMiddle => "rolled_left_middle",
            Self::RolledLeftRing => "rolled_left_ring",
            Self::RolledLeftLittle => "rolled_left_little",
        }
    }

    /// Vietnamese label as on the capture form.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::FlatRightFour => "vân tay phẳng 4 ngón chụm bàn tay phải",
            Self::FlatLeftFour => "vân tay phẳng 4 ngón chụm bàn tay trái",
            Self::FlatThumbs => "vân tay phẳng 2 ngón cái chụm",
            Self::RolledRightThumb => "vân tay lăn ngón cái phải",
            Self::RolledRightIndex => "vân tay lăn ngón trỏ phải",
            Self::RolledRightMiddle => "vân tay lăn ngón giữa phải",
            Self::RolledRightRing => "vân tay lăn ngón áp út phải",
            Self::RolledRightLittle => "vân tay lăn ngón út phải",
            Self::RolledLeftThumb => "vân tay lăn ngón cái trái",
            Self::RolledLeftIndex => "vân tay lăn ngón trỏ trái",
            Self::RolledLeftMiddle => "vân tay lăn ngón giữa trái",
            Self::RolledLeftRing => "vân tay lăn ngón áp út trái",
            Self::RolledLeftLittle => "vân tay lăn ngón út trái",
        }
    }

    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::FlatRightFour => "flat four fingers, right hand",
            Self::FlatLeftFour => "flat four fingers, left hand",
            Self::FlatThumbs => "flat thumbs",
            Self::RolledRightThumb => "rolled right thumb",
            Self::RolledRightIndex => "rolled right index finger",
            Self::RolledRightMiddle => "rolled right middle finger",
            Self::RolledRightRing => "rolled right ring finger",
            Self::RolledRightLittle => "rolled right little finger",
            Self::RolledLeftThumb => "rolled left thumb",
            Self::RolledLeftIndex => "rolled left index finger",
            Self::RolledLeftMiddle => "rolled left middle finger",
            Self::RolledLeftRing => "rolled left ring finger",
            Self::RolledLeftLittle => "rolled left little finger",
        }
    }

    /// The flat slot whose impression contains this rolled finger.
    pub(super) fn flat_slot(self) -> Option<CaptureSlot> {
        use CaptureSlot::*;
        match self {
            RolledRightThumb | RolledLeftThumb => Some(FlatThumbs),
            RolledRightIndex | RolledRightMiddle | RolledRightRing | RolledRightLittle => {
                Some(FlatRightFour)
            }
            RolledLeftIndex | RolledLeftMiddle | RolledLeftRing | RolledLeftLittle => {
                Some(FlatLeftFour)
            }
            FlatRightFour | FlatLeftFour | FlatThumbs => None,
        }
    }
}

/// Why a fingerprint could not be captured (lý do không thu nhận được).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingReason {
    /// Cụt ngón / mất ngón.
    Amputated,
    /// Đang băng bó, bị thương.
    Injured,
    /// Vân tay bị sẹo, mờ, không đọc được.
    Unreadable,
    /// Lý do khác, described in words (non-blank).
    Other(String),
}

impl MissingReason {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Amputated => "amputated",
            Self::Injured => "injured",
            Self::Unreadable => "unreadable",
            Self::Other(_) => "other",
        }
    }
    /// Vietnamese label.
    pub fn label_vi(&self) -> String {
        match self {
            Self::Amputated => "cụt ngón".into(),
            Self::Injured => "bị thương, đang băng bó".into(),
            Self::Unreadable => "vân tay bị sẹo, mờ, không đọc được".into(),
            Self::Other(t) => format!("lý do khác: {t}"),
        }
    }
    /// English label.
    pub fn label_en(&self) -> String {
        match self {
            Self::Amputated => "amputated".into(),
            Self::Injured => "injured or bandaged".into(),
            Self::Unreadable => "scarred or unreadable".into(),
            Self::Other(t) => format!("other reason: {t}"),
        }
    }
}

/// What happened at one slot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotOutcome {
    /// Đã thu nhận.
    Captured,
    /// Không thu nhận được, with the reason.
    Missing(MissingReason),
}
