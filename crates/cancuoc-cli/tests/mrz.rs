//! `cancuoc mrz` on the real binary: exit codes, JSON shape, languages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// TD3 specimen with a letter in the birth date (check digits fail too).
const TD3_BAD_DOB: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7A08122F1204159ZE184226B<<<<<10";

fn cancuoc(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(args)
        .env_remove("CANCUOC_LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // The binary may exit on a usage error before reading stdin: a broken
    // pipe here is expected then, and the exit status is what is checked.
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("binary finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

/// The sorted keys of a JSON object: every verdict of one command has the
/// same set.
fn keys(o: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = o.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn decode_valid_td1_json_shape() {
    let o = cancuoc(&["mrz", "decode", "--json", "--today", "2026-11-21"], TD1);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = &json_lines(&o)[0];
    assert_eq!(v["format"], "TD1");
    assert_eq!(v["valid"], true);
    assert_eq!(v["document_number"], "D23145890");
    assert_eq!(v["surname"], "ERIKSSON");
    assert_eq!(v["given_names"], "ANNA MARIA");
    assert_eq!(v["birth_date"], "1974-08-12");
    assert_eq!(v["sex"], "female");
    assert_eq!(v["expiry_date"], "2012-04-15");
    assert_eq!(v["nationality"], "UTO");
    assert_eq!(v["personal_id"], serde_json::Value::Null);
    let checks = v["checks"].as_array().expect("checks array");
    let fields: Vec<&str> = checks.iter().filter_map(|c| c["field"].as_str()).collect();
    assert_eq!(
        fields,
        ["document_number", "birth_date", "expiry_date", "composite"]
    );
    assert!(checks.iter().all(|c| c["ok"] == true));
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0));
}

#[test]
fn decode_reports_field_errors_and_exits_1() {
    let o = cancuoc(&["mrz", "decode", "--json"], TD3_BAD_DOB);
    assert_eq!(o.status.code(), Some(1));
    let v = &json_lines(&o)[0];
    assert_eq!(v["format"], "TD3");
    assert_eq!(v["valid"], false);
    let failed: Vec<&str> = v["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["ok"] == false)
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(failed, ["birth_date", "composite"]);
    let e = &v["errors"][0];
    assert_eq!(e["code"], "mrz.not_numeric");
    assert_eq!(e["field"], "birth_date");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(2), Some(15))
    );
    assert!(
        e["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains("không phải chữ số"))
    );
    assert!(
        e["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("not a digit"))
    );
}

#[test]
fn decode_many_zones_separated_by_blank_lines() {
    let input = format!("{TD1}\r\n\r\n{TD3}\n\n\n{TD3_BAD_DOB}\n\nP<UTO\nL898\n");
    let o = cancuoc(&["mrz", "decode", "--json"], &input);
    assert_eq!(o.status.code(), Some(1));
    let v = json_lines(&o);
    assert_eq!(v.len(), 4);
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[1]["valid"], true);
    assert_eq!(v[1]["format"], "TD3");
    assert_eq!(v[2]["valid"], false);
    assert_eq!(v[3]["valid"], false);
    assert_eq!(v[3]["error"]["code"], "mrz.line_length");
    assert_eq!(v[3]["input_line"], 12);
    assert_eq!(v[1]["input_line"], 5);
    assert!(v[1]["error"].is_null());
    // A rejected zone has the same keys as a decoded one, `null` or empty.
    for zone in &v {
        assert_eq!(keys(zone), keys(&v[3]), "{zone}");
    }
    assert_eq!(v[0]["format"], "TD1");
    for k in [
        "format",
        "document_number",
        "surname",
        "birth_date",
        "personal_id",
    ] {
        assert!(v[3][k].is_null(), "{k}: {}", v[3]);
    }
    assert_eq!(v[3]["checks"], serde_json::json!([]));

    let ok = cancuoc(&["mrz", "decode", "--json"], &format!("{TD1}\n\n{TD3}\n"));
    assert_eq!(ok.status.code(), Some(0));
}

#[test]
fn decode_from_arguments_and_human_output_in_both_languages() {
    let lines: Vec<&str> = TD3.lines().collect();
    let vi = cancuoc(&["mrz", "decode", lines[0], lines[1]], "");
    assert_eq!(vi.status.code(), Some(0));
    assert!(stdout(&vi).contains("TD3 — hợp lệ"), "{}", stdout(&vi));
    assert!(stdout(&vi).contains("Tên đệm và tên: ANNA MARIA"));
    let en = cancuoc(&["--lang", "en", "mrz", "decode"], TD3_BAD_DOB);
    assert_eq!(en.status.code(), Some(1));
    assert!(stdout(&en).contains("TD3 — INVALID"), "{}", stdout(&en));
    assert!(stdout(&en).contains("is not a digit"));
}

#[test]
fn bytes_that_are_not_utf8_make_one_zone_invalid_and_the_run_goes_on() {
    let mut input = Vec::from(TD1.replacen("ERIKSSON", "ERIKS\u{0}ON", 1));
    let at = input.iter().position(|&b| b == 0).expect("marker");
    input[at] = 0xFF;
    input.extend_from_slice(format!("\n\n{TD3}\n").as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(["mrz", "decode", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write");
    let o = child.wait_with_output().expect("binary finishes");
    assert_eq!(o.status.code(), Some(1));
    let v = json_lines(&o);
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(v[0]["error"]["code"], "mrz.not_ascii", "{}", v[0]);
    assert!(
        v[0]["error"]["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("Line 3, column 6")),
        "{}",
        v[0]
    );
    assert_eq!(v[1]["valid"], true);
}

#[test]
fn clap_errors_and_tips_in_the_readers_language() {
    let err = |args: &[&str]| {
        let o = cancuoc(args, "");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let e = err(&["mrz", "--json", "decode"]);
    assert!(e.contains("gợi ý: có 'decode --json'"), "{e}");
    let e = err(&["--", "mrz"]);
    assert!(
        e.contains("gợi ý: có lệnh con 'mrz'; để dùng nó, bỏ '--' đứng trước"),
        "{e}"
    );
    // A missing subcommand: what is missing first, then the list.
    let e = err(&["mrz"]);
    assert!(e.starts_with("lỗi: thiếu lệnh con"), "{e}");
    assert!(e.contains("decode") && e.contains("encode"), "{e}");
    let e = err(&["--lang", "en", "mrz"]);
    assert!(
        e.starts_with("error: a subcommand or argument is missing"),
        "{e}"
    );
}

#[test]
fn decode_usage_errors_exit_2() {
    let empty = cancuoc(&["mrz", "decode"], "\n\n");
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("MRZ"));
    let bad_flag = cancuoc(&["mrz", "decode", "--today", "2026-13-01"], TD1);
    assert_eq!(bad_flag.status.code(), Some(2));
}

#[test]
fn encode_prints_three_lines_that_decode_back() {
    let args = [
        "mrz",
        "encode",
        "--id",
        "001099012345",
        "--name",
        "Nguyễn Văn An",
        "--dob",
        "1999-01-01",
        "--sex",
        "M",
        "--expiry",
        "2024-01-01",
    ];
    let o = cancuoc(&args, "");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let zone = stdout(&o);
    assert_eq!(
        zone,
        "IDVNM0990123459001099012345<<0\n9901018M2401014VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<\n"
    );
    let d = cancuoc(&["mrz", "decode", "--json", "--today", "2026-11-21"], &zone);
    assert_eq!(d.status.code(), Some(0));
    let v = &json_lines(&d)[0];
    assert_eq!(v["personal_id"], "001099012345");
    assert_eq!(v["surname"], "NGUYEN");
    assert_eq!(v["given_names"], "VAN AN");
    assert_eq!(v["birth_date"], "1999-01-01");
    assert_eq!(v["expiry_date"], "2024-01-01");
    assert!(
        v["checks"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["field"] == "personal_id"))
    );
}

#[test]
fn encode_without_expiry_and_as_json() {
    // One card without expiry, as JSON, with the given name.
    let encode_json = |name: &str| {
        cancuoc(
            &[
                "mrz",
                "encode",
                "--json",
                "--id",
                "079185000123",
                "--name",
                name,
                "--dob",
                "1955-03-08",
                "--sex",
                "nu",
                "--expiry",
                "none",
            ],
            "",
        )
    };
    let o = encode_json("Đặng Thị Ánh");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = &json_lines(&o)[0];
    assert_eq!(v["name_truncated"], false);
    let lines = v["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1].as_str().map(|l| &l[7..15]), Some("F9912315"));
    assert_eq!(lines[2], "DANG<<THI<ANH<<<<<<<<<<<<<<<<<");
    let d = cancuoc(
        &["mrz", "decode", "--json"],
        &lines
            .iter()
            .filter_map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(json_lines(&d)[0]["expiry_date"], "none");
    assert_eq!(v["valid"], true);
    assert!(v["error"].is_null() && v["flag"].is_null(), "{v}");

    // Card data that cannot be encoded, as JSON: the same keys, the flag at
    // fault and the error; exit 1.
    let o = encode_json("42");
    assert_eq!(o.status.code(), Some(1));
    let bad = &json_lines(&o)[0];
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["flag"], "--name");
    assert_eq!(bad["error"]["code"], "mrz.name_empty");
    assert!(
        bad["lines"].is_null() && bad["name_truncated"].is_null(),
        "{bad}"
    );
    assert_eq!(keys(bad), keys(v));
}

#[test]
fn encode_rejects_bad_card_data_with_exit_1_and_bad_flags_with_exit_2() {
    let base = [
        "mrz",
        "encode",
        "--name",
        "Lê An",
        "--dob",
        "1999-01-01",
        "--sex",
        "F",
    ];
    // Card data that cannot be encoded: invalid input, exit 1, the code and
    // what was wrong on stderr, nothing on stdout.
    for (extra, needles) in [
        (
            ["--id", "00109901234", "--expiry", "none"],
            &["KHÔNG HỢP LỆ [id.", "--id"][..],
        ),
        (
            ["--id", "001099012345", "--expiry", "1990-01-01"],
            &["[mrz.encode.expiry_before_birth] --expiry:", "1990-01-01"][..],
        ),
        (
            ["--id", "001099012345", "--expiry", "2099-12-31"],
            &["[mrz.encode.expiry_reads_as_none] --expiry:", "991231"][..],
        ),
    ] {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        let o = cancuoc(&args, "");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: {n:?} not in {err}");
        }
    }
    // Flags that cannot be read: usage errors, exit 2, in the reader's
    // language only.
    let args: Vec<&str> = base
        .iter()
        .chain(["--id", "001099012345", "--expiry", "someday"].iter())
        .copied()
        .collect();
    let o = cancuoc(&args, "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("giá trị không hợp lệ 'someday' cho '--expiry <EXPIRY>'")
            && err.contains("hoặc ghi none")
            && err.contains("Dùng '--help' để xem thêm."),
        "{err}"
    );
    assert!(
        !err.contains("invalid value") && !err.contains("Usage"),
        "{err}"
    );
    let mut en = args.clone();
    en.extend(["--lang", "en"]);
    let o = cancuoc(&en, "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid value 'someday' for '--expiry <EXPIRY>'")
            && err.contains("or none")
            && err.contains("For more information, try '--help'."),
        "{err}"
    );
    assert!(!err.contains("không hợp lệ"), "{err}");
    let o = cancuoc(
        &[
            "mrz",
            "encode",
            "--id",
            "001099012345",
            "--name",
            "X",
            "--dob",
            "1999-01-01",
            "--sex",
            "Q",
            "--expiry",
            "none",
        ],
        "",
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("[các giá trị được chấp nhận: M, F]"), "{err}");
}

#[test]
fn encode_keeps_compound_surnames_and_takes_an_explicit_one() {
    let base = |name: &str, surname: Option<&str>| {
        let mut a = vec![
            "mrz",
            "encode",
            "--id",
            "079190012345",
            "--name",
            name,
            "--dob",
            "1990-03-15",
            "--sex",
            "F",
            "--expiry",
            "2030-03-15",
        ];
        if let Some(s) = surname {
            a.extend(["--surname", s]);
        }
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        cancuoc(&refs, "")
    };
    let o = run(base("Tôn Nữ Thị Ninh", None));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).ends_with("TON<NU<<THI<NINH<<<<<<<<<<<<<<\n"),
        "{}",
        stdout(&o)
    );
    let o = run(base("Nguyễn Phúc An", Some("Nguyễn")));
    assert!(
        stdout(&o).ends_with("NGUYEN<<PHUC<AN<<<<<<<<<<<<<<<\n"),
        "{}",
        stdout(&o)
    );
    let o = run(base("Nguyễn Phúc An", None));
    assert!(
        stdout(&o).ends_with("NGUYEN<PHUC<<AN<<<<<<<<<<<<<<<\n"),
        "{}",
        stdout(&o)
    );
    // A surname that does not lead the name is refused, naming the flag.
    let o = run(base("Lê Thị Hoa", Some("Trần")));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--surname") && err.contains("Trần"), "{err}");
}
