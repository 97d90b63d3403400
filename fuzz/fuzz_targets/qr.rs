//! Fuzz target for the card QR payload parser: any bytes into
//! `CardQr::parse_bytes` must return, never panic; a payload that parses must
//! encode to text that parses to the same card and encodes identically
//! (parse ∘ encode ∘ parse is stable), and its warnings and messages must be
//! computable.
#![no_main]
use cancuoc_core::i18n::Localized;
use cancuoc_core::qr::CardQr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match CardQr::parse_bytes(data) {
        Ok(card) => {
            let payload = card.to_payload();
            let again = CardQr::parse(&payload).expect("an encoded card parses");
            assert_eq!(again, card, "parse(encode(card)) differs");
            assert_eq!(again.to_payload(), payload, "encode is not stable");
            for w in card.warnings() {
                assert!(!w.code().is_empty() && !w.message_vi().is_empty());
            }
        }
        Err(e) => {
            assert!(!e.code().is_empty());
            assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
        }
    }
});
