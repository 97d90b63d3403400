//! Code 128 barcodes (mã vạch) as inline SVG: the dossier code on the
//! appointment slip and the receipt form. A 16-digit code is encoded in
//! character set C (two digits per symbol; barcoders needs the `Ć` prefix
//! to pick it), the densest encoding for digits.

use barcoders::generators::svg::SVG;
use barcoders::sym::code128::Code128;

use crate::RenderError;

/// The Code 128 (set C) barcode of a string of an even number of digits,
/// as an inline SVG scaled by CSS; `label` is its accessible name.
pub fn code128_svg(digits: &str, label: &str) -> Result<String, RenderError> {
    let refuse = |reason| {
        Err(RenderError::Unencodable {
            input: digits.to_owned(),
            reason,
        })
    };
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return refuse("set C needs an even, non-zero number of digits");
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return refuse("set C encodes digits only");
    }
    let symbol =
        Code128::new(format!("Ć{digits}")).map_err(|_| RenderError::Failed("Code 128 symbol"))?;
    let svg = SVG::new(80)
        .xdim(2)
        .generate(symbol.encode())
        .map_err(|_| RenderError::Failed("barcode SVG"))?;
    let label: String = label
        .chars()
        .filter(|c| !matches!(c, '"' | '<' | '>' | '&'))
        .collect();
    Ok(svg.replacen(
        "<svg ",
        &format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{label}\" class=\"barcode\" preserveAspectRatio=\"none\" "
        ),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bar/space modules of a barcoders SVG (`1` = bar), read back from
    /// the rectangles' x and width.
    fn modules(svg: &str) -> Vec<u8> {
        let attr = |rect: &str, name: &str| -> u32 {
            let at = rect.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
            rect[at..rect[at..].find('"').expect("end") + at]
                .parse()
                .expect("number")
        };
        let view = &svg[svg.find("viewBox=\"0 0 ").expect("viewBox") + 13..];
        let width: u32 = view[..view.find(' ').expect("w")].parse().expect("width");
        let mut m = vec![0u8; (width / 2) as usize];
        for rect in svg.split("<rect").skip(2) {
            let (x, w) = (attr(rect, "x"), attr(rect, "width"));
            for i in x / 2..(x + w) / 2 {
                m[i as usize] = 1;
            }
        }
        m
    }

    /// The six bar/space widths of an 11-module symbol.
    fn widths(sym: &[u8]) -> String {
        let mut out = String::new();
        let mut run = 1;
        for i in 1..sym.len() {
            if sym[i] == sym[i - 1] {
                run += 1;
            } else {
                out.push(char::from(b'0' + run));
                run = 1;
            }
        }
        out.push(char::from(b'0' + run));
        out
    }

    #[test]
    fn the_barcode_reads_back_as_the_code_with_a_valid_check_symbol() {
        let digits = "0790261121123453";
        let svg = code128_svg(digits, "Mã vạch hồ sơ 0790261121123453").expect("svg");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
        assert!(svg.contains("aria-label=\"Mã vạch hồ sơ 0790261121123453\""));
        let m = modules(&svg);
        // Start C, 8 digit pairs, check symbol, stop (13 modules).
        assert_eq!(m.len(), 11 * 10 + 13, "{} modules", m.len());
        let sym = |i: usize| &m[i * 11..i * 11 + 11];
        assert_eq!(widths(sym(0)), "211232", "start code C");
        assert_eq!(widths(&m[m.len() - 13..]), "2331112", "stop pattern");
        // Each pair is the symbol barcoders gives that value alone; the
        // value table comes from single-pair barcodes, decoding is ours.
        let table: Vec<String> = (0..100)
            .map(|v| {
                let one = code128_svg(&format!("{v:02}"), "x").expect("svg");
                widths(&modules(&one)[11..22])
            })
            .collect();
        let mut values = Vec::new();
        let mut read = String::new();
        for i in 1..=8 {
            let w = widths(sym(i));
            let v = table.iter().position(|t| *t == w).expect("a set C symbol");
            read.push_str(&format!("{v:02}"));
            values.push(v);
        }
        assert_eq!(read, digits);
        // The check symbol: (105 + Σ position × value) mod 103.
        let check = (105
            + values
                .iter()
                .enumerate()
                .map(|(i, v)| (i + 1) * v)
                .sum::<usize>())
            % 103;
        let w = widths(sym(9));
        let expected = if check < 100 {
            table[check].clone()
        } else {
            w.clone()
        };
        assert_eq!(w, expected, "check symbol for {check}");
        // Odd lengths and non-digits are refused, not mis-encoded.
        assert!(matches!(
            code128_svg("123", "x"),
            Err(RenderError::Unencodable { .. })
        ));
        assert!(matches!(
            code128_svg("12a4", "x"),
            Err(RenderError::Unencodable { .. })
        ));
    }
}

/// A QR code (mã QR) of `text` as an inline SVG scaled by CSS, with the
/// quiet zone; `label` is its accessible name. The appointment slip
/// carries one of its lookup address, so that a phone camera opens the
/// dossier's status page.
pub fn qr_svg(text: &str, label: &str) -> Result<String, RenderError> {
    use qrcode::render::svg;
    let code =
        qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).map_err(|_| {
            RenderError::Unencodable {
                input: text.to_owned(),
                reason: "too long for a QR code",
            }
        })?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(120, 120)
        .quiet_zone(true)
        .build();
    let label: String = label
        .chars()
        .filter(|c| !matches!(c, '"' | '<' | '>' | '&'))
        .collect();
    // Drop the XML declaration: the SVG is inlined in an HTML page.
    let body = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]);
    Ok(body.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" class=\"qr\" "),
        1,
    ))
}

#[cfg(test)]
mod qr_tests {
    use super::qr_svg;

    #[test]
    fn the_qr_code_decodes_to_the_lookup_address() {
        let url = "https://cancuoc.example/tra-cuu?ma=0790251121482137";
        let svg = qr_svg(url, "QR").expect("svg");
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"QR\" class=\"qr\""));
        // Decode the same code from its modules with a real decoder.
        let code =
            qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).expect("code");
        let w = code.width();
        let colors = code.to_colors();
        let scale = 4;
        let quiet = 4;
        let side = (w + 2 * quiet) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            if mx < quiet || my < quiet || mx >= w + quiet || my >= w + quiet {
                return 255;
            }
            match colors[(my - quiet) * w + (mx - quiet)] {
                qrcode::Color::Dark => 0,
                qrcode::Color::Light => 255,
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().expect("decodes");
        assert_eq!(content, url);
    }
}
