//! Masking of ID numbers for logs and screens (che số): the one rule used
//! everywhere — keep the first 3 and the last 2 characters of a 12-digit
//! number, `079*******34`, which shows the region code and nothing that
//! identifies a person within it.

use super::number::{ID_DIGITS, PersonalId};

/// Characters shown at the start of a masked number (the region code).
pub const MASK_KEEP_START: usize = 3;
/// Characters shown at the end of a masked number.
pub const MASK_KEEP_END: usize = 2;
/// The masking character.
pub const MASK_CHAR: char = '*';

/// A masked personal ID (`079*******34`): formatting it never allocates.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Masked([u8; ID_DIGITS]);

impl Masked {
    /// The masked text, e.g. `079*******34`.
    pub fn as_str(&self) -> &str {
        // Always ASCII digits and `*`; the fallback is unreachable.
        std::str::from_utf8(&self.0).unwrap_or("************")
    }
}

impl std::fmt::Display for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Masked {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Masks a personal ID for logs and screens (che số định danh):
/// `079099012334` → `079*******34`. This is the function every front end uses;
/// `Debug` of [`PersonalId`] prints it too.
pub fn mask(id: &PersonalId) -> Masked {
    let mut out = [MASK_CHAR as u8; ID_DIGITS];
    let src = id.as_bytes();
    out[..MASK_KEEP_START].copy_from_slice(&src[..MASK_KEEP_START]);
    out[ID_DIGITS - MASK_KEEP_END..].copy_from_slice(&src[ID_DIGITS - MASK_KEEP_END..]);
    Masked(out)
}

/// Masks any text that may hold an ID number, valid or not, for logs: the
/// text is trimmed; with at least 12 characters the first 3 and last 2 are
/// kept and every other character becomes `*` (so a valid ID gives the same
/// result as [`mask`]); shorter text is masked entirely (a 9-digit CMND
/// number shows nothing). Never more than 5 input characters are revealed,
/// and the length in characters is kept.
pub fn mask_any(s: &str) -> String {
    let t = s.trim();
    let n = t.chars().count();
    let mut out = String::with_capacity(n);
    for (i, c) in t.chars().enumerate() {
        let keep = n >= ID_DIGITS && (i < MASK_KEEP_START || i >= n - MASK_KEEP_END);
        out.push(if keep { c } else { MASK_CHAR });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn masks_a_valid_number_and_its_debug() {
        let id = PersonalId::parse("079099012334").unwrap();
        assert_eq!(mask(&id).as_str(), "079*******34");
        assert_eq!(mask(&id).to_string(), "079*******34");
        assert_eq!(format!("{id:?}"), "PersonalId(079*******34)");
        assert!(!format!("{id:?}").contains("0120"));
        assert_eq!(mask_any(" 079099012334 "), "079*******34");
    }

    #[test]
    fn mask_any_table() {
        let cases = [
            ("", ""),
            ("1", "*"),
            ("123456789", "*********"),
            ("12345678901", "***********"),
            ("001 099 012345", "001*********45"),
            ("abcdefghijklmnop", "abc***********op"),
            ("０７９０９９０１２３３４", "０７９*******３４"),
        ];
        for (input, want) in cases {
            assert_eq!(mask_any(input), want, "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn mask_any_reveals_at_most_five_characters(s in ".{0,40}") {
            let out = mask_any(&s);
            let shown = out.chars().filter(|&c| c != MASK_CHAR).count();
            prop_assert!(shown <= MASK_KEEP_START + MASK_KEEP_END);
            prop_assert!(out.chars().count() == s.trim().chars().count());
        }

        #[test]
        fn mask_any_agrees_with_mask_on_valid_ids(d in proptest::array::uniform12(0u8..10)) {
            let id = PersonalId::from_digits(d).unwrap();
            let masked = mask(&id);
            prop_assert_eq!(mask_any(id.as_str()), masked.as_str());
            let digits_shown = mask(&id).as_str().bytes().filter(u8::is_ascii_digit).count();
            prop_assert_eq!(digits_shown, 5);
        }
    }
}
