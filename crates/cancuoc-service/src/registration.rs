//! What a citizen registration must satisfy (đăng ký công dân): the one rule
//! behind the console's registration form, the REST API and the bulk tools
//! that register through the service. [`CitizenRegistration::checked`]
//! reads the record as every front end must — a name of letters
//! (`FullName`), a Vietnamese mobile number (`PhoneNumber`), a personal ID
//! whose century, sex and year digits agree with the date of birth and sex
//! (`PersonalId::check_consistency`), a date of birth not after today, the
//! place fields present, short and free of markup and control characters —
//! and gives every problem at once, each naming its field as the API names
//! it ([`FieldProblem`]). Where the record comes from (its provenance) is
//! not the front end's to claim: [`provenance_of`] says it from the
//! officer who registered it.

use cancuoc_core::i18n::Localized;
use cancuoc_core::person::{FullName, PartialDate};
use cancuoc_core::phone::PhoneNumber;
use cancuoc_store::{FieldProvenance, NewCitizen, Officer};
use jiff::civil::Date;

/// A registration (đăng ký công dân vào CSDLQG về dân cư).
#[derive(Clone, Debug)]
pub struct CitizenRegistration {
    /// The record. Without a personal ID, one is allocated. When an officer
    /// registers it, its provenance is replaced by [`provenance_of`] that
    /// officer; only the bulk tools acting as the system (no officer) keep
    /// the provenance they give.
    pub citizen: NewCitizen,
    /// Mã nơi đăng ký khai sinh (province 001–096 or country 101–295): the
    /// prefix of the allocated number; required when `citizen.personal_id`
    /// is `None`.
    pub birth_registration_code: Option<u16>,
}

/// One problem with one field of a request (lỗi một trường): the field as
/// the API names it, a stable code and both messages. Its messages do not
/// repeat the field's name (a form shows them beside the field); the
/// service error that carries it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field, as named in the API (`full_name`, `phone` …).
    pub field: &'static str,
    /// Stable code: the core parser's (`name.character`, `phone.prefix`,
    /// `id.mismatch.sex` …) or this module's (`citizen.*`).
    pub code: &'static str,
    /// What is wrong, in Vietnamese.
    pub message_vi: String,
    /// What is wrong, in English.
    pub message_en: String,
}

impl FieldProblem {
    /// A problem with `field`, worded by a localized error.
    pub fn of(field: &'static str, e: &(impl Localized + ?Sized)) -> Self {
        Self {
            field,
            code: e.code(),
            message_vi: e.message_vi(),
            message_en: e.message_en(),
        }
    }

    fn new(
        field: &'static str,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            field,
            code,
            message_vi: vi.into(),
            message_en: en.into(),
        }
    }
}

impl Localized for FieldProblem {
    fn code(&self) -> &'static str {
        self.code
    }
    fn message_vi(&self) -> String {
        self.message_vi.clone()
    }
    fn message_en(&self) -> String {
        self.message_en.clone()
    }
}

/// Longest accepted place, nationality, ethnicity or religion, in
/// characters (the console's fields hold as much).
pub const MAX_TEXT_CHARS: usize = 200;

/// The free-text fields: API name, Vietnamese and English label, required.
const TEXT_FIELDS: [(&str, &str, &str, bool); 7] = [
    ("place_of_origin", "quê quán", "place of origin", true),
    (
        "birth_registration",
        "nơi đăng ký khai sinh",
        "place of birth registration",
        true,
    ),
    (
        "permanent_residence",
        "nơi thường trú",
        "permanent residence",
        true,
    ),
    (
        "temporary_residence",
        "nơi tạm trú",
        "temporary residence",
        false,
    ),
    ("nationality", "quốc tịch", "nationality", true),
    ("ethnicity", "dân tộc", "ethnicity", true),
    ("religion", "tôn giáo", "religion", true),
];

/// A character as a message shows it: itself, or its code point when it
/// would not show.
fn shown(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        c.to_string()
    }
}

/// Checks one free-text field; returns it trimmed (`None` when blank).
fn text(
    (field, vi, en, required): (&'static str, &str, &str, bool),
    value: &str,
) -> Result<Option<String>, FieldProblem> {
    let t = value.trim();
    if t.is_empty() {
        return if required {
            Err(FieldProblem::new(
                field,
                "citizen.text_missing",
                format!("Hãy nhập {vi}."),
                format!("Enter the {en}."),
            ))
        } else {
            Ok(None)
        };
    }
    if let Some(c) = t
        .chars()
        .find(|&c| c.is_control() || matches!(c, '<' | '>'))
    {
        let c = shown(c);
        return Err(FieldProblem::new(
            field,
            "citizen.text_character",
            format!("Mục {vi} không được chứa ký tự “{c}”."),
            format!("The {en} must not contain “{c}”."),
        ));
    }
    let n = t.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(FieldProblem::new(
            field,
            "citizen.text_length",
            format!("Mục {vi} dài tối đa {MAX_TEXT_CHARS} ký tự (hiện có {n})."),
            format!("The {en} is at most {MAX_TEXT_CHARS} characters long (this one has {n})."),
        ));
    }
    Ok(Some(t.to_owned()))
}

/// Whether a possibly partial date of birth lies wholly after `today`.
fn after(dob: &PartialDate, today: Date) -> bool {
    match *dob {
        PartialDate::Full(d) => d > today,
        PartialDate::YearMonth { year, month } => (year, month) > (today.year(), today.month()),
        PartialDate::Year(y) => y > today.year(),
    }
}

impl CitizenRegistration {
    /// The registration as every front end must give it, on `today`: the
    /// name with its spaces collapsed, the phone as `0` + 9 digits, the
    /// text fields trimmed; or every problem, in the order of the fields.
    pub fn checked(mut self, today: Date) -> Result<Self, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let c = &mut self.citizen;
        match FullName::parse(&c.full_name) {
            Ok(n) => c.full_name = n.into_string(),
            Err(e) => problems.push(FieldProblem::of("full_name", &e)),
        }
        if after(&c.dob, today) {
            problems.push(FieldProblem::new(
                "dob",
                "citizen.dob_future",
                format!("Ngày sinh {} ở sau hôm nay ({today}).", c.dob),
                format!("The date of birth {} is after today ({today}).", c.dob),
            ));
        }
        match &c.personal_id {
            Some(id) => {
                // The number encodes the century, sex and year of birth: a
                // disagreement is a typo in one of the three fields.
                if let Some(m) = id.check_consistency(Some(c.dob), Some(c.sex)).first() {
                    problems.push(FieldProblem::of("personal_id", m));
                }
            }
            None if self.birth_registration_code.is_none() => {
                problems.push(FieldProblem::new(
                    "birth_registration_code",
                    "service.invalid_field",
                    "công dân chưa có số định danh: cần mã nơi đăng ký khai sinh (tỉnh 001–096 hoặc quốc gia 101–295) để cấp số",
                    "the citizen has no personal ID: the birth registration code (province 001–096 or country 101–295) is needed to assign one",
                ));
            }
            None => {}
        }
        let fields: [&mut String; 3] = [
            &mut c.place_of_origin,
            &mut c.birth_registration,
            &mut c.permanent_residence,
        ];
        for (spec, value) in TEXT_FIELDS[..3].iter().zip(fields) {
            match text(*spec, value) {
                Ok(t) => *value = t.unwrap_or_default(),
                Err(p) => problems.push(p),
            }
        }
        match c
            .temporary_residence
            .as_deref()
            .map(|t| text(TEXT_FIELDS[3], t))
        {
            None => {}
            Some(Ok(t)) => c.temporary_residence = t,
            Some(Err(p)) => problems.push(p),
        }
        let fields: [&mut String; 3] = [&mut c.nationality, &mut c.ethnicity, &mut c.religion];
        for (spec, value) in TEXT_FIELDS[4..].iter().zip(fields) {
            match text(*spec, value) {
                Ok(t) => *value = t.unwrap_or_default(),
                Err(p) => problems.push(p),
            }
        }
        match c.phone.as_deref().map(str::trim) {
            None | Some("") => c.phone = None,
            Some(p) => match PhoneNumber::parse(p) {
                Ok(n) => c.phone = Some(n.as_str().to_owned()),
                Err(e) => problems.push(FieldProblem::of("phone", &e)),
            },
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

/// The provenance of a record an officer registers (nguồn gốc dữ liệu):
/// every field verified — the officer saw the documents — with the source
/// naming the officer's role and office, e.g. `receptionist:0790`. Never
/// what a client claims.
pub fn provenance_of(officer: &Officer) -> FieldProvenance {
    FieldProvenance::all_verified(&format!("{}:{:04}", officer.role.code(), officer.office))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::id::PersonalId;
    use cancuoc_core::person::Sex;
    use cancuoc_store::Verification;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 21)
    }

    fn reg(name: &str, pid: Option<&str>, dob: &str, sex: Sex) -> CitizenRegistration {
        CitizenRegistration {
            citizen: NewCitizen {
                personal_id: pid.map(|p| PersonalId::parse(p).expect("id")),
                full_name: name.into(),
                dob: dob.parse().expect("dob"),
                sex,
                nationality: "Việt Nam".into(),
                ethnicity: "Kinh".into(),
                religion: "Không".into(),
                place_of_origin: "  Xã Bình Thử ".into(),
                birth_registration: "Tỉnh Thử Nghiệm".into(),
                permanent_residence: "Số 1/2, Thôn 1 (xóm Đông), Xã Bình Thử".into(),
                temporary_residence: Some("   ".into()),
                phone: Some("+84 90-000.0000".into()),
                old_cmnd: Vec::new(),
                provenance: FieldProvenance::all_verified("npd"),
            },
            birth_registration_code: None,
        }
    }

    fn codes(r: CitizenRegistration) -> Vec<(&'static str, &'static str)> {
        match r.checked(today()) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(|p| (p.field, p.code)).collect(),
        }
    }

    #[test]
    fn a_good_record_is_normalised() {
        let r = reg(
            "  Nguyễn   Văn An ",
            Some("079090012345"),
            "1990-05-17",
            Sex::Male,
        )
        .checked(today())
        .expect("valid");
        let c = &r.citizen;
        assert_eq!(c.full_name, "Nguyễn Văn An");
        assert_eq!(c.phone.as_deref(), Some("0900000000"));
        assert_eq!(c.place_of_origin, "Xã Bình Thử");
        assert_eq!(c.temporary_residence, None);
        // A bare year, a year and month, no phone.
        let mut r = reg("Lê Thị Hoa", None, "2001-03", Sex::Female);
        r.birth_registration_code = Some(1);
        r.citizen.phone = Some(" ".into());
        assert_eq!(r.checked(today()).expect("valid").citizen.phone, None);
    }

    #[test]
    fn markup_and_contradictions_are_named_by_field() {
        assert_eq!(
            codes(reg("<script>", Some("079090012345"), "1990", Sex::Male)),
            [("full_name", "name.character")]
        );
        let mut r = reg("Nguyễn Văn An", Some("079090012345"), "1990", Sex::Male);
        r.citizen.phone = Some("<script>alert(1)</script>".into());
        r.citizen.permanent_residence = "Thôn <b>1</b>".into();
        r.citizen.ethnicity = "Kinh\u{0}".into();
        r.citizen.religion = "x".repeat(MAX_TEXT_CHARS + 1);
        r.citizen.place_of_origin = " ".into();
        assert_eq!(
            codes(r),
            [
                ("place_of_origin", "citizen.text_missing"),
                ("permanent_residence", "citizen.text_character"),
                ("ethnicity", "citizen.text_character"),
                ("religion", "citizen.text_length"),
                ("phone", "phone.character"),
            ]
        );
        assert_eq!(
            codes(reg(
                "Nguyễn Thị An",
                Some("079090012345"),
                "1990",
                Sex::Female
            )),
            [("personal_id", "id.mismatch.sex")]
        );
        assert_eq!(
            codes(reg(
                "Nguyễn Văn An",
                Some("079090012345"),
                "1991-01",
                Sex::Male
            )),
            [("personal_id", "id.mismatch.year")]
        );
        assert_eq!(
            codes(reg(
                "Nguyễn Văn An",
                Some("079090012345"),
                "2090",
                Sex::Male
            )),
            [
                ("dob", "citizen.dob_future"),
                ("personal_id", "id.mismatch.century")
            ]
        );
        assert_eq!(
            codes(reg("Nguyễn Văn An", None, "1990", Sex::Male)),
            [("birth_registration_code", "service.invalid_field")]
        );
    }

    #[test]
    fn a_date_of_birth_is_future_only_when_all_of_it_is() {
        for (dob, future) in [
            ("2026-11-21", false),
            ("2026-11-22", true),
            ("2026-11", false),
            ("2026-12", true),
            ("2026", false),
            ("2027", true),
        ] {
            let d: PartialDate = dob.parse().expect("dob");
            assert_eq!(after(&d, today()), future, "{dob}");
        }
    }

    #[test]
    fn the_provenance_names_the_registering_officer() {
        let o = Officer {
            id: cancuoc_store::OfficerId(3),
            name: "Cán Bộ Thử".into(),
            role: cancuoc_core::dossier::workflow::Role::Receptionist,
            office: 790,
            active: true,
            created_at: 0,
        };
        let p = provenance_of(&o);
        assert_eq!(p.default.status, Verification::Verified);
        assert_eq!(p.default.source, "receptionist:0790");
        assert!(p.fields.is_empty());
    }

    #[test]
    fn a_problem_speaks_both_languages_without_its_field_name() {
        let p = match reg("A1", Some("079090012345"), "1990", Sex::Male).checked(today()) {
            Err(p) => p.into_iter().next().expect("a problem"),
            Ok(_) => panic!("accepted"),
        };
        assert_eq!(p.code(), "name.character");
        assert!(!p.message_vi().contains("full_name"));
        assert!(p.message_en().contains('1'), "{}", p.message_en());
    }
}
