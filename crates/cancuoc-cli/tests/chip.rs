//! `cancuoc pki init` and `cancuoc chip issue|verify` through the real
//! binary: a valid dump, one flipped byte of DG13 (invalid, naming DG13,
//! exit 1), a CSCA of another PKI (the chain fails), usage errors (exit 2).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(args)
        .env("CANCUOC_LANG", "en")
        .output()
        .expect("run cancuoc")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cancuoc-cli-chip-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

const CARD: &str = r#"{"personal_id": "079190012345", "full_name": "Tôn Nữ Thị Ninh",
 "surname": "Tôn Nữ", "date_of_birth": "1990-03-15", "sex": "female", "nationality": "Việt Nam",
 "place_of_origin": "Phường Thuận Hòa, Thành phố Huế",
 "residence": "Số 12 đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
 "issue_date": "2022-05-20", "expiry_date": "2030-03-15",
 "identifying_features": "Nốt ruồi C:1cm trên trước mép phải", "old_id": "025123456",
 "portrait": null}"#;

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

fn verify_json(csca: &Path, dump: &Path) -> (Option<i32>, Value) {
    let o = run(&["chip", "verify", "--json", "--csca", p(csca), p(dump)]);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

fn check<'a>(v: &'a Value, item: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["item"] == item)
        .unwrap_or_else(|| panic!("no {item} in {v}"))
}

#[test]
fn pki_init_issue_verify_tamper_and_wrong_csca() {
    let dir = tmp("main");
    let pki = dir.join("pki");
    let o = run(&["pki", "init", p(&pki)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("TEST"));
    // A second init refuses to overwrite the keys.
    let o = run(&["pki", "init", p(&pki)]);
    assert_eq!(o.status.code(), Some(2));

    let card = dir.join("card.json");
    std::fs::write(&card, CARD).unwrap();
    let dump = dir.join("dump");
    let o = run(&[
        "chip",
        "issue",
        "--data",
        p(&card),
        "--pki",
        p(&pki),
        "--out",
        p(&dump),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in ["EF.COM", "EF.SOD", "DG1", "DG2", "DG13"] {
        assert!(dump.join(f).is_file(), "{f}");
    }

    let csca = pki.join("csca.pem");
    let (code, v) = verify_json(&csca, &dump);
    assert_eq!(code, Some(0), "{v}");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    for k in ["valid", "checks", "dg1", "dg13"] {
        assert!(keys.contains(&k), "{k}");
    }
    assert_eq!(v["valid"], true);
    for item in ["signature", "chain", "DG1", "DG2", "DG13"] {
        assert_eq!(check(&v, item)["ok"], true, "{item}");
    }
    assert_eq!(v["dg13"]["full_name"], "Tôn Nữ Thị Ninh");
    assert_eq!(v["dg13"]["sex"], "Nữ");
    assert_eq!(v["dg1"]["personal_id"], "079190012345");
    assert_eq!(v["dg1"]["surname"], "TON NU");

    // Human output: ✓ per check and the decoded fields.
    let o = run(&["chip", "verify", "--csca", p(&csca), p(&dump)]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("✓ signature") && text.contains("Tôn Nữ Thị Ninh"),
        "{text}"
    );

    // One flipped byte of DG13: invalid, DG13 named, exit 1.
    let tampered = dir.join("tampered");
    std::fs::create_dir_all(&tampered).unwrap();
    for f in ["EF.COM", "EF.SOD", "DG1", "DG2", "DG13"] {
        std::fs::copy(dump.join(f), tampered.join(f)).unwrap();
    }
    let mut dg13 = std::fs::read(tampered.join("DG13")).unwrap();
    let mid = dg13.len() / 2;
    dg13[mid] ^= 0x01;
    std::fs::write(tampered.join("DG13"), dg13).unwrap();
    let (code, v) = verify_json(&csca, &tampered);
    assert_eq!(code, Some(1));
    assert_eq!(v["valid"], false);
    assert_eq!(check(&v, "DG13")["ok"], false);
    assert!(
        check(&v, "DG13")["detail"]
            .as_str()
            .unwrap()
            .contains("DG13: hash mismatch")
    );
    assert_eq!(check(&v, "DG1")["ok"], true);
    let o = run(&["chip", "verify", "--csca", p(&csca), p(&tampered)]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("✗ DG13"));

    // A CSCA from another PKI: the chain fails.
    let other = dir.join("other");
    assert_eq!(run(&["pki", "init", p(&other)]).status.code(), Some(0));
    let (code, v) = verify_json(&other.join("csca.pem"), &dump);
    assert_eq!(code, Some(1));
    assert_eq!(check(&v, "chain")["ok"], false);
    assert_eq!(check(&v, "signature")["ok"], true);

    // Usage errors: a missing CSCA file, an empty dump directory.
    let o = run(&[
        "chip",
        "verify",
        "--csca",
        p(&dir.join("nope.pem")),
        p(&dump),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(&["chip", "verify", "--csca", p(&csca), p(&empty)]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
