//! The officers' console (bảng điều khiển cán bộ, `/can-bo`): login and
//! sessions, reception desk, capture checklist, print views, work queues,
//! the overdue dashboard and the citizens' chat inbox.
//!
//! | Path | What |
//! |---|---|
//! | `/can-bo/dang-nhap`, `/can-bo/dang-xuat`, `/can-bo` | [`login`]: log in, log out, console home |
//! | `/can-bo/tiep-nhan`, `/can-bo/tiep-nhan/dang-ky`, `/can-bo/tiep-nhan/cong-dan/{ref}` | [`reception`]: find (within the officer's scope, every read audited) or register the citizen, open the dossier; `{ref}` is an opaque reference, never a record id |
//! | `/can-bo/tiep-nhan/cong-dan/{ref}/tai-khoan` | [`account_panel`]: the citizen's electronic identity account on the applicant page: level, lock, events; grant level 2, lower, lock, unlock |
//! | `/can-bo/ho-so?ma=`, `/can-bo/ho-so/{code}`, `…/chuyen` | [`dossier`]: details, timeline, workflow steps |
//! | `/can-bo/ho-so/{code}/thu-nhan` | [`capture`]: fingerprints, portrait, features |
//! | `/can-bo/ho-so/{code}/in/bien-nhan`, `…/in/giay-hen` (and each `….pdf`) | [`print`]: receipt form (A4) and appointment slip (A5) with a Code 128 barcode, as a page and as PDF |
//! | `/can-bo/ho-so/{code}/the-mau[?format=png\|pdf]` | [`specimen`]: the specimen of the dossier's card (front and back) from "printed" on |
//! | `/can-bo/hang-doi`, `/can-bo/hang-doi/xu-ly` | [`queues`]: work queues per role and office, bulk steps |
//! | `/can-bo/qua-han` | [`dashboard`]: overdue dashboard with an inline SVG chart ([`chart`]) and the channels' counts of the last 7 days |
//! | `/can-bo/tin-nhan`, `/can-bo/tin-nhan/{id}`, `…/tra-loi`, `…/tra-lai`, `/can-bo/tin-nhan/gui-lai` | [`chats`]: the chat inbox (conversations handed to an officer), replies, giving back to the bot; dead letters for admins |
//! | `/can-bo/xac-nhan-cmnd`, `…/{code}`, `…/{code}/quyet-dinh`, `…/{code}/in` | [`confirmations`]: requests to confirm an old CMND number: the office's queue, the desk's form, approve / refuse with a reason, the printed confirmation with its signed QR |
//!
//! Every page but the login page takes a [`session::Session`] (anonymous
//! requests are sent to the login page) and extends
//! `templates/console/layout.html`, whose template struct has the fields
//! `ui: Ui` and `session: Session`; every POST form carries the hidden
//! `csrf` field, checked with [`session::Session::check_csrf`].

pub(crate) mod account_panel;
pub(crate) mod capture;
pub(crate) mod chart;
pub(crate) mod chats;
pub(crate) mod confirmations;
pub(crate) mod dashboard;
mod desk_prefill;
pub(crate) mod dossier;
pub(crate) mod forms;
pub(crate) mod login;
pub(crate) mod print;
pub(crate) mod queues;
pub(crate) mod reception;
pub(crate) mod session;
pub(crate) mod specimen;

use axum::Router;

use crate::Web;

/// The console pages.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .merge(login::router())
        .merge(reception::router())
        .merge(dossier::router())
        .merge(capture::router())
        .merge(print::router())
        .merge(specimen::router())
        .merge(queues::router())
        .merge(dashboard::router())
        .merge(chats::router())
        .merge(confirmations::router())
}
