//! Tests of the QR payload codec: tables of accepted and rejected payloads,
//! the cross-check warnings, and property tests (parse ∘ encode round trip,
//! no panic on any input). All names, numbers and addresses are synthetic.

use super::*;
use crate::i18n::{ErrorBody, Localized};
use jiff::civil::date;
use proptest::prelude::*;

/// A synthetic classic payload: 1999 male ID, 9-digit CMND.
const CLASSIC: &str =
    "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 1, Phường Mẫu, Hà Nội|15072021";
/// A synthetic post-2024 payload: 2005 female ID, no CMND, 4 empty fields.
const EXTENDED: &str =
    "079305001234||Trần Thị Bích Ngọc|29022004|Nữ|Thôn Thử, Xã Giả, Tỉnh Mẫu|02082024||||";

fn ok(s: &str) -> CardQr {
    match CardQr::parse(s) {
        Ok(c) => c,
        Err(e) => panic!("{s:?} should parse: {e}"),
    }
}

fn err(s: &str) -> QrError {
    match CardQr::parse(s) {
        Ok(c) => panic!("{s:?} should fail, got {c:?}"),
        Err(e) => e,
    }
}

#[test]
fn parses_classic_payload_field_by_field() {
    let c = ok(CLASSIC);
    assert_eq!(c.personal_id().as_str(), "001099012345");
    assert_eq!(c.old_id().map(OldId::as_str), Some("123456789"));
    assert!(c.old_id().is_some_and(OldId::is_cmnd9));
    assert_eq!(c.full_name(), "Nguyễn Văn An");
    assert_eq!(c.date_of_birth(), date(1999, 1, 1));
    assert_eq!(c.sex(), Sex::Male);
    assert_eq!(c.residence(), "Số 1, Phường Mẫu, Hà Nội");
    assert_eq!(c.issue_date(), date(2021, 7, 15));
    assert_eq!(c.layout(), Layout::CLASSIC);
    assert_eq!(c.layout().name(), "classic");
    assert_eq!(c.warnings(), vec![]);
    assert_eq!(c.to_payload(), CLASSIC);
}

#[test]
fn parses_extended_layout_and_reproduces_it() {
    let c = ok(EXTENDED);
    assert_eq!(c.old_id(), None);
    assert_eq!(c.sex(), Sex::Female);
    assert_eq!(c.date_of_birth(), date(2004, 2, 29));
    assert_eq!(c.layout(), Layout::EXTENDED_2024);
    assert_eq!(c.layout().name(), "extended-2024");
    assert_eq!(c.layout().extra_empty_fields(), 4);
    assert_eq!(c.to_payload(), EXTENDED);
    // The ID says 2005, the date of birth 2004: one warning, nothing else.
    assert_eq!(
        c.warnings(),
        vec![QrWarning::IdMismatch(crate::id::Mismatch::Year {
            id_year: 2005,
            claimed_year: 2004
        })]
    );
}

#[test]
fn accepts_what_is_documented() {
    let cases: &[(&str, &str)] = &[
        ("trailing CRLF", &format!("{CLASSIC}\r\n")),
        ("trailing LF", &format!("{CLASSIC}\n")),
        ("trailing CR", &format!("{CLASSIC}\r")),
        ("several line breaks", &format!("{CLASSIC}\n\r\n")),
        ("extended + CRLF", &format!("{EXTENDED}\r\n")),
        ("one trailing empty field", &format!("{CLASSIC}|")),
        (
            "16 trailing empty fields",
            &format!("{CLASSIC}{}", "|".repeat(16)),
        ),
        (
            "12-digit old ID",
            "001099012345|001099000001|Lê B|01011999|Nam|X|01012022",
        ),
        (
            "NFD Nữ",
            "001199012345||Lê Thị C|01011999|Nu\u{31B}\u{303}|X|01012022",
        ),
        (
            "half-composed Nữ",
            "001199012345||Lê Thị C|01011999|N\u{1B0}\u{303}|X|01012022",
        ),
        (
            "issued on the birth date",
            "001099012345||A|01011999|Nam|X|01011999",
        ),
    ];
    for (what, s) in cases {
        let c = CardQr::parse(s);
        assert!(c.is_ok(), "{what}: {:?}", c.err());
    }
    let c = ok(&format!("{CLASSIC}|"));
    assert_eq!(c.layout().name(), "other");
    assert_eq!(c.to_payload(), format!("{CLASSIC}|"));
}

#[test]
fn keeps_text_fields_exactly_as_given() {
    // NFD name, inner double space, leading space: kept byte for byte.
    let name = " Nguye\u{302}\u{303}n  Văn An";
    let s = format!("001099012345||{name}|01011999|Nam|Số 1,Phường 2|01012022");
    let c = ok(&s);
    assert_eq!(c.full_name(), name);
    assert_eq!(c.residence(), "Số 1,Phường 2");
    assert_eq!(c.to_payload(), s);
}

#[test]
fn rejects_with_the_field_named() {
    use Field::*;
    type Check = fn(&QrError) -> bool;
    let cases: &[(&str, &str, Check)] = &[
        ("", "qr.empty", |e| *e == QrError::Empty),
        ("\r\n", "qr.empty", |e| *e == QrError::Empty),
        (
            "001099012345|123456789|A|01011999|Nam|X",
            "qr.too_few_fields",
            |e| *e == QrError::TooFewFields { found: 6 },
        ),
        ("001099012345", "qr.too_few_fields", |e| {
            *e == QrError::TooFewFields { found: 1 }
        }),
        (
            "001099012345||A|01011999|Nam|X|01012022||x|",
            "qr.too_many_fields",
            |e| {
                *e == QrError::TooManyFields {
                    found: 10,
                    first_extra: 9,
                }
            },
        ),
        (
            "001099012345||A|01011999|Nam|X|01012022|||||||||||||||||",
            "qr.too_many_fields",
            |e| {
                *e == QrError::TooManyFields {
                    found: 24,
                    first_extra: 24,
                }
            },
        ),
        (
            "00109901234||A|01011999|Nam|X|01012022",
            "qr.bad_personal_id",
            |e| {
                matches!(
                    e,
                    QrError::PersonalId {
                        source: crate::id::IdError::TooShort { .. }
                    }
                )
            },
        ),
        (
            " 001099012345||A|01011999|Nam|X|01012022",
            "qr.bad_personal_id",
            |e| {
                matches!(
                    e,
                    QrError::PersonalId {
                        source: crate::id::IdError::InvalidChar { position: 1, .. }
                    }
                )
            },
        ),
        (
            "001099012345 ||A|01011999|Nam|X|01012022",
            "qr.bad_personal_id",
            |e| {
                matches!(
                    e,
                    QrError::PersonalId {
                        source: crate::id::IdError::InvalidChar { position: 13, .. }
                    }
                )
            },
        ),
        ("||A|01011999|Nam|X|01012022", "qr.bad_personal_id", |e| {
            matches!(e, QrError::PersonalId { .. })
        }),
        (
            "001099012345|12345678|A|01011999|Nam|X|01012022",
            "qr.old_id_length",
            |e| *e == QrError::OldIdLength { len: 8 },
        ),
        (
            "001099012345|1234567890|A|01011999|Nam|X|01012022",
            "qr.old_id_length",
            |e| *e == QrError::OldIdLength { len: 10 },
        ),
        (
            "001099012345|12345678X|A|01011999|Nam|X|01012022",
            "qr.old_id_not_digit",
            |e| *e == QrError::OldIdNotDigit { position: 9 },
        ),
        (
            "001099012345|１23456789|A|01011999|Nam|X|01012022",
            "qr.old_id_not_digit",
            |e| *e == QrError::OldIdNotDigit { position: 1 },
        ),
        (
            "001099012345|||01011999|Nam|X|01012022",
            "qr.empty_field",
            |e| *e == QrError::EmptyField { field: FullName },
        ),
        ("001099012345||A||Nam|X|01012022", "qr.empty_field", |e| {
            *e == QrError::EmptyField { field: DateOfBirth }
        }),
        (
            "001099012345||A|01011999||X|01012022",
            "qr.empty_field",
            |e| *e == QrError::EmptyField { field: Sex },
        ),
        (
            "001099012345||A|01011999|Nam||01012022",
            "qr.empty_field",
            |e| *e == QrError::EmptyField { field: Residence },
        ),
        ("001099012345||A|01011999|Nam|X|", "qr.empty_field", |e| {
            *e == QrError::EmptyField { field: IssueDate }
        }),
        (
            "001099012345||A|1011999|Nam|X|01012022",
            "qr.date_length",
            |e| {
                *e == QrError::DateLength {
                    field: DateOfBirth,
                    len: 7,
                }
            },
        ),
        (
            "001099012345||A|01011999|Nam|X|010120221",
            "qr.date_length",
            |e| {
                *e == QrError::DateLength {
                    field: IssueDate,
                    len: 9,
                }
            },
        ),
        (
            "001099012345||A|01/01/1999|Nam|X|01012022",
            "qr.date_not_digit",
            |e| {
                *e == QrError::DateNotDigit {
                    field: DateOfBirth,
                    position: 3,
                }
            },
        ),
        (
            "001099012345||A|01011999|Nam|X|0101202a",
            "qr.date_not_digit",
            |e| {
                *e == QrError::DateNotDigit {
                    field: IssueDate,
                    position: 8,
                }
            },
        ),
        (
            "001099012345||A|01011999|Nam|X|0101202٢",
            "qr.date_not_digit",
            |e| {
                *e == QrError::DateNotDigit {
                    field: IssueDate,
                    position: 8,
                }
            },
        ),
        (
            "001099012345||A|31022000|Nam|X|01012022",
            "qr.date_impossible",
            |e| {
                *e == QrError::DateImpossible {
                    field: DateOfBirth,
                    day: 31,
                    month: 2,
                    year: 2000,
                }
            },
        ),
        (
            "001099012345||A|29021999|Nam|X|01012022",
            "qr.date_impossible",
            |e| {
                matches!(
                    e,
                    QrError::DateImpossible {
                        day: 29,
                        month: 2,
                        year: 1999,
                        ..
                    }
                )
            },
        ),
        (
            "001099012345||A|01011999|Nam|X|01132022",
            "qr.date_impossible",
            |e| {
                matches!(
                    e,
                    QrError::DateImpossible {
                        field: IssueDate,
                        month: 13,
                        ..
                    }
                )
            },
        ),
        (
            "001099012345||A|00011999|Nam|X|01012022",
            "qr.date_impossible",
            |e| matches!(e, QrError::DateImpossible { day: 0, .. }),
        ),
        (
            "001099012345||A|01010000|Nam|X|01012022",
            "qr.date_impossible",
            |e| matches!(e, QrError::DateImpossible { year: 0, .. }),
        ),
        (
            "001099012345||A|01011999|nam|X|01012022",
            "qr.bad_sex",
            |e| {
                *e == QrError::Sex {
                    found: "nam".into(),
                }
            },
        ),
        (
            "001099012345||A|01011999|NỮ|X|01012022",
            "qr.bad_sex",
            |e| {
                *e == QrError::Sex {
                    found: "NỮ".into()
                }
            },
        ),
        (
            "001099012345||A|01011999|Nu|X|01012022",
            "qr.bad_sex",
            |e| *e == QrError::Sex { found: "Nu".into() },
        ),
        (
            "001099012345||A|01011999|Nam |X|01012022",
            "qr.bad_sex",
            |e| {
                *e == QrError::Sex {
                    found: "Nam ".into(),
                }
            },
        ),
        (
            "001099012345||A\tB|01011999|Nam|X|01012022",
            "qr.control_char",
            |e| {
                *e == QrError::ControlChar {
                    field: FullName,
                    position: 2,
                    code: 9,
                }
            },
        ),
        (
            "001099012345||A|01011999|Nam|X\nY|01012022",
            "qr.control_char",
            |e| {
                *e == QrError::ControlChar {
                    field: Residence,
                    position: 2,
                    code: 10,
                }
            },
        ),
        (
            "001099012345||A|02011999|Nam|X|01011999",
            "qr.issued_before_birth",
            |e| {
                *e == QrError::IssuedBeforeBirth {
                    issued: date(1999, 1, 1),
                    born: date(1999, 1, 2),
                }
            },
        ),
    ];
    let c1 = err("001099012345||A\u{85}B|01011999|Nam|X|01012022");
    assert_eq!(
        c1,
        QrError::ControlChar {
            field: FullName,
            position: 2,
            code: 0x85
        }
    );
    for (input, code, check) in cases {
        let e = err(input);
        assert_eq!(e.code(), *code, "{input:?}: {e}");
        assert!(check(&e), "{input:?}: unexpected {e:?}");
        let body = ErrorBody::of(&e);
        assert!(!body.message_vi.is_empty() && !body.message_en.is_empty());
        assert_ne!(body.message_vi, body.message_en, "{input:?}");
    }
}

#[test]
fn messages_name_index_and_field_in_both_languages() {
    let e = err("001099012345||A|31022000|Nam|X|01012022");
    assert_eq!(
        e.message_en(),
        "Field 4 (date of birth): 31/02/2000 (dd/mm/yyyy) is not a calendar date"
    );
    assert_eq!(
        e.message_vi(),
        "Trường 4 (ngày sinh): 31/02/2000 không phải ngày có thật"
    );
    let e = err("001099012345||A|01011999|Nam|X|01012022||x");
    assert!(e.message_en().contains("field 9 (trailing extra field)"));
    assert!(e.message_vi().contains("trường 9 (trường thừa ở cuối)"));
    let e = err("0010990123456||A|01011999|Nam|X|01012022");
    assert!(e.message_en().starts_with("Field 1 (personal ID number): "));
    assert!(
        e.message_vi()
            .starts_with("Trường 1 (số định danh cá nhân): ")
    );
    assert!(e.message_en().contains("13 digits"), "{}", e.message_en());
}

#[test]
fn reports_invalid_utf8_by_offset_and_field() {
    let mut bytes = b"001099012345||Nguy".to_vec();
    bytes.push(0xE1); // a truncated 3-byte sequence
    bytes.extend_from_slice(b"|01011999|Nam|X|01012022");
    assert_eq!(
        CardQr::parse_bytes(&bytes),
        Err(QrError::InvalidUtf8 {
            byte_offset: 18,
            field_index: 3
        })
    );
    let mut bytes = CLASSIC.as_bytes().to_vec();
    bytes.extend_from_slice(b"||\xff");
    let e = CardQr::parse_bytes(&bytes).err();
    assert!(matches!(
        e,
        Some(QrError::InvalidUtf8 { field_index: 9, .. })
    ));
    assert!(CardQr::parse_bytes(EXTENDED.as_bytes()).is_ok());
}

#[test]
fn warns_on_each_disagreement_with_the_id() {
    let cases: &[(&str, &str, &[&str])] = &[
        // G=0 (1900s male), YY=99.
        ("001099012345", "01011999|Nam", &[]),
        ("001099012345", "01011999|Nữ", &["qr.id_sex_mismatch"]),
        ("001099012345", "01012099|Nam", &["qr.id_century_mismatch"]),
        ("001099012345", "01011998|Nam", &["qr.id_year_mismatch"]),
        (
            "001099012345",
            "01012000|Nữ",
            &[
                "qr.id_century_mismatch",
                "qr.id_year_mismatch",
                "qr.id_sex_mismatch",
            ],
        ),
        // G=3 (2000s female), YY=05.
        ("079305001234", "15062005|Nữ", &[]),
        // G=5 (2100s female), YY=01.
        ("001501000001", "01012101|Nữ", &[]),
        ("001501000001", "01012001|Nữ", &["qr.id_century_mismatch"]),
        // G=8 (2300s male).
        ("001800000001", "01012300|Nam", &[]),
        // Region 000 is in no table.
        ("000099012345", "01011999|Nam", &["qr.id_unknown_region"]),
        (
            "000099012345",
            "01011999|Nữ",
            &["qr.id_sex_mismatch", "qr.id_unknown_region"],
        ),
    ];
    for (id, dob_sex, want) in cases {
        let c = ok(&format!("{id}||A|{dob_sex}|X|01012400"));
        let got: Vec<&str> = c.warnings().iter().map(|w| w.code()).collect();
        assert_eq!(&got, want, "{id} {dob_sex}");
        for w in c.warnings() {
            assert_ne!(w.message_vi(), w.message_en());
        }
    }
    let c = ok("001099012345||A|01012000|Nữ|X|01012022");
    let sex = c.warnings()[2];
    assert_eq!(
        sex.message_en(),
        "Field 1 (personal ID number) disagrees with field 5 (sex): \
         The ID encodes sex male, but the claimed sex is female"
    );
    assert!(
        sex.message_vi()
            .starts_with("Trường 1 (số định danh) không khớp với trường 5")
    );
}

fn sample_fields() -> CardFields {
    let c = ok(CLASSIC);
    CardFields {
        personal_id: *c.personal_id(),
        old_id: c.old_id().copied(),
        full_name: c.full_name().to_owned(),
        date_of_birth: c.date_of_birth(),
        sex: c.sex(),
        residence: c.residence().to_owned(),
        issue_date: c.issue_date(),
        layout: Layout::EXTENDED_2024,
    }
}

#[test]
fn builds_and_refuses_what_cannot_be_written() {
    let c = CardQr::new(sample_fields());
    assert_eq!(
        c.map(|c| c.to_payload()).ok().as_deref(),
        Some(format!("{CLASSIC}||||").as_str())
    );
    let mut f = sample_fields();
    f.residence = "Số 1 | Phường 2".into();
    assert_eq!(
        CardQr::new(f).err(),
        Some(QrError::Separator {
            field: Field::Residence,
            position: 6
        })
    );
    let mut f = sample_fields();
    f.full_name = String::new();
    assert_eq!(
        CardQr::new(f).err(),
        Some(QrError::EmptyField {
            field: Field::FullName
        })
    );
    let mut f = sample_fields();
    f.date_of_birth = date(-5, 1, 1);
    assert_eq!(
        CardQr::new(f).err().map(|e| e.code()),
        Some("qr.date_out_of_range")
    );
    let mut f = sample_fields();
    f.issue_date = date(1990, 1, 1);
    assert_eq!(
        CardQr::new(f).err().map(|e| e.code()),
        Some("qr.issued_before_birth")
    );
    assert!(Layout::with_extra_empty(MAX_EXTRA_EMPTY_FIELDS).is_some());
    assert!(Layout::with_extra_empty(MAX_EXTRA_EMPTY_FIELDS + 1).is_none());
}

#[test]
fn debug_does_not_leak_personal_data() {
    let shown = format!("{:?}", ok(CLASSIC));
    assert!(!shown.contains("001099012345"), "{shown}");
    assert!(!shown.contains("Nguyễn"), "{shown}");
    assert!(!shown.contains("1999"), "{shown}");
    assert!(!shown.contains("123456789"), "{shown}");
}

#[test]
fn old_id_accepts_only_9_or_12_ascii_digits() {
    assert!(OldId::parse("123456789").is_ok_and(|o| o.is_cmnd9()));
    assert!(OldId::parse("123456789").is_ok_and(|o| o.cmnd().is_some()));
    assert!(OldId::parse("123456789012").is_ok_and(|o| o.cmnd().is_none()));
    assert_eq!(
        format!("{:?}", OldId::parse("123456789").ok()),
        "Some(OldId(*********))"
    );
    assert_eq!(
        format!("{:?}", OldId::parse("123456789012").ok()),
        "Some(OldId(123*******12))"
    );
    assert!(OldId::parse("123456789012").is_ok_and(|o| !o.is_cmnd9()));
    assert_eq!(
        OldId::parse("").err(),
        Some(QrError::OldIdLength { len: 0 })
    );
    assert_eq!(
        OldId::parse("12345678é").err(),
        Some(QrError::OldIdNotDigit { position: 9 })
    );
}

// ---- property tests ----

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý",
];
const MIDDLE: &[&str] = &["Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thu", "Đức", "Quỳnh"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Châu", "Dũng", "Ánh", "Phước", "Thủy", "Ẩn", "Yến", "Tường", "Khôi",
];
const PLACES: &[&str] = &[
    "Thôn Mẫu",
    "Số 12, Ngõ 3",
    "Tổ 7, Khu phố Thử",
    "Ấp Giả",
    "Xã Đồng Nghiệm",
    "Phường Ươm Tơ",
];
const REGIONS: &[&str] = &[
    "Hà Nội",
    "TP. Hồ Chí Minh",
    "Tỉnh Mẫu",
    "Đắk Lắk",
    "Thừa Thiên Huế",
];

fn arb_date(lo: i16, hi: i16) -> impl Strategy<Value = Date> {
    (lo..=hi, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
        let last = date(y, m, 1).days_in_month();
        date(y, m, d.min(last))
    })
}

fn arb_fields() -> impl Strategy<Value = CardFields> {
    let name = (
        prop::sample::select(SURNAMES),
        prop::collection::vec(prop::sample::select(MIDDLE), 0..3),
        prop::sample::select(GIVEN),
    )
        .prop_map(|(s, m, g)| {
            let mut parts = vec![s];
            parts.extend(m);
            parts.push(g);
            parts.join(" ")
        });
    let residence = (
        prop::collection::vec(prop::sample::select(PLACES), 1..4),
        prop::sample::select(REGIONS),
    )
        .prop_map(|(p, r)| format!("{}, {r}", p.join(", ")));
    let id = prop::array::uniform12(0u8..=9)
        .prop_map(|d| PersonalId::from_digits(d).unwrap_or_else(|| unreachable!()));
    let old = prop::option::of(prop_oneof![
        "[0-9]{9}".prop_map(|s| OldId::parse(&s).ok()),
        "[0-9]{12}".prop_map(|s| OldId::parse(&s).ok()),
    ])
    .prop_map(Option::flatten);
    let layout = prop_oneof![
        Just(Layout::CLASSIC),
        Just(Layout::EXTENDED_2024),
        (0..=MAX_EXTRA_EMPTY_FIELDS).prop_map(|n| Layout::with_extra_empty(n).unwrap_or_default()),
    ];
    (
        id,
        old,
        name,
        arb_date(1900, 2100),
        any::<bool>(),
        residence,
        0i32..40_000,
        layout,
    )
        .prop_map(
            |(personal_id, old_id, full_name, dob, male, residence, days, layout)| {
                let issue_date = dob.checked_add(jiff::Span::new().days(days)).unwrap_or(dob);
                CardFields {
                    personal_id,
                    old_id,
                    full_name,
                    date_of_birth: dob,
                    sex: if male { Sex::Male } else { Sex::Female },
                    residence,
                    issue_date,
                    layout,
                }
            },
        )
}

proptest! {
    #[test]
    fn parse_inverts_encode(fields in arb_fields(), crlf in any::<bool>()) {
        let card = CardQr::new(fields.clone());
        prop_assert!(card.is_ok(), "{:?}", card.err());
        let Ok(card) = card else { unreachable!() };
        let mut payload = card.to_payload();
        if crlf {
            payload.push_str("\r\n");
        }
        let back = CardQr::parse(&payload);
        prop_assert_eq!(back.as_ref().ok(), Some(&card));
        let Ok(back) = back else { unreachable!() };
        prop_assert_eq!(back.full_name(), fields.full_name.as_str());
        prop_assert_eq!(back.residence(), fields.residence.as_str());
        prop_assert_eq!(back.layout(), fields.layout);
        prop_assert_eq!(back.to_payload(), card.to_payload());
    }

    #[test]
    fn never_panics_and_stays_stable(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(card) = CardQr::parse_bytes(&bytes) {
            let again = CardQr::parse(&card.to_payload());
            prop_assert_eq!(again.as_ref().ok(), Some(&card));
        }
    }

    #[test]
    fn mutated_payloads_never_panic(
        fields in arb_fields(),
        at in any::<prop::sample::Index>(),
        ins in prop::sample::select(&['|', '\r', '\n', '0', 'x', 'ữ', ' ', '\u{303}'][..]),
    ) {
        let Ok(card) = CardQr::new(fields) else { unreachable!() };
        let mut payload: Vec<char> = card.to_payload().chars().collect();
        let i = at.index(payload.len() + 1);
        payload.insert(i, ins);
        let s: String = payload.into_iter().collect();
        match CardQr::parse(&s) {
            Ok(c) => prop_assert_eq!(CardQr::parse(&c.to_payload()).ok(), Some(c)),
            Err(e) => prop_assert!(!e.message_vi().is_empty() && !e.code().is_empty()),
        }
    }
}

/// The char-by-char definition `check_text`'s byte scan must agree with.
fn check_text_naive(field: Field, s: &str, sep: bool) -> Result<(), QrError> {
    if s.is_empty() {
        return Err(QrError::EmptyField { field });
    }
    for (i, c) in s.chars().enumerate() {
        if c.is_control() {
            return Err(QrError::ControlChar {
                field,
                position: i + 1,
                code: c as u32,
            });
        }
        if sep && c == '|' {
            return Err(QrError::Separator {
                field,
                position: i + 1,
            });
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn text_check_byte_scan_matches_char_definition(
        s in "[a-zẠ-ỹ \\x00-\\x1f\\x7f-\\u{a0}|Ĉ-č]{0,12}",
        sep in any::<bool>(),
    ) {
        prop_assert_eq!(
            check_text(Field::Residence, &s, sep),
            check_text_naive(Field::Residence, &s, sep)
        );
    }
}
