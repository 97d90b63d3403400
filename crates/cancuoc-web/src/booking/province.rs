//! The province (tỉnh, thành phố) a province-level office stands for, as
//! citizens name it: "Hà Nội", not "Phòng Cảnh sát QLHC về TTXH – Công an
//! Thành phố Hà Nội".
//!
//! An office record has no province field, and its number is the operator's
//! own (the demo numbers a province's office ten times its ID-number code,
//! other trees do not), so the number says nothing reliable. The name does:
//! a province office is named after its province, and the ID-number
//! province table of `cancuoc_core` (`id::provinces`, the 63 official names)
//! is the authority for how a province is written. So the label is the
//! table's name that ends the office's name (compared without diacritics or
//! case, on word boundaries, the longest match winning); an office named
//! after no province in the table (a test tree's "Công an Tỉnh Thử
//! Nghiệm") shows what follows its last "Công an", else its whole name.
//!
//! A province field on the office would be cleaner still, but it changes
//! the office schema, every seeder and the REST API that the other areas
//! own; this derivation needs none of that and stays right for any office
//! named the usual way.

use std::sync::LazyLock;

use cancuoc_core::text::search_key;

/// How citizens name the province of the province-level office `name`.
pub(crate) fn province_label(name: &str) -> String {
    // The table's names folded once per process, not per office and page.
    static KEYS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
        // The 63 provinces of the ID-number table, and the 34 from
        // 01/07/2025 (some renamed: "Huế" for "Thừa Thiên Huế").
        cancuoc_core::id::provinces()
            .map(|(_, p)| p)
            .chain(
                cancuoc_core::office::structure::provinces_2025()
                    .iter()
                    .map(|p| p.name),
            )
            .map(|p| (search_key(p), p))
            .collect()
    });
    let key = search_key(name);
    let from_table = KEYS
        .iter()
        .filter(|(k, _)| ends_with_words(&key, k))
        .max_by_key(|(_, p)| p.len())
        .map(|(_, p)| (*p).to_owned());
    if let Some(p) = from_table {
        return p;
    }
    // "Công an" in any case, the last one: what follows is the place.
    let lower = name.to_lowercase();
    match lower.rfind("công an ") {
        Some(i) if lower.is_char_boundary(i) => {
            // Lower-casing Vietnamese letters keeps their byte lengths.
            let rest = name.get(i + "công an ".len()..).unwrap_or(name).trim();
            if rest.is_empty() {
                name.trim().to_owned()
            } else {
                rest.to_owned()
            }
        }
        _ => name.trim().to_owned(),
    }
}

/// Whether `words` ends `key` on a word boundary (both search keys).
fn ends_with_words(key: &str, words: &str) -> bool {
    !words.is_empty()
        && key.ends_with(words)
        && (key.len() == words.len() || key[..key.len() - words.len()].ends_with(' '))
}

#[cfg(test)]
mod tests {
    use super::province_label;

    #[test]
    fn office_names_give_the_province_of_the_table() {
        for (office, province) in [
            (
                "Phòng Cảnh sát QLHC về TTXH – Công an Thành phố Hà Nội",
                "Hà Nội",
            ),
            (
                "Phòng Cảnh sát QLHC về TTXH – Công an Tỉnh Thừa Thiên Huế",
                "Thừa Thiên Huế",
            ),
            ("Công an Thành phố Huế", "Huế"),
            (
                "Phòng Cảnh sát QLHC về TTXH – Công an Thành phố Hồ Chí Minh",
                "Hồ Chí Minh",
            ),
            ("CÔNG AN TỈNH QUẢNG NINH", "Quảng Ninh"),
            ("Công an tỉnh Bắc Ninh", "Bắc Ninh"),
            // Not in the table: what follows "Công an".
            ("Công an Tỉnh Thử Nghiệm", "Tỉnh Thử Nghiệm"),
            ("Sở Thử Nghiệm", "Sở Thử Nghiệm"),
            ("Công an ", "Công an"),
        ] {
            assert_eq!(province_label(office), province, "{office}");
        }
    }

    #[test]
    fn a_province_name_inside_a_word_is_no_match() {
        // "Ninh Bình" must not match the end of "…Ninh Bìnhx"; nor "Nam" a
        // word ending in "nam".
        assert_eq!(province_label("Công an Xã Ninh Bìnhx"), "Xã Ninh Bìnhx");
    }
}
