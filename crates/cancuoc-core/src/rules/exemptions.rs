//! The conditions of each fee exemption (điều kiện miễn lệ phí), checked
//! against the applicant's record and the application date, before the fee
//! engine ([`super::fee`]) prices a claimed exemption.
//!
//! Three kinds of condition, per [`Exemption`] ([`conditions`]):
//! - **age on the application date**, from the record's date of birth:
//!   a child is under 16 (Luật Trẻ em 2016, Điều 1), an elderly person 60
//!   or over (Luật Người cao tuổi 2009, Điều 2), an orphan and a war
//!   invalid's child under 18 (Thông tư 59/2019/TT-BTC Điều 5 khoản 1,
//!   Thông tư 73/2024/TT-BTC Điều 5). An incomplete date of birth gives the
//!   citizen the benefit of the doubt: the condition holds when it holds on
//!   some possible birthday.
//! - **the record itself**: a residence exemption needs a permanent
//!   residence on record; the ethnic-minority exemption needs a recorded
//!   ethnicity other than Kinh. (Whether the commune is a border commune or
//!   the district an island district is not in the record: that is the
//!   document the officer sees.)
//! - **a document seen** (giấy tờ chứng minh): every exemption the record
//!   cannot prove (war invalid, poor household, disability, …) needs the
//!   officer to name the document they saw; it is kept with the fee as
//!   charged. Only the opening of a dossier asks for it ([`check_claim`]);
//!   a fee preview checks the record only ([`check_record`]).
//!
//! Whether the exemption exists on the date at all (children, the elderly
//! and people with disabilities only from 21 Oct 2024) is the fee table's
//! question, answered by [`super::fee`].

use super::expiry::{age_on, birthday_range};
use super::kinds::Exemption;
use super::{RulesError, vi_date};
use crate::person::PartialDate;
use crate::text::fold_diacritics;
use jiff::civil::Date;

/// One condition an exemption puts on the applicant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Condition {
    /// Younger than this many years on the application date.
    Under(u8),
    /// At least this many years old on the application date.
    AtLeast(u8),
    /// A permanent residence on record (nơi thường trú).
    Residence,
    /// An ethnicity other than Kinh on record (dân tộc thiểu số).
    EthnicMinority,
    /// A document the officer saw (giấy tờ chứng minh).
    Document,
}

/// What the citizen record says of the applicant, for the conditions.
#[derive(Clone, Copy, Debug)]
pub struct ApplicantRecord<'a> {
    /// Ngày sinh.
    pub dob: PartialDate,
    /// Nơi thường trú, as recorded (may be empty).
    pub permanent_residence: &'a str,
    /// Dân tộc, as recorded (may be empty).
    pub ethnicity: &'a str,
}

/// Why a claimed exemption does not apply to this applicant.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExemptionRefusal {
    /// Too old on the application date (`min_age`–`max_age`: the ages an
    /// incomplete date of birth allows, equal for a full one).
    TooOld {
        /// Date of birth on record.
        dob: PartialDate,
        /// The youngest the applicant can be on `on`.
        min_age: u16,
        /// The oldest the applicant can be on `on`.
        max_age: u16,
        /// The age the exemption must be under.
        under: u8,
        /// The application date.
        on: Date,
    },
    /// Too young on the application date.
    TooYoung {
        /// Date of birth on record.
        dob: PartialDate,
        /// The youngest the applicant can be on `on`.
        min_age: u16,
        /// The oldest the applicant can be on `on`.
        max_age: u16,
        /// The age the exemption needs at least.
        at_least: u8,
        /// The application date.
        on: Date,
    },
    /// No permanent residence on record.
    NoResidence,
    /// The recorded ethnicity (empty or Kinh) is not an ethnic minority.
    NotEthnicMinority {
        /// The ethnicity on record.
        ethnicity: String,
    },
    /// The exemption needs a document and none was named.
    DocumentMissing,
}

/// The conditions of `e` (see the module documentation).
pub const fn conditions(e: Exemption) -> &'static [Condition] {
    use Condition::*;
    match e {
        Exemption::Child => &[Under(16)],
        Exemption::Elderly => &[AtLeast(60)],
        Exemption::Orphan | Exemption::WarInvalidChild => &[Under(18), Document],
        Exemption::BorderCommune | Exemption::IslandDistrict => &[Residence, Document],
        Exemption::EthnicMinorityHardship => &[EthnicMinority, Document],
        Exemption::MartyrFamily
        | Exemption::WarInvalid
        | Exemption::SickSoldier
        | Exemption::PoorHousehold
        | Exemption::Disabled => &[Document],
    }
}

/// Whether `e` needs a document seen by the officer.
pub fn needs_document(e: Exemption) -> bool {
    conditions(e).contains(&Condition::Document)
}

/// The youngest and oldest the holder of `dob` can be on `on`.
fn ages(dob: PartialDate, on: Date) -> Result<(u16, u16), RulesError> {
    let (earliest, latest) = birthday_range(dob)?;
    Ok((age_on(latest, on)?, age_on(earliest, on)?))
}

/// Checks the conditions of `e` that the record answers (age on `on`,
/// residence, ethnicity); documents are not asked for.
pub fn check_record(e: Exemption, who: &ApplicantRecord<'_>, on: Date) -> Result<(), RulesError> {
    let refuse = |why| Err(RulesError::ExemptionNotApplicable { exemption: e, why });
    for c in conditions(e) {
        match *c {
            Condition::Under(under) => {
                let (min_age, max_age) = ages(who.dob, on)?;
                if min_age >= u16::from(under) {
                    return refuse(ExemptionRefusal::TooOld {
                        dob: who.dob,
                        min_age,
                        max_age,
                        under,
                        on,
                    });
                }
            }
            Condition::AtLeast(at_least) => {
                let (min_age, max_age) = ages(who.dob, on)?;
                if max_age < u16::from(at_least) {
                    return refuse(ExemptionRefusal::TooYoung {
                        dob: who.dob,
                        min_age,
                        max_age,
                        at_least,
                        on,
                    });
                }
            }
            Condition::Residence => {
                if who.permanent_residence.trim().is_empty() {
                    return refuse(ExemptionRefusal::NoResidence);
                }
            }
            Condition::EthnicMinority => {
                let e = who.ethnicity.trim();
                if e.is_empty() || fold_diacritics(e).eq_ignore_ascii_case("kinh") {
                    return refuse(ExemptionRefusal::NotEthnicMinority {
                        ethnicity: e.to_owned(),
                    });
                }
            }
            Condition::Document => {}
        }
    }
    Ok(())
}

/// Checks every claimed exemption against the record on `on` and, for those
/// that need one, that a document was named (`document`, blank = none):
/// the check of an opening dossier.
pub fn check_claim(
    claimed: &[Exemption],
    who: &ApplicantRecord<'_>,
    on: Date,
    document: Option<&str>,
) -> Result<(), RulesError> {
    let named = document.is_some_and(|d| !d.trim().is_empty());
    for &e in claimed {
        check_record(e, who, on)?;
        if needs_document(e) && !named {
            return Err(RulesError::ExemptionNotApplicable {
                exemption: e,
                why: ExemptionRefusal::DocumentMissing,
            });
        }
    }
    Ok(())
}

/// `dd/mm/yyyy`, `mm/yyyy` or `yyyy`, as the record knows it.
pub(crate) fn dob_vi(dob: PartialDate) -> String {
    match dob {
        PartialDate::Full(d) => vi_date(d),
        PartialDate::YearMonth { year, month } => format!("{month:02}/{year:04}"),
        PartialDate::Year(y) => format!("{y:04}"),
    }
}

/// `23` or, for an incomplete date of birth, `22–23`.
pub(crate) fn age_text(min_age: u16, max_age: u16) -> String {
    if min_age == max_age {
        min_age.to_string()
    } else {
        format!("{min_age}–{max_age}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn who(dob: &str) -> ApplicantRecord<'static> {
        ApplicantRecord {
            dob: dob.parse().expect("dob"),
            permanent_residence: "Thôn 1, Xã Bình Thử",
            ethnicity: "Kinh",
        }
    }

    fn refusal(r: Result<(), RulesError>) -> ExemptionRefusal {
        match r {
            Err(RulesError::ExemptionNotApplicable { why, .. }) => why,
            other => panic!("expected an exemption refusal, got {other:?}"),
        }
    }

    #[test]
    fn the_child_exemption_is_refused_to_a_23_year_old_with_the_age_named() {
        let on = date(2026, 11, 23);
        let e = check_record(Exemption::Child, &who("2003-05-17"), on).unwrap_err();
        assert_eq!(
            e,
            RulesError::ExemptionNotApplicable {
                exemption: Exemption::Child,
                why: ExemptionRefusal::TooOld {
                    dob: who("2003-05-17").dob,
                    min_age: 23,
                    max_age: 23,
                    under: 16,
                    on,
                },
            }
        );
        use crate::i18n::Localized;
        assert_eq!(e.code(), "rules.exemption_not_applicable");
        assert!(
            e.message_vi()
                .contains("sinh ngày 17/05/2003, 23 tuổi vào ngày nộp hồ sơ 23/11/2026"),
            "{}",
            e.message_vi()
        );
        assert!(
            e.message_en()
                .contains("born 2003-05-17, 23 years old on the application date 2026-11-23"),
            "{}",
            e.message_en()
        );
        assert!(e.message_en().contains("under 16"), "{}", e.message_en());
    }

    #[test]
    fn age_conditions_are_checked_on_the_application_date() {
        // (exemption, date of birth, application date, holds)
        let table = [
            (Exemption::Child, "2010-11-24", date(2026, 11, 23), true),
            (Exemption::Child, "2010-11-23", date(2026, 11, 23), false),
            (Exemption::Elderly, "1966-11-23", date(2026, 11, 23), true),
            (Exemption::Elderly, "1966-11-24", date(2026, 11, 23), false),
            (Exemption::Orphan, "2008-11-24", date(2026, 11, 23), true),
            (Exemption::Orphan, "2008-11-23", date(2026, 11, 23), false),
            (
                Exemption::WarInvalidChild,
                "2000-01-01",
                date(2026, 11, 23),
                false,
            ),
            // Incomplete dates: the benefit of the doubt.
            (Exemption::Child, "2010", date(2026, 11, 23), true),
            (Exemption::Child, "2009", date(2026, 11, 23), false),
            (Exemption::Elderly, "1966", date(2026, 1, 1), true),
            (Exemption::Elderly, "1967-12", date(2027, 11, 30), false),
            // No age condition.
            (
                Exemption::PoorHousehold,
                "2000-01-01",
                date(2026, 11, 23),
                true,
            ),
        ];
        for (e, dob, on, holds) in table {
            assert_eq!(
                check_record(e, &who(dob), on).is_ok(),
                holds,
                "{e} born {dob} on {on}"
            );
        }
    }

    #[test]
    fn an_incomplete_date_of_birth_is_named_with_its_range_of_ages() {
        let why = refusal(check_record(
            Exemption::Child,
            &who("2009"),
            date(2026, 6, 1),
        ));
        assert!(
            matches!(
                why,
                ExemptionRefusal::TooOld {
                    min_age: 16,
                    max_age: 17,
                    ..
                }
            ),
            "{why:?}"
        );
    }

    #[test]
    fn record_conditions_need_a_residence_and_a_minority_ethnicity() {
        let on = date(2026, 11, 23);
        let mut w = who("1990-01-01");
        assert_eq!(
            refusal(check_record(Exemption::EthnicMinorityHardship, &w, on)),
            ExemptionRefusal::NotEthnicMinority {
                ethnicity: "Kinh".into()
            }
        );
        w.ethnicity = "Ê Đê";
        assert!(check_record(Exemption::EthnicMinorityHardship, &w, on).is_ok());
        w.permanent_residence = "  ";
        assert_eq!(
            refusal(check_record(Exemption::BorderCommune, &w, on)),
            ExemptionRefusal::NoResidence
        );
    }

    #[test]
    fn an_opening_needs_the_document_of_a_documentary_exemption_only() {
        let on = date(2026, 11, 23);
        let w = who("1950-01-01");
        assert_eq!(
            refusal(check_claim(&[Exemption::PoorHousehold], &w, on, None)),
            ExemptionRefusal::DocumentMissing
        );
        assert_eq!(
            refusal(check_claim(&[Exemption::WarInvalid], &w, on, Some("  "))),
            ExemptionRefusal::DocumentMissing
        );
        assert!(check_claim(&[Exemption::Elderly], &w, on, None).is_ok());
        assert!(
            check_claim(
                &[Exemption::PoorHousehold],
                &w,
                on,
                Some("Giấy chứng nhận hộ nghèo số 12/GCN-UBND")
            )
            .is_ok()
        );
        for e in Exemption::ALL {
            assert!(!conditions(*e).is_empty(), "{e} has a condition");
        }
    }
}
