//! The bundled fonts (phông chữ) of the card specimens and the office PDFs,
//! and the one SVG → PNG / SVG → PDF path both use.
//!
//! The TTFs live in `crates/cancuoc-render/fonts/` (licence beside them)
//! and are compiled into the binary: DejaVu Sans (regular and bold; full
//! Vietnamese coverage with precomposed glyphs) and DejaVu Sans Mono for
//! the machine-readable zone. Debian's OCR-B (`fonts-ocr-b`) is not
//! installed on the build machine and its licence is unconfirmed, so the
//! zone uses DejaVu Sans Mono, a monospace with OCR-B-like open digits.
//! System fonts are never loaded: the same SVG gives the same pixels and
//! the same PDF on every machine.

use std::sync::{Arc, OnceLock};

use resvg::usvg;
use usvg::fontdb;

use crate::RenderError;

/// DejaVu Sans, regular.
pub(crate) const SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub(crate) const SANS_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
/// DejaVu Sans Mono (the machine-readable zone).
pub(crate) const MONO: &[u8] = include_bytes!("../fonts/DejaVuSansMono.ttf");

/// The family name of [`SANS`] in SVG `font-family`.
pub(crate) const SANS_FAMILY: &str = "DejaVu Sans";
/// The family name of [`MONO`].
pub(crate) const MONO_FAMILY: &str = "DejaVu Sans Mono";

/// The font database of the bundled fonts only, built once.
pub(crate) fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for data in [SANS, SANS_BOLD, MONO] {
            db.load_font_data(data.to_vec());
        }
        db.set_sans_serif_family(SANS_FAMILY);
        db.set_monospace_family(MONO_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Which bundled face a measured text is set in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    /// DejaVu Sans.
    Sans,
    /// DejaVu Sans Bold.
    Bold,
    /// DejaVu Sans Mono.
    Mono,
}

/// The advance width of `text` at `size` (same unit as `size`), from the
/// font's horizontal metrics; no kerning, so a slight overestimate, which
/// is the safe side for wrapping.
pub(crate) fn width(text: &str, face: Face, size: f32) -> f32 {
    // Parsed once per face: a specimen measures every word it wraps.
    static PARSED: OnceLock<[Option<ttf_parser::Face<'static>>; 3]> = OnceLock::new();
    let parsed = PARSED
        .get_or_init(|| [SANS, SANS_BOLD, MONO].map(|data| ttf_parser::Face::parse(data, 0).ok()));
    let slot = match face {
        Face::Sans => &parsed[0],
        Face::Bold => &parsed[1],
        Face::Mono => &parsed[2],
    };
    let Some(font) = slot else {
        // The bundled fonts parse; should one not, a wide estimate keeps
        // text inside its box (wrapping and fitting only ever shrink).
        return text.chars().count() as f32 * size;
    };
    let upem = f32::from(font.units_per_em());
    let fallback = font
        .glyph_hor_advance(ttf_parser::GlyphId(0))
        .unwrap_or(font.units_per_em());
    let units: f32 = text
        .chars()
        .map(|c| {
            font.glyph_index(c)
                .and_then(|g| font.glyph_hor_advance(g))
                .map_or(f32::from(fallback), f32::from)
        })
        .sum();
    units / upem * size
}

/// usvg options with the bundled fonts.
fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: SANS_FAMILY.to_owned(),
        fontdb: database(),
        ..usvg::Options::default()
    }
}

/// Parses an SVG made by this crate.
pub(crate) fn tree(svg: &str) -> Result<usvg::Tree, RenderError> {
    usvg::Tree::from_str(svg, &options()).map_err(|e| RenderError::Svg(e.to_string()))
}

/// Millimetres to PDF points.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Rasterises an SVG (sized in millimetres or CSS units) at `scale`
/// pixels per millimetre (1–100), as PNG bytes, with the bundled fonts.
pub fn svg_to_png(svg: &str, scale: u32) -> Result<Vec<u8>, RenderError> {
    if !(1..=100).contains(&scale) {
        return Err(RenderError::Scale(scale));
    }
    let scale = scale as f32;
    let tree = tree(svg)?;
    // The tree's size is in CSS pixels (96 per inch); the pixmap's in
    // pixels at `scale` per millimetre.
    let mm_w = tree.size().width() * 25.4 / 96.0;
    let mm_h = tree.size().height() * 25.4 / 96.0;
    let (w, h) = ((mm_w * scale).round(), (mm_h * scale).round());
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(w as u32, h as u32).ok_or(RenderError::Failed("pixmap"))?;
    let transform =
        resvg::tiny_skia::Transform::from_scale(w / tree.size().width(), h / tree.size().height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|_| RenderError::Failed("PNG encoding"))
}

/// Draws SVG pages (each at its own size) into one PDF, text embedded
/// as real text in subsetted fonts with a ToUnicode map (extractable,
/// searchable), everything in the page content stream.
pub fn svgs_to_pdf(pages: &[String]) -> Result<Vec<u8>, RenderError> {
    use krilla::page::PageSettings;
    use krilla_svg::{SurfaceExt, SvgSettings};
    let mut document = krilla::Document::new();
    for svg in pages {
        let tree = tree(svg)?;
        let w = tree.size().width() * 25.4 / 96.0 * PT_PER_MM;
        let h = tree.size().height() * 25.4 / 96.0 * PT_PER_MM;
        let size = krilla::geom::Size::from_wh(w, h).ok_or(RenderError::Failed("page size"))?;
        let settings = PageSettings::from_wh(w, h).ok_or(RenderError::Failed("page size"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or(RenderError::Failed("PDF page"))?;
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}

/// Escapes text for SVG character data and attribute values, after NFC
/// normalisation (precomposed Vietnamese letters: one glyph each, no mark
/// positioning to go wrong).
pub(crate) fn esc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.nfc() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// NFC-normalises text (before measuring it).
pub(crate) fn nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

/// Splits `text` into at most `max_lines` lines no wider than `max` (in
/// `face` at `size`), breaking at spaces; what does not fit goes on the
/// last line, which the caller then compresses to the width.
pub(crate) fn wrap(text: &str, face: Face, size: f32, max: f32, max_lines: usize) -> Vec<String> {
    let text = nfc(text);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty()
            || width(&candidate, face, size) <= max
            || lines.len() + 1 >= max_lines
        {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = width("Nguyễn", Face::Sans, 2.0);
        assert!(a > 0.0);
        assert!(width("Nguyễn Văn", Face::Sans, 2.0) > a);
        assert!((width("Nguyễn", Face::Sans, 4.0) - 2.0 * a).abs() < 1e-3);
        // Monospace: every character has the same advance.
        assert!((width("<<<", Face::Mono, 1.0) - width("MMM", Face::Mono, 1.0)).abs() < 1e-4);
    }

    #[test]
    fn wrapping_keeps_words_and_the_line_budget() {
        let text = "Số 12 ngõ 34 đường Nguyễn Trãi, phường Thanh Xuân Trung, quận Thanh Xuân, thành phố Hà Nội";
        let lines = wrap(text, Face::Sans, 1.6, 40.0, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.join(" "), text);
        assert!(width(&lines[0], Face::Sans, 1.6) <= 40.0);
        assert_eq!(wrap("ngắn", Face::Sans, 1.6, 40.0, 2), vec!["ngắn"]);
    }

    #[test]
    fn escaping_normalises_and_escapes() {
        // "ễ" decomposed (e + U+0302 + U+0303) becomes one precomposed letter.
        assert_eq!(esc("Nguye\u{302}\u{303}n <&>"), "Nguyễn &lt;&amp;&gt;");
    }
}
