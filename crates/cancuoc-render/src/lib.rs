//! `cancuoc-render` makes the images and documents of cancuoc (hình ảnh và
//! tài liệu): the Code 128 barcode printed on appointment slips
//! ([`barcode`]) and the captcha challenges of the citizens' portal — a
//! distorted image, the same characters spoken, or a question in words
//! ([`captcha`]), the specimen of the identity card itself as SVG, PNG and
//! PDF ([`card`]), and the PDFs of what the office prints — the appointment
//! slip and the receipt form ([`pdf`]).
//!
//! It knows nothing of HTTP, HTML pages or the database: a front end asks
//! for bytes or an SVG fragment and puts them where it needs them. The
//! imaging and audio dependencies live here only, so the service and the
//! web pages do not rebuild with them.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod barcode;
pub mod captcha;
pub mod card;
mod fonts;
pub mod pdf;

pub use fonts::{svg_to_png, svgs_to_pdf};

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
    /// An image given to embed is in a format that cannot be embedded.
    #[error("the {what} is neither JPEG nor PNG (it starts with bytes {head})")]
    UnknownImage {
        /// Which image (`portrait`).
        what: &'static str,
        /// Its first bytes, in hex.
        head: String,
    },
    /// The card's QR payload cannot be made.
    #[error("the card's QR payload cannot be made: {0}")]
    Qr(String),
    /// The card's machine-readable zone cannot be encoded.
    #[error("the card's machine-readable zone cannot be encoded: {0}")]
    Mrz(String),
    /// The SVG could not be read back for rasterising (a bug of ours).
    #[error("the SVG could not be parsed: {0}")]
    Svg(String),
    /// The PDF could not be written.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// A raster scale outside 1–100 pixels per millimetre.
    #[error("scale {0} px/mm is outside 1–100")]
    Scale(u32),
}
