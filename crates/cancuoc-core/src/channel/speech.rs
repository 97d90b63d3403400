//! Numbers, dates, clock times and codes written the way a voice reads
//! them (cách đọc số), for the hotline's text-to-speech prompts
//! (`<Say language="vi-VN">`): a TTS voice given `12/12/2026` or a
//! 16-digit code reads it as one huge number, or in its own locale's way,
//! so every figure the voice menu speaks is spelled out here.
//!
//! Vietnamese choices, northern standard (the usage of the national
//! broadcaster and of the vi-VN voices), applied everywhere:
//!
//! - a zero tens digit inside a group of hundreds is **"linh"** (`105` →
//!   "một trăm linh năm"; the southern "lẻ" is not used), and a zero
//!   hundreds digit inside a larger number is read "không trăm" (`1026` →
//!   "một nghìn không trăm hai mươi sáu");
//! - a thousand is **"nghìn"** (southern "ngàn" is not used); then
//!   "triệu" (10⁶), "tỷ" (10⁹), "nghìn tỷ" (10¹²); a group of zeros is not
//!   read (`1 000 001` → "một triệu không trăm linh một");
//! - after a tens word: 1 is "mốt" only after "mươi" (21 "hai mươi mốt",
//!   but 11 "mười một"), 4 is "tư" after "mươi" (24 "hai mươi tư", but 14
//!   "mười bốn", 104 "một trăm linh bốn"), 5 is "lăm" after "mười" or
//!   "mươi" (15 "mười lăm", 25 "hai mươi lăm", but 105 "một trăm linh
//!   năm"); the colloquial "nhăm" is not used;
//! - dates: days 1–10 take "mồng" (`ngày mồng một`, `ngày mồng mười`), as
//!   radio and television read them; months are cardinals, month 4 is
//!   "tháng tư" (never "tháng bốn"), month 1 "tháng một" (solar calendar:
//!   "tháng giêng" is the lunar first month);
//! - codes and phone numbers are read digit by digit ("bốn", "một", "năm"
//!   for single digits), a comma pause between the groups they are printed
//!   in.
//!
//! English (the menu behind key 9): "December twelfth, twenty
//! twenty-six", years read in pairs (2000–2009 as "two thousand five"),
//! codes digit by digit with "zero".

use jiff::civil::Date;

/// The Vietnamese words of the digits 0–9, read alone.
const DIGITS_VI: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// The English words of 0–19.
const SMALL_EN: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// The English tens words, indexed by the tens digit (0 and 1 unused).
const TENS_EN: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The English ordinals of the days of a month, 1–31 (index 0 unused).
const ORDINALS_EN: [&str; 32] = [
    "",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
];

/// The English month names, 1–12 (index 0 unused).
const MONTHS_EN: [&str; 13] = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The Vietnamese word of one digit 0–9 (empty for anything else).
fn digit_vi(d: u64) -> &'static str {
    DIGITS_VI.get(d as usize).copied().unwrap_or("")
}

/// The words of a group of three digits `0..1000`. `full`: the group is not
/// the leading one of the number, so a zero hundreds digit is read
/// ("không trăm") and a lone units digit takes "linh".
fn group_vi(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let hundreds = full || h > 0;
    if hundreds {
        out.extend([digit_vi(h), "trăm"]);
    }
    match t {
        0 => {
            if u > 0 {
                if hundreds {
                    out.push("linh");
                }
                out.push(digit_vi(u));
            }
        }
        1 => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                _ => out.push(digit_vi(u)),
            }
        }
        _ => {
            out.extend([digit_vi(t), "mươi"]);
            match u {
                0 => {}
                1 => out.push("mốt"),
                4 => out.push("tư"),
                5 => out.push("lăm"),
                _ => out.push(digit_vi(u)),
            }
        }
    }
}

/// The words of `n < 10⁹` by groups of three (triệu, nghìn, units); zero
/// groups are skipped, and the first group read is `full` as given.
fn below_billion_vi(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let groups = [
        (n / 1_000_000, "triệu"),
        (n / 1000 % 1000, "nghìn"),
        (n % 1000, ""),
    ];
    let mut first = !full;
    for (g, unit) in groups {
        if g == 0 {
            continue;
        }
        group_vi(g, !first, out);
        first = false;
        if !unit.is_empty() {
            out.push(unit);
        }
    }
}

/// The words of `n > 0`; `full` as in [`group_vi`].
fn cardinal_vi(n: u64, full: bool, out: &mut Vec<&'static str>) {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        // 10¹² is "một nghìn tỷ": the count of billions is itself a number.
        cardinal_vi(n / BILLION, full, out);
        out.push("tỷ");
        let rest = n % BILLION;
        if rest > 0 {
            below_billion_vi(rest, true, out);
        }
    } else {
        below_billion_vi(n, full, out);
    }
}

/// A cardinal number in Vietnamese words, northern usage: `0` → "không",
/// `21` → "hai mươi mốt", `105` → "một trăm linh năm", `2026` → "hai nghìn
/// không trăm hai mươi sáu", `10¹²` → "một nghìn tỷ". Checked for
/// 0..=10¹²; larger numbers go on with "tỷ" ("một tỷ tỷ" for 10¹⁸).
pub fn number(n: u64) -> String {
    if n == 0 {
        return DIGITS_VI[0].to_owned();
    }
    let mut words = Vec::new();
    cardinal_vi(n, false, &mut words);
    words.join(" ")
}

/// A date in Vietnamese words: "ngày mười hai tháng mười hai năm hai nghìn
/// không trăm hai mươi sáu"; days 1–10 with "mồng" ("ngày mồng một"),
/// month 4 "tháng tư".
pub fn date(d: Date) -> String {
    let day = d.day().unsigned_abs();
    let mong = if day <= 10 { "mồng " } else { "" };
    let month = match d.month() {
        4 => "tư".to_owned(),
        m => number(u64::from(m.unsigned_abs())),
    };
    format!(
        "ngày {mong}{} tháng {month} năm {}",
        number(u64::from(day)),
        number(u64::from(d.year().unsigned_abs()))
    )
}

/// `text` with every date written `d/m/yyyy` (`21/11/2026`, `1/7/2024`)
/// spelled out for the voice ([`date`], or [`date_en`] for English); the
/// rest unchanged. The written answers the chat shows are spoken this way
/// on the hotline.
pub fn dates_spoken(text: &str, english: bool) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() * 2);
    let mut copied = 0;
    let mut i = 0;
    let digits_at = |at: usize| b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit());
        if starts {
            let d = digits_at(i);
            let m_at = i + d + 1;
            let m = if (1..=2).contains(&d) && b.get(i + d) == Some(&b'/') && m_at < b.len() {
                digits_at(m_at)
            } else {
                0
            };
            let y_at = m_at + m + 1;
            let y = if (1..=2).contains(&m) && b.get(m_at + m) == Some(&b'/') && y_at < b.len() {
                digits_at(y_at)
            } else {
                0
            };
            let end = y_at + y;
            // Not part of a longer slashed number (`26/2023/QH15`).
            if y == 4 && b.get(end) != Some(&b'/') {
                let num = |from: usize, to: usize| text[from..to].parse::<i16>().ok();
                let parsed = (|| {
                    let day = i8::try_from(num(i, i + d)?).ok()?;
                    let month = i8::try_from(num(m_at, m_at + m)?).ok()?;
                    Date::new(num(y_at, end)?, month, day).ok()
                })();
                if let Some(date_value) = parsed {
                    out.push_str(&text[copied..i]);
                    out.push_str(&if english {
                        date_en(date_value)
                    } else {
                        date(date_value)
                    });
                    copied = end;
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// The groups of digits in `s`: any run of characters other than ASCII
/// digits separates two groups (`0790 251121`, `1900.0368`, `024-3942`).
fn digit_groups(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
}

/// Reads `s` digit by digit in the groups it is written in, a comma pause
/// between the groups: `0790 251121 48213 7` → "không bảy chín không, hai
/// năm một một hai một, bốn tám hai một ba, bảy". Pass a dossier code as
/// [`DossierCode::grouped`](crate::dossier::code::DossierCode::grouped)
/// prints it. Characters other than digits only separate groups.
pub fn digits(s: &str) -> String {
    read_groups(s, |b| DIGITS_VI.get(usize::from(b - b'0')).copied())
}

/// Reads `s` digit by digit in English ("zero seven nine zero, …"), groups
/// as in [`digits`].
pub fn digits_en(s: &str) -> String {
    read_groups(s, |b| SMALL_EN.get(usize::from(b - b'0')).copied())
}

fn read_groups(s: &str, word: impl Fn(u8) -> Option<&'static str>) -> String {
    digit_groups(s)
        .map(|g| g.bytes().filter_map(&word).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A clock time in Vietnamese words from minutes since midnight: `450` →
/// "bảy giờ ba mươi phút", `1200` → "hai mươi giờ" (24-hour, as official
/// opening hours are said).
pub fn clock(minute_of_day: u16) -> String {
    let (h, m) = (minute_of_day / 60, minute_of_day % 60);
    if m == 0 {
        format!("{} giờ", number(u64::from(h)))
    } else {
        format!("{} giờ {} phút", number(u64::from(h)), number(u64::from(m)))
    }
}

/// English words below 100: "seven", "twenty-six".
fn below_100_en(n: u16) -> String {
    match n {
        0..=19 => SMALL_EN
            .get(usize::from(n))
            .copied()
            .unwrap_or("")
            .to_owned(),
        _ => {
            let tens = TENS_EN.get(usize::from(n / 10)).copied().unwrap_or("");
            match n % 10 {
                0 => tens.to_owned(),
                u => format!(
                    "{tens}-{}",
                    SMALL_EN.get(usize::from(u)).copied().unwrap_or("")
                ),
            }
        }
    }
}

/// An English cardinal below 10 000: "two thousand five", "one hundred".
fn cardinal_en(n: u16) -> String {
    let mut parts = Vec::new();
    if n >= 1000 {
        parts.push(format!("{} thousand", below_100_en(n / 1000)));
    }
    if n % 1000 >= 100 {
        parts.push(format!("{} hundred", below_100_en(n % 1000 / 100)));
    }
    if !n.is_multiple_of(100) || parts.is_empty() {
        parts.push(below_100_en(n % 100));
    }
    parts.join(" ")
}

/// An English year as said in dates: 1990 "nineteen ninety", 2026 "twenty
/// twenty-six", 1905 "nineteen oh five", 1900 "nineteen hundred", 2000–2009
/// "two thousand (five)".
fn year_en(y: u16) -> String {
    let (hi, lo) = (y / 100, y % 100);
    match y {
        2000..=2009 | 0..=999 => cardinal_en(y),
        _ if lo == 0 => format!("{} hundred", below_100_en(hi)),
        _ if lo < 10 => format!("{} oh {}", below_100_en(hi), below_100_en(lo)),
        _ => format!("{} {}", below_100_en(hi), below_100_en(lo)),
    }
}

/// A date in English words: "December twelfth, twenty twenty-six".
pub fn date_en(d: Date) -> String {
    let month = MONTHS_EN
        .get(d.month().unsigned_abs() as usize)
        .copied()
        .unwrap_or("");
    let day = ORDINALS_EN
        .get(d.day().unsigned_abs() as usize)
        .copied()
        .unwrap_or("");
    format!("{month} {day}, {}", year_en(d.year().unsigned_abs()))
}

/// A clock time in English words from minutes since midnight: `450` →
/// "seven thirty a.m.", `1200` → "eight p.m.", `725` → "twelve oh five
/// p.m.".
pub fn clock_en(minute_of_day: u16) -> String {
    let (h, m) = (minute_of_day / 60 % 24, minute_of_day % 60);
    let half = if h < 12 { "a.m." } else { "p.m." };
    let h12 = match h % 12 {
        0 => 12,
        h => h,
    };
    match m {
        0 => format!("{} {half}", below_100_en(h12)),
        1..=9 => format!("{} oh {} {half}", below_100_en(h12), below_100_en(m)),
        _ => format!("{} {} {half}", below_100_en(h12), below_100_en(m)),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn written_dates_are_spoken_and_the_rest_kept() {
        assert_eq!(
            dates_spoken("hẹn trả 21/11/2026 (Luật 26/2023/QH15), 1/7/2024.", false),
            "hẹn trả ngày hai mươi mốt tháng mười một năm hai nghìn không trăm hai mươi sáu \
             (Luật 26/2023/QH15), ngày mồng một tháng bảy năm hai nghìn không trăm hai mươi tư."
        );
        assert_eq!(dates_spoken("31/02/2026 stays", false), "31/02/2026 stays");
        assert_eq!(
            dates_spoken("no date, 1/2, 123/4/2026", false),
            "no date, 1/2, 123/4/2026"
        );
        assert!(dates_spoken("by 01/12/2026", true).starts_with("by "));
        assert!(!dates_spoken("by 01/12/2026", true).contains('/'));
    }
    use super::*;
    use jiff::civil::date as d;
    use proptest::prelude::*;

    #[test]
    fn small_numbers_and_the_units_after_tens() {
        for (n, want) in [
            (0, "không"),
            (1, "một"),
            (4, "bốn"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (31, "ba mươi mốt"),
            (44, "bốn mươi tư"),
            (55, "năm mươi lăm"),
            (99, "chín mươi chín"),
        ] {
            assert_eq!(number(n), want, "{n}");
        }
    }

    #[test]
    fn hundreds_use_linh_for_a_zero_tens_digit() {
        for (n, want) in [
            (100, "một trăm"),
            (101, "một trăm linh một"),
            (104, "một trăm linh bốn"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (115, "một trăm mười lăm"),
            (121, "một trăm hai mươi mốt"),
            (999, "chín trăm chín mươi chín"),
        ] {
            assert_eq!(number(n), want, "{n}");
        }
    }

    #[test]
    fn inner_groups_read_their_zero_hundreds() {
        for (n, want) in [
            (1000, "một nghìn"),
            (1005, "một nghìn không trăm linh năm"),
            (1010, "một nghìn không trăm mười"),
            (1026, "một nghìn không trăm hai mươi sáu"),
            (1100, "một nghìn một trăm"),
            (1990, "một nghìn chín trăm chín mươi"),
            (2026, "hai nghìn không trăm hai mươi sáu"),
            (14_000, "mười bốn nghìn"),
            (21_000, "hai mươi mốt nghìn"),
            (105_000, "một trăm linh năm nghìn"),
            (1_000_000, "một triệu"),
            (1_000_001, "một triệu không trăm linh một"),
            (1_001_000, "một triệu không trăm linh một nghìn"),
            (2_500_000, "hai triệu năm trăm nghìn"),
            (1_000_000_000, "một tỷ"),
            (1_005_000_000, "một tỷ không trăm linh năm triệu"),
            (
                1_234_567_890,
                "một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi",
            ),
            (1_500_000_000_000, "một nghìn năm trăm tỷ"),
            (1_000_000_000_000, "một nghìn tỷ"),
            (
                999_999_999_999,
                "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
            ),
        ] {
            assert_eq!(number(n), want, "{n}");
        }
    }

    #[test]
    fn dates_take_mong_for_the_first_ten_days_and_tu_for_april() {
        for (day, want) in [
            (
                d(2026, 12, 12),
                "ngày mười hai tháng mười hai năm hai nghìn không trăm hai mươi sáu",
            ),
            (
                d(2026, 1, 1),
                "ngày mồng một tháng một năm hai nghìn không trăm hai mươi sáu",
            ),
            (
                d(2025, 4, 10),
                "ngày mồng mười tháng tư năm hai nghìn không trăm hai mươi lăm",
            ),
            (
                d(2024, 7, 4),
                "ngày mồng bốn tháng bảy năm hai nghìn không trăm hai mươi tư",
            ),
            (
                d(1990, 3, 15),
                "ngày mười lăm tháng ba năm một nghìn chín trăm chín mươi",
            ),
            (
                d(2000, 11, 21),
                "ngày hai mươi mốt tháng mười một năm hai nghìn",
            ),
            (
                d(2005, 5, 31),
                "ngày ba mươi mốt tháng năm năm hai nghìn không trăm linh năm",
            ),
            (
                d(2024, 10, 24),
                "ngày hai mươi tư tháng mười năm hai nghìn không trăm hai mươi tư",
            ),
        ] {
            assert_eq!(date(day), want, "{day}");
        }
    }

    #[test]
    fn codes_are_read_digit_by_digit_in_their_groups() {
        assert_eq!(
            digits("0790 251121 48213 7"),
            "không bảy chín không, hai năm một một hai một, bốn tám hai một ba, bảy"
        );
        assert_eq!(
            digits("1900.0368"),
            "một chín không không, không ba sáu tám"
        );
        assert_eq!(
            digits("(024) 3942-4545"),
            "không hai bốn, ba chín bốn hai, bốn năm bốn năm"
        );
        assert_eq!(digits(""), "");
        assert_eq!(digits("không số"), "");
        assert_eq!(
            digits_en("0790 251121 48213 7"),
            "zero seven nine zero, two five one one two one, four eight two one three, seven"
        );
    }

    #[test]
    fn english_dates_and_clock_times() {
        for (day, want) in [
            (d(2026, 12, 12), "December twelfth, twenty twenty-six"),
            (d(2026, 1, 1), "January first, twenty twenty-six"),
            (d(2005, 3, 22), "March twenty-second, two thousand five"),
            (d(2000, 2, 29), "February twenty-ninth, two thousand"),
            (d(1990, 8, 31), "August thirty-first, nineteen ninety"),
            (d(1905, 4, 3), "April third, nineteen oh five"),
            (d(1900, 6, 30), "June thirtieth, nineteen hundred"),
            (d(2010, 10, 10), "October tenth, twenty ten"),
        ] {
            assert_eq!(date_en(day), want, "{day}");
        }
        for (m, vi, en) in [
            (450, "bảy giờ ba mươi phút", "seven thirty a.m."),
            (1200, "hai mươi giờ", "eight p.m."),
            (725, "mười hai giờ năm phút", "twelve oh five p.m."),
            (0, "không giờ", "twelve a.m."),
            (1020, "mười bảy giờ", "five p.m."),
        ] {
            assert_eq!(clock(m), vi, "{m}");
            assert_eq!(clock_en(m), en, "{m}");
        }
    }

    proptest! {
        #[test]
        fn number_never_panics_nor_doubles_spaces(n in any::<u64>()) {
            let s = number(n);
            prop_assert!(!s.is_empty());
            prop_assert!(!s.contains("  "), "{s}");
            prop_assert!(!s.starts_with(' ') && !s.ends_with(' '), "{s}");
        }

        #[test]
        fn numbers_up_to_a_trillion_never_start_with_khong(n in 1u64..=1_000_000_000_000) {
            let s = number(n);
            prop_assert!(!s.starts_with("không"), "{n}: {s}");
            prop_assert!(!s.contains("linh không"), "{n}: {s}");
        }
    }
}
