//! Bilingual messages (Vietnamese first, English second) with stable codes.
//!
//! Every error or notice a person may read implements [`Localized`]: a stable
//! machine code (`id.too_short`, `qr.bad_date` …) plus a message in each
//! language. Front ends (CLI, API, portal) pick the language; JSON output
//! carries both through [`ErrorBody`].

use serde::{Deserialize, Serialize};

/// The language a person reads (ngôn ngữ). Vietnamese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

/// A message with a stable code and a Vietnamese and an English text.
pub trait Localized {
    /// Stable, machine-readable code, e.g. `id.wrong_length`.
    fn code(&self) -> &'static str;
    /// The message in Vietnamese.
    fn message_vi(&self) -> String;
    /// The message in English.
    fn message_en(&self) -> String;
    /// The message in the given language.
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.message_vi(),
            Lang::En => self.message_en(),
        }
    }
}

/// The JSON shape of an error: `{code, message_vi, message_en}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// Stable machine code.
    pub code: &'static str,
    /// Message in Vietnamese.
    pub message_vi: String,
    /// Message in English.
    pub message_en: String,
}

impl ErrorBody {
    /// Captures both messages of a [`Localized`] value.
    pub fn of(e: &(impl Localized + ?Sized)) -> Self {
        Self {
            code: e.code(),
            message_vi: e.message_vi(),
            message_en: e.message_en(),
        }
    }
}
