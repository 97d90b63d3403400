//! `cancuoc qr keygen|sign|verify` on the real binary: key files and their
//! mode, a signed card verifying, another key refusing it, a truncated text
//! failing with a precise code, both output forms. Synthetic card data only.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(args)
        .env_remove("CANCUOC_LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cancuoc");
    {
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            pipe.write_all(bytes).expect("write stdin");
        }
    }
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cancuoc-seal-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

const CARD: &str = r#"{
  "personal_id": "001090012345", "full_name": "Trần Thị Mẫu", "surname": null,
  "date_of_birth": "1990-03-15", "sex": "female", "nationality": "Việt Nam",
  "place_of_origin": "Xã Thử, Tỉnh Mẫu", "residence": "Số 1 Phố Giả, Phường Thử, Hà Nội",
  "issue_date": "2022-05-01", "expiry_date": "2030-03-15",
  "identifying_features": "Nốt ruồi mẫu", "old_id": "123456789", "portrait": null
}"#;

fn keygen(dir: &Path) {
    let o = run(
        &["qr", "keygen", "--out", dir.to_str().expect("utf-8 path")],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn sign(dir: &Path) -> String {
    let card = dir.join("card.json");
    std::fs::write(&card, CARD).expect("card file");
    let o = run(
        &[
            "qr",
            "sign",
            "--data",
            card.to_str().expect("path"),
            "--key",
            dir.join("seal.key.pem").to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    stdout(&o).trim_end().to_owned()
}

#[test]
fn keygen_sign_verify() {
    let dir = scratch("ok");
    keygen(&dir);
    let private = std::fs::read_to_string(dir.join("seal.key.pem")).expect("key");
    assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("seal.key.pem"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        std::fs::read_to_string(dir.join("seal.pub.pem"))
            .expect("pub")
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    // A second keygen into the same directory refuses to overwrite (usage).
    let again = run(
        &["qr", "keygen", "--out", dir.to_str().expect("path")],
        None,
    );
    assert_eq!(again.status.code(), Some(2));

    let text = sign(&dir);
    assert!(text.len() > 200 && !text.contains('\n'));
    let pubkey = dir.join("seal.pub.pem");
    let pubkey = pubkey.to_str().expect("path");

    // Human, English, text as an argument.
    let o = run(
        &[
            "--lang",
            "en",
            "qr",
            "verify",
            "--pub",
            pubkey,
            "--today",
            "2026-06-01",
            &text,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.starts_with("VALID"), "{out}");
    assert!(
        out.contains("Trần Thị Mẫu") && !out.contains("15/03/1990"),
        "{out}"
    );
    assert!(out.contains("1990-03-15"), "{out}");
    // Vietnamese labels, text from stdin.
    let o = run(
        &[
            "qr",
            "verify",
            "--pub",
            pubkey,
            "--today",
            "2026-06-01",
            "-",
        ],
        Some(format!("{text}\n").as_bytes()),
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("HỢP LỆ") && out.contains("Ngày sinh:") && out.contains("15/03/1990"),
        "{out}"
    );

    // JSON.
    let o = run(
        &[
            "qr",
            "verify",
            "--pub",
            pubkey,
            "--json",
            "--today",
            "2026-06-01",
            &text,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["valid"], true);
    assert_eq!(v["signature_ok"], true);
    assert_eq!(v["expired"], false);
    assert_eq!(v["document"], "card");
    assert_eq!(v["claims"]["id"], "001090012345");
    assert_eq!(v["claims"]["date_of_birth"], "19900315");
    assert_eq!(v["claims"]["gender"], 2);
    assert_eq!(v["claims"]["old_id"], "123456789");
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["issuer"], "https://cancuoc.example/issuer");

    // Expired on a later day: exit 1, signature still holds.
    let o = run(
        &[
            "qr",
            "verify",
            "--pub",
            pubkey,
            "--json",
            "--today",
            "2030-03-16",
            &text,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(
        (
            v["valid"].clone(),
            v["signature_ok"].clone(),
            v["expired"].clone()
        ),
        (Value::Bool(false), Value::Bool(true), Value::Bool(true))
    );
}

#[test]
fn another_key_and_truncation_are_invalid() {
    let dir = scratch("bad");
    keygen(&dir);
    let text = sign(&dir);
    let other = scratch("other");
    keygen(&other);
    let other_pub = other.join("seal.pub.pem");
    let o = run(
        &[
            "qr",
            "verify",
            "--pub",
            other_pub.to_str().expect("path"),
            "--json",
            "--today",
            "2026-06-01",
            &text,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["valid"], false);
    assert_eq!(v["signature_ok"], false);
    assert_eq!(v["error"]["code"], "seal.unknown_kid");
    // The claims are still shown, unverified.
    assert_eq!(v["claims"]["full_name"], "Trần Thị Mẫu");

    // Truncated: a precise error, exit 1.
    let pubkey = dir.join("seal.pub.pem");
    let cut = &text[..text.len() - 10];
    let o = run(
        &[
            "qr",
            "verify",
            "--pub",
            pubkey.to_str().expect("path"),
            "--json",
            cut,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["error"]["code"], "seal.truncated", "{v}");
    assert_eq!(v["claims"], Value::Null);
    let o = run(
        &[
            "--lang",
            "en",
            "qr",
            "verify",
            "--pub",
            pubkey.to_str().expect("path"),
            cut,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("[seal.truncated] Truncated text"),
        "{}",
        stdout(&o)
    );

    // Usage: no such key file, exit 2.
    let o = run(
        &["qr", "verify", "--pub", "/nonexistent/seal.pub.pem", &text],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}
