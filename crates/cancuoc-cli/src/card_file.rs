//! Reading `CARD.json`, the card data of `card render`, `chip issue` and
//! `qr sign`: the JSON is read into core's `CardFile`, checked by
//! `Card::from_file` (which names the wrong field in both languages), and
//! the portrait, when named, is read from a path relative to the JSON file.

use anyhow::{Context, anyhow};
use cancuoc_core::card::{Card, CardFile};
use cancuoc_core::i18n::Localized;
use std::path::Path;

/// A checked card and its portrait's bytes.
pub struct LoadedCard {
    /// The card.
    pub card: Card,
    /// The portrait file's bytes (JPEG or PNG as given), if the card names one.
    pub portrait: Option<Vec<u8>>,
}

/// Reads and checks `path`. Errors name the file and, for a wrong value,
/// the field, in Vietnamese and English.
pub fn read_card(path: &Path) -> anyhow::Result<LoadedCard> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} (không đọc được tệp)", path.display()))?;
    let file: CardFile = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}: not a card file (không phải tệp dữ liệu thẻ): {e}",
            path.display()
        )
    })?;
    let card = Card::from_file(file).map_err(|e| {
        anyhow!(
            "{}: {} / {}",
            path.display(),
            e.message_vi(),
            e.message_en()
        )
    })?;
    let portrait = match &card.portrait {
        None => None,
        Some(p) => {
            let full = path.parent().unwrap_or(Path::new(".")).join(p);
            Some(std::fs::read(&full).with_context(|| {
                format!(
                    "{}: portrait: cannot read {} (không đọc được ảnh chân dung)",
                    path.display(),
                    full.display()
                )
            })?)
        }
    };
    Ok(LoadedCard { card, portrait })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_wrong_field_and_the_missing_portrait() {
        let dir = std::env::temp_dir().join(format!("cancuoc-cardfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("card.json");
        let good = r#"{"personal_id":"001090012345","full_name":"Lê Thị Hoa","date_of_birth":"1990-03-15",
            "sex":"female","place_of_origin":"Huế","residence":"Hà Nội","issue_date":"2022-05-20",
            "expiry_date":null,"portrait":"face.png"}"#;
        std::fs::write(&p, good.replace("001090012345", "00109001234")).unwrap();
        let e = read_card(&p).err().unwrap().to_string();
        assert!(e.contains("personal_id"), "{e}");
        std::fs::write(&p, good).unwrap();
        let e = read_card(&p).err().unwrap().to_string();
        assert!(e.contains("portrait") && e.contains("face.png"), "{e}");
        std::fs::write(dir.join("face.png"), b"\x89PNG").unwrap();
        let c = read_card(&p).unwrap();
        assert_eq!(c.portrait.as_deref(), Some(&b"\x89PNG"[..]));
        assert_eq!(c.card.expiry_date, None);
        std::fs::write(&p, good.replace("\"portrait\"", "\"portait\"")).unwrap();
        let e = read_card(&p).err().unwrap().to_string();
        assert!(e.contains("portait"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
