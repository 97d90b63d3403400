//! Fuzz target for the personal ID parsers: arbitrary bytes (as UTF-8 when
//! they are, lossily otherwise) through byte-level, strict and lenient parsing, decoding
//! in both modes, CMND parsing and classification, and masking. Any panic is a
//! bug; the asserts check invariants that must hold on every input.
#![no_main]
use cancuoc_core::id::{Cmnd, DecodeMode, MASK_CHAR, PersonalId, classify, decode, mask, mask_any};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;

    let strict = PersonalId::parse(s);
    // The bulk checker's byte-level parser agrees with parsing the lossy text.
    assert_eq!(PersonalId::parse_bytes(data), strict);
    let lenient = PersonalId::parse_lenient_input(s);
    if let Ok(id) = strict {
        // Strict success implies lenient success with the same number.
        assert_eq!(lenient, Ok(id));
        assert_eq!(id.as_str(), s.trim());
        let masked = mask(&id);
        assert_eq!(mask_any(id.as_str()), masked.as_str());
    }
    if let Ok(id) = lenient {
        assert_eq!(id.as_str().len(), 12);
        let lenient_decode = id.decode(DecodeMode::Lenient);
        assert!(lenient_decode.is_ok());
        if let Ok(d) = id.decode(DecodeMode::Strict) {
            assert_eq!(Ok(d), lenient_decode);
        }
    }
    for mode in [DecodeMode::Strict, DecodeMode::Lenient] {
        if let Ok(d) = decode(s, mode) {
            assert!((1900..=2399).contains(&d.birth_year));
            assert!(d.serial < 1_000_000);
        }
    }
    if let Ok(c) = Cmnd::parse(s) {
        let _ = c.issuer();
    }
    let _ = Cmnd::parse_lenient_input(s);
    let k = classify(s);
    assert!(!(k.personal_id && k.cmnd9));
    let m = mask_any(s);
    assert!(m.chars().filter(|&c| c != MASK_CHAR).count() <= 5);
});
