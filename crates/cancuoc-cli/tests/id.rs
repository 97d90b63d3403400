//! `cancuoc id` on the real binary: exit codes, JSON shape, verdict lines.
//! All numbers are synthetic.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cancuoc(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(args)
        .env_remove("CANCUOC_LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cancuoc");
    // Feed stdin from a thread: with a large input the child fills its stdout
    // pipe before it has read everything, so writing first would deadlock.
    let mut pipe = child.stdin.take().expect("stdin");
    let bytes = stdin.map(<[u8]>::to_vec).unwrap_or_default();
    let writer = std::thread::spawn(move || {
        // The child may exit early (usage error): a broken pipe is fine.
        let _ = pipe.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("stdin writer");
    out
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

const DECODE_KEYS: [&str; 9] = [
    "valid",
    "input",
    "id",
    "region",
    "century",
    "sex",
    "birth_year",
    "serial",
    "error",
];

#[test]
fn decode_json_valid_fields() {
    let o = cancuoc(&["id", "decode", "--json", "079199000001"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json_lines(&o);
    assert_eq!(v.len(), 1);
    let j = &v[0];
    for k in DECODE_KEYS {
        assert!(j.get(k).is_some(), "missing key {k}");
    }
    assert_eq!(j["valid"], true);
    assert_eq!(j["id"], "079199000001");
    assert_eq!(j["region"]["kind"], "province");
    assert_eq!(j["region"]["code"], "079");
    assert_eq!(j["region"]["name"], "Hồ Chí Minh");
    assert_eq!(j["century"], 20);
    assert_eq!(j["sex"], "female");
    assert_eq!(j["birth_year"], 1999);
    assert_eq!(j["serial"], "000001");
    assert!(j["error"].is_null());
}

#[test]
fn decode_json_country_and_later_centuries() {
    let o = cancuoc(
        &["id", "decode", "--json", "101423123456", "295550000042"],
        None,
    );
    assert_eq!(code(&o), 0);
    let v = json_lines(&o);
    assert_eq!(v.len(), 2, "one JSON object per line, one per ID");
    assert_eq!(v[0]["region"]["kind"], "country");
    assert_eq!(v[0]["region"]["code"], "101");
    assert_eq!(v[0]["century"], 22);
    assert_eq!(v[0]["birth_year"], 2123);
    assert_eq!(v[0]["sex"], "male");
    assert_eq!(v[1]["sex"], "female");
    assert_eq!(v[1]["birth_year"], 2150);
}

#[test]
fn decode_json_errors_carry_code_and_both_messages() {
    let cases = [
        ("00109901234", "id.too_short"),
        ("0010990123456", "id.too_long"),
        ("001０99012345", "id.non_ascii_digit"),
        ("001 099 012345", "id.inner_whitespace"),
        ("00109901234x", "id.invalid_char"),
        ("097099012345", "id.unknown_region"),
        ("", "id.empty"),
    ];
    for (input, want) in cases {
        let o = cancuoc(&["id", "decode", "--json", input], None);
        assert_eq!(code(&o), 1, "{input:?}");
        let j = &json_lines(&o)[0];
        for k in DECODE_KEYS {
            assert!(j.get(k).is_some(), "missing key {k}");
        }
        assert_eq!(j["valid"], false);
        assert!(j["id"].is_null() && j["region"].is_null() && j["serial"].is_null());
        assert_eq!(j["error"]["code"], want, "{input:?}");
        assert!(!j["error"]["message_vi"].as_str().unwrap().is_empty());
        assert!(!j["error"]["message_en"].as_str().unwrap().is_empty());
        assert_eq!(j["input"], input);
    }
}

#[test]
fn decode_mixed_inputs_exit_1_and_keep_order() {
    let o = cancuoc(
        &[
            "id",
            "decode",
            "--json",
            "001099012345",
            "x",
            "079199000001",
        ],
        None,
    );
    assert_eq!(code(&o), 1);
    let v = json_lines(&o);
    let valid: Vec<bool> = v.iter().map(|j| j["valid"].as_bool().unwrap()).collect();
    assert_eq!(valid, [true, false, true]);
}

#[test]
fn decode_lenient_accepts_typed_forms_and_unknown_regions() {
    let o = cancuoc(
        &[
            "id",
            "decode",
            "--json",
            "--lenient",
            "001 099 012345",
            "001-099-012345",
            "097099012345",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let v = json_lines(&o);
    assert_eq!(v[0]["id"], "001099012345");
    assert_eq!(v[1]["id"], "001099012345");
    assert_eq!(v[2]["region"]["kind"], "unknown");
    assert_eq!(v[2]["region"]["code"], "097");
    assert!(v[2]["region"]["name"].is_null());
    // Lenient input still rejects a misplaced separator.
    let o = cancuoc(
        &["id", "decode", "--json", "--lenient", "001--099012345"],
        None,
    );
    assert_eq!(code(&o), 1);
    assert_eq!(json_lines(&o)[0]["error"]["code"], "id.misplaced_separator");
}

#[test]
fn decode_human_output_follows_lang() {
    let o = cancuoc(&["id", "decode", "001099012345"], None);
    assert_eq!(code(&o), 0);
    let s = stdout(&o);
    assert!(
        s.contains("hợp lệ") && s.contains("Hà Nội") && s.contains("Năm sinh: 1999"),
        "{s}"
    );
    assert!(s.contains("Giới tính: Nam"), "{s}");
    let o = cancuoc(&["--lang", "en", "id", "decode", "00109901234"], None);
    assert_eq!(code(&o), 1);
    let s = stdout(&o);
    assert!(
        s.contains("invalid") && s.contains("11 digits") && s.contains("[id.too_short]"),
        "{s}"
    );
}

#[test]
fn decode_usage_errors_exit_2() {
    assert_eq!(code(&cancuoc(&["id", "decode"], None)), 2);
    assert_eq!(
        code(&cancuoc(&["id", "decode", "--bogus", "001099012345"], None)),
        2
    );
    assert_eq!(code(&cancuoc(&["id"], None)), 2);
    // clap's errors and the flags' own checks, in the reader's language.
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let o = cancuoc(&["id", "decode", "--bogus", "001099012345"], None);
    let err = stderr(&o);
    assert!(
        err.starts_with("lỗi: không nhận ra đối số '--bogus'"),
        "{err}"
    );
    assert!(
        err.contains("Cách dùng: cancuoc id decode") && !err.contains("Usage"),
        "{err}"
    );
    let o = cancuoc(
        &["--lang", "en", "id", "decode", "--bogus", "001099012345"],
        None,
    );
    let err = stderr(&o);
    assert!(
        err.starts_with("error: unexpected argument '--bogus'"),
        "{err}"
    );
    assert!(err.contains("Usage: cancuoc id decode"), "{err}");
    let generate = |lang: &[&'static str], extra: &[&'static str]| {
        let base = ["id", "generate", "--sex", "female", "--birth-year", "1999"];
        let args: Vec<&str> = lang.iter().chain(&base).chain(extra).copied().collect();
        let o = cancuoc(&args, None);
        assert_eq!(code(&o), 2, "{args:?}");
        stderr(&o)
    };
    let err = generate(&[], &["--region", "1a"]);
    assert!(
        err.contains("'1a' cho '--region <REGION>': cần mã nơi đăng ký khai sinh gồm 3 chữ số"),
        "{err}"
    );
    let err = generate(&["--lang=en"], &["--region", "1a"]);
    assert!(
        err.contains("'1a' for '--region <REGION>': expected a 3-digit region code"),
        "{err}"
    );
    let err = generate(&[], &["--region", "001", "--count", "0"]);
    assert!(
        err.contains(
            "'0' cho '--count <COUNT>': cần một số nguyên từ 1 đến 1000000 [arg.bad_count]"
        ),
        "{err}"
    );
}

#[test]
fn check_one_verdict_per_line_and_summary() {
    let input = b"001099012345\n\n00109901234\n097099012345\r\n\xff\xfe\n 079199000001 ";
    let o = cancuoc(&["--lang", "en", "id", "check"], Some(input));
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert_eq!(lines[0], "valid\t001099012345\t001\tprovince\tmale\t1999");
    assert_eq!(lines[1], "empty");
    assert!(
        lines[2].starts_with("invalid\tid.too_short\t"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("invalid\tid.unknown_region\t"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].starts_with("invalid\tid.invalid_char\t"),
        "{}",
        lines[4]
    );
    assert_eq!(lines[5], "valid\t079199000001\t079\tprovince\tfemale\t1999");
    let err = stderr(&o);
    assert!(
        err.contains("Checked 6 lines: 2 valid, 3 invalid, 1 empty"),
        "{err}"
    );
    assert!(
        err.contains("id.too_short: 1") && err.contains("id.unknown_region: 1"),
        "{err}"
    );
}

#[test]
fn check_all_valid_exits_0_and_blank_lines_do_not_count() {
    let o = cancuoc(
        &["id", "check"],
        Some(b"001099012345\n\n   \n079199000001\n"),
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("2 hợp lệ, 0 không hợp lệ, 2 trống"),
        "{}",
        stderr(&o)
    );
    let o = cancuoc(&["id", "check"], Some(b""));
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), "");
}

#[test]
fn check_json_lines() {
    let o = cancuoc(
        &["id", "check", "--json", "--lenient"],
        Some(b"001 099 012345\n\n097099012345\n12\n"),
    );
    assert_eq!(code(&o), 1);
    let v = json_lines(&o);
    assert_eq!(v.len(), 4);
    let lines: Vec<u64> = v.iter().map(|j| j["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 3, 4]);
    assert_eq!(v[0]["verdict"], "valid");
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[0]["id"], "001099012345");
    assert_eq!(v[0]["region"]["code"], "001");
    assert_eq!(v[0]["century"], 20);
    assert_eq!(v[0]["serial"], "012345");
    assert_eq!(v[1]["verdict"], "empty");
    assert_eq!(v[2]["region"]["kind"], "unknown");
    assert_eq!(v[3]["verdict"], "invalid");
    assert_eq!(v[3]["valid"], false);
    assert_eq!(v[3]["error"]["code"], "id.too_short");
}

#[test]
fn check_handles_many_lines() {
    let mut input = Vec::new();
    for i in 0..20_000u32 {
        writeln!(input, "001099{i:06}").unwrap();
    }
    input.extend_from_slice(b"bad\n");
    let o = cancuoc(&["id", "check"], Some(&input));
    assert_eq!(code(&o), 1);
    assert_eq!(stdout(&o).lines().count(), 20_001);
    assert_eq!(
        stdout(&o)
            .lines()
            .filter(|l| l.starts_with("valid\t"))
            .count(),
        20_000
    );
}

fn write_key(name: &str, text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("cancuoc-id-test-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn generate_is_deterministic_with_a_key_and_decodes_back() {
    let key = write_key("key", "000102030405060708090a0b0c0d0e0f\n");
    let k = key.to_str().unwrap();
    let args = [
        "id",
        "generate",
        "--region",
        "001",
        "--sex",
        "female",
        "--birth-year",
        "1999",
        "--count",
        "50",
        "--key-file",
        k,
    ];
    let a = cancuoc(&args, None);
    let b = cancuoc(&args, None);
    assert_eq!(code(&a), 0, "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b), "same key, same numbers");
    let ids: Vec<String> = stdout(&a).lines().map(str::to_owned).collect();
    assert_eq!(ids.len(), 50);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 50);
    assert!(ids.iter().all(|i| i.len() == 12 && i.starts_with("001199")));
    // --start continues the same sequence.
    let mut more = args.to_vec();
    more[9] = "10";
    more.extend(["--start", "40"]);
    let c = cancuoc(&more, None);
    assert_eq!(
        stdout(&c).lines().collect::<Vec<_>>(),
        ids[40..50].iter().map(String::as_str).collect::<Vec<_>>()
    );
    // Generated numbers decode to what was asked for.
    let mut dec = vec!["id", "decode", "--json"];
    dec.extend(ids.iter().take(5).map(String::as_str));
    let d = cancuoc(&dec, None);
    assert_eq!(code(&d), 0);
    for j in json_lines(&d) {
        assert_eq!(
            (j["sex"].as_str(), j["birth_year"].as_i64()),
            (Some("female"), Some(1999))
        );
    }
    std::fs::remove_file(key).ok();
}

#[test]
fn generate_json_and_random_key_notice() {
    let o = cancuoc(
        &[
            "--lang",
            "en",
            "id",
            "generate",
            "--region",
            "101",
            "--sex",
            "male",
            "--birth-year",
            "2024",
            "--count",
            "2",
            "--json",
        ],
        None,
    );
    assert_eq!(code(&o), 0);
    let v = json_lines(&o);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["index"], 0);
    assert_eq!(v[1]["index"], 1);
    assert_eq!(v[0]["prefix"], "101224");
    assert!(v[0]["id"].as_str().unwrap().starts_with("101224"));
    assert!(
        stderr(&o).contains("unique only within this run"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn generate_errors_exit_2() {
    let base = ["id", "generate", "--sex", "female"];
    let cases: &[&[&str]] = &[
        &["--region", "097", "--birth-year", "1999"],
        &["--region", "001", "--birth-year", "1899"],
        &["--region", "001", "--birth-year", "2400"],
        &["--region", "1234", "--birth-year", "1999"],
        &["--region", "001", "--birth-year", "1999", "--count", "0"],
        &[
            "--region",
            "001",
            "--birth-year",
            "1999",
            "--count",
            "1000001",
        ],
        &[
            "--region",
            "001",
            "--birth-year",
            "1999",
            "--start",
            "999999",
            "--count",
            "2",
        ],
    ];
    for extra in cases {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let o = cancuoc(&args, None);
        assert_eq!(code(&o), 2, "{extra:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{extra:?}: nothing generated");
    }
    let o = cancuoc(
        &[
            "--lang",
            "en",
            "id",
            "generate",
            "--region",
            "001",
            "--sex",
            "female",
            "--birth-year",
            "1999",
            "--start",
            "999999",
            "--count",
            "2",
        ],
        None,
    );
    assert!(stderr(&o).contains("only 1 serials left"), "{}", stderr(&o));
    // The last serial of a prefix can still be had.
    let key = write_key("last", "ffffffffffffffffffffffffffffffff");
    let o = cancuoc(
        &[
            "id",
            "generate",
            "--region",
            "001",
            "--sex",
            "female",
            "--birth-year",
            "1999",
            "--start",
            "999999",
            "--key-file",
            key.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o).lines().count(), 1);
    for bad in [
        "abc",
        "000102030405060708090a0b0c0d0e",
        "000102030405060708090a0b0c0d0e0f00",
    ] {
        let k = write_key("bad", bad);
        let o = cancuoc(
            &[
                "id",
                "generate",
                "--region",
                "001",
                "--sex",
                "female",
                "--birth-year",
                "1999",
                "--key-file",
                k.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code(&o), 2, "{bad}");
        std::fs::remove_file(k).ok();
    }
    std::fs::remove_file(key).ok();
}

/// `id check` with `CANCUOC_CHECK_THREADS` set (1 = single thread, 2 = the
/// input blocks are split between two threads).
fn check_with_threads(threads: &str, stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(["--lang", "en", "id", "check"])
        .env_remove("CANCUOC_LANG")
        .env("CANCUOC_CHECK_THREADS", threads)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cancuoc");
    let mut pipe = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("stdin writer");
    out
}

#[test]
fn check_fast_and_threaded_paths_match_the_parser_on_every_kind_of_line() {
    // Several 1 MiB blocks of every kind of line, a line longer than a block,
    // and a last line without its newline. `want` is each line's expected
    // verdict (whole line, or a prefix for error lines).
    let mut input = Vec::new();
    let mut want: Vec<String> = Vec::new();
    let mut x: u32 = 12345;
    for i in 0..150_000u32 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let serial = x % 1_000_000;
        let (sex, g) = if i % 2 == 0 {
            ("male", 2)
        } else {
            ("female", 3)
        };
        let id = format!("079{g}{:02}{serial:06}", i % 100);
        let valid = format!("valid\t{id}\t079\tprovince\t{sex}\t20{:02}", i % 100);
        let (line, verdict): (Vec<u8>, String) = match i % 16 {
            0 => (format!("{id}\r").into_bytes(), valid),
            1 => (format!("  {id} ").into_bytes(), valid),
            2 => (b"".to_vec(), "empty".into()),
            3 => (b" \t ".to_vec(), "empty".into()),
            4 => (
                id.as_bytes()[..11].to_vec(),
                "invalid\tid.too_short\t".into(),
            ),
            5 => (
                format!("{id}7").into_bytes(),
                "invalid\tid.too_long\t".into(),
            ),
            6 => (
                format!("098{}", &id[3..]).into_bytes(),
                "invalid\tid.unknown_region\t".into(),
            ),
            7 => (
                format!("{}x{}", &id[..5], &id[6..]).into_bytes(),
                "invalid\tid.invalid_char\tInvalid character 'x' (U+0078) at position 6".into(),
            ),
            8 => (
                format!("{}\u{FF11}{}", &id[..2], &id[3..]).into_bytes(),
                "invalid\tid.non_ascii_digit\t".into(),
            ),
            9 => (
                [&id.as_bytes()[..4], b"\xff", &id.as_bytes()[5..]].concat(),
                "invalid\tid.invalid_char\t".into(),
            ),
            10 => (format!("101{}", &id[3..]).into_bytes(), {
                let v = valid.replacen("\t079\tprovince\t", "\t101\tcountry\t", 1);
                v.replacen(&id, &format!("101{}", &id[3..]), 1)
            }),
            _ => (id.into_bytes(), valid),
        };
        input.extend_from_slice(&line);
        input.push(b'\n');
        want.push(verdict);
        if i == 100_000 {
            input.extend(std::iter::repeat_n(b'1', 3 << 20));
            input.push(b'\n');
            want.push("invalid\tid.too_long\t".into());
        }
    }
    input.extend_from_slice(b"001099012345");
    want.push("valid\t001099012345\t001\tprovince\tmale\t1999".into());

    let one = check_with_threads("1", &input);
    let two = check_with_threads("2", &input);
    assert_eq!(code(&one), 1);
    assert_eq!(code(&two), 1);
    assert!(one.stdout == two.stdout, "threaded output differs");
    assert_eq!(stderr(&one), stderr(&two));
    let out = stdout(&one);
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), want.len());
    for (n, (g, w)) in got.iter().zip(&want).enumerate() {
        if w.starts_with("invalid") {
            assert!(g.starts_with(w.as_str()), "line {}: {g:?} vs {w:?}", n + 1);
        } else {
            assert_eq!(g, w, "line {}", n + 1);
        }
    }
    let valid = want.iter().filter(|w| w.starts_with("valid")).count();
    let empty = want.iter().filter(|w| *w == "empty").count();
    let summary = format!(
        "Checked {} lines: {valid} valid, {} invalid, {empty} empty",
        want.len(),
        want.len() - valid - empty
    );
    assert!(stderr(&one).contains(&summary), "{}", stderr(&one));
}
