//! Golden tests of [`document_status`]: CMND before and after 31 Dec 2024,
//! CCCD and Căn cước cards around their expiry.

use super::*;
use crate::i18n::Localized;
use jiff::civil::{Date, date};

fn status(doc: Document, on: Date) -> DocumentStatus {
    document_status(doc, on)
        .unwrap_or_else(|e| panic!("{doc:?} {on}: {e}"))
        .value
}

fn valid(until: Option<Date>) -> DocumentStatus {
    DocumentStatus::Valid { until }
}

#[test]
fn cmnd_fifteen_years_then_void_from_2025() {
    let old = Document::Cmnd {
        issued: date(2005, 5, 10),
    };
    let recent = Document::Cmnd {
        issued: date(2012, 1, 1),
    };
    #[rustfmt::skip]
    let cases = [
        (old, date(2005, 5, 10), valid(Some(date(2020, 5, 9)))),
        (old, date(2020, 5, 9), valid(Some(date(2020, 5, 9)))),
        (old, date(2020, 5, 10), DocumentStatus::Expired { since: date(2020, 5, 10) }),
        (old, date(2024, 12, 31), DocumentStatus::Expired { since: date(2020, 5, 10) }),
        (old, date(2025, 1, 1), DocumentStatus::Void { since: date(2025, 1, 1) }),
        (recent, date(2023, 6, 1), valid(Some(date(2024, 12, 31)))),
        (recent, date(2024, 12, 31), valid(Some(date(2024, 12, 31)))),
        (recent, date(2025, 1, 1), DocumentStatus::Void { since: date(2025, 1, 1) }),
        (recent, date(2026, 11, 21), DocumentStatus::Void { since: date(2025, 1, 1) }),
    ];
    for (doc, on, want) in cases {
        assert_eq!(status(doc, on), want, "{doc:?} on {on}");
    }
    let e = document_status(recent, date(2025, 1, 1)).unwrap();
    assert_eq!(e.basis[0].document, "Luật Căn cước 26/2023/QH15");
    assert!(e.explanation_vi.contains("31/12/2024"));
    let e = document_status(old, date(2021, 1, 1)).unwrap();
    assert_eq!(e.basis[0].document, "Nghị định 05/1999/NĐ-CP");
}

#[test]
fn cards_valid_through_their_expiry_then_must_renew() {
    let printed = Document::Cccd {
        issued: date(2021, 4, 1),
        expiry: CardExpiry::Printed(Expiry::On(date(2025, 3, 15))),
    };
    let from_birth = Document::Cccd {
        issued: date(2021, 4, 1),
        expiry: CardExpiry::FromBirth("2000-03-15".parse().unwrap()),
    };
    let lifelong = Document::Cccd {
        issued: date(2021, 4, 1),
        expiry: CardExpiry::Printed(Expiry::None),
    };
    let child = Document::CanCuoc {
        issued: date(2024, 9, 1),
        expiry: CardExpiry::FromBirth("2016-02-29".parse().unwrap()),
    };
    let since = date(2025, 3, 16);
    #[rustfmt::skip]
    let cases = [
        (printed, date(2025, 3, 15), valid(Some(date(2025, 3, 15)))),
        (printed, since, DocumentStatus::MustRenew { cause: RenewalCause::Expired, since, deadline: None }),
        (from_birth, date(2024, 7, 1), valid(Some(date(2025, 3, 15)))),
        (from_birth, since, DocumentStatus::MustRenew { cause: RenewalCause::AgeMilestone { age: 25 }, since, deadline: None }),
        (lifelong, date(2026, 11, 21), valid(None)),
        (child, date(2030, 2, 28), valid(Some(date(2030, 2, 28)))),
        (child, date(2030, 3, 1), DocumentStatus::MustRenew { cause: RenewalCause::AgeMilestone { age: 14 }, since: date(2030, 3, 1), deadline: None }),
    ];
    for (doc, on, want) in cases {
        assert_eq!(status(doc, on), want, "{doc:?} on {on}");
    }
    // An old CCCD card stays valid to its printed expiry under the new law.
    let e = document_status(printed, date(2025, 1, 2)).unwrap();
    assert!(e.basis.iter().any(|b| b.article == "Điều 46"));
    let e = document_status(from_birth, since).unwrap();
    assert!(
        e.explanation_en.contains("turned 25"),
        "{}",
        e.explanation_en
    );
}

#[test]
fn impossible_documents_are_refused() {
    let cases = [
        (
            Document::Cccd {
                issued: date(2024, 7, 1),
                expiry: CardExpiry::Printed(Expiry::None),
            },
            date(2025, 1, 1),
            "rules.document_not_issued_then",
        ),
        (
            Document::CanCuoc {
                issued: date(2024, 6, 30),
                expiry: CardExpiry::Printed(Expiry::None),
            },
            date(2025, 1, 1),
            "rules.document_not_issued_then",
        ),
        (
            Document::Cccd {
                issued: date(2015, 12, 31),
                expiry: CardExpiry::Printed(Expiry::None),
            },
            date(2025, 1, 1),
            "rules.document_not_issued_then",
        ),
        (
            Document::Cmnd {
                issued: date(2010, 1, 1),
            },
            date(2009, 1, 1),
            "rules.before_issue",
        ),
        (
            Document::CanCuoc {
                issued: date(2025, 1, 1),
                expiry: CardExpiry::Printed(Expiry::On(date(2024, 1, 1))),
            },
            date(2025, 2, 1),
            "rules.expiry_before_issue",
        ),
        (
            Document::Cccd {
                issued: date(2020, 1, 1),
                expiry: CardExpiry::FromBirth("2010".parse().unwrap()),
            },
            date(2021, 1, 1),
            "rules.too_young",
        ),
    ];
    for (doc, on, code) in cases {
        let e = document_status(doc, on).unwrap_err();
        assert_eq!(e.code(), code, "{doc:?}");
        assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
    }
    let e = document_status(cases[0].0, cases[0].1).unwrap_err();
    assert!(e.message_vi().contains("30/06/2024"), "{}", e.message_vi());
}

#[test]
fn eligibility_by_regime_and_age() {
    use EligibilityStatus::*;
    #[rustfmt::skip]
    let cases = [
        ("2010-03-01", date(2024, 2, 29), TooYoung, 13),
        ("2010-03-01", date(2024, 3, 1), Entitled, 14),
        ("2011-03-01", date(2024, 7, 1), OnRequest, 13),
        ("2010-07-01", date(2024, 7, 1), Required, 14),
        ("2024-07-01", date(2024, 7, 1), OnRequest, 0),
        ("2010", date(2024, 1, 1), Entitled, 14),     // earliest possible birthday
        ("1950-06", date(2026, 11, 21), Required, 76),
    ];
    for (dob, on, want, age) in cases {
        let e = eligibility(dob.parse().unwrap(), on).unwrap();
        assert_eq!((e.value.status, e.value.age), (want, age), "{dob} on {on}");
        assert_eq!(e.basis[0].article, "Điều 19 khoản 1");
    }
    let e = eligibility("2011-03-01".parse().unwrap(), date(2024, 7, 1)).unwrap();
    assert_eq!(e.value.min_age_date, date(2025, 3, 1));
    assert!(e.explanation_vi.contains("01/03/2025"));
    let e = eligibility("2025-01-01".parse().unwrap(), date(2024, 7, 1)).unwrap_err();
    assert_eq!(e.code(), "rules.issued_before_birth");
}
