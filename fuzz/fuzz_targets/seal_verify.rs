//! Signed-QR reader on arbitrary input: base45, zlib (capped), CBOR, COSE,
//! CWT and the claim-169 profile must refuse junk without panicking, with a
//! code and both messages. The first byte picks the layer the rest enters
//! at: as the scanned text itself, or as the decompressed CBOR (compressed
//! and base45-encoded here) so the fuzzer reaches COSE and the claims
//! instead of stopping at base45. Nothing unsigned by the fixed key may
//! verify under it.

#![no_main]

use cancuoc_core::i18n::Localized;
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode & 1 == 0 {
        match std::str::from_utf8(rest) {
            Ok(t) => t.to_owned(),
            Err(_) => return,
        }
    } else {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        if z.write_all(rest).is_err() {
            return;
        }
        let Ok(bytes) = z.finish() else { return };
        base45::encode(&bytes)
    };
    let key = cancuoc_seal::SigningKey::from_seed(&[7; 32]);
    let keys = [key.verifying_key().clone()];
    let today = jiff::civil::date(2026, 6, 1);
    // The fuzzer cannot forge an Ed25519 signature: any Ok means a bug.
    if let Err(e) = cancuoc_seal::verify(&text, &keys, today) {
        assert!(!e.code().is_empty() && !e.message_vi().is_empty() && !e.message_en().is_empty());
    } else {
        panic!("verified a seal the key never signed");
    }
    if let Ok(d) = cancuoc_seal::decode_unverified(&text, today) {
        let _ = d.claims.fields(cancuoc_core::i18n::Lang::Vi);
        let _ = d.claims.to_map();
    }
});
