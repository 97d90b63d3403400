//! What the account forms share: the submitted fields (passwords kept as
//! typed, never trimmed), the messages beside each field and in the error
//! summary, the inputs as the templates draw them, the password rules
//! under a password field, and a service refusal turned into messages.
//!
//! The form's field names are Vietnamese, like the rest of the portal's;
//! the service names fields as the API does, and [`form_field`] maps one
//! to the other.

use std::collections::HashMap;

use cancuoc_core::account::PasswordPolicy;
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_service::{AccountError, ErrorClass, FieldProblem, ServiceError};

use crate::citizen::captcha::{Kind, captcha_message};
use crate::summary::ErrorSummary;
use crate::ui::Ui;

/// A submitted form: name → value (the last one wins).
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields(HashMap<String, String>);

impl Fields {
    /// Reads `application/x-www-form-urlencoded` text. Never fails: bad
    /// escapes become U+FFFD.
    pub(crate) fn parse(text: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(text)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The value of `name`, trimmed; `""` when absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.raw(name).trim()
    }

    /// The value of `name` exactly as typed (a password).
    pub(crate) fn raw(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

/// One message about one field (`""`: the whole form), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Msg {
    pub field: String,
    pub vi: String,
    pub en: String,
}

/// The messages of a form, in the page's language.
#[derive(Debug, Clone)]
pub(crate) struct Errs {
    list: Vec<Msg>,
    en: bool,
}

impl Errs {
    /// No messages yet.
    pub(crate) fn new(ui: &Ui) -> Self {
        Self {
            list: Vec::new(),
            en: ui.is_en(),
        }
    }

    /// Adds a message about `field`, as a sentence (capitalised, with a
    /// full stop: some rules' messages are fragments).
    pub(crate) fn add(&mut self, field: &str, vi: impl Into<String>, en: impl Into<String>) {
        self.list.push(Msg {
            field: field.to_owned(),
            vi: sentence(&vi.into()),
            en: sentence(&en.into()),
        });
    }

    /// Adds a localized error about `field`.
    pub(crate) fn add_localized(&mut self, field: &str, e: &(impl Localized + ?Sized)) {
        self.add(field, e.message_vi(), e.message_en());
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn text<'a>(&self, m: &'a Msg) -> &'a str {
        if self.en { &m.en } else { &m.vi }
    }

    /// The messages about `field`, one per line (a password's failed
    /// rules are each their own line).
    pub(crate) fn lines(&self, field: &str) -> Vec<String> {
        self.list
            .iter()
            .filter(|m| m.field == field)
            .map(|m| self.text(m).to_owned())
            .collect()
    }

    /// The summary on top of the form, each message linking to its field
    /// and led by the field's label from `inputs` (the messages of the
    /// service's rules do not all name their field).
    pub(crate) fn summary(&self, ui: &Ui, vi: &str, en: &str, inputs: &[Input]) -> ErrorSummary {
        let texts: Vec<(String, String)> = self
            .list
            .iter()
            .map(|m| {
                let label = match m.field.as_str() {
                    "captcha" => Some(ui.t("Mã xác nhận", "Security code")),
                    f => inputs
                        .iter()
                        .find(|i| i.name == f)
                        .map(|i| i.label.as_str()),
                };
                let text = match label {
                    Some(l) => format!("{l}: {}", self.text(m)),
                    None => self.text(m).to_owned(),
                };
                (m.field.clone(), text)
            })
            .collect();
        ErrorSummary::new(
            ui.t(vi, en),
            texts.iter().map(|(f, t)| (f.as_str(), t.as_str())),
        )
    }
}

/// One input of a form, as `templates/account/_input.html` draws it: its
/// label, the hint and rules under it, and its messages.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// The field's name and id.
    pub name: &'static str,
    /// The label, in the page's language.
    pub label: String,
    /// The value shown (never a password).
    pub value: String,
    /// `text`, `password`, `tel`.
    pub kind: &'static str,
    /// The `autocomplete` token.
    pub autocomplete: &'static str,
    /// `numeric`, `tel` or empty.
    pub inputmode: &'static str,
    /// The longest value accepted.
    pub maxlength: u16,
    /// A hint under the label, or empty.
    pub hint: String,
    /// Rules listed under the field (a new password's policy).
    pub rules: Vec<String>,
    /// The field's messages, one per line.
    pub errors: Vec<String>,
}

impl Input {
    /// A text input named `name` labelled `vi`/`en`, showing `value`.
    pub(crate) fn text(ui: &Ui, name: &'static str, (vi, en): (&str, &str), value: &str) -> Self {
        Self {
            name,
            label: ui.t(vi, en).to_owned(),
            value: value.to_owned(),
            kind: "text",
            autocomplete: "off",
            inputmode: "",
            maxlength: 200,
            hint: String::new(),
            rules: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The personal ID number (the account's user name).
    pub(crate) fn personal_id(ui: &Ui, value: &str) -> Self {
        Self {
            autocomplete: "username",
            inputmode: "numeric",
            maxlength: 20,
            hint: ui
                .t(
                    "12 chữ số, in trên thẻ Căn cước.",
                    "12 digits, printed on the identity card.",
                )
                .to_owned(),
            ..Self::text(
                ui,
                "so_dinh_danh",
                ("Số định danh cá nhân", "Personal ID number"),
                value,
            )
        }
    }

    /// The phone number on the population record.
    pub(crate) fn phone(ui: &Ui, value: &str, hint: (&str, &str)) -> Self {
        Self {
            kind: "tel",
            autocomplete: "tel",
            inputmode: "tel",
            maxlength: 20,
            hint: ui.t(hint.0, hint.1).to_owned(),
            ..Self::text(
                ui,
                "dien_thoai",
                ("Số điện thoại di động", "Mobile phone number"),
                value,
            )
        }
    }

    /// A date typed day first.
    pub(crate) fn date(
        ui: &Ui,
        name: &'static str,
        label: (&str, &str),
        value: &str,
        autocomplete: &'static str,
    ) -> Self {
        Self {
            autocomplete,
            maxlength: 20,
            hint: ui
                .t(
                    "Ngày/tháng/năm, ví dụ 15/03/1990.",
                    "Day/month/year, e.g. 15/03/1990.",
                )
                .to_owned(),
            ..Self::text(ui, name, label, value)
        }
    }

    /// The date of birth.
    pub(crate) fn date_of_birth(ui: &Ui, value: &str) -> Self {
        Self::date(
            ui,
            "ngay_sinh",
            ("Ngày sinh", "Date of birth"),
            value,
            "bday",
        )
    }

    /// The issue date of the card on record.
    pub(crate) fn card_issue_date(ui: &Ui, value: &str) -> Self {
        let mut i = Self::date(
            ui,
            "ngay_cap",
            ("Ngày cấp thẻ Căn cước", "Issue date of the identity card"),
            value,
            "off",
        );
        i.hint = ui
            .t(
                "In trên thẻ (ngày, tháng, năm cấp), ví dụ 01/07/2024.",
                "Printed on the card (date of issue), e.g. 01/07/2024.",
            )
            .to_owned();
        i
    }

    /// The full name.
    pub(crate) fn full_name(ui: &Ui, value: &str) -> Self {
        Self {
            autocomplete: "name",
            hint: ui
                .t(
                    "Như trên thẻ Căn cước; có thể gõ không dấu.",
                    "As on the identity card; diacritics may be left out.",
                )
                .to_owned(),
            ..Self::text(ui, "ho_ten", ("Họ, chữ đệm và tên", "Full name"), value)
        }
    }

    /// A password field (never shown back): `new` ones list the policy's
    /// rules under them.
    pub(crate) fn password(ui: &Ui, name: &'static str, label: (&str, &str), new: bool) -> Self {
        Self {
            kind: "password",
            autocomplete: if new {
                "new-password"
            } else {
                "current-password"
            },
            maxlength: 256,
            rules: if new { password_rules(ui) } else { Vec::new() },
            ..Self::text(ui, name, label, "")
        }
    }

    /// This input with the messages `errs` has about it.
    pub(crate) fn with(mut self, errs: &Errs) -> Self {
        self.errors = errs.lines(self.name);
        self
    }

    /// The `aria-describedby` ids of the hint, rules and messages shown.
    pub(crate) fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.name));
        }
        if !self.rules.is_empty() {
            ids.push(format!("{}-rules", self.name));
        }
        if !self.errors.is_empty() {
            ids.push(format!("{}-err", self.name));
        }
        ids.join(" ")
    }
}

/// `s` as a sentence: its first letter capitalised, a full stop at the end
/// unless it ends with one (or `!`, `?`, a closing quote).
pub(crate) fn sentence(s: &str) -> String {
    let t = s.trim();
    let mut c = t.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?', '”']) {
        out.push('.');
    }
    out
}

/// The password policy's rules in the page's language, one per line.
pub(crate) fn password_rules(ui: &Ui) -> Vec<String> {
    PasswordPolicy::SEED.describe(if ui.is_en() { Lang::En } else { Lang::Vi })
}

/// The form field the service's field `name` is typed into.
pub(crate) fn form_field(name: &str) -> &'static str {
    match name {
        "personal_id" => "so_dinh_danh",
        "phone" => "dien_thoai",
        "full_name" => "ho_ten",
        "date_of_birth" => "ngay_sinh",
        "card_issue_date" => "ngay_cap",
        "password" | "current_password" => "mat_khau",
        "new_password" => "mat_khau_moi",
        "otp" => "ma_otp",
        "reason" => "ly_do",
        _ => "",
    }
}

/// Adds a service's field problems beside their fields.
pub(crate) fn add_problems(errs: &mut Errs, problems: &[FieldProblem]) {
    for p in problems {
        errs.add(
            form_field(p.field),
            p.message_vi.clone(),
            p.message_en.clone(),
        );
    }
}

/// How a refusal is shown: messages on the form (and its status), or a
/// page of its own (a server error, a refusal with no form to fix).
pub(crate) enum Refusal {
    /// The form again, with these messages and status.
    Form(axum::http::StatusCode),
    /// An error page.
    Page,
}

/// Puts a service refusal on the form's messages: field problems beside
/// their fields; an unsolved captcha beside the captcha; a wrong password
/// or code, a limit (with when to try again) or an SMS failure on top of
/// the form; `otp_field` names where a code's refusal goes. Anything else
/// (a server error) is for an error page.
pub(crate) fn refusal(
    errs: &mut Errs,
    e: &ServiceError,
    captcha_kind: Kind,
    otp_field: &str,
    now: i64,
) -> Refusal {
    use axum::http::StatusCode;
    let status = crate::error::status_of(e.class());
    match e {
        ServiceError::Fields(ps) => add_problems(errs, ps),
        ServiceError::Field(p) => add_problems(errs, std::slice::from_ref(p)),
        ServiceError::Invalid {
            field,
            reason_vi,
            reason_en,
        } => errs.add(form_field(field), reason_vi.clone(), reason_en.clone()),
        ServiceError::Captcha(check) => {
            let m = captcha_message(*check, captcha_kind);
            errs.add("captcha", m.vi, m.en);
        }
        ServiceError::Account(AccountError::Code(_)) => errs.add_localized(otp_field, e),
        ServiceError::Account(_) | ServiceError::Limited { .. } => {
            let (vi, en) = (e.message_vi(), e.message_en());
            match e.retry_after() {
                Some(secs) => {
                    let clock =
                        clock_vn(now.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX / 2)));
                    errs.add(
                        "",
                        format!(
                            "{} Có thể thử lại từ {clock} (giờ Việt Nam).",
                            sentence(&vi)
                        ),
                        format!(
                            "{} You may try again from {clock} (Vietnam time).",
                            sentence(&en)
                        ),
                    );
                }
                None => errs.add("", vi, en),
            }
        }
        _ if matches!(e.class(), ErrorClass::Invalid | ErrorClass::Conflict) => {
            errs.add_localized("", e);
        }
        _ => return Refusal::Page,
    }
    if status.is_server_error() {
        Refusal::Form(StatusCode::SERVICE_UNAVAILABLE)
    } else {
        Refusal::Form(status)
    }
}

/// `HH:MM:SS` in Vietnam's time for epoch seconds.
pub(crate) fn clock_vn(epoch: i64) -> String {
    match jiff::Timestamp::from_second(epoch) {
        Ok(t) => {
            let z = t.to_zoned(cancuoc_service::vietnam());
            format!("{:02}:{:02}:{:02}", z.hour(), z.minute(), z.second())
        }
        Err(_) => epoch.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_kept_as_typed_and_other_fields_trimmed() {
        let f = Fields::parse(b"mat_khau=+Ab1%21+&so_dinh_danh=+001+&x=1&x=2");
        assert_eq!(f.raw("mat_khau"), " Ab1! ");
        assert_eq!(f.get("so_dinh_danh"), "001");
        assert_eq!(f.get("x"), "2");
        assert_eq!(f.get("none"), "");
    }

    #[test]
    fn each_message_of_a_field_is_its_own_line_in_the_pages_language() {
        let ui = Ui::new(Lang::En, "/");
        let mut e = Errs::new(&ui);
        e.add("mat_khau", "Quá ngắn", "Too short");
        e.add("mat_khau", "Thiếu chữ số", "No digit");
        e.add("", "sai", "wrong");
        assert_eq!(e.lines("mat_khau"), ["Too short.", "No digit."]);
        assert_eq!(e.lines(""), ["Wrong."]);
        let inputs = [Input::password(
            &ui,
            "mat_khau",
            ("Mật khẩu", "Password"),
            true,
        )];
        let s = e.summary(&ui, "Chưa", "Not yet", &inputs);
        assert_eq!(s.items.len(), 3);
        assert_eq!(s.items[0].href, "#mat_khau");
        assert_eq!(s.items[0].text, "Password: Too short.");
        assert_eq!(s.items[2].href, "");
        assert_eq!(s.items[2].text, "Wrong.");
        assert_eq!(
            sentence(" cần nhập (tối đa 200 ký tự)"),
            "Cần nhập (tối đa 200 ký tự)."
        );
        assert_eq!(sentence("Mã OTP không đúng."), "Mã OTP không đúng.");
    }

    #[test]
    fn the_service_field_names_map_to_the_form_names() {
        assert_eq!(form_field("personal_id"), "so_dinh_danh");
        assert_eq!(form_field("new_password"), "mat_khau_moi");
        assert_eq!(form_field("otp"), "ma_otp");
        assert_eq!(form_field("anything"), "");
        // 2026-11-21 03:00:05 UTC is 10:00:05 in Vietnam.
        assert_eq!(clock_vn(1_795_230_005), "10:00:05");
    }
}
