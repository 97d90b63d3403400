//! The text formats the REST API reads (định dạng dữ liệu vào): a dossier
//! code, a personal ID, a date of birth that may lack its day, an old CMND
//! number, an idempotency key. Each is a schema type (a `value_type` for a
//! parameter or a body member) whose `pattern` says what the handler's
//! parser accepts, so the spec and the validation agree: a value the
//! pattern admits is read (a dossier code may still fail its check digit
//! or date, which the 400 of the route says), a value it refuses is a 400.
//!
//! The patterns are ECMA-262 regular expressions, as OpenAPI asks. The
//! parsers are sometimes more lenient than the pattern (surrounding
//! whitespace is trimmed, a dossier code may carry tabs or Unicode dashes);
//! the spec promises the common form, never more than the parser reads.

use std::borrow::Cow;

use serde_json::json;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
use utoipa::openapi::{Ref, RefOr, Required, Schema};
use utoipa::{IntoParams, PartialSchema, ToSchema};

/// A string schema with a pattern, a description and an example.
fn text(pattern: &str, description: &str, example: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(description))
        .examples([json!(example)])
}

/// Mã hồ sơ: 16 digits; spaces and hyphens between them are ignored
/// (`0790 251121 48213 7`, `0790-2511-2148-2137`), as
/// `DossierCode::parse` reads them.
pub struct DossierCodeText;

impl DossierCodeText {
    /// 16 digits with any spaces and hyphens around and between them.
    pub const PATTERN: &'static str = "^[ -]*([0-9][ -]*){16}$";
}

impl PartialSchema for DossierCodeText {
    fn schema() -> RefOr<Schema> {
        text(
            Self::PATTERN,
            "Mã hồ sơ: 16 digits (office, YYMMDD, random part, Damm check digit); spaces and \
             hyphens are ignored. A code of this shape may still be refused (400) for its \
             check digit or an impossible date.",
            "0790251121482133",
        )
        .min_length(Some(16))
        .into()
    }
}

impl ToSchema for DossierCodeText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("DossierCode")
    }
}

/// Số định danh cá nhân: exactly 12 digits, as `PersonalId::parse` reads
/// them.
pub struct PersonalIdText;

impl PersonalIdText {
    /// Exactly 12 ASCII digits.
    pub const PATTERN: &'static str = "^[0-9]{12}$";
}

impl PartialSchema for PersonalIdText {
    fn schema() -> RefOr<Schema> {
        text(
            Self::PATTERN,
            "Số định danh cá nhân: 12 digits.",
            "079190012347",
        )
        .into()
    }
}

impl ToSchema for PersonalIdText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PersonalId")
    }
}

/// A date of birth known to the year, the month or the day: `YYYY`,
/// `YYYY-MM` (month 01–12) or a real calendar date `YYYY-MM-DD`, as
/// `PartialDate` reads it.
pub struct PartialDateText;

impl PartialDateText {
    /// `YYYY` or `YYYY-MM`; the full date is `format: date`.
    pub const PARTIAL_PATTERN: &'static str = "^[0-9]{4}(-(0[1-9]|1[0-2]))?$";
}

impl PartialSchema for PartialDateText {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(Self::PARTIAL_PATTERN))
                    .description(Some(
                        "Only the year (`YYYY`) or year and month (`YYYY-MM`).",
                    )),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                    .description(Some("A real calendar date, `YYYY-MM-DD`.")),
            )
            .description(Some(
                "Ngày sinh: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` when only part of it is known.",
            ))
            .examples([json!("1990-05-17"), json!("1990-05"), json!("1990")])
            .into()
    }
}

impl ToSchema for PartialDateText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PartialDate")
    }
}

/// Giới tính as a registration may write it: the spellings `Sex::parse`
/// reads (in any case, trimmed; the spec lists them lower-case).
pub struct SexText;

impl SexText {
    /// Every spelling read, lower-case.
    pub const SPELLINGS: [&'static str; 7] = ["male", "female", "nam", "nữ", "nu", "m", "f"];
}

impl PartialSchema for SexText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Self::SPELLINGS))
            .description(Some(
                "Giới tính: `male`/`nam`/`m` or `female`/`nữ`/`nu`/`f` (any case).",
            ))
            .examples([json!("male")])
            .into()
    }
}

impl ToSchema for SexText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("SexInput")
    }
}

/// The letters of a name as the spec writes them: ASCII, the Vietnamese
/// letters of Latin-1 and Latin Extended-A, and the Vietnamese block
/// U+1EA0–U+1EF9 (every one alphabetic, as `FullName::parse` asks), with
/// the apostrophe, hyphen and dot it also reads.
const NAME_CHARS: &str = "A-Za-zÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ'.-";

/// Họ và tên: words of letters separated by single spaces, 2 to 100
/// characters, as `FullName::parse` reads them (it also reads letters of
/// other scripts and collapses runs of spaces; the spec promises the
/// Vietnamese form).
pub struct FullNameText;

impl FullNameText {
    /// Words of [`NAME_CHARS`], one space between them.
    pub fn pattern() -> String {
        format!("^[{NAME_CHARS}]+( [{NAME_CHARS}]+)*$")
    }
}

impl PartialSchema for FullNameText {
    fn schema() -> RefOr<Schema> {
        text(
            &Self::pattern(),
            "Họ, chữ đệm và tên: letters (Vietnamese diacritics included), apostrophes, \
             hyphens and dots, words separated by one space; 2 to 100 characters. Anything \
             else is refused (422, `name.*`).",
            "Nguyễn Văn An",
        )
        .min_length(Some(2))
        .max_length(Some(100))
        .into()
    }
}

impl ToSchema for FullNameText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FullName")
    }
}

/// A place or other free text of a citizen record (quê quán, nơi thường
/// trú, dân tộc …): not blank, at most 200 characters, without `<`, `>`
/// or control characters, as the service's registration check reads it.
pub struct PlaceText;

impl PlaceText {
    /// At least one non-space character; none of `<`, `>`, C0 or C1
    /// controls.
    pub const PATTERN: &'static str = "^[^<>\\u0000-\\u001F\\u007F-\\u009F]*[^\\s<>\\u0000-\\u001F\\u007F-\\u009F][^<>\\u0000-\\u001F\\u007F-\\u009F]*$";
}

impl PartialSchema for PlaceText {
    fn schema() -> RefOr<Schema> {
        text(
            Self::PATTERN,
            "Free text of a record (a place, nationality, ethnicity, religion): not blank, at \
             most 200 characters, without `<`, `>` or control characters (else 422, \
             `citizen.text_*`). Surrounding spaces are trimmed.",
            "Số 1, Phường Mẫu, Hà Nội",
        )
        .min_length(Some(1))
        .max_length(Some(200))
        .into()
    }
}

impl ToSchema for PlaceText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PlaceText")
    }
}

/// Số điện thoại di động: a Vietnamese mobile number, `0` and 9 digits
/// with a mobile prefix, as `PhoneNumber::parse` reads it (it also reads
/// `+84`, spaces, dots, hyphens and brackets; the spec promises the form
/// it is stored in).
pub struct PhoneText;

impl PhoneText {
    /// The mobile prefixes after the `0` (the parser's list).
    pub const PREFIXES: [&'static str; 36] = [
        "32", "33", "34", "35", "36", "37", "38", "39", "52", "55", "56", "58", "59", "70", "76",
        "77", "78", "79", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92",
        "93", "94", "96", "97", "98", "99",
    ];

    /// `0`, one of [`Self::PREFIXES`], 7 digits.
    pub fn pattern() -> String {
        format!("^0({})[0-9]{{7}}$", Self::PREFIXES.join("|"))
    }
}

impl PartialSchema for PhoneText {
    fn schema() -> RefOr<Schema> {
        text(
            &Self::pattern(),
            "Số điện thoại di động: `0` and 9 digits with a Vietnamese mobile prefix (`+84 …`, \
             spaces and dots are read too). Anything else is refused (422, `phone.*`).",
            "0912345678",
        )
        .into()
    }
}

impl ToSchema for PhoneText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("MobilePhone")
    }
}

/// Số CMND cũ: 9 or 12 digits, as the store checks them.
pub struct CmndText;

impl CmndText {
    /// 9 or 12 ASCII digits.
    pub const PATTERN: &'static str = "^([0-9]{9}|[0-9]{12})$";
}

impl PartialSchema for CmndText {
    fn schema() -> RefOr<Schema> {
        text(
            Self::PATTERN,
            "Số CMND cũ: 9 digits (or 12 for a CCCD number).",
            "123456789",
        )
        .into()
    }
}

impl ToSchema for CmndText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("CmndNumber")
    }
}

/// The `Idempotency-Key` header: 1 to 64 visible ASCII characters.
pub struct IdempotencyKeyText;

impl IdempotencyKeyText {
    /// 1–64 characters from `!` to `~`.
    pub const PATTERN: &'static str = "^[!-~]{1,64}$";
}

impl PartialSchema for IdempotencyKeyText {
    fn schema() -> RefOr<Schema> {
        text(
            Self::PATTERN,
            "1 to 64 visible ASCII characters; a retry under the same key returns the first \
             answer.",
            "3f1c2a9e-open-0001",
        )
        .min_length(Some(1))
        .max_length(Some(64))
        .into()
    }
}

impl ToSchema for IdempotencyKeyText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IdempotencyKey")
    }
}

/// The optional `Idempotency-Key` header as a parameter (written by hand:
/// a derived optional parameter would also admit `null`, which a header
/// cannot carry).
pub struct IdempotencyKeyHeader;

impl IntoParams for IdempotencyKeyHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "A retry under the same key returns the first request's answer instead of \
                     acting again; the same key with another request is 409.",
                ))
                .schema(Some(Ref::from_schema_name(IdempotencyKeyText::name())))
                .build(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::dossier::code::DossierCode;
    use cancuoc_core::id::PersonalId;
    use cancuoc_core::person::PartialDate;
    use proptest::prelude::*;

    /// The shapes each pattern admits are read by the parser, on named
    /// samples (the property tests below draw many more from the
    /// patterns themselves; `scripts/api-fuzz.sh` sends them to the
    /// server).
    #[test]
    fn what_the_patterns_describe_the_parsers_read() {
        for code in [
            "0790251121482133",
            "0790 251121 48213 3",
            "0790-2511-2148-2133",
            " 0790251121482133 ",
        ] {
            assert!(DossierCode::parse(code).is_ok(), "{code}");
        }
        assert!(PersonalId::parse("079190012347").is_ok());
        for d in [
            "1990",
            "1990-05",
            "1990-12",
            "1990-05-17",
            "0000",
            "9999-12-31",
        ] {
            assert!(d.parse::<PartialDate>().is_ok(), "{d}");
        }
        for d in ["1990-00", "1990-13", "1990-02-30", "199", "1990-5"] {
            assert!(d.parse::<PartialDate>().is_err(), "{d}");
        }
        for s in SexText::SPELLINGS {
            assert!(cancuoc_core::person::Sex::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn each_format_is_a_named_string_schema_with_a_pattern() {
        let cases = [
            (DossierCodeText::name(), DossierCodeText::schema()),
            (PersonalIdText::name(), PersonalIdText::schema()),
            (CmndText::name(), CmndText::schema()),
            (IdempotencyKeyText::name(), IdempotencyKeyText::schema()),
        ];
        for (name, schema) in cases {
            let v = serde_json::to_value(schema).expect("json");
            assert_eq!(v["type"], "string", "{name}: {v}");
            assert!(v["pattern"].as_str().is_some_and(|p| p.starts_with('^')));
        }
        let v = serde_json::to_value(PartialDateText::schema()).expect("json");
        assert_eq!(v["oneOf"][1]["format"], "date", "{v}");
    }

    /// Strings drawn from an anchored pattern (proptest's generator reads
    /// no anchors; every pattern here is anchored at both ends).
    fn drawn(pattern: &str) -> impl Strategy<Value = String> {
        let inner = pattern
            .strip_prefix('^')
            .and_then(|p| p.strip_suffix('$'))
            .expect("an anchored pattern");
        proptest::string::string_regex(inner).expect("a pattern proptest reads")
    }

    /// A registration that passes the service's check, to vary one field
    /// of.
    fn registration() -> cancuoc_service::CitizenRegistration {
        use cancuoc_core::person::Sex;
        use cancuoc_service::model::{FieldProvenance, NewCitizen};
        cancuoc_service::CitizenRegistration {
            citizen: NewCitizen {
                personal_id: None,
                full_name: "Nguyễn Văn An".into(),
                dob: PartialDate::Year(1990),
                sex: Sex::Male,
                nationality: "Việt Nam".into(),
                ethnicity: "Kinh".into(),
                religion: "Không".into(),
                place_of_origin: "Hà Nội".into(),
                birth_registration: "Hà Nội".into(),
                permanent_residence: "Số 1, Phường Mẫu, Hà Nội".into(),
                temporary_residence: None,
                phone: None,
                old_cmnd: Vec::new(),
                provenance: FieldProvenance::all_verified("test"),
            },
            birth_registration_code: Some(1),
        }
    }

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 21)
    }

    /// The field names of the refusals of a registration's check.
    fn refused_fields(r: cancuoc_service::CitizenRegistration) -> Vec<&'static str> {
        r.checked(today())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| p.field)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every string of the dossier code's pattern is read as 16
        /// digits: refused, if at all, only for its check digit or date.
        #[test]
        fn a_dossier_code_of_the_pattern_fails_only_its_check_digit_or_date(
            s in drawn(DossierCodeText::PATTERN)
        ) {
            use cancuoc_core::dossier::code::DossierCodeError;
            match DossierCode::parse(&s) {
                Ok(_) | Err(DossierCodeError::BadCheckDigit | DossierCodeError::BadDate { .. }) => {}
                Err(e) => prop_assert!(false, "{s:?}: {e:?}"),
            }
        }

        #[test]
        fn a_personal_id_of_the_pattern_is_read(s in drawn(PersonalIdText::PATTERN)) {
            prop_assert!(PersonalId::parse(&s).is_ok(), "{s:?}");
        }

        #[test]
        fn a_partial_date_of_the_pattern_is_read(s in drawn(PartialDateText::PARTIAL_PATTERN)) {
            prop_assert!(s.parse::<PartialDate>().is_ok(), "{s:?}");
        }

        #[test]
        fn a_full_name_of_the_pattern_is_read(drawn in drawn(&FullNameText::pattern())) {
            // Within the 2 to 100 characters the schema also says: a one-
            // letter draw doubled, a long one cut after 100 characters
            // (still of the pattern without a trailing space).
            let s = if drawn.chars().count() < 2 { drawn.repeat(2) } else { drawn };
            let s: String = s.chars().take(100).collect::<String>().trim_end().to_owned();
            prop_assert!(cancuoc_core::person::FullName::parse(&s).is_ok(), "{s:?}");
            let mut r = registration();
            r.citizen.full_name = s.clone();
            prop_assert_eq!(refused_fields(r), Vec::<&str>::new(), "{:?}", s);
        }

        /// Every place text of the pattern, within its length, passes the
        /// service's check in each free-text field.
        #[test]
        fn a_place_of_the_pattern_is_read(s in drawn(PlaceText::PATTERN)) {
            prop_assume!(s.chars().count() <= 200);
            let mut r = registration();
            let c = &mut r.citizen;
            for field in [
                &mut c.place_of_origin,
                &mut c.birth_registration,
                &mut c.permanent_residence,
                &mut c.nationality,
                &mut c.ethnicity,
                &mut c.religion,
            ] {
                *field = s.clone();
            }
            c.temporary_residence = Some(s.clone());
            prop_assert_eq!(refused_fields(r), Vec::<&str>::new(), "{:?}", s);
        }

        #[test]
        fn a_phone_of_the_pattern_is_read(s in drawn(&PhoneText::pattern())) {
            prop_assert!(cancuoc_core::phone::PhoneNumber::parse(&s).is_ok(), "{s:?}");
            let mut r = registration();
            r.citizen.phone = Some(s.clone());
            prop_assert_eq!(refused_fields(r), Vec::<&str>::new(), "{:?}", s);
        }
    }

    /// The spec's mobile prefixes are exactly those the parser reads.
    #[test]
    fn the_phone_pattern_names_every_mobile_prefix() {
        let read: Vec<String> = (0..100)
            .map(|p| format!("{p:02}"))
            .filter(|p| cancuoc_core::phone::PhoneNumber::parse(&format!("0{p}1234567")).is_ok())
            .collect();
        assert_eq!(read, PhoneText::PREFIXES);
    }
}
