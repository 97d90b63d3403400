//! The citizens' portal pages (trang công dân): office directory
//! (`/co-quan`), procedures, fees and deadlines from the rules engine
//! (`/thu-tuc`), dossier status with a captcha (`/tra-cuu`) and the personal
//! ID decoder (`/so-dinh-danh`) and the check of a signed QR
//! (`/xac-minh`). No login here: these pages are open to
//! everyone; citizens' sessions belong to their identity accounts
//! (`crate::account`, `/tai-khoan`).
//!
//! | Path | What |
//! |---|---|
//! | `GET /co-quan` | [`offices`]: reception offices by province, hours in words, hotlines |
//! | `GET /thu-tuc` | [`procedures`]: the steps, and fee / deadline / expiry forms answered by the rules engine |
//! | `GET/POST /so-dinh-danh` | [`decoder`]: what a personal ID number says, strict or lenient |
//! | `GET/POST /tra-cuu`, `GET /tra-cuu/ma-xac-nhan/{id}/nghe.wav` | [`status`]: dossier status behind a captcha ([`captcha`]); the service counts lookups and challenges per client |
//! | `GET/POST /xac-nhan-so-cmnd` | [`confirmation`]: a request to confirm an old CMND number (its code, due date, office) |
//! | `GET/POST /xac-minh` | [`verify`]: checks a signed QR (seal): signature, claims, and a card's status now |
//! | `GET /__test/captcha/{id}` | the answer of a challenge, only with `WebConfig::test_hooks` |

pub(crate) mod captcha;
mod confirmation;
mod decoder;
mod offices;
mod procedures;
mod status;
mod verify;

use axum::Router;
use axum::routing::get;

use crate::{Web, WebConfig};

/// Per-process state of the citizens' pages.
#[derive(Debug, Default)]
pub(crate) struct CitizenState {
    /// Captcha answers for the test hook (filled only with test hooks on).
    pub test_answers: captcha::TestAnswers,
}

impl CitizenState {
    /// Fresh state.
    pub(crate) fn new(_config: &WebConfig) -> Self {
        Self::default()
    }
}

/// A message in both languages, shown in the page's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Msg {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Msg {
    /// A message from its two texts.
    pub(crate) fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// A localized error's messages.
    pub(crate) fn of(e: &(impl cancuoc_core::i18n::Localized + ?Sized)) -> Self {
        Self::new(e.message_vi(), e.message_en())
    }

    /// The text in the page's language.
    pub(crate) fn text(&self, ui: &super::ui::Ui) -> &str {
        ui.t(&self.vi, &self.en)
    }
}

/// `d/m/yyyy` as Vietnamese pages write dates (`21/11/2026`), the same in
/// both languages so a date reads the same on the slip and on screen.
pub(crate) fn dmy(d: jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// A phone number for a `tel:` link: its digits and a leading `+`.
pub(crate) fn tel(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// The citizens' pages.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route("/co-quan", get(offices::page))
        .route("/thu-tuc", get(procedures::page))
        .route("/so-dinh-danh", get(decoder::form).post(decoder::decode))
        .route("/tra-cuu", get(status::form).post(status::lookup))
        .route("/tra-cuu/ma-xac-nhan/{id}/nghe.wav", get(status::audio))
        .route("/xac-minh", get(verify::form).post(verify::check))
        .route(
            confirmation::PATH,
            get(confirmation::form).post(confirmation::submit),
        )
}

/// The test hooks of the citizens' pages, merged only when
/// `WebConfig::test_hooks` is on: `GET /__test/captcha/{id}` answers a
/// challenge's answer as plain text (for the browser tests).
pub(crate) fn test_hooks() -> Router<Web> {
    Router::new().route("/__test/captcha/{id}", get(status::test_answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_links_and_dates_read_day_first() {
        assert_eq!(tel("0236.3822.123"), "02363822123");
        assert_eq!(tel("+84 24 3942 0000"), "+842439420000");
        assert_eq!(dmy(jiff::civil::date(2026, 3, 9)), "09/03/2026");
    }
}
