//! The pieces every side is drawn from: text set in the bundled fonts,
//! the background, a neutral emblem, the chip, the QR code, the
//! machine-readable zone, the portrait or its silhouette, fingerprint
//! placeholders and the specimen mark. Coordinates are millimetres.

use std::fmt::Write as _;

use base64::Engine as _;

use crate::RenderError;
use crate::fonts::{self, Face, esc};

/// Card width, mm (ISO/IEC 7810 ID-1).
pub(crate) const W: f32 = 85.6;
/// Card height, mm.
pub(crate) const H: f32 = 53.98;
/// Corner radius, mm.
pub(crate) const RADIUS: f32 = 3.18;

/// Headings and labels (blue-violet, Circular 16/2024 colours).
pub(crate) const LABEL: &str = "#2b3a8c";
/// Data.
pub(crate) const DATA: &str = "#111111";
/// "CĂN CƯỚC" and the seal.
pub(crate) const RED: &str = "#c8102e";

/// How a text is anchored at its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// x is the start.
    Start,
    /// x is the middle.
    Middle,
}

/// An SVG fragment being written. `prefix` keeps element ids unique when
/// several sides share one document.
pub(crate) struct Canvas {
    pub(crate) out: String,
    pub(crate) prefix: &'static str,
}

impl Canvas {
    pub(crate) fn new(prefix: &'static str) -> Self {
        Canvas {
            out: String::with_capacity(24 * 1024),
            prefix,
        }
    }

    /// One line of text; squeezed to `max` (mm) with `textLength` when the
    /// font says it is wider. Returns the width it takes.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        anchor: Anchor,
        fill: &str,
        class: &str,
        text: &str,
        max: f32,
    ) -> f32 {
        let text = fonts::nfc(text);
        let natural = fonts::width(&text, face, size);
        let (family, weight) = match face {
            Face::Sans => (fonts::SANS_FAMILY, "normal"),
            Face::Bold => (fonts::SANS_FAMILY, "bold"),
            Face::Mono => (fonts::MONO_FAMILY, "normal"),
        };
        let anchor_attr = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
        };
        let _ = write!(
            self.out,
            r#"<text class="{class}" x="{x:.2}" y="{y:.2}" font-family="{family}" font-weight="{weight}" font-size="{size:.2}" fill="{fill}" text-anchor="{anchor_attr}""#
        );
        let used = if natural > max {
            let _ = write!(
                self.out,
                r#" textLength="{max:.2}" lengthAdjust="spacingAndGlyphs""#
            );
            max
        } else {
            natural
        };
        let _ = write!(self.out, ">{}</text>", esc(&text));
        used
    }

    /// A bilingual label, then its value on the same line after it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn inline_field(
        &mut self,
        x: f32,
        y: f32,
        label: &str,
        value: &str,
        field: &str,
        label_size: f32,
        value_size: f32,
        right: f32,
    ) {
        let used = self.text(
            x,
            y,
            label_size,
            Face::Sans,
            Anchor::Start,
            LABEL,
            "label",
            label,
            right - x,
        );
        let vx = x + used + 0.9;
        self.text(
            vx,
            y,
            value_size,
            Face::Bold,
            Anchor::Start,
            DATA,
            &format!("value {field}"),
            value,
            (right - vx).max(4.0),
        );
    }

    /// A value wrapped on up to `lines` lines from baseline `y`, `step`
    /// apart, each squeezed into `right - x` if it still overflows.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn wrapped(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        step: f32,
        lines: usize,
        right: f32,
        field: &str,
        value: &str,
    ) -> usize {
        let parts = fonts::wrap(value, Face::Bold, size, right - x, lines);
        for (i, line) in parts.iter().enumerate() {
            self.text(
                x,
                y + step * i as f32,
                size,
                Face::Bold,
                Anchor::Start,
                DATA,
                &format!("value {field}"),
                line,
                right - x,
            );
        }
        parts.len()
    }
}

/// The card's rounded outline, as a clip path and a border.
pub(crate) fn outline(c: &mut Canvas) -> String {
    let id = format!("{}-clip", c.prefix);
    let _ = write!(
        c.out,
        r#"<defs><clipPath id="{id}"><rect width="{W}" height="{H}" rx="{RADIUS}" ry="{RADIUS}"/></clipPath></defs>"#
    );
    id
}

/// A light tinted background with a guilloche-like pattern of crossing
/// sine waves (no real security printing is imitated).
pub(crate) fn background(c: &mut Canvas, tint_a: &str, tint_b: &str) {
    let grad = format!("{}-tint", c.prefix);
    let _ = write!(
        c.out,
        r#"<defs><linearGradient id="{grad}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{tint_a}"/><stop offset="0.5" stop-color="{tint_b}"/><stop offset="1" stop-color="{tint_a}"/></linearGradient></defs><rect id="{p}-background" class="background" width="{W}" height="{H}" fill="url(#{grad})"/>"#,
        p = c.prefix
    );
    c.out
        .push_str(r##"<g class="guilloche" fill="none" stroke="#9fb3d9" stroke-width="0.08" stroke-opacity="0.55">"##);
    for i in 0..14 {
        let base = 2.0 + i as f32 * 3.9;
        let phase = i as f32 * 0.7;
        let mut d = String::with_capacity(1200);
        for step in 0..=86 {
            let x = step as f32;
            let y = base + 1.6 * (x / 6.0 + phase).sin() + 0.7 * (x / 2.3 - phase).cos();
            let _ = write!(d, "{}{x:.1} {y:.2}", if step == 0 { "M" } else { "L" });
        }
        let _ = write!(c.out, r#"<path d="{d}"/>"#);
    }
    c.out.push_str("</g>");
}

/// A neutral emblem placeholder: a red disc with a yellow five-pointed
/// star (not the state emblem, which is not reproduced).
pub(crate) fn emblem(c: &mut Canvas, cx: f32, cy: f32, r: f32) {
    let mut points = String::new();
    for k in 0..10 {
        let angle = std::f32::consts::PI * (k as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
        let rr = if k % 2 == 0 { r * 0.62 } else { r * 0.25 };
        let _ = write!(
            points,
            "{:.2},{:.2} ",
            cx + rr * angle.cos(),
            cy + rr * angle.sin()
        );
    }
    let _ = write!(
        c.out,
        r##"<g id="{p}-emblem" class="emblem"><circle cx="{cx}" cy="{cy}" r="{r}" fill="{RED}" stroke="#d4a017" stroke-width="0.5"/><polygon points="{}" fill="#ffd400"/></g>"##,
        points.trim_end(),
        p = c.prefix
    );
}

/// The chip's contact plate.
pub(crate) fn chip(c: &mut Canvas, x: f32, y: f32) {
    let (w, h) = (9.0, 7.2);
    let _ = write!(
        c.out,
        r##"<g id="{p}-chip" class="chip"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="1.2" fill="#d9b65a" stroke="#8a6d1f" stroke-width="0.15"/><path d="M{x1} {y} V{y2} M{x2} {y} V{y2} M{x} {ym} H{x1} M{x2} {ym} H{xe} M{x1} {yq} H{x2} M{x1} {y3} H{x2}" fill="none" stroke="#8a6d1f" stroke-width="0.15"/></g>"##,
        p = c.prefix,
        x1 = x + 3.0,
        x2 = x + 6.0,
        xe = x + w,
        y2 = y + h,
        ym = y + h / 2.0,
        yq = y + h / 3.0,
        y3 = y + 2.0 * h / 3.0,
    );
}

/// The QR code of `payload`, byte mode (the card's payload is UTF-8),
/// error correction M (L when long), with its 4-module quiet zone, `size` mm square at
/// (x, y).
pub(crate) fn qr(
    c: &mut Canvas,
    payload: &str,
    x: f32,
    y: f32,
    size: f32,
) -> Result<(), RenderError> {
    let code = qr_code(payload)?;
    let n = code.width();
    let colors = code.to_colors();
    let quiet = 4usize;
    let m = size / (n + 2 * quiet) as f32;
    let mut d = String::with_capacity(n * n * 4);
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let _ = write!(
                    d,
                    "M{:.3} {:.3}h{:.3}v{:.3}h-{:.3}z",
                    x + (start + quiet) as f32 * m,
                    y + (row + quiet) as f32 * m,
                    (col - start) as f32 * m,
                    m,
                    (col - start) as f32 * m,
                );
            } else {
                col += 1;
            }
        }
    }
    let _ = write!(
        c.out,
        r##"<g id="{p}-qr" class="qr" data-modules="{n}"><rect x="{x}" y="{y}" width="{size}" height="{size}" fill="#ffffff"/><path d="{d}" fill="#000000" shape-rendering="crispEdges"/></g>"##,
        p = c.prefix
    );
    Ok(())
}

/// The QR symbol: the whole payload as one byte-mode segment (UTF-8), at
/// error correction M up to version 8 (49 modules, about 3.4 px a module
/// at 12 px/mm on the card), else at L in the smallest version that holds
/// it, so that a long residence still prints with modules a phone and a
/// decoder resolve.
fn qr_code(payload: &str) -> Result<qrcode::QrCode, RenderError> {
    use qrcode::bits::Bits;
    use qrcode::{EcLevel, QrCode, Version};
    let failed = || RenderError::Unencodable {
        input: format!("{} bytes of QR payload", payload.len()),
        reason: "too long for a QR code",
    };
    for (level, max_version) in [(EcLevel::M, 8), (EcLevel::L, 40)] {
        for v in 1..=max_version {
            let mut bits = Bits::new(Version::Normal(v));
            if bits.push_byte_data(payload.as_bytes()).is_err()
                || bits.push_terminator(level).is_err()
            {
                continue;
            }
            return QrCode::with_bits(bits, level).map_err(|_| failed());
        }
    }
    Err(failed())
}

/// The machine-readable zone: three lines of 30 characters in the
/// monospace, spread to 2.54 mm a character (10 per inch, the pitch ICAO
/// 9303 Part 3 sets for OCR-B) with a cap height near OCR-B's 2.4 mm, the
/// last baseline at `bottom`.
pub(crate) fn mrz(c: &mut Canvas, lines: &[String; 3], bottom: f32) {
    let pitch = 2.54;
    let size = 3.4;
    let length = 30.0 * pitch;
    let x = (W - length) / 2.0;
    let step = 4.1;
    let _ = write!(c.out, r#"<g id="{}-mrz" class="mrz">"#, c.prefix);
    for (i, line) in lines.iter().enumerate() {
        let y = bottom - step * (2 - i) as f32;
        // The advance at this size is narrower than the pitch: the text is
        // spread (letter spacing only) to the zone's exact width.
        let spread = fonts::width(line, Face::Mono, size) < length;
        let _ = write!(
            c.out,
            r##"<text class="mrz-line" x="{x:.2}" y="{y:.2}" font-family="{}" font-size="{size}" fill="#000000"{} xml:space="preserve">{}</text>"##,
            fonts::MONO_FAMILY,
            if spread {
                format!(r#" textLength="{length:.2}" lengthAdjust="spacing""#)
            } else {
                String::new()
            },
            esc(line)
        );
    }
    c.out.push_str("</g>");
}

/// What a portrait file is, by its magic bytes.
fn image_mime(bytes: &[u8]) -> Result<&'static str, RenderError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else {
        Err(RenderError::UnknownImage {
            what: "portrait",
            head: bytes
                .iter()
                .take(8)
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

/// The portrait (20 × 30 mm) at (x, y): the file's bytes embedded as a
/// data: URI, cropped to the frame, or a neutral silhouette.
pub(crate) fn portrait(
    c: &mut Canvas,
    x: f32,
    y: f32,
    bytes: Option<&[u8]>,
) -> Result<(), RenderError> {
    let (w, h) = (20.0, 30.0);
    let clip = format!("{}-photo-clip", c.prefix);
    let _ = write!(
        c.out,
        r#"<defs><clipPath id="{clip}"><rect x="{x}" y="{y}" width="{w}" height="{h}"/></clipPath></defs><g id="{p}-photo" class="photo" clip-path="url(#{clip})">"#,
        p = c.prefix
    );
    match bytes {
        Some(bytes) => {
            let mime = image_mime(bytes)?;
            let data = base64::engine::general_purpose::STANDARD.encode(bytes);
            let _ = write!(
                c.out,
                r#"<image class="portrait" x="{x}" y="{y}" width="{w}" height="{h}" preserveAspectRatio="xMidYMid slice" xlink:href="data:{mime};base64,{data}"/>"#
            );
        }
        None => {
            let cx = x + w / 2.0;
            let _ = write!(
                c.out,
                r##"<g class="silhouette"><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#dfe4ea"/><circle cx="{cx}" cy="{hy}" r="5.2" fill="#9aa5b1"/><path d="M{l} {b} C{l} {s1} {cl} {s2} {cx} {s2} C{cr} {s2} {r} {s1} {r} {b} Z" fill="#9aa5b1"/></g>"##,
                hy = y + 11.0,
                l = x + 1.5,
                r = x + w - 1.5,
                b = y + h,
                s1 = y + 20.5,
                s2 = y + 18.0,
                cl = x + 4.0,
                cr = x + w - 4.0,
            );
        }
    }
    let _ = write!(
        c.out,
        r##"</g><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#7a869a" stroke-width="0.15"/>"##
    );
    Ok(())
}

/// A fingerprint box (neutral grey placeholder with ridge-like arcs).
pub(crate) fn fingerprint(c: &mut Canvas, id: &str, x: f32, y: f32, w: f32, h: f32) {
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let _ = write!(
        c.out,
        r##"<g id="{p}-{id}" class="fingerprint"><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#e6e6e6" stroke="#8c8c8c" stroke-width="0.15"/><g fill="none" stroke="#b3b3b3" stroke-width="0.12">"##,
        p = c.prefix
    );
    for k in 1..=6 {
        let rx = k as f32 * 0.75;
        let _ = write!(
            c.out,
            r#"<ellipse cx="{cx}" cy="{cy}" rx="{rx:.2}" ry="{:.2}"/>"#,
            rx * 1.35
        );
    }
    c.out.push_str("</g></g>");
}

/// A neutral signature stroke and seal ring (no real signature or seal).
pub(crate) fn signature(c: &mut Canvas, cx: f32, cy: f32) {
    let _ = write!(
        c.out,
        r##"<g class="signature"><circle cx="{sx}" cy="{cy}" r="3.6" fill="none" stroke="{RED}" stroke-opacity="0.6" stroke-width="0.3"/><circle cx="{sx}" cy="{cy}" r="2.6" fill="none" stroke="{RED}" stroke-opacity="0.6" stroke-width="0.12"/><path d="M{a} {cy} c1.2 -2.2 2.0 2.2 3.2 -0.4 s1.6 1.8 2.6 -0.6 s1.4 1.4 2.4 0.2" fill="none" stroke="#1f3a93" stroke-width="0.2"/></g>"##,
        sx = cx - 3.0,
        a = cx - 3.5,
    );
}

/// The text of the diagonal specimen mark.
pub(crate) const SPECIMEN: &str = "MẪU / SPECIMEN";
/// The small specimen line.
pub(crate) const SPECIMEN_LINE: &str = "MẪU – SPECIMEN – not a valid card";

/// The specimen mark over the card whose top-left corner is at (0, `top`):
/// the diagonal words in semi-transparent red from top left to bottom
/// right, and the small line along the top edge. Drawn last.
pub(crate) fn specimen_group(top: f32) -> String {
    let angle = (H / W).atan().to_degrees();
    let (cx, cy) = (W / 2.0, top + H / 2.0);
    // As large as fits 76 mm along the diagonal (about 7.5 mm).
    let size = 76.0 / fonts::width(SPECIMEN, Face::Bold, 1.0);
    format!(
        r##"<g class="specimen" fill="{RED}" fill-opacity="0.42" font-family="{f}" font-weight="bold"><text class="specimen-mark" x="{cx:.2}" y="{y:.2}" font-size="{size:.2}" text-anchor="middle" transform="rotate({angle:.3} {cx:.2} {cy:.2})">{m}</text><text class="specimen-line" x="{cx:.2}" y="{ly:.2}" font-size="1.05" text-anchor="middle" fill-opacity="0.85">{l}</text></g>"##,
        f = fonts::SANS_FAMILY,
        y = cy + size * 0.36,
        ly = top + 2.1,
        m = esc(SPECIMEN),
        l = esc(SPECIMEN_LINE),
    )
}
