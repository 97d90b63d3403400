//! Free text as citizens type it (hiểu tin nhắn): a chat message, or the
//! payload of a tapped choice, read into one [`Intent`].
//!
//! Keywords are matched on the folded words of the text (no diacritics,
//! lower case, punctuation as spaces: [`crate::text::search_key`] word by
//! word), so `Tra cứu`, `tra cuu` and `TRA CUU` are the same. Numbers are
//! read off the original text line by line:
//!
//! - 16 digits, with spaces, dots or dashes between groups
//!   (`0790 251121 48213 7`), are a dossier code, checked by
//!   [`DossierCode::parse`]; a wrong check digit, a bad date part or 14–18
//!   digits give [`Intent::BadCode`] with the exact problem;
//! - 12 digits are a personal ID number, 9 an old CMND number; 10 digits
//!   from `0` (or `84` + 9) are a phone number and never taken for an ID;
//! - a date as people type it (`15/3/1990`, `15-03-1990`, `15.03.1990`,
//!   `ngày 15 tháng 3 năm 1990`) is a date of birth unless the words before
//!   it say it is another date (`ngày làm CCCD`, `nộp ngày`); the date is
//!   passed on as typed, and read by [`crate::person::PartialDate::parse_typed`]
//!   in the dialogue, which answers a bad date precisely.
//!
//! The Facebook form of the population data centre (seed 002: `1. Họ tên:`,
//! `2. Ngày tháng năm sinh:`, `3. Số cmnd/cccd:`, `4. Nơi thường trú:`,
//! `5. Ngày làm CCCD:`, `6. SĐT:`) is read by its labels, with or without
//! diacritics, numbered or not: the residence, the application date and the
//! phone are skipped. Without labels the first line (or comma-separated
//! part) that looks like a name is taken, when a number or a date came
//! with it.
//!
//! Work is bounded: only the first [`MAX_CHARS`] characters are read.

use unicode_normalization::UnicodeNormalization;

use crate::dossier::code::{CODE_LEN, DossierCode, DossierCodeError};
use crate::i18n::{Lang, Localized};
use crate::id::{CMND_DIGITS, ID_DIGITS};
use crate::text::search_key;

/// What a message asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// A greeting (`chào`, `xin chào`, `hello`).
    Greeting,
    /// The menu (`menu`, `bắt đầu`, `help`).
    Menu,
    /// A dossier code with a correct check digit.
    StatusByCode(DossierCode),
    /// Something that looks like a dossier code or an ID number but is
    /// not one: what is wrong, exactly.
    BadCode {
        /// The problem, in Vietnamese.
        problem_vi: String,
        /// The problem, in English.
        problem_en: String,
    },
    /// The person wants a status but gave no code (`tra cứu`, `CCCD của
    /// tôi làm xong chưa`, `check status`).
    StatusAsk,
    /// Parts of an identity found in the text (any of them may be missing):
    /// the ID or CMND number (digits only), the date of birth as typed, the
    /// name as typed. All three `None`: the person has no code and will
    /// give them ([`PAYLOAD_NO_CODE`]).
    Identity {
        /// The 12-digit ID or 9-digit CMND number, digits only.
        number: Option<String>,
        /// The date of birth as typed (`15/03/1990`).
        dob: Option<String>,
        /// The full name as typed (`Nguyễn Văn An`).
        name: Option<String>,
    },
    /// How to apply (`thủ tục`, `cần giấy tờ gì`).
    Procedure,
    /// Fees (`lệ phí`, `bao nhiêu tiền`).
    Fees,
    /// Processing time (`thời hạn`, `bao lâu`, `mấy ngày`).
    Deadlines,
    /// Office hours, hotlines, addresses; with the place when one was named
    /// (`số điện thoại công an phường Bến Nghé` → `Bến Nghé`).
    Offices {
        /// The place as typed, without `phường`, `xã`, `tỉnh` …
        place: Option<String>,
    },
    /// An appointment (`đặt lịch`, `hẹn`).
    Booking,
    /// A human officer (`gặp cán bộ`, `tổng đài viên`, `agent`).
    Human,
    /// A language (`English`, `tiếng Việt`).
    Language(Lang),
    /// Thanks (`cảm ơn`).
    Thanks,
    /// Nothing understood.
    Unknown,
}

/// Only the first this many characters of a message are read.
pub const MAX_CHARS: usize = 4000;

/// Payload of the choice "Menu".
pub const PAYLOAD_MENU: &str = "#menu";
/// Payload of the choice "Tra cứu hồ sơ" (status).
pub const PAYLOAD_STATUS: &str = "#tracuu";
/// Payload of the choice "Không có mã" (status by ID number, date of birth
/// and name).
pub const PAYLOAD_NO_CODE: &str = "#khongcoma";
/// Payload of the choice "Thủ tục".
pub const PAYLOAD_PROCEDURE: &str = "#thutuc";
/// Payload of the choice "Lệ phí".
pub const PAYLOAD_FEES: &str = "#lephi";
/// Payload of the choice "Thời hạn".
pub const PAYLOAD_DEADLINES: &str = "#thoihan";
/// Payload of the choice "Giờ làm việc" (offices, hours, hotlines).
pub const PAYLOAD_OFFICES: &str = "#giolamviec";
/// Payload of the choice "Đặt lịch".
pub const PAYLOAD_BOOKING: &str = "#datlich";
/// Payload of the choice "Gặp cán bộ".
pub const PAYLOAD_HUMAN: &str = "#canbo";
/// Payload of the choice "English".
pub const PAYLOAD_ENGLISH: &str = "#english";
/// Payload of the choice "Tiếng Việt".
pub const PAYLOAD_VIETNAMESE: &str = "#tiengviet";
/// Messenger's "Get Started" button payload, as the service configures it.
pub const PAYLOAD_GET_STARTED: &str = "GET_STARTED";

/// Every payload the dialogue offers, each understood exactly (after
/// trimming) by [`understand`].
pub const PAYLOADS: [&str; 12] = [
    PAYLOAD_MENU,
    PAYLOAD_STATUS,
    PAYLOAD_NO_CODE,
    PAYLOAD_PROCEDURE,
    PAYLOAD_FEES,
    PAYLOAD_DEADLINES,
    PAYLOAD_OFFICES,
    PAYLOAD_BOOKING,
    PAYLOAD_HUMAN,
    PAYLOAD_ENGLISH,
    PAYLOAD_VIETNAMESE,
    PAYLOAD_GET_STARTED,
];

/// The intent of a payload, if `text` is one.
fn payload_intent(text: &str) -> Option<Intent> {
    Some(match text {
        PAYLOAD_MENU | PAYLOAD_GET_STARTED => Intent::Menu,
        PAYLOAD_STATUS => Intent::StatusAsk,
        PAYLOAD_NO_CODE => Intent::Identity {
            number: None,
            dob: None,
            name: None,
        },
        PAYLOAD_PROCEDURE => Intent::Procedure,
        PAYLOAD_FEES => Intent::Fees,
        PAYLOAD_DEADLINES => Intent::Deadlines,
        PAYLOAD_OFFICES => Intent::Offices { place: None },
        PAYLOAD_BOOKING => Intent::Booking,
        PAYLOAD_HUMAN => Intent::Human,
        PAYLOAD_ENGLISH => Intent::Language(Lang::En),
        PAYLOAD_VIETNAMESE => Intent::Language(Lang::Vi),
        _ => return None,
    })
}

// ------------------------------------------------------------ keyword lists
// Folded phrases (words separated by one space), matched on word boundaries.

const LANG_EN: &[&str] = &["english", "tieng anh", "in english", "speak english"];
const LANG_VI: &[&str] = &["tieng viet", "vietnamese"];

const HUMAN: &[&str] = &[
    "gap can bo",
    "gap nguoi",
    "gap truc tiep",
    "noi chuyen voi nguoi",
    "noi chuyen voi can bo",
    "nguoi that",
    "tong dai vien",
    "nhan vien",
    "tu van vien",
    "can bo ho tro",
    "chat voi can bo",
    "lien he can bo",
    "ho tro truc tiep",
    "agent",
    "human",
    "operator",
    "real person",
    "talk to someone",
    "talk to a person",
    "talk to an officer",
];

/// "I have no code": typed, the same as tapping [`PAYLOAD_NO_CODE`].
const NO_CODE: &[&str] = &[
    "khong co ma",
    "ko co ma",
    "k co ma",
    "khong co ma ho so",
    "khong nho ma",
    "quen ma",
    "mat ma",
    "mat giay hen",
    "khong co giay hen",
    "mat phieu hen",
    "khong co phieu hen",
    "no code",
    "without the code",
    "without a code",
    "lost the slip",
    "lost my slip",
];

const BOOKING_STRONG: &[&str] = &[
    "dat lich",
    "datlich",
    "dat hen",
    "hen lich",
    "lich hen",
    "dang ky lich",
    "book",
    "booking",
    "appointment",
];

const STATUS: &[&str] = &[
    "tra cuu",
    "tracuu",
    "kiem tra",
    "tinh trang",
    "trang thai",
    "xong chua",
    "lam xong",
    "da xong",
    "co chua",
    "co the chua",
    "co cccd chua",
    "duoc chua",
    "nhan duoc chua",
    "chua nhan",
    "chua co the",
    "chua thay the",
    "chua duoc",
    "bao gio co",
    "khi nao co",
    "bao gio xong",
    "khi nao xong",
    "bao gio nhan",
    "khi nao nhan",
    "bao gio lay",
    "khi nao lay",
    "ho so cua toi",
    "the cua toi",
    "cccd cua toi",
    "can cuoc cua toi",
    "check status",
    "status",
    "track",
    "is my card",
    "my card",
    "my application",
];

const OFFICES: &[&str] = &[
    "gio lam viec",
    "thoi gian lam viec",
    "lich lam viec",
    "lam viec may gio",
    "lam viec luc may gio",
    "mo cua",
    "gio hanh chinh",
    "hotline",
    "duong day nong",
    "so dien thoai",
    "dien thoai",
    "sdt",
    "so dt",
    "tong dai",
    "dia chi",
    "o dau",
    "cho nao",
    "opening hours",
    "office hours",
    "hours",
    "phone number",
    "phone",
    "address",
    "where",
];

const FEES: &[&str] = &[
    "le phi",
    "lephi",
    "phi",
    "bao nhieu tien",
    "het bao nhieu",
    "mat bao nhieu",
    "mat tien",
    "nop tien",
    "dong tien",
    "chi phi",
    "fee",
    "fees",
    "cost",
    "price",
    "how much",
];

const DEADLINES: &[&str] = &[
    "thoi han",
    "bao lau",
    "may ngay",
    "bao nhieu ngay",
    "thoi gian giai quyet",
    "thoi gian lam",
    "thoi gian cap",
    "thoi gian tra",
    "how long",
    "deadline",
    "processing time",
    "how many days",
];

const PROCEDURE: &[&str] = &[
    "thu tuc",
    "thutuc",
    "giay to",
    "can mang",
    "mang theo",
    "mang gi",
    "can gi",
    "can nhung gi",
    "ho so gom",
    "cach lam",
    "lam sao",
    "lam the nao",
    "quy trinh",
    "huong dan lam",
    "lam cccd",
    "lam can cuoc",
    "lam the",
    "doi the",
    "cap doi",
    "cap lai",
    "mat the",
    "procedure",
    "how to apply",
    "how do i apply",
    "documents",
    "what to bring",
];

const BOOKING_WEAK: &[&str] = &["hen"];

const MENU: &[&str] = &[
    "menu",
    "bat dau",
    "start",
    "get started",
    "help",
    "tro giup",
    "huong dan",
    "chuc nang",
    "lua chon",
    "quay lai",
    "back",
    "home",
];

const THANKS: &[&str] = &[
    "cam on",
    "camon",
    "cam ta",
    "thank",
    "thanks",
    "thank you",
    "tks",
    "thx",
];

const GREETING: &[&str] = &[
    "xin chao",
    "chao",
    "hello",
    "hi",
    "alo",
    "a lo",
    "hey",
    "good morning",
    "good afternoon",
    "good evening",
];

/// The intent of a message: a payload, a code, an identity, a keyword, or
/// [`Intent::Unknown`]. Never panics; reads at most [`MAX_CHARS`] characters.
pub fn understand(text: &str) -> Intent {
    let text = normalize(text);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Intent::Unknown;
    }
    if let Some(i) = payload_intent(trimmed) {
        return i;
    }
    let words = Words::of(trimmed);
    if words.len() <= 6 {
        if words.has_any(LANG_EN) {
            return Intent::Language(Lang::En);
        }
        if words.has_any(LANG_VI) {
            return Intent::Language(Lang::Vi);
        }
    }
    let scan = Scan::of(trimmed);
    if let Some(code) = scan.code {
        return Intent::StatusByCode(code);
    }
    let identity = || Intent::Identity {
        number: scan.number.clone(),
        dob: scan.dob.clone(),
        name: scan.name.clone(),
    };
    if scan.number.is_none()
        && let Some((problem_vi, problem_en)) = &scan.bad
    {
        return Intent::BadCode {
            problem_vi: problem_vi.clone(),
            problem_en: problem_en.clone(),
        };
    }
    if scan.number.is_some() || scan.dob_strength >= DOB_NEUTRAL || scan.name_strong {
        return identity();
    }
    let phone = || {
        let (problem_vi, problem_en) = phone_problem();
        Intent::BadCode {
            problem_vi,
            problem_en,
        }
    };
    match keyword_intent(&words) {
        // `sđt 0912…`: the words name the phone number given, not an office's.
        Some(Intent::Offices { .. }) if scan.phone => phone(),
        Some(i) => i,
        None if scan.dob.is_some() => identity(),
        None if scan.phone => phone(),
        None => Intent::Unknown,
    }
}

/// The identity parts found in `text` (number, date of birth as typed,
/// name), as [`understand`] reads them, even where it answers another
/// intent: the dialogue keeps the date and name of a message whose number
/// was mistyped.
pub fn identity_parts(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let text = normalize(text);
    let scan = Scan::of(&text);
    (scan.number, scan.dob, scan.name)
}

/// `text` as a full name, when the whole message looks like one (2 to 6
/// words of letters, none of them a word that is never part of a name),
/// with `Tên tôi là`, `Họ tên:` and the like taken off: the answer to "what
/// is your full name?".
pub fn name_like(text: &str) -> Option<String> {
    let text = normalize(text);
    let t = text.trim();
    if t.lines().count() > 1 {
        return None;
    }
    let t = t.split_once(':').map_or(t, |(label, value)| {
        if matches!(classify_label(label), Label::Name) {
            value
        } else {
            t
        }
    });
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | '!' | '?'))
        .filter(|w| !w.is_empty())
        .collect();
    let folded: Vec<String> = words.iter().map(|w| search_key(w)).collect();
    name_from_segment(&words, &folded).map(|(name, _, _)| name)
}

/// The place named in `text` after an administrative word (`phường Bến
/// Nghé` → `Bến Nghé`, `quận 1` → `quận 1`) or after `công an`, `ở`,
/// `tại`; `None` when no such word is there (then the whole text is the
/// place, as the dialogue reads an answer to "which commune?").
pub fn place_of(text: &str) -> Option<String> {
    let text = normalize(text);
    Words::of(&text).place()
}

/// The keyword intent of a message's folded words, in order of precedence.
fn keyword_intent(words: &Words<'_>) -> Option<Intent> {
    if words.has_any(HUMAN) {
        return Some(Intent::Human);
    }
    if words.has_any(NO_CODE) {
        return Some(Intent::Identity {
            number: None,
            dob: None,
            name: None,
        });
    }
    if words.has_any(BOOKING_STRONG) {
        return Some(Intent::Booking);
    }
    if words.has_any(STATUS) {
        return Some(Intent::StatusAsk);
    }
    if words.has_any(OFFICES) {
        return Some(Intent::Offices {
            place: words.place(),
        });
    }
    if words.has_any(FEES) {
        return Some(Intent::Fees);
    }
    if words.has_any(DEADLINES) {
        return Some(Intent::Deadlines);
    }
    if words.has_any(PROCEDURE) {
        return Some(Intent::Procedure);
    }
    if words.has_any(BOOKING_WEAK) {
        return Some(Intent::Booking);
    }
    if words.has_any(MENU) {
        return Some(Intent::Menu);
    }
    if words.has_any(THANKS) {
        return Some(Intent::Thanks);
    }
    if words.has_any(GREETING) {
        return Some(Intent::Greeting);
    }
    None
}

/// The first [`MAX_CHARS`] characters, composed (NFC), so that a letter
/// typed as base + combining marks stays one word.
fn normalize(text: &str) -> String {
    let head: String = text.chars().take(MAX_CHARS).collect();
    head.nfc().collect()
}

// -------------------------------------------------------------------- words

/// The words of a text (runs of letters and digits), as typed and folded.
struct Words<'a> {
    orig: Vec<&'a str>,
    folded: Vec<String>,
}

impl<'a> Words<'a> {
    fn of(s: &'a str) -> Self {
        let orig: Vec<&str> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let folded = orig.iter().map(|w| search_key(w)).collect();
        Self { orig, folded }
    }

    fn len(&self) -> usize {
        self.orig.len()
    }

    /// The index of the first word of the first occurrence of `phrase`.
    fn find(&self, phrase: &str) -> Option<usize> {
        find_phrase(&self.folded, phrase)
    }

    fn has_any(&self, phrases: &[&str]) -> bool {
        phrases.iter().any(|p| self.find(p).is_some())
    }

    /// The place named after an administrative word (`phường`, `xã`,
    /// `tỉnh` …) or after `công an`, `ở`, `tại`, `in`, `at`, `of`, up to a
    /// question word; `None` when nothing is named.
    fn place(&self) -> Option<String> {
        const ADMIN: &[&str] = &[
            "thanh pho",
            "tp",
            "tinh",
            "phuong",
            "xa",
            "quan",
            "huyen",
            "thi xa",
            "thi tran",
            "dac khu",
            "province",
            "commune",
            "ward",
            "district",
            "city",
        ];
        const MARKERS: &[&str] = &["cong an", "o", "tai", "in", "at", "of", "for"];
        // Phrases that end a place name (question words, office words).
        const STOP: &[&str] = &[
            "la",
            "bao",
            "may gio",
            "the nao",
            "nao",
            "o dau",
            "o",
            "dau",
            "a",
            "nhe",
            "vay",
            "khong",
            "ko",
            "gi",
            "lam viec",
            "gio lam",
            "gio mo",
            "mo cua",
            "so dien thoai",
            "dien thoai",
            "hotline",
            "sdt",
            "duong day nong",
            "dia chi",
            "oi",
            "voi",
            "what",
            "is",
            "are",
            "please",
            "hours",
            "phone",
            "number",
            "address",
            "opening",
            "office",
        ];
        let stops_at = |i: usize| {
            STOP.iter().any(|p| {
                self.folded
                    .get(i..)
                    .is_some_and(|rest| find_phrase(rest, p) == Some(0))
            })
        };
        let after = |start: usize| -> Option<String> {
            let mut end = start;
            while end < self.len() && !stops_at(end) && end - start < 6 {
                end += 1;
            }
            let words = self.orig.get(start..end)?;
            (!words.is_empty()).then(|| words.join(" "))
        };
        // The earliest administrative word, its longest form first.
        let admin = ADMIN
            .iter()
            .filter_map(|a| self.find(a).map(|i| (i, a.split(' ').count())))
            .min_by_key(|&(i, n)| (i, std::cmp::Reverse(n)));
        if let Some((i, n)) = admin {
            let p = after(i + n)?;
            // `Quận 1`, `Phường 7`: a number names the place with its word.
            if p.chars().all(|c| c.is_ascii_digit() || c == ' ') {
                let words = self.orig.get(i..i + n)?;
                return Some(format!("{} {p}", words.join(" ")));
            }
            return Some(p);
        }
        MARKERS
            .iter()
            .filter_map(|m| self.find(m).map(|i| i + m.split(' ').count()))
            .filter_map(after)
            .next()
    }
}

/// The index of the first word of `phrase` (folded words separated by one
/// space) in `words`.
fn find_phrase(words: &[String], phrase: &str) -> Option<usize> {
    let parts: Vec<&str> = phrase.split(' ').collect();
    if parts.is_empty() || parts.len() > words.len() {
        return None;
    }
    words
        .windows(parts.len())
        .position(|w| w.iter().zip(&parts).all(|(a, b)| a == b))
}

// --------------------------------------------------------------------- scan

/// Strength of a date of birth candidate: a bare year after `sinh năm`.
const DOB_WEAK: u8 = 1;
/// A date with nothing saying what it is.
const DOB_NEUTRAL: u8 = 2;
/// A date labelled or preceded by `sinh`, `ngày sinh`, `dob`.
const DOB_STRONG: u8 = 3;

/// What the number and label reader found in a message.
#[derive(Default)]
struct Scan {
    code: Option<DossierCode>,
    /// The first malformed code or number: (Vietnamese, English).
    bad: Option<(String, String)>,
    phone: bool,
    number: Option<String>,
    dob: Option<String>,
    dob_strength: u8,
    name: Option<String>,
    name_strong: bool,
    /// Unlabelled name candidates: (name, strong, proper-cased), in order.
    candidates: Vec<(String, bool, bool)>,
}

/// What a line's label says its value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    None,
    Name,
    Dob,
    Number,
    Phone,
    /// Residence, address, place of birth: skipped.
    Place,
    /// Another date (application, issue): skipped.
    OtherDate,
}

fn classify_label(label: &str) -> Label {
    let w = Words::of(label);
    if w.len() == 0 || w.len() > 6 {
        return Label::None;
    }
    let has = |ps: &[&str]| w.has_any(ps);
    if has(&[
        "noi sinh",
        "thuong tru",
        "tam tru",
        "dia chi",
        "noi o",
        "cu tru",
        "que quan",
        "address",
        "residence",
        "place of birth",
    ]) {
        Label::Place
    } else if has(&[
        "sdt",
        "dien thoai",
        "phone",
        "dt",
        "mobile",
        "zalo",
        "so dt",
    ]) {
        Label::Phone
    } else if has(&["sinh", "dob", "birth", "born", "ns"]) {
        Label::Dob
    } else if has(&["ngay", "date", "thoi gian"]) {
        Label::OtherDate
    } else if has(&[
        "cccd",
        "cmnd",
        "cmt",
        "dinh danh",
        "can cuoc",
        "so the",
        "id",
        "number",
        "so",
    ]) {
        Label::Number
    } else if has(&["ten", "name", "ho ten", "ho va ten"]) {
        Label::Name
    } else {
        Label::None
    }
}

/// A token of a line: a number (digits with `.` or `-` between groups), a
/// typed date, or a word.
#[derive(Debug)]
enum Tok<'a> {
    Num(String),
    Date(&'a str),
    Word(&'a str),
}

/// A token and whether punctuation (not only spaces) stood before it.
struct Token<'a> {
    tok: Tok<'a>,
    break_before: bool,
}

fn tokenize<'a>(line: &'a str) -> Vec<Token<'a>> {
    fn is_break(c: char) -> bool {
        matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '!' | '?' | '"' | '“' | '”' | '…'
        )
    }
    let mut out = Vec::new();
    let mut brk = false;
    let mut emit = |raw: &'a str, brk: &mut bool| {
        let core = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            // A lone dash or dot joins digit groups; other punctuation
            // (`/`, `•`, `...`) separates.
            if !raw.chars().all(|c| matches!(c, '-' | '.' | '–')) {
                *brk = true;
            }
            return;
        }
        let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let trail = raw.len() - raw.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        let tok = if date_shape(core) {
            Tok::Date(core)
        } else if let Some(d) = number_digits(core) {
            Tok::Num(d)
        } else {
            Tok::Word(core)
        };
        out.push(Token {
            tok,
            break_before: *brk || lead > 0,
        });
        *brk = trail > 0;
    };
    let mut start: Option<usize> = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() || is_break(c) {
            if let Some(st) = start.take() {
                emit(line.get(st..i).unwrap_or(""), &mut brk);
            }
            if is_break(c) {
                brk = true;
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        emit(line.get(st..).unwrap_or(""), &mut brk);
    }
    out
}

/// Whether a token is a typed date: day, month and year (two or four
/// digits) with one of `/ . -`, month and year, or ISO `yyyy-mm(-dd)`.
fn date_shape(t: &str) -> bool {
    let Some(sep) = t.chars().find(|c| matches!(c, '/' | '.' | '-')) else {
        return false;
    };
    let parts: Vec<&str> = t.split(sep).collect();
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let short = |p: &&str| (1..=2).contains(&p.len());
    match parts.as_slice() {
        [d, m, y] if short(d) && short(m) && (y.len() == 4 || y.len() == 2) => true,
        [y, m, d] if y.len() == 4 && sep == '-' && short(m) && short(d) => true,
        [m, y] if short(m) && y.len() == 4 => true,
        [y, m] if y.len() == 4 && sep == '-' && short(m) => true,
        _ => false,
    }
}

/// The digits of a number token (digit groups joined by single `.` or
/// `-`), or `None`.
fn number_digits(t: &str) -> Option<String> {
    let b = t.as_bytes();
    if !b.first()?.is_ascii_digit() || !b.last()?.is_ascii_digit() {
        return None;
    }
    let mut prev_sep = false;
    let mut out = String::with_capacity(t.len());
    for &c in b {
        if c.is_ascii_digit() {
            out.push(char::from(c));
            prev_sep = false;
        } else if matches!(c, b'.' | b'-') && !prev_sep {
            prev_sep = true;
        } else {
            return None;
        }
    }
    Some(out)
}

/// What a run of digits is.
enum NumKind {
    Code(DossierCode),
    BadCode(DossierCodeError),
    Id,
    Phone,
    /// A number of a length nothing has, worth a word when it came close.
    WrongLength(usize),
    /// A short number (a house number, a year): ignored.
    Other,
}

fn num_kind(d: &str) -> NumKind {
    let n = d.len();
    match n {
        CODE_LEN => match DossierCode::parse(d) {
            Ok(c) => NumKind::Code(c),
            Err(e) => NumKind::BadCode(e),
        },
        ID_DIGITS | CMND_DIGITS => NumKind::Id,
        10 if d.starts_with('0') => NumKind::Phone,
        11 if d.starts_with("84") => NumKind::Phone,
        14..=18 => NumKind::BadCode(DossierCodeError::WrongLength { found: n }),
        10 | 11 | 13 => NumKind::WrongLength(n),
        _ => NumKind::Other,
    }
}

fn id_length_problem(n: usize) -> (String, String) {
    (
        format!(
            "Số định danh cá nhân (số thẻ căn cước) có {ID_DIGITS} chữ số, số CMND cũ có {CMND_DIGITS} chữ số; số bạn gửi có {n} chữ số. Vui lòng kiểm tra lại."
        ),
        format!(
            "A personal ID number (the card number) has {ID_DIGITS} digits and an old CMND number {CMND_DIGITS}; the number you sent has {n} digits. Please check it."
        ),
    )
}

fn phone_problem() -> (String, String) {
    (
        format!(
            "Số bạn gửi giống số điện thoại (10 chữ số, bắt đầu bằng 0), không phải số định danh. Số định danh cá nhân (số thẻ căn cước) có {ID_DIGITS} chữ số; số CMND cũ có {CMND_DIGITS} chữ số."
        ),
        format!(
            "The number you sent looks like a phone number (10 digits starting with 0), not an ID number. A personal ID number (the card number) has {ID_DIGITS} digits; an old CMND number {CMND_DIGITS}."
        ),
    )
}

/// Folded words that are never part of a name in these messages.
const NOT_NAME: &[&str] = &[
    "toi", "ban", "cua", "khong", "ko", "chua", "xong", "cccd", "cmnd", "cmt", "nhe", "vay", "sao",
    "gi", "nao", "oi", "ad", "admin", "ok", "oke", "okay", "giup", "muon", "roi", "nhung", "voi",
    "please", "thanks", "thank", "hello", "hi", "yes", "no", "my", "name", "is", "chao", "xin",
    "alo", "ngay", "sinh", "em", "sdt", "dt", "so", "menu", "hotline", "status", "check",
    "english",
];
/// Folded phrases that are never part of a name.
const NOT_NAME_PHRASES: &[&str] = &[
    "tra cuu",
    "can cuoc",
    "dinh danh",
    "ho so",
    "ngay sinh",
    "le phi",
    "thu tuc",
    "thoi han",
    "dat lich",
    "can bo",
    "cam on",
    "tieng viet",
    "lam viec",
    "dien thoai",
    "cong an",
];
/// Phrases that introduce a name in a sentence (`tên tôi là …`).
const NAME_INTRO: &[&str] = &[
    "ten toi la",
    "toi ten la",
    "toi ten",
    "ten la",
    "ho va ten",
    "ho ten",
    "ten",
    "my name is",
    "full name",
    "name",
];

/// A name from the words of one segment (as typed, and folded): the words
/// after an introducing phrase (strong), or the whole segment (weak); with
/// whether every word starts with a capital.
fn name_from_segment(words: &[&str], folded: &[String]) -> Option<(String, bool, bool)> {
    let mut start = 0;
    let mut strong = false;
    let intro = NAME_INTRO
        .iter()
        .filter_map(|p| find_phrase(folded, p).map(|i| (i, p.split(' ').count())))
        .min_by_key(|&(i, n)| (i, std::cmp::Reverse(n)));
    if let Some((i, n)) = intro {
        start = i + n;
        strong = true;
    }
    let words = words.get(start..)?;
    let folded = folded.get(start..)?;
    if !(2..=6).contains(&words.len()) {
        return None;
    }
    let letters = |w: &&str| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '-'))
    };
    if !words.iter().all(letters) {
        return None;
    }
    if folded.iter().any(|f| NOT_NAME.contains(&f.as_str()))
        || NOT_NAME_PHRASES
            .iter()
            .any(|p| find_phrase(folded, p).is_some())
    {
        return None;
    }
    let proper = words
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    Some((words.join(" "), strong, proper))
}

/// A name from a labelled value: letters, spaces, `'` and `-`, 2 to 60
/// characters, whitespace collapsed.
fn clean_name(value: &str) -> Option<String> {
    let name = value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| matches!(c, '.' | ',' | ';' | '-' | ':'))
        .trim()
        .to_owned();
    let n = name.chars().count();
    let ok = (2..=60).contains(&n)
        && name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || matches!(c, '\'' | '-' | '.'));
    ok.then_some(name)
}

/// A date of birth from a labelled value: `ngày 15 tháng 3 năm 1990`, or
/// the leading digits and separators (`15/03/1990`, `15 3 1990`, `1990`).
fn dob_value(value: &str) -> Option<String> {
    let w = Words::of(value);
    if let Some(d) = spelled_date(&w.folded).map(|(d, _)| d) {
        return Some(d);
    }
    let v = value.trim_start();
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c.is_whitespace() || matches!(c, '/' | '.' | '-')))
        .unwrap_or(v.len());
    let d = v
        .get(..end)?
        .trim()
        .trim_end_matches(['.', '-', '/'])
        .trim();
    d.bytes().any(|b| b.is_ascii_digit()).then(|| d.to_owned())
}

/// `15 tháng 3 năm 1990` in folded words: the date as `15/3/1990` and the
/// index of its first word.
fn spelled_date(folded: &[String]) -> Option<(String, usize)> {
    let digits = |s: &String, lens: &[usize]| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    folded.windows(5).enumerate().find_map(|(i, w)| match w {
        [d, t, m, n, y]
            if digits(d, &[1, 2])
                && t == "thang"
                && digits(m, &[1, 2])
                && n == "nam"
                && digits(y, &[4]) =>
        {
            Some((format!("{d}/{m}/{y}"), i))
        }
        _ => None,
    })
}

/// Strips a list marker at the start of a line: `1.`, `2)`, `-`, `*`, `•`.
fn strip_marker(line: &str) -> &str {
    let t = line.trim_start();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=2).contains(&digits)
        && let Some(rest) = t.get(digits..)
        && let Some(rest) = rest.strip_prefix(['.', ')'])
        && rest.starts_with(char::is_whitespace)
    {
        return rest.trim_start();
    }
    if let Some(rest) = t.strip_prefix(['-', '*', '•', '+', '–'])
        && rest.starts_with(char::is_whitespace)
    {
        return rest.trim_start();
    }
    t
}

/// Words that say a date is the date of birth.
const BIRTH_WORDS: &[&str] = &["sinh", "ns", "dob", "birth", "born"];
/// Words that say a date is another date (application, issue, appointment).
const OTHER_DATE_WORDS: &[&str] = &[
    "lam", "nop", "cap", "hen", "nhan", "tiep", "dang", "ky", "tu", "apply", "applied", "issued",
    "since",
];

impl Scan {
    fn of(text: &str) -> Self {
        let mut s = Scan::default();
        for line in text.lines() {
            s.line(strip_marker(line));
        }
        if s.name.is_none() && (s.number.is_some() || s.dob.is_some() || s.code.is_some()) {
            let pick = s
                .candidates
                .iter()
                .find(|c| c.1 || c.2)
                .or_else(|| s.candidates.first());
            if let Some((name, strong, _)) = pick {
                s.name = Some(name.clone());
                s.name_strong = *strong;
            }
        }
        s
    }

    fn set_dob(&mut self, dob: String, strength: u8) {
        if strength > self.dob_strength {
            self.dob = Some(dob);
            self.dob_strength = strength;
        }
    }

    fn set_bad(&mut self, problem: (String, String)) {
        if self.bad.is_none() {
            self.bad = Some(problem);
        }
    }

    fn line(&mut self, line: &str) {
        let (label, value) = match line.split_once(':') {
            Some((l, v)) => match classify_label(l) {
                Label::None => (Label::None, line),
                label => (label, v),
            },
            None => (Label::None, line),
        };
        match label {
            Label::Place | Label::OtherDate => {}
            Label::Phone => {
                // Never an ID, whatever its length.
            }
            Label::Name => {
                // The first labelled name wins.
                if !self.name_strong
                    && let Some(n) = clean_name(value)
                {
                    self.name = Some(n);
                    self.name_strong = true;
                }
            }
            Label::Dob => {
                if let Some(d) = dob_value(value) {
                    self.set_dob(d, DOB_STRONG);
                }
            }
            Label::Number => self.free(value, true),
            Label::None => self.free(value, false),
        }
    }

    /// Reads numbers, dates and name candidates from unlabelled text (or
    /// the value of a number label, `number_label`).
    fn free(&mut self, text: &str, number_label: bool) {
        let w = Words::of(text);
        if let Some((d, i)) = spelled_date(&w.folded) {
            let before = w.folded.get(i.saturating_sub(4)..i).unwrap_or(&[]);
            self.date_with_context(d, before);
        }
        let toks = tokenize(text);
        let mut chunk: Vec<String> = Vec::new();
        let mut seg: Vec<&str> = Vec::new();
        let mut context: Vec<String> = Vec::new();
        for t in &toks {
            if t.break_before {
                self.chunk(&mut chunk, &context, number_label);
                self.segment(&mut seg);
            }
            match &t.tok {
                Tok::Num(d) => {
                    self.segment(&mut seg);
                    chunk.push(d.clone());
                }
                Tok::Date(d) => {
                    self.chunk(&mut chunk, &context, number_label);
                    self.segment(&mut seg);
                    let start = context.len().saturating_sub(4);
                    let before = context.get(start..).unwrap_or(&[]).to_vec();
                    self.date_with_context((*d).to_owned(), &before);
                    context.push(String::new());
                }
                Tok::Word(word) => {
                    self.chunk(&mut chunk, &context, number_label);
                    seg.push(word);
                    context.push(search_key(word));
                }
            }
        }
        self.chunk(&mut chunk, &context, number_label);
        self.segment(&mut seg);
    }

    fn date_with_context(&mut self, date: String, before: &[String]) {
        let has = |list: &[&str]| before.iter().any(|w| list.contains(&w.as_str()));
        if has(BIRTH_WORDS) {
            self.set_dob(date, DOB_STRONG);
        } else if !has(OTHER_DATE_WORDS) {
            self.set_dob(date, DOB_NEUTRAL);
        }
    }

    fn segment(&mut self, seg: &mut Vec<&str>) {
        if seg.is_empty() {
            return;
        }
        let folded: Vec<String> = seg.iter().map(|w| search_key(w)).collect();
        if let Some(c) = name_from_segment(seg, &folded) {
            self.candidates.push(c);
        }
        seg.clear();
    }

    /// Classifies a run of number tokens, whole or token by token.
    fn chunk(&mut self, chunk: &mut Vec<String>, context: &[String], number_label: bool) {
        if chunk.is_empty() {
            return;
        }
        let all: String = chunk.concat();
        let whole = num_kind(&all);
        if chunk.len() == 1 || matches!(whole, NumKind::Code(_) | NumKind::Id) {
            self.take(whole, &all, context, number_label);
        } else {
            let parts: Vec<NumKind> = chunk.iter().map(|d| num_kind(d)).collect();
            if parts
                .iter()
                .any(|k| matches!(k, NumKind::Code(_) | NumKind::Id | NumKind::Phone))
            {
                // Several numbers side by side (`079090123456 0912345678`,
                // or an ID and a year that together make 16 digits): each
                // is read on its own.
                for (k, d) in parts.into_iter().zip(chunk.iter()) {
                    self.take(k, d, context, number_label);
                }
            } else {
                self.take(whole, &all, context, number_label);
            }
        }
        chunk.clear();
    }

    fn take(&mut self, kind: NumKind, digits: &str, context: &[String], number_label: bool) {
        match kind {
            NumKind::Code(c) => {
                if self.code.is_none() {
                    self.code = Some(c);
                }
            }
            NumKind::BadCode(e) => self.set_bad((e.message_vi(), e.message_en())),
            NumKind::Id => {
                if self.number.is_none() {
                    self.number = Some(digits.to_owned());
                }
            }
            NumKind::Phone => {
                if number_label {
                    self.set_bad(phone_problem());
                } else {
                    self.phone = true;
                }
            }
            NumKind::WrongLength(n) => self.set_bad(id_length_problem(n)),
            NumKind::Other => {
                let n = digits.len();
                let last2: Vec<&str> = context
                    .iter()
                    .rev()
                    .take(2)
                    .rev()
                    .map(String::as_str)
                    .collect();
                if n == 4 && matches!(last2.as_slice(), ["sinh", "nam"] | ["nam", "sinh"]) {
                    self.set_dob(digits.to_owned(), DOB_WEAK);
                } else if number_label && n >= 5 {
                    self.set_bad(id_length_problem(n));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
