//! Citizens' electronic identity accounts (tài khoản định danh điện tử, the
//! accounts of the VNeID app): their two levels, the password policy, SMS
//! one-time codes, the texts sent by SMS and the temporary lockout after
//! wrong passwords. Levels: Decree 59/2022/NĐ-CP on electronic
//! identification and authentication, Art. 7 (the two levels) and Art. 14
//! (registration: level 1 by the citizen through the VNeID app, level 2 in
//! person at the police, portrait and fingerprints compared with the
//! national databases, or together with the card's issuance), as DESIGN.md
//! §2.8 cites them (the article numbers to be checked against the decree's
//! text, and against Decree 69/2024/NĐ-CP, reported to replace it from
//! 01/07/2024); DESIGN.md §2.8 and seed 002 for
//! the password rule and the 2-minute OTP of the national public-service
//! portal.
//!
//! - [`password`]: the password policy as data ([`PasswordPolicy::SEED`]),
//!   every failed rule reported at once, a blocklist of common passwords.
//! - [`otp`]: six-digit SMS codes ([`OtpCode`]), their lifetime, attempt
//!   cap and sending limits ([`OtpRules::SEED`]).
//! - [`sms`]: GSM-7 / UCS-2 segment counting and the texts themselves,
//!   ASCII so that each is one segment.
//! - [`lockout`]: Keycloak's temporary lockout as a pure policy
//!   ([`TemporaryLockout`]).
//!
//! Nothing here reads a clock or draws random numbers: times (Unix seconds)
//! and random draws are arguments, the store keeps the counters.

pub mod lockout;
pub mod otp;
pub mod password;
pub mod sms;

pub use lockout::{Failures, TemporaryLockout};
pub use otp::{ChallengeState, OtpCode, OtpRules, OtpVerdict, SendRefusal, ct_eq};
pub use password::{PasswordPolicy, PasswordProblem, PersonalData, PersonalField};
pub use sms::{Notice, is_gsm7, notice_text, otp_text, segments};

use serde::{Deserialize, Serialize};

/// The level of an electronic identity account (mức độ tài khoản định danh
/// điện tử). In JSON its number, `1` or `2`.
///
/// Level 1 (mức độ 1): registered by the citizen through the VNeID app
/// (Decree 59/2022/NĐ-CP Art. 7, 14). Level 2 (mức độ 2): registered in person
/// at the police, the portrait or the fingerprints compared with the
/// national databases, or together with the issuance of the card (Art. 14);
/// a level-2 account stands in for presenting the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum AccountLevel {
    /// Mức độ 1: self-registered through the app.
    One = 1,
    /// Mức độ 2: registered or confirmed in person at the police.
    Two = 2,
}

impl AccountLevel {
    /// Both levels, lowest first.
    pub const ALL: [AccountLevel; 2] = [AccountLevel::One, AccountLevel::Two];

    /// The level's number: 1 or 2.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The level numbered `n` (1 or 2).
    pub const fn from_u8(n: u8) -> Option<Self> {
        match n {
            1 => Some(AccountLevel::One),
            2 => Some(AccountLevel::Two),
            _ => None,
        }
    }

    /// The stable code: `level_1` or `level_2`.
    pub const fn code(self) -> &'static str {
        match self {
            AccountLevel::One => "level_1",
            AccountLevel::Two => "level_2",
        }
    }

    /// Reads a stable code (`level_1`, `level_2`).
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// `Mức độ 1` or `Mức độ 2`.
    pub const fn label_vi(self) -> &'static str {
        match self {
            AccountLevel::One => "Mức độ 1",
            AccountLevel::Two => "Mức độ 2",
        }
    }

    /// `Level 1` or `Level 2`.
    pub const fn label_en(self) -> &'static str {
        match self {
            AccountLevel::One => "Level 1",
            AccountLevel::Two => "Level 2",
        }
    }
}

impl Serialize for AccountLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.as_u8())
    }
}

impl<'de> Deserialize<'de> for AccountLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        Self::from_u8(n)
            .ok_or_else(|| serde::de::Error::custom(format!("account level {n}: expected 1 or 2")))
    }
}

/// How a level-2 account was established (Decree 59/2022/NĐ-CP Art. 14):
/// the police compared the applicant's portrait or fingerprints with the
/// national databases, or the account was made with the card's issuance.
/// In JSON its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelMethod {
    /// The portrait taken at the office matched (đối chiếu ảnh chân dung).
    Portrait,
    /// The fingerprints taken at the office matched (đối chiếu vân tay).
    Fingerprints,
    /// Made together with the issuance of the card (cùng thủ tục cấp thẻ).
    CardIssuance,
}

impl LevelMethod {
    /// Every method, in the order above.
    pub const ALL: [LevelMethod; 3] = [
        LevelMethod::Portrait,
        LevelMethod::Fingerprints,
        LevelMethod::CardIssuance,
    ];

    /// The stable code: `portrait`, `fingerprints` or `card_issuance`.
    pub const fn code(self) -> &'static str {
        match self {
            LevelMethod::Portrait => "portrait",
            LevelMethod::Fingerprints => "fingerprints",
            LevelMethod::CardIssuance => "card_issuance",
        }
    }

    /// Reads a stable code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            LevelMethod::Portrait => "Đối chiếu ảnh chân dung",
            LevelMethod::Fingerprints => "Đối chiếu vân tay",
            LevelMethod::CardIssuance => "Cùng thủ tục cấp thẻ Căn cước",
        }
    }

    /// The English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            LevelMethod::Portrait => "Portrait comparison",
            LevelMethod::Fingerprints => "Fingerprint comparison",
            LevelMethod::CardIssuance => "Together with the card's issuance",
        }
    }
}

/// What an SMS one-time code is for (mục đích của mã OTP). In JSON its
/// code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OtpPurpose {
    /// Registering an account (đăng ký).
    Register,
    /// Logging in, the second factor after the password (đăng nhập).
    Login,
    /// Resetting a forgotten password (đặt lại mật khẩu).
    Reset,
    /// Unlocking a locked account (mở khóa).
    Unlock,
}

impl OtpPurpose {
    /// Every purpose, in the order above.
    pub const ALL: [OtpPurpose; 4] = [
        OtpPurpose::Register,
        OtpPurpose::Login,
        OtpPurpose::Reset,
        OtpPurpose::Unlock,
    ];

    /// The stable code: `register`, `login`, `reset` or `unlock`.
    pub const fn code(self) -> &'static str {
        match self {
            OtpPurpose::Register => "register",
            OtpPurpose::Login => "login",
            OtpPurpose::Reset => "reset",
            OtpPurpose::Unlock => "unlock",
        }
    }

    /// Reads a stable code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            OtpPurpose::Register => "Đăng ký",
            OtpPurpose::Login => "Đăng nhập",
            OtpPurpose::Reset => "Đặt lại mật khẩu",
            OtpPurpose::Unlock => "Mở khóa tài khoản",
        }
    }

    /// The English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            OtpPurpose::Register => "Registration",
            OtpPurpose::Login => "Login",
            OtpPurpose::Reset => "Password reset",
            OtpPurpose::Unlock => "Account unlock",
        }
    }
}

#[cfg(test)]
mod tests;
