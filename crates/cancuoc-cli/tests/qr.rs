//! `cancuoc qr` on the real binary: exit codes, JSON shape, stdin handling,
//! both languages, encode ∘ decode. Synthetic card data only.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const CLASSIC: &str =
    "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 1, Phường Mẫu, Hà Nội|15072021";
const EXTENDED: &str =
    "079305001234||Trần Thị Bích Ngọc|15062005|Nữ|Thôn Thử, Xã Giả, Tỉnh Mẫu|02082024||||";

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

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

const KEYS: [&str; 13] = [
    "valid",
    "personal_id",
    "old_id",
    "full_name",
    "date_of_birth",
    "sex",
    "residence",
    "issue_date",
    "layout",
    "extra_empty_fields",
    "warnings",
    "error",
    // present only for stdin input
    "line",
];

fn check_shape(v: &Value, from_stdin: bool) {
    let obj = v.as_object().expect("object");
    for k in &KEYS[..12] {
        assert!(obj.contains_key(*k), "missing {k} in {v}");
    }
    assert_eq!(obj.contains_key("line"), from_stdin, "{v}");
    assert!(obj.keys().all(|k| KEYS.contains(&k.as_str())), "{v}");
}

#[test]
fn decode_json_valid_classic() {
    let o = run(&["qr", "decode", "--json", CLASSIC], None);
    assert_eq!(o.status.code(), Some(0));
    let v = &json_lines(&o)[0];
    check_shape(v, false);
    assert_eq!(v["valid"], true);
    assert_eq!(v["personal_id"], "001099012345");
    assert_eq!(v["old_id"], "123456789");
    assert_eq!(v["full_name"], "Nguyễn Văn An");
    assert_eq!(v["date_of_birth"], "1999-01-01");
    assert_eq!(v["sex"], "male");
    assert_eq!(v["residence"], "Số 1, Phường Mẫu, Hà Nội");
    assert_eq!(v["issue_date"], "2021-07-15");
    assert_eq!(v["layout"], "classic");
    assert_eq!(v["extra_empty_fields"], 0);
    assert_eq!(v["warnings"], serde_json::json!([]));
    assert_eq!(v["error"], Value::Null);
}

#[test]
fn decode_json_extended_layout_null_old_id() {
    let o = run(&["qr", "decode", "--json", EXTENDED], None);
    assert_eq!(o.status.code(), Some(0));
    let v = &json_lines(&o)[0];
    assert_eq!(v["old_id"], Value::Null);
    assert_eq!(v["sex"], "female");
    assert_eq!(v["layout"], "extended-2024");
    assert_eq!(v["extra_empty_fields"], 4);
}

#[test]
fn decode_invalid_exits_1_with_bilingual_error() {
    let bad = "001099012345||A|31022000|Nam|X|01012022";
    let o = run(&["qr", "decode", "--json", bad], None);
    assert_eq!(o.status.code(), Some(1));
    let v = &json_lines(&o)[0];
    check_shape(v, false);
    assert_eq!(v["valid"], false);
    assert_eq!(v["personal_id"], Value::Null);
    assert_eq!(v["error"]["code"], "qr.date_impossible");
    let vi = v["error"]["message_vi"].as_str().expect("vi");
    let en = v["error"]["message_en"].as_str().expect("en");
    assert!(vi.contains("Trường 4 (ngày sinh)"), "{vi}");
    assert!(en.contains("Field 4 (date of birth)"), "{en}");
}

#[test]
fn decode_warnings_do_not_make_it_invalid() {
    // ID says male 1999; payload says Nữ.
    let p = "001099012345||Lê Thị C|01011999|Nữ|X|01012022";
    let o = run(&["qr", "decode", "--json", p], None);
    assert_eq!(o.status.code(), Some(0));
    let v = &json_lines(&o)[0];
    assert_eq!(v["valid"], true);
    let w = v["warnings"].as_array().expect("warnings");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["code"], "qr.id_sex_mismatch");
    assert!(w[0]["message_vi"].is_string() && w[0]["message_en"].is_string());
}

#[test]
fn decode_stdin_one_payload_per_line() {
    let mut input = Vec::new();
    input.extend_from_slice(CLASSIC.as_bytes());
    input.extend_from_slice(b"\r\n\r\n"); // blank line skipped
    input.extend_from_slice(b"001099012345||A|01011999|Nam|X\n");
    input.extend_from_slice(b"001099012345||A\xff|01011999|Nam|X|01012022\n");
    input.extend_from_slice(EXTENDED.as_bytes()); // no final newline
    let o = run(&["qr", "decode", "--json"], Some(&input));
    assert_eq!(o.status.code(), Some(1));
    let vs = json_lines(&o);
    assert_eq!(vs.len(), 4);
    for v in &vs {
        check_shape(v, true);
    }
    let lines: Vec<_> = vs.iter().map(|v| v["line"].as_u64()).collect();
    assert_eq!(lines, [Some(1), Some(3), Some(4), Some(5)]);
    assert_eq!(vs[0]["valid"], true);
    assert_eq!(vs[1]["error"]["code"], "qr.too_few_fields");
    assert_eq!(vs[2]["error"]["code"], "qr.invalid_utf8");
    assert!(
        vs[2]["error"]["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("byte 15") && m.contains("field 3 (full name)")),
        "{}",
        vs[2]["error"]
    );
    assert_eq!(vs[3]["valid"], true);
}

#[test]
fn decode_all_valid_stdin_exits_0_and_empty_stdin_is_usage_error() {
    let o = run(
        &["qr", "decode", "--json"],
        Some(format!("{CLASSIC}\n").as_bytes()),
    );
    assert_eq!(o.status.code(), Some(0));
    let o = run(&["qr", "decode"], Some(b"\n\r\n"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("lỗi"));
}

#[test]
fn decode_human_output_in_both_languages() {
    let o = run(&["qr", "decode", CLASSIC], None);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.starts_with("HỢP LỆ\n"), "{s}");
    assert!(s.contains("Ngày sinh:") && s.contains("01/01/1999"), "{s}");
    assert!(s.contains("Giới tính:") && s.contains("Nam"), "{s}");
    let o = run(&["--lang", "en", "qr", "decode", CLASSIC], None);
    let s = stdout(&o);
    assert!(s.starts_with("VALID\n"), "{s}");
    assert!(
        s.contains("Date of birth:") && s.contains("1999-01-01"),
        "{s}"
    );
    assert!(s.contains("Sex:") && s.contains("male"), "{s}");
    let o = run(&["--lang", "en", "qr", "decode", "x|y"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("INVALID [qr.too_few_fields]"));
}

#[test]
fn encode_round_trips_through_decode() {
    let o = run(
        &[
            "qr",
            "encode",
            "--id",
            "079305001234",
            "--name",
            "Trần Thị Bích Ngọc",
            "--dob",
            "2005-06-15",
            "--sex",
            "nữ",
            "--residence",
            "Thôn Thử, Xã Giả, Tỉnh Mẫu",
            "--issued",
            "2024-08-02",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Issued after 2024-07-01: the extended layout by default.
    assert_eq!(stdout(&o), format!("{EXTENDED}\n"));
    let o = run(
        &[
            "qr",
            "encode",
            "--id",
            "001099012345",
            "--cmnd",
            "123456789",
            "--name",
            "Nguyễn Văn An",
            "--dob",
            "1999-01-01",
            "--sex",
            "m",
            "--residence",
            "Số 1, Phường Mẫu, Hà Nội",
            "--issued",
            "2021-07-15",
        ],
        None,
    );
    assert_eq!(stdout(&o), format!("{CLASSIC}\n"));
    let d = run(&["qr", "decode", "--json", stdout(&o).trim_end()], None);
    assert_eq!(json_lines(&d)[0]["personal_id"], "001099012345");
}

#[test]
fn encode_bad_input_exits_1_bad_usage_exits_2() {
    let base = [
        "qr",
        "encode",
        "--name",
        "A",
        "--dob",
        "1999-01-01",
        "--sex",
        "male",
        "--residence",
        "X",
        "--issued",
        "2020-01-01",
    ];
    let with = |extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        run(&a, None)
    };
    let o = with(&["--id", "00109901234"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[id.too_short] --id"));
    let o = with(&["--id", "001099012345", "--cmnd", "12345"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("qr.old_id_length"));
    let o = with(&["--id", "001099012345", "--layout", "sideways"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        &[
            "qr",
            "encode",
            "--id",
            "001099012345",
            "--name",
            "A",
            "--dob",
            "1999-02-30",
            "--sex",
            "male",
            "--residence",
            "X",
            "--issued",
            "2020-01-01",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        &[
            "qr",
            "encode",
            "--id",
            "001099012345",
            "--name",
            "A|B",
            "--dob",
            "1999-01-01",
            "--sex",
            "male",
            "--residence",
            "X",
            "--issued",
            "2020-01-01",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("qr.separator_in_field"));
}
