//! The password policy of electronic identity accounts (quy định mật khẩu),
//! as data: [`PasswordPolicy::SEED`] is the rule the national public-service
//! portal and VNeID state in their forgotten-password steps (seed 002,
//! DESIGN.md §2.8): "mật khẩu từ 8 đến 20 ký tự, bao gồm chữ số, chữ in hoa,
//! chữ thường và ít nhất một ký tự đặc biệt !@#$^*()_".
//!
//! [`PasswordPolicy::check`] reports every rule a password fails at once, so
//! a form can show them all. Beyond the published rule it refuses common
//! passwords ([`is_common`], the list in `data/passwords/common.txt`, with
//! its sources) and passwords that contain the citizen's personal ID, phone
//! number or date of birth ([`PersonalData`]), as NIST SP 800-63B §5.1.1.2
//! asks of verifiers. No message ever repeats the password.

use std::sync::LazyLock;

use jiff::civil::Date;
use serde::Serialize;

use crate::i18n::{Lang, Localized};

/// The password rules, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Fewest characters (Unicode scalar values).
    pub min_chars: usize,
    /// Most characters.
    pub max_chars: usize,
    /// The special characters allowed; any other character that is not an
    /// ASCII letter or digit is refused.
    pub specials: &'static str,
    /// At least one ASCII digit.
    pub require_digit: bool,
    /// At least one ASCII upper-case letter.
    pub require_upper: bool,
    /// At least one ASCII lower-case letter.
    pub require_lower: bool,
    /// At least one of [`Self::specials`].
    pub require_special: bool,
}

impl PasswordPolicy {
    /// The rule of the national public-service portal and VNeID (seed 002):
    /// 8 to 20 characters with a digit, an upper-case and a lower-case
    /// letter and at least one of `!@#$^*()_`.
    pub const SEED: Self = Self {
        min_chars: 8,
        max_chars: 20,
        specials: "!@#$^*()_",
        require_digit: true,
        require_upper: true,
        require_lower: true,
        require_special: true,
    };

    fn is_special(&self, c: char) -> bool {
        self.specials.contains(c)
    }

    /// Checks a password; on failure, every rule it fails, in the order of
    /// [`PasswordProblem`]'s variants (one [`PasswordProblem::ContainsPersonalData`]
    /// per kind of personal data found).
    pub fn check(
        &self,
        password: &str,
        personal: &PersonalData<'_>,
    ) -> Result<(), Vec<PasswordProblem>> {
        let mut problems = Vec::new();
        let chars = password.chars().count();
        if chars < self.min_chars {
            problems.push(PasswordProblem::TooShort {
                min: self.min_chars,
                chars,
            });
        } else if chars > self.max_chars {
            problems.push(PasswordProblem::TooLong {
                max: self.max_chars,
                chars,
            });
        }
        let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c));
        if self.require_digit && !has(char::is_ascii_digit) {
            problems.push(PasswordProblem::NoDigit);
        }
        if self.require_upper && !has(char::is_ascii_uppercase) {
            problems.push(PasswordProblem::NoUpper);
        }
        if self.require_lower && !has(char::is_ascii_lowercase) {
            problems.push(PasswordProblem::NoLower);
        }
        if self.require_special && !password.chars().any(|c| self.is_special(c)) {
            problems.push(PasswordProblem::NoSpecial {
                specials: self.specials,
            });
        }
        if let Some(ch) = password
            .chars()
            .find(|&c| !c.is_ascii_alphanumeric() && !self.is_special(c))
        {
            problems.push(PasswordProblem::ForbiddenChar { ch });
        }
        if is_common(password) {
            problems.push(PasswordProblem::Common);
        }
        for what in personal.found_in(password) {
            problems.push(PasswordProblem::ContainsPersonalData { what });
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The rules in words, one line each, for display beside a password
    /// field.
    pub fn describe(&self, lang: Lang) -> Vec<String> {
        let vi = lang == Lang::Vi;
        let mut rules = vec![if vi {
            format!("Từ {} đến {} ký tự", self.min_chars, self.max_chars)
        } else {
            format!("{} to {} characters", self.min_chars, self.max_chars)
        }];
        let mut push = |on: bool, text_vi: String, text_en: String| {
            if on {
                rules.push(if vi { text_vi } else { text_en });
            }
        };
        push(
            self.require_digit,
            "Ít nhất một chữ số (0–9)".into(),
            "At least one digit (0–9)".into(),
        );
        push(
            self.require_upper,
            "Ít nhất một chữ in hoa (A–Z)".into(),
            "At least one upper-case letter (A–Z)".into(),
        );
        push(
            self.require_lower,
            "Ít nhất một chữ thường (a–z)".into(),
            "At least one lower-case letter (a–z)".into(),
        );
        push(
            self.require_special,
            format!("Ít nhất một ký tự đặc biệt trong {}", self.specials),
            format!("At least one special character of {}", self.specials),
        );
        push(
            true,
            format!(
                "Chỉ gồm chữ cái không dấu, chữ số và các ký tự đặc biệt {} (không dấu cách)",
                self.specials
            ),
            format!(
                "Only unaccented letters, digits and the special characters {} (no spaces)",
                self.specials
            ),
        );
        push(
            true,
            "Không dùng mật khẩu phổ biến, dễ đoán (như Matkhau@123)".into(),
            "Not a common, easily guessed password (such as Password@123)".into(),
        );
        push(
            true,
            "Không chứa số định danh cá nhân, số điện thoại hay ngày sinh của bạn".into(),
            "Not containing your personal ID number, phone number or date of birth".into(),
        );
        rules
    }
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self::SEED
    }
}

/// What is known of the account holder, to refuse passwords built from it.
/// Empty fields (`""`, `None`) are not checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PersonalData<'a> {
    /// The 12-digit personal ID number (số định danh cá nhân), the account's
    /// user name; separators are ignored.
    pub personal_id: &'a str,
    /// The date of birth, when known to the day.
    pub date_of_birth: Option<Date>,
    /// The year of birth, when only the year is known (or as well).
    pub birth_year: Option<i16>,
    /// The phone number as stored or typed (`0912345678`, `+84 912 345 678`).
    pub phone: &'a str,
}

impl PersonalData<'_> {
    /// The kinds of personal data found in a password, each once, in the
    /// order of [`PersonalField`]. Digits are sought in the password with
    /// every character other than a letter or digit removed, so
    /// `15_03_1990` counts as `15031990`.
    fn found_in(&self, password: &str) -> Vec<PersonalField> {
        let hay: String = password.chars().filter(|c| c.is_alphanumeric()).collect();
        let mut found = Vec::new();

        // Any password holding the ID holds its last 6 digits.
        let id = digits(self.personal_id);
        if id.len() >= 6 && hay.contains(&id[id.len() - 6..]) {
            found.push(PersonalField::PersonalId);
        }

        // 0912345678, +84912345678, 84912345678 and 912345678 all hold the
        // last 9 digits, the subscriber number without 0 or 84.
        let phone = digits(self.phone);
        let subscriber = &phone[phone.len().saturating_sub(9)..];
        if subscriber.len() >= 6 && hay.contains(subscriber) {
            found.push(PersonalField::Phone);
        }

        let mut forms = Vec::new();
        if let Some(d) = self.date_of_birth {
            let (y, m, dd) = (d.year(), d.month(), d.day());
            forms.push(format!("{dd:02}{m:02}{y:04}"));
            forms.push(format!("{dd:02}{m:02}{:02}", y.rem_euclid(100)));
            forms.push(format!("{y:04}{m:02}{dd:02}"));
        }
        for y in [self.date_of_birth.map(|d| d.year()), self.birth_year]
            .into_iter()
            .flatten()
            .filter(|y| (1000..=9999).contains(y))
        {
            forms.push(y.to_string());
        }
        if forms.iter().any(|f| hay.contains(f.as_str())) {
            found.push(PersonalField::BirthDate);
        }
        found
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A kind of personal data a password must not contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalField {
    /// The personal ID number, or its last 6 digits.
    PersonalId,
    /// The phone number, in any of its forms.
    Phone,
    /// The date of birth (ddmmyyyy, ddmmyy, yyyymmdd) or the year of birth.
    BirthDate,
}

impl PersonalField {
    /// The stable code: `personal_id`, `phone` or `birth_date`.
    pub const fn code(self) -> &'static str {
        match self {
            PersonalField::PersonalId => "personal_id",
            PersonalField::Phone => "phone",
            PersonalField::BirthDate => "birth_date",
        }
    }
}

/// A rule a password fails.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordProblem {
    /// Fewer characters than the policy's minimum.
    #[error("the password must have at least {min} characters (it has {chars})")]
    TooShort {
        /// The policy's minimum.
        min: usize,
        /// The password's length in characters.
        chars: usize,
    },
    /// More characters than the policy's maximum.
    #[error("the password may have at most {max} characters (it has {chars})")]
    TooLong {
        /// The policy's maximum.
        max: usize,
        /// The password's length in characters.
        chars: usize,
    },
    /// No ASCII digit.
    #[error("the password must contain a digit")]
    NoDigit,
    /// No ASCII upper-case letter.
    #[error("the password must contain an upper-case letter")]
    NoUpper,
    /// No ASCII lower-case letter.
    #[error("the password must contain a lower-case letter")]
    NoLower,
    /// None of the allowed special characters.
    #[error("the password must contain one of {specials}")]
    NoSpecial {
        /// The allowed special characters.
        specials: &'static str,
    },
    /// A character that is neither an ASCII letter or digit nor an allowed
    /// special character (a space, `%`, a letter with a diacritic).
    #[error("the password must not contain {ch:?}")]
    ForbiddenChar {
        /// The first such character.
        ch: char,
    },
    /// On the blocklist of common passwords, or a blocklisted word with
    /// digits or symbols added at the end ([`is_common`]).
    #[error("the password is too common")]
    Common,
    /// Contains the holder's personal data.
    #[error("the password must not contain your {}", what.code())]
    ContainsPersonalData {
        /// Which data.
        what: PersonalField,
    },
}

/// How a forbidden character is named in a message: never the password,
/// only the character.
fn char_name(ch: char, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    if ch == ' ' || (ch.is_whitespace() && !ch.is_control()) {
        if vi { "dấu cách" } else { "a space" }.to_owned()
    } else if ch.is_control() {
        let code = format!("U+{:04X}", u32::from(ch));
        if vi {
            format!("ký tự điều khiển {code}")
        } else {
            format!("the control character {code}")
        }
    } else if vi {
        format!("ký tự “{ch}”")
    } else {
        format!("the character “{ch}”")
    }
}

impl Localized for PasswordProblem {
    fn code(&self) -> &'static str {
        match self {
            PasswordProblem::TooShort { .. } => "password.too_short",
            PasswordProblem::TooLong { .. } => "password.too_long",
            PasswordProblem::NoDigit => "password.no_digit",
            PasswordProblem::NoUpper => "password.no_upper",
            PasswordProblem::NoLower => "password.no_lower",
            PasswordProblem::NoSpecial { .. } => "password.no_special",
            PasswordProblem::ForbiddenChar { .. } => "password.forbidden_char",
            PasswordProblem::Common => "password.common",
            PasswordProblem::ContainsPersonalData { .. } => "password.personal_data",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            PasswordProblem::TooShort { min, chars } => {
                format!("Mật khẩu phải có ít nhất {min} ký tự (hiện có {chars})")
            }
            PasswordProblem::TooLong { max, chars } => {
                format!("Mật khẩu chỉ được có tối đa {max} ký tự (hiện có {chars})")
            }
            PasswordProblem::NoDigit => "Mật khẩu phải có ít nhất một chữ số (0–9)".to_owned(),
            PasswordProblem::NoUpper => {
                "Mật khẩu phải có ít nhất một chữ in hoa (A–Z)".to_owned()
            }
            PasswordProblem::NoLower => {
                "Mật khẩu phải có ít nhất một chữ thường (a–z)".to_owned()
            }
            PasswordProblem::NoSpecial { specials } => {
                format!("Mật khẩu phải có ít nhất một ký tự đặc biệt trong {specials}")
            }
            PasswordProblem::ForbiddenChar { ch } => format!(
                "Mật khẩu không được chứa {}: chỉ dùng chữ cái không dấu (a–z, A–Z), chữ số và các ký tự đặc biệt được phép",
                char_name(*ch, Lang::Vi)
            ),
            PasswordProblem::Common => {
                "Mật khẩu này quá phổ biến nên dễ bị đoán (kể cả khi thêm chữ số hay ký tự đặc biệt ở cuối): hãy chọn mật khẩu khác".to_owned()
            }
            PasswordProblem::ContainsPersonalData { what } => match what {
                PersonalField::PersonalId => {
                    "Mật khẩu không được chứa số định danh cá nhân của bạn (kể cả 6 chữ số cuối)"
                }
                PersonalField::Phone => "Mật khẩu không được chứa số điện thoại của bạn",
                PersonalField::BirthDate => {
                    "Mật khẩu không được chứa ngày sinh của bạn (kể cả năm sinh)"
                }
            }
            .to_owned(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            PasswordProblem::TooShort { min, chars } => {
                format!("The password must have at least {min} characters (it has {chars})")
            }
            PasswordProblem::TooLong { max, chars } => {
                format!("The password may have at most {max} characters (it has {chars})")
            }
            PasswordProblem::NoDigit => {
                "The password must contain at least one digit (0–9)".to_owned()
            }
            PasswordProblem::NoUpper => {
                "The password must contain at least one upper-case letter (A–Z)".to_owned()
            }
            PasswordProblem::NoLower => {
                "The password must contain at least one lower-case letter (a–z)".to_owned()
            }
            PasswordProblem::NoSpecial { specials } => {
                format!("The password must contain at least one special character of {specials}")
            }
            PasswordProblem::ForbiddenChar { ch } => format!(
                "The password must not contain {}: use only unaccented letters (a–z, A–Z), digits and the allowed special characters",
                char_name(*ch, Lang::En)
            ),
            PasswordProblem::Common => {
                "This password is too common and easy to guess (even with digits or special characters added at the end): choose another one".to_owned()
            }
            PasswordProblem::ContainsPersonalData { what } => match what {
                PersonalField::PersonalId => {
                    "The password must not contain your personal ID number (nor its last 6 digits)"
                }
                PersonalField::Phone => "The password must not contain your phone number",
                PersonalField::BirthDate => {
                    "The password must not contain your date of birth (nor your year of birth)"
                }
            }
            .to_owned(),
        }
    }
}

/// The blocklist, one lower-case password a line, `#` comments; its
/// header names the sources.
const COMMON_TXT: &str = include_str!("../../data/passwords/common.txt");

/// The blocklist, sorted and deduplicated once.
static COMMON: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut list: Vec<&'static str> = COMMON_TXT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    list.sort_unstable();
    list.dedup();
    list
});

fn blocklisted(folded: &str) -> bool {
    COMMON.binary_search(&folded).is_ok()
}

/// The blocklist of common passwords (`data/passwords/common.txt`): lower
/// case, sorted, without duplicates.
pub fn common_passwords() -> &'static [&'static str] {
    &COMMON
}

/// Whether a password is common: lower-cased, it is on the blocklist
/// (`data/passwords/common.txt`), or its stem is — the lower-cased password
/// with its trailing digits and symbols stripped, so `Password@123` →
/// `password` and `Matkhau@2024` → `matkhau` are refused.
pub fn is_common(password: &str) -> bool {
    let folded = password.to_lowercase();
    if blocklisted(&folded) {
        return true;
    }
    let stem = folded.trim_end_matches(|c: char| !c.is_alphabetic());
    !stem.is_empty() && stem.len() < folded.len() && blocklisted(stem)
}
