//! The external vector: the German BSI TR-03105-5 ReferenceDataSet
//! (EF_SOD.bin, DG1, DG14, DG15 of the test passport "MUSTERMANN ERIKA",
//! DS "HJP PB DS" under CSCA "HJP PB CS"), as quoted in
//! ZeroPass/pymrtd `tests/ef/sod_test.py` at commit
//! 3731a0e45999d7924499393a0da5826436dffd38 (2024-05-20); the hex is copied
//! unchanged into `tests/vectors/bsi_*.hex`.
//!
//! What IS verified here, by our own parser and verifier (not our writer):
//! the SOD parses (SignedData v3, SHA-256, LDS security object v0 with the
//! hashes of DG1, 2, 3, 14, 4 in that order, the DG1 hash value pymrtd
//! asserts); the DG1 and DG14 files hash to the values in the SOD; the
//! messageDigest and contentType attributes hold; and the RSASSA-PSS
//! (SHA-256, MGF1-SHA-256, salt 32) signature over the signed attributes
//! re-encoded as a SET verifies with the key of the embedded DS certificate.
//!
//! What is NOT verified: the chain to the CSCA (the CSCA certificate is not
//! published with the vector, so `chain` must report "no trusted CSCA"),
//! the DS validity dates against today (the DS expired in 2014), and
//! DG2/DG3/DG4 (their files are not quoted, so they report "absent").

use cancuoc_chip::sod::{self, HashAlg};
use cancuoc_chip::{ChipDump, verify};

fn hex(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let s = std::fs::read_to_string(&path).expect("vector file");
    let s = s.trim();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

#[test]
fn bsi_sod_parses_as_pymrtd_says() {
    let s = sod::parse(&hex("bsi_ef_sod.hex")).expect("BSI EF.SOD parses");
    assert_eq!(s.version, 3);
    assert_eq!(s.econtent_type, sod::OID_LDS_SECURITY_OBJECT);
    assert_eq!(s.lds.version, 0);
    assert_eq!(
        HashAlg::from_oid(&s.lds.hash_algorithm.oid),
        Some(HashAlg::Sha256)
    );
    let numbers: Vec<u32> = s.lds.hashes.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, [1, 2, 3, 14, 4]);
    assert_eq!(
        to_hex(&s.lds.hashes[0].1),
        "4170CA879FCE6A22FFEF1567FF88079F415C66EAD250AB5F23781AC2CDBF42B6"
    );
    assert_eq!(s.certificates.len(), 1);
    assert_eq!(s.signer.version, 1);
    assert_eq!(s.signer.attributes.len(), 2);
    assert_eq!(
        s.signer.signature_algorithm.oid.to_string(),
        "1.2.840.113549.1.1.10"
    );
    assert_eq!(s.signer.signature.len(), 256);
    // The DG15 quoted next to it is not in this SOD.
    assert!(!s.lds.hashes.iter().any(|(n, _)| *n == 15));
}

#[test]
fn bsi_hashes_and_rsa_pss_signature_verify() {
    let dump = ChipDump {
        files: vec![
            ("EF.SOD".into(), hex("bsi_ef_sod.hex")),
            ("DG1".into(), hex("bsi_dg1.hex")),
            ("DG14".into(), hex("bsi_dg14.hex")),
        ],
    };
    // A day the DS certificate (2013-12-16 → 2014-12-11) was valid.
    let v = verify(&dump, &[], jiff::civil::date(2014, 6, 1));
    let get = |item: &str| {
        v.checks
            .iter()
            .find(|c| c.item == item)
            .unwrap_or_else(|| panic!("no check {item}: {:?}", v.checks))
    };
    for item in [
        "EF.SOD",
        "SignedData",
        "eContentType",
        "messageDigest",
        "contentType",
        "DG1",
        "DG14",
        "signature",
        "validity",
    ] {
        assert!(get(item).ok, "{item}: {}", get(item).detail);
    }
    assert!(
        get("signature").detail.contains("RSASSA-PSS with SHA-256"),
        "{}",
        get("signature").detail
    );
    assert!(get("signature").detail.contains("salt 32"));
    let chain = get("chain");
    assert!(
        !chain.ok && chain.detail.contains("no trusted CSCA"),
        "{}",
        chain.detail
    );
    for absent in ["DG2", "DG3", "DG4"] {
        assert!(!get(absent).ok && get(absent).detail.contains("absent"));
    }
    assert!(!v.valid, "no CSCA, so never valid");
    let dg1 = v.dg1.expect("DG1 decodes");
    assert_eq!(dg1.format, "TD3");
    assert_eq!(dg1.surname, "MUSTERMANN");
    assert_eq!(dg1.given_names, "ERIKA");
    assert_eq!(dg1.issuing_state, "D");

    // The DS is expired today.
    let v = verify(&dump, &[], jiff::civil::date(2026, 1, 1));
    assert!(
        v.checks
            .iter()
            .any(|c| c.item == "validity" && !c.ok && c.detail.contains("expired"))
    );
}

#[test]
fn bsi_dg15_not_listed_and_tampering_detected() {
    let sod_bytes = hex("bsi_ef_sod.hex");
    let dump = ChipDump {
        files: vec![
            ("EF.SOD".into(), sod_bytes.clone()),
            ("DG1".into(), hex("bsi_dg1.hex")),
            ("DG15".into(), hex("bsi_dg15.hex")),
        ],
    };
    let v = verify(&dump, &[], jiff::civil::date(2014, 6, 1));
    assert!(
        v.checks
            .iter()
            .any(|c| c.item == "DG15" && !c.ok && c.detail.contains("not listed"))
    );

    // One flipped bit in the RSA-PSS signature (the SOD's last byte) breaks it.
    let mut bad = sod_bytes;
    let last = bad.len() - 1;
    bad[last] ^= 0x01;
    let dump = ChipDump {
        files: vec![("EF.SOD".into(), bad), ("DG1".into(), hex("bsi_dg1.hex"))],
    };
    let v = verify(&dump, &[], jiff::civil::date(2014, 6, 1));
    assert!(v.checks.iter().any(|c| c.item == "signature" && !c.ok));
}
