//! `cancuoc import citizens` on the real binary: good files import, bad rows
//! are reported with line numbers in the reader's language, `reject`
//! imports nothing, `skip` imports exactly the good rows. All names and
//! numbers are synthetic.

mod service_support;

use service_support::{TempDir, code, run, stderr, stdout, write_file};

const HEADER: &str = "personal_id,full_name,date_of_birth,sex,permanent_residence,phone,old_cmnd";

/// Five rows; lines 3 (bad date) and 5 (ID says male, row says female) are
/// bad. IDs: 001 = Hà Nội, G 0/1 = 1900s male/female, YY = birth year.
fn mixed() -> String {
    [
        HEADER,
        "001090000101,Nguyễn Văn An,1990-05-01,Nam,\"Số 12, Phố Huế, Hà Nội\",0999123456,",
        "001192000102,Trần Thị Bình,1992-02-30,Nữ,Hà Nội,,",
        ",Lê Minh Châu,1975,nam,Huế,,",
        "001195000104,Phạm Thu Dung,1995-07-15,Nữ,Hà Nội,,",
        "001095000105,Hoàng Văn Em,1995-07-15,Nữ,Hà Nội,,",
    ]
    .join("\n")
        + "\n"
}

fn import(dir: &TempDir, file: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "citizens", file, "--data-dir", dir.arg()];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).expect("json report")
}

#[test]
fn reject_imports_nothing_and_skip_imports_the_good_rows() {
    let dir = TempDir::new("import-modes");
    let file = write_file(&dir, "mixed.csv", &mixed());

    let o = import(&dir, &file, &["--json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["rows"], 5);
    assert_eq!(v["imported"], 0, "reject: nothing imported");
    assert_eq!(v["bad_rows"], 2);
    let lines: Vec<u64> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, vec![3, 6], "{v}");
    assert_eq!(v["errors"][0]["field"], "date_of_birth");
    assert_eq!(v["errors"][1]["field"], "personal_id");

    // Human report, both languages.
    let o = import(&dir, &file, &[]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("line 3: date_of_birth:"), "{out}");
    assert!(out.contains("line 6: personal_id:"), "{out}");
    assert!(out.contains("nothing imported"), "{out}");
    let o = run(&[
        "--lang",
        "vi",
        "import",
        "citizens",
        &file,
        "--data-dir",
        dir.arg(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("dòng 3: date_of_birth:"),
        "{}",
        stdout(&o)
    );

    // Skip: the three good rows go in.
    let o = import(&dir, &file, &["--on-error", "skip", "--json"]);
    assert_eq!(code(&o), 1, "some rows were bad");
    let v = json(&o);
    assert_eq!(v["imported"], 3, "{v}");

    // The rows with IDs are now in the database: importing them again is
    // refused, which also shows the reject runs wrote nothing before.
    let again = [HEADER, "001090000101,Nguyễn Văn An,1990-05-01,Nam,Hà Nội,,"].join("\n");
    let f2 = write_file(&dir, "again.csv", &again);
    let o = import(&dir, &f2, &["--json"]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    assert_eq!(v["imported"], 0);
    assert_eq!(
        v["errors"][0]["code"], "import.duplicate_in_database",
        "{v}"
    );
    assert_eq!(v["errors"][0]["line"], 2);
}

#[test]
fn a_good_file_imports_every_row() {
    let dir = TempDir::new("import-good");
    let text = [
        "full_name,date_of_birth,sex,permanent_residence,ethnicity,religion,verified,personal_id,old_cmnd",
        "Đặng Thị Hoa,1988-03-08,Nữ,Đà Nẵng,Kinh,Không,true,048188000201,012345678;123456789012",
        "Bùi Văn Khánh,2001-12,male,Cần Thơ,Khmer,Phật giáo,false,,",
    ]
    .join("\r\n");
    let file = write_file(&dir, "good.csv", &text);
    let o = import(&dir, &file, &["--json"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let v = json(&o);
    assert_eq!(v["imported"], 2);
    assert_eq!(v["bad_rows"], 0);
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0));
}

#[test]
fn repeated_ids_and_bad_headers() {
    let dir = TempDir::new("import-headers");
    let dup = [
        HEADER,
        "001090000301,Ngô Văn Lực,1990,Nam,Hà Nội,,",
        "001090000301,Ngô Văn Lực,1990,Nam,Hà Nội,,",
    ]
    .join("\n");
    let f = write_file(&dir, "dup.csv", &dup);
    let o = import(&dir, &f, &["--json"]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    assert_eq!(v["errors"][0]["code"], "import.duplicate_in_file");
    assert_eq!(v["errors"][0]["line"], 3);

    let f = write_file(&dir, "missing.csv", "full_name,sex\nA,Nam\n");
    let o = import(&dir, &f, &[]);
    assert_eq!(code(&o), 2, "missing required columns is a usage error");
    assert!(stderr(&o).contains("date_of_birth"), "{}", stderr(&o));
    let f = write_file(
        &dir,
        "unknown.csv",
        "full_name,date_of_birth,sex,permanent_residence,shoe_size\n",
    );
    let o = import(&dir, &f, &[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("shoe_size"), "{}", stderr(&o));
    let o = import(&dir, "/nonexistent/file.csv", &[]);
    assert_eq!(code(&o), 2);
}
