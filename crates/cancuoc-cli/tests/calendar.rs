//! `cancuoc calendar …` run as a real binary: exit codes, JSON shapes and
//! errors in the reader's language.

use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(args)
        .env_remove("CANCUOC_LANG")
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
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

/// A usage error: exit 2, nothing on stdout, the code and the message on
/// stderr in the reader's language only: `vi` by default, `en` with
/// `--lang en`.
fn usage_error(args: &[&str], code: &str, vi: &str, en: &str) {
    let english: Vec<&str> = ["--lang", "en"].iter().chain(args).copied().collect();
    for (args, want, not) in [(args, vi, en), (&english[..], en, vi)] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(code), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains(not), "{args:?}: {not:?} in {err}");
    }
}

#[test]
fn lunar_json_shape() {
    let v = json(&["calendar", "lunar", "2025-01-29", "--json"]);
    assert_eq!(v["solar"], "2025-01-29");
    assert_eq!(v["lunar"]["year"], 2025);
    assert_eq!(v["lunar"]["month"], 1);
    assert_eq!(v["lunar"]["day"], 1);
    assert_eq!(v["lunar"]["leap"], false);
    assert_eq!(v["can_chi"], "Ất Tỵ");
    let v = json(&["calendar", "lunar", "2025-07-25", "--json"]);
    assert_eq!(
        v["lunar"],
        serde_json::json!({"year": 2025, "month": 6, "day": 1, "leap": true})
    );
}

#[test]
fn lunar_human_output_in_both_languages() {
    let vi = stdout(&["calendar", "lunar", "2007-02-17"]);
    assert_eq!(
        vi.trim(),
        "Dương lịch 2007-02-17 (thứ Bảy) = âm lịch ngày 1 tháng 1 năm 2007 (Đinh Hợi)"
    );
    let en = stdout(&["--lang", "en", "calendar", "lunar", "2030-02-02"]);
    assert_eq!(
        en.trim(),
        "Solar 2030-02-02 (Saturday) = lunar day 1 of month 1, lunar year 2030 (Canh Tuất)"
    );
}

#[test]
fn solar_from_lunar() {
    let v = json(&["calendar", "solar", "2026-03-10", "--json"]);
    assert_eq!(v["solar"], "2026-04-26");
    let v = json(&["calendar", "solar", "2025-06-01", "--leap", "--json"]);
    assert_eq!(v["solar"], "2025-07-25");
    assert_eq!(v["lunar"]["leap"], true);
    let v = json(&["calendar", "solar", "2025-06L-01", "--json"]);
    assert_eq!(v["solar"], "2025-07-25");
}

#[test]
fn impossible_dates_are_usage_errors() {
    usage_error(
        &["calendar", "lunar", "2025-02-29"],
        "calendar.no_such_date",
        "có 28 ngày",
        "has 28 days, so day 29 does not exist",
    );
    usage_error(
        &["calendar", "is-working-day", "2025-13-01"],
        "calendar.no_such_date",
        "không có tháng 13",
        "month 13 does not exist",
    );
    usage_error(
        &["calendar", "lunar", "29/01/2025"],
        "calendar.bad_date",
        "không phải là ngày viết theo dạng YYYY-MM-DD",
        "is not a date written YYYY-MM-DD",
    );
    usage_error(
        &["calendar", "solar", "2024-12-30"],
        "calendar.short_lunar_month",
        "chỉ có 29 ngày",
        "only 29 days",
    );
    usage_error(
        &["calendar", "solar", "2024-04-01", "--leap"],
        "calendar.no_leap_month",
        "không có tháng nhuận",
        "has no leap month",
    );
    usage_error(
        &["calendar", "solar", "2025-05-01", "--leap"],
        "calendar.wrong_leap_month",
        "là tháng 6",
        "is month 6, not month 5",
    );
    usage_error(
        &["calendar", "lunar", "1899-12-31"],
        "calendar.date_out_of_range",
        "ngoài phạm vi",
        "outside the supported range",
    );
    usage_error(
        &["calendar", "holidays", "1990"],
        "calendar.year_out_of_range",
        "năm 1990",
        "year 1990 is outside",
    );
    usage_error(
        &["calendar", "add-working-days", "2199-12-30", "10"],
        "calendar.past_end_of_range",
        "vượt quá",
        "goes past 2199-12-31",
    );
    // clap's own usage errors exit 2 as well.
    assert_eq!(
        run(&["calendar", "add-working-days", "2025-01-01", "-3"])
            .status
            .code(),
        Some(2)
    );
    let nope = run(&["calendar", "nope"]);
    assert_eq!(nope.status.code(), Some(2));
    let err = String::from_utf8_lossy(&nope.stderr);
    assert!(err.starts_with("lỗi: không có lệnh con 'nope'"), "{err}");
    assert!(err.contains("Cách dùng: cancuoc calendar"), "{err}");
}

#[test]
fn holidays_json_2025() {
    let v = json(&["calendar", "holidays", "2025", "--json"]);
    let list = v.as_array().expect("an array");
    let dates: Vec<&str> = list.iter().map(|h| h["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        [
            "2025-01-01",
            "2025-01-27",
            "2025-01-28",
            "2025-01-29",
            "2025-01-30",
            "2025-01-31",
            "2025-04-07",
            "2025-04-30",
            "2025-05-01",
            "2025-05-02",
            "2025-09-01",
            "2025-09-02"
        ]
    );
    for h in list {
        for key in ["date", "name_vi", "name_en", "kind", "occasion", "basis"] {
            assert!(!h[key].is_null(), "{key} missing in {h}");
        }
        assert!(["holiday", "compensatory", "official"].contains(&h["kind"].as_str().unwrap()));
        assert!(h["basis"]["document"].as_str().unwrap().len() > 5);
    }
    assert_eq!(list[9]["kind"], "official");
    assert!(
        list[9]["basis"]["document"]
            .as_str()
            .unwrap()
            .contains("6150/TB-BLĐTBXH")
    );
    assert_eq!(list[6]["occasion"], "hung-kings");
    assert!(
        list[6]["basis"]["document"]
            .as_str()
            .unwrap()
            .contains("45/2019/QH14")
    );
}

#[test]
fn holidays_human_lists_make_up_days() {
    let out = stdout(&["--lang", "en", "calendar", "holidays", "2026"]);
    assert!(out.contains("2026-04-27  Mon  compensatory"), "{out}");
    assert!(out.contains("2026-08-22  Sat  make-up day"), "{out}");
    assert!(out.contains("instead of 2026-08-31"), "{out}");
}

#[test]
fn add_working_days_and_count() {
    let v = json(&["calendar", "add-working-days", "2024-02-07", "1", "--json"]);
    assert_eq!(
        v,
        serde_json::json!({"from": "2024-02-07", "n": 1, "date": "2024-02-15"})
    );
    let v = json(&["calendar", "add-working-days", "2025-04-25", "1", "--json"]);
    assert_eq!(v["date"], "2025-04-26", "make-up Saturday");
    let v = json(&[
        "calendar",
        "working-days",
        "2024-02-07",
        "2024-02-15",
        "--json",
    ]);
    assert_eq!(
        v,
        serde_json::json!({"from": "2024-02-07", "to": "2024-02-15", "working_days": 1})
    );
    let v = json(&[
        "calendar",
        "working-days",
        "2024-02-15",
        "2024-02-07",
        "--json",
    ]);
    assert_eq!(v["working_days"], -1);
    let out = stdout(&["calendar", "add-working-days", "2026-11-20", "1"]);
    assert_eq!(
        out.trim(),
        "2026-11-20 + 1 ngày làm việc = 2026-11-23 (thứ Hai)"
    );
}

#[test]
fn is_working_day_json() {
    let v = json(&["calendar", "is-working-day", "2026-11-20", "--json"]);
    assert_eq!(v["date"], "2026-11-20");
    assert_eq!(v["working"], true);
    assert!(v["reason"].is_null());

    let v = json(&["calendar", "is-working-day", "2026-11-21", "--json"]);
    assert_eq!(v["working"], false);
    assert_eq!(v["reason"]["code"], "weekly-rest");
    assert_eq!(v["reason"]["message_vi"], "Thứ Bảy, ngày nghỉ hằng tuần");
    assert_eq!(v["reason"]["message_en"], "Saturday, a weekly rest day");
    assert!(
        v["reason"]["basis"]["document"]
            .as_str()
            .unwrap()
            .contains("188/1999")
    );

    let v = json(&["calendar", "is-working-day", "2026-02-17", "--json"]);
    assert_eq!(v["working"], false);
    assert_eq!(v["reason"]["code"], "holiday");
    assert_eq!(v["reason"]["holiday"]["occasion"], "tet");

    let v = json(&["calendar", "is-working-day", "2026-08-22", "--json"]);
    assert_eq!(v["working"], true);
    assert_eq!(v["make_up"]["replaces"], "2026-08-31");
}

#[test]
fn operator_decision_file() {
    let dir = std::env::temp_dir().join(format!("cancuoc-cal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("2027.toml");
    std::fs::write(
        &file,
        "year = 2027\n[[decision]]\nnumber = \"Synthetic decision 1/TEST\"\nsource = \"test\"\noccasions = [\"other\"]\n[[decision.day_off]]\ndate = 2027-11-24\noccasion = \"other\"\nkind = \"official\"\nname_vi = \"Ngày thử nghiệm\"\nname_en = \"Test day\"\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let before = json(&["calendar", "is-working-day", "2027-11-24", "--json"]);
    assert_eq!(before["working"], true);
    let after = json(&[
        "calendar",
        "--decision",
        f,
        "is-working-day",
        "2027-11-24",
        "--json",
    ]);
    assert_eq!(after["working"], false);
    assert_eq!(after["reason"]["code"], "official");
    assert_eq!(
        after["reason"]["basis"]["document"],
        "Synthetic decision 1/TEST"
    );
    // The flag also works after the subcommand.
    let after = json(&[
        "calendar",
        "is-working-day",
        "2027-11-24",
        "--json",
        "--decision",
        f,
    ]);
    assert_eq!(after["working"], false);

    std::fs::write(&file, "year = 2027\n[[decision]]\nnumber = \"x\"\n").unwrap();
    usage_error(
        &["calendar", "--decision", f, "holidays", "2027"],
        "calendar.bad_override",
        "tệp quyết định không hợp lệ",
        "not a valid decision file",
    );
    let missing = dir.join("missing.toml");
    let out = run(&[
        "calendar",
        "--decision",
        missing.to_str().unwrap(),
        "holidays",
        "2027",
    ]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}
