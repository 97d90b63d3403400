//! Names in the zone (họ và tên): reading the name field, and writing
//! Vietnamese names as MRZ letters with the ICAO truncation rules.
//!
//! **Reading.** The field is `SURNAME<<GIVEN<NAMES<<<…`: the primary
//! identifier (surname, họ) before the first `<<`, the secondary identifier
//! (given names) after it, components separated by `<`, trailing fillers
//! ignored. A field without `<<` is all surname.
//!
//! **Writing** (ICAO Doc 9303 Part 3 §4.6): letters are folded to `A`–`Z`
//! with [`crate::text::fold_diacritics`] (Unicode NFD, combining marks
//! dropped, `Đ` → `D`), so `Nguyễn` → `NGUYEN`; a few letters without a
//! decomposition are spelt out (`ß` → `SS`, `Æ` → `AE`, `Ø`/`Œ` → `OE`,
//! `Þ` → `TH`, `Ł` → `L`, `Ð` → `D`); spaces, hyphens and commas separate
//! components (`<`); apostrophes are omitted (`D'Arc` → `DARC`); digits and
//! other characters are dropped.
//!
//! **Vietnamese order**: the first word of a full name is the surname (họ);
//! the rest is the middle and given name (tên đệm và tên):
//! `Nguyễn Văn An` → `NGUYEN<<VAN<AN`. See [`split_vietnamese`].
//!
//! **Truncation**, when the name is longer than the field: ICAO leaves the
//! method to the issuer but requires that `<<` and at least the first letter
//! of the first given name survive, and that a truncated field end on a
//! letter. We (1) shorten given-name components from the last one backwards,
//! each to no less than its initial; then (2) surname components the same
//! way; then (3) drop whole components from the end (given names, then
//! surname parts), always keeping the first of each; finally (4) cut.

use crate::text::fold_diacritics;

/// The components of one half of a name field, split lazily on `<`.
#[derive(Clone, Debug)]
pub struct NameParts<'a> {
    rest: &'a str,
}

impl<'a> NameParts<'a> {
    /// The components joined by single spaces (`ANNA MARIA`).
    pub fn joined(&self) -> String {
        let mut out = String::with_capacity(self.rest.len());
        for part in self.clone() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part);
        }
        out
    }
    /// Whether there is no component.
    pub fn is_empty(&self) -> bool {
        self.clone().next().is_none()
    }
}

impl<'a> Iterator for NameParts<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let (part, rest) = match self.rest.find('<') {
                Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
                None => (self.rest, ""),
            };
            self.rest = rest;
            if !part.is_empty() {
                return Some(part);
            }
        }
    }
}

/// Splits a name field into surname and given-name components.
pub fn split_name_field(field: &str) -> (NameParts<'_>, NameParts<'_>) {
    let field = field.trim_end_matches('<');
    match field.find("<<") {
        Some(i) => (
            NameParts { rest: &field[..i] },
            NameParts {
                rest: &field[i + 2..],
            },
        ),
        None => (NameParts { rest: field }, NameParts { rest: "" }),
    }
}

/// Splits a Vietnamese full name (họ và tên) into surname (họ) and the rest
/// (tên đệm và tên), both trimmed. The surname is the longest compound
/// surname of `data/names/compound-surnames.toml` the name starts with
/// (compared without diacritics or case), else the first word.
/// `"Nguyễn Văn An"` → `("Nguyễn", "Văn An")`;
/// `"Tôn Nữ Thị Ninh"` → `("Tôn Nữ", "Thị Ninh")`; one word → `(word, "")`.
pub fn split_vietnamese(full_name: &str) -> (&str, &str) {
    let t = full_name.trim();
    let longest = compound_surnames()
        .iter()
        .filter_map(|c| word_prefix_len(t, c))
        .max();
    if let Some(end) = longest {
        return (t[..end].trim(), t[end..].trim());
    }
    match t.find(char::is_whitespace) {
        Some(i) => (&t[..i], t[i..].trim()),
        None => (t, ""),
    }
}

/// Splits a full name whose surname is given explicitly (from the
/// population record): the surname must be the name's first words,
/// compared without diacritics or case. `("Nguyễn Phúc An", "Nguyễn")` →
/// `("Nguyễn", "Phúc An")`.
pub fn split_with_surname<'a>(
    full_name: &'a str,
    surname: &str,
) -> Result<(&'a str, &'a str), NameError> {
    let t = full_name.trim();
    let words: Vec<&str> = surname.split_whitespace().collect();
    if words.is_empty() {
        return Err(NameError::SurnameNotInName {
            surname: surname.to_owned(),
        });
    }
    match word_prefix_len(t, &words.join(" ")) {
        Some(end) => Ok((t[..end].trim(), t[end..].trim())),
        None => Err(NameError::SurnameNotInName {
            surname: surname.trim().to_owned(),
        }),
    }
}

/// The byte length of `name`'s leading words when they spell `prefix`
/// (word by word, folded and lowercased), `None` otherwise.
fn word_prefix_len(name: &str, prefix: &str) -> Option<usize> {
    let mut rest = name;
    let mut consumed = 0;
    for want in prefix.split_whitespace() {
        let trimmed = rest.trim_start();
        consumed += rest.len() - trimmed.len();
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let word = &trimmed[..end];
        if word.is_empty() || !same_word(word, want) {
            return None;
        }
        consumed += end;
        rest = &trimmed[end..];
    }
    (consumed > 0).then_some(consumed)
}

fn same_word(a: &str, b: &str) -> bool {
    fold_diacritics(a).to_lowercase() == fold_diacritics(b).to_lowercase()
}

/// The compound surnames (họ kép) of `data/names/compound-surnames.toml`,
/// parsed once.
pub fn compound_surnames() -> &'static [String] {
    static LIST: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct File {
            surname: Vec<Entry>,
        }
        #[derive(serde::Deserialize)]
        struct Entry {
            name: String,
            #[allow(dead_code)]
            source: String,
        }
        // The file is embedded and checked by a test; an unreadable file
        // (a bad edit) yields no compound surname rather than a panic.
        toml::from_str::<File>(include_str!("../../data/names/compound-surnames.toml"))
            .map(|f| f.surname.into_iter().map(|e| e.name).collect())
            .unwrap_or_default()
    })
}

/// Folds any text to MRZ name components (`A`–`Z` words), as described in the
/// module documentation. `"Nguyễn  Thị-Ánh"` → `["NGUYEN", "THI", "ANH"]`.
pub fn components(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in fold_diacritics(text).chars() {
        let spelt: &str = match c {
            'a'..='z' | 'A'..='Z' => {
                cur.push(c.to_ascii_uppercase());
                continue;
            }
            'ß' => "SS",
            'Æ' | 'æ' => "AE",
            'Ø' | 'ø' | 'Œ' | 'œ' => "OE",
            'Þ' | 'þ' => "TH",
            'Ł' | 'ł' | 'ı' => {
                cur.push(if c == 'ı' { 'I' } else { 'L' });
                continue;
            }
            'Ð' | 'ð' => "D",
            '\'' | '’' | 'ʼ' | '`' => continue,
            c if c.is_whitespace() || matches!(c, '-' | '‐' | '–' | ',' | '<') => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
            _ => continue,
        };
        cur.push_str(spelt);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A name written into a fixed-width name field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameField {
    /// Exactly the field width, `<`-padded: `NGUYEN<<VAN<AN<<<…`.
    pub text: String,
    /// Whether the name had to be truncated to fit.
    pub truncated: bool,
}

/// Why a name cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// No letter left after folding (empty, digits or symbols only).
    #[error("the name has no letter that can be written in the MRZ")]
    Empty,
    /// An explicit surname that is not the name's first words.
    #[error("the surname {surname:?} is not the first words of the full name")]
    SurnameNotInName {
        /// The surname as given.
        surname: String,
    },
}

impl crate::i18n::Localized for NameError {
    fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "mrz.name_empty",
            NameError::SurnameNotInName { .. } => "mrz.surname_not_in_name",
        }
    }
    fn message_vi(&self) -> String {
        match self {
            NameError::Empty => "Họ tên không còn chữ cái nào để ghi vào MRZ".into(),
            NameError::SurnameNotInName { surname } => {
                format!("Họ \"{surname}\" không phải là các chữ đầu của họ và tên")
            }
        }
    }
    fn message_en(&self) -> String {
        match self {
            NameError::Empty => "The name has no letter that can be written in the MRZ".into(),
            NameError::SurnameNotInName { surname } => {
                format!("The surname \"{surname}\" is not the first words of the full name")
            }
        }
    }
}

fn field_len(surname: &[String], given: &[String]) -> usize {
    let join = |v: &[String]| v.iter().map(String::len).sum::<usize>() + v.len().saturating_sub(1);
    join(surname) + if given.is_empty() { 0 } else { 2 + join(given) }
}

/// Shortens components from the last backwards, each to no less than one
/// letter, until `excess` characters are gone; returns what is left over.
fn shorten(parts: &mut [String], mut excess: usize) -> usize {
    for part in parts.iter_mut().rev() {
        if excess == 0 {
            break;
        }
        let cut = excess.min(part.len().saturating_sub(1));
        part.truncate(part.len() - cut);
        excess -= cut;
    }
    excess
}

/// Writes a surname and given names (any script; folded as described in the
/// module documentation) into a name field of `width` characters.
///
/// ```
/// use cancuoc_core::mrz::name::encode;
/// let f = encode("Nguyễn", "Văn An", 30).unwrap();
/// assert_eq!(f.text, "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<");
/// assert!(!f.truncated);
/// ```
pub fn encode(surname: &str, given_names: &str, width: usize) -> Result<NameField, NameError> {
    let mut s = components(surname);
    let mut g = components(given_names);
    if s.is_empty() && g.is_empty() {
        return Err(NameError::Empty);
    }
    let full = field_len(&s, &g);
    let truncated = full > width;
    if truncated {
        let mut excess = full - width;
        excess = shorten(&mut g, excess);
        excess = shorten(&mut s, excess);
        while excess > 0 && g.len() > 1 {
            g.pop();
            excess = field_len(&s, &g).saturating_sub(width);
        }
        while excess > 0 && s.len() > 1 {
            s.pop();
            excess = field_len(&s, &g).saturating_sub(width);
        }
    }
    let mut text = String::with_capacity(width.max(full));
    text.push_str(&s.join("<"));
    if !g.is_empty() {
        text.push_str("<<");
        text.push_str(&g.join("<"));
    }
    if text.len() > width {
        text.truncate(width);
        while text.ends_with('<') {
            text.pop();
        }
    }
    while text.len() < width {
        text.push('<');
    }
    Ok(NameField { text, truncated })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_fields() {
        let cases = [
            ("ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "ERIKSSON", "ANNA MARIA"),
            (
                "DE<BRUIJN<<WILLEKE<LISELOTTE<<",
                "DE BRUIJN",
                "WILLEKE LISELOTTE",
            ),
            ("<<ANNA<MARIA<<<<<<<<<<<<<<<<<<", "", "ANNA MARIA"),
            ("TEST<<<<<<<<<<<<<<<<<<<<<<<<<<", "TEST", ""),
            (
                "DUBOISARDKELENAC<CCK<<<<<<<<<K",
                "DUBOISARDKELENAC CCK",
                "K",
            ),
            (
                "HASSANSFARID<RAGUEK<C<<<<<KK<<",
                "HASSANSFARID RAGUEK C",
                "KK",
            ),
            ("NOSEPARATOR", "NOSEPARATOR", ""),
            ("<<<<<<", "", ""),
        ];
        for (field, surname, given) in cases {
            let (s, g) = split_name_field(field);
            assert_eq!(s.joined(), surname, "{field}");
            assert_eq!(g.joined(), given, "{field}");
        }
    }

    #[test]
    fn folds_vietnamese_and_other_latin_names() {
        let cases: &[(&str, &[&str])] = &[
            ("Nguyễn", &["NGUYEN"]),
            ("Đặng Thị Ánh", &["DANG", "THI", "ANH"]),
            ("Trương  Ngọc-Ẩn", &["TRUONG", "NGOC", "AN"]),
            ("Lê Hữu Phước", &["LE", "HUU", "PHUOC"]),
            ("Ưng Ơn", &["UNG", "ON"]),
            ("D'Arc", &["DARC"]),
            ("Straße Øre", &["STRASSE", "OERE"]),
            ("Anna2 Maria!", &["ANNA", "MARIA"]),
            ("123 ###", &[]),
        ];
        for &(input, want) in cases {
            assert_eq!(components(input), want, "{input}");
        }
        // Decomposed input folds the same as precomposed.
        assert_eq!(components("Nguye\u{302}\u{303}n"), ["NGUYEN"]);
    }

    #[test]
    fn splits_vietnamese_full_names() {
        assert_eq!(split_vietnamese(" Nguyễn Văn  An "), ("Nguyễn", "Văn  An"));
        // A compound surname (họ kép) stays whole (issue 15).
        assert_eq!(
            split_vietnamese("Tôn Nữ Thị Ngọc Hân"),
            ("Tôn Nữ", "Thị Ngọc Hân")
        );
        assert_eq!(split_vietnamese("An"), ("An", ""));
    }

    #[test]
    fn encodes_and_truncates() {
        let cases = [
            ("Nguyễn", "Văn An", "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<", false),
            ("Đỗ", "", "DO<<<<<<<<<<<<<<<<<<<<<<<<<<<<", false),
            // 29 characters: fits with one filler, nothing cut.
            (
                "Nguyễn",
                "Thị Thanh Hương Giang",
                "NGUYEN<<THI<THANH<HUONG<GIANG<",
                false,
            ),
            (
                "Nguyễn",
                "Thị Thanh Hương Giang Xuân",
                "NGUYEN<<THI<THANH<HUONG<GIAN<X",
                true,
            ),
            (
                "Tôn Thất",
                "Nguyễn Phước Bửu Thanh Hoàng",
                "TON<THAT<<NGUYEN<PHUOC<BUU<T<H",
                true,
            ),
        ];
        for (s, g, want, truncated) in cases {
            let f = encode(s, g, 30).unwrap();
            assert_eq!(f.text, want, "{s} / {g}");
            assert_eq!(f.text.len(), 30);
            assert_eq!(f.truncated, truncated, "{s} / {g}");
        }
    }

    #[test]
    fn truncation_keeps_separator_and_initials_and_ends_on_a_letter() {
        let long_given = "Xuân Thu Hạ Đông Kim Mộc Thủy Hỏa Thổ Phong Vân";
        let long_surname = "Nguyễnnguyễnnguyễnnguyễnnguyễnnguyễn";
        for (s, g) in [
            ("Nguyễn", long_given),
            (long_surname, "An"),
            (long_surname, long_given),
            (long_surname, ""),
        ] {
            let f = encode(s, g, 30).unwrap();
            assert!(f.truncated, "{s} / {g}");
            assert_eq!(f.text.len(), 30);
            // A truncated field ends on a letter, never on a filler (the
            // sign to a reader that the name was cut).
            assert!(
                f.text.ends_with(|c: char| c.is_ascii_uppercase()),
                "{}",
                f.text
            );
            if !g.is_empty() {
                let (sur, giv) = split_name_field(&f.text);
                assert!(!sur.is_empty() && !giv.is_empty(), "{}", f.text);
                assert!(f.text.contains("<<"), "{}", f.text);
            }
        }
        assert_eq!(encode("", "", 30), Err(NameError::Empty));
    }

    #[test]
    fn compound_surnames_are_split_whole() {
        assert!(compound_surnames().len() >= 9, "{:?}", compound_surnames());
        assert_eq!(split_vietnamese("Tôn Nữ Thị Ninh"), ("Tôn Nữ", "Thị Ninh"));
        assert_eq!(
            split_vietnamese("Công Tằng Tôn Nữ Thị Hoa"),
            ("Công Tằng Tôn Nữ", "Thị Hoa")
        );
        assert_eq!(split_vietnamese("TON THAT  Hung"), ("TON THAT", "Hung"));
        assert_eq!(split_vietnamese("Âu Dương Minh"), ("Âu Dương", "Minh"));
        // A word that only starts like a compound part is not one.
        assert_eq!(split_vietnamese("Tôn Nữa An"), ("Tôn", "Nữa An"));
        assert_eq!(split_vietnamese("Nguyễn Văn An"), ("Nguyễn", "Văn An"));
        assert_eq!(split_vietnamese("Tôn Nữ"), ("Tôn Nữ", ""));
        let (s, g) = split_vietnamese("Tôn Nữ Thị Ninh");
        assert_eq!(
            encode(s, g, 30).unwrap().text,
            "TON<NU<<THI<NINH<<<<<<<<<<<<<<"
        );
    }

    #[test]
    fn an_explicit_surname_wins_and_must_lead_the_name() {
        assert_eq!(
            split_with_surname("Nguyễn Phúc An", "Nguyễn"),
            Ok(("Nguyễn", "Phúc An"))
        );
        assert_eq!(
            split_with_surname("Lê Thị Hoa", "le thi"),
            Ok(("Lê Thị", "Hoa"))
        );
        assert!(matches!(
            split_with_surname("Lê Thị Hoa", "Trần"),
            Err(NameError::SurnameNotInName { .. })
        ));
        assert!(split_with_surname("Lê Thị Hoa", "  ").is_err());
        assert_eq!(encode("42", "#", 30), Err(NameError::Empty));
    }
}
