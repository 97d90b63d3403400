//! Tests of old CMND numbers, classification and the serial allocator.

use super::super::alloc::{AllocError, Allocator, IdPrefix, SERIALS_PER_PREFIX};
use super::super::*;
use super::CmndCase;
use crate::i18n::Localized;
use crate::person::Sex;

#[test]
fn cmnd_longest_prefix_table() {
    let cases: &[CmndCase] = &[
        ("012345678", Some(("01", &["Hà Nội"]))),
        ("023456789", Some(("02", &["Hồ Chí Minh"]))),
        ("230123456", Some(("230", &["Gia Lai"]))),
        ("231123456", Some(("231", &["Gia Lai"]))),
        ("232123456", Some(("23", &["Kon Tum"]))),
        ("245000000", Some(("245", &["Đắk Nông"]))),
        ("246000000", Some(("24", &["Đắk Lắk"]))),
        ("280000000", Some(("280", &["Bình Dương"]))),
        ("285000000", Some(("285", &["Bình Phước"]))),
        ("090000000", Some(("090", &["Thái Nguyên"]))),
        ("095000000", Some(("095", &["Bắc Kạn"]))),
        (
            "360000000",
            Some(("36", &["Cần Thơ", "Hậu Giang", "Sóc Trăng"])),
        ),
        ("040000000", Some(("04", &["Điện Biên", "Lai Châu"]))),
        // No 2-digit 09 or 28 row: only the listed 3-digit prefixes match.
        ("093000000", None),
        ("282000000", None),
        ("000000000", None),
        ("990000000", None),
    ];
    for &(s, want) in cases {
        let got = Cmnd::parse(s)
            .unwrap()
            .issuer()
            .map(|i| (i.prefix, i.provinces));
        assert_eq!(got, want, "{s}");
    }
}

#[test]
fn cmnd_parse_errors_and_debug() {
    assert_eq!(
        Cmnd::parse("12345678"),
        Err(IdError::TooShort {
            digits: 8,
            expected: 9
        })
    );
    assert_eq!(
        Cmnd::parse("1234567890"),
        Err(IdError::TooLong {
            digits: 10,
            expected: 9
        })
    );
    assert_eq!(Cmnd::parse(""), Err(IdError::Empty { expected: 9 }));
    assert_eq!(
        Cmnd::parse_lenient_input("012 345 678").map(|c| c.to_string()),
        Ok("012345678".into())
    );
    let c = Cmnd::parse("012345678").unwrap();
    assert_eq!(format!("{c:?}"), "Cmnd(*********)");
    assert_eq!(serde_json::to_value(c).unwrap(), "012345678");
}

#[test]
fn classify_table() {
    use DocumentKind::*;
    let cases: &[(&str, &[DocumentKind])] = &[
        // Province, born 1999: could be either 12-digit kind.
        ("001099012345", &[PersonalId, Cmnd12]),
        ("001 099 012345", &[PersonalId, Cmnd12]),
        ("001201012345", &[PersonalId, Cmnd12]),
        // Born 2002 or later: too young for a CMND by 2015.
        ("001202012345", &[PersonalId]),
        ("001310012345", &[PersonalId]),
        // Country code: births abroad never had a CMND.
        ("101099012345", &[PersonalId]),
        // Unknown region: only a (lenient) personal ID.
        ("097099012345", &[PersonalId]),
        ("012345678", &[Cmnd9]),
        ("012-345-678", &[Cmnd9]),
        ("01234567", &[]),
        ("0123456789", &[]),
        ("abc", &[]),
        ("", &[]),
    ];
    for &(s, want) in cases {
        let c = classify(s);
        assert_eq!(c.kinds().collect::<Vec<_>>(), want, "{s:?}");
        assert_eq!(c.is_none(), want.is_empty());
        assert_eq!(c.is_ambiguous(), want.len() > 1);
    }
}

#[test]
fn prefix_validation_and_exhaustion() {
    assert_eq!(
        IdPrefix::new(1, Sex::Female, 1999).unwrap().as_str(),
        "001199"
    );
    assert_eq!(
        IdPrefix::new(295, Sex::Male, 2399).unwrap().as_str(),
        "295899"
    );
    assert_eq!(
        IdPrefix::new(79, Sex::Male, 1900).unwrap().as_str(),
        "079000"
    );
    assert_eq!(
        IdPrefix::new(97, Sex::Male, 1999),
        Err(AllocError::UnknownRegion { code: 97 })
    );
    assert_eq!(
        IdPrefix::new(1000, Sex::Male, 1999),
        Err(AllocError::UnknownRegion { code: 1000 })
    );
    assert_eq!(
        IdPrefix::new(1, Sex::Male, 1899),
        Err(AllocError::BirthYearOutOfRange { year: 1899 })
    );
    assert_eq!(
        IdPrefix::new(1, Sex::Male, 2400),
        Err(AllocError::BirthYearOutOfRange { year: 2400 })
    );
    let a = Allocator::new([7; 16]);
    let p = IdPrefix::new(1, Sex::Female, 1999).unwrap();
    assert!(a.allocate(p, SERIALS_PER_PREFIX - 1).is_ok());
    for index in [SERIALS_PER_PREFIX, SERIALS_PER_PREFIX + 1, u32::MAX] {
        let e = a.allocate(p, index).unwrap_err();
        assert_eq!(e, AllocError::Exhausted { prefix: p, index });
        assert_eq!(e.code(), "id.alloc.exhausted");
    }
    assert_eq!(format!("{a:?}"), "Allocator { key: <redacted> }");
}

#[test]
fn allocated_numbers_decode_to_their_prefix_and_invert() {
    let a = Allocator::new(*b"0123456789abcdef");
    let p = IdPrefix::new(79, Sex::Male, 2024).unwrap();
    for index in [0, 1, 2, 999, 500_000, 999_999] {
        let n = a.allocate(p, index).unwrap();
        assert!(n.as_str().starts_with("079224"), "{n}");
        let d = n.decode(DecodeMode::Strict).unwrap();
        assert_eq!(
            (d.region.code(), d.sex, d.birth_year),
            (79, Sex::Male, 2024)
        );
        assert_eq!(a.index_of(&n), Ok(index));
    }
    // Golden values: the permutation must not change silently between
    // releases (numbers handed out under a key would collide otherwise).
    let first: Vec<String> = (0..3)
        .map(|i| a.allocate(p, i).unwrap().to_string())
        .collect();
    assert_eq!(first, GOLDEN_079224);
}

/// The first three numbers for key `0123456789abcdef`, prefix 079224.
const GOLDEN_079224: [&str; 3] = ["079224725373", "079224527791", "079224361770"];

#[test]
fn all_million_serials_of_a_prefix_are_distinct() {
    let a = Allocator::new([0x5a; 16]);
    let p = IdPrefix::new(1, Sex::Female, 1999).unwrap();
    let mut seen = vec![0u64; (SERIALS_PER_PREFIX as usize).div_ceil(64)];
    for index in 0..SERIALS_PER_PREFIX {
        let s = a.serial(p, index).unwrap();
        assert!(s < SERIALS_PER_PREFIX);
        let (w, b) = ((s / 64) as usize, s % 64);
        assert_eq!(
            seen[w] >> b & 1,
            0,
            "serial {s} handed out twice (index {index})"
        );
        seen[w] |= 1 << b;
    }
    let total: u32 = seen.iter().map(|w| w.count_ones()).sum();
    assert_eq!(total, SERIALS_PER_PREFIX);
}

#[test]
fn different_keys_and_prefixes_give_different_orders() {
    let p1 = IdPrefix::new(1, Sex::Female, 1999).unwrap();
    let p2 = IdPrefix::new(1, Sex::Male, 1999).unwrap();
    let k1 = Allocator::new([1; 16]);
    let k2 = Allocator::new([2; 16]);
    let order = |a: &Allocator, p| (0..64).map(|i| a.serial(p, i).unwrap()).collect::<Vec<_>>();
    let base = order(&k1, p1);
    assert_ne!(base, order(&k2, p1));
    assert_ne!(base, order(&k1, p2));
    // Not the identity, not a shift: the first 64 serials are not sorted.
    assert!(base.windows(2).any(|w| w[0] > w[1]));
    // Positionwise agreement between unrelated orders is rare (≈ 64/10^6).
    let same = base
        .iter()
        .zip(order(&k2, p1))
        .filter(|(a, b)| **a == *b)
        .count();
    assert!(same <= 1, "{same}");
}

#[test]
fn derived_keys_depend_on_the_key_and_the_purpose_only() {
    let a = Allocator::new(*b"0123456789abcdef");
    let tag = a.derive_key(b"cancuoc/citizen-ref/tag/v1");
    assert_eq!(tag, a.derive_key(b"cancuoc/citizen-ref/tag/v1"));
    assert_ne!(tag, a.derive_key(b"cancuoc/citizen-ref/pad/v1"));
    assert_ne!(
        tag,
        Allocator::new([1; 16]).derive_key(b"cancuoc/citizen-ref/tag/v1")
    );
    assert_ne!(tag, *b"0123456789abcdef");
    // Golden: a derived key must not change between releases (references
    // handed out before an upgrade would stop working).
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex.len(), 32);
    assert_eq!(hex, GOLDEN_DERIVED);
}

/// `derive_key(b"cancuoc/citizen-ref/tag/v1")` for key `0123456789abcdef`.
const GOLDEN_DERIVED: &str = "67d01292f0bb2bbadd22ebf7e80727cb";
