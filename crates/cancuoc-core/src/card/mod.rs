//! The card as issued: the one record every card artefact is made from.
//!
//! A [`Card`] holds what is printed on the face and back and written to the
//! chip (Circular 06/2021/TT-BCA Art. 3 for the CCCD of 2021, Circular
//! 16/2024/TT-BCA for the Căn cước of 2024): number, name, date of birth,
//! sex, nationality, place of origin, residence, issue and expiry dates,
//! identifying features and the old CMND number, plus the chip's extra
//! fields (ethnicity, religion, parents, spouse). The specimen renderer
//! (`cancuoc-render`), the chip writer (`cancuoc-chip`), the signed QR
//! (`cancuoc-seal`), the CLI's `CARD.json` and the workflow's card record
//! all start from it, so the QR payload ([`Card::qr_payload`]) and the MRZ
//! ([`Card::mrz`]) of a card are computed in one place and are byte for
//! byte what `cancuoc qr encode` and `cancuoc mrz encode` print for it.
//!
//! [`CardFile`] is the `CARD.json` shape (every field a string as a person
//! writes it); [`Card::from_file`] checks it and names the first field that
//! is wrong, in Vietnamese and English ([`CardError`]).

use crate::i18n::Localized;
use crate::id::PersonalId;
use crate::mrz::vn::{self, EncodeError, EncodedMrz};
use crate::person::{PartialDate, Sex};
use crate::qr::{CardFields, CardQr, Layout, OldId, QrError};
use jiff::civil::Date;
use unicode_normalization::UnicodeNormalization;

/// The two card models the law has issued with a chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardModel {
    /// Thẻ Căn cước công dân gắn chip (Circular 06/2021/TT-BCA), issued
    /// until 30 June 2024.
    Cccd2021,
    /// Thẻ Căn cước (Law 26/2023/QH15, Circular 16/2024/TT-BCA), issued
    /// from 1 July 2024.
    CanCuoc2024,
}

/// The day the Căn cước model replaced the CCCD (Law 26/2023/QH15 Art. 46).
pub const CAN_CUOC_FROM: Date = jiff::civil::date(2024, 7, 1);

impl CardModel {
    /// The model a card issued on `day` has.
    pub fn for_issue_date(day: Date) -> CardModel {
        if day >= CAN_CUOC_FROM {
            CardModel::CanCuoc2024
        } else {
            CardModel::Cccd2021
        }
    }

    /// `2021` or `2024`, as the CLI and the API name the layouts.
    pub const fn as_str(self) -> &'static str {
        match self {
            CardModel::Cccd2021 => "2021",
            CardModel::CanCuoc2024 => "2024",
        }
    }

    /// The QR payload layout printed on this model.
    pub const fn qr_layout(self) -> Layout {
        match self {
            CardModel::Cccd2021 => Layout::CLASSIC,
            CardModel::CanCuoc2024 => Layout::EXTENDED_2024,
        }
    }
}

impl std::str::FromStr for CardModel {
    type Err = CardError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "2021" | "cccd" => Ok(CardModel::Cccd2021),
            "2024" | "can-cuoc" | "cancuoc" => Ok(CardModel::CanCuoc2024),
            other => Err(CardError::new(
                "layout",
                format!("\"{other}\" không phải là mẫu thẻ; dùng 2021 hoặc 2024"),
                format!("\"{other}\" is not a card layout; use 2021 or 2024"),
            )),
        }
    }
}

/// The data of one card. Text is NFC-normalised with single spaces.
#[derive(Clone, PartialEq, Eq)]
pub struct Card {
    /// Số định danh cá nhân (the card number).
    pub personal_id: PersonalId,
    /// Họ và tên, surname first, as printed.
    pub full_name: String,
    /// The surname (họ) when the record names it (e.g. `Tôn Nữ`); `None`
    /// takes a known compound surname or else the first word.
    pub surname: Option<String>,
    /// Ngày sinh.
    pub date_of_birth: Date,
    /// Giới tính.
    pub sex: Sex,
    /// Quốc tịch, `Việt Nam` by default.
    pub nationality: String,
    /// Quê quán.
    pub place_of_origin: String,
    /// Nơi đăng ký khai sinh (the 2024 back); `None` prints the place of
    /// origin there.
    pub place_of_birth: Option<String>,
    /// Nơi thường trú (2021) / nơi cư trú (2024).
    pub residence: String,
    /// Ngày cấp.
    pub issue_date: Date,
    /// Có giá trị đến; `None` = no expiry (không thời hạn).
    pub expiry_date: Option<Date>,
    /// Đặc điểm nhận dạng (may be empty; not printed on the 2024 model).
    pub identifying_features: String,
    /// The old CMND number (9 or 12 digits), if any.
    pub old_id: Option<OldId>,
    /// The portrait's path as written in `CARD.json`; the reader resolves
    /// it. `None` draws a neutral silhouette.
    pub portrait: Option<String>,
    /// Dân tộc (chip only).
    pub ethnicity: Option<String>,
    /// Tôn giáo (chip only).
    pub religion: Option<String>,
    /// Father's full name (chip only).
    pub father_name: Option<String>,
    /// Mother's full name (chip only).
    pub mother_name: Option<String>,
    /// Spouse's full name (chip only).
    pub spouse_name: Option<String>,
}

impl std::fmt::Debug for Card {
    // A card is personal data: only the masked number is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Card")
            .field("personal_id", &crate::id::mask(&self.personal_id))
            .field("issue_date", &self.issue_date)
            .finish_non_exhaustive()
    }
}

/// `CARD.json` as written: every field a string (or null), checked by
/// [`Card::from_file`].
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardFile {
    /// 12 digits.
    pub personal_id: Option<String>,
    /// Surname first.
    pub full_name: Option<String>,
    /// Optional explicit surname.
    #[serde(default)]
    pub surname: Option<String>,
    /// A date as people write it (`1990-03-15`, `15/03/1990`, `15-3-1990`).
    pub date_of_birth: Option<String>,
    /// `male`/`female`/`nam`/`nữ`/`M`/`F`.
    pub sex: Option<String>,
    /// Default `Việt Nam`.
    #[serde(default)]
    pub nationality: Option<String>,
    /// Quê quán.
    pub place_of_origin: Option<String>,
    /// Nơi đăng ký khai sinh.
    #[serde(default)]
    pub place_of_birth: Option<String>,
    /// Nơi thường trú / cư trú.
    pub residence: Option<String>,
    /// A date.
    pub issue_date: Option<String>,
    /// A date, or null for no expiry. The key must be present: a card
    /// without expiry is said, never assumed.
    #[serde(default, deserialize_with = "present")]
    pub expiry_date: Option<Option<String>>,
    /// Đặc điểm nhận dạng.
    #[serde(default)]
    pub identifying_features: Option<String>,
    /// Old CMND, 9 or 12 digits.
    #[serde(default)]
    pub old_id: Option<String>,
    /// Portrait file (JPEG or PNG), relative to `CARD.json`.
    #[serde(default)]
    pub portrait: Option<String>,
    /// Dân tộc.
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// Tôn giáo.
    #[serde(default)]
    pub religion: Option<String>,
    /// Father.
    #[serde(default)]
    pub father_name: Option<String>,
    /// Mother.
    #[serde(default)]
    pub mother_name: Option<String>,
    /// Spouse.
    #[serde(default)]
    pub spouse_name: Option<String>,
}

/// Tells a present `null` (`Some(None)`) from an absent key (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    use serde::Deserialize;
    Option::<String>::deserialize(d).map(Some)
}

/// A field of `CARD.json` that is missing or wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {en}")]
pub struct CardError {
    /// The field's name in `CARD.json`.
    pub field: &'static str,
    vi: String,
    en: String,
}

impl CardError {
    fn new(field: &'static str, vi: String, en: String) -> CardError {
        CardError { field, vi, en }
    }
    fn missing(field: &'static str) -> CardError {
        CardError::new(
            field,
            format!("thiếu trường \"{field}\""),
            format!("the field \"{field}\" is missing"),
        )
    }
    fn of(field: &'static str, e: &dyn Localized) -> CardError {
        CardError::new(field, e.message_vi(), e.message_en())
    }
}

impl Localized for CardError {
    fn code(&self) -> &'static str {
        "card.field"
    }
    fn message_vi(&self) -> String {
        format!("{}: {}", self.field, self.vi)
    }
    fn message_en(&self) -> String {
        format!("{}: {}", self.field, self.en)
    }
}

/// NFC, trimmed, runs of whitespace as one space.
fn tidy(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn required(field: &'static str, v: Option<String>) -> Result<String, CardError> {
    let t = tidy(v.as_deref().unwrap_or(""));
    if t.is_empty() {
        Err(CardError::missing(field))
    } else {
        Ok(t)
    }
}

fn optional(v: Option<String>) -> Option<String> {
    v.map(|s| tidy(&s)).filter(|s| !s.is_empty())
}

fn full_date(field: &'static str, v: &str) -> Result<Date, CardError> {
    match PartialDate::parse_typed(v) {
        Ok(PartialDate::Full(d)) => Ok(d),
        Ok(_) => Err(CardError::new(
            field,
            format!("\"{v}\" thiếu ngày hoặc tháng; trên thẻ ghi đủ ngày, tháng, năm"),
            format!("\"{v}\" lacks the day or month; a card carries a full date"),
        )),
        Err(e) => Err(CardError::of(field, &e)),
    }
}

impl Card {
    /// Checks a `CARD.json` and names the first wrong field.
    pub fn from_file(f: CardFile) -> Result<Card, CardError> {
        let id_text = required("personal_id", f.personal_id)?;
        let personal_id =
            PersonalId::parse(&id_text).map_err(|e| CardError::of("personal_id", &e))?;
        let full_name = required("full_name", f.full_name)?;
        let surname = optional(f.surname);
        if let Some(s) = &surname {
            crate::mrz::name::split_with_surname(&full_name, s)
                .map_err(|e| CardError::of("surname", &e))?;
        }
        let date_of_birth = full_date(
            "date_of_birth",
            &required("date_of_birth", f.date_of_birth)?,
        )?;
        let sex = Sex::parse(&required("sex", f.sex)?).map_err(|e| CardError::of("sex", &e))?;
        let nationality = optional(f.nationality).unwrap_or_else(|| "Việt Nam".to_owned());
        let place_of_origin = required("place_of_origin", f.place_of_origin)?;
        let residence = required("residence", f.residence)?;
        let issue_date = full_date("issue_date", &required("issue_date", f.issue_date)?)?;
        let expiry_date =
            match f.expiry_date {
                None => return Err(CardError::new(
                    "expiry_date",
                    "thiếu trường \"expiry_date\" (ghi null nếu thẻ không thời hạn)".into(),
                    "the field \"expiry_date\" is missing (write null for a card without expiry)"
                        .into(),
                )),
                Some(None) => None,
                Some(Some(s)) if tidy(&s).is_empty() => None,
                Some(Some(s)) => Some(full_date("expiry_date", &tidy(&s))?),
            };
        if date_of_birth > issue_date {
            return Err(CardError::new(
                "issue_date",
                format!("ngày cấp {issue_date} trước ngày sinh {date_of_birth}"),
                format!("issue date {issue_date} is before the date of birth {date_of_birth}"),
            ));
        }
        if let Some(e) = expiry_date.filter(|e| *e <= issue_date) {
            return Err(CardError::new(
                "expiry_date",
                format!("ngày hết hạn {e} không sau ngày cấp {issue_date}"),
                format!("expiry date {e} is not after the issue date {issue_date}"),
            ));
        }
        let old_id = match optional(f.old_id) {
            None => None,
            Some(s) => Some(OldId::parse(&s).map_err(|e| CardError::of("old_id", &e))?),
        };
        let card = Card {
            personal_id,
            full_name,
            surname,
            date_of_birth,
            sex,
            nationality,
            place_of_origin,
            place_of_birth: optional(f.place_of_birth),
            residence,
            issue_date,
            expiry_date,
            identifying_features: optional(f.identifying_features).unwrap_or_default(),
            old_id,
            portrait: optional(f.portrait),
            ethnicity: optional(f.ethnicity),
            religion: optional(f.religion),
            father_name: optional(f.father_name),
            mother_name: optional(f.mother_name),
            spouse_name: optional(f.spouse_name),
        };
        // The MRZ and the QR must be writable: say so now, naming the field.
        card.mrz().map_err(|e| match e {
            EncodeError::Name(n) => CardError::of(
                if card.surname.is_some() {
                    "surname"
                } else {
                    "full_name"
                },
                &n,
            ),
            other => CardError::of("expiry_date", &other),
        })?;
        CardQr::new(card.qr_fields(CardModel::Cccd2021))
            .map_err(|e| CardError::of("residence", &e))?;
        Ok(card)
    }

    /// The model a card issued on its issue date has.
    pub fn model(&self) -> CardModel {
        CardModel::for_issue_date(self.issue_date)
    }

    fn qr_fields(&self, model: CardModel) -> CardFields {
        CardFields {
            personal_id: self.personal_id,
            old_id: self.old_id,
            full_name: self.full_name.clone(),
            date_of_birth: self.date_of_birth,
            sex: self.sex,
            residence: self.residence.clone(),
            issue_date: self.issue_date,
            layout: model.qr_layout(),
        }
    }

    /// The QR printed on a card of `model`. A card checked by
    /// [`Card::from_file`] always encodes; a hand-built one may not (a `|`
    /// in the residence).
    pub fn qr(&self, model: CardModel) -> Result<CardQr, QrError> {
        CardQr::new(self.qr_fields(model))
    }

    /// The QR payload text, exactly what `cancuoc qr encode` prints for
    /// this card with `--layout classic` (2021) or `extended-2024` (2024).
    pub fn qr_payload(&self, model: CardModel) -> Result<String, QrError> {
        self.qr(model).map(|q| q.to_payload())
    }

    /// The three MRZ lines, exactly what `cancuoc mrz encode` prints for
    /// this card (with `--surname` when the record names it).
    pub fn mrz(&self) -> Result<EncodedMrz, EncodeError> {
        vn::encode(&vn::CardData {
            personal_id: self.personal_id,
            full_name: &self.full_name,
            surname: self.surname.as_deref(),
            birth_date: self.date_of_birth,
            sex: self.sex,
            expiry: self.expiry_date,
        })
    }

    /// A synthetic specimen card (a woman with a compound surname and an
    /// old CMND number) for tests, benchmarks and documentation.
    pub fn sample() -> Card {
        Card {
            personal_id: PersonalId::parse("079190012345")
                .expect("the sample's ID is valid (tested)"),
            full_name: "Tôn Nữ Thị Ninh".into(),
            surname: None,
            date_of_birth: jiff::civil::date(1990, 3, 15),
            sex: Sex::Female,
            nationality: "Việt Nam".into(),
            place_of_origin: "Phường Thuận Hòa, Thành phố Huế".into(),
            place_of_birth: None,
            residence: "Số 12 đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh".into(),
            issue_date: jiff::civil::date(2022, 5, 20),
            expiry_date: Some(jiff::civil::date(2030, 3, 15)),
            identifying_features: "Nốt ruồi C:1cm trên trước mép phải".into(),
            old_id: OldId::parse("025123456").ok(),
            portrait: None,
            ethnicity: Some("Kinh".into()),
            religion: Some("Không".into()),
            father_name: Some("Tôn Thất Minh".into()),
            mother_name: Some("Lê Thị Hoa".into()),
            spouse_name: None,
        }
    }
}

/// A date as printed on the card: `15/03/1990`.
pub fn ddmmyyyy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests;
