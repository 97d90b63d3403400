//! Legal regimes (chế độ pháp lý) and eligibility for a card (đối tượng được
//! cấp thẻ).
//!
//! The regime is chosen by the relevant date — the application date for a
//! new application, the issue date for an existing card — from
//! `data/rules/regimes.toml`.

use super::data::{RegimeRule, data};
use super::expiry::{age_on, birthday_range};
use super::{RulesError, vi_date};
use crate::basis::{Explained, LegalBasis};
use crate::person::PartialDate;
use jiff::civil::Date;
use serde::Serialize;

/// A legal regime of the identity card (chế độ pháp lý).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Regime {
    /// Citizen identity card (thẻ Căn cước công dân, CCCD): Law 59/2014/QH13,
    /// Circulars 59 and 60/2021/TT-BCA; 1 Jan 2016 – 30 Jun 2024.
    Cccd2014,
    /// Identity card (thẻ Căn cước): Law 26/2023/QH15, Decree 70/2024/NĐ-CP;
    /// from 1 Jul 2024.
    CanCuoc2023,
}

impl Regime {
    /// Every regime, oldest first.
    pub const ALL: &'static [Regime] = &[Regime::Cccd2014, Regime::CanCuoc2023];

    /// Stable code: `cccd2014` or `cancuoc2023`.
    pub const fn code(self) -> &'static str {
        match self {
            Regime::Cccd2014 => "cccd2014",
            Regime::CanCuoc2023 => "cancuoc2023",
        }
    }

    /// Name in Vietnamese.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Regime::Cccd2014 => "chế độ thẻ Căn cước công dân (Luật Căn cước công dân 2014)",
            Regime::CanCuoc2023 => "chế độ thẻ Căn cước (Luật Căn cước 2023)",
        }
    }

    /// Name in English.
    pub const fn name_en(self) -> &'static str {
        match self {
            Regime::Cccd2014 => "CCCD regime (Law on Citizen Identification 2014)",
            Regime::CanCuoc2023 => "Căn cước regime (Law on Identification 2023)",
        }
    }

    /// The regime in force on `date` (inclusive ranges from the data).
    pub fn on(date: Date) -> Result<Regime, RulesError> {
        Ok(RegimeRule::on(data()?, date)?.code)
    }

    /// The law that defines the regime, as a legal basis.
    pub fn basis(self) -> Result<LegalBasis, RulesError> {
        let rule = RegimeRule::of(data()?, self)?;
        Ok(LegalBasis {
            document: rule.document.clone().into(),
            article: "".into(),
        })
    }

    /// First and last day of the regime.
    pub fn span(self) -> Result<(Date, Date), RulesError> {
        let rule = RegimeRule::of(data()?, self)?;
        Ok((rule.from, rule.to))
    }

    /// Renewal ages (độ tuổi đổi thẻ) of the regime.
    pub fn renewal_ages(self) -> Result<Vec<u8>, RulesError> {
        Ok(RegimeRule::of(data()?, self)?.renewal_ages.clone())
    }
}

impl std::fmt::Display for Regime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Regime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Regime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Regime::ALL
            .iter()
            .copied()
            .find(|r| r.code() == s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown regime {s:?}")))
    }
}

/// What the law says about a person getting a card on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EligibilityStatus {
    /// Must apply for a card (phải làm thủ tục cấp thẻ): 14 or older, Căn cước regime.
    Required,
    /// Entitled to a card (được cấp thẻ): 14 or older, CCCD regime.
    Entitled,
    /// May get a card on request (cấp theo nhu cầu): under 14, Căn cước regime.
    OnRequest,
    /// No card at this age (chưa đủ tuổi): under 14, CCCD regime.
    TooYoung,
}

/// The answer of [`eligibility`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// The regime in force on the date.
    pub regime: Regime,
    /// Completed years of age on the date (tuổi tròn).
    pub age: u16,
    /// What the law says.
    pub status: EligibilityStatus,
    /// The day the minimum age (14) is reached.
    pub min_age_date: Date,
}

/// Who may or must get a card on `on`, given the date of birth.
///
/// An incomplete date of birth is read at its earliest possible day (1
/// January, or the 1st of the month): the benefit of the doubt goes to the
/// citizen's right to a card, and under the Căn cước regime a card is
/// available at any age anyway.
pub fn eligibility(dob: PartialDate, on: Date) -> Result<Explained<Eligibility>, RulesError> {
    let d = data()?;
    let rule = RegimeRule::on(d, on)?;
    let (earliest, _) = birthday_range(dob)?;
    if on < earliest {
        return Err(RulesError::IssuedBeforeBirth { dob, issued: on });
    }
    let age = age_on(earliest, on)?;
    let min_age_date = super::expiry::reach_age(earliest, rule.min_age)?;
    let adult = age >= u16::from(rule.min_age);
    let status = match (adult, rule.under_min_on_request) {
        (true, true) => EligibilityStatus::Required,
        (true, false) => EligibilityStatus::Entitled,
        (false, true) => EligibilityStatus::OnRequest,
        (false, false) => EligibilityStatus::TooYoung,
    };
    let min = rule.min_age;
    let (vi, en) = match status {
        EligibilityStatus::Required => (
            format!("Công dân {age} tuổi (từ đủ {min} tuổi) phải làm thủ tục cấp thẻ căn cước."),
            format!("A citizen aged {age} ({min} or older) must apply for an identity card."),
        ),
        EligibilityStatus::Entitled => (
            format!("Công dân {age} tuổi (từ đủ {min} tuổi) được cấp thẻ Căn cước công dân."),
            format!(
                "A citizen aged {age} ({min} or older) is entitled to a citizen identity card."
            ),
        ),
        EligibilityStatus::OnRequest => (
            format!(
                "Công dân {age} tuổi (dưới {min} tuổi) được cấp thẻ căn cước theo nhu cầu; bắt buộc từ ngày {}.",
                vi_date(min_age_date)
            ),
            format!(
                "A citizen aged {age} (under {min}) may get an identity card on request; it becomes mandatory on {min_age_date}."
            ),
        ),
        EligibilityStatus::TooYoung => (
            format!(
                "Công dân {age} tuổi chưa đủ {min} tuổi nên chưa được cấp thẻ Căn cước công dân; đủ tuổi vào ngày {}.",
                vi_date(min_age_date)
            ),
            format!(
                "A citizen aged {age} is under {min} and cannot get a citizen identity card yet; eligible from {min_age_date}."
            ),
        ),
    };
    let mut vi = vi;
    let mut en = en;
    if !matches!(dob, PartialDate::Full(_)) {
        vi.push_str(&format!(
            " Ngày sinh không đầy đủ ({dob}): tính từ ngày sớm nhất có thể, {}.",
            vi_date(earliest)
        ));
        en.push_str(&format!(
            " Incomplete date of birth ({dob}): counted from its earliest possible day, {earliest}."
        ));
    }
    Ok(Explained {
        value: Eligibility {
            regime: rule.code,
            age,
            status,
            min_age_date,
        },
        basis: vec![LegalBasis {
            document: rule.document.clone().into(),
            article: rule.eligibility_article.clone().into(),
        }],
        explanation_vi: vi,
        explanation_en: en,
    })
}
