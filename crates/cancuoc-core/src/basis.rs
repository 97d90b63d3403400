//! Legal basis (căn cứ pháp lý) and self-explaining answers.
//!
//! Every answer of the rules engine says which legal document and article
//! produced it and explains itself in Vietnamese and English, so an officer or
//! a citizen can check it against the law.

use serde::Serialize;
use std::borrow::Cow;

/// A legal source: the document and the article (căn cứ: văn bản, điều khoản).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct LegalBasis {
    /// The document, e.g. `Luật Căn cước 26/2023/QH15`.
    pub document: Cow<'static, str>,
    /// The article or clause, e.g. `Điều 21`.
    pub article: Cow<'static, str>,
}

impl LegalBasis {
    /// A basis from static strings.
    pub const fn new(document: &'static str, article: &'static str) -> Self {
        Self {
            document: Cow::Borrowed(document),
            article: Cow::Borrowed(article),
        }
    }
}

impl std::fmt::Display for LegalBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.article.is_empty() {
            f.write_str(&self.document)
        } else {
            write!(f, "{}, {}", self.article, self.document)
        }
    }
}

/// A rule result with its legal basis and an explanation in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explained<T> {
    /// The answer itself.
    pub value: T,
    /// The legal sources that produced it, most specific first.
    pub basis: Vec<LegalBasis>,
    /// Short explanation in Vietnamese.
    pub explanation_vi: String,
    /// Short explanation in English.
    pub explanation_en: String,
}
