//! `cancuoc rules …` run as a real binary: exit codes, JSON shapes, human
//! output in both languages, and usage errors in the reader's language.

use serde_json::{Value, json};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(args)
        .env_remove("CANCUOC_LANG")
        .output()
        .expect("the binary runs")
}

fn json_out(args: &[&str], code: i32) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A usage error, run in Vietnamese (the default) and with `--lang en`:
/// exit 2 and nothing on stdout in both; each run's message in its own
/// language only (neither contains the other's message); every `needle` in
/// one of the two.
fn usage_error(args: &[&str], needles: &[&str]) {
    let english: Vec<&str> = ["--lang", "en"].iter().chain(args).copied().collect();
    let [vi, en] = [args, &english[..]].map(|args| {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    });
    // The message: the first line after the prefix, without its `[code]`.
    let message = |err: &str, prefix: &str| -> String {
        let line = err.lines().next().unwrap_or_default();
        let line = line
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{args:?}: no {prefix:?} in {err}"));
        line.rsplit_once(" [").map_or(line, |(m, _)| m).to_owned()
    };
    let (vi_message, en_message) = (message(&vi, "lỗi: "), message(&en, "error: "));
    assert!(!vi.contains(&en_message), "{args:?}: English in {vi}");
    assert!(!en.contains(&vi_message), "{args:?}: Vietnamese in {en}");
    for n in needles {
        assert!(
            vi.contains(n) || en.contains(n),
            "{args:?}: {n:?} in neither {vi} nor {en}"
        );
    }
}

fn has_basis(v: &Value, document: &str, article: &str) -> bool {
    v["basis"].as_array().is_some_and(|b| {
        b.iter()
            .any(|x| x["document"] == document && x["article"] == article)
    })
}

#[test]
fn expiry_json_shape_and_values() {
    let v = json_out(
        &[
            "rules",
            "expiry",
            "--dob",
            "2000-03-15",
            "--issued",
            "2023-03-15",
            "--json",
        ],
        0,
    );
    assert_eq!(v["expiry"], "2040-03-15");
    assert_eq!(v["regime"], "cccd2014");
    assert_eq!(v["dob"], "2000-03-15");
    assert!(has_basis(
        &v,
        "Luật Căn cước công dân 59/2014/QH13",
        "Điều 21 khoản 2"
    ));
    assert!(v["explanation_vi"].as_str().unwrap().contains("15/03/2040"));
    assert!(v["explanation_en"].as_str().unwrap().contains("2040-03-15"));

    let v = json_out(
        &[
            "rules",
            "expiry",
            "--dob",
            "1965-07",
            "--issued",
            "2024-07-01",
            "--json",
        ],
        0,
    );
    assert_eq!(v["expiry"], Value::Null, "58 or older: no expiry");
    assert_eq!(v["regime"], "cancuoc2023");

    let v = json_out(
        &[
            "rules",
            "expiry",
            "--dob",
            "2015-09-01",
            "--issued",
            "2024-07-01",
            "--json",
        ],
        0,
    );
    assert_eq!(v["expiry"], "2029-09-01");
}

#[test]
fn expiry_human_output_in_both_languages() {
    let vi = stdout(&[
        "rules",
        "expiry",
        "--dob",
        "2000-02-29",
        "--issued",
        "2016-03-01",
    ]);
    assert!(vi.starts_with("Hạn sử dụng thẻ: 28/02/2025"), "{vi}");
    assert!(vi.contains("Căn cứ: Điều 21 khoản 1, Luật Căn cước công dân 59/2014/QH13"));
    let en = stdout(&[
        "--lang",
        "en",
        "rules",
        "expiry",
        "--dob",
        "1960",
        "--issued",
        "2024-01-01",
    ]);
    assert!(en.starts_with("Card expiry: no expiry"), "{en}");
    assert!(en.contains("Legal basis:"));
}

#[test]
fn fee_json_for_each_period_and_channel() {
    let cases = [
        (&["--date", "2023-05-10"][..], 50_000, "tt59-2019:rate"),
        (&["--date", "2024-11-01"][..], 25_000, "tt73-2024-launch-50"),
        (
            &["--date", "2025-03-01", "--online"][..],
            25_000,
            "tt73-2024-online-50",
        ),
        (&["--date", "2025-03-01"][..], 50_000, "tt73-2024:rate"),
        (&["--date", "2025-09-01"][..], 25_000, "tt64-2025-50"),
        (
            &["--date", "2026-01-01", "--online"][..],
            50_000,
            "tt73-2024:rate",
        ),
        (
            &["--date", "2026-01-01", "--exemption", "elderly"][..],
            0,
            "tt73-2024:exempt",
        ),
        (
            &[
                "--date",
                "2023-01-01",
                "--exemption",
                "elderly",
                "--exemption",
                "poor-household",
            ][..],
            0,
            "tt59-2019:exempt",
        ),
    ];
    for (extra, amount, rule) in cases {
        let mut args = vec![
            "rules",
            "fee",
            "--kind",
            "renewal",
            "--reason",
            "on-request",
            "--json",
        ];
        args.extend_from_slice(extra);
        let v = json_out(&args, 0);
        assert_eq!(v["amount_vnd"], amount, "{extra:?}");
        assert_eq!(v["rule_id"], rule, "{extra:?}");
        assert!(v["basis"].as_array().is_some_and(|b| !b.is_empty()));
        assert!(v["explanation_vi"].is_string() && v["explanation_en"].is_string());
    }
    let v = json_out(
        &[
            "rules",
            "fee",
            "--kind",
            "first",
            "--reason",
            "first-issue",
            "--date",
            "2026-11-21",
            "--json",
        ],
        0,
    );
    assert_eq!(
        (v["amount_vnd"].clone(), v["kind"].clone()),
        (json!(0), json!("first"))
    );
    let v = json_out(
        &[
            "rules",
            "fee",
            "--kind",
            "reissue",
            "--reason",
            "lost",
            "--date",
            "2026-11-21",
            "--json",
        ],
        0,
    );
    assert_eq!(v["amount_vnd"], 70_000);
    assert!(has_basis(&v, "Thông tư 73/2024/TT-BTC", "Điều 4 khoản 1"));
}

#[test]
fn fee_defaults_to_today_and_prints_in_vietnamese() {
    let out = stdout(&[
        "rules",
        "fee",
        "--kind",
        "reissue",
        "--reason",
        "nationality-regained",
    ]);
    assert!(out.starts_with("Lệ phí: "), "{out}");
    assert!(out.contains("đồng"));
    let en = stdout(&[
        "--lang",
        "en",
        "rules",
        "fee",
        "--kind",
        "renewal",
        "--reason",
        "cmnd-conversion",
        "--date",
        "2026-02-02",
    ]);
    assert!(en.starts_with("Fee: 30,000 VND"), "{en}");
}

#[test]
fn unknown_codes_and_mismatches_are_usage_errors() {
    usage_error(
        &["rules", "fee", "--kind", "renew", "--reason", "age"],
        &[
            "Mã loại cấp không hợp lệ",
            "valid codes: first, renewal, reissue",
            "rules.unknown_code",
        ],
    );
    usage_error(
        &["rules", "fee", "--kind", "renewal", "--reason", "stolen"],
        &["first-issue", "nationality-regained", "Unknown reason code"],
    );
    usage_error(
        &[
            "rules",
            "fee",
            "--kind",
            "renewal",
            "--reason",
            "damaged",
            "--exemption",
            "veteran",
        ],
        &["martyr-family", "orphan", "đối tượng miễn lệ phí"],
    );
    usage_error(
        &[
            "rules",
            "fee",
            "--kind",
            "renewal",
            "--reason",
            "damaged",
            "--date",
            "2026-01-05",
        ],
        &[
            "Điều 24 khoản 2 điểm a",
            "rules.reason_not_for_kind",
            "is a reissue",
        ],
    );
    usage_error(
        &[
            "rules",
            "deadline",
            "--received",
            "2026-01-05",
            "--by",
            "commune",
        ],
        &["office, npd-centre"],
    );
    usage_error(
        &[
            "rules",
            "status",
            "--document",
            "passport",
            "--issued",
            "2020-01-01",
        ],
        &["cmnd, cccd, cancuoc"],
    );
}

#[test]
fn impossible_dates_are_usage_errors() {
    usage_error(
        &[
            "rules",
            "expiry",
            "--dob",
            "2001-02-29",
            "--issued",
            "2020-01-01",
        ],
        &["2001-02-29", "calendar.no_such_date"],
    );
    usage_error(
        &[
            "rules",
            "expiry",
            "--dob",
            "2000-13",
            "--issued",
            "2020-01-01",
        ],
        &["YYYY-MM", "date.invalid"],
    );
    usage_error(
        &["rules", "deadline", "--received", "2025-04-31"],
        &["2025-04-31"],
    );
    usage_error(
        &[
            "rules",
            "expiry",
            "--dob",
            "2011-01-01",
            "--issued",
            "2024-06-30",
        ],
        &["rules.too_young", "14"],
    );
    usage_error(
        &[
            "rules",
            "expiry",
            "--dob",
            "2020-05-05",
            "--issued",
            "2020-05-04",
        ],
        &["rules.issued_before_birth"],
    );
    usage_error(
        &[
            "rules",
            "fee",
            "--kind",
            "first",
            "--reason",
            "first-issue",
            "--date",
            "2015-01-01",
        ],
        &["rules.before_regimes", "01/01/2016"],
    );
}

#[test]
fn deadline_json_across_tet_2026() {
    let v = json_out(
        &["rules", "deadline", "--received", "2026-02-12", "--json"],
        0,
    );
    assert_eq!(v["promised_date"], "2026-03-02");
    assert_eq!(v["by"], "office");
    assert_eq!(v["cap_working_days"], 7);
    let stages: Vec<(String, String)> = v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap().to_owned(),
                s["due"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("commune-verification", "2026-02-13"),
            ("transfer-to-npd", "2026-02-23"),
            ("central-processing", "2026-02-26"),
            ("dispatch", "2026-03-02"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert!(has_basis(&v, "Luật Căn cước 26/2023/QH15", "Điều 26"));
    let v = json_out(
        &[
            "rules",
            "deadline",
            "--received",
            "2024-02-07",
            "--by",
            "npd-centre",
            "--json",
        ],
        0,
    );
    assert_eq!(v["promised_date"], "2024-02-26");
    assert_eq!(v["cap_working_days"], 8);
    assert_eq!(v["stages"].as_array().unwrap().len(), 3);
}

#[test]
fn status_exit_codes_follow_validity() {
    let v = json_out(
        &[
            "rules",
            "status",
            "--document",
            "cmnd",
            "--issued",
            "2012-01-01",
            "--on",
            "2024-06-01",
            "--json",
        ],
        0,
    );
    assert_eq!(
        v["status"],
        json!({"status": "valid", "until": "2024-12-31"})
    );
    let v = json_out(
        &[
            "rules",
            "status",
            "--document",
            "cmnd",
            "--issued",
            "2012-01-01",
            "--on",
            "2025-01-01",
            "--json",
        ],
        1,
    );
    assert_eq!(
        v["status"],
        json!({"status": "void", "since": "2025-01-01"})
    );
    let v = json_out(
        &[
            "rules",
            "status",
            "--document",
            "cccd",
            "--issued",
            "2021-04-01",
            "--dob",
            "2000-03-15",
            "--on",
            "2025-03-16",
            "--json",
        ],
        1,
    );
    assert_eq!(v["status"]["status"], "must-renew");
    assert_eq!(v["status"]["cause"], "age-milestone");
    assert_eq!(v["status"]["age"], 25);
    let v = json_out(
        &[
            "rules",
            "status",
            "--document",
            "cancuoc",
            "--issued",
            "2025-01-01",
            "--expiry",
            "none",
            "--on",
            "2026-01-01",
            "--json",
        ],
        0,
    );
    assert_eq!(v["status"], json!({"status": "valid", "until": null}));
    usage_error(
        &[
            "rules",
            "status",
            "--document",
            "cccd",
            "--issued",
            "2021-04-01",
        ],
        &["--expiry", "--dob"],
    );
    usage_error(
        &[
            "rules",
            "status",
            "--document",
            "cccd",
            "--issued",
            "2024-08-01",
            "--expiry",
            "none",
            "--on",
            "2025-01-01",
        ],
        &["rules.document_not_issued_then", "30/06/2024"],
    );
}

#[test]
fn eligibility_classify_confirmation_and_fines() {
    let v = json_out(
        &[
            "rules",
            "eligibility",
            "--dob",
            "2011-03-01",
            "--on",
            "2024-07-01",
            "--json",
        ],
        0,
    );
    assert_eq!(
        (v["status"].clone(), v["age"].clone()),
        (json!("on-request"), json!(13))
    );
    assert_eq!(v["regime"], "cancuoc2023");
    let v = json_out(
        &[
            "rules",
            "eligibility",
            "--dob",
            "2011-03-01",
            "--on",
            "2024-06-30",
            "--json",
        ],
        0,
    );
    assert_eq!(v["status"], "too-young");

    let v = json_out(
        &[
            "rules",
            "classify",
            "--promised",
            "2026-02-13",
            "--finished",
            "2026-02-23",
            "--json",
        ],
        0,
    );
    assert_eq!(v["status"], "late");
    assert_eq!(
        (
            v["working_days_late"].clone(),
            v["calendar_days_late"].clone()
        ),
        (json!(1), json!(10))
    );
    let v = json_out(
        &[
            "rules",
            "classify",
            "--promised",
            "2025-03-18",
            "--today",
            "2025-03-17",
            "--json",
        ],
        0,
    );
    assert_eq!(v["status"], "at-risk");

    let v = json_out(
        &[
            "rules",
            "cmnd-confirmation",
            "--received",
            "2026-02-12",
            "--json",
        ],
        0,
    );
    assert_eq!(v["due"], "2026-03-02");

    let v = json_out(&["rules", "fines", "--on", "2024-01-01", "--json"], 0);
    assert_eq!(v["document"], "Nghị định 144/2021/NĐ-CP");
    let fines = v["fines"].as_array().unwrap();
    assert_eq!(fines.len(), 13);
    assert_eq!(fines[0]["min_vnd"], 300_000);
    assert_eq!(fines[0]["warning"], true);
    let v = json_out(&["rules", "fines", "--on", "2026-01-01", "--json"], 0);
    assert_eq!(v["decree_id"], "nd282-2025");
    let v = json_out(&["rules", "fines", "--all", "--json"], 0);
    assert_eq!(v.as_array().unwrap().len(), 2);
    let human = stdout(&["--lang", "en", "rules", "fines", "--on", "2024-01-01"]);
    assert!(
        human.contains("Warning or a fine of 300,000–500,000 VND"),
        "{human}"
    );
}

#[test]
fn help_lists_every_code() {
    let help = stdout(&["rules", "fee", "--help"]);
    for code in [
        "first",
        "renewal",
        "reissue",
        "first-issue",
        "age",
        "damaged",
        "name-change",
        "features-change",
        "gender-redetermined",
        "origin-redetermined",
        "card-error",
        "agency-error",
        "on-request",
        "cmnd-conversion",
        "boundary-change",
        "lost",
        "nationality-regained",
        "martyr-family",
        "war-invalid",
        "war-invalid-child",
        "sick-soldier",
        "border-commune",
        "island-district",
        "ethnic-minority-hardship",
        "poor-household",
        "orphan",
    ] {
        assert!(
            help.contains(&format!("  {code} ")),
            "{code} missing from --help"
        );
    }
}
