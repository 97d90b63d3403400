//! What the console's forms share (biểu mẫu): errors shown next to their
//! field, reading dates of birth as officers type them, and the display of
//! money, instants and service errors.

use cancuoc_core::i18n::Localized;
use cancuoc_core::person::PartialDate;
use jiff::Timestamp;

use crate::summary::{ErrorSummary, sentences};
use crate::ui::Ui;
use cancuoc_service::{ServiceError, vietnam};

/// One error, in both languages, attached to a form field (or to the form
/// as a whole with the field name `""`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The form field's name.
    pub field: String,
    /// Vietnamese message.
    pub vi: String,
    /// English message.
    pub en: String,
}

/// The errors of one submitted form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Adds an error for `field`.
    pub(crate) fn add(&mut self, field: &str, vi: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            vi: vi.into(),
            en: en.into(),
        });
    }

    /// Adds a localized error for `field`.
    pub(crate) fn add_localized(&mut self, field: &str, e: &(impl Localized + ?Sized)) {
        self.add(field, e.message_vi(), e.message_en());
    }

    /// Whether there is no error.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages for `field` in the page's language.
    pub(crate) fn msg(&self, ui: &Ui, field: &str) -> Option<String> {
        sentences(
            self.0
                .iter()
                .filter(|e| e.field == field)
                .map(|e| ui.t(&e.vi, &e.en)),
        )
    }

    /// Whether `field` has an error.
    pub(crate) fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// Every message in the page's language.
    pub(crate) fn all(&self, ui: &Ui) -> Vec<String> {
        self.0
            .iter()
            .map(|e| ui.t(&e.vi, &e.en).to_owned())
            .collect()
    }

    /// The summary on top of the form (`templates/_error_summary.html`),
    /// titled `vi`/`en` by the page's language, every message linking to
    /// its field.
    pub(crate) fn summary(&self, ui: &Ui, vi: &str, en: &str) -> ErrorSummary {
        ErrorSummary::new(
            ui.t(vi, en),
            self.0
                .iter()
                .map(|e| (e.field.as_str(), ui.t(&e.vi, &e.en))),
        )
    }
}

/// A date of birth that [`parse_dob`] cannot read, told in the forms' own
/// terms (day/month/year first, with the separators people use; ISO is
/// accepted but not advertised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DobError {
    input: String,
}

impl Localized for DobError {
    fn code(&self) -> &'static str {
        "date.invalid"
    }
    fn message_vi(&self) -> String {
        format!(
            "Ngày sinh không hợp lệ “{}”: cần một ngày có thật theo ngày/tháng/năm (17/05/1990), có thể dùng gạch ngang hay dấu chấm (17-5-1990, 17.05.1990); nếu chỉ biết tháng hoặc năm: 05/1990 hoặc 1990.",
            self.input
        )
    }
    fn message_en(&self) -> String {
        format!(
            "Invalid date of birth “{}”: expected a real date as day/month/year (17/05/1990), with dashes or dots if you like (17-5-1990, 17.05.1990); if only the month or year is known: 05/1990 or 1990.",
            self.input
        )
    }
}

/// Reads a date of birth as people write it, at the desk and on the
/// portal: core's one lenient reader, [`PartialDate::parse_typed`]
/// (`15/3/1990`, `15-03-1990`, `15.03.1990`, `15 3 1990`, `3/1990`,
/// `1990`, or ISO from `<input type=date>` and the API).
pub(crate) fn parse_dob(s: &str) -> Result<PartialDate, DobError> {
    PartialDate::parse_typed(s).map_err(|e| DobError { input: e.input })
}

/// `dd/mm/yyyy` (or `mm/yyyy`, `yyyy`) for a partial date.
pub(crate) fn show_dob(d: &PartialDate) -> String {
    let iso = d.to_string();
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        [y, m] => format!("{m}/{y}"),
        _ => iso,
    }
}

/// `dd/mm/yyyy` for a civil date, in both languages (the portal's one
/// date format).
pub(crate) use crate::citizen::dmy as show_date;

/// `dd/mm/yyyy HH:MM` in Vietnam's time for epoch seconds.
pub(crate) fn show_instant(epoch: i64) -> String {
    match Timestamp::from_second(epoch) {
        Ok(t) => {
            let z = t.to_zoned(vietnam());
            format!(
                "{:02}/{:02}/{:04} {:02}:{:02}",
                z.day(),
                z.month(),
                z.year(),
                z.hour(),
                z.minute()
            )
        }
        Err(_) => epoch.to_string(),
    }
}

/// `70.000 đ` (Vietnamese thousands separator).
pub(crate) fn show_vnd(amount: u32) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out.push_str(" đ");
    out
}

/// Whether a service error is a stale version (someone else moved the
/// dossier since the page was shown).
pub(crate) fn is_stale(e: &ServiceError) -> bool {
    e.is_stale_version()
}

/// A short random key for a form (idempotency of a double submit).
pub(crate) fn form_key() -> String {
    let bytes: [u8; 12] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_birth_read_as_typed() {
        for (typed, iso) in [
            ("17/05/1990", "1990-05-17"),
            ("7/5/1990", "1990-05-07"),
            ("05/1990", "1990-05"),
            ("1990", "1990"),
            ("1990-05-17", "1990-05-17"),
            ("15-3-1990", "1990-03-15"),
            ("15.03.1990", "1990-03-15"),
            ("15 3 1990", "1990-03-15"),
        ] {
            assert_eq!(parse_dob(typed).expect(typed).to_string(), iso, "{typed}");
        }
        for bad in [
            "31/02/1990",
            "1990/05/17",
            "ngày 5",
            "",
            "17/05",
            "1/2/3/1990",
        ] {
            let e = parse_dob(bad).expect_err(bad);
            assert!(e.message_vi().contains("ngày/tháng/năm"), "{bad}");
            assert!(e.message_en().contains("day/month/year"), "{bad}");
        }
        let d = parse_dob("1990-05-17").expect("ok");
        assert_eq!(show_dob(&d), "17/05/1990");
    }

    #[test]
    fn money_and_instants_show_the_vietnamese_way() {
        assert_eq!(show_vnd(0), "0 đ");
        assert_eq!(show_vnd(70_000), "70.000 đ");
        assert_eq!(show_vnd(1_234_567), "1.234.567 đ");
        // 2026-11-21 03:00 UTC is 10:00 in Vietnam.
        assert_eq!(show_instant(1_795_230_000), "21/11/2026 10:00");
    }
}
