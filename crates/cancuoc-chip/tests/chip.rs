//! Issue → verify round trips against a fresh test PKI, tampering (every
//! single-byte flip in each data group and in EF.SOD), a wrong CSCA, an
//! expired document signer, and the DG13 decoder on hand-built inputs.

use cancuoc_chip::dg13::{self, Dg13};
use cancuoc_chip::pki::{self, TestPki};
use cancuoc_chip::tlv;
use cancuoc_chip::{ChipDump, issue, verify};
use cancuoc_core::card::Card;
use cancuoc_core::person::Sex;
use jiff::civil::Date;
use jiff::{Span, Timestamp};

fn now() -> Timestamp {
    Timestamp::now()
}

fn today() -> Date {
    now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

fn fixture() -> (TestPki, ChipDump) {
    let pki = pki::make_test_pki(now()).expect("test PKI");
    let dump = issue(&Card::sample(), None, &pki.ds).expect("issue");
    (pki, dump)
}

fn failing(v: &cancuoc_chip::Verdict) -> Vec<String> {
    v.checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| format!("{}: {}", c.item, c.detail))
        .collect()
}

#[test]
fn issue_then_verify_is_valid_and_decodes() {
    let (pki, dump) = fixture();
    let names: Vec<&str> = dump.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["EF.COM", "EF.SOD", "DG1", "DG2", "DG13"]);
    let v = verify(&dump, std::slice::from_ref(&pki.csca), today());
    assert!(v.valid, "{:?}", failing(&v));
    for item in [
        "signature",
        "chain",
        "validity",
        "DG1",
        "DG2",
        "DG13",
        "messageDigest",
    ] {
        assert!(v.checks.iter().any(|c| c.item == item && c.ok), "{item}");
    }
    let dg1 = v.dg1.expect("DG1 decoded");
    assert_eq!(dg1.lines, Card::sample().mrz().unwrap().lines.to_vec());
    assert_eq!(dg1.personal_id.as_deref(), Some("079190012345"));
    assert!(dg1.mrz_valid);
    let dg13 = v.dg13.expect("DG13 decoded");
    assert_eq!(dg13.full_name.as_deref(), Some("Tôn Nữ Thị Ninh"));
    assert_eq!(dg13.sex.as_deref(), Some("Nữ"));
    assert_eq!(dg13.old_id.as_deref(), Some("025123456"));
    assert_eq!(
        dg13.date_of_birth.and_then(|d| d.date),
        Some(jiff::civil::date(1990, 3, 15))
    );
    // The SOD digest is the SHA-256 of the file.
    use sha2::Digest;
    let sod: [u8; 32] = sha2::Sha256::digest(dump.get("EF.SOD").unwrap()).into();
    assert_eq!(dump.sod_digest(), sod);
    // The portrait comes back out of DG2.
    let img = cancuoc_chip::lds::parse_dg2(dump.get("DG2").unwrap()).unwrap();
    assert_eq!(img, cancuoc_chip::SILHOUETTE_JPEG);
}

#[test]
fn dump_round_trips_through_a_directory() {
    let (pki, dump) = fixture();
    let dir = std::env::temp_dir().join(format!("cancuoc-chip-dump-{}", std::process::id()));
    dump.write_dir(&dir).unwrap();
    let back = ChipDump::read_dir(&dir).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(back, dump);
    assert!(verify(&back, &[pki.csca], today()).valid);
}

#[test]
fn every_byte_flip_in_a_data_group_fails_naming_it() {
    let (pki, dump) = fixture();
    let trust = [pki.csca];
    for name in ["DG1", "DG2", "DG13"] {
        let len = dump.get(name).unwrap().len();
        for i in 0..len {
            let mut d = dump.clone();
            d.get_mut(name).unwrap()[i] ^= 0x01;
            let v = verify(&d, &trust, today());
            assert!(!v.valid, "{name} byte {i}");
            let c = v
                .checks
                .iter()
                .find(|c| c.item == name)
                .expect("check named");
            assert!(
                !c.ok && c.detail.contains("hash mismatch"),
                "{name} {i}: {}",
                c.detail
            );
        }
    }
}

#[test]
fn every_byte_flip_in_the_sod_fails() {
    let (pki, dump) = fixture();
    let trust = [pki.csca];
    let len = dump.get("EF.SOD").unwrap().len();
    for i in 0..len {
        let mut d = dump.clone();
        d.get_mut("EF.SOD").unwrap()[i] ^= 0x01;
        let v = verify(&d, &trust, today());
        assert!(!v.valid, "EF.SOD byte {i} of {len}: {:?}", v.checks);
    }
}

#[test]
fn a_missing_or_extra_data_group_fails() {
    let (pki, dump) = fixture();
    let trust = [pki.csca];
    let mut d = dump.clone();
    d.files.retain(|(n, _)| n != "DG2");
    let v = verify(&d, &trust, today());
    assert!(!v.valid);
    assert!(
        failing(&v)
            .iter()
            .any(|f| f.starts_with("DG2") && f.contains("absent"))
    );
    let mut d = dump.clone();
    d.files.push(("DG11".into(), vec![0x6B, 0x00]));
    let v = verify(&d, &trust, today());
    assert!(
        failing(&v)
            .iter()
            .any(|f| f.starts_with("DG11") && f.contains("not listed"))
    );
}

#[test]
fn a_wrong_csca_fails_the_chain() {
    let (_, dump) = fixture();
    let other = pki::make_test_pki(now()).unwrap();
    let v = verify(&dump, &[other.csca], today());
    assert!(!v.valid);
    let chain = v.checks.iter().find(|c| c.item == "chain").unwrap();
    assert!(!chain.ok, "{}", chain.detail);
    assert!(chain.detail.contains("not signed by"), "{}", chain.detail);
    // The signature itself still holds: only the chain fails.
    assert!(v.checks.iter().any(|c| c.item == "signature" && c.ok));
    // No trust anchors at all.
    let v = verify(&dump, &[], today());
    let chain = v.checks.iter().find(|c| c.item == "chain").unwrap();
    assert!(!chain.ok && chain.detail.contains("no trusted CSCA"));
}

#[test]
fn an_expired_document_signer_fails_validity() {
    let t = now();
    let (csca, key) = pki::make_csca(t - Span::new().hours(24 * 365 * 3)).unwrap();
    let ds = pki::make_ds(
        &csca,
        &key,
        t - Span::new().hours(24 * 365 * 3),
        t - Span::new().hours(24 * 30),
    )
    .unwrap();
    let dump = issue(&Card::sample(), None, &ds).unwrap();
    let v = verify(&dump, std::slice::from_ref(&csca), today());
    assert!(!v.valid);
    let c = v.checks.iter().find(|c| c.item == "validity").unwrap();
    assert!(
        !c.ok && c.detail.contains("document signer expired"),
        "{}",
        c.detail
    );
    assert!(v.checks.iter().any(|c| c.item == "chain" && c.ok));
    // The same dump verified on a day the DS was valid passes.
    let earlier = (t - Span::new().hours(24 * 365))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    assert!(verify(&dump, &[csca], earlier).valid);
}

#[test]
fn a_portrait_is_carried_in_dg2() {
    let pki = pki::make_test_pki(now()).unwrap();
    let fake_jpeg = [0xFF, 0xD8, 0xFF, 0xD9, 1, 2, 3];
    let dump = issue(&Card::sample(), Some(&fake_jpeg), &pki.ds).unwrap();
    let img = cancuoc_chip::lds::parse_dg2(dump.get("DG2").unwrap()).unwrap();
    assert_eq!(img, fake_jpeg);
    assert!(verify(&dump, &[pki.csca], today()).valid);
}

fn man() -> Card {
    let mut c = Card::sample();
    c.full_name = "Nguyễn Văn An".into();
    c.sex = Sex::Male;
    c.old_id = None;
    c.spouse_name = None;
    c.expiry_date = None;
    c
}

#[test]
fn dg13_of_a_woman_and_a_man() {
    let woman = Card::sample();
    let w = dg13::decode(&dg13::encode_card(&woman)).unwrap();
    assert_eq!(w.sex.as_deref(), Some("Nữ"));
    // "Nữ" is 4 bytes of UTF-8: the length a prefix reader would miss.
    let bytes = dg13::encode_card(&woman);
    let needle = [0x02, 0x01, 0x04, 0x0C, 0x04, b'N', 0xE1, 0xBB, 0xAF];
    assert!(bytes.windows(needle.len()).any(|w| w == needle));
    assert_eq!(w.personal_id.as_deref(), Some("079190012345"));
    assert_eq!(w.version, Some(1));
    assert_eq!(w.charset_oid.as_deref(), Some("1.0.10646.1.0.8"));
    let oid = [0x06, 0x06, 0x28, 0xD3, 0x16, 0x01, 0x00, 0x08];
    assert!(bytes.windows(8).any(|w| w == oid));
    assert_eq!(w.father_name.as_deref(), woman.father_name.as_deref());
    assert_eq!(w.mother_name.as_deref(), woman.mother_name.as_deref());
    assert_eq!(w.ethnicity.as_deref(), Some("Kinh"));
    assert_eq!(w.residence.as_deref(), Some(woman.residence.as_str()));
    assert_eq!(
        w.expiry_date.as_ref().map(|d| d.text.as_str()),
        Some("15/03/2030")
    );

    let m = dg13::decode(&dg13::encode_card(&man())).unwrap();
    assert_eq!(m.sex.as_deref(), Some("Nam"));
    assert_eq!(m.full_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(m.spouse_name, None);
    let e = m.expiry_date.unwrap();
    assert_eq!((e.text.as_str(), e.date), ("Không thời hạn", None));
}

#[test]
fn dg13_field_15_absent_without_an_old_id_and_present_with() {
    let with = dg13::encode_card(&Card::sample());
    let without = dg13::encode_card(&man());
    assert_eq!(
        dg13::decode(&with).unwrap().old_id.as_deref(),
        Some("025123456")
    );
    assert_eq!(dg13::decode(&without).unwrap().old_id, None);
    // Absent means no entry with INTEGER 15 at all, not an empty string.
    let has_15 = |b: &[u8]| {
        let outer = tlv::parse_exact(b).unwrap();
        let seq = tlv::parse_exact(outer.value).unwrap();
        let set = seq.children().unwrap()[2];
        set.children()
            .unwrap()
            .iter()
            .any(|e| tlv::read_uint(&e.children().unwrap()[0]) == Some(15))
    };
    assert!(has_15(&with));
    assert!(!has_15(&without));
}

fn entry(n: u64, value: &[u8]) -> Vec<u8> {
    tlv::encode_parts(0x30, &[&tlv::der_uint(n), value])
}

#[test]
fn dg13_accepts_printable_and_utf8_strings_alike() {
    let printable = dg13::encode_entries(&[entry(12, &tlv::encode(0x13, b"15/03/2030"))]);
    let utf8 = dg13::encode_entries(&[entry(12, &tlv::encode(0x0C, b"15/03/2030"))]);
    let a = dg13::decode(&printable).unwrap();
    let b = dg13::decode(&utf8).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.expiry_date.unwrap().date,
        Some(jiff::civil::date(2030, 3, 15))
    );
    // PrintableString with a non-ASCII byte is refused.
    let bad = dg13::encode_entries(&[entry(1, &tlv::encode(0x13, "Nữ".as_bytes()))]);
    assert!(dg13::decode(&bad).is_err());
}

#[test]
fn dg13_keeps_unknown_fields_tolerates_order_and_normalises() {
    // Fields out of order, an unknown number, a decomposed (NFD) name.
    let nfd = "Nu\u{031B}\u{0303}"; // "Nữ" decomposed
    let b = dg13::encode_entries(&[
        entry(4, &tlv::encode(0x0C, nfd.as_bytes())),
        entry(42, &tlv::encode(0x0C, "giá trị".as_bytes())),
        entry(1, &tlv::encode(0x13, b"001090012345")),
        tlv::encode(0x30, &tlv::der_uint(14)),
    ]);
    let d: Dg13 = dg13::decode(&b).unwrap();
    assert_eq!(d.sex.as_deref(), Some("Nữ"));
    assert_eq!(d.personal_id.as_deref(), Some("001090012345"));
    assert_eq!(d.unknown, vec![(42, "giá trị".to_string())]);
    assert_eq!(d.full_name, None);
    assert_eq!(d.spouse_name, None);
}

#[test]
fn dg13_rejects_malformed_input_without_panicking() {
    let good = dg13::encode_card(&Card::sample());
    for cut in 0..good.len() {
        assert!(dg13::decode(&good[..cut]).is_err(), "cut at {cut}");
    }
    let dup = dg13::encode_entries(&[
        entry(1, &tlv::encode(0x13, b"1")),
        entry(1, &tlv::encode(0x13, b"2")),
    ]);
    assert!(dg13::decode(&dup).is_err());
}

#[test]
fn pki_init_writes_and_refuses_to_overwrite() {
    let dir = std::env::temp_dir().join(format!("cancuoc-chip-pki-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    pki::init(&dir, now(), false).unwrap();
    use std::os::unix::fs::PermissionsExt;
    for f in pki::FILES {
        assert!(dir.join(f).exists(), "{f}");
    }
    for key in ["csca.key.pem", "ds.key.pem"] {
        let mode = std::fs::metadata(dir.join(key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{key}");
    }
    let before = std::fs::read(dir.join("ds.key.pem")).unwrap();
    assert!(pki::init(&dir, now(), false).is_err());
    assert_eq!(std::fs::read(dir.join("ds.key.pem")).unwrap(), before);
    let ds = cancuoc_chip::DocumentSigner::load(&dir).unwrap();
    let csca = pki::load_certificates(&dir.join("csca.pem")).unwrap();
    let subject = csca[0].tbs_certificate().subject().to_string();
    assert!(
        subject.contains("TEST CSCA") && subject.contains("NOT FOR PRODUCTION"),
        "{subject}"
    );
    let dump = issue(&Card::sample(), None, &ds).unwrap();
    assert!(verify(&dump, &csca, today()).valid);
    pki::init(&dir, now(), true).unwrap();
    assert_ne!(std::fs::read(dir.join("ds.key.pem")).unwrap(), before);
    std::fs::remove_dir_all(&dir).ok();
}
