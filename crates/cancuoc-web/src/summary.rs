//! The error summary on top of every form (tóm tắt lỗi): when a form comes
//! back with messages, the page opens with one box that says the form was
//! not accepted and lists every message, each a link to its field
//! (`<a href="#field-id">`), in the page's language only. Its heading
//! carries `tabindex="-1"` and `autofocus`, so a browser moves the focus
//! there (on a phone the first thing read and seen is what to fix);
//! `static/site.js` does the same for a browser that ignores `autofocus`
//! on a heading, and the page works without it.
//!
//! Both kinds of form messages make one: the portal's
//! [`crate::booking::fields::Errors`] and the console's
//! [`crate::console::forms::FieldErrors`] each have a `summary(ui, vi, en)`
//! method; a template writes
//!
//! ```text
//! {% let summary = errors.summary(ui, "Chưa lưu được …", "Not saved …") %}
//! {% include "_error_summary.html" %}
//! ```
//!
//! and each input has the id of its field (a message about the whole form,
//! field `""`, is listed without a link).

/// One line of the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SummaryItem {
    /// `#field-id`, or empty for a message about the whole form.
    pub href: String,
    /// The message, in the page's language.
    pub text: String,
}

/// What `templates/_error_summary.html` shows: nothing when `items` is
/// empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ErrorSummary {
    /// What happened to the form, in the page's language.
    pub title: String,
    /// Every message, in the order of the form.
    pub items: Vec<SummaryItem>,
}

impl ErrorSummary {
    /// A summary titled `title` of `(field, message)` pairs; a field's
    /// link is `#field`.
    pub(crate) fn new<'a>(
        title: &str,
        messages: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        Self {
            title: title.to_owned(),
            items: messages
                .into_iter()
                .map(|(field, text)| SummaryItem {
                    href: if field.is_empty() {
                        String::new()
                    } else {
                        format!("#{field}")
                    },
                    text: text.to_owned(),
                })
                .collect(),
        }
    }

    /// Whether there is nothing to show.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Several messages about one field as one text: each ends with a full
/// stop (some rules' messages have none), separated by a space; `None`
/// when there are none.
pub(crate) fn sentences<'a>(messages: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut out = String::new();
    for m in messages {
        if !out.is_empty() {
            if !out.ends_with(['.', '!', '?', ')', '”']) {
                out.push('.');
            }
            out.push(' ');
        }
        out.push_str(m);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_links_to_its_field_and_a_form_message_to_nothing() {
        let s = ErrorSummary::new(
            "Chưa lưu",
            [("ho_ten", "Hãy nhập họ và tên."), ("", "Hồ sơ đã đổi.")],
        );
        assert_eq!(s.items[0].href, "#ho_ten");
        assert_eq!(s.items[1].href, "");
        assert!(!s.is_empty());
        assert!(ErrorSummary::new("x", []).is_empty());
    }

    #[test]
    fn several_messages_of_one_field_read_as_sentences() {
        assert_eq!(sentences([]), None);
        assert_eq!(sentences(["A"]).as_deref(), Some("A"));
        assert_eq!(sentences(["A", "B."]).as_deref(), Some("A. B."));
        assert_eq!(sentences(["A.", "B"]).as_deref(), Some("A. B"));
    }
}
