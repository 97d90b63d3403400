//! Card specimens (mẫu thẻ): the front and back of the 2021 CCCD (Circular
//! 06/2021/TT-BCA) and of the 2024 Căn cước (Circular 16/2024/TT-BCA) at
//! ID-1 size (85.60 × 53.98 mm, corners 3.18 mm), as SVG, PNG and PDF.
//!
//! One SVG drives all three formats: [`render_svg`] writes it (millimetre
//! `viewBox`, text in the bundled DejaVu fonts, NFC-normalised and
//! XML-escaped), [`render_png`] rasterises it with resvg and
//! [`render_pdf`] draws it into a PDF with krilla (fonts embedded as
//! subsets, text extractable). The QR code encodes exactly
//! [`Card::qr_payload`] for the model (byte mode, UTF-8, level M) and the
//! machine-readable zone is exactly [`Card::mrz`], in the monospace.
//! The emblem is a neutral placeholder (a red disc and a yellow star), the
//! portrait is the given JPEG or PNG or else a drawn silhouette, the
//! fingerprints are grey boxes.
//!
//! # The specimen mark is indelible
//!
//! Every side carries the diagonal words "MẪU / SPECIMEN" in
//! semi-transparent red across the whole card and a small line "MẪU –
//! SPECIMEN – not a valid card". The mark is drawn last, over the data,
//! into the same content as everything else: in the SVG it is the last
//! element of the document, in the PNG it is blended into the pixels, in
//! the PDF it is part of the page's content stream — not a layer, an
//! optional content group or an annotation that a viewer could hide or a
//! tool could strip. There is no switch to turn it off: these are
//! specimens, never cards.

mod layout;
pub(crate) mod parts;

use std::fmt::Write as _;

use cancuoc_core::card::{Card, CardModel};

use crate::RenderError;

/// A side of the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// Mặt trước.
    Front,
    /// Mặt sau.
    Back,
}

impl Side {
    /// `front` or `back`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Side::Front => "front",
            Side::Back => "back",
        }
    }
}

/// The gap between stacked sides, mm.
const GAP: f32 = 4.0;

/// Default raster scale: 12 px/mm, about 305 dpi.
pub const DEFAULT_SCALE: u32 = 12;

/// One side of `card` in `model`'s layout as a standalone SVG document.
///
/// `portrait` is the bytes of a JPEG or PNG file; `None` draws a
/// silhouette. Errors: a portrait in another format
/// ([`RenderError::UnknownImage`]), a card whose QR or MRZ cannot be
/// encoded.
pub fn render_svg(
    card: &Card,
    model: CardModel,
    side: Side,
    portrait: Option<&[u8]>,
) -> Result<String, RenderError> {
    render_svg_sides(card, model, &[side], portrait)
}

/// Several sides stacked top to bottom (4 mm apart) in one SVG document;
/// one side gives the same document as [`render_svg`].
pub fn render_svg_sides(
    card: &Card,
    model: CardModel,
    sides: &[Side],
    portrait: Option<&[u8]>,
) -> Result<String, RenderError> {
    if sides.is_empty() {
        return Err(RenderError::Unencodable {
            input: String::new(),
            reason: "no side of the card was asked for",
        });
    }
    let n = sides.len() as f32;
    let height = parts::H * n + GAP * (n - 1.0);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}mm" height="{height}mm" viewBox="0 0 {w} {height}" data-layout="{layout}" data-sides="{names}">"#,
        w = parts::W,
        layout = model.as_str(),
        names = sides
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let _ = write!(
        out,
        "<title>{}</title>",
        crate::fonts::esc(&format!(
            "{} ({}) — {}",
            parts::SPECIMEN_LINE,
            model.as_str(),
            sides
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    );
    for (i, side) in sides.iter().enumerate() {
        let top = i as f32 * (parts::H + GAP);
        out.push_str(&side_body(card, model, *side, portrait, top)?);
    }
    // Last, over everything: the specimen mark of every side.
    out.push_str(r#"<g id="specimen">"#);
    for i in 0..sides.len() {
        out.push_str(&parts::specimen_group(i as f32 * (parts::H + GAP)));
    }
    out.push_str("</g></svg>");
    Ok(out)
}

/// The group of one side, its top-left corner at (0, `top`).
fn side_body(
    card: &Card,
    model: CardModel,
    side: Side,
    portrait: Option<&[u8]>,
    top: f32,
) -> Result<String, RenderError> {
    let prefix = match (model, side) {
        (CardModel::Cccd2021, Side::Front) => "f21",
        (CardModel::Cccd2021, Side::Back) => "b21",
        (CardModel::CanCuoc2024, Side::Front) => "f24",
        (CardModel::CanCuoc2024, Side::Back) => "b24",
    };
    let mut c = parts::Canvas::new(prefix);
    let _ = write!(
        c.out,
        r#"<g id="{prefix}" class="side {side}" transform="translate(0 {top})">"#,
        side = side.as_str()
    );
    let clip = parts::outline(&mut c);
    let _ = write!(c.out, r#"<g clip-path="url(#{clip})">"#);
    let (a, b) = match model {
        CardModel::Cccd2021 => ("#eaf1fb", "#fbf6e3"),
        CardModel::CanCuoc2024 => ("#e6eefb", "#fdf5d8"),
    };
    parts::background(&mut c, a, b);
    let qr = || {
        card.qr_payload(model)
            .map_err(|e| RenderError::Qr(e.to_string()))
    };
    let mrz = || {
        card.mrz()
            .map(|m| m.lines)
            .map_err(|e| RenderError::Mrz(e.to_string()))
    };
    match (model, side) {
        (CardModel::Cccd2021, Side::Front) => layout::front_2021(&mut c, card, &qr()?, portrait)?,
        (CardModel::Cccd2021, Side::Back) => layout::back_2021(&mut c, card, &mrz()?),
        (CardModel::CanCuoc2024, Side::Front) => layout::front_2024(&mut c, card, portrait)?,
        (CardModel::CanCuoc2024, Side::Back) => layout::back_2024(&mut c, card, &qr()?, &mrz()?)?,
    }
    let _ = write!(
        c.out,
        r##"</g><rect class="edge" x="0.05" y="0.05" width="{w}" height="{h}" rx="{r}" ry="{r}" fill="none" stroke="#8c9bb5" stroke-width="0.1"/></g>"##,
        w = parts::W - 0.1,
        h = parts::H - 0.1,
        r = parts::RADIUS,
    );
    Ok(c.out)
}

/// One side as PNG at `scale` pixels per millimetre ([`DEFAULT_SCALE`] =
/// 12, about 300 dpi; a side is then 1027 × 648 px).
pub fn render_png(
    card: &Card,
    model: CardModel,
    side: Side,
    portrait: Option<&[u8]>,
    scale: u32,
) -> Result<Vec<u8>, RenderError> {
    crate::svg_to_png(&render_svg(card, model, side, portrait)?, scale)
}

/// Several sides stacked in one PNG.
pub fn render_png_sides(
    card: &Card,
    model: CardModel,
    sides: &[Side],
    portrait: Option<&[u8]>,
    scale: u32,
) -> Result<Vec<u8>, RenderError> {
    crate::svg_to_png(&render_svg_sides(card, model, sides, portrait)?, scale)
}

/// A PDF with one ID-1-sized page per side, in the order given.
pub fn render_pdf(
    card: &Card,
    model: CardModel,
    sides: &[Side],
    portrait: Option<&[u8]>,
) -> Result<Vec<u8>, RenderError> {
    let pages = sides
        .iter()
        .map(|side| render_svg(card, model, *side, portrait))
        .collect::<Result<Vec<_>, _>>()?;
    if pages.is_empty() {
        return Err(RenderError::Unencodable {
            input: String::new(),
            reason: "no side of the card was asked for",
        });
    }
    crate::svgs_to_pdf(&pages)
}
