//! Work queues (hàng đợi công việc, `/can-bo/hang-doi`): the dossiers
//! waiting for the logged-in officer's role within their office scope, one
//! tab per kind of work, most urgent first, each with its stage deadline and
//! working days left; and bulk steps (`POST /can-bo/hang-doi/xu-ly`) where
//! the job is bulk, answered with a page of what succeeded and what failed
//! and why.
//!
//! Without JavaScript: the tabs are links, "select all" is a link that
//! renders the same page with every box ticked, and paging is a link with
//! the keyset cursor (`sau=YYYY-MM-DD.ID`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State as AxState};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Router, response::IntoResponse};
use axum_extra::extract::Form;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::i18n::Localized;
use cancuoc_service::model::{DossierId, OfficeScope, QueueCursor};
use jiff::civil::Date;
use serde::Deserialize;

use super::forms::show_date;
use super::session::Session;
use crate::Web;
use crate::error::PageError;
use crate::ui::Ui;
use cancuoc_service::{QueueItem, ServiceError, WorkQueue};

/// Query of the queue page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    /// The kind of work shown: a state code.
    #[serde(rename = "trang-thai")]
    state: Option<String>,
    /// The keyset cursor of the page: `YYYY-MM-DD.ID`.
    sau: Option<String>,
    /// `tat-ca` ticks every box of the page (select all without script).
    chon: Option<String>,
}

/// One tab of the queue page.
pub(crate) struct Tab {
    pub state: State,
    pub count: i64,
    pub current: bool,
}

/// One row of the queue page.
pub(crate) struct Row {
    pub code: DossierCode,
    pub version: i64,
    pub citizen: String,
    pub office: String,
    pub received: String,
    pub due: String,
    pub due_vi: &'static str,
    pub due_en: &'static str,
    pub left_vi: String,
    pub left_en: String,
    pub late: bool,
    pub soon: bool,
}

/// The queue page.
#[derive(Template, WebTemplate)]
#[template(path = "console/queues.html")]
pub(crate) struct QueuePage {
    pub ui: Ui,
    pub session: Session,
    pub role_vi: &'static str,
    pub role_en: &'static str,
    /// Where the role works, or `None` when the officer's office is not.
    pub scope_vi: Option<String>,
    pub scope_en: Option<String>,
    pub tabs: Vec<Tab>,
    pub selected: Option<State>,
    pub bulk: Vec<State>,
    pub rows: Vec<Row>,
    pub all_checked: bool,
    pub next: Option<String>,
    pub first_page: bool,
    pub today: String,
    /// A fresh id for this form's idempotency keys.
    pub batch: String,
}

impl QueuePage {
    /// The link to a tab.
    pub fn tab_href(&self, s: &State) -> String {
        format!("/can-bo/hang-doi?trang-thai={}", s.code())
    }
    /// The "select all" link of the current tab.
    pub fn select_all_href(&self) -> String {
        match self.selected {
            Some(s) => format!("/can-bo/hang-doi?trang-thai={}&chon=tat-ca", s.code()),
            None => "/can-bo/hang-doi?chon=tat-ca".to_owned(),
        }
    }
    /// The link to the next page.
    pub fn next_href(&self, cursor: &str) -> String {
        let state = self.selected.map_or("", |s| s.code());
        format!("/can-bo/hang-doi?trang-thai={state}&sau={}", cursor)
    }
    /// The bulk button's label for a target state.
    pub fn bulk_label(&self, to: &State) -> &'static str {
        match *to {
            State::Approved => self.ui.t(
                "Phê duyệt các hồ sơ đã chọn",
                "Approve the selected dossiers",
            ),
            State::Printed => self.ui.t("Đánh dấu đã in thẻ", "Mark the cards printed"),
            State::Dispatched => self.ui.t(
                "Chuyển phát về nơi tiếp nhận",
                "Dispatch to the receiving office",
            ),
            State::ReadyForPickup => self.ui.t(
                "Nhận thẻ về, chờ trả cho công dân",
                "Book in, ready for pickup",
            ),
            State::Posted => self.ui.t("Gửi qua bưu điện", "Send by post"),
            other => self.ui.t(other.label_vi(), other.label_en()),
        }
    }
}

/// "n working days left" / "late by n" in both languages, from the signed
/// count of working days to a due date.
pub(crate) fn days_left_text(left: Option<i32>, late: bool) -> (String, String) {
    match left {
        None => ("—".to_owned(), "—".to_owned()),
        Some(n) if late => {
            let n = n.unsigned_abs();
            if n == 0 {
                ("Quá hạn".to_owned(), "Past due".to_owned())
            } else {
                (
                    format!("Quá hạn {n} ngày làm việc"),
                    format!("{n} working day{} late", if n == 1 { "" } else { "s" }),
                )
            }
        }
        Some(n) if n <= 0 => ("Hạn hôm nay".to_owned(), "Due today".to_owned()),
        Some(n) => (
            format!("Còn {n} ngày làm việc"),
            format!("{n} working day{} left", if n == 1 { "" } else { "s" }),
        ),
    }
}

fn cursor_text(c: &QueueCursor) -> String {
    format!("{}.{}", c.promised_on, c.id.0)
}

fn parse_cursor(ui: &Ui, s: &str) -> Result<QueueCursor, PageError> {
    let bad = || {
        PageError::new(
            ui,
            StatusCode::BAD_REQUEST,
            format!("Tham số trang \"sau\" không hợp lệ: {s:?} (cần dạng NĂM-THÁNG-NGÀY.SỐ)"),
            format!("Invalid page parameter \"sau\": {s:?} (expected YYYY-MM-DD.NUMBER)"),
        )
    };
    let (d, id) = s.split_once('.').ok_or_else(bad)?;
    Ok(QueueCursor {
        promised_on: d.parse::<Date>().map_err(|_| bad())?,
        id: DossierId(id.parse::<i64>().map_err(|_| bad())?),
    })
}

fn parse_state(ui: &Ui, field: &'static str, s: &str) -> Result<State, PageError> {
    s.parse::<State>().map_err(|e| {
        PageError::new(
            ui,
            StatusCode::BAD_REQUEST,
            format!("Trường \"{field}\": {}", e.message_vi()),
            format!("Field \"{field}\": {}", e.message_en()),
        )
    })
}

/// How the scope reads on the page.
fn scope_text(app: &Web, scope: Option<OfficeScope>) -> (Option<String>, Option<String>) {
    let tree = app.service().offices();
    let name = |c: u16| tree.name_of(c);
    match scope {
        None => (None, None),
        Some(OfficeScope::All) => (
            Some("mọi đơn vị tiếp nhận trên toàn quốc".to_owned()),
            Some("every receiving office nationwide".to_owned()),
        ),
        Some(OfficeScope::Office(c)) => (Some(name(c)), Some(name(c))),
        Some(OfficeScope::Subtree(c)) => (
            Some(format!("{} và các đơn vị trực thuộc", name(c))),
            Some(format!("{} and the offices below it", name(c))),
        ),
    }
}

fn row(q: &WorkQueue, it: &QueueItem) -> Row {
    let d = &it.entry.dossier;
    let (left_vi, left_en) = days_left_text(it.working_days_left, it.late);
    Row {
        code: d.code,
        version: d.version,
        citizen: it.entry.citizen_name.clone(),
        office: it.office_name.clone(),
        received: show_date(d.received_on),
        due: show_date(it.due),
        due_vi: it.due_kind.label_vi(),
        due_en: it.due_kind.label_en(),
        left_vi,
        left_en,
        late: it.late,
        soon: !it.late && it.working_days_left.is_some_and(|n| n <= 1) && it.due >= q.today,
    }
}

/// A fresh random id for a bulk form (its items' idempotency keys).
pub(crate) fn batch_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// `GET /can-bo/hang-doi`.
async fn queue_page(
    AxState(app): AxState<Web>,
    ui: Ui,
    session: Session,
    Query(q): Query<QueueQuery>,
) -> Result<QueuePage, PageError> {
    let state = q
        .state
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_state(&ui, "trang-thai", s))
        .transpose()?;
    let after = q
        .sau
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_cursor(&ui, s))
        .transpose()?;
    let wq = app
        .service()
        .work_queue(&session.officer, state, after)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let (scope_vi, scope_en) = scope_text(&app, wq.scope);
    let selected = wq.selected.as_ref().map(|k| k.state);
    Ok(QueuePage {
        role_vi: wq.role.label_vi(),
        role_en: wq.role.label_en(),
        scope_vi,
        scope_en,
        tabs: wq
            .kinds
            .iter()
            .map(|(k, n)| Tab {
                state: k.state,
                count: *n,
                current: Some(k.state) == selected,
            })
            .collect(),
        selected,
        bulk: wq
            .selected
            .as_ref()
            .map(|k| k.bulk.clone())
            .unwrap_or_default(),
        rows: wq.items.iter().map(|it| row(&wq, it)).collect(),
        all_checked: q.chon.as_deref() == Some("tat-ca"),
        next: wq.next.as_ref().map(cursor_text),
        first_page: after.is_none(),
        today: show_date(wq.today),
        batch: batch_id(),
        ui,
        session,
    })
}

/// The bulk form.
#[derive(Debug, Deserialize)]
pub(crate) struct BulkForm {
    #[serde(default)]
    csrf: String,
    /// The state the items wait in.
    #[serde(default)]
    tu: String,
    /// The target state (the button pressed).
    #[serde(default)]
    den: String,
    /// The form's id for idempotency keys.
    #[serde(default)]
    lo: String,
    /// The ticked items, each `CODE:VERSION`.
    #[serde(default)]
    chon: Vec<String>,
}

/// One line of the bulk result page.
pub(crate) struct ResultLine {
    pub code: String,
    pub ok: bool,
    pub replayed: bool,
    pub message_vi: String,
    pub message_en: String,
    pub error_code: &'static str,
}

/// The bulk result page.
#[derive(Template, WebTemplate)]
#[template(path = "console/queues_result.html")]
pub(crate) struct ResultPage {
    pub ui: Ui,
    pub session: Session,
    pub from: State,
    pub to: State,
    pub lines: Vec<ResultLine>,
    pub done: usize,
    pub failed: usize,
}

fn failed_line(code: String, e: &(impl Localized + ?Sized)) -> ResultLine {
    ResultLine {
        code,
        ok: false,
        replayed: false,
        message_vi: e.message_vi(),
        message_en: e.message_en(),
        error_code: e.code(),
    }
}

/// `POST /can-bo/hang-doi/xu-ly`: one transition per ticked item.
async fn bulk(
    AxState(app): AxState<Web>,
    ui: Ui,
    session: Session,
    Form(form): Form<BulkForm>,
) -> Result<axum::response::Response, PageError> {
    session.check_csrf(&form.csrf)?;
    let from = parse_state(&ui, "tu", &form.tu)?;
    let to = parse_state(&ui, "den", &form.den)?;
    if form.chon.is_empty() {
        return Err(PageError::new(
            &ui,
            StatusCode::BAD_REQUEST,
            "Chưa chọn hồ sơ nào: đánh dấu ít nhất một hồ sơ trong danh sách rồi bấm lại.",
            "No dossier selected: tick at least one dossier in the list and press again.",
        ));
    }
    let batch: String = form
        .lo
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(32)
        .collect();
    let batch = if batch.is_empty() { batch_id() } else { batch };
    // Items that cannot be read are reported, the others still go ahead.
    let mut lines: Vec<Option<ResultLine>> = Vec::with_capacity(form.chon.len());
    let mut items = Vec::new();
    let mut slots = Vec::new();
    for raw in &form.chon {
        let parsed = raw.split_once(':').ok_or(()).and_then(|(c, v)| {
            Ok((
                DossierCode::parse(c).map_err(|_| ())?,
                v.parse::<i64>().map_err(|_| ())?,
            ))
        });
        match parsed {
            Ok(item) => {
                slots.push(lines.len());
                lines.push(None);
                items.push(item);
            }
            Err(()) => lines.push(Some(failed_line(
                raw.chars().take(40).collect(),
                &ServiceError::invalid(
                    "chon",
                    format!("mục {raw:?} không phải MÃ-HỒ-SƠ:PHIÊN-BẢN"),
                    format!("item {raw:?} is not DOSSIER-CODE:VERSION"),
                ),
            ))),
        }
    }
    let results = if items.is_empty() {
        Vec::new()
    } else {
        app.service()
            .bulk_transition(&session.officer, from, to, &items, &batch)
            .await
            .map_err(|e| PageError::service(&ui, e))?
    };
    for (slot, r) in slots.into_iter().zip(results) {
        lines[slot] = Some(match r.outcome {
            Ok(out) => ResultLine {
                code: r.code.grouped(),
                ok: true,
                replayed: out.replayed,
                message_vi: format!(
                    "{} → {} (phiên bản {})",
                    out.from.label_vi(),
                    out.to.label_vi(),
                    out.version
                ),
                message_en: format!(
                    "{} → {} (version {})",
                    out.from.label_en(),
                    out.to.label_en(),
                    out.version
                ),
                error_code: "",
            },
            Err(e) => failed_line(r.code.grouped(), &e),
        });
    }
    let lines: Vec<ResultLine> = lines.into_iter().flatten().collect();
    let done = lines.iter().filter(|l| l.ok).count();
    let failed = lines.len() - done;
    let page = ResultPage {
        ui,
        session,
        from,
        to,
        lines,
        done,
        failed,
    };
    Ok(page.into_response())
}

/// The queue routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route("/can-bo/hang-doi", get(queue_page))
        .route("/can-bo/hang-doi/xu-ly", post(bulk))
}
