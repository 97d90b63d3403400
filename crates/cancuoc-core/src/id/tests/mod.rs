//! Table and property tests of the `id` module: parsing, decoding,
//! consistency, and round trips. CMND and allocator tests are in
//! [`cmnd_alloc`].

use super::alloc::IdPrefix;
use super::*;
use crate::i18n::Localized;
use crate::person::{PartialDate, Sex};
use proptest::prelude::*;

mod cmnd_alloc;

fn id(s: &str) -> PersonalId {
    PersonalId::parse(s).unwrap()
}

#[test]
fn strict_parse_error_table() {
    use IdError::*;
    let cases: &[(&str, IdError)] = &[
        ("", Empty { expected: 12 }),
        ("   \t\n", Empty { expected: 12 }),
        (
            "00109901234",
            TooShort {
                digits: 11,
                expected: 12,
            },
        ),
        (
            "0",
            TooShort {
                digits: 1,
                expected: 12,
            },
        ),
        (
            "0010990123456",
            TooLong {
                digits: 13,
                expected: 12,
            },
        ),
        (
            "001０99012345",
            NonAsciiDigit {
                position: 4,
                ch: '０',
            },
        ),
        (
            "٠٠١099012345",
            NonAsciiDigit {
                position: 1,
                ch: '٠',
            },
        ),
        (
            "00109901234۵",
            NonAsciiDigit {
                position: 12,
                ch: '۵',
            },
        ),
        (
            "001 099 012345",
            InnerWhitespace {
                position: 4,
                ch: ' ',
            },
        ),
        (
            "001099\u{a0}012345",
            InnerWhitespace {
                position: 7,
                ch: '\u{a0}',
            },
        ),
        (
            "001-099-012345",
            InvalidChar {
                position: 4,
                ch: '-',
            },
        ),
        (
            "12345678901a",
            InvalidChar {
                position: 12,
                ch: 'a',
            },
        ),
        // Positions count characters of the input as given, before trimming.
        (
            "  00109901234x",
            InvalidChar {
                position: 14,
                ch: 'x',
            },
        ),
        (
            "ễ01099012345",
            InvalidChar {
                position: 1,
                ch: 'ễ',
            },
        ),
        (
            "00109901234\u{0}",
            InvalidChar {
                position: 12,
                ch: '\u{0}',
            },
        ),
    ];
    for (input, want) in cases {
        assert_eq!(PersonalId::parse(input), Err(*want), "{input:?}");
    }
}

#[test]
fn every_error_kind_has_a_distinct_code_and_both_messages() {
    let errors = [
        IdError::Empty { expected: 12 },
        IdError::TooShort {
            digits: 11,
            expected: 12,
        },
        IdError::TooLong {
            digits: 13,
            expected: 12,
        },
        IdError::NonAsciiDigit {
            position: 4,
            ch: '０',
        },
        IdError::InnerWhitespace {
            position: 4,
            ch: ' ',
        },
        IdError::InvalidChar {
            position: 12,
            ch: 'a',
        },
        IdError::MisplacedSeparator {
            position: 1,
            ch: '-',
        },
        IdError::UnknownRegion { code: 97 },
    ];
    let mut codes: Vec<&str> = errors.iter().map(|e| e.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), errors.len());
    for e in errors {
        assert!(e.code().starts_with("id."));
        let (vi, en) = (e.message_vi(), e.message_en());
        assert_ne!(vi, en);
        assert!(!vi.is_empty() && !en.is_empty());
    }
    // Messages name the position, the count and the code.
    assert!(errors[1].message_en().contains("11 digits"));
    assert!(errors[1].message_vi().contains("có 11 chữ số"));
    assert!(errors[3].message_en().contains("position 4"));
    assert!(errors[3].message_en().contains("U+FF10"));
    assert!(errors[3].message_vi().contains("vị trí 4"));
    assert!(errors[7].message_vi().contains("097"));
    let cmnd = IdError::TooShort {
        digits: 8,
        expected: 9,
    };
    assert!(cmnd.message_vi().starts_with("Số CMND"));
    assert!(cmnd.message_en().starts_with("The CMND number"));
}

#[test]
fn strict_parse_trims_surrounding_whitespace_only() {
    for s in [
        "001099012345",
        " 001099012345",
        "001099012345\r\n",
        "\t001099012345 ",
    ] {
        assert_eq!(
            PersonalId::parse(s).map(|i| i.to_string()),
            Ok("001099012345".into())
        );
    }
    assert_eq!("001099012345".parse::<PersonalId>(), Ok(id("001099012345")));
}

#[test]
fn parse_bytes_agrees_with_parse() {
    let cases: &[&[u8]] = &[
        b"001099012345",
        b"001099012345\r\n",
        b" 001099012345\n",
        b"00109901234",
        b"",
        b"\n",
        b"001 099 012345",
        "001０99012345".as_bytes(),
        b"0010990123\xff5",
        b"\xff",
    ];
    for &b in cases {
        let want = PersonalId::parse(&String::from_utf8_lossy(b));
        assert_eq!(PersonalId::parse_bytes(b), want, "{b:?}");
    }
    assert_eq!(
        PersonalId::parse_bytes(b"0010990123\xff5"),
        Err(IdError::InvalidChar {
            position: 11,
            ch: '\u{fffd}'
        })
    );
}

#[test]
fn lenient_input_table() {
    use IdError::*;
    for ok in [
        "001099012345",
        "001 099 012345",
        "001-099-012345",
        "001.099.012345",
        "001 - 099 - 012345",
        "  0010 9901 2345 ",
        "001\t099\t012345",
        "0-0-1-0-9-9-0-1-2-3-4-5",
    ] {
        assert_eq!(
            PersonalId::parse_lenient_input(ok),
            Ok(id("001099012345")),
            "{ok:?}"
        );
    }
    let cases: &[(&str, IdError)] = &[
        (
            "-001099012345",
            MisplacedSeparator {
                position: 1,
                ch: '-',
            },
        ),
        (
            "001099012345-",
            MisplacedSeparator {
                position: 13,
                ch: '-',
            },
        ),
        (
            "001--099012345",
            MisplacedSeparator {
                position: 5,
                ch: '-',
            },
        ),
        (
            "001-.099012345",
            MisplacedSeparator {
                position: 5,
                ch: '.',
            },
        ),
        (
            "001 099 01234",
            TooShort {
                digits: 11,
                expected: 12,
            },
        ),
        (
            "001 099 0123456",
            TooLong {
                digits: 13,
                expected: 12,
            },
        ),
        (
            "001 ０99 012345",
            NonAsciiDigit {
                position: 5,
                ch: '０',
            },
        ),
        (
            "001/099/012345",
            InvalidChar {
                position: 4,
                ch: '/',
            },
        ),
        (
            "001\u{3000}099012345",
            InnerWhitespace {
                position: 4,
                ch: '\u{3000}',
            },
        ),
        ("", Empty { expected: 12 }),
        (
            " - ",
            MisplacedSeparator {
                position: 2,
                ch: '-',
            },
        ),
    ];
    for (input, want) in cases {
        assert_eq!(
            PersonalId::parse_lenient_input(input),
            Err(*want),
            "{input:?}"
        );
    }
}

/// id, region kind, code, name, century, sex, birth year, serial.
type DecodeCase = (
    &'static str,
    &'static str,
    u16,
    Option<&'static str>,
    u8,
    Sex,
    i16,
    u32,
);
/// CMND, expected (prefix, provinces).
type CmndCase = (
    &'static str,
    Option<(&'static str, &'static [&'static str])>,
);

#[test]
fn decode_fields_table() {
    // (id, kind, code, name, century, sex, birth_year, serial)
    let cases: &[DecodeCase] = &[
        (
            "001099012345",
            "province",
            1,
            Some("Hà Nội"),
            20,
            Sex::Male,
            1999,
            12345,
        ),
        (
            "079199000001",
            "province",
            79,
            Some("Hồ Chí Minh"),
            20,
            Sex::Female,
            1999,
            1,
        ),
        (
            "096200999999",
            "province",
            96,
            Some("Cà Mau"),
            21,
            Sex::Male,
            2000,
            999_999,
        ),
        (
            "031305000000",
            "province",
            31,
            Some("Hải Phòng"),
            21,
            Sex::Female,
            2005,
            0,
        ),
        (
            "101423123456",
            "country",
            101,
            Some("Afghanistan"),
            22,
            Sex::Male,
            2123,
            123_456,
        ),
        (
            "295550000042",
            "country",
            295,
            Some("Zimbabwe (Dim-ba-bu-ê)"),
            22,
            Sex::Female,
            2150,
            42,
        ),
        (
            "048699111111",
            "province",
            48,
            Some("Đà Nẵng"),
            23,
            Sex::Male,
            2299,
            111_111,
        ),
        (
            "087784000999",
            "province",
            87,
            Some("Đồng Tháp"),
            23,
            Sex::Female,
            2284,
            999,
        ),
        (
            "001800000000",
            "province",
            1,
            Some("Hà Nội"),
            24,
            Sex::Male,
            2300,
            0,
        ),
        (
            "001999000000",
            "province",
            1,
            Some("Hà Nội"),
            24,
            Sex::Female,
            2399,
            0,
        ),
    ];
    for &(s, kind, code, name, century, sex, year, serial) in cases {
        let d = id(s).decode(DecodeMode::Strict).unwrap();
        assert_eq!(d.region.kind(), kind, "{s}");
        assert_eq!(d.region.code(), code, "{s}");
        assert_eq!(d.region.name(), name, "{s}");
        assert_eq!(
            (d.century, d.sex, d.birth_year, d.serial),
            (century, sex, year, serial),
            "{s}"
        );
        assert_eq!(d.id.as_str(), s);
        assert_eq!(id(s).decode(DecodeMode::Lenient), Ok(d), "{s}");
    }
}

#[test]
fn boundary_region_codes_in_both_modes() {
    let known = [
        (1, "province"),
        (96, "province"),
        (101, "country"),
        (295, "country"),
    ];
    for (code, kind) in known {
        let s = format!("{code:03}099012345");
        let d = decode(&s, DecodeMode::Strict).unwrap();
        assert_eq!((d.region.code(), d.region.kind()), (code, kind));
    }
    // 003 is a gap in the province table; 000, 097–100 and 296–999 are unused.
    for code in [0u16, 3, 97, 99, 100, 296, 500, 999] {
        let s = format!("{code:03}099012345");
        assert_eq!(
            decode(&s, DecodeMode::Strict),
            Err(IdError::UnknownRegion { code }),
            "{s}"
        );
        let d = decode(&s, DecodeMode::Lenient).unwrap();
        assert_eq!(d.region, Region::Unknown { code });
        assert_eq!(d.region.name(), None);
        assert_eq!(d.birth_year, 1999);
    }
}

#[test]
fn duplicated_country_entries_both_decode() {
    // The transcribed Appendix 2 names Azerbaijan under 113 and 114 and
    // Croatia under 147 and 148; both codes of each pair decode.
    for (a, b, word) in [(113, 114, "Azerbaijan"), (147, 148, "Croatia")] {
        let ra = Region::from_code(a);
        let rb = Region::from_code(b);
        assert_eq!((ra.kind(), rb.kind()), ("country", "country"));
        assert!(ra.name().unwrap().contains(word), "{ra:?}");
        assert!(rb.name().unwrap().contains(word), "{rb:?}");
        assert_ne!(ra, rb);
    }
    assert_eq!(provinces().count(), 63);
    assert_eq!(countries().count(), 195);
    assert!(countries().all(|(c, _)| (101..=295).contains(&c)));
}

#[test]
fn region_serializes_with_three_digit_code() {
    let j = serde_json::to_value(Region::from_code(1)).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"kind":"province","code":"001","name":"Hà Nội"})
    );
    let j = serde_json::to_value(Region::from_code(97)).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"kind":"unknown","code":"097","name":null})
    );
    let d = decode("001099012345", DecodeMode::Strict).unwrap();
    let j = serde_json::to_value(d).unwrap();
    assert_eq!(j["id"], "001099012345");
    assert_eq!(j["serial"], "012345");
    assert_eq!(j["sex"], "male");
    assert_eq!(j["century"], 20);
}

#[test]
fn consistency_table() {
    use Mismatch::{Century, Year};
    let female_1999 = id("001199012345");
    let y = |y| Some(PartialDate::Year(y));
    let cases: Vec<(Option<PartialDate>, Option<Sex>, Vec<Mismatch>)> = vec![
        (y(1999), Some(Sex::Female), vec![]),
        ("1999-12-31".parse().ok(), Some(Sex::Female), vec![]),
        ("1999-03".parse().ok(), None, vec![]),
        (None, None, vec![]),
        (
            y(1998),
            Some(Sex::Female),
            vec![Year {
                id_year: 1999,
                claimed_year: 1998,
            }],
        ),
        (
            y(2099),
            None,
            vec![Century {
                id_century: 20,
                claimed_year: 2099,
            }],
        ),
        (
            y(2005),
            Some(Sex::Male),
            vec![
                Century {
                    id_century: 20,
                    claimed_year: 2005,
                },
                Year {
                    id_year: 1999,
                    claimed_year: 2005,
                },
                Mismatch::Sex {
                    id_sex: Sex::Female,
                    claimed_sex: Sex::Male,
                },
            ],
        ),
        (
            None,
            Some(Sex::Male),
            vec![Mismatch::Sex {
                id_sex: Sex::Female,
                claimed_sex: Sex::Male,
            }],
        ),
        // Same two year digits, century outside 1900–2399: only the century.
        (
            y(1899),
            None,
            vec![Century {
                id_century: 20,
                claimed_year: 1899,
            }],
        ),
        (
            y(2199),
            None,
            vec![Century {
                id_century: 20,
                claimed_year: 2199,
            }],
        ),
    ];
    for (birth, sex, want) in cases {
        assert_eq!(
            female_1999.check_consistency(birth, sex),
            want,
            "{birth:?} {sex:?}"
        );
    }
    let m = Mismatch::Sex {
        id_sex: Sex::Female,
        claimed_sex: Sex::Male,
    };
    assert_eq!(m.code(), "id.mismatch.sex");
    assert!(m.message_vi().contains("Nữ") && m.message_vi().contains("Nam"));
}

proptest! {
    #[test]
    fn components_round_trip(
        code_idx in 0usize..258,
        female in any::<bool>(),
        year in MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR,
        serial in 0u32..1_000_000,
    ) {
        let codes: Vec<u16> = provinces().chain(countries()).map(|(c, _)| c).collect();
        let code = codes[code_idx % codes.len()];
        let sex = if female { Sex::Female } else { Sex::Male };
        let g = century_sex_digit(sex, year).unwrap();
        let s = format!("{code:03}{g}{:02}{serial:06}", year % 100);
        let d = decode(&s, DecodeMode::Strict).unwrap();
        prop_assert_eq!(d.region.code(), code);
        prop_assert_eq!(d.sex, sex);
        prop_assert_eq!(d.birth_year, year);
        prop_assert_eq!(d.serial, serial);
        prop_assert_eq!(i16::from(d.century), 20 + (year - 1900) / 100);
        prop_assert_eq!(d.id.to_string(), s.clone());
        prop_assert!(d.id.check_consistency(Some(PartialDate::Year(year)), Some(sex)).is_empty());
        // Any grouping of the digits reads back the same under lenient input.
        let grouped = format!("{} {}-{}", &s[..3], &s[3..6], &s[6..]);
        prop_assert_eq!(PersonalId::parse_lenient_input(&grouped), Ok(d.id));
        let p = IdPrefix::new(code, sex, year).unwrap();
        prop_assert_eq!(p.as_str(), &s[..6]);
    }

    #[test]
    fn parse_bytes_matches_lossy_parse(b in proptest::collection::vec(any::<u8>(), 0..20)) {
        prop_assert_eq!(
            PersonalId::parse_bytes(&b),
            PersonalId::parse(&String::from_utf8_lossy(&b))
        );
    }

    #[test]
    fn parsers_never_panic_and_agree(s in "\\PC{0,30}") {
        let strict = PersonalId::parse(&s);
        let lenient = PersonalId::parse_lenient_input(&s);
        // Strict success implies lenient success with the same value.
        if let Ok(v) = strict {
            prop_assert_eq!(lenient, Ok(v));
            prop_assert_eq!(v.as_str(), s.trim());
        }
        for mode in [DecodeMode::Strict, DecodeMode::Lenient] {
            let _ = decode(&s, mode);
        }
        let _ = classify(&s);
        let _ = Cmnd::parse(&s).map(|c| c.issuer());
        prop_assert!(mask_any(&s).chars().filter(|&c| c != MASK_CHAR).count() <= 5);
    }

    #[test]
    fn error_positions_point_at_the_offending_character(
        prefix in "[0-9]{0,11}", bad in "[^0-9\\s]", lead in " {0,3}",
    ) {
        let s = format!("{lead}{prefix}{bad}0");
        let pos = lead.chars().count() + prefix.chars().count() + 1;
        match PersonalId::parse(&s) {
            Err(IdError::InvalidChar { position, ch })
            | Err(IdError::NonAsciiDigit { position, ch }) => {
                prop_assert_eq!(position, pos);
                prop_assert_eq!(Some(ch), bad.chars().next());
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }
}
