//! `/xac-minh`: checks a signed QR (xác minh mã QR có chữ ký số) — the
//! seal `cancuoc-seal` makes for a card or for the confirmation of an old
//! CMND number — for anyone holding a scan of it: a bank clerk, a
//! landlord, the citizen.
//!
//! The scanned text is pasted in a text box or uploaded as a `.txt` file
//! (the form is `multipart/form-data`, so the file input works without
//! script; a plain `application/x-www-form-urlencoded` post of the text
//! box is read as well). Nothing is stored and nothing is logged of it.
//!
//! The answer, in the page's language:
//!
//! - **the signature**: it holds under a key of the issuer
//!   ([`crate::WebConfig::seal`]'s trusted keys), or it names a key the
//!   portal does not know, or it does not hold (the text was altered, or
//!   signed by another key). When it does not hold, the claims read
//!   without checking are still shown, under a mark "chưa xác thực / NOT
//!   verified", so a person can see what the forged or foreign seal
//!   claims;
//! - **the claims** with their labels (`Identity::fields`), dates as
//!   dd/mm/yyyy, the seal's issuer, signing time and expiry;
//! - **for a card whose signature holds**, its status now, from the card
//!   register (`Service::card_status`, counted per client like the status
//!   lookup): valid, must renew, expired, lost, replaced — so a card reported
//!   lost shows as lost the moment it is reported, whatever its seal says;
//! - **for a confirmation**, the signed claims (its dossier code can be
//!   looked up at `/tra-cuu`).
//!
//! Input that is not a seal gets a precise message: a character outside
//! base45 with its position, a text cut short, a text that is the card's
//! own unsigned QR content, an empty form, a file too large or not text.
//! No input gives a server error.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::Form;
use cancuoc_core::i18n::Lang;
use cancuoc_core::id::PersonalId;
use cancuoc_seal::{Decoded, Document, SealError};
use cancuoc_service::{CardStanding, CardStatus, Client, ErrorClass, ServiceError};
use serde::Deserialize;

use super::{Msg, dmy};
use crate::Web;
use crate::client::Caller;
use crate::error::PageError;
use crate::ui::Ui;

/// The most characters a pasted text or an uploaded file may have. A
/// signed card is about 520 characters; 8 KiB leaves room for a foreign
/// Claim 169 seal with more fields, and refuses anything that is clearly
/// not a QR's content before it is decoded.
pub(crate) const MAX_TEXT: usize = 8 * 1024;

/// What the signature check said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The signature holds under a trusted key.
    Valid,
    /// The seal names a key (kid) the portal does not trust.
    UnknownKey,
    /// The signature does not hold: altered text or another key.
    Altered,
    /// The portal has no key to check with.
    NoKeys,
}

/// A card's status from the register, ready to show.
#[derive(Debug)]
pub(crate) struct LiveStatus {
    /// `valid`, `must_renew`, `expired`, `lost`, `replaced`,
    /// `not_yet_issued`, `unknown` (the CSS class and the test hook).
    pub code: &'static str,
    /// The status in words.
    pub label: Msg,
    /// What it means for the person checking.
    pub meaning: Msg,
    /// Since when, dd/mm/yyyy.
    pub since: Option<String>,
}

/// One claim shown.
#[derive(Debug)]
pub(crate) struct Claim {
    label: &'static str,
    value: String,
}

/// What a seal that could be read shows.
#[derive(Debug)]
pub(crate) struct Outcome {
    verdict: Verdict,
    /// The key id that verified it, or that the seal names.
    kid: Option<String>,
    /// Thẻ căn cước / giấy xác nhận số CMND / another issuer's document.
    kind: Msg,
    claims: Vec<Claim>,
    issuer: Option<String>,
    issued_at: Option<String>,
    /// The seal's end (`exp`), or "no expiry".
    expires: Msg,
    expired: bool,
    not_yet_valid: bool,
    /// The card's status now (a card whose signature holds).
    status: Option<LiveStatus>,
    /// Why the status could not be read (limited, unavailable).
    status_error: Option<Msg>,
    /// A confirmation's dossier code, to look up at `/tra-cuu`.
    confirmation_code: Option<String>,
}

impl Outcome {
    /// The headline's CSS class: `seal-ok` only when the signature holds,
    /// the seal is in its validity and a card's status is valid.
    fn class(&self) -> &'static str {
        let card_ok = self.status.as_ref().is_none_or(|s| s.code == "valid");
        match self.verdict {
            Verdict::Valid if !self.expired && !self.not_yet_valid && card_ok => "seal-ok",
            Verdict::Valid => "seal-warn",
            _ => "seal-bad",
        }
    }

    /// The headline in words.
    fn headline(&self) -> Msg {
        match self.verdict {
            Verdict::Valid => {
                let (vi, en) = if self.expired {
                    (
                        "Chữ ký hợp lệ, nhưng mã QR đã hết hạn",
                        "Signature valid, but the QR code has expired",
                    )
                } else if self.not_yet_valid {
                    (
                        "Chữ ký hợp lệ, nhưng mã QR chưa có hiệu lực",
                        "Signature valid, but the QR code is not valid yet",
                    )
                } else {
                    match self.status.as_ref().map(|s| s.code) {
                        None | Some("valid") => (
                            "Hợp lệ: chữ ký số đúng",
                            "Valid: the digital signature holds",
                        ),
                        Some(_) => (
                            "Chữ ký số đúng, nhưng thẻ không còn dùng được",
                            "The digital signature holds, but the card is no longer usable",
                        ),
                    }
                };
                Msg::new(vi, en)
            }
            Verdict::UnknownKey => Msg::new(
                "Không xác thực được: mã QR được ký bằng một khóa mà cổng này không biết",
                "Not verified: the QR code is signed with a key this portal does not know",
            ),
            Verdict::Altered => Msg::new(
                "KHÔNG hợp lệ: chữ ký số sai — nội dung đã bị sửa hoặc không do cơ quan cấp",
                "NOT valid: the digital signature does not hold — the content was altered or not issued by the authority",
            ),
            Verdict::NoKeys => Msg::new(
                "Không xác thực được: cổng này chưa được cấu hình khóa công khai để kiểm tra chữ ký",
                "Not verified: this portal has no public key configured to check signatures",
            ),
        }
    }

    fn verified(&self) -> bool {
        self.verdict == Verdict::Valid
    }
}

/// `GET/POST /xac-minh`.
#[derive(Template)]
#[template(path = "citizen/verify.html")]
pub(crate) struct VerifyPage {
    ui: Ui,
    /// The text as sent (kept in the box when the form comes back).
    text: String,
    /// Why the text could not be read as a seal.
    error: Option<Msg>,
    /// What the seal says.
    outcome: Option<Outcome>,
    /// The most characters accepted.
    max_text: usize,
}

impl VerifyPage {
    fn new(ui: Ui) -> Self {
        Self {
            ui,
            text: String::new(),
            error: None,
            outcome: None,
            max_text: MAX_TEXT,
        }
    }

    fn summary(&self) -> crate::summary::ErrorSummary {
        let ui = &self.ui;
        crate::summary::ErrorSummary::new(
            ui.t(
                "Chưa kiểm tra được. Hãy sửa:",
                "Not checked. Please correct:",
            ),
            self.error.iter().map(|m| ("ma", m.text(ui))),
        )
    }

    fn respond(self, status: StatusCode) -> Response {
        match self.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => PageError::server(
                &self.ui,
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the verification page failed to render: {e}"),
            )
            .into_response(),
        }
    }
}

/// The form of a urlencoded `POST /xac-minh`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct VerifyForm {
    #[serde(default)]
    ma: String,
}

/// `GET /xac-minh`: the empty form.
pub(crate) async fn form(ui: Ui) -> Response {
    VerifyPage::new(ui).respond(StatusCode::OK)
}

/// Why the form itself could not be used.
fn form_error(ui: Ui, text: String, msg: Msg, status: StatusCode) -> Response {
    let mut page = VerifyPage::new(ui);
    page.text = text;
    page.error = Some(msg);
    page.respond(status)
}

/// `POST /xac-minh`: reads the text (the uploaded file first, else the
/// box), decodes and checks it.
pub(crate) async fn check(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    req: Request,
) -> Response {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let input = if multipart {
        match Multipart::from_request(req, &app).await {
            Ok(mp) => read_multipart(mp).await,
            Err(_) => Err(unreadable()),
        }
    } else {
        match Form::<VerifyForm>::from_request(req, &app).await {
            Ok(Form(f)) if f.ma.chars().count() > MAX_TEXT => Err(too_long()),
            Ok(Form(f)) => Ok(f.ma),
            Err(_) => Err(unreadable()),
        }
    };
    let text = match input {
        Ok(t) => t,
        Err(msg) => return form_error(ui, String::new(), msg, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let scanned = text
        .trim_matches(|c: char| c.is_whitespace() && c != ' ')
        .trim_matches(' ');
    if scanned.is_empty() {
        return form_error(
            ui,
            String::new(),
            Msg::new(
                "Hãy dán nội dung đã quét từ mã QR, hoặc chọn tệp .txt chứa nội dung đó.",
                "Please paste the text scanned from the QR code, or choose a .txt file holding it.",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let today = app.service().today();
    let keys = app
        .config()
        .seal
        .as_ref()
        .map(|s| s.trusted.as_slice())
        .unwrap_or_default();
    let verdict = match cancuoc_seal::verify(scanned, keys, today) {
        Ok(v) => Ok((Verdict::Valid, Some(v.key.to_string()), v.seal)),
        Err(e) => {
            let verdict = match &e {
                SealError::UnknownKid { .. } => Some(Verdict::UnknownKey),
                SealError::Signature => Some(Verdict::Altered),
                SealError::NoKey => Some(Verdict::NoKeys),
                _ => None,
            };
            match verdict {
                // The signature's verdict is known: show what the seal
                // claims, marked as not verified.
                Some(verdict) => match cancuoc_seal::decode_unverified(scanned, today) {
                    Ok(d) => Ok((verdict, d.kid.clone(), d)),
                    Err(e) => Err(e),
                },
                None => Err(e),
            }
        }
    };
    let mut page = VerifyPage::new(ui);
    page.text = scanned.to_owned();
    match verdict {
        Ok((verdict, kid, decoded)) => {
            match outcome(&app, &page.ui, verdict, kid, decoded, client).await {
                Ok(o) => {
                    page.outcome = Some(o);
                    page.respond(StatusCode::OK)
                }
                Err(e) => PageError::service(&page.ui, e).into_response(),
            }
        }
        Err(e) => {
            page.error = Some(input_error(scanned, &e));
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

fn unreadable() -> Msg {
    Msg::new(
        "Biểu mẫu gửi lên không đọc được; hãy mở lại trang xác minh.",
        "The form could not be read; please open the verification page again.",
    )
}

fn too_long() -> Msg {
    Msg::new(
        format!(
            "Nội dung dài quá {MAX_TEXT} ký tự: đây không phải nội dung của một mã QR có chữ ký số."
        ),
        format!(
            "The text is longer than {MAX_TEXT} characters: it is not the content of a signed QR code."
        ),
    )
}

/// The text of the form: the uploaded file (`tep`) when one was chosen,
/// else the box (`ma`). Each part is read up to [`MAX_TEXT`] bytes and
/// refused beyond.
async fn read_multipart(mut mp: Multipart) -> Result<String, Msg> {
    let mut boxed = String::new();
    let mut file: Option<String> = None;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > MAX_TEXT * 4 {
                        // Four bytes per character at most in UTF-8.
                        return Err(too_long());
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return Err(unreadable()),
            }
        }
        match name.as_str() {
            "ma" => boxed = String::from_utf8_lossy(&bytes).into_owned(),
            "tep" if !bytes.is_empty() => {
                let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                let text = std::str::from_utf8(body).map_err(|e| {
                    Msg::new(
                        format!(
                            "Tệp tải lên không phải văn bản UTF-8 (byte không hợp lệ ở vị trí {}): hãy chọn tệp .txt chứa nội dung đã quét.",
                            e.valid_up_to() + 1
                        ),
                        format!(
                            "The uploaded file is not UTF-8 text (invalid byte at position {}): choose the .txt file holding the scanned text.",
                            e.valid_up_to() + 1
                        ),
                    )
                })?;
                file = Some(text.to_owned());
            }
            _ => {}
        }
    }
    let text = file.unwrap_or(boxed);
    if text.chars().count() > MAX_TEXT {
        return Err(too_long());
    }
    Ok(text)
}

/// A seal error as the person who pasted the text should read it: the
/// seal's own precise message, with a pointer when the text is plainly
/// another kind of code.
fn input_error(text: &str, e: &SealError) -> Msg {
    let base = Msg::of(e);
    let hint = if text.contains('|') {
        Some(Msg::new(
            "Nội dung này có dấu “|”: có vẻ đây là mã QR in trên thẻ (không có chữ ký số), không phải mã QR có chữ ký số mà trang này kiểm tra.",
            "This text has “|” characters: it looks like the QR code printed on the card (unsigned), not the signed QR code this page checks.",
        ))
    } else if text.starts_with("HC1:") || text.starts_with("NO1:") {
        Some(Msg::new(
            "Nội dung bắt đầu bằng một tiền tố của định dạng khác (ví dụ chứng nhận COVID của EU): không phải mã QR của cơ quan căn cước.",
            "The text starts with another format's prefix (e.g. an EU COVID certificate): it is not a QR code of the identity authority.",
        ))
    } else if matches!(e, SealError::Base45Char { found, .. } if found.is_ascii_lowercase()) {
        Some(Msg::new(
            "Mã QR có chữ ký chỉ gồm chữ IN HOA: nội dung có thể đã bị đổi sang chữ thường khi sao chép.",
            "A signed QR code holds CAPITAL letters only: the text may have been lower-cased when copied.",
        ))
    } else {
        None
    };
    match hint {
        Some(h) => Msg::new(
            format!("{} {}", base.vi, h.vi),
            format!("{} {}", base.en, h.en),
        ),
        None => base,
    }
}

/// A date claim (`YYYYMMDD` or `YYYY-MM-DD`) as dd/mm/yyyy; anything
/// else as written.
fn show_claim_date(value: &str) -> String {
    cancuoc_seal::profile::parse_date(value).map_or_else(|| value.to_owned(), dmy)
}

/// Everything shown about a seal that was read.
async fn outcome(
    app: &Web,
    ui: &Ui,
    verdict: Verdict,
    kid: Option<String>,
    d: Decoded,
    client: Client,
) -> Result<Outcome, ServiceError> {
    use cancuoc_seal::profile::key;
    let lang = if ui.is_en() { Lang::En } else { Lang::Vi };
    let claims = d
        .claims
        .fields(lang)
        .into_iter()
        .map(|f| Claim {
            label: f.label,
            value: match f.key {
                key::DATE_OF_BIRTH | key::ISSUE_DATE | key::EXPIRY_DATE | key::DECIDED_ON => {
                    show_claim_date(&f.value)
                }
                key::KIND if f.value == cancuoc_seal::profile::KIND_CARD => {
                    ui.t("thẻ căn cước", "identity card").to_owned()
                }
                key::KIND if f.value == cancuoc_seal::profile::KIND_CONFIRMATION => ui
                    .t("giấy xác nhận số CMND", "old CMND number confirmation")
                    .to_owned(),
                _ => f.value,
            },
        })
        .collect();
    let kind = match &d.document {
        Document::Card(_) => Msg::new("Thẻ căn cước", "Identity card"),
        Document::Confirmation(_) => Msg::new(
            "Giấy xác nhận số chứng minh nhân dân",
            "Confirmation of an old identity card (CMND) number",
        ),
        Document::Other => Msg::new(
            "Giấy tờ của một tổ chức phát hành khác (Claim 169)",
            "A document of another issuer (Claim 169)",
        ),
    };
    let mut status = None;
    let mut status_error = None;
    let mut confirmation_code = None;
    match &d.document {
        // The register is asked only about a card whose seal is ours: an
        // unverified seal could name anyone's number.
        Document::Card(c) if verdict == Verdict::Valid => {
            match live_status(app, &c.personal_id, c.issue_date, client).await {
                Ok(s) => status = Some(s),
                Err(e) if e.class() == ErrorClass::Limited => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e.chain(), "card status for the verification page");
                    status_error = Some(Msg::new(
                        "Chưa đọc được tình trạng thẻ lúc này; hãy thử lại sau ít phút.",
                        "The card's status cannot be read right now; please try again in a few minutes.",
                    ));
                }
            }
        }
        Document::Confirmation(c) => confirmation_code = Some(c.code.clone()),
        _ => {}
    }
    let show = |t: jiff::Timestamp| crate::console::forms::show_instant(t.as_second());
    Ok(Outcome {
        verdict,
        kid,
        kind,
        claims,
        issuer: d.issuer.clone(),
        issued_at: d.issued_at.map(show),
        expires: match d.expires {
            Some(t) => Msg::new(show(t), show(t)),
            None => Msg::new("không thời hạn", "no expiry"),
        },
        expired: d.expired,
        not_yet_valid: d.not_yet_valid,
        status,
        status_error,
        confirmation_code,
    })
}

/// The status of card `number` issued on `issued_on` now, from the card
/// register (`Service::card_status`, counted per client like the dossier
/// status lookup; read afresh on every call, so a loss shows at once).
async fn live_status(
    app: &Web,
    number: &str,
    issued_on: jiff::civil::Date,
    client: Client,
) -> Result<LiveStatus, ServiceError> {
    // A verified seal's number is 12 digits (the profile checks it); a
    // number the parser refuses has no card.
    let Ok(id) = PersonalId::parse(number) else {
        return Ok(live_of(CardStatus {
            status: CardStanding::Unknown,
            since: None,
        }));
    };
    let s = app
        .service()
        .card_status(&id, Some(issued_on), client)
        .await?;
    Ok(live_of(s))
}

/// A card status in words, with what it means for the person checking.
fn live_of(s: CardStatus) -> LiveStatus {
    let meaning = match s.status {
        CardStanding::Valid => {
            Msg::new("Thẻ đang được sử dụng hợp lệ.", "The card is in valid use.")
        }
        CardStanding::MustRenew => Msg::new(
            "Thẻ đã đến hạn phải đổi: không nên chấp nhận thẻ này như giấy tờ còn giá trị.",
            "The card is due for renewal: do not accept it as a valid document.",
        ),
        CardStanding::Expired => Msg::new(
            "Thẻ đã hết giá trị sử dụng: không chấp nhận.",
            "The card is no longer valid: do not accept it.",
        ),
        CardStanding::Lost => Msg::new(
            "Thẻ ĐÃ BỊ BÁO MẤT: người xuất trình có thể không phải chủ thẻ. Không chấp nhận; đề nghị liên hệ cơ quan Công an.",
            "This card has been REPORTED LOST: the person presenting it may not be its holder. Do not accept it; refer to the police.",
        ),
        CardStanding::Replaced => Msg::new(
            "Thẻ đã được thay bằng thẻ mới: thẻ này không còn giá trị.",
            "The card has been replaced by a newer one: this card is no longer valid.",
        ),
        CardStanding::NotYetIssued => Msg::new(
            "Thẻ đã in nhưng chưa được trao cho công dân: chưa có giá trị sử dụng.",
            "The card is printed but not yet handed to its holder: not in use yet.",
        ),
        CardStanding::Unknown => Msg::new(
            "Sổ thẻ không có thẻ mang số và ngày cấp này.",
            "The card register holds no card with this number and issue date.",
        ),
    };
    LiveStatus {
        code: s.status.code(),
        label: Msg::new(s.status.label_vi(), s.status.label_en()),
        meaning,
        since: s.since.map(dmy),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_dates_read_day_first_and_other_text_stays() {
        assert_eq!(show_claim_date("19900315"), "15/03/1990");
        assert_eq!(show_claim_date("1990-03-15"), "15/03/1990");
        assert_eq!(show_claim_date("19901315"), "19901315");
        assert_eq!(show_claim_date("none"), "none");
    }

    #[test]
    fn the_cards_own_qr_is_pointed_at() {
        let e = SealError::Base45Char {
            position: 13,
            found: '|',
        };
        let m = input_error("001090012345|123456789|Nguyễn", &e);
        assert!(m.vi.contains("vị trí 13"), "{}", m.vi);
        assert!(m.en.contains("printed on the card"), "{}", m.en);
        let lower = SealError::Base45Char {
            position: 1,
            found: 'n',
        };
        assert!(input_error("nc", &lower).en.contains("CAPITAL"));
    }
}
