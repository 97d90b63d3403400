//! Form plumbing shared by the booking and declaration pages: the submitted
//! pairs, the per-field bilingual messages shown next to each input, and
//! the checks of names and free text.

use std::collections::HashMap;

use cancuoc_core::i18n::Localized;
use cancuoc_core::person::FullName;

use crate::summary::{ErrorSummary, sentences};
use crate::ui::Ui;

/// A submitted form or query: name → value (the last one wins), trimmed.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields(HashMap<String, String>);

impl Fields {
    /// Reads `application/x-www-form-urlencoded` text (a query string or a
    /// form body). Never fails: bad escapes become U+FFFD.
    pub(crate) fn parse(text: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(text)
                .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
                .collect(),
        )
    }

    /// The value of `name`, `""` when absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// The value of `name` when present and not blank.
    pub(crate) fn opt(&self, name: &str) -> Option<&str> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }
}

/// One message about one field, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldMsg {
    /// The form field's name.
    pub field: &'static str,
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl FieldMsg {
    /// A message about `field`.
    pub(crate) fn new(field: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            field,
            vi: vi.into(),
            en: en.into(),
        }
    }
}

/// The messages of a form, with the page's language.
#[derive(Debug, Clone)]
pub(crate) struct Errors {
    list: Vec<FieldMsg>,
    en: bool,
}

impl Errors {
    /// No messages yet.
    pub(crate) fn new(ui: &Ui) -> Self {
        Self {
            list: Vec::new(),
            en: ui.is_en(),
        }
    }
    /// Adds one.
    pub(crate) fn push(&mut self, m: FieldMsg) {
        self.list.push(m);
    }
    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    /// How many.
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }
    /// The messages about `field` in the page's language (one field may
    /// have several, e.g. a number that disagrees with two other fields).
    pub(crate) fn get(&self, field: &str) -> Option<String> {
        sentences(
            self.list
                .iter()
                .filter(|m| m.field == field)
                .map(|m| self.text(m)),
        )
    }
    /// The summary on top of the form (`templates/_error_summary.html`),
    /// titled `vi`/`en` by the page's language, every message linking to
    /// its field.
    pub(crate) fn summary(&self, ui: &Ui, vi: &str, en: &str) -> ErrorSummary {
        ErrorSummary::new(
            ui.t(vi, en),
            self.list.iter().map(|m| (m.field, self.text(m))),
        )
    }
    fn text<'a>(&self, m: &'a FieldMsg) -> &'a str {
        if self.en { &m.en } else { &m.vi }
    }
    /// The `aria-invalid` value of `field`'s input.
    pub(crate) fn invalid(&self, field: &str) -> &'static str {
        if self.find(field).is_some() {
            "true"
        } else {
            "false"
        }
    }
    fn find(&self, field: &str) -> Option<&FieldMsg> {
        self.list.iter().find(|m| m.field == field)
    }
}

/// Longest free-text field accepted (addresses).
pub(crate) const TEXT_MAX: usize = 250;

/// A person's name (`cancuoc_core::person::FullName`), or the field's
/// message.
pub(crate) fn person_name(field: &'static str, input: &str) -> Result<String, FieldMsg> {
    FullName::parse(input)
        .map(FullName::into_string)
        .map_err(|e| FieldMsg::new(field, e.message_vi(), e.message_en()))
}

/// A required free-text field (an address, a place): 2–250 characters, no
/// control characters.
pub(crate) fn text(
    field: &'static str,
    (label_vi, label_en): (&str, &str),
    input: &str,
) -> Result<String, FieldMsg> {
    let t = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = t.chars().count();
    if len == 0 {
        return Err(FieldMsg::new(
            field,
            format!("Hãy nhập {label_vi}."),
            format!("Enter the {label_en}."),
        ));
    }
    if !(2..=TEXT_MAX).contains(&len) {
        return Err(FieldMsg::new(
            field,
            format!(
                "{} dài từ 2 đến {TEXT_MAX} ký tự (hiện có {len}).",
                capitalise(label_vi)
            ),
            format!("The {label_en} is 2 to {TEXT_MAX} characters long (this one has {len})."),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(FieldMsg::new(
            field,
            format!("{} có ký tự điều khiển không hợp lệ.", capitalise(label_vi)),
            format!("The {label_en} contains control characters."),
        ));
    }
    Ok(t)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_texts() {
        assert_eq!(
            person_name("ho_ten", "  Nguyễn   Văn  An ").as_deref(),
            Ok("Nguyễn Văn An")
        );
        assert_eq!(
            person_name("ho_ten", "H'Hen Niê").as_deref(),
            Ok("H'Hen Niê")
        );
        let e = person_name("ho_ten", "An 3").expect_err("digit");
        assert!(e.vi.contains("“3”") && e.en.contains("“3”"), "{e:?}");
        for (bad, says) in [
            ("", "Hãy nhập họ và tên."),
            ("A", "hiện có 1"),
            (&"a".repeat(101), "hiện có 101"),
        ] {
            let e = person_name("ho_ten", bad).expect_err(bad);
            assert_eq!(e.field, "ho_ten");
            assert!(e.vi.contains(says), "{bad:?}: {e:?}");
        }
        assert_eq!(
            text(
                "que_quan",
                ("quê quán", "place of origin"),
                " Xã  Bình Thử "
            )
            .as_deref(),
            Ok("Xã Bình Thử")
        );
        let e = text("que_quan", ("quê quán", "place of origin"), "").expect_err("empty");
        assert_eq!(e.vi, "Hãy nhập quê quán.");
        assert_eq!(e.en, "Enter the place of origin.");
        let f = Fields::parse(b"a=1&b=+x+&a=2&c=");
        assert_eq!(
            (f.get("a"), f.get("b"), f.opt("c"), f.get("z")),
            ("2", "x", None, "")
        );
    }
}
