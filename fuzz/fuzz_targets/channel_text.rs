//! Fuzz target for the chat reader: any text into
//! `channel::understand::understand` (and the identity reader beside it)
//! must return an intent, never panic, whatever its length, scripts,
//! digits and line breaks; a code it reads must print back to itself.
#![no_main]
use cancuoc_core::channel::understand::{Intent, identity_parts, understand};
use cancuoc_core::dossier::code::DossierCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match understand(&text) {
        Intent::StatusByCode(code) => {
            assert_eq!(DossierCode::parse(&code.to_string()), Ok(code));
        }
        Intent::BadCode {
            problem_vi,
            problem_en,
        } => assert!(!problem_vi.is_empty() && !problem_en.is_empty()),
        Intent::Identity {
            number: Some(n), ..
        } => assert!(n.len() == 12 || n.len() == 9, "{n}"),
        _ => {}
    }
    let (number, _, _) = identity_parts(&text);
    assert!(number.is_none_or(|n| n.bytes().all(|b| b.is_ascii_digit())));
});
