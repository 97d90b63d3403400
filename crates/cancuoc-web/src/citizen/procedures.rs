//! `/thu-tuc`: the issuance procedure, fees and deadlines (thủ tục, lệ phí,
//! thời hạn), every figure computed by the rules engine
//! (`cancuoc_core::rules`) on the official working calendar — never copied
//! by hand into a template.
//!
//! Three GET forms on one page, each answered in place without
//! JavaScript: the fee (kind, reason, channel, date, exemptions → amount,
//! legal basis, explanation), the deadline (reception date and receiver →
//! stage due dates, promised date, the days off in between) and the card's
//! expiry (date of birth, issue date → renewal ages and expiry). The query
//! names say which form was sent: `ly_do` (fee), `ngay_nhan` (deadline),
//! `ngay_sinh` (expiry).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cancuoc_core::basis::{Explained, LegalBasis};
use cancuoc_core::calendar::{HolidayKind, WorkingCalendar, parse_date};
use cancuoc_core::dossier::capture::CaptureSlot;
use cancuoc_core::office::Structure;
use cancuoc_core::person::PartialDate;
use cancuoc_core::rules::{self, Channel, Exemption, Expiry, IssueKind, Reason, Receiver, Regime};
use cancuoc_service::{FeeQuote, Service};
use jiff::civil::Date;

use super::{Msg, dmy};
use crate::Web;
use crate::ui::Ui;

/// A choice in a select, radio group or checkbox list.
#[derive(Debug)]
pub(crate) struct Choice {
    code: &'static str,
    label: Msg,
    chosen: bool,
}

/// A legal basis as shown.
#[derive(Debug)]
pub(crate) struct Basis {
    document: String,
    article: String,
}

fn bases(b: &[LegalBasis]) -> Vec<Basis> {
    b.iter()
        .map(|b| Basis {
            document: b.document.to_string(),
            article: b.article.to_string(),
        })
        .collect()
}

/// An amount of đồng, `50.000 đ` / `50,000 VND`.
fn vnd(amount: u32) -> Msg {
    let digits = amount.to_string();
    let mut vi = String::new();
    let mut en = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            vi.push('.');
            en.push(',');
        }
        vi.push(c);
        en.push(c);
    }
    Msg::new(format!("{vi} đồng"), format!("{en} VND"))
}

/// One line of the fee table of the procedure section.
#[derive(Debug)]
pub(crate) struct FeeLine {
    reason: Msg,
    kind: Msg,
    amount: Msg,
}

/// One stage of a deadline answer.
#[derive(Debug)]
pub(crate) struct StageLine {
    label: Msg,
    working_days: u8,
    due: String,
    basis: Basis,
}

/// A computed answer: what it says, why, extra lines, and the stages of a
/// deadline answer.
#[derive(Debug)]
pub(crate) struct Answer {
    headline: Msg,
    explanation: Msg,
    basis: Vec<Basis>,
    lines: Vec<Msg>,
    stages: Vec<StageLine>,
}

fn answer<T>(headline: Msg, e: &Explained<T>, lines: Vec<Msg>) -> Answer {
    Answer {
        headline,
        explanation: Msg::new(e.explanation_vi.clone(), e.explanation_en.clone()),
        basis: bases(&e.basis),
        lines,
        stages: Vec::new(),
    }
}

/// `GET /thu-tuc`.
#[derive(Template, WebTemplate)]
#[template(path = "citizen/procedures.html")]
pub(crate) struct ProceduresPage {
    ui: Ui,
    today: String,
    regime: Msg,
    /// The structure of offices in force today and where to apply under it.
    structure: Msg,
    where_to_apply: Msg,
    fingerprints: Vec<Msg>,
    stages: Vec<StageLine>,
    cap_working_days: u8,
    fee_lines: Vec<FeeLine>,
    // Fee form.
    reasons: Vec<Choice>,
    kinds: Vec<Choice>,
    online: bool,
    fee_date: String,
    exemptions: Vec<Choice>,
    fee: Option<Result<Answer, Msg>>,
    // Deadline form.
    received: String,
    receivers: Vec<Choice>,
    deadline: Option<Result<Answer, Msg>>,
    // Expiry form.
    dob: String,
    issued: String,
    expiry: Option<Result<Answer, Msg>>,
}

/// The query pairs, repeated names kept (`mien` may repeat).
struct Q(Vec<(String, String)>);

impl Q {
    fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
    fn all(&self, k: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.trim())
            .collect()
    }
    fn has(&self, k: &str) -> bool {
        self.0.iter().any(|(n, _)| n == k)
    }
}

fn iso(d: Date) -> String {
    d.to_string()
}

fn date_or(q: &Q, k: &str, today: Date) -> Result<Date, Msg> {
    match q.get(k) {
        None => Ok(today),
        Some(s) => parse_date(s).map_err(|e| Msg::of(&e)),
    }
}

fn fee_answer(svc: &Service, q: &Q, today: Date) -> Result<Answer, Msg> {
    let reason = Reason::parse(q.get("ly_do").unwrap_or("")).map_err(|e| Msg::of(&e))?;
    let date = date_or(q, "ngay", today)?;
    let kind = match q.get("loai") {
        Some(k) => Some(IssueKind::parse(k).map_err(|e| Msg::of(&e))?),
        None => None,
    };
    let exemptions = q
        .all("mien")
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(Exemption::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Msg::of(&e))?;
    let channel = if q.get("kenh") == Some("online") {
        Channel::Online
    } else {
        Channel::InPerson
    };
    let FeeQuote { fee: f, .. } = svc
        .quote_fee(kind, reason, &exemptions, date, channel)
        .map_err(|e| Msg::of(&e))?;
    let amount = vnd(f.value.amount_vnd);
    let headline = if f.value.amount_vnd == 0 {
        Msg::new("Không mất lệ phí (0 đồng)", "No fee (0 VND)")
    } else {
        Msg::new(
            format!("Lệ phí: {}", amount.vi),
            format!("Fee: {}", amount.en),
        )
    };
    let mut lines = vec![Msg::new(
        format!(
            "{} – {}, {}, ngày {}",
            f.value.kind.label_vi(),
            f.value.reason.label_vi(),
            f.value.channel.label_vi(),
            dmy(date)
        ),
        format!(
            "{} – {}, {}, on {}",
            f.value.kind.label_en(),
            f.value.reason.label_en(),
            f.value.channel.label_en(),
            dmy(date)
        ),
    )];
    if f.value.base_amount_vnd != f.value.amount_vnd {
        let base = vnd(f.value.base_amount_vnd);
        lines.push(Msg::new(
            format!("Mức theo biểu phí trước miễn, giảm: {}", base.vi),
            format!("Table amount before exemption or reduction: {}", base.en),
        ));
    }
    if f.value.reduction_percent > 0 {
        lines.push(Msg::new(
            format!("Được giảm {}%", f.value.reduction_percent),
            format!("Reduced by {}%", f.value.reduction_percent),
        ));
    }
    Ok(answer(headline, &f, lines))
}

fn stage_lines(d: &rules::Deadlines) -> Vec<StageLine> {
    d.stages
        .iter()
        .map(|s| StageLine {
            label: Msg::new(s.stage.label_vi(), s.stage.label_en()),
            working_days: s.working_days,
            due: dmy(s.due),
            basis: Basis {
                document: s.basis.document.to_string(),
                article: s.basis.article.to_string(),
            },
        })
        .collect()
}

fn deadline_answer(q: &Q, today: Date, cal: &WorkingCalendar) -> Result<Answer, Msg> {
    let received = date_or(q, "ngay_nhan", today)?;
    let by = Receiver::parse(q.get("noi_nhan").unwrap_or("office")).map_err(|e| Msg::of(&e))?;
    let d = rules::deadlines(received, by, cal).map_err(|e| Msg::of(&e))?;
    let v = &d.value;
    let headline = Msg::new(
        format!(
            "Ngày hẹn trả kết quả: {} ({} ngày làm việc kể từ ngày {})",
            dmy(v.promised_date),
            v.cap_working_days,
            dmy(v.received)
        ),
        format!(
            "Promised date: {} ({} working days from {})",
            dmy(v.promised_date),
            v.cap_working_days,
            dmy(v.received)
        ),
    );
    // The days off in between, from the calendar: why the date is where it is.
    let mut lines = Vec::new();
    for year in v.received.year()..=v.promised_date.year() {
        let holidays = cal.holidays(year).map_err(|e| Msg::of(&e))?;
        for h in holidays
            .iter()
            .filter(|h| h.date > v.received && h.date <= v.promised_date)
        {
            // A holiday is named by its occasion ("nghỉ Tết Dương lịch"); a
            // day off in lieu or by decision already says so ("Nghỉ bù …").
            let plain = h.kind == HolidayKind::Holiday && !h.name_vi.starts_with("Nghỉ");
            lines.push(if plain {
                Msg::new(
                    format!("{}: nghỉ {}", dmy(h.date), h.name_vi),
                    format!("{}: day off, {}", dmy(h.date), h.name_en),
                )
            } else {
                Msg::new(
                    format!("{}: {}", dmy(h.date), h.name_vi),
                    format!("{}: {}", dmy(h.date), h.name_en),
                )
            });
        }
        for m in cal
            .make_up_days(year)
            .map_err(|e| Msg::of(&e))?
            .iter()
            .filter(|m| m.date > v.received && m.date <= v.promised_date)
        {
            lines.push(Msg::new(
                format!("{}: ngày làm bù (tính là ngày làm việc)", dmy(m.date)),
                format!(
                    "{}: make-up working day (counts as a working day)",
                    dmy(m.date)
                ),
            ));
        }
    }
    let weekends = {
        let mut n = 0u32;
        let mut day = v.received;
        while day < v.promised_date {
            day = day
                .tomorrow()
                .map_err(|_| Msg::new("Ngày quá xa", "Date too far"))?;
            if cal.is_working_day(day).map(|s| !s.working).unwrap_or(false) {
                n += 1;
            }
        }
        n
    };
    lines.push(Msg::new(
        format!(
            "Tổng số ngày nghỉ (cuối tuần, lễ, Tết) trong khoảng này: {weekends}; ngày tiếp nhận không được tính."
        ),
        format!(
            "Days off (weekends, holidays) in between: {weekends}; the reception day itself does not count."
        ),
    ));
    let mut a = answer(headline, &d, lines);
    a.stages = stage_lines(v);
    Ok(a)
}

fn expiry_answer(q: &Q, today: Date) -> Result<Answer, Msg> {
    // Typed as people write it (17/05/1990, 05/1990, 1990) or ISO: the
    // desk's reading, so the portal and the console agree.
    let dob: PartialDate = crate::console::forms::parse_dob(q.get("ngay_sinh").unwrap_or(""))
        .map_err(|e| Msg::of(&e))?;
    let issued = date_or(q, "ngay_cap", today)?;
    let e = rules::card_expiry(dob, issued).map_err(|e| Msg::of(&e))?;
    let headline = match e.value {
        Expiry::On(d) => Msg::new(
            format!(
                "Thẻ cấp ngày {} có giá trị đến ngày {}",
                dmy(issued),
                dmy(d)
            ),
            format!("A card issued on {} is valid until {}", dmy(issued), dmy(d)),
        ),
        Expiry::None => Msg::new(
            format!("Thẻ cấp ngày {} có giá trị không thời hạn", dmy(issued)),
            format!("A card issued on {} never expires", dmy(issued)),
        ),
    };
    let regime = Regime::on(issued).map_err(|e| Msg::of(&e))?;
    let ages = regime.renewal_ages().map_err(|e| Msg::of(&e))?;
    let mut lines = Vec::new();
    for age in ages {
        let when = match dob {
            PartialDate::Full(b) => rules::reach_age(b, age).ok().map(dmy),
            _ => Some(format!("{}", i32::from(dob.year()) + i32::from(age))),
        };
        let when = when.unwrap_or_default();
        lines.push(Msg::new(
            format!("Đổi thẻ khi đủ {age} tuổi ({when})"),
            format!("Renew at age {age} ({when})"),
        ));
    }
    lines.push(Msg::new(
        format!(
            "Sau 60 tuổi thẻ không còn thời hạn. Thẻ cấp trong vòng 2 năm trước một tuổi đổi thẻ có giá trị đến tuổi đổi thẻ tiếp theo ({}).",
            regime.name_vi()
        ),
        format!(
            "After 60 the card no longer expires. A card issued within 2 years before a renewal age stays valid until the next one ({}).",
            regime.name_en()
        ),
    ));
    Ok(answer(headline, &e, lines))
}

/// `GET /thu-tuc[?…]`: the procedure, and the answers to any form sent.
pub(crate) async fn page(State(app): State<Web>, ui: Ui, RawQuery(raw): RawQuery) -> Response {
    let q = Q(raw
        .as_deref()
        .map(|r| {
            form_urlencoded::parse(r.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.chars().take(200).collect()))
                .take(64)
                .collect()
        })
        .unwrap_or_default());
    let today = app.service().today();
    let cal = app.service().calendar();

    let regime = Regime::on(today)
        .map(|r| Msg::new(r.name_vi(), r.name_en()))
        .unwrap_or_else(|e| Msg::of(&e));
    let (stages, cap) = match rules::deadlines(today, Receiver::Office, cal) {
        Ok(d) => (stage_lines(&d.value), d.value.cap_working_days),
        Err(_) => (Vec::new(), 0),
    };
    let fee_lines = Reason::ALL
        .iter()
        .filter_map(|&r| {
            let FeeQuote { kind, fee: f } = app
                .service()
                .quote_fee(None, r, &[], today, Channel::InPerson)
                .ok()?;
            Some(FeeLine {
                reason: Msg::new(r.label_vi(), r.label_en()),
                kind: Msg::new(kind.label_vi(), kind.label_en()),
                amount: vnd(f.value.amount_vnd),
            })
        })
        .collect();

    let chosen_reason = q.get("ly_do");
    let chosen_kind = q.get("loai");
    let chosen_mien = q.all("mien");
    let fee = q.has("ly_do").then(|| fee_answer(app.service(), &q, today));
    let deadline = q.has("ngay_nhan").then(|| deadline_answer(&q, today, cal));
    let expiry = q.has("ngay_sinh").then(|| expiry_answer(&q, today));
    let failed = matches!(fee, Some(Err(_)))
        || matches!(deadline, Some(Err(_)))
        || matches!(expiry, Some(Err(_)));
    let chosen_by = q.get("noi_nhan").unwrap_or("office");

    let spec = Structure::on(today).spec();
    let where_to_apply = if spec.district_police {
        Msg::new(
            "Nộp hồ sơ tại Công an cấp tỉnh hoặc Công an cấp huyện nơi bạn thường trú hoặc tạm trú.",
            "Apply at the provincial or district police where you have your permanent or temporary residence.",
        )
    } else {
        Msg::new(
            "Nộp hồ sơ tại Công an cấp xã nơi bạn cư trú hoặc tại Công an cấp tỉnh; không còn Công an cấp huyện.",
            "Apply at the commune police where you live or at the provincial police; there are no district police any more.",
        )
    };
    let page = ProceduresPage {
        today: dmy(today),
        regime,
        structure: Msg::new(spec.label_vi, spec.label_en),
        where_to_apply,
        fingerprints: CaptureSlot::ALL
            .iter()
            .map(|s| Msg::new(s.label_vi(), s.label_en()))
            .collect(),
        stages,
        cap_working_days: cap,
        fee_lines,
        reasons: Reason::ALL
            .iter()
            .map(|r| Choice {
                code: r.code(),
                label: Msg::new(r.label_vi(), r.label_en()),
                chosen: chosen_reason == Some(r.code()),
            })
            .collect(),
        kinds: IssueKind::ALL
            .iter()
            .map(|k| Choice {
                code: k.code(),
                label: Msg::new(k.label_vi(), k.label_en()),
                chosen: chosen_kind == Some(k.code()),
            })
            .collect(),
        online: q.get("kenh") == Some("online"),
        fee_date: q.get("ngay").map_or_else(|| iso(today), str::to_owned),
        exemptions: Exemption::ALL
            .iter()
            .map(|x| Choice {
                code: x.code(),
                label: Msg::new(x.label_vi(), x.label_en()),
                chosen: chosen_mien.contains(&x.code()),
            })
            .collect(),
        fee,
        received: q.get("ngay_nhan").map_or_else(|| iso(today), str::to_owned),
        receivers: Receiver::ALL
            .iter()
            .map(|r| Choice {
                code: r.code(),
                label: Msg::new(r.label_vi(), r.label_en()),
                chosen: chosen_by == r.code(),
            })
            .collect(),
        deadline,
        dob: q.get("ngay_sinh").unwrap_or("").to_owned(),
        issued: q.get("ngay_cap").map_or_else(|| iso(today), str::to_owned),
        expiry,
        ui,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_per_language() {
        assert_eq!(vnd(70_000).vi, "70.000 đồng");
        assert_eq!(vnd(1_250_000).en, "1,250,000 VND");
        assert_eq!(vnd(0).vi, "0 đồng");
        assert_eq!(vnd(500).en, "500 VND");
    }
}
