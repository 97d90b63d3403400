//! `cancuoc-render` makes the images and documents of cancuoc (hình ảnh và
//! tài liệu): the Code 128 barcode printed on appointment slips
//! ([`barcode`]) and the captcha challenges of the citizens' portal — a
//! distorted image, the same characters spoken, or a question in words
//! ([`captcha`]).
//!
//! It knows nothing of HTTP, HTML pages or the database: a front end asks
//! for bytes or an SVG fragment and puts them where it needs them. The
//! imaging and audio dependencies live here only, so the service and the
//! web pages do not rebuild with them.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod barcode;
pub mod captcha;

/// Why an image or a sound could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The input cannot be drawn in this symbology (a barcode of an odd
    /// number of digits, a letter among digits).
    #[error("cannot encode {input:?}: {reason}")]
    Unencodable {
        /// The input, as given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The underlying library failed to produce its output.
    #[error("could not make the {0}")]
    Failed(&'static str),
}
