//! Card expiry (thời hạn sử dụng thẻ): renewal ages, the 2-year rule, no
//! expiry from 60.
//!
//! Readings of the law, each tested in `tests_expiry.rs`:
//! - **Expiry date** = the day the holder reaches the renewal age (ngày đủ
//!   tuổi), which is what cards print: born 15/03/2000 → valid to 15/03/2025.
//! - **29 February**: in a common year the holder reaches an age on 28
//!   February, the last day of the month (Civil Code 2015 Art. 148: a term in
//!   years ends on the corresponding day, or the month's last day if there is
//!   none); the card is not valid "one day longer" into March.
//! - **2-year rule** ("cấp trong thời hạn 02 năm trước tuổi quy định"): a card
//!   issued on or after the day the holder reaches *age − 2* (and before the
//!   age) skips that renewal age. Issued the day before the 23rd birthday →
//!   renew at 25; issued on the 23rd birthday → renew at 40. Applied to every
//!   renewal age the regime lists, 14 included.
//! - **No expiry**: a card issued from the 58th birthday on (2-year rule
//!   before 60), or after 60, is valid for life.
//! - The regime is the one in force on the **issue date**; an old CCCD card
//!   keeps its printed expiry under the new law (Law 26/2023 Art. 46).
//! - **Incomplete dates of birth** (year only, or year and month): the
//!   expiry is computed for every possible birthday and the **latest** result
//!   is returned ("no expiry" counting as latest). A card is then never
//!   declared expired before it could really be, and the citizen is never
//!   told to renew on a guess; the explanation names the birthday used.

use super::data::{RegimeRule, data};
use super::{RulesError, vi_date};
use crate::basis::{Explained, LegalBasis};
use crate::person::PartialDate;
use jiff::civil::Date;
use serde::Serialize;

/// When a card stops being valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Expiry {
    /// Valid up to this date (có giá trị đến ngày).
    On(Date),
    /// No expiry (không thời hạn).
    None,
}

impl Serialize for Expiry {
    /// A date string, or `null` for no expiry.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expiry::On(d) => d.serialize(s),
            Expiry::None => s.serialize_none(),
        }
    }
}

/// The day someone born on `birth` reaches `age` (ngày đủ tuổi); 29 February
/// birthdays reach it on 28 February in common years.
pub fn reach_age(birth: Date, age: u8) -> Result<Date, RulesError> {
    reach_years(birth, i32::from(age))
}

// Not jiff's span arithmetic: the 29 February rule is a legal reading
// (Civil Code Art. 148) and is spelled out here rather than inherited.
fn reach_years(birth: Date, years: i32) -> Result<Date, RulesError> {
    let overflow = RulesError::DateOverflow { what: "age" };
    let year = i32::from(birth.year()) + years;
    let year = i16::try_from(year).map_err(|_| overflow.clone())?;
    match Date::new(year, birth.month(), birth.day()) {
        Ok(d) => Ok(d),
        // Only 29 February can be missing in the target year.
        Err(_) => Date::new(year, 2, 28).map_err(|_| overflow),
    }
}

/// Completed years of age on `on` (tuổi tròn), counted with [`reach_age`];
/// 0 before birth.
pub(crate) fn age_on(birth: Date, on: Date) -> Result<u16, RulesError> {
    if on < birth {
        return Ok(0);
    }
    let years = i32::from(on.year()) - i32::from(birth.year());
    let reached = reach_years(birth, years)? <= on;
    let age = years - i32::from(!reached);
    Ok(u16::try_from(age).unwrap_or(0))
}

/// The earliest and latest day an (incomplete) date of birth may stand for.
pub(crate) fn birthday_range(dob: PartialDate) -> Result<(Date, Date), RulesError> {
    let overflow = || RulesError::DateOverflow {
        what: "date of birth",
    };
    match dob {
        PartialDate::Full(d) => Ok((d, d)),
        PartialDate::YearMonth { year, month } => {
            let first = Date::new(year, month, 1).map_err(|_| overflow())?;
            Ok((first, first.last_of_month()))
        }
        PartialDate::Year(year) => Ok((
            Date::new(year, 1, 1).map_err(|_| overflow())?,
            Date::new(year, 12, 31).map_err(|_| overflow())?,
        )),
    }
}

/// The outcome for one possible birthday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Outcome {
    expiry: Expiry,
    /// The renewal age at which the card expires.
    at_age: Option<u8>,
    /// Whether the 2-year rule skipped a renewal age (or gave no expiry).
    grace_used: bool,
    age_at_issue: u16,
}

fn outcome(birth: Date, issued: Date, rule: &RegimeRule) -> Result<Outcome, RulesError> {
    let age_at_issue = age_on(birth, issued)?;
    let mut grace_used = false;
    for &age in &rule.renewal_ages {
        let grace_start = reach_age(birth, age - rule.grace_years)?;
        if issued < grace_start {
            return Ok(Outcome {
                expiry: Expiry::On(reach_age(birth, age)?),
                at_age: Some(age),
                grace_used,
                age_at_issue,
            });
        }
        if issued < reach_age(birth, age)? {
            grace_used = true;
        }
    }
    Ok(Outcome {
        expiry: Expiry::None,
        at_age: None,
        grace_used,
        age_at_issue,
    })
}

/// The largest birthday `b` with `reach_age(b, years) <= by`, if any
/// (birthdays are compared in the proleptic calendar; 29 February handled).
fn last_birth_reaching(years: u8, by: Date) -> Result<Option<Date>, RulesError> {
    let year = i32::from(by.year()) - i32::from(years);
    let Ok(year) = i16::try_from(year) else {
        return Ok(None);
    };
    let b0 = match Date::new(year, by.month(), by.day()) {
        Ok(d) => d,
        Err(_) => match Date::new(year, 2, 28) {
            Ok(d) => d,
            Err(_) => return Ok(None),
        },
    };
    // reach_age is non-decreasing in the birthday, so the answer is b0 + 1
    // (a 29 February reaching its age on 28 February), b0 or b0 − 1.
    for b in [b0.tomorrow().ok(), Some(b0), b0.yesterday().ok()]
        .into_iter()
        .flatten()
    {
        if reach_age(b, years)? <= by {
            return Ok(Some(b));
        }
    }
    Ok(None)
}

/// The birthday, among those `dob` allows, that gives the latest expiry, and
/// that outcome; `None` when no birthday allows the card.
///
/// The expiry is non-decreasing in the birthday within one renewal level,
/// and the level drops as the birthday grows, so the maximum lies at the
/// last allowed birthday or at the last birthday of a level — found
/// directly instead of walking up to 366 days.
fn latest_outcome(
    dob: PartialDate,
    issued: Date,
    rule: &RegimeRule,
) -> Result<Option<(Date, Outcome)>, RulesError> {
    let (earliest, latest) = birthday_range(dob)?;
    let mut hi = latest.min(issued);
    if !rule.under_min_on_request {
        match last_birth_reaching(rule.min_age, issued)? {
            Some(b) => hi = hi.min(b),
            None => return Ok(None),
        }
    }
    if hi < earliest {
        return Ok(None);
    }
    let mut candidates = vec![hi];
    for &age in &rule.renewal_ages {
        if let Some(b) = last_birth_reaching(age - rule.grace_years, issued)? {
            candidates.extend(
                [b.yesterday().ok(), Some(b), b.tomorrow().ok()]
                    .into_iter()
                    .flatten(),
            );
        }
    }
    let mut best: Option<(Date, Outcome)> = None;
    for b in candidates {
        if b < earliest || b > hi {
            continue;
        }
        let o = outcome(b, issued, rule)?;
        if best.is_none_or(|(bb, x)| o.expiry > x.expiry || (o.expiry == x.expiry && b > bb)) {
            best = Some((b, o));
        }
    }
    Ok(best)
}

/// The expiry of a card issued on `issue_date` to someone born `date_of_birth`,
/// under the regime in force on the issue date.
pub fn card_expiry(
    date_of_birth: PartialDate,
    issue_date: Date,
) -> Result<Explained<Expiry>, RulesError> {
    let (rule, birth, o) = compute(date_of_birth, issue_date)?;
    Ok(explain(date_of_birth, birth, issue_date, rule, o))
}

/// [`card_expiry`] without the explanation, for bulk checks: the same
/// value, no text built.
pub fn expiry_date(date_of_birth: PartialDate, issue_date: Date) -> Result<Expiry, RulesError> {
    Ok(compute(date_of_birth, issue_date)?.2.expiry)
}

fn compute(
    dob: PartialDate,
    issued: Date,
) -> Result<(&'static RegimeRule, Date, Outcome), RulesError> {
    let d = data()?;
    let rule = RegimeRule::on(d, issued)?;
    let (earliest, _) = birthday_range(dob)?;
    if issued < earliest {
        return Err(RulesError::IssuedBeforeBirth { dob, issued });
    }
    match latest_outcome(dob, issued, rule)? {
        Some((birth, o)) => Ok((rule, birth, o)),
        None => Err(RulesError::TooYoung {
            dob,
            issued,
            regime: rule.code,
            min_age: rule.min_age,
        }),
    }
}

/// Reference implementation for the tests: every possible birthday.
#[cfg(test)]
pub(crate) fn expiry_brute_force(dob: PartialDate, issued: Date) -> Result<Expiry, RulesError> {
    let d = data()?;
    let rule = RegimeRule::on(d, issued)?;
    let (earliest, latest) = birthday_range(dob)?;
    if issued < earliest {
        return Err(RulesError::IssuedBeforeBirth { dob, issued });
    }
    let mut best = None;
    let mut birth = earliest;
    while birth <= latest && birth <= issued {
        if rule.under_min_on_request || reach_age(birth, rule.min_age)? <= issued {
            let e = outcome(birth, issued, rule)?.expiry;
            best = Some(best.map_or(e, |b: Expiry| b.max(e)));
        }
        birth = match birth.tomorrow() {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    best.ok_or(RulesError::TooYoung {
        dob,
        issued,
        regime: rule.code,
        min_age: rule.min_age,
    })
}

fn explain(
    dob: PartialDate,
    birth: Date,
    issued: Date,
    rule: &RegimeRule,
    o: Outcome,
) -> Explained<Expiry> {
    let regime = rule.code;
    let age = o.age_at_issue;
    let grace = rule.grace_years;
    let mut basis = vec![LegalBasis {
        document: rule.document.clone().into(),
        article: rule.renewal_article.clone().into(),
    }];
    if o.grace_used {
        basis.push(LegalBasis {
            document: rule.document.clone().into(),
            article: rule.grace_article.clone().into(),
        });
    }
    basis.extend(rule.also.iter().map(super::data::BasisRow::basis));
    let ages = rule
        .renewal_ages
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut vi = format!(
        "Thẻ cấp ngày {} theo {} (đổi thẻ khi đủ {ages} tuổi), lúc công dân {age} tuổi. ",
        vi_date(issued),
        regime.name_vi()
    );
    let mut en = format!(
        "Card issued on {issued} under the {} (renewal at {ages}), when the holder was {age}. ",
        regime.name_en()
    );
    if o.grace_used {
        vi.push_str(&format!(
            "Thẻ được cấp trong thời hạn {grace} năm trước một tuổi đổi thẻ nên có giá trị đến tuổi đổi thẻ tiếp theo. "
        ));
        en.push_str(&format!(
            "It was issued within {grace} years before a renewal age, so it stays valid until the next one. "
        ));
    }
    match (o.expiry, o.at_age) {
        (Expiry::On(e), Some(at)) => {
            vi.push_str(&format!(
                "Thẻ có giá trị đến ngày {} (ngày đủ {at} tuổi).",
                vi_date(e)
            ));
            en.push_str(&format!(
                "It is valid until {e}, the day the holder turns {at}."
            ));
            if birth.month() == 2 && birth.day() == 29 && e.day() == 28 {
                vi.push_str(" Sinh ngày 29/02: năm không nhuận, ngày đủ tuổi là 28/02.");
                en.push_str(
                    " Born on 29 February: in a common year the age is reached on 28 February.",
                );
            }
        }
        _ => {
            vi.push_str("Thẻ có giá trị không thời hạn (không phải đổi thẻ theo độ tuổi nữa).");
            en.push_str("It has no expiry: no further renewal age applies.");
        }
    }
    if !matches!(dob, PartialDate::Full(_)) {
        vi.push_str(&format!(
            " Ngày sinh không đầy đủ ({dob}): lấy hạn muộn nhất trong mọi ngày sinh có thể (ở đây ngày sinh {}), để thẻ không bị coi là hết hạn sớm hơn thực tế.",
            vi_date(birth)
        ));
        en.push_str(&format!(
            " Incomplete date of birth ({dob}): the latest expiry over every possible birthday is used (here {birth}), so the card is never treated as expired before it could be."
        ));
    }
    Explained {
        value: o.expiry,
        basis,
        explanation_vi: vi,
        explanation_en: en,
    }
}
