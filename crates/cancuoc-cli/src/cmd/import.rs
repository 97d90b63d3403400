//! `cancuoc import citizens FILE.csv`: loads citizen records (hồ sơ công
//! dân) from a CSV file with a header row.
//!
//! Every row is checked with the core parsers first (personal ID, date of
//! birth, sex, old CMND numbers, the ID agreeing with the date of birth and
//! sex, IDs repeated in the file or already in the database). Bad rows are
//! reported with their line number and the reason, in the reader's language.
//! `--on-error reject` (the default) imports nothing if any row is bad;
//! `--on-error skip` imports the good rows. The good rows go into the
//! database in one transaction: all of them or none.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::phone::PhoneNumber;
use cancuoc_store::{FieldProvenance, NewCitizen, Provenance, Verification};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget};
use serde::Serialize;

use crate::Ctx;
use crate::config::{DbArgs, Layer, Settings, now_secs, runtime};
use crate::output::{exit_for, pick, print_json};

/// Import data from files (nhập dữ liệu).
#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    command: ImportCommand,
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// Import citizens from a CSV file (UTF-8, comma-separated, header row).
    #[command(long_about = COLUMNS_HELP)]
    Citizens(CitizensArgs),
}

const COLUMNS_HELP: &str = "Import citizens from a CSV file (UTF-8, comma-separated, with a header row).

Columns (by header name, any order; * = required):
  personal_id          12-digit personal ID (số định danh); optional, must agree with date_of_birth and sex
  full_name *          full name with diacritics (họ, chữ đệm và tên)
  date_of_birth *      YYYY, YYYY-MM or YYYY-MM-DD (ngày sinh)
  sex *                Nam / Nữ / male / female (giới tính)
  nationality          default: Việt Nam (quốc tịch)
  ethnicity            e.g. Kinh (dân tộc)
  religion             e.g. Không (tôn giáo)
  place_of_origin      quê quán
  birth_registration   nơi đăng ký khai sinh
  permanent_residence * nơi thường trú
  temporary_residence  nơi tạm trú
  phone                a Vietnamese mobile number: 0 and 9 digits, or +84 and 9 (số điện thoại di động)
  old_cmnd             old CMND numbers, 9 or 12 digits, separated by ';' (needs personal_id)
  verified             true/false: were the fields checked against a trusted source (default false)
  source               where the data comes from (default: csv-import)

Bad rows are reported with their line number and reason. --on-error reject
(default) imports nothing when any row is bad; --on-error skip imports the
good rows. Good rows are written in one transaction: all or none.
Exit status: 0 all rows imported, 1 some rows bad, 2 unreadable file or header.";

/// What to do with bad rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum OnError {
    /// Import nothing if any row is bad.
    Reject,
    /// Import the good rows, report the bad ones.
    Skip,
}

#[derive(Args, Debug)]
struct CitizensArgs {
    /// The CSV file.
    file: PathBuf,
    /// reject: nothing imported if any row is bad; skip: import the good rows.
    #[arg(long, value_enum, default_value_t = OnError::Reject)]
    on_error: OnError,
    /// Print a JSON report.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// Runs `cancuoc import …`.
pub fn run(args: ImportArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        ImportCommand::Citizens(a) => citizens(a, ctx),
    }
}

const KNOWN: &[&str] = &[
    "personal_id",
    "full_name",
    "date_of_birth",
    "sex",
    "nationality",
    "ethnicity",
    "religion",
    "place_of_origin",
    "birth_registration",
    "permanent_residence",
    "temporary_residence",
    "phone",
    "old_cmnd",
    "verified",
    "source",
];
const REQUIRED: &[&str] = &["full_name", "date_of_birth", "sex", "permanent_residence"];

/// Why a row was refused.
#[derive(Clone, Debug, Serialize)]
struct RowError {
    /// 1-based line number in the file.
    line: u64,
    /// The column at fault.
    field: String,
    /// Stable code.
    code: String,
    message_vi: String,
    message_en: String,
}

impl RowError {
    fn new(line: u64, field: &str, code: &str, vi: String, en: String) -> Self {
        Self {
            line,
            field: field.to_owned(),
            code: code.to_owned(),
            message_vi: vi,
            message_en: en,
        }
    }
    fn of(line: u64, field: &str, e: &dyn Localized) -> Self {
        Self::new(line, field, e.code(), e.message_vi(), e.message_en())
    }
    fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.message_vi,
            Lang::En => &self.message_en,
        }
    }
}

#[derive(Debug, Serialize)]
struct Report {
    file: String,
    on_error: OnError,
    rows: usize,
    imported: u64,
    bad_rows: usize,
    errors: Vec<RowError>,
}

/// The header's column positions.
#[derive(Debug)]
struct Columns(HashMap<&'static str, usize>);

impl Columns {
    fn of(header: &csv::StringRecord) -> anyhow::Result<Self> {
        let mut m = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            let h = h.trim().trim_start_matches('\u{feff}');
            let Some(k) = KNOWN.iter().find(|k| **k == h) else {
                bail!("unknown column {h:?} (known: {})", KNOWN.join(", "));
            };
            if m.insert(*k, i).is_some() {
                bail!("column {h:?} appears twice");
            }
        }
        for r in REQUIRED {
            if !m.contains_key(r) {
                bail!("missing required column {r:?}");
            }
        }
        Ok(Self(m))
    }
    fn get<'r>(&self, rec: &'r csv::StringRecord, k: &str) -> &'r str {
        self.0
            .get(k)
            .and_then(|i| rec.get(*i))
            .map_or("", str::trim)
    }
}

/// Checks one row; the citizen, or every problem found in it.
fn parse_row(
    cols: &Columns,
    rec: &csv::StringRecord,
    line: u64,
) -> Result<NewCitizen, Vec<RowError>> {
    let mut errs = Vec::new();
    let get = |k: &str| cols.get(rec, k);
    let opt = |k: &str| Some(get(k)).filter(|s| !s.is_empty()).map(str::to_owned);
    let required = |errs: &mut Vec<RowError>, k: &str| {
        if get(k).is_empty() {
            errs.push(RowError::new(
                line,
                k,
                "import.required",
                format!("Cột {k} không được để trống"),
                format!("Column {k} must not be empty"),
            ));
        }
    };
    for k in REQUIRED {
        required(&mut errs, k);
    }
    let dob = match get("date_of_birth") {
        "" => None,
        s => match s.parse::<PartialDate>() {
            Ok(d) => Some(d),
            Err(e) => {
                errs.push(RowError::of(line, "date_of_birth", &e));
                None
            }
        },
    };
    let sex = match get("sex") {
        "" => None,
        s => match Sex::parse(s) {
            Ok(v) => Some(v),
            Err(e) => {
                errs.push(RowError::of(line, "sex", &e));
                None
            }
        },
    };
    let personal_id = match get("personal_id") {
        "" => None,
        s => match PersonalId::parse(s) {
            Ok(id) => {
                for m in id.check_consistency(dob, sex) {
                    errs.push(RowError::of(line, "personal_id", &m));
                }
                Some(id)
            }
            Err(e) => {
                errs.push(RowError::of(line, "personal_id", &e));
                None
            }
        },
    };
    // The one phone rule of the web forms and the API: a Vietnamese
    // mobile number, stored in its national form.
    let phone = match opt("phone") {
        None => None,
        Some(p) => match PhoneNumber::parse(&p) {
            Ok(n) => Some(n.as_str().to_owned()),
            Err(e) => {
                errs.push(RowError::of(line, "phone", &e));
                None
            }
        },
    };
    let old_cmnd: Vec<String> = get("old_cmnd")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    for (i, n) in old_cmnd.iter().enumerate() {
        if !(n.len() == 9 || n.len() == 12) || !n.bytes().all(|b| b.is_ascii_digit()) {
            errs.push(RowError::new(
                line,
                "old_cmnd",
                "import.old_cmnd",
                format!("Số CMND cũ thứ {} không phải 9 hoặc 12 chữ số", i + 1),
                format!("Old CMND number {} is not 9 or 12 digits", i + 1),
            ));
        }
    }
    if !old_cmnd.is_empty() && get("personal_id").is_empty() {
        errs.push(RowError::new(
            line,
            "old_cmnd",
            "import.old_cmnd_needs_id",
            "Số CMND cũ chỉ nhập được khi có số định danh cá nhân".into(),
            "Old CMND numbers can only be imported with a personal_id".into(),
        ));
    }
    let verified = match get("verified").to_lowercase().as_str() {
        "" | "false" | "0" | "no" => Some(false),
        "true" | "1" | "yes" => Some(true),
        other => {
            errs.push(RowError::new(
                line,
                "verified",
                "import.verified",
                format!("Giá trị verified {other:?} không hợp lệ: true hoặc false"),
                format!("verified {other:?} is not valid: true or false"),
            ));
            None
        }
    };
    let (Some(dob), Some(sex), Some(verified), true) = (dob, sex, verified, errs.is_empty()) else {
        return Err(errs);
    };
    let source = opt("source").unwrap_or_else(|| "csv-import".to_owned());
    Ok(NewCitizen {
        personal_id,
        full_name: get("full_name").to_owned(),
        dob,
        sex,
        nationality: opt("nationality").unwrap_or_else(|| "Việt Nam".to_owned()),
        ethnicity: get("ethnicity").to_owned(),
        religion: get("religion").to_owned(),
        place_of_origin: get("place_of_origin").to_owned(),
        birth_registration: get("birth_registration").to_owned(),
        permanent_residence: get("permanent_residence").to_owned(),
        temporary_residence: opt("temporary_residence"),
        phone,
        old_cmnd,
        provenance: FieldProvenance {
            default: Provenance {
                status: if verified {
                    Verification::Verified
                } else {
                    Verification::SelfDeclared
                },
                source,
            },
            fields: Default::default(),
        },
    })
}

fn citizens(a: CitizensArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(&a.file)
        .with_context(|| format!("cannot open {}", a.file.display()))?;
    let len = file.metadata().map_or(0, |m| m.len());
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let pb = ProgressBar::with_draw_target(Some(len), target);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(pb.wrap_read(file));
    let header = rdr
        .headers()
        .with_context(|| format!("{}: cannot read the header row", a.file.display()))?
        .clone();
    let cols = Columns::of(&header).with_context(|| format!("{}", a.file.display()))?;

    let mut good: Vec<(u64, NewCitizen)> = Vec::new();
    let mut errors: Vec<RowError> = Vec::new();
    let mut bad_lines = std::collections::BTreeSet::new();
    let mut seen_ids: HashMap<String, u64> = HashMap::new();
    let mut rows = 0usize;
    for rec in rdr.records() {
        rows += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                bad_lines.insert(line);
                errors.push(RowError::new(
                    line,
                    "",
                    "import.csv",
                    format!("Dòng CSV không đọc được: {e}"),
                    format!("Unreadable CSV row: {e}"),
                ));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        match parse_row(&cols, &rec, line) {
            Ok(c) => {
                if let Some(id) = &c.personal_id
                    && let Some(first) = seen_ids.insert(id.as_str().to_owned(), line)
                {
                    bad_lines.insert(line);
                    errors.push(RowError::new(
                        line,
                        "personal_id",
                        "import.duplicate_in_file",
                        format!("Số định danh trùng với dòng {first}"),
                        format!("Personal ID repeats line {first}"),
                    ));
                    continue;
                }
                good.push((line, c));
            }
            Err(es) => {
                bad_lines.insert(line);
                errors.extend(es);
            }
        }
    }
    pb.finish_and_clear();

    let settings = Settings::for_db(&a.db, Layer::default())?;
    let imported = runtime()?.block_on(async {
        let store = settings.open_store(ctx.lang).await?;
        // IDs already in the database.
        let mut keep = Vec::with_capacity(good.len());
        for (line, c) in good {
            if let Some(id) = &c.personal_id {
                match store.citizen_by_personal_id(id).await {
                    Ok(_) => {
                        bad_lines.insert(line);
                        errors.push(RowError::new(
                            line,
                            "personal_id",
                            "import.duplicate_in_database",
                            "Số định danh đã có trong cơ sở dữ liệu".into(),
                            "Personal ID is already in the database".into(),
                        ));
                        continue;
                    }
                    Err(cancuoc_store::StoreError::NotFound { .. }) => {}
                    Err(e) => {
                        store.close().await;
                        return Err(anyhow::anyhow!(e.message(ctx.lang)));
                    }
                }
            }
            keep.push(c);
        }
        let n = if errors.is_empty() || a.on_error == OnError::Skip {
            if keep.is_empty() {
                0
            } else {
                match store.bulk_insert_citizens(&keep, None, now_secs()).await {
                    Ok(n) => n,
                    Err(e) => {
                        store.close().await;
                        return Err(anyhow::anyhow!(
                            "{}: {}",
                            pick(
                                ctx.lang,
                                "không nhập được, không có dòng nào được ghi",
                                "import failed, nothing was written"
                            ),
                            e.message(ctx.lang)
                        ));
                    }
                }
            }
        } else {
            0
        };
        store.close().await;
        Ok::<u64, anyhow::Error>(n)
    })?;
    errors.sort_by_key(|e| e.line);
    let report = Report {
        file: a.file.display().to_string(),
        on_error: a.on_error,
        rows,
        imported,
        bad_rows: bad_lines.len(),
        errors,
    };
    if a.json {
        print_json(&report)?;
    } else {
        for e in &report.errors {
            let field = if e.field.is_empty() {
                String::new()
            } else {
                format!("{}: ", e.field)
            };
            println!(
                "{} {}: {field}{}",
                pick(ctx.lang, "dòng", "line"),
                e.line,
                e.message(ctx.lang)
            );
        }
        let tail = if report.bad_rows > 0 && a.on_error == OnError::Reject {
            pick(
                ctx.lang,
                " (--on-error reject: không nhập dòng nào)",
                " (--on-error reject: nothing imported)",
            )
        } else {
            ""
        };
        println!(
            "{}: {} {}, {} {}, {} {}{tail}.",
            report.file,
            report.rows,
            pick(ctx.lang, "dòng", "rows"),
            report.imported,
            pick(ctx.lang, "đã nhập", "imported"),
            report.bad_rows,
            pick(ctx.lang, "dòng lỗi", "bad"),
        );
    }
    Ok(exit_for(report.bad_rows == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(header: &str, line: &str) -> Result<NewCitizen, Vec<RowError>> {
        let h = csv::StringRecord::from(header.split(',').collect::<Vec<_>>());
        let cols = Columns::of(&h).expect("header");
        let r = csv::StringRecord::from(line.split(',').collect::<Vec<_>>());
        parse_row(&cols, &r, 2)
    }

    const H: &str = "personal_id,full_name,date_of_birth,sex,permanent_residence,phone";

    #[test]
    fn rows_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (",Nguyễn Văn An,1990-05-01,Nam,Hà Nội,", None),
            (",Trần Thị Bình,1985,nữ,Huế,0912345678", None),
            (",Lê Văn C,1990-13-01,Nam,Hà Nội,", Some("date_of_birth")),
            (",Lê Văn C,1990,X,Hà Nội,", Some("sex")),
            (",,1990,Nam,Hà Nội,", Some("full_name")),
            (",Lê Văn C,1990,Nam,,", Some("permanent_residence")),
            (",Lê Văn C,1990,Nam,Hà Nội,12345", Some("phone")),
            ("12345,Lê Văn C,1990,Nam,Hà Nội,", Some("personal_id")),
            // 001 0 90 …: born 1990, male; claimed female.
            ("001090000001,Lê Thị D,1990,Nữ,Hà Nội,", Some("personal_id")),
            ("001090000001,Lê Văn D,1990,Nam,Hà Nội,+84912345678", None),
        ];
        for (line, bad_field) in cases {
            match (row(H, line), bad_field) {
                (Ok(_), None) => {}
                (Err(es), Some(f)) => {
                    assert!(es.iter().any(|e| e.field == *f), "{line}: {es:?}");
                    assert!(es.iter().all(|e| e.line == 2 && !e.message_vi.is_empty()));
                }
                (got, want) => panic!("{line}: got {got:?}, want bad {want:?}"),
            }
        }
    }

    #[test]
    fn header_must_be_known_and_complete() {
        let h = |s: &str| csv::StringRecord::from(s.split(',').collect::<Vec<_>>());
        assert!(Columns::of(&h("full_name,date_of_birth,sex,permanent_residence")).is_ok());
        assert!(
            Columns::of(&h(
                "\u{feff}full_name,date_of_birth,sex,permanent_residence"
            ))
            .is_ok()
        );
        let e = Columns::of(&h("full_name,date_of_birth,sex")).expect_err("missing");
        assert!(format!("{e}").contains("permanent_residence"), "{e}");
        let e = Columns::of(&h("full_name,date_of_birth,sex,permanent_residence,x"))
            .expect_err("unknown");
        assert!(format!("{e}").contains("unknown column \"x\""), "{e}");
        assert!(
            Columns::of(&h(
                "full_name,full_name,date_of_birth,sex,permanent_residence"
            ))
            .is_err()
        );
    }
}
