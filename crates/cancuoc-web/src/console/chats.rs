//! The officers' chat inbox (hộp tin nhắn, `/can-bo/tin-nhan`): the Zalo
//! and Messenger conversations the bot handed to a human ("gặp cán bộ"),
//! newest first, with a filter to see every recent conversation; a
//! conversation's lines (citizen, bot, officer, time in Vietnam), the
//! reply form (1–2000 characters, queued in the outbox and sent through
//! the channel's API) and the button that gives the conversation back to
//! the bot. Administrators also see the dead letters (tin gửi không
//! thành công) and put them back in the queue.
//!
//! The citizen's provider id is never shown whole (its last 4 characters
//! only), nor the recipient of a dead letter. Who may answer is
//! [`cancuoc_service::ConsoleAreas::chats`] (reception and
//! administrators); which conversation is the service's rule (an officer
//! of the conversation's office or above, any officer while it has no
//! office yet). Every POST carries the session's CSRF token and answers
//! with a redirect (post/redirect/get); a refused reply is shown again
//! beside its field.
//!
//! | Path | What |
//! |---|---|
//! | `GET /can-bo/tin-nhan[?tat_ca=1]` | the inbox (handed to a human; `tat_ca`: every recent conversation) and, for admins, the dead letters |
//! | `GET /can-bo/tin-nhan/{id}` | one conversation and the reply form |
//! | `POST /can-bo/tin-nhan/{id}/tra-loi` | reply (`noi_dung`) |
//! | `POST /can-bo/tin-nhan/{id}/tra-lai` | give it back to the bot |
//! | `POST /can-bo/tin-nhan/gui-lai` | retry a dead letter (`id`: `m:12`, `s:12`; admins) |

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_service::ServiceError;
use cancuoc_service::model::{ChatLine, ConversationRecord, OutboxId, OutboxItem};
use serde::Deserialize;

use super::forms::{FieldErrors, show_instant};
use super::session::Session;
use crate::Web;
use crate::error::{PageError, status_of};
use crate::ui::Ui;

/// The inbox's path.
const INBOX: &str = "/can-bo/tin-nhan";
/// The longest reply (Zalo's and Messenger's limit).
pub(crate) const REPLY_MAX_CHARS: usize = 2000;

/// A channel's name by its stable code (Vietnamese, English).
pub(crate) fn channel_label(code: &str) -> (&'static str, &'static str) {
    match code {
        "ivr" => ("Tổng đài", "Hotline"),
        "zalo" => ("Zalo", "Zalo"),
        "messenger" => ("Messenger", "Messenger"),
        "sms" => ("Tin nhắn SMS", "SMS"),
        _ => ("Kênh khác", "Other channel"),
    }
}

/// A provider's id or a phone number as the console shows it: its last 4
/// characters only (`•••1234`); a shorter id is not shown at all.
pub(crate) fn mask_tail(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() <= 4 {
        return "••••".to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("•••{tail}")
}

/// A conversation as the inbox lists it.
pub(crate) struct ConversationRow {
    pub id: i64,
    pub channel_vi: &'static str,
    pub channel_en: &'static str,
    /// The sender's id, masked ([`mask_tail`]).
    pub sender: String,
    /// dd/mm/yyyy HH:MM in Vietnam.
    pub updated: String,
    /// dd/mm/yyyy HH:MM in Vietnam.
    pub opened: String,
    /// The office it is about, when known.
    pub office: Option<String>,
    /// An officer has it (the bot is silent).
    pub human: bool,
}

impl ConversationRow {
    fn of(app: &Web, r: &ConversationRecord) -> Self {
        let (channel_vi, channel_en) = channel_label(&r.channel);
        Self {
            id: r.id,
            channel_vi,
            channel_en,
            sender: mask_tail(&r.sender),
            updated: show_instant(r.updated_at),
            opened: show_instant(r.opened_at),
            office: r.office_code.map(|c| app.service().offices().name_of(c)),
            human: r.human,
        }
    }
}

/// Who wrote a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Author {
    Citizen,
    Bot,
    /// The officer looking at the page.
    You,
    Officer,
}

impl Author {
    fn of(author: &str, inbound: bool, me: i64) -> Self {
        if inbound || author == "citizen" {
            return Author::Citizen;
        }
        match author.strip_prefix("officer:") {
            Some(id) if id.parse::<i64>().ok() == Some(me) => Author::You,
            Some(_) => Author::Officer,
            None => Author::Bot,
        }
    }

    /// The CSS class of the line.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Author::Citizen => "from-citizen",
            Author::Bot => "from-bot",
            Author::You | Author::Officer => "from-officer",
        }
    }

    /// (Vietnamese, English) label.
    pub(crate) fn label(self) -> (&'static str, &'static str) {
        match self {
            Author::Citizen => ("Công dân", "Citizen"),
            Author::Bot => ("Trợ lý tự động", "Bot"),
            Author::You => ("Bạn (cán bộ)", "You (officer)"),
            Author::Officer => ("Cán bộ", "Officer"),
        }
    }
}

/// One line of a conversation on the page.
pub(crate) struct LineRow {
    pub author: Author,
    /// dd/mm/yyyy HH:MM in Vietnam.
    pub at: String,
    pub text: String,
}

impl LineRow {
    fn of(l: &ChatLine, me: i64) -> Self {
        Self {
            author: Author::of(&l.author, l.inbound, me),
            at: show_instant(l.at),
            text: l.text.clone(),
        }
    }
}

/// A dead letter as an administrator sees it.
pub(crate) struct DeadRow {
    /// `m:12` / `s:12`, for the retry form.
    pub id: String,
    pub channel_vi: &'static str,
    pub channel_en: &'static str,
    /// A chat reply or a notification (Vietnamese, English).
    pub kind_vi: &'static str,
    pub kind_en: &'static str,
    /// The recipient, masked ([`mask_tail`]).
    pub recipient: String,
    pub attempts: u32,
    pub last_error: String,
    /// dd/mm/yyyy HH:MM in Vietnam.
    pub created: String,
}

impl DeadRow {
    fn of(d: &OutboxItem) -> Self {
        let (channel_vi, channel_en) = channel_label(&d.channel);
        let (kind_vi, kind_en) = match d.kind.as_str() {
            "reply" => ("Trả lời tin nhắn", "Chat reply"),
            "notify" => ("Thông báo hồ sơ", "Dossier notification"),
            _ => ("Khác", "Other"),
        };
        Self {
            id: d.id.to_string(),
            channel_vi,
            channel_en,
            kind_vi,
            kind_en,
            recipient: mask_tail(&d.recipient),
            attempts: d.attempts,
            last_error: d.last_error.clone().unwrap_or_default(),
            created: show_instant(d.created_at),
        }
    }
}

/// `GET /can-bo/tin-nhan`.
#[derive(Template, WebTemplate)]
#[template(path = "console/chats.html")]
pub(crate) struct InboxPage {
    pub ui: Ui,
    pub session: Session,
    /// Every recent conversation, not only those handed to a human.
    pub all: bool,
    pub rows: Vec<ConversationRow>,
    /// What was just done (`?ok=`), in words.
    pub done: Option<String>,
    /// The dead letters, for an administrator (`None` for other roles).
    pub dead: Option<Vec<DeadRow>>,
}

/// `GET /can-bo/tin-nhan/{id}`.
#[derive(Template, WebTemplate)]
#[template(path = "console/chats_conversation.html")]
pub(crate) struct ConversationPage {
    pub ui: Ui,
    pub session: Session,
    pub conv: ConversationRow,
    pub lines: Vec<LineRow>,
    /// The reply as typed (shown again when refused).
    pub text: String,
    pub errors: FieldErrors,
    /// What was just done (`?ok=`), in words.
    pub done: Option<String>,
    pub max_chars: usize,
}

#[derive(Deserialize)]
struct InboxQuery {
    tat_ca: Option<String>,
    ok: Option<String>,
}

#[derive(Deserialize)]
struct DoneQuery {
    ok: Option<String>,
}

/// The reply form.
#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    noi_dung: String,
}

/// The give-back form.
#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The retry form of a dead letter.
#[derive(Deserialize)]
struct RetryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
}

/// What `?ok=` says was just done.
fn done_text(ui: &Ui, code: Option<&str>) -> Option<String> {
    let (vi, en) = match code? {
        "tra_loi" => (
            "Đã lưu câu trả lời; hệ thống đang gửi cho công dân qua kênh của họ.",
            "The answer is saved and being sent to the citizen on their channel.",
        ),
        "tra_lai" => (
            "Đã trả cuộc trò chuyện cho trợ lý tự động.",
            "The conversation is back with the bot.",
        ),
        "gui_lai" => (
            "Đã đưa tin nhắn trở lại hàng đợi gửi.",
            "The message is back in the sending queue.",
        ),
        _ => return None,
    };
    Some(ui.t(vi, en).to_owned())
}

/// Refuses (403 page) an officer whose role does not answer chats.
fn require_chats(session: &Session) -> Result<(), PageError> {
    if session.areas().chats {
        Ok(())
    } else {
        Err(PageError::new(
            &session.ui,
            StatusCode::FORBIDDEN,
            "Chỉ cán bộ tiếp nhận và quản trị viên được xem và trả lời tin nhắn của công dân.",
            "Only reception officers and administrators see and answer citizens' messages.",
        ))
    }
}

/// The conversation id of a path, or the "no such conversation" page.
fn id_or_404(ui: &Ui, raw: &str) -> Result<i64, PageError> {
    match raw.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(PageError::new(
            ui,
            StatusCode::NOT_FOUND,
            "Không có cuộc trò chuyện này.",
            "There is no such conversation.",
        )),
    }
}

/// A 303 to `to`.
fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// The reply's own check: 1 to [`REPLY_MAX_CHARS`] characters once
/// trimmed.
fn check_reply(text: &str) -> Result<(), (String, String)> {
    let n = text.trim().chars().count();
    if n == 0 {
        Err((
            "Hãy nhập câu trả lời (từ 1 đến 2000 ký tự).".to_owned(),
            "Type the answer (1 to 2000 characters).".to_owned(),
        ))
    } else if n > REPLY_MAX_CHARS {
        Err((
            format!(
                "Câu trả lời dài {n} ký tự; tối đa {REPLY_MAX_CHARS} ký tự (giới hạn của Zalo và Messenger). Hãy rút gọn hoặc chia thành nhiều lần gửi."
            ),
            format!(
                "The answer is {n} characters long; at most {REPLY_MAX_CHARS} (Zalo's and Messenger's limit). Shorten it or send it in several parts."
            ),
        ))
    } else {
        Ok(())
    }
}

async fn inbox(
    State(app): State<Web>,
    session: Session,
    Query(q): Query<InboxQuery>,
) -> Result<InboxPage, PageError> {
    require_chats(&session)?;
    let ui = session.ui.clone();
    let all = q
        .tat_ca
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "0");
    let mut list = app
        .service()
        .chat_inbox(&session.officer, !all)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    list.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    let rows = list.iter().map(|r| ConversationRow::of(&app, r)).collect();
    let dead = if session.officer.role == Role::Admin {
        let items = app
            .service()
            .dead_letters(&session.officer)
            .await
            .map_err(|e| PageError::service(&ui, e))?;
        Some(items.iter().map(DeadRow::of).collect())
    } else {
        None
    };
    Ok(InboxPage {
        done: done_text(&ui, q.ok.as_deref()),
        ui,
        session,
        all,
        rows,
        dead,
    })
}

/// The conversation page of `id` as `session`'s officer sees it.
async fn conversation_page(
    app: &Web,
    session: Session,
    id: i64,
    text: String,
    errors: FieldErrors,
    done: Option<String>,
) -> Result<ConversationPage, PageError> {
    let ui = session.ui.clone();
    let c = app
        .service()
        .chat_conversation(&session.officer, id)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let me = session.officer.id.0;
    Ok(ConversationPage {
        conv: ConversationRow::of(app, &c.record),
        lines: c.lines.iter().map(|l| LineRow::of(l, me)).collect(),
        ui,
        session,
        text,
        errors,
        done,
        max_chars: REPLY_MAX_CHARS,
    })
}

async fn show(
    State(app): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<ConversationPage, PageError> {
    require_chats(&session)?;
    let id = id_or_404(&session.ui, &id)?;
    let done = done_text(&session.ui, q.ok.as_deref());
    conversation_page(
        &app,
        session,
        id,
        String::new(),
        FieldErrors::default(),
        done,
    )
    .await
}

/// The error of the reply field.
fn reply_error(vi: String, en: String) -> FieldErrors {
    let mut errs = FieldErrors::default();
    errs.add("noi_dung", vi, en);
    errs
}

/// The conversation page again with the refused reply and its error.
async fn refused(
    app: &Web,
    session: Session,
    id: i64,
    text: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = conversation_page(app, session, id, text, errors, None).await?;
    Ok((status, page).into_response())
}

async fn reply(
    State(app): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<ReplyForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    require_chats(&session)?;
    let ui = session.ui.clone();
    let id = id_or_404(&ui, &id)?;
    if let Err((vi, en)) = check_reply(&f.noi_dung) {
        let errs = reply_error(vi, en);
        return refused(
            &app,
            session,
            id,
            f.noi_dung,
            errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match app
        .service()
        .chat_reply(&session.officer, id, &f.noi_dung)
        .await
    {
        Ok(()) => Ok(see_other(format!("{INBOX}/{id}?ok=tra_loi#tra-loi"))),
        Err(e @ ServiceError::Invalid { .. }) => {
            use cancuoc_core::i18n::Localized;
            let status = status_of(e.class());
            let errs = reply_error(e.message_vi(), e.message_en());
            refused(&app, session, id, f.noi_dung, errs, status).await
        }
        Err(e) => Err(PageError::service(&ui, e)),
    }
}

async fn give_back(
    State(app): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    require_chats(&session)?;
    let ui = session.ui.clone();
    let id = id_or_404(&ui, &id)?;
    app.service()
        .chat_close(&session.officer, id)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    Ok(see_other(format!("{INBOX}?ok=tra_lai")))
}

async fn retry(
    State(app): State<Web>,
    session: Session,
    Form(f): Form<RetryForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let ui = session.ui.clone();
    let id: OutboxId = f.id.parse().map_err(|_| {
        PageError::new(
            &ui,
            StatusCode::BAD_REQUEST,
            "Mã tin nhắn cần gửi lại không hợp lệ: hãy tải lại trang.",
            "The id of the message to retry is not valid: reload the page.",
        )
    })?;
    app.service()
        .retry_dead_letter(&session.officer, id)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    Ok(see_other(format!("{INBOX}?ok=gui_lai#thu-loi")))
}

/// The chat inbox routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route(INBOX, get(inbox))
        .route("/can-bo/tin-nhan/gui-lai", post(retry))
        .route("/can-bo/tin-nhan/{id}", get(show))
        .route("/can-bo/tin-nhan/{id}/tra-loi", post(reply))
        .route("/can-bo/tin-nhan/{id}/tra-lai", post(give_back))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_show_only_their_last_four_characters() {
        assert_eq!(mask_tail("8412345678901234567"), "•••4567");
        assert_eq!(mask_tail("user-1"), "•••er-1");
        assert_eq!(mask_tail("0912345678"), "•••5678");
        assert_eq!(mask_tail("abcd"), "••••");
        assert_eq!(mask_tail(""), "••••");
    }

    #[test]
    fn a_reply_has_one_to_two_thousand_characters() {
        assert!(check_reply("Chào anh").is_ok());
        assert!(check_reply(&"ạ".repeat(2000)).is_ok());
        let (vi, en) = check_reply("   ").expect_err("blank");
        assert_eq!(vi, "Hãy nhập câu trả lời (từ 1 đến 2000 ký tự).");
        assert_eq!(en, "Type the answer (1 to 2000 characters).");
        let (vi, en) = check_reply(&"ạ".repeat(2001)).expect_err("long");
        assert!(
            vi.starts_with("Câu trả lời dài 2001 ký tự; tối đa 2000"),
            "{vi}"
        );
        assert!(en.starts_with("The answer is 2001 characters long"), "{en}");
    }

    #[test]
    fn lines_name_their_author() {
        assert_eq!(Author::of("citizen", true, 7), Author::Citizen);
        assert_eq!(Author::of("bot", false, 7), Author::Bot);
        assert_eq!(Author::of("officer:7", false, 7), Author::You);
        assert_eq!(Author::of("officer:8", false, 7), Author::Officer);
    }
}
