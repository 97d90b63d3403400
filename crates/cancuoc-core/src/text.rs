//! Vietnamese text folding: diacritics off, `Đ` → `D`.
//!
//! Used for MRZ names (`Nguyễn Văn Đức` → `NGUYEN VAN DUC`) and for the
//! diacritic-insensitive search key of citizen names (`nguyen van duc`).
//! Decomposition is Unicode NFD (the `unicode-normalization` crate); combining
//! marks are dropped. `Đ`/`đ` are letters of their own (not a `D` with a mark),
//! so they are mapped explicitly.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds Vietnamese letters to their base Latin letters, keeping case and
/// every other character: `Nguyễn Văn Đức` → `Nguyen Van Duc`.
pub fn fold_diacritics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            'Đ' => out.push('D'),
            'đ' => out.push('d'),
            c if is_combining_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The diacritic- and case-insensitive search key of a name: folded,
/// lower-case, runs of whitespace collapsed to one space, trimmed.
/// `"  Nguyễn  Văn AN "` → `"nguyen van an"`.
pub fn search_key(s: &str) -> String {
    let folded = fold_diacritics(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_every_vietnamese_vowel_and_d() {
        let cases = [
            ("Nguyễn Văn Đức", "Nguyen Van Duc"),
            ("ĐẶNG THỊ Ánh", "DANG THI Anh"),
            ("Trương Ngọc Ẩn", "Truong Ngoc An"),
            ("ơƠưƯ ăĂâÂêÊôÔ", "oOuU aAaAeEoO"),
            ("Lê Hữu Phước", "Le Huu Phuoc"),
            ("plain ascii 123", "plain ascii 123"),
        ];
        for (input, want) in cases {
            assert_eq!(fold_diacritics(input), want, "{input}");
        }
    }

    #[test]
    fn folds_precomposed_and_decomposed_alike() {
        let precomposed = "Nguy\u{1ec5}n";
        let decomposed = "Nguye\u{302}\u{303}n";
        assert_eq!(fold_diacritics(precomposed), "Nguyen");
        assert_eq!(fold_diacritics(decomposed), "Nguyen");
    }

    #[test]
    fn search_key_collapses_space_and_case() {
        assert_eq!(search_key("  Nguyễn  Văn\tAN "), "nguyen van an");
        assert_eq!(search_key("nguyen van an"), search_key("Nguyễn Văn An"));
        assert_eq!(search_key(""), "");
    }
}
