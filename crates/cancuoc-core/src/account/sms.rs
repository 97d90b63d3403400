//! The texts sent to citizens by SMS, and how many segments (tin nhắn) a
//! text costs. Research: /work/shared/research/channels.md §4 — Vietnamese
//! OTP texts are sent without diacritics (the portal's own, quoted in seed
//! 002: "173825 la ma xac thuc danh nhap tren cong dich vu cong quoc gia.
//! ma co hieu luc trong vong 2 phut"), because of the Vietnamese letters
//! only `à è é ì ò ù É` are in the GSM 03.38 (3GPP TS 23.038) default
//! alphabet; one `ả`, `ơ`, `ư` or `đ` turns the whole text into UCS-2,
//! 70 characters a segment instead of 160.
//!
//! Every text here is ASCII and one GSM-7 segment (the tests check each).

use crate::account::otp::{OtpCode, OtpRules};
use crate::account::{AccountLevel, OtpPurpose};

/// Septets a character takes in the GSM 7-bit default alphabet: 1 for the
/// basic table, 2 for the basic extension table (escape + character),
/// `None` for a character outside both.
fn septets(c: char) -> Option<usize> {
    match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' => Some(1),
        ' ' | '!' | '"' | '#' | '%' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | '-' | '.'
        | '/' | ':' | ';' | '<' | '=' | '>' | '?' | '_' | '@' | '$' | '\n' | '\r' => Some(1),
        '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ' | 'Γ'
        | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡' | 'Ä'
        | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => Some(1),
        '\u{c}' | '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€' => Some(2),
        _ => None,
    }
}

/// Whether a text can be sent in the GSM 7-bit default alphabet (GSM 03.38
/// basic table and its basic extension table).
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| septets(c).is_some())
}

/// How many SMS segments a text is sent as (0 for an empty text).
///
/// GSM-7: up to 160 septets is one segment, a longer text is split into
/// parts of 153 (7 septets go to the concatenation header); an extension
/// character (`€`, `[`, `^` …) counts 2. Otherwise UCS-2: up to 70 UTF-16
/// units is one segment, longer texts parts of 67. As phones and carriers
/// do, an escape pair or a surrogate pair is never split across two parts,
/// so a part may hold one unit fewer than `ceil(n / 153)` (or `/ 67`)
/// assumes.
pub fn segments(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let gsm = is_gsm7(text);
    let widths: Vec<usize> = if gsm {
        text.chars().map(|c| septets(c).unwrap_or(1)).collect()
    } else {
        text.chars().map(char::len_utf16).collect()
    };
    let (single, part) = if gsm { (160, 153) } else { (70, 67) };
    if widths.iter().sum::<usize>() <= single {
        return 1;
    }
    let mut parts = 1;
    let mut used = 0;
    for w in widths {
        if used + w > part {
            parts += 1;
            used = 0;
        }
        used += w;
    }
    parts
}

/// What the code is for, in ASCII Vietnamese.
const fn purpose_ascii(purpose: OtpPurpose) -> &'static str {
    match purpose {
        OtpPurpose::Register => "dang ky",
        OtpPurpose::Login => "dang nhap",
        OtpPurpose::Reset => "dat lai mat khau",
        OtpPurpose::Unlock => "mo khoa",
    }
}

/// The SMS carrying a one-time code: the code first (phones offer to copy
/// it), what it is for, how long it is valid ([`OtpRules::SEED`]: 2
/// minutes) and a warning not to pass it on. ASCII, one GSM-7 segment:
///
/// `173825 la ma xac thuc dang nhap tai khoan dinh danh dien tu. Ma co hieu luc trong 2 phut. Khong cung cap ma cho bat ky ai.`
pub fn otp_text(code: &OtpCode, purpose: OtpPurpose) -> String {
    format!(
        "{} la ma xac thuc {} tai khoan dinh danh dien tu. Ma co hieu luc trong {} phut. Khong cung cap ma cho bat ky ai.",
        code.as_str(),
        purpose_ascii(purpose),
        OtpRules::SEED.ttl_secs / 60
    )
}

/// A notification without a code, sent when something happens to an
/// account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The password was reset.
    PasswordReset,
    /// The account was locked.
    Locked,
    /// The account was unlocked.
    Unlocked,
    /// Someone tried to register an account that already exists, with the
    /// holder's own data: no code is sent, the holder is told.
    AlreadyRegistered,
    /// The account's level changed.
    LevelChanged {
        /// The new level.
        level: AccountLevel,
    },
}

/// The SMS of a [`Notice`]: what happened, and what to do if the holder
/// did not ask for it. ASCII, one GSM-7 segment.
pub fn notice_text(kind: Notice) -> String {
    match kind {
        Notice::PasswordReset => "Mat khau tai khoan dinh danh dien tu cua ban vua duoc dat lai. Neu khong phai ban, hay khoa tai khoan ngay.".to_owned(),
        Notice::Locked => "Tai khoan dinh danh dien tu cua ban da bi khoa. Neu khong phai ban yeu cau, hay lien he co quan Cong an gan nhat.".to_owned(),
        Notice::Unlocked => "Tai khoan dinh danh dien tu cua ban da duoc mo khoa. Neu khong phai ban, hay khoa tai khoan ngay.".to_owned(),
        Notice::AlreadyRegistered => "Ban da co tai khoan dinh danh dien tu. Neu quen mat khau, hay dung chuc nang Quen mat khau. Neu khong phai ban, hay bo qua tin nay.".to_owned(),
        Notice::LevelChanged { level } => format!(
            "Tai khoan dinh danh dien tu cua ban da duoc chuyen sang muc do {}. Neu khong phai ban yeu cau, hay lien he co quan Cong an gan nhat.",
            level.as_u8()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_seed_text_is_one_gsm7_segment_and_two_with_diacritics() {
        let ascii = "173825 la ma xac thuc danh nhap tren cong dich vu cong quoc gia. ma co hieu luc trong vong 2 phut";
        assert_eq!(ascii.chars().count(), 97);
        assert!(is_gsm7(ascii));
        assert_eq!(segments(ascii), 1);
        let accented = "173825 là mã xác thực đăng nhập trên cổng dịch vụ công quốc gia. mã có hiệu lực trong vòng 2 phút";
        assert!(!is_gsm7(accented));
        assert_eq!(segments(accented), 2);
    }

    #[test]
    fn only_a_few_vietnamese_letters_are_gsm7() {
        assert!(is_gsm7("à è é ì ò ù É"));
        for c in [
            'ả', 'ạ', 'ơ', 'ư', 'đ', 'Đ', 'ê', 'ô', 'â', 'ă', 'á', 'ó', 'ú', 'í',
        ] {
            assert!(!is_gsm7(&c.to_string()), "{c}");
        }
        assert!(is_gsm7("[]{}^~|\\€"), "the extension table");
        assert!(!is_gsm7("`"), "the backtick is in neither table");
    }

    #[test]
    fn segment_boundaries() {
        let a = |n| "a".repeat(n);
        let u = |n| "ạ".repeat(n);
        assert_eq!(segments(""), 0);
        assert_eq!(segments(&a(160)), 1);
        assert_eq!(segments(&a(161)), 2);
        assert_eq!(segments(&a(306)), 2);
        assert_eq!(segments(&a(307)), 3);
        assert_eq!(segments(&a(459)), 3);
        assert_eq!(segments(&a(460)), 4);
        assert_eq!(segments(&"€".repeat(80)), 1, "160 septets");
        assert_eq!(segments(&"€".repeat(81)), 2);
        assert_eq!(segments(&u(70)), 1);
        assert_eq!(segments(&u(71)), 2);
        assert_eq!(segments(&u(134)), 2);
        assert_eq!(segments(&u(135)), 3);
        assert_eq!(segments(&"😀".repeat(35)), 1, "70 UTF-16 units");
        assert_eq!(segments(&"😀".repeat(36)), 2);
    }

    #[test]
    fn pairs_are_not_split_across_parts() {
        // 306 septets would be 2 parts, but the € cannot straddle the
        // first part's end, and the second part then overflows.
        let gsm = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(segments(&gsm), 3);
        let ucs = format!("{}😀{}", "ạ".repeat(66), "ạ".repeat(66));
        assert_eq!(segments(&ucs), 3);
    }

    #[test]
    fn every_otp_text_is_one_ascii_gsm7_segment() {
        let code = OtpCode::from_random(|| 173_825);
        for purpose in OtpPurpose::ALL {
            let text = otp_text(&code, purpose);
            assert!(text.starts_with("173825 la ma xac thuc "), "{text}");
            assert!(text.contains("trong 2 phut"), "{text}");
            assert!(text.is_ascii() && is_gsm7(&text), "{text}");
            assert_eq!(segments(&text), 1, "{} chars: {text}", text.len());
        }
        assert_eq!(
            otp_text(&code, OtpPurpose::Login),
            "173825 la ma xac thuc dang nhap tai khoan dinh danh dien tu. Ma co hieu luc trong 2 phut. Khong cung cap ma cho bat ky ai."
        );
    }

    #[test]
    fn every_notice_is_one_ascii_gsm7_segment() {
        let notices = [
            Notice::PasswordReset,
            Notice::AlreadyRegistered,
            Notice::Locked,
            Notice::Unlocked,
            Notice::LevelChanged {
                level: AccountLevel::One,
            },
            Notice::LevelChanged {
                level: AccountLevel::Two,
            },
        ];
        for notice in notices {
            let text = notice_text(notice);
            assert!(text.is_ascii() && is_gsm7(&text), "{text}");
            assert_eq!(segments(&text), 1, "{} chars: {text}", text.len());
        }
        assert!(
            notice_text(Notice::LevelChanged {
                level: AccountLevel::Two
            })
            .contains("muc do 2")
        );
    }

    proptest! {
        #[test]
        fn gsm7_segments_match_the_formula_without_extensions(n in 1usize..1_000) {
            let text = "x".repeat(n);
            let want = if n <= 160 { 1 } else { n.div_ceil(153) };
            prop_assert_eq!(segments(&text), want);
        }

        #[test]
        fn ucs2_segments_match_the_formula_in_the_bmp(n in 1usize..500) {
            let text = "ư".repeat(n);
            let want = if n <= 70 { 1 } else { n.div_ceil(67) };
            prop_assert_eq!(segments(&text), want);
        }

        #[test]
        fn segments_never_fewer_than_the_formula(text in "\\PC{0,400}") {
            let gsm = is_gsm7(&text);
            let n: usize = if gsm {
                text.chars().map(|c| septets(c).unwrap_or(1)).sum()
            } else {
                text.encode_utf16().count()
            };
            let (single, part) = if gsm { (160, 153) } else { (70, 67) };
            let formula = match n { 0 => 0, n if n <= single => 1, n => n.div_ceil(part) };
            let got = segments(&text);
            prop_assert!(got >= formula && got <= formula + n / part.max(1) + 1);
        }
    }
}
