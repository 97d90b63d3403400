//! Where a redirect may lead (chuyển hướng an toàn): the one check of every
//! `next` a page sends the browser back to (the language switch
//! `/lang/{vi,en}?next=`, the console login's `?next=`), so that no link
//! of ours can send a citizen or an officer to another site.
//!
//! A `next` is accepted only when it is a path of this site, as the pages
//! themselves write it (a path, then perhaps a query and a fragment,
//! percent-encoded), judged both as the browser reads it and after
//! percent-decoding it completely:
//!
//! - as given (already decoded once from the query): 1 to
//!   [`MAX_NEXT_BYTES`] bytes, every one printable ASCII (no space, tab,
//!   newline or other control character — browsers drop tabs and newlines
//!   from a URL, so `/\t/evil.example` would become `//evil.example` — and
//!   no non-ASCII character such as a fullwidth `／` or a zero-width
//!   space), starting with `/`, with no `\` anywhere (browsers read it as
//!   `/`) and no `//` in its path (before `?` or `#`: `//host` is another
//!   site, and no page of ours has an empty segment);
//! - decoded (`%XX` escapes undone up to four times, `%252F` → `%2F` → `/`):
//!   no control character and no `\` anywhere, and the path part still
//!   printable ASCII with no `//`, so a proxy or a browser that decodes
//!   once more cannot turn it into another site either.
//!
//! Anything else is refused, and the caller goes to its default (`/`, or
//! the console's home). Schemes (`https:`, `javascript:`) never start
//! with `/` and are refused by the first rule.

/// Longest `next` accepted: longer than any page address the pages write
/// into their links.
pub(crate) const MAX_NEXT_BYTES: usize = 2048;

/// Rounds of percent-decoding a `next` is judged after.
const DECODE_ROUNDS: usize = 4;

/// `next` when it is a path of this site (see the module documentation),
/// else `None`.
pub(crate) fn same_site_path(next: &str) -> Option<&str> {
    let raw = next.as_bytes();
    if raw.is_empty()
        || raw.len() > MAX_NEXT_BYTES
        || raw[0] != b'/'
        || !raw.iter().all(|b| (0x21..=0x7e).contains(b))
        || raw.contains(&b'\\')
        || path_part(next).contains("//")
    {
        return None;
    }
    let decoded = decode_fully(next);
    let path = decode_fully(path_part(next));
    let path_ok = path.starts_with('/')
        && path.bytes().all(|b| (0x21..=0x7e).contains(&b))
        && !path.contains("//")
        && !path.contains('\\');
    let rest_ok = !decoded.chars().any(|c| c.is_control() || c == '\\');
    (path_ok && rest_ok).then_some(next)
}

/// The path of an address: up to its first `?` or `#`.
fn path_part(s: &str) -> &str {
    s.split(['?', '#']).next().unwrap_or("")
}

/// `s` with `%XX` escapes undone, [`DECODE_ROUNDS`] times or until none is
/// left (invalid UTF-8 becomes `�`, which the checks then refuse where it
/// matters: in the path).
fn decode_fully(s: &str) -> String {
    let mut text = s.to_owned();
    for _ in 0..DECODE_ROUNDS {
        if !text.contains('%') {
            break;
        }
        let decoded: String = percent_decode(&text);
        if decoded == text {
            break;
        }
        text = decoded;
    }
    text
}

/// One round of percent-decoding (a `%` not followed by two hex digits is
/// kept).
fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let pair = (bytes[i] == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        match pair {
            Some((h, l)) => {
                out.push((h << 4) | l);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_own_addresses_are_accepted() {
        for ok in [
            "/",
            "/co-quan?x=1",
            "/tra-cuu?ma=1&x=a+b",
            "/can-bo/ho-so/0790261121482137",
            "/can-bo/tiep-nhan?ten=Nguy%E1%BB%85n+V%C4%83n",
            "/thu-tuc#le-phi",
            "/tra-cuu?q=%2F%2Fnot-a-host",
        ] {
            assert_eq!(same_site_path(ok), Some(ok), "{ok}");
        }
    }

    /// Values as the handler receives them (the query already decoded
    /// once), including those no URI could carry raw.
    #[test]
    fn anything_that_could_leave_the_site_is_refused() {
        for bad in [
            "",
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "/ /evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "https://evil.example",
            "https:evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/%2F/evil.example",
            "/%252F%252Fevil.example",
            "/%5Cevil.example",
            "/%255Cevil.example",
            "/%09/evil.example",
            "/%2509/evil.example",
            "/x?y=%0A",
            "/／evil.example",
            "／／evil.example",
            "/\u{200b}/evil.example",
            "/%E2%80%8B/evil.example",
            "/%EF%BC%8Fevil.example",
            "/.//evil.example",
            "/tra-cuu?\u{0}",
        ] {
            assert_eq!(same_site_path(bad), None, "{bad:?}");
        }
        let long = format!("/{}", "a".repeat(MAX_NEXT_BYTES));
        assert_eq!(same_site_path(&long), None);
    }
}
