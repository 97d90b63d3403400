//! Test helpers: a minimal PDF text reader, so that the tests check what a
//! PDF reader would extract without depending on poppler. It reads what
//! krilla writes (uncompressed cross-reference, Flate streams, Type 0
//! fonts with a ToUnicode CMap, `Tf`/`Tj`/`TJ` in the content stream) and
//! nothing more; hand-rolled because no PDF text extractor is in the tree.
#![allow(dead_code)]

use std::collections::HashMap;

/// One indirect object: its dictionary text and its decoded stream.
struct Obj {
    dict: String,
    stream: Option<Vec<u8>>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn objects(pdf: &[u8]) -> HashMap<u32, Obj> {
    let mut out = HashMap::new();
    let mut at = 0;
    while let Some(i) = find(pdf, b" 0 obj", at) {
        let mut s = i;
        while s > 0 && pdf[s - 1].is_ascii_digit() {
            s -= 1;
        }
        let num: u32 = std::str::from_utf8(&pdf[s..i]).unwrap().parse().unwrap();
        let body_start = i + 6;
        let end = find(pdf, b"endobj", body_start).expect("endobj");
        let body = &pdf[body_start..end];
        let (dict, stream) = match find(body, b"stream", 0) {
            Some(k) => {
                let dict = String::from_utf8_lossy(&body[..k]).into_owned();
                let mut data_start = k + 6;
                if body[data_start] == b'\r' {
                    data_start += 1;
                }
                if body[data_start] == b'\n' {
                    data_start += 1;
                }
                let len: usize = number_after(&dict, "/Length").expect("stream length") as usize;
                let raw = &body[data_start..data_start + len];
                let data = if dict.contains("/FlateDecode") {
                    miniz_oxide::inflate::decompress_to_vec_zlib(raw).expect("inflate")
                } else {
                    raw.to_vec()
                };
                (dict, Some(data))
            }
            None => (String::from_utf8_lossy(body).into_owned(), None),
        };
        out.insert(num, Obj { dict, stream });
        at = end;
    }
    out
}

/// The number after `key` in a dictionary.
fn number_after(dict: &str, key: &str) -> Option<u32> {
    let rest = &dict[dict.find(key)? + key.len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// `code → text` of a ToUnicode CMap (bfchar and bfrange).
fn cmap(text: &str) -> HashMap<u16, String> {
    let hex = |s: &str| -> Vec<u16> {
        let s = s.trim().trim_start_matches('<').trim_end_matches('>');
        (0..s.len() / 4)
            .map(|i| u16::from_str_radix(&s[i * 4..i * 4 + 4], 16).unwrap())
            .collect()
    };
    let mut map = HashMap::new();
    let mut mode = "";
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            mode = "char";
            continue;
        }
        if line.ends_with("beginbfrange") {
            mode = "range";
            continue;
        }
        if line.starts_with("end") {
            mode = "";
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        match (mode, parts.len()) {
            ("char", 2) => {
                map.insert(
                    hex(parts[0])[0],
                    String::from_utf16(&hex(parts[1])).unwrap(),
                );
            }
            ("range", 3) => {
                let (a, b, mut dst) = (hex(parts[0])[0], hex(parts[1])[0], hex(parts[2]));
                for code in a..=b {
                    map.insert(code, String::from_utf16(&dst).unwrap());
                    if let Some(last) = dst.last_mut() {
                        *last += 1;
                    }
                }
            }
            _ => {}
        }
    }
    map
}

/// The text of each page, in drawing order, glyph by glyph as the content
/// stream shows it (no spaces inserted between runs).
pub fn pdf_text(pdf: &[u8]) -> Vec<String> {
    let objs = objects(pdf);
    let mut pages: Vec<(u32, &Obj)> = objs
        .iter()
        .filter(|(_, o)| o.dict.contains("/Type/Page/") || o.dict.contains("/Type/Page>>"))
        .map(|(n, o)| (*n, o))
        .collect();
    pages.sort_by_key(|(n, _)| *n);
    let mut out = Vec::new();
    for (_, page) in pages {
        let res = &objs[&number_after(&page.dict, "/Resources").expect("resources")];
        // /Font<</f0 8 0 R/f1 11 0 R>>
        let mut fonts: HashMap<String, HashMap<u16, String>> = HashMap::new();
        if let Some(i) = res.dict.find("/Font<<") {
            let rest = &res.dict[i + 7..];
            let rest = &rest[..rest.find(">>").unwrap()];
            for entry in rest.split(" R").filter(|e| !e.trim().is_empty()) {
                let mut it = entry.trim().trim_start_matches('/').split_whitespace();
                let name = it.next().unwrap().to_owned();
                let num: u32 = it.next().unwrap().parse().unwrap();
                let font = &objs[&num];
                let tu = number_after(&font.dict, "/ToUnicode").expect("a ToUnicode map");
                let data = objs[&tu].stream.as_ref().expect("cmap stream");
                fonts.insert(name, cmap(&String::from_utf8_lossy(data)));
            }
        }
        let content = objs[&number_after(&page.dict, "/Contents").expect("contents")]
            .stream
            .as_ref()
            .expect("content stream");
        out.push(read_content(content, &fonts));
    }
    out
}

fn read_content(s: &[u8], fonts: &HashMap<String, HashMap<u16, String>>) -> String {
    let mut text = String::new();
    let mut font: Option<&HashMap<u16, String>> = None;
    let mut last_name = String::new();
    let mut pending: Vec<Vec<u8>> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        match b {
            b'(' => {
                let mut depth = 1;
                let mut bytes = Vec::new();
                i += 1;
                while i < s.len() {
                    match s[i] {
                        b'\\' => {
                            i += 1;
                            match s[i] {
                                b'n' => bytes.push(b'\n'),
                                b'r' => bytes.push(b'\r'),
                                b't' => bytes.push(b'\t'),
                                b'b' => bytes.push(8),
                                b'f' => bytes.push(12),
                                d @ b'0'..=b'7' => {
                                    let mut v = u32::from(d - b'0');
                                    for _ in 0..2 {
                                        if i + 1 < s.len() && (b'0'..=b'7').contains(&s[i + 1]) {
                                            i += 1;
                                            v = v * 8 + u32::from(s[i] - b'0');
                                        }
                                    }
                                    bytes.push(v as u8);
                                }
                                c => bytes.push(c),
                            }
                        }
                        b'(' => {
                            depth += 1;
                            bytes.push(b'(');
                        }
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            bytes.push(b')');
                        }
                        c => bytes.push(c),
                    }
                    i += 1;
                }
                pending.push(bytes);
                i += 1;
            }
            b'<' if s.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => {
                let end = i + s[i..].iter().position(|&c| c == b'>').unwrap();
                let hex: Vec<u8> = s[i + 1..end]
                    .iter()
                    .copied()
                    .filter(|c| !c.is_ascii_whitespace())
                    .collect();
                let bytes = hex
                    .chunks(2)
                    .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
                    .collect();
                pending.push(bytes);
                i = end + 1;
            }
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < s.len() && !b" \n\r\t/[]<>()".contains(&s[i]) {
                    i += 1;
                }
                last_name = String::from_utf8_lossy(&s[start..i]).into_owned();
            }
            c if c.is_ascii_alphabetic() || c == b'\'' || c == b'"' => {
                let start = i;
                while i < s.len()
                    && (s[i].is_ascii_alphabetic() || s[i] == b'*' || s[i] == b'\'' || s[i] == b'"')
                {
                    i += 1;
                }
                let op = &s[start..i];
                match op {
                    b"Tf" => font = fonts.get(&last_name),
                    b"Tj" | b"TJ" | b"'" | b"\"" => {
                        let map = font.expect("a font is selected before text");
                        for run in pending.drain(..) {
                            for pair in run.chunks(2) {
                                let code =
                                    u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                                text.push_str(map.get(&code).map_or("\u{FFFD}", String::as_str));
                            }
                        }
                    }
                    _ => {}
                }
                pending.clear();
            }
            _ => i += 1,
        }
    }
    text
}

/// Whether `hay`, whitespace removed, contains `needle`, whitespace removed.
pub fn contains_compact(hay: &str, needle: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squash(hay).contains(&squash(needle))
}

/// `pdftotext` of a PDF, when poppler is installed.
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!(
        "cancuoc-render-{}-{}",
        std::process::id(),
        pdf.len()
    ));
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
