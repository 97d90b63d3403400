//! `/so-dinh-danh`: what a personal ID number says (giải mã số định danh
//! cá nhân), in the words a citizen uses — where the birth was registered,
//! sex, year of birth (with its century), and that the last six digits are
//! only a serial — with the strict / lenient choice of DESIGN §2.1 as a
//! toggle. A 9-digit number is an old identity card (chứng minh nhân dân,
//! CMND): the page says so and what it tells (only the issuing province,
//! `cancuoc_core::id::Cmnd::issuer`), and where the personal ID is found.
//! The result is a list of facts that stacks at a phone's width (no table).
//!
//! The number is read with the lenient input parser (`001 099 012345`,
//! `001-099-012345` are fine) and is sent by POST, so it stays out of
//! addresses, browser history and access logs; nothing here logs it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use axum_extra::extract::FormRejection;
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::{Cmnd, DecodeMode, IdError, PersonalId, Region};
use serde::Deserialize;

use super::Msg;
use crate::Web;
use crate::error::PageError;
use crate::ui::Ui;

/// One decoded number, ready to show.
#[derive(Debug)]
pub(crate) struct View {
    /// The 12 digits in their groups `PPP G YY RRRRRR`.
    groups: [String; 4],
    region_kind: Msg,
    region_code: String,
    region_name: Option<String>,
    century: Msg,
    sex: Msg,
    birth_year: i16,
    serial: String,
    future_year: bool,
}

/// An old 9-digit identity card number, ready to show.
#[derive(Debug)]
pub(crate) struct CmndView {
    /// The 9 digits in groups of three.
    grouped: String,
    /// The issuing province(s), when the table knows the prefix.
    issuer: Option<String>,
    /// The leading digits the issuer was read from (or the first two).
    prefix: String,
}

impl CmndView {
    fn of(c: &Cmnd) -> Self {
        let s = c.as_str();
        let issuer = c.issuer();
        Self {
            grouped: format!("{} {} {}", &s[0..3], &s[3..6], &s[6..9]),
            prefix: issuer.map_or_else(|| s[0..2].to_owned(), |i| i.prefix.to_owned()),
            issuer: issuer.map(|i| i.provinces.join(", ")),
        }
    }
}

/// `GET/POST /so-dinh-danh`.
#[derive(Template, WebTemplate)]
#[template(path = "citizen/decoder.html")]
pub(crate) struct DecoderPage {
    ui: Ui,
    so: String,
    lenient: bool,
    error: Option<Msg>,
    unknown_region: bool,
    view: Option<View>,
    cmnd: Option<CmndView>,
}

/// The decoder form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DecodeForm {
    #[serde(default)]
    so: String,
    #[serde(default)]
    che_do: Option<String>,
}

/// `GET /so-dinh-danh`: the empty form (strict by default).
pub(crate) async fn form(ui: Ui) -> DecoderPage {
    DecoderPage {
        ui,
        so: String::new(),
        lenient: false,
        error: None,
        unknown_region: false,
        view: None,
        cmnd: None,
    }
}

fn century_words(century: u8) -> Msg {
    let from = (u16::from(century).max(1) - 1) * 100;
    let suffix = match (century % 10, century % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    Msg::new(
        format!("thế kỷ {century} (năm {from}–{})", from + 99),
        format!("{century}{suffix} century (years {from}–{})", from + 99),
    )
}

fn view(id: &PersonalId, mode: DecodeMode, this_year: i16) -> Result<View, IdError> {
    let d = id.decode(mode)?;
    let s = id.as_str();
    let (kind, name) = match d.region {
        Region::Province { name, .. } => (
            Msg::new(
                "tỉnh, thành phố nơi đăng ký khai sinh",
                "province of birth registration",
            ),
            Some(name.to_owned()),
        ),
        Region::Country { name, .. } => (
            Msg::new(
                "quốc gia nơi đăng ký khai sinh (khai sinh ở nước ngoài)",
                "country of birth registration (born abroad)",
            ),
            Some(name.to_owned()),
        ),
        Region::Unknown { .. } => (
            Msg::new(
                "không xác định (mã không có trong bảng mã tỉnh hay mã quốc gia)",
                "unknown (the code is in neither the province nor the country table)",
            ),
            None,
        ),
    };
    Ok(View {
        groups: [
            s[0..3].to_owned(),
            s[3..4].to_owned(),
            s[4..6].to_owned(),
            s[6..12].to_owned(),
        ],
        region_kind: kind,
        region_code: s[0..3].to_owned(),
        region_name: name,
        century: century_words(d.century),
        sex: Msg::new(d.sex.label_vi(), d.sex.label_en()),
        birth_year: d.birth_year,
        serial: s[6..12].to_owned(),
        future_year: d.birth_year > this_year,
    })
}

/// `POST /so-dinh-danh`: decodes the number typed.
pub(crate) async fn decode(
    State(app): State<Web>,
    ui: Ui,
    form: Result<Form<DecodeForm>, FormRejection>,
) -> Response {
    let Form(f) = match form {
        Ok(f) => f,
        Err(e) => {
            return PageError::new(
                &ui,
                e.status(),
                "Biểu mẫu gửi lên không đọc được; hãy mở lại trang.",
                "The form could not be read; please open the page again.",
            )
            .into_response();
        }
    };
    let lenient = f.che_do.as_deref() == Some("khoan-dung");
    let mode = if lenient {
        DecodeMode::Lenient
    } else {
        DecodeMode::Strict
    };
    let mut page = DecoderPage {
        ui,
        so: f.so.chars().take(64).collect(),
        lenient,
        error: None,
        unknown_region: false,
        view: None,
        cmnd: None,
    };
    // Nine digits: an old identity card, not a personal ID.
    if let Ok(c) = Cmnd::parse_lenient_input(&f.so) {
        page.cmnd = Some(CmndView::of(&c));
        return page.into_response();
    }
    let this_year = app.service().today().year();
    let status =
        match PersonalId::parse_lenient_input(&f.so).and_then(|id| view(&id, mode, this_year)) {
            Ok(v) => {
                page.view = Some(v);
                StatusCode::OK
            }
            Err(e) => {
                page.unknown_region = matches!(e, IdError::UnknownRegion { .. });
                page.error = Some(Msg::new(
                    format!("{}.", e.message_vi()),
                    format!("{}.", e.message_en()),
                ));
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
    (status, page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centuries_read_as_the_law_counts_them() {
        assert_eq!(century_words(20).vi, "thế kỷ 20 (năm 1900–1999)");
        assert_eq!(century_words(21).en, "21st century (years 2000–2099)");
        assert_eq!(century_words(22).en, "22nd century (years 2100–2199)");
        assert_eq!(century_words(23).en, "23rd century (years 2200–2299)");
        assert_eq!(century_words(24).en, "24th century (years 2300–2399)");
    }
}
