//! Fuzz target: arbitrary bytes as EF.SOD through the SOD parser and the
//! whole passive authentication (empty trust store, with and without a
//! DG1): it must never panic and never call such a dump valid.
#![no_main]
use cancuoc_chip::ChipDump;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cancuoc_chip::sod::parse(data);
    let dg1 = cancuoc_chip::lds::dg1(&"I<VNM".repeat(18)).unwrap_or_default();
    let dump = ChipDump {
        files: vec![
            ("EF.SOD".into(), data.to_vec()),
            ("DG1".into(), dg1),
            ("DG13".into(), data.to_vec()),
        ],
    };
    let v = cancuoc_chip::verify(&dump, &[], jiff::civil::date(2026, 12, 1));
    assert!(!v.valid, "valid without a trusted CSCA");
});
