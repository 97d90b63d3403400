//! Parser tests: shapes, per-field verdicts, the Vietnamese profile and its
//! round trip, and robustness on arbitrary input.

use super::vn::{CardData, VnCard, encode};
use super::*;
use crate::i18n::Localized;
use jiff::civil::date;
use proptest::prelude::*;

const TODAY: Date = date(2026, 11, 21);

const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];

/// Rewrites every check digit of a TD1 zone so that all checks agree: a way
/// to build zones whose only faults are field faults.
fn fix_td1(lines: [&str; 3]) -> String {
    let mut l1 = lines[0].as_bytes().to_vec();
    let mut l2 = lines[1].as_bytes().to_vec();
    let cd = |d: &[u8]| b'0' + check_digit(d).unwrap_or(0);
    l1[14] = cd(&l1[5..14]);
    l2[6] = cd(&l2[0..6]);
    l2[14] = cd(&l2[8..14]);
    l2[29] =
        b'0' + check_digit_parts(&[&l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]]).unwrap_or(0);
    format!(
        "{}\n{}\n{}",
        String::from_utf8_lossy(&l1),
        String::from_utf8_lossy(&l2),
        lines[2]
    )
}

fn td1_with(line: usize, col: usize, text: &str) -> String {
    let mut lines = TD1.map(str::to_owned);
    lines[line - 1].replace_range(col - 1..col - 1 + text.len(), text);
    fix_td1([&lines[0], &lines[1], &lines[2]])
}

#[test]
fn shape_errors_name_the_line() {
    let cases: Vec<(String, &str, &str)> = vec![
        (String::new(), "mrz.empty", ""),
        ("\n \n".into(), "mrz.empty", ""),
        (TD1[0].into(), "mrz.line_count", "1 "),
        (
            format!("{}\n{}\n{}\n{}", TD1[0], TD1[1], TD1[2], TD1[2]),
            "mrz.line_count",
            "4 ",
        ),
        (
            format!("{}\n{}<\n{}", TD1[0], TD1[1], TD1[2]),
            "mrz.line_length",
            "line 2 has 31",
        ),
        (
            format!("{}\n{}\n{}", TD1[0], TD1[1], &TD1[2][..29]),
            "mrz.line_length",
            "line 3 has 29",
        ),
        (
            "IDFRA<<<<<<<<<<<\nABC".into(),
            "mrz.line_length",
            "line 1 has 16 characters, expected 36 or 44",
        ),
        (
            format!("{}\n{}", "P".repeat(44), "1".repeat(36)),
            "mrz.line_length",
            "line 2 has 36 characters, expected 44",
        ),
        (
            format!("{}\n7408122F1204159UTO<<<<<<<<<<é6\n{}", TD1[0], TD1[2]),
            "mrz.not_ascii",
            "line 2, column 29",
        ),
    ];
    for (input, code, needle) in cases {
        let err = parse(&input)
            .err()
            .unwrap_or_else(|| panic!("{input:?} parsed"));
        assert_eq!(err.code(), code, "{input:?}");
        assert!(
            err.message_en().contains(needle) || err.to_string().contains(needle),
            "{err}"
        );
        assert!(!err.message_vi().is_empty());
    }
}

#[test]
fn accepts_crlf_spaces_and_blank_lines() {
    let input = format!("\r\n  {}\r\n{}  \r\n\n{}\r\n", TD1[0], TD1[1], TD1[2]);
    let m = parse(&input).unwrap();
    assert!(m.is_valid());
    assert_eq!(m.lines(), TD1);
}

#[test]
fn specimen_td1_fields_and_dates() {
    let m_src = TD1.join("\n");
    let m = parse(&m_src).unwrap();
    assert_eq!(m.format(), Format::Td1);
    assert_eq!(m.document_number().to_string(), "D23145890");
    assert_eq!(
        m.birth_date_on(TODAY),
        Some(PartialDate::Full(date(1974, 8, 12)))
    );
    assert_eq!(m.expiry_on(TODAY), Some(Expiry::On(date(2012, 4, 15))));
    assert_eq!(m.sex(), Some(Sex::Female));
    assert_eq!(m.optional_data_2(), Some(""));
    assert_eq!(m.personal_id(), None);
    let parts: Vec<&str> = m.given_names().collect();
    assert_eq!(parts, ["ANNA", "MARIA"]);
    let names: Vec<&str> = m.checks().iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        names,
        ["document_number", "birth_date", "expiry_date", "composite"]
    );
    assert!(m.checks().iter().all(|c| c.ok));
}

/// Field faults that every check digit agrees with: the verdict must still
/// name the field, line and column.
#[test]
fn field_errors_even_when_check_digits_agree() {
    let cases: &[(usize, usize, &str, Field, &str, u8)] = &[
        // line, column, replacement, field, code, reported column
        (2, 3, "A", Field::BirthDate, "mrz.not_numeric", 3),
        (2, 9, "1<", Field::ExpiryDate, "mrz.not_numeric", 10),
        (2, 1, "880941", Field::BirthDate, "mrz.not_a_date", 1),
        (2, 9, "200746", Field::ExpiryDate, "mrz.not_a_date", 9),
        (2, 9, "011329", Field::ExpiryDate, "mrz.not_a_date", 9),
        (2, 1, "010229", Field::BirthDate, "mrz.not_a_date", 1),
        (2, 8, "X", Field::Sex, "mrz.bad_sex", 8),
        (2, 16, "U0O", Field::Nationality, "mrz.not_alphabetic", 17),
        (1, 3, "U7O", Field::IssuingState, "mrz.not_alphabetic", 4),
        (3, 12, "4", Field::Names, "mrz.not_alphabetic", 12),
        (3, 1, "e", Field::Names, "mrz.invalid_character", 1),
        (1, 1, "P", Field::DocumentCode, "mrz.bad_document_code", 1),
        (1, 2, "V", Field::DocumentCode, "mrz.bad_document_code", 2),
        (1, 7, "x", Field::DocumentNumber, "mrz.invalid_character", 7),
        (
            2,
            20,
            "a",
            Field::OptionalData2,
            "mrz.invalid_character",
            20,
        ),
    ];
    for &(line, col, text, field, code, column) in cases {
        let input = td1_with(line, col, text);
        let m = parse(&input).unwrap();
        assert!(!m.is_valid(), "{input}");
        assert!(!m.field_ok(field), "{input}");
        let e = m.field_errors()[0];
        assert_eq!(
            (e.field, e.code(), usize::from(e.line), e.column),
            (field, code, line, column),
            "{input}"
        );
        assert!(
            e.message_en()
                .contains(&format!("line {line}, column {column}")),
            "{}",
            e.message_en()
        );
        assert!(
            e.message_vi()
                .contains(&format!("dòng {line}, cột {column}")),
            "{}",
            e.message_vi()
        );
        // Lower-case letters break the check-digit arithmetic as well.
        if code != "mrz.invalid_character" || field == Field::Names {
            assert!(m.checks().iter().all(|c| c.ok), "{input}");
        }
    }
    // Unknown day and month of birth (ICAO Part 3 fillers) are allowed.
    let m_src = td1_with(2, 1, "7408<<");
    let m = parse(&m_src).unwrap();
    assert!(m.is_valid());
    assert_eq!(
        m.birth_date_on(TODAY),
        Some(PartialDate::YearMonth {
            year: 1974,
            month: 8
        })
    );
}

#[test]
fn check_digit_failures_are_reported_per_field() {
    let mut l2 = TD1[1].to_owned();
    l2.replace_range(6..7, "3");
    let m_src = format!("{}\n{}\n{}", TD1[0], l2, TD1[2]);
    let m = parse(&m_src).unwrap();
    let failed: Vec<(&str, u8, Option<u8>)> = m
        .checks()
        .iter()
        .filter(|c| !c.ok)
        .map(|c| (c.field.as_str(), c.found, c.computed))
        .collect();
    assert_eq!(
        failed,
        [("birth_date", b'3', Some(2)), ("composite", b'6', Some(9))]
    );
    let c = m.checks()[1];
    assert_eq!((c.line, c.column), (2, 7));
    assert!(
        c.message_en().contains("printed '3', computed 2"),
        "{}",
        c.message_en()
    );
    assert!(m.field_ok(Field::ExpiryDate));
    assert!(!m.field_ok(Field::BirthDate));
    assert!(m.field_errors().is_empty());
}

#[test]
fn long_document_number_without_continuation_is_an_error() {
    // Check position `<` but the optional data is empty.
    let m_src = format!("I<UTOD23145890<<<<<<<<<<<<<<<<\n{}\n{}", TD1[1], TD1[2]);
    let m = parse(&m_src).unwrap();
    assert!(!m.is_valid());
    assert_eq!(m.field_errors()[0].kind, FieldErrorKind::BadOverflow);
}

fn pid(s: &str) -> crate::id::PersonalId {
    crate::id::PersonalId::parse(s).unwrap()
}

fn vn_card(name: &str, expiry: Option<Date>) -> String {
    encode(&CardData {
        personal_id: pid("001099012345"),
        full_name: name,
        surname: None,
        birth_date: date(1999, 1, 1),
        sex: Sex::Male,
        expiry,
    })
    .unwrap()
    .to_string()
}

#[test]
fn vietnamese_profile_encodes_as_designed() {
    let zone = vn_card("Nguyễn Văn An", Some(date(2024, 1, 1)));
    assert_eq!(
        zone,
        "IDVNM0990123459001099012345<<0\n9901018M2401014VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
    );
    let m = parse(&zone).unwrap();
    assert!(m.is_vietnamese_card());
    assert!(m.is_valid(), "{:?} {:?}", m.checks(), m.field_errors());
    assert_eq!(m.personal_id(), Some("001099012345"));
    assert_eq!(m.document_number().to_string(), "099012345");
    let fields: Vec<&str> = m.checks().iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "document_number",
            "birth_date",
            "expiry_date",
            "personal_id",
            "composite"
        ]
    );

    let none_src = vn_card("Đỗ Thị Hà", None);
    let none = parse(&none_src).unwrap();
    assert_eq!(none.expiry_date().raw(), vn::NO_EXPIRY);
    assert_eq!(none.expiry_on(TODAY), Some(Expiry::Never));
    assert_eq!(none.surname_string(), "DO");
    assert_eq!(none.given_names_string(), "THI HA");
    let card = VnCard::from_mrz(&none, TODAY).unwrap();
    assert_eq!(card.personal_id.as_str(), "001099012345");
    assert!(card.valid);
}

#[test]
fn vietnamese_profile_faults() {
    let zone = vn_card("Nguyễn Văn An", Some(date(2024, 1, 1)));
    let lines: Vec<&str> = zone.lines().collect();
    let with_line1 = |l1: &str| format!("{l1}\n{}\n{}", lines[1], lines[2]);
    // Wrong check digit at position 30.
    let m_src = with_line1("IDVNM0990123459001099012345<<1");
    let m = parse(&m_src).unwrap();
    assert!(!m.field_ok(Field::PersonalId));
    // Last 9 digits differ from the document number; the personal ID's own
    // check digit is right, so the mismatch alone fails the field.
    let mut l1 = b"IDVNM0990123459001099012399<<".to_vec();
    l1.push(b'0' + check_digit(&l1[15..27]).unwrap_or(0));
    let l1 = String::from_utf8(l1).unwrap();
    let m_src = with_line1(&l1);
    let m = parse(&m_src).unwrap();
    assert!(
        m.checks()
            .iter()
            .filter(|c| c.field == Field::PersonalId)
            .all(|c| c.ok)
    );
    assert!(!m.field_ok(Field::PersonalId));
    // Not digits, no `<<`.
    let m_src = with_line1("IDVNM0990123459001O99012345AB0");
    let m = parse(&m_src).unwrap();
    let codes: Vec<&str> = m.field_errors().iter().map(|e| e.code()).collect();
    assert!(codes.contains(&"mrz.not_numeric"), "{codes:?}");
    assert!(codes.contains(&"mrz.filler_expected"), "{codes:?}");
    assert_eq!(m.personal_id(), None);
}

#[test]
fn encode_rejects_bad_data() {
    let base = CardData {
        personal_id: pid("001099012345"),
        full_name: "Nguyễn Văn An",
        surname: None,
        birth_date: date(1999, 1, 1),
        sex: Sex::Female,
        expiry: None,
    };
    let e = encode(&CardData {
        full_name: "123",
        ..base
    })
    .unwrap_err();
    assert_eq!(e.code(), "mrz.name_empty");
    let e = encode(&CardData {
        expiry: Some(date(1990, 1, 1)),
        ..base
    })
    .unwrap_err();
    assert_eq!(e.code(), "mrz.encode.expiry_before_birth");
    // 31 December of a year ending in 99 would read back as "no expiry".
    for d in [date(2099, 12, 31), date(2199, 12, 31)] {
        let e = encode(&CardData {
            expiry: Some(d),
            ..base
        })
        .unwrap_err();
        assert_eq!(e.code(), "mrz.encode.expiry_reads_as_none", "{d}");
        assert!(e.message_vi().contains("991231") && e.message_en().contains("991231"));
    }
    // The days around it encode as themselves.
    for (d, yymmdd) in [
        (date(2099, 12, 30), "991230"),
        (date(2100, 12, 31), "001231"),
        (date(2098, 12, 31), "981231"),
    ] {
        let zone = encode(&CardData {
            expiry: Some(d),
            ..base
        })
        .expect("encodes");
        assert_eq!(&zone.lines[1][8..14], yymmdd, "{d}");
    }
}

/// Synthetic Vietnamese name parts, with every tone mark and Đ.
const SURNAMES: &[&str] = &[
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Tôn Thất",
];
const MIDDLES: &[&str] = &[
    "Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thanh", "Minh", "Quỳnh", "Xuân", "Bảo", "Phước", "Nữ",
];
const GIVENS: &[&str] = &[
    "An",
    "Bình",
    "Chí",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Khải",
    "Lộc",
    "Mỹ",
    "Nghĩa",
    "Oanh",
    "Phượng",
    "Quế",
    "Sương",
    "Tuấn",
    "Uyên",
    "Việt",
    "Yến",
    "Ẩn",
    "Ưng",
];

fn fold_upper(s: &str) -> String {
    name::components(s).join(" ")
}

proptest! {
    #[test]
    fn vietnamese_round_trip(
        surname in prop::sample::select(SURNAMES),
        middles in prop::collection::vec(prop::sample::select(MIDDLES), 0..3),
        given in prop::sample::select(GIVENS),
        id in "[0-9]{12}",
        birth in 0i32..(80 * 365),
        valid_years in prop::option::of(1i32..40),
        male in any::<bool>(),
    ) {
        let birth_date = date(1940, 1, 1).checked_add(jiff::Span::new().days(birth)).unwrap();
        let expiry = valid_years.map(|y| birth_date.checked_add(jiff::Span::new().years(y)).unwrap());
        let sex = if male { Sex::Male } else { Sex::Female };
        let given_names = middles.iter().copied().chain([given]).collect::<Vec<_>>().join(" ");
        let full_name = format!("{surname} {given_names}");
        let zone = encode(&CardData { personal_id: pid(&id), full_name: &full_name, surname: Some(surname), birth_date, sex, expiry }).unwrap();
        let text = zone.to_string();
        prop_assert!(zone.lines.iter().all(|l| l.len() == 30), "{}", text);
        let m = parse(&text).unwrap();
        prop_assert!(m.is_valid(), "{} {:?} {:?}", text, m.checks(), m.field_errors());
        prop_assert_eq!(m.personal_id(), Some(id.as_str()));
        prop_assert_eq!(m.document_number().to_string(), &id[3..]);
        prop_assert_eq!(m.sex(), Some(sex));
        // Dates resolve back when today is the day the card was made (birth
        // not after it); expiry within 50 years of today.
        let today = birth_date.checked_add(jiff::Span::new().days(1)).unwrap();
        prop_assert_eq!(m.birth_date_on(today), Some(PartialDate::Full(birth_date)));
        let want = expiry.map_or(Expiry::Never, Expiry::On);
        prop_assert_eq!(m.expiry_on(today), Some(want));
        if !zone.name_truncated {
            let (s, g) = name::split_with_surname(&full_name, surname).unwrap();
            prop_assert_eq!(m.surname_string(), fold_upper(s));
            prop_assert_eq!(m.given_names_string(), fold_upper(g));
        }
        prop_assert!(!text.contains("NGUYN"));
    }

    #[test]
    fn newline_search_matches_position(bytes in prop::collection::vec(prop::sample::select(b"\n<A0\r\x8a\x0b\xff".to_vec()), 0..70)) {
        prop_assert_eq!(super::parse::find_newline(&bytes), bytes.iter().position(|&b| b == b'\n'));
    }

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,120}") {
        let _ = parse(&s);
    }

    #[test]
    fn never_panics_on_well_shaped_noise(
        lines in prop::sample::select(vec![(3usize, 30usize), (2, 36), (2, 44)]),
        seed in prop::collection::vec(prop::sample::select(b"ABCVIPXZ0123456789<<<<a ".to_vec()), 132),
    ) {
        let (n, w) = lines;
        let text: Vec<String> = (0..n)
            .map(|i| seed[i * w..(i + 1) * w].iter().map(|&b| char::from(b)).collect())
            .collect();
        match parse(&text.join("\n")) {
            Ok(m) => {
                // Every verdict is printable in both languages.
                for e in m.field_errors() {
                    prop_assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
                }
                let _ = (m.surname_string(), m.given_names_string(), m.birth_date_on(TODAY), m.expiry_on(TODAY));
                let _ = bac::mrz_information(&m);
                prop_assert_eq!(m.is_valid(), m.field_errors().is_empty() && m.checks().iter().all(|c| c.ok));
            }
            Err(e) => prop_assert!(matches!(e, MrzError::LineLength { .. } | MrzError::Empty | MrzError::LineCount { .. } | MrzError::FrenchNationalId), "{e}"),
        }
    }
}
