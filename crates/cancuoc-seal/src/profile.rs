//! The cancuoc profile of Claim 169: which identity-data keys carry which
//! card field, in which form, and the private keys 75–86 for the Vietnamese
//! fields Claim 169 has no key for. The table is in the crate docs and in
//! `docs/signed-qr.md`; [`KEYS`] is the one list both are checked against.

use crate::SealError;
use cancuoc_core::card::Card;
use cancuoc_core::i18n::Lang;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::Sex;
use cancuoc_core::qr::OldId;
use ciborium::Value;
use jiff::civil::Date;
use serde::Serialize;

/// Claim 169 key numbers used by the profile (demographics 1–23 from the
/// MOSIP specification 1.2.2; 75–86 private to this closed ecosystem).
pub mod key {
    /// Unique ID: the 12-digit personal ID number.
    pub const ID: i64 = 1;
    /// Version of the ID data: `"1.0"`.
    pub const VERSION: i64 = 2;
    /// Language of the ID data, ISO 639-3: `"vie"`.
    pub const LANGUAGE: i64 = 3;
    /// Full name as on the card.
    pub const FULL_NAME: i64 = 4;
    /// First name (not written: the card has no given-name field).
    pub const FIRST_NAME: i64 = 5;
    /// Middle name (not written).
    pub const MIDDLE_NAME: i64 = 6;
    /// Last name: the surname (họ), only when given explicitly.
    pub const LAST_NAME: i64 = 7;
    /// Date of birth, `YYYYMMDD` (also read: `YYYY-MM-DD`).
    pub const DATE_OF_BIRTH: i64 = 8;
    /// Gender: 1 male, 2 female (3 other: not on the card).
    pub const GENDER: i64 = 9;
    /// Address: the place of residence (nơi thường trú / nơi cư trú).
    pub const ADDRESS: i64 = 10;
    /// Email (not written).
    pub const EMAIL: i64 = 11;
    /// Phone (not written).
    pub const PHONE: i64 = 12;
    /// Nationality, ISO 3166-1 alpha-3: `"VNM"`.
    pub const NATIONALITY: i64 = 13;
    /// Marital status (not written).
    pub const MARITAL_STATUS: i64 = 14;
    /// Guardian (not written).
    pub const GUARDIAN: i64 = 15;
    /// Full name in a second language (not written).
    pub const SECONDARY_FULL_NAME: i64 = 19;
    /// Second language (not written).
    pub const SECONDARY_LANGUAGE: i64 = 20;
    /// Location code (not written).
    pub const LOCATION_CODE: i64 = 21;
    /// Legal status (not written).
    pub const LEGAL_STATUS: i64 = 22;
    /// Country of issuance, ISO 3166-1 alpha-3: `"VNM"`.
    pub const COUNTRY_OF_ISSUANCE: i64 = 23;
    /// Private: place of origin (quê quán).
    pub const PLACE_OF_ORIGIN: i64 = 75;
    /// Private: old CMND number, 9 or 12 digits (số CMND cũ).
    pub const OLD_ID: i64 = 76;
    /// Private: the card's issue date, `YYYYMMDD` (ngày cấp).
    pub const ISSUE_DATE: i64 = 77;
    /// Private: the card's printed expiry, `YYYYMMDD` or `"none"` (có giá
    /// trị đến / không thời hạn).
    pub const EXPIRY_DATE: i64 = 78;
    /// Private: ethnicity (dân tộc).
    pub const ETHNICITY: i64 = 79;
    /// Private: religion (tôn giáo).
    pub const RELIGION: i64 = 80;
    /// Private: card model, `"2021"` (CCCD) or `"2024"` (Căn cước).
    pub const CARD_MODEL: i64 = 81;
    /// Private: document kind, `"card"` or `"cmnd-confirmation"`.
    pub const KIND: i64 = 82;
    /// Private: dossier code of the confirmation, 16 digits (mã hồ sơ).
    pub const DOSSIER_CODE: i64 = 83;
    /// Private: place of birth registration (nơi đăng ký khai sinh).
    pub const PLACE_OF_BIRTH: i64 = 84;
    /// Private: the day the confirmation was decided, `YYYYMMDD`.
    pub const DECIDED_ON: i64 = 85;
    /// Private: the office that issued the confirmation.
    pub const OFFICE: i64 = 86;
}

/// One key of the profile: number, JSON name, labels, and whether this
/// profile writes it.
#[derive(Clone, Copy, Debug)]
pub struct KeyInfo {
    /// The key number in the claim-169 map.
    pub key: i64,
    /// The field name in JSON (`claims.*`).
    pub name: &'static str,
    /// Vietnamese label.
    pub label_vi: &'static str,
    /// English label.
    pub label_en: &'static str,
}

/// Every key the profile reads, in key order.
pub const KEYS: &[KeyInfo] = &[
    k(key::ID, "id", "Số định danh cá nhân", "Personal ID"),
    k(key::VERSION, "version", "Phiên bản dữ liệu", "Data version"),
    k(key::LANGUAGE, "language", "Ngôn ngữ", "Language"),
    k(
        key::FULL_NAME,
        "full_name",
        "Họ, chữ đệm và tên",
        "Full name",
    ),
    k(key::FIRST_NAME, "first_name", "Tên", "First name"),
    k(key::MIDDLE_NAME, "middle_name", "Chữ đệm", "Middle name"),
    k(key::LAST_NAME, "last_name", "Họ", "Surname"),
    k(
        key::DATE_OF_BIRTH,
        "date_of_birth",
        "Ngày sinh",
        "Date of birth",
    ),
    k(key::GENDER, "gender", "Giới tính", "Sex"),
    k(key::ADDRESS, "address", "Nơi thường trú", "Residence"),
    k(key::EMAIL, "email", "Thư điện tử", "Email"),
    k(key::PHONE, "phone", "Điện thoại", "Phone"),
    k(key::NATIONALITY, "nationality", "Quốc tịch", "Nationality"),
    k(
        key::MARITAL_STATUS,
        "marital_status",
        "Tình trạng hôn nhân",
        "Marital status",
    ),
    k(key::GUARDIAN, "guardian", "Người giám hộ", "Guardian"),
    k(
        key::SECONDARY_FULL_NAME,
        "secondary_full_name",
        "Họ tên (ngôn ngữ 2)",
        "Full name (2nd language)",
    ),
    k(
        key::SECONDARY_LANGUAGE,
        "secondary_language",
        "Ngôn ngữ 2",
        "Second language",
    ),
    k(
        key::LOCATION_CODE,
        "location_code",
        "Mã địa điểm",
        "Location code",
    ),
    k(
        key::LEGAL_STATUS,
        "legal_status",
        "Tình trạng pháp lý",
        "Legal status",
    ),
    k(
        key::COUNTRY_OF_ISSUANCE,
        "country_of_issuance",
        "Nước cấp",
        "Country of issuance",
    ),
    k(
        key::PLACE_OF_ORIGIN,
        "place_of_origin",
        "Quê quán",
        "Place of origin",
    ),
    k(key::OLD_ID, "old_id", "Số CMND cũ", "Old ID (CMND)"),
    k(key::ISSUE_DATE, "issue_date", "Ngày cấp", "Issue date"),
    k(
        key::EXPIRY_DATE,
        "expiry_date",
        "Có giá trị đến",
        "Expiry date",
    ),
    k(key::ETHNICITY, "ethnicity", "Dân tộc", "Ethnicity"),
    k(key::RELIGION, "religion", "Tôn giáo", "Religion"),
    k(key::CARD_MODEL, "card_model", "Mẫu thẻ", "Card model"),
    k(key::KIND, "kind", "Loại giấy tờ", "Document kind"),
    k(
        key::DOSSIER_CODE,
        "dossier_code",
        "Mã hồ sơ",
        "Dossier code",
    ),
    k(
        key::PLACE_OF_BIRTH,
        "place_of_birth",
        "Nơi đăng ký khai sinh",
        "Place of birth registration",
    ),
    k(
        key::DECIDED_ON,
        "decided_on",
        "Ngày xác nhận",
        "Confirmed on",
    ),
    k(
        key::OFFICE,
        "office",
        "Cơ quan xác nhận",
        "Confirming office",
    ),
];

const fn k(
    key: i64,
    name: &'static str,
    label_vi: &'static str,
    label_en: &'static str,
) -> KeyInfo {
    KeyInfo {
        key,
        name,
        label_vi,
        label_en,
    }
}

/// Claim 169 keys that are known (photo, its format, best fingers, the
/// biometrics 50–65) but not shown: listed in [`Identity::not_shown`].
fn known_not_shown(key: i64) -> bool {
    matches!(key, 16..=18 | 50..=65)
}

/// Document kind value of a card (key 82).
pub const KIND_CARD: &str = "card";
/// Document kind value of an old-CMND confirmation (key 82).
pub const KIND_CONFIRMATION: &str = "cmnd-confirmation";

/// The identity data (claim 169) as decoded, key by key: every field
/// optional, text as written. Dates stay text here (the spec allows
/// `YYYYMMDD` and shows `YYYY-MM-DD`); [`Document`] has them parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// Text fields by key, in key order (key, value).
    text: Vec<(i64, String)>,
    /// Key 9: gender code (1 male, 2 female, 3 other).
    pub gender: Option<i64>,
    /// Key 14: marital status code.
    pub marital_status: Option<i64>,
    /// Known keys present but not shown (photo, biometrics).
    pub not_shown: Vec<i64>,
}

impl Identity {
    /// The text of a key, if present.
    pub fn text(&self, key: i64) -> Option<&str> {
        self.text
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every present field with its labels, in key order, values as shown
    /// to a person (gender as a word in `lang`).
    pub fn fields(&self, lang: Lang) -> Vec<Field> {
        let mut out = Vec::new();
        for info in KEYS {
            let value = match info.key {
                key::GENDER => self.gender.map(|g| gender_word(g, lang)),
                key::MARITAL_STATUS => self.marital_status.map(|m| m.to_string()),
                key::EXPIRY_DATE if self.text(info.key) == Some("none") => Some(match lang {
                    Lang::Vi => "Không thời hạn".to_owned(),
                    Lang::En => "no expiry".to_owned(),
                }),
                _ => self.text(info.key).map(str::to_owned),
            };
            if let Some(value) = value {
                out.push(Field {
                    key: info.key,
                    name: info.name,
                    label: match lang {
                        Lang::Vi => info.label_vi,
                        Lang::En => info.label_en,
                    },
                    value,
                });
            }
        }
        out
    }
}

fn gender_word(code: i64, lang: Lang) -> String {
    match (code, lang) {
        (1, _) => Sex::Male.label_vi_or_en(lang).to_owned(),
        (2, _) => Sex::Female.label_vi_or_en(lang).to_owned(),
        (3, Lang::Vi) => "Khác".to_owned(),
        (3, Lang::En) => "other".to_owned(),
        (n, _) => n.to_string(),
    }
}

trait SexLabel {
    fn label_vi_or_en(self, lang: Lang) -> &'static str;
}
impl SexLabel for Sex {
    fn label_vi_or_en(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.label_vi(),
            Lang::En => self.label_en(),
        }
    }
}

/// One field for display: key, JSON name, label in the reader's language,
/// value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The claim-169 key.
    pub key: i64,
    /// The JSON name.
    pub name: &'static str,
    /// The label in the requested language.
    pub label: &'static str,
    /// The value as shown.
    pub value: String,
}

/// The identity data as JSON: `{name: value}` for every present field
/// (gender and marital status as numbers, dates as written).
impl Identity {
    /// The present fields as a JSON-ready map (`claims` in the CLI's JSON).
    pub fn to_map(&self) -> std::collections::BTreeMap<&'static str, ClaimValue> {
        let mut map = std::collections::BTreeMap::new();
        for info in KEYS {
            let value = match info.key {
                key::GENDER => self.gender.map(ClaimValue::Int),
                key::MARITAL_STATUS => self.marital_status.map(ClaimValue::Int),
                _ => self.text(info.key).map(|s| ClaimValue::Text(s.to_owned())),
            };
            if let Some(v) = value {
                map.insert(info.name, v);
            }
        }
        map
    }
}

/// In JSON: [`Identity::to_map`].
impl Serialize for Identity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(s)
    }
}

/// A claim value in JSON: text or integer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ClaimValue {
    /// A text field.
    Text(String),
    /// A coded field (gender, marital status).
    Int(i64),
}

/// What the seal is about, read from the identity data by its kind (key 82).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum Document {
    /// A citizen identity card (kind `"card"`).
    #[serde(rename = "card")]
    Card(CardClaims),
    /// An old-CMND-number confirmation (kind `"cmnd-confirmation"`).
    #[serde(rename = "cmnd-confirmation")]
    Confirmation(Confirmation),
    /// No kind key: a Claim 169 document of another issuer; only the
    /// generic identity fields are known.
    #[serde(rename = "other")]
    Other,
}

/// The card fields a seal carries (a subset of [`Card`]: no portrait,
/// identifying features or family names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CardClaims {
    /// 12-digit personal ID (key 1).
    pub personal_id: String,
    /// Full name (key 4).
    pub full_name: String,
    /// Explicit surname (key 7).
    pub surname: Option<String>,
    /// Date of birth (key 8).
    pub date_of_birth: Date,
    /// Sex (key 9).
    pub sex: Sex,
    /// Nationality, ISO alpha-3 or as written (key 13).
    pub nationality: Option<String>,
    /// Place of origin (key 75).
    pub place_of_origin: Option<String>,
    /// Place of birth registration (key 84).
    pub place_of_birth: Option<String>,
    /// Residence (key 10).
    pub residence: String,
    /// Issue date (key 77).
    pub issue_date: Date,
    /// Printed expiry, `None` = no expiry (key 78).
    pub expiry_date: Option<Date>,
    /// Old CMND number (key 76).
    pub old_id: Option<String>,
    /// Ethnicity (key 79).
    pub ethnicity: Option<String>,
    /// Religion (key 80).
    pub religion: Option<String>,
    /// Card model, `"2021"` or `"2024"` (key 81).
    pub card_model: String,
}

/// The confirmation of an old CMND number (Giấy xác nhận số CMND, Circular
/// 59/2021 Art. 9–10): what its signed QR carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    /// The request's 16-digit dossier code (key 83).
    pub code: String,
    /// 12-digit personal ID (key 1).
    pub personal_id: String,
    /// Full name (key 4).
    pub full_name: String,
    /// Date of birth (key 8).
    pub date_of_birth: Date,
    /// The confirmed old CMND number, 9 or 12 digits (key 76).
    pub old_id: String,
    /// The day the confirmation was decided (key 85).
    pub decided_on: Date,
    /// The confirming office (key 86).
    pub office: String,
}

/// `YYYYMMDD`, the form of the Claim 169 table.
pub(crate) fn yyyymmdd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// Reads `YYYYMMDD` (the spec's table) or `YYYY-MM-DD` (the spec's worked
/// example): the specification is inconsistent, so both are accepted.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let digits = |r: &[u8]| -> Option<i64> {
        if r.is_empty() || !r.iter().all(u8::is_ascii_digit) {
            return None;
        }
        r.iter().try_fold(0i64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        })
    };
    let (y, m, d) = match b.len() {
        8 => (digits(&b[0..4])?, digits(&b[4..6])?, digits(&b[6..8])?),
        10 if b[4] == b'-' && b[7] == b'-' => {
            (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?)
        }
        _ => return None,
    };
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// ISO alpha-3 for Vietnamese nationality as CARD.json writes it; any other
/// text is kept as written.
fn nationality_code(n: &str) -> String {
    let folded = cancuoc_core::text::fold_diacritics(n.trim()).to_lowercase();
    match folded.as_str() {
        "viet nam" | "vietnam" | "vn" | "vnm" => "VNM".to_owned(),
        _ => n.trim().to_owned(),
    }
}

fn t(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn i(n: i64) -> Value {
    Value::Integer(n.into())
}

/// The identity-data map of a card, keys ascending (deterministic CBOR
/// order for integer keys).
pub(crate) fn card_identity(card: &Card) -> Value {
    let mut m: Vec<(Value, Value)> = vec![
        (i(key::ID), t(card.personal_id.as_str())),
        (i(key::VERSION), t("1.0")),
        (i(key::LANGUAGE), t("vie")),
        (i(key::FULL_NAME), t(&card.full_name)),
    ];
    if let Some(s) = card.surname.as_deref().filter(|s| !s.is_empty()) {
        m.push((i(key::LAST_NAME), t(s)));
    }
    m.push((i(key::DATE_OF_BIRTH), t(&yyyymmdd(card.date_of_birth))));
    m.push((
        i(key::GENDER),
        i(match card.sex {
            Sex::Male => 1,
            Sex::Female => 2,
        }),
    ));
    m.push((i(key::ADDRESS), t(&card.residence)));
    m.push((i(key::NATIONALITY), t(&nationality_code(&card.nationality))));
    m.push((i(key::COUNTRY_OF_ISSUANCE), t("VNM")));
    if !card.place_of_origin.is_empty() {
        m.push((i(key::PLACE_OF_ORIGIN), t(&card.place_of_origin)));
    }
    if let Some(o) = &card.old_id {
        m.push((i(key::OLD_ID), t(o.as_str())));
    }
    m.push((i(key::ISSUE_DATE), t(&yyyymmdd(card.issue_date))));
    m.push((
        i(key::EXPIRY_DATE),
        t(&card.expiry_date.map_or_else(|| "none".to_owned(), yyyymmdd)),
    ));
    if let Some(s) = card.ethnicity.as_deref().filter(|s| !s.is_empty()) {
        m.push((i(key::ETHNICITY), t(s)));
    }
    if let Some(s) = card.religion.as_deref().filter(|s| !s.is_empty()) {
        m.push((i(key::RELIGION), t(s)));
    }
    m.push((i(key::CARD_MODEL), t(card.model().as_str())));
    m.push((i(key::KIND), t(KIND_CARD)));
    if let Some(s) = card.place_of_birth.as_deref().filter(|s| !s.is_empty()) {
        m.push((i(key::PLACE_OF_BIRTH), t(s)));
    }
    Value::Map(m)
}

/// Checks a confirmation's fields as the reader will (so that a signed
/// confirmation always reads back).
pub(crate) fn check_confirmation(c: &Confirmation) -> Result<(), SealError> {
    confirmation_code(&c.code, key::DOSSIER_CODE)?;
    personal_id(&c.personal_id)?;
    old_id(&c.old_id)?;
    non_empty(&c.full_name, key::FULL_NAME)?;
    non_empty(&c.office, key::OFFICE)?;
    Ok(())
}

/// The identity-data map of a confirmation, keys ascending.
pub(crate) fn confirmation_identity(c: &Confirmation) -> Value {
    Value::Map(vec![
        (i(key::ID), t(&c.personal_id)),
        (i(key::VERSION), t("1.0")),
        (i(key::LANGUAGE), t("vie")),
        (i(key::FULL_NAME), t(&c.full_name)),
        (i(key::DATE_OF_BIRTH), t(&yyyymmdd(c.date_of_birth))),
        (i(key::COUNTRY_OF_ISSUANCE), t("VNM")),
        (i(key::OLD_ID), t(&c.old_id)),
        (i(key::KIND), t(KIND_CONFIRMATION)),
        (i(key::DOSSIER_CODE), t(&c.code)),
        (i(key::DECIDED_ON), t(&yyyymmdd(c.decided_on))),
        (i(key::OFFICE), t(&c.office)),
    ])
}

fn bad(key: i64, detail: impl Into<String>) -> SealError {
    SealError::Claim {
        key,
        detail: detail.into(),
    }
}

fn non_empty(s: &str, key: i64) -> Result<(), SealError> {
    if s.trim().is_empty() {
        Err(bad(key, "empty"))
    } else {
        Ok(())
    }
}

fn personal_id(s: &str) -> Result<(), SealError> {
    PersonalId::parse(s)
        .map(|_| ())
        .map_err(|_| bad(key::ID, "not a 12-digit personal ID number"))
}

fn old_id(s: &str) -> Result<(), SealError> {
    OldId::parse(s)
        .map(|_| ())
        .map_err(|_| bad(key::OLD_ID, "not a 9- or 12-digit CMND number"))
}

fn confirmation_code(s: &str, key: i64) -> Result<(), SealError> {
    if s.len() != cancuoc_core::dossier::code::CODE_LEN || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(key, "not a 16-digit dossier code"));
    }
    cancuoc_core::dossier::DossierCode::parse(s)
        .map(|_| ())
        .map_err(|_| bad(key, "dossier code check digit is wrong"))
}

/// Reads the claim-169 map: every key typed, unknown keys collected.
pub(crate) fn read_identity(map: &[(Value, Value)]) -> Result<(Identity, Vec<i64>), SealError> {
    let mut id = Identity::default();
    let mut unknown = Vec::new();
    let mut seen: Vec<i64> = Vec::with_capacity(map.len());
    for (k, v) in map {
        let key = match k {
            Value::Integer(n) => i64::try_from(*n).map_err(|_| SealError::Cwt {
                detail: "claim 169 map key out of range".into(),
            })?,
            _ => {
                return Err(SealError::Cwt {
                    detail: "claim 169 map has a non-integer key".into(),
                });
            }
        };
        if seen.contains(&key) {
            return Err(bad(key, "key appears twice"));
        }
        seen.push(key);
        match key {
            key::GENDER | key::MARITAL_STATUS => {
                let n = match v {
                    Value::Integer(n) => i64::try_from(*n).map_err(|_| bad(key, "out of range"))?,
                    _ => return Err(bad(key, "not an integer")),
                };
                if key == key::GENDER {
                    id.gender = Some(n);
                } else {
                    id.marital_status = Some(n);
                }
            }
            _ if KEYS.iter().any(|info| info.key == key) => match v {
                Value::Text(s) => id.text.push((key, s.clone())),
                _ => return Err(bad(key, "not a text string")),
            },
            _ if known_not_shown(key) => id.not_shown.push(key),
            _ => unknown.push(key),
        }
    }
    id.text.sort_by_key(|(k, _)| *k);
    unknown.sort_unstable();
    Ok((id, unknown))
}

fn req(id: &Identity, key: i64) -> Result<&str, SealError> {
    id.text(key).ok_or_else(|| bad(key, "missing"))
}

fn date_of(id: &Identity, key: i64) -> Result<Date, SealError> {
    parse_date(req(id, key)?).ok_or_else(|| bad(key, "not a date YYYYMMDD"))
}

fn opt(id: &Identity, key: i64) -> Option<String> {
    id.text(key).map(str::to_owned)
}

/// The document the identity data describes, by its kind (key 82).
pub(crate) fn read_document(id: &Identity) -> Result<Document, SealError> {
    match id.text(key::KIND) {
        None => Ok(Document::Other),
        Some(KIND_CARD) => {
            let pid = req(id, key::ID)?;
            personal_id(pid)?;
            let sex = match id.gender {
                Some(1) => Sex::Male,
                Some(2) => Sex::Female,
                Some(_) => return Err(bad(key::GENDER, "not 1 (male) or 2 (female)")),
                None => return Err(bad(key::GENDER, "missing")),
            };
            let expiry_date = match req(id, key::EXPIRY_DATE)? {
                "none" => None,
                s => Some(
                    parse_date(s)
                        .ok_or_else(|| bad(key::EXPIRY_DATE, "not a date YYYYMMDD or \"none\""))?,
                ),
            };
            if let Some(o) = id.text(key::OLD_ID) {
                old_id(o)?;
            }
            let card_model = req(id, key::CARD_MODEL)?;
            if card_model != "2021" && card_model != "2024" {
                return Err(bad(key::CARD_MODEL, "not \"2021\" or \"2024\""));
            }
            Ok(Document::Card(CardClaims {
                personal_id: pid.to_owned(),
                full_name: req(id, key::FULL_NAME)?.to_owned(),
                surname: opt(id, key::LAST_NAME),
                date_of_birth: date_of(id, key::DATE_OF_BIRTH)?,
                sex,
                nationality: opt(id, key::NATIONALITY),
                place_of_origin: opt(id, key::PLACE_OF_ORIGIN),
                place_of_birth: opt(id, key::PLACE_OF_BIRTH),
                residence: req(id, key::ADDRESS)?.to_owned(),
                issue_date: date_of(id, key::ISSUE_DATE)?,
                expiry_date,
                old_id: opt(id, key::OLD_ID),
                ethnicity: opt(id, key::ETHNICITY),
                religion: opt(id, key::RELIGION),
                card_model: card_model.to_owned(),
            }))
        }
        Some(KIND_CONFIRMATION) => {
            let c = Confirmation {
                code: req(id, key::DOSSIER_CODE)?.to_owned(),
                personal_id: req(id, key::ID)?.to_owned(),
                full_name: req(id, key::FULL_NAME)?.to_owned(),
                date_of_birth: date_of(id, key::DATE_OF_BIRTH)?,
                old_id: req(id, key::OLD_ID)?.to_owned(),
                decided_on: date_of(id, key::DECIDED_ON)?,
                office: req(id, key::OFFICE)?.to_owned(),
            };
            check_confirmation(&c)?;
            Ok(Document::Confirmation(c))
        }
        Some(_) => Err(bad(key::KIND, "unknown document kind")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_forms_of_the_spec_read() {
        let d = jiff::civil::date(1984, 4, 18);
        assert_eq!(parse_date("19840418"), Some(d));
        assert_eq!(parse_date("1984-04-18"), Some(d));
        assert_eq!(parse_date(&yyyymmdd(d)), Some(d));
        for bad in [
            "1984041",
            "19841318",
            "1984/04/18",
            "+1984041",
            "",
            "١٩٨٤٠٤١٨",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn keys_are_ascending_and_unique() {
        assert!(KEYS.windows(2).all(|w| w[0].key < w[1].key));
        assert!(
            KEYS.iter()
                .all(|k| (1..=23).contains(&k.key) || (75..=99).contains(&k.key))
        );
    }
}
