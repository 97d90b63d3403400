//! `cancuoc rules`: the legal rules of card issuance (quy định pháp luật),
//! each answer with its legal basis.
//!
//! - `expiry --dob DATE --issued DATE`: the card's expiry (or none).
//! - `fee --kind K --reason R [--exemption E]… [--date DATE] [--online]`.
//! - `deadline --received DATE [--by office|npd-centre]`: stage due dates and
//!   the promised return date on the appointment slip.
//! - `eligibility --dob DATE [--on DATE]`.
//! - `status --document cmnd|cccd|cancuoc --issued DATE [--expiry DATE|none]
//!   [--dob DATE] [--on DATE]`: exit 1 when the document is not valid.
//! - `classify --promised DATE [--finished DATE] [--today DATE]`.
//! - `cmnd-confirmation --received DATE`, `fines [--on DATE] [--all]`.
//!
//! Every subcommand takes `--json`. "Today" (the default of `--date`, `--on`,
//! `--today`) is read from the clock here, in Vietnam time (UTC+7); the core
//! never reads it. Unknown codes, impossible dates and combinations the law
//! excludes (a reason of another kind, a card issued under 14 before July
//! 2024) are usage errors: exit 2, the message in the reader's language and its
//! code.

use crate::Ctx;
use crate::output::{EXIT_OK, date_arg, exit_for, pick, print_json, usage_error as usage};
use cancuoc_core::basis::{Explained, LegalBasis};
use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::i18n::Lang;
use cancuoc_core::person::PartialDate;
use cancuoc_core::rules::{
    self, CardExpiry, Channel, Document, DocumentStatus, DocumentType, Exemption, Expiry,
    IssueKind, Reason, Receiver, Regime, RenewalCause, Timeliness,
};
use clap::Subcommand;
use jiff::civil::Date;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `cancuoc rules`.
#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    command: RulesCommand,
}

fn codes_help(title: &str, codes: &[(&str, &str, &str)]) -> String {
    let mut s = format!("{title}\n");
    for (code, vi, en) in codes {
        s.push_str(&format!("  {code:<26} {vi} / {en}\n"));
    }
    s
}

fn kind_help() -> String {
    let rows: Vec<_> = IssueKind::ALL
        .iter()
        .map(|k| (k.code(), k.label_vi(), k.label_en()))
        .collect();
    codes_help("Issue kind (loại cấp):", &rows)
}

fn reason_help() -> String {
    let rows: Vec<_> = Reason::ALL
        .iter()
        .map(|k| (k.code(), k.label_vi(), k.label_en()))
        .collect();
    let mut s = codes_help("Reason (lý do); must belong to the kind:", &rows);
    for regime in Regime::ALL {
        s.push_str(&format!("  under {regime}:"));
        for kind in IssueKind::ALL {
            let rs: Vec<_> = rules::reasons_for(*kind, *regime)
                .iter()
                .map(|r| r.code())
                .collect();
            s.push_str(&format!(" {kind} = {};", rs.join(", ")));
        }
        s.push('\n');
    }
    s
}

fn exemption_help() -> String {
    let rows: Vec<_> = Exemption::ALL
        .iter()
        .map(|k| (k.code(), k.label_vi(), k.label_en()))
        .collect();
    codes_help(
        "Fee exemption ground (đối tượng miễn lệ phí), repeatable; the officer asserts it, conditions included:",
        &rows,
    )
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Card expiry from date of birth and issue date (thời hạn sử dụng thẻ).
    Expiry {
        /// Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        dob: String,
        /// Issue date, YYYY-MM-DD.
        #[arg(long)]
        issued: String,
        /// Print JSON: {dob, issued, expiry (date or null), regime, basis, explanation_vi, explanation_en}.
        #[arg(long)]
        json: bool,
    },
    /// Fee for an application (lệ phí cấp, đổi, cấp lại thẻ).
    Fee {
        /// Issue kind: first, renewal, reissue.
        #[arg(long, value_name = "KIND", long_help = kind_help())]
        kind: String,
        /// Reason code (see --help for the list).
        #[arg(long, value_name = "REASON", long_help = reason_help())]
        reason: String,
        /// Fee exemption ground (see --help for the list); repeatable.
        #[arg(long = "exemption", value_name = "EXEMPTION", long_help = exemption_help())]
        exemptions: Vec<String>,
        /// Application date, YYYY-MM-DD (default: today in Vietnam).
        #[arg(long)]
        date: Option<String>,
        /// Filed online (trực tuyến) rather than in person.
        #[arg(long)]
        online: bool,
        /// Print JSON: {amount_vnd, base_amount_vnd, rule_id, table_id, regime, …, basis, explanation_vi, explanation_en}.
        #[arg(long)]
        json: bool,
    },
    /// Stage due dates and the promised return date (thời hạn giải quyết).
    Deadline {
        /// Reception date, YYYY-MM-DD.
        #[arg(long)]
        received: String,
        /// Who received the dossier: office (district/provincial police) or npd-centre.
        #[arg(long, default_value = "office")]
        by: String,
        /// Print JSON: {received, by, regime, cap_working_days, stages: [{stage, working_days, starts, due, basis}], promised_date, basis, …}.
        #[arg(long)]
        json: bool,
    },
    /// Who may or must get a card (đối tượng được cấp thẻ).
    Eligibility {
        /// Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        dob: String,
        /// The date asked about, YYYY-MM-DD (default: today in Vietnam).
        #[arg(long)]
        on: Option<String>,
        /// Print JSON: {regime, age, status, min_age_date, basis, …}.
        #[arg(long)]
        json: bool,
    },
    /// Status of a CMND or card on a date (tình trạng giấy tờ); exit 1 unless valid.
    Status {
        /// Document type: cmnd, cccd, cancuoc.
        #[arg(long)]
        document: String,
        /// Issue date, YYYY-MM-DD.
        #[arg(long)]
        issued: String,
        /// Printed expiry of a card, YYYY-MM-DD, or `none` (không thời hạn).
        #[arg(long)]
        expiry: Option<String>,
        /// Holder's date of birth, to compute a card's expiry when not given.
        #[arg(long)]
        dob: Option<String>,
        /// The date asked about, YYYY-MM-DD (default: today in Vietnam).
        #[arg(long)]
        on: Option<String>,
        /// Print JSON: {document, issued, on, status: {status, …}, basis, …}.
        #[arg(long)]
        json: bool,
    },
    /// On time or late against the promised date (đúng hạn / trễ hạn).
    Classify {
        /// Promised return date, YYYY-MM-DD.
        #[arg(long)]
        promised: String,
        /// Day the card was finished, YYYY-MM-DD (omit while running).
        #[arg(long)]
        finished: Option<String>,
        /// Today, YYYY-MM-DD (default: today in Vietnam).
        #[arg(long)]
        today: Option<String>,
        /// A running dossier due within this many working days is at risk.
        #[arg(long, default_value_t = rules::DEFAULT_AT_RISK_WORKING_DAYS)]
        at_risk: u32,
        /// Print JSON: {promised, status, …}.
        #[arg(long)]
        json: bool,
    },
    /// Due date of an old CMND number confirmation (Giấy xác nhận số CMND).
    CmndConfirmation {
        /// Request date, YYYY-MM-DD.
        #[arg(long)]
        received: String,
        /// Print JSON: {received, due, basis, …}.
        #[arg(long)]
        json: bool,
    },
    /// Fines for identity-card offences (mức phạt vi phạm hành chính).
    Fines {
        /// The date, YYYY-MM-DD (default: today in Vietnam).
        #[arg(long)]
        on: Option<String>,
        /// Every decree in the data, not only the one in force.
        #[arg(long)]
        all: bool,
        /// Print JSON: {decree_id, document, from, to, fines: [{article, offence_vi, offence_en, min_vnd, max_vnd, warning}], basis, …}.
        #[arg(long)]
        json: bool,
    },
}

fn dob_arg(s: &str, lang: Lang) -> anyhow::Result<PartialDate> {
    // A full date goes through the calendar's parser for its precise
    // message ("no 30 February"); partial ones through PartialDate.
    if s.trim().matches('-').count() == 2 {
        return Ok(PartialDate::Full(date_arg(s, lang)?));
    }
    s.parse::<PartialDate>().map_err(|e| usage(&e, lang))
}

/// Today in Vietnam (UTC+7, no daylight saving).
fn today() -> Date {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
    jiff::Timestamp::now().to_zoned(tz).date()
}

fn opt_date(s: Option<&str>, lang: Lang) -> anyhow::Result<Date> {
    s.map_or_else(|| Ok(today()), |s| date_arg(s, lang))
}

fn show_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

fn vnd(amount: u32, lang: Lang) -> String {
    let digits = amount.to_string();
    let sep = pick(lang, ".", ",");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    match lang {
        Lang::Vi => format!("{out} đồng"),
        Lang::En => format!("{out} VND"),
    }
}

/// The explanation and the legal basis lines of a human answer.
fn print_explained<T>(e: &Explained<T>, lang: Lang) {
    println!("{}", pick(lang, &e.explanation_vi, &e.explanation_en));
    let label = pick(lang, "Căn cứ", "Legal basis");
    let list: Vec<String> = e.basis.iter().map(LegalBasis::to_string).collect();
    println!("{label}: {}", list.join("; "));
}

/// JSON of an answer: its own fields, then basis and explanations.
#[derive(Serialize)]
struct Out<'a, H: Serialize, V: Serialize> {
    #[serde(flatten)]
    head: H,
    #[serde(flatten)]
    value: &'a V,
    basis: &'a [LegalBasis],
    explanation_vi: &'a str,
    explanation_en: &'a str,
}

fn emit<H: Serialize, V: Serialize>(head: H, e: &Explained<V>) -> anyhow::Result<()> {
    emit_with(head, &e.value, e)
}

/// Like [`emit`] with another value in place of the answer's own.
fn emit_with<H: Serialize, V: Serialize, T>(
    head: H,
    value: &V,
    e: &Explained<T>,
) -> anyhow::Result<()> {
    print_json(&Out {
        head,
        value,
        basis: &e.basis,
        explanation_vi: &e.explanation_vi,
        explanation_en: &e.explanation_en,
    })
}

#[derive(Serialize)]
struct NoHead {}

/// Runs `cancuoc rules`.
pub fn run(args: RulesArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let err = |e: rules::RulesError| usage(&e, lang);
    match args.command {
        RulesCommand::Expiry { dob, issued, json } => {
            let dob = dob_arg(&dob, lang)?;
            let issued = date_arg(&issued, lang)?;
            let e = rules::card_expiry(dob, issued).map_err(err)?;
            let regime = Regime::on(issued).map_err(err)?;
            if json {
                #[derive(Serialize)]
                struct Head {
                    dob: PartialDate,
                    issued: Date,
                    expiry: Expiry,
                    regime: Regime,
                }
                let head = Head {
                    dob,
                    issued,
                    expiry: e.value,
                    regime,
                };
                emit_with(head, &NoHead {}, &e)?;
            } else {
                let v = match e.value {
                    Expiry::On(d) => show_date(d, lang),
                    Expiry::None => pick(lang, "không thời hạn", "no expiry").to_owned(),
                };
                println!("{}: {v}", pick(lang, "Hạn sử dụng thẻ", "Card expiry"));
                print_explained(&e, lang);
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Fee {
            kind,
            reason,
            exemptions,
            date,
            online,
            json,
        } => {
            let kind = IssueKind::parse(&kind).map_err(err)?;
            let reason = Reason::parse(&reason).map_err(err)?;
            let exemptions = exemptions
                .iter()
                .map(|e| Exemption::parse(e).map_err(err))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let date = opt_date(date.as_deref(), lang)?;
            let channel = if online {
                Channel::Online
            } else {
                Channel::InPerson
            };
            let f = rules::fee(kind, reason, &exemptions, date, channel).map_err(err)?;
            if json {
                #[derive(Serialize)]
                struct Head<'a> {
                    date: Date,
                    exemptions_claimed: &'a [Exemption],
                }
                emit(
                    Head {
                        date,
                        exemptions_claimed: &exemptions,
                    },
                    &f,
                )?;
            } else {
                println!(
                    "{}: {} ({} {})",
                    pick(lang, "Lệ phí", "Fee"),
                    vnd(f.value.amount_vnd, lang),
                    pick(lang, "quy tắc", "rule"),
                    f.value.rule_id
                );
                print_explained(&f, lang);
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Deadline { received, by, json } => {
            let received = date_arg(&received, lang)?;
            let by = Receiver::parse(&by).map_err(err)?;
            let d = rules::deadlines(received, by, WorkingCalendar::official()).map_err(err)?;
            if json {
                emit(NoHead {}, &d)?;
            } else {
                println!(
                    "{}: {} — {}",
                    pick(lang, "Tiếp nhận", "Received"),
                    show_date(received, lang),
                    pick(lang, by.label_vi(), by.label_en())
                );
                for s in &d.value.stages {
                    println!(
                        "  {:<12} {} ({} {}, {})",
                        show_date(s.due, lang),
                        pick(lang, s.stage.label_vi(), s.stage.label_en()),
                        s.working_days,
                        pick(lang, "ngày làm việc", "working day(s)"),
                        s.basis
                    );
                }
                println!(
                    "{}: {}",
                    pick(lang, "Ngày hẹn trả kết quả", "Promised return date"),
                    show_date(d.value.promised_date, lang)
                );
                print_explained(&d, lang);
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Eligibility { dob, on, json } => {
            let dob = dob_arg(&dob, lang)?;
            let on = opt_date(on.as_deref(), lang)?;
            let e = rules::eligibility(dob, on).map_err(err)?;
            if json {
                #[derive(Serialize)]
                struct Head {
                    dob: PartialDate,
                    on: Date,
                }
                emit(Head { dob, on }, &e)?;
            } else {
                print_explained(&e, lang);
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Status {
            document,
            issued,
            expiry,
            dob,
            on,
            json,
        } => status(&document, &issued, expiry, dob, on, json, lang),
        RulesCommand::Classify {
            promised,
            finished,
            today: t,
            at_risk,
            json,
        } => {
            let promised = date_arg(&promised, lang)?;
            let finished = finished.map(|f| date_arg(&f, lang)).transpose()?;
            let t = opt_date(t.as_deref(), lang)?;
            let c =
                rules::classify_with(promised, finished, t, at_risk, WorkingCalendar::official())
                    .map_err(err)?;
            if json {
                #[derive(Serialize)]
                struct Cls {
                    promised: Date,
                    today: Date,
                    #[serde(flatten)]
                    timeliness: Timeliness,
                }
                print_json(&Cls {
                    promised,
                    today: t,
                    timeliness: c,
                })?;
            } else {
                println!("{}", describe_timeliness(c, promised, lang));
            }
            Ok(EXIT_OK)
        }
        RulesCommand::CmndConfirmation { received, json } => {
            let received = date_arg(&received, lang)?;
            let c = rules::cmnd_number_confirmation(received, WorkingCalendar::official())
                .map_err(err)?;
            if json {
                #[derive(Serialize)]
                struct Head {
                    received: Date,
                    due: Date,
                }
                emit_with(
                    Head {
                        received,
                        due: c.value,
                    },
                    &NoHead {},
                    &c,
                )?;
            } else {
                print_explained(&c, lang);
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Fines { on, all, json } => fines(on, all, json, lang),
    }
}

fn describe_timeliness(c: Timeliness, promised: Date, lang: Lang) -> String {
    let p = show_date(promised, lang);
    match (c, lang) {
        (
            Timeliness::OnTime {
                finished,
                working_days_early,
            },
            Lang::Vi,
        ) => format!(
            "Đúng hạn: xong ngày {}, hẹn {p} (sớm {working_days_early} ngày làm việc).",
            show_date(finished, lang)
        ),
        (
            Timeliness::OnTime {
                finished,
                working_days_early,
            },
            Lang::En,
        ) => format!(
            "On time: finished {finished}, promised {p} ({working_days_early} working day(s) early)."
        ),
        (
            Timeliness::Late {
                working_days_late,
                calendar_days_late,
                ..
            },
            Lang::Vi,
        ) => format!(
            "Trễ hạn: hẹn {p}, trễ {working_days_late} ngày làm việc ({calendar_days_late} ngày theo lịch)."
        ),
        (
            Timeliness::Late {
                working_days_late,
                calendar_days_late,
                ..
            },
            Lang::En,
        ) => format!(
            "Late: promised {p}, {working_days_late} working day(s) ({calendar_days_late} calendar day(s)) late."
        ),
        (Timeliness::AtRisk { working_days_left }, Lang::Vi) => {
            format!("Sắp đến hạn: hẹn {p}, còn {working_days_left} ngày làm việc.")
        }
        (Timeliness::AtRisk { working_days_left }, Lang::En) => {
            format!("At risk: promised {p}, {working_days_left} working day(s) left.")
        }
        (Timeliness::Running { working_days_left }, Lang::Vi) => {
            format!("Đang xử lý: hẹn {p}, còn {working_days_left} ngày làm việc.")
        }
        (Timeliness::Running { working_days_left }, Lang::En) => {
            format!("Running: promised {p}, {working_days_left} working day(s) left.")
        }
    }
}

fn status(
    document: &str,
    issued: &str,
    expiry: Option<String>,
    dob: Option<String>,
    on: Option<String>,
    json: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let err = |e: rules::RulesError| usage(&e, lang);
    let kind = DocumentType::parse(document).map_err(err)?;
    let issued = date_arg(issued, lang)?;
    let on = opt_date(on.as_deref(), lang)?;
    let card_expiry = match (expiry.as_deref(), dob.as_deref()) {
        (Some("none"), _) => Some(CardExpiry::Printed(Expiry::None)),
        (Some(e), _) => Some(CardExpiry::Printed(Expiry::On(date_arg(e, lang)?))),
        (None, Some(d)) => Some(CardExpiry::FromBirth(dob_arg(d, lang)?)),
        (None, None) => None,
    };
    let doc = match (kind, card_expiry) {
        (DocumentType::Cmnd, _) => Document::Cmnd { issued },
        (DocumentType::Cccd, Some(expiry)) => Document::Cccd { issued, expiry },
        (DocumentType::CanCuoc, Some(expiry)) => Document::CanCuoc { issued, expiry },
        (_, None) => anyhow::bail!(
            "{}",
            pick(
                lang,
                "Thẻ cần --expiry (ngày hết hạn in trên thẻ hoặc `none`) hoặc --dob (ngày sinh)",
                "A card needs --expiry (printed expiry or `none`) or --dob (date of birth)"
            )
        ),
    };
    let s = rules::document_status(doc, on).map_err(err)?;
    let valid = matches!(s.value, DocumentStatus::Valid { .. });
    if json {
        #[derive(Serialize)]
        struct Head {
            document: DocumentType,
            issued: Date,
            on: Date,
        }
        #[derive(Serialize)]
        struct Wrap<'a> {
            status: &'a DocumentStatus,
        }
        emit_with(
            Head {
                document: kind,
                issued,
                on,
            },
            &Wrap { status: &s.value },
            &s,
        )?;
    } else {
        let word = match s.value {
            DocumentStatus::Valid { .. } => pick(lang, "còn giá trị", "valid"),
            DocumentStatus::MustRenew { cause, .. } => match cause {
                RenewalCause::AgeMilestone { .. } => {
                    pick(lang, "phải đổi thẻ (đủ tuổi)", "must renew (age milestone)")
                }
                _ => pick(lang, "phải đổi thẻ (hết hạn)", "must renew (expired)"),
            },
            DocumentStatus::Expired { .. } => pick(lang, "hết hạn", "expired"),
            DocumentStatus::Void { .. } => pick(lang, "hết giá trị sử dụng", "void"),
        };
        let label = pick(lang, kind.label_vi(), kind.label_en());
        let mut chars = label.chars();
        let label: String = chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        println!("{label} ({}): {word}", show_date(on, lang));
        print_explained(&s, lang);
    }
    Ok(exit_for(valid))
}

fn fines(on: Option<String>, all: bool, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let err = |e: rules::RulesError| usage(&e, lang);
    if all {
        let cats = rules::all_fines().map_err(err)?;
        if json {
            print_json(&cats)?;
        } else {
            for c in &cats {
                print_catalogue(c, lang);
                println!();
            }
        }
        return Ok(EXIT_OK);
    }
    let on = opt_date(on.as_deref(), lang)?;
    let f = rules::fines_on(on).map_err(err)?;
    if json {
        emit(NoHead {}, &f)?;
    } else {
        print_catalogue(&f.value, lang);
        print_explained(&f, lang);
    }
    Ok(EXIT_OK)
}

fn print_catalogue(c: &rules::FineCatalogue, lang: Lang) {
    let to = c.to.map_or_else(
        || pick(lang, "nay", "today").to_owned(),
        |t| show_date(t, lang),
    );
    println!("{} ({} – {to})", c.document, show_date(c.from, lang));
    for f in &c.fines {
        println!(
            "  {} — {}: {}",
            f.article,
            match lang {
                Lang::Vi => f.sanction_vi(),
                Lang::En => f.sanction_en(),
            },
            pick(lang, &f.offence_vi, &f.offence_en)
        );
    }
}
