//! Fuzz target: arbitrary bytes through the DG13 decoder (a real BER
//! parser); it must never panic, and whatever it accepts must serialise.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = cancuoc_chip::dg13::decode(data) {
        let _ = format!("{d:?}");
        for (n, _) in &d.unknown {
            assert!(*n == 0 || *n > 16);
        }
    }
    // The same bytes as a single field value inside a well-formed DG13.
    let entry = cancuoc_chip::tlv::encode_parts(
        0x30,
        &[
            &cancuoc_chip::tlv::der_uint(u64::from(data.first().copied().unwrap_or(2) % 20)),
            data,
        ],
    );
    let _ = cancuoc_chip::dg13::decode(&cancuoc_chip::dg13::encode_entries(&[entry]));
});
