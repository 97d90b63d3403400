//! The chat conversation (hội thoại): a small state machine over
//! [`understand::Intent`], its state stored by
//! the service between messages (serde JSON).
//!
//! Each message is read by [`understand`](super::understand::understand)
//! and answered by [`respond`] from the conversation's [`Step`]: a code
//! asked for, the identity being gathered (number, date of birth and name,
//! in any order and any number of messages, only what is missing asked
//! again), a place asked for. What needs the store comes back as a
//! [`Need`]; the service looks it up and answers with [`status_reply`],
//! [`offices_reply`] or [`handoff_reply`]. Three wrong entries in a row
//! offer a human officer. The first answer says the assistant is automatic
//! (Messenger's policy); the menu offers every topic as a choice whose
//! payload [`understand`](super::understand::understand) reads exactly.
//!
//! What a citizen is told about a dossier is [`guidance`]: its headline,
//! the date that matters and what to do next, never reworded here. Every
//! reply keeps the platforms' limits ([`MAX_TEXT_CHARS`], [`MAX_CHOICES`],
//! [`MAX_TITLE_CHARS`]).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::understand::{
    self, Intent, PAYLOAD_BOOKING, PAYLOAD_DEADLINES, PAYLOAD_ENGLISH, PAYLOAD_FEES, PAYLOAD_HUMAN,
    PAYLOAD_MENU, PAYLOAD_NO_CODE, PAYLOAD_OFFICES, PAYLOAD_PROCEDURE, PAYLOAD_STATUS,
    PAYLOAD_VIETNAMESE,
};
use super::{Choice, Need, OfficeFacts, Reply, StatusFacts, answers};
use crate::calendar::WorkingCalendar;
use crate::dossier::code::CODE_LEN;
use crate::dossier::guidance::{KeyDate, guidance};
use crate::dossier::workflow::State;
use crate::i18n::{Lang, Localized};
use crate::id::{CMND_DIGITS, ID_DIGITS};
use crate::person::PartialDate;
use crate::rules::vi_date;

/// The longest reply text, in characters (Zalo's and Messenger's limit).
pub const MAX_TEXT_CHARS: usize = 2000;
/// The most choices under one reply (Messenger's quick replies).
pub const MAX_CHOICES: usize = 13;
/// The longest choice title, in characters (Messenger cuts there).
pub const MAX_TITLE_CHARS: usize = 20;
/// Wrong entries in a row after which a human officer is offered.
pub const WRONG_BEFORE_HUMAN: u8 = 3;
/// At most this many offices are listed in one reply.
pub const MAX_OFFICES: usize = 5;

/// Where a conversation stands between two messages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// The language it is held in (Vietnamese unless asked otherwise).
    pub lang: Lang,
    /// What the bot waits for.
    pub step: Step,
    /// Wrong entries in a row at the current step (three → offer a human).
    pub wrong: u8,
}

/// What the bot waits for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Nothing in particular: the menu was shown or an answer given.
    #[default]
    Menu,
    /// A dossier code.
    AwaitCode,
    /// The ID number, date of birth and name (any order, any lines); what
    /// was already given is kept.
    AwaitIdentity {
        /// The number given so far.
        number: Option<String>,
        /// The date of birth given so far, as typed.
        dob: Option<String>,
        /// The name given so far.
        name: Option<String>,
    },
    /// A province or commune, for office hours and hotlines.
    AwaitPlace,
    /// With a human officer: the bot stays silent until the officer closes.
    Human,
}

/// What the dialogue knows of the world without the store.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Today in Vietnam.
    pub today: Date,
    /// The working calendar (deadlines).
    pub calendar: &'a WorkingCalendar,
    /// The portal's booking page, absolute (`https://…/dat-lich`).
    pub booking_url: &'a str,
    /// The portal's lookup page, absolute.
    pub lookup_url: &'a str,
}

/// One turn: the replies to send now, and what the service must look up
/// before the rest of the answer ([`Need::Nothing`] when none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// Replies to send now (before the looked-up answer, if any).
    pub replies: Vec<Reply>,
    /// What to look up next.
    pub need: Need,
}

impl Turn {
    fn say(reply: Reply) -> Self {
        Self {
            replies: vec![reply],
            need: Need::Nothing,
        }
    }

    fn need(need: Need) -> Self {
        Self {
            replies: Vec::new(),
            need,
        }
    }

    fn silent() -> Self {
        Self::need(Need::Nothing)
    }
}

/// The text in the conversation's language.
fn tr<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The choices the dialogue offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opt {
    Status,
    NoCode,
    Procedure,
    Fees,
    Deadlines,
    Offices,
    Booking,
    Human,
    OtherLanguage,
    Menu,
}

impl Opt {
    fn choice(self, lang: Lang) -> Choice {
        let (vi, en, payload) = match self {
            Opt::Status => ("Tra cứu hồ sơ", "Check status", PAYLOAD_STATUS),
            Opt::NoCode => ("Không có mã", "No code", PAYLOAD_NO_CODE),
            Opt::Procedure => ("Thủ tục", "Procedure", PAYLOAD_PROCEDURE),
            Opt::Fees => ("Lệ phí", "Fees", PAYLOAD_FEES),
            Opt::Deadlines => ("Thời hạn", "Processing time", PAYLOAD_DEADLINES),
            Opt::Offices => ("Giờ làm việc", "Office hours", PAYLOAD_OFFICES),
            Opt::Booking => ("Đặt lịch", "Book appointment", PAYLOAD_BOOKING),
            Opt::Human => ("Gặp cán bộ", "Talk to an officer", PAYLOAD_HUMAN),
            Opt::OtherLanguage => match lang {
                Lang::Vi => ("English", "English", PAYLOAD_ENGLISH),
                Lang::En => ("Tiếng Việt", "Tiếng Việt", PAYLOAD_VIETNAMESE),
            },
            Opt::Menu => ("Menu", "Menu", PAYLOAD_MENU),
        };
        Choice {
            title: tr(lang, vi, en).to_owned(),
            payload: payload.to_owned(),
        }
    }
}

/// The main menu's choices.
const MENU: [Opt; 8] = [
    Opt::Status,
    Opt::Procedure,
    Opt::Fees,
    Opt::Deadlines,
    Opt::Offices,
    Opt::Booking,
    Opt::Human,
    Opt::OtherLanguage,
];

/// A reply with `text` (kept within [`MAX_TEXT_CHARS`]) and `opts`.
fn reply(lang: Lang, text: &str, opts: &[Opt]) -> Reply {
    Reply {
        text: limit(text, MAX_TEXT_CHARS),
        choices: opts
            .iter()
            .take(MAX_CHOICES)
            .map(|o| o.choice(lang))
            .collect(),
    }
}

/// At most `max` characters of `text`, cut at a line or word with `…`.
fn limit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = head
        .rfind(['\n', ' '])
        .filter(|&i| i > head.len() / 2)
        .and_then(|i| head.get(..i))
        .unwrap_or(&head);
    format!("{}…", cut.trim_end())
}

/// Counts a wrong entry; from the third in a row, offers a human.
fn wrong(conv: &mut Conversation, text: &str, opts: &[Opt]) -> Reply {
    conv.wrong = conv.wrong.saturating_add(1);
    if conv.wrong < WRONG_BEFORE_HUMAN {
        return reply(conv.lang, text, opts);
    }
    let offer = tr(
        conv.lang,
        "Có vẻ tôi chưa giúp được bạn. Bạn có thể chọn \"Gặp cán bộ\" để được cán bộ hỗ trợ.",
        "It seems I cannot help with this. Choose \"Talk to an officer\" to reach a person.",
    );
    let mut with_human = vec![Opt::Human];
    with_human.extend(opts.iter().copied().filter(|o| *o != Opt::Human));
    reply(conv.lang, &format!("{text}\n\n{offer}"), &with_human)
}

fn welcome(lang: Lang) -> Reply {
    let text = tr(
        lang,
        "Xin chào! Tôi là trợ lý tự động (chatbot) của cơ quan Công an, không phải cán bộ. Tôi có thể tra cứu tình trạng hồ sơ cấp thẻ căn cước, hướng dẫn thủ tục, lệ phí, thời hạn, giờ làm việc và đặt lịch hẹn. Khi cần, hãy chọn \"Gặp cán bộ\" để trò chuyện với cán bộ. Bạn cần gì?",
        "Hello! I am an automated assistant (a chatbot) of the police offices, not a person. I can check the status of your identity card application and tell you the procedure, fees, processing time, office hours, and how to book an appointment. Choose \"Talk to an officer\" at any time to chat with a person. What do you need?",
    );
    reply(lang, text, &MENU)
}

fn ask_code(lang: Lang) -> Reply {
    let text = match lang {
        Lang::Vi => format!(
            "Vui lòng gửi mã hồ sơ ({CODE_LEN} chữ số, in dưới mã vạch trên giấy hẹn trả kết quả). Không có mã? Chọn \"Không có mã\" để tra cứu bằng số định danh cá nhân ({ID_DIGITS} chữ số) hoặc số CMND cũ ({CMND_DIGITS} chữ số), ngày sinh và họ tên."
        ),
        Lang::En => format!(
            "Please send the dossier code ({CODE_LEN} digits, printed under the barcode of your appointment slip). No code? Choose \"No code\" to look it up with your personal ID number ({ID_DIGITS} digits) or old CMND number ({CMND_DIGITS} digits), date of birth and full name."
        ),
    };
    reply(lang, &text, &[Opt::NoCode, Opt::Human, Opt::Menu])
}

fn ask_place(lang: Lang) -> Reply {
    let text = tr(
        lang,
        "Bạn cần giờ làm việc, địa chỉ và đường dây nóng của cơ quan ở đâu? Vui lòng gửi tên xã, phường hoặc tỉnh, thành phố (ví dụ: Hoàn Kiếm, Hà Nội).",
        "Which office's hours, address and hotline do you need? Please send the name of the commune or ward, or the province or city (for example: Hoan Kiem, Ha Noi).",
    );
    reply(lang, text, &[Opt::Menu])
}

/// The identity gathered so far.
#[derive(Clone, Debug, Default)]
struct Ident {
    number: Option<String>,
    dob: Option<String>,
    name: Option<String>,
}

impl Ident {
    fn merge(&mut self, number: Option<String>, dob: Option<String>, name: Option<String>) {
        if number.is_some() {
            self.number = number;
        }
        if dob.is_some() {
            self.dob = dob;
        }
        if name.is_some() {
            self.name = name;
        }
    }

    fn into_step(self) -> Step {
        Step::AwaitIdentity {
            number: self.number,
            dob: self.dob,
            name: self.name,
        }
    }
}

/// "Please send X, Y and Z": exactly what is still missing.
fn ask_missing(lang: Lang, id: &Ident) -> String {
    let mut missing: Vec<String> = Vec::new();
    let mut given: Vec<&str> = Vec::new();
    if id.number.is_none() {
        missing.push(match lang {
            Lang::Vi => format!(
                "số định danh cá nhân ({ID_DIGITS} chữ số) hoặc số CMND cũ ({CMND_DIGITS} chữ số)"
            ),
            Lang::En => format!(
                "your personal ID number ({ID_DIGITS} digits) or old CMND number ({CMND_DIGITS} digits)"
            ),
        });
    } else {
        given.push(tr(lang, "số giấy tờ", "the number"));
    }
    if id.dob.is_none() {
        missing.push(
            tr(
                lang,
                "ngày sinh (ví dụ 15/03/1990)",
                "your date of birth (for example 15/03/1990)",
            )
            .to_owned(),
        );
    } else {
        given.push(tr(lang, "ngày sinh", "the date of birth"));
    }
    if id.name.is_none() {
        missing.push(tr(lang, "họ và tên đầy đủ", "your full name").to_owned());
    } else {
        given.push(tr(lang, "họ tên", "the name"));
    }
    let and = tr(lang, " và ", " and ");
    let join = |items: &[String]| match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    };
    let given: Vec<String> = given.iter().map(|s| (*s).to_owned()).collect();
    match (lang, given.is_empty()) {
        (Lang::Vi, true) => format!(
            "Để tra cứu không cần mã hồ sơ, vui lòng gửi {}. Có thể gửi trong một tin nhắn, mỗi thông tin một dòng, ví dụ:\nHọ tên: Nguyễn Văn An\nNgày sinh: 15/03/1990\nSố CCCD: ({ID_DIGITS} chữ số)",
            join(&missing)
        ),
        (Lang::En, true) => format!(
            "To look up without the dossier code, please send {}. One message is fine, one item per line, for example:\nName: Nguyen Van An\nDate of birth: 15/03/1990\nID number: ({ID_DIGITS} digits)",
            join(&missing)
        ),
        (Lang::Vi, false) => format!(
            "Đã nhận {}. Vui lòng gửi thêm {}.",
            join(&given),
            join(&missing)
        ),
        (Lang::En, false) => format!("Got {}. Please also send {}.", join(&given), join(&missing)),
    }
}

/// Reads a typed date of birth: a real date, not after today.
fn parse_dob(lang: Lang, typed: &str, today: Date) -> Result<PartialDate, String> {
    let d = PartialDate::parse_typed(typed).map_err(|e| e.message(lang))?;
    let future = match d {
        PartialDate::Full(day) => day > today,
        PartialDate::YearMonth { year, month } => (year, month) > (today.year(), today.month()),
        PartialDate::Year(y) => y > today.year(),
    };
    if future {
        return Err(match lang {
            Lang::Vi => format!(
                "Ngày sinh “{}” ở sau ngày hôm nay ({}): vui lòng kiểm tra lại.",
                typed.trim(),
                vi_date(today)
            ),
            Lang::En => format!(
                "The date of birth “{}” is after today ({}): please check it.",
                typed.trim(),
                vi_date(today)
            ),
        });
    }
    Ok(d)
}

/// The bot's answer to one message `text` (typed, or a choice's payload),
/// moving `conv` on.
pub fn respond(conv: &mut Conversation, text: &str, ctx: &Context<'_>) -> Turn {
    let intent = understand::understand(text);
    if conv.step == Step::Human {
        // The officer answers; only a language switch is the bot's.
        return match intent {
            Intent::Language(lang) => {
                conv.lang = lang;
                let t = tr(
                    lang,
                    "Đã chuyển sang tiếng Việt. Cán bộ sẽ tiếp tục trả lời bạn tại đây.",
                    "Switched to English. An officer will keep answering you here.",
                );
                Turn::say(reply(lang, t, &[]))
            }
            _ => Turn::silent(),
        };
    }
    let step = std::mem::take(&mut conv.step);
    match step {
        Step::AwaitIdentity { number, dob, name } => {
            let id = Ident { number, dob, name };
            identity_turn(conv, text, intent, id, ctx)
        }
        // A name where the code was asked: the citizen has no code and
        // starts with who they are (kept, the rest is asked for).
        Step::AwaitCode if intent == Intent::Unknown && understand::name_like(text).is_some() => {
            identity_turn(conv, text, intent, Ident::default(), ctx)
        }
        Step::AwaitCode if intent == Intent::Unknown => {
            conv.step = Step::AwaitCode;
            let again = match conv.lang {
                Lang::Vi => format!(
                    "Tôi chưa thấy mã hồ sơ trong tin nhắn. Mã hồ sơ gồm {CODE_LEN} chữ số, in dưới mã vạch trên giấy hẹn trả kết quả. Không có mã? Chọn \"Không có mã\"."
                ),
                Lang::En => format!(
                    "I found no dossier code in your message. The code has {CODE_LEN} digits, printed under the barcode of the appointment slip. No code? Choose \"No code\"."
                ),
            };
            Turn::say(wrong(conv, &again, &[Opt::NoCode, Opt::Menu]))
        }
        Step::AwaitPlace if intent == Intent::Unknown => {
            let place = understand::place_of(text).unwrap_or_else(|| text.trim().to_owned());
            let n = place.chars().count();
            if (2..=80).contains(&n) && place.chars().any(char::is_alphanumeric) {
                conv.wrong = 0;
                Turn::need(Need::Offices { place })
            } else {
                conv.step = Step::AwaitPlace;
                let r = ask_place(conv.lang);
                Turn::say(wrong(conv, &r.text, &[Opt::Menu]))
            }
        }
        step => {
            conv.step = step;
            general(conv, intent, text, ctx)
        }
    }
}

/// The answer to an intent outside a step that reads it itself.
fn general(conv: &mut Conversation, intent: Intent, text: &str, ctx: &Context<'_>) -> Turn {
    let lang = conv.lang;
    let pending = std::mem::take(&mut conv.step);
    if !matches!(
        intent,
        Intent::Language(_) | Intent::BadCode { .. } | Intent::Unknown
    ) {
        conv.wrong = 0;
    }
    match intent {
        Intent::Greeting | Intent::Menu => Turn::say(welcome(lang)),
        Intent::StatusByCode(code) => Turn::need(Need::StatusByCode(code)),
        Intent::BadCode {
            problem_vi,
            problem_en,
        } => {
            let problem = tr(lang, &problem_vi, &problem_en).to_owned();
            let (number, dob, name) = understand::identity_parts(text);
            if dob.is_some() || name.is_some() || matches!(pending, Step::AwaitIdentity { .. }) {
                let mut id = match pending {
                    Step::AwaitIdentity { number, dob, name } => Ident { number, dob, name },
                    _ => Ident::default(),
                };
                id.merge(number, dob, name);
                let ask = ask_missing(lang, &id);
                conv.step = id.into_step();
                return Turn::say(wrong(conv, &format!("{problem}\n{ask}"), &[Opt::Menu]));
            }
            conv.step = Step::AwaitCode;
            Turn::say(wrong(conv, &problem, &[Opt::NoCode, Opt::Menu]))
        }
        Intent::StatusAsk => {
            conv.step = Step::AwaitCode;
            Turn::say(ask_code(lang))
        }
        intent @ Intent::Identity { .. } => {
            identity_turn(conv, text, intent, Ident::default(), ctx)
        }
        Intent::Procedure => Turn::say(reply(
            lang,
            &answers::procedure(lang, ctx.today),
            &[Opt::Booking, Opt::Fees, Opt::Menu],
        )),
        Intent::Fees => Turn::say(reply(
            lang,
            &answers::fees(lang, ctx.today),
            &[Opt::Procedure, Opt::Booking, Opt::Menu],
        )),
        Intent::Deadlines => Turn::say(reply(
            lang,
            &answers::deadlines(lang, ctx.today, ctx.calendar),
            &[Opt::Status, Opt::Menu],
        )),
        Intent::Offices { place: None } => {
            conv.step = Step::AwaitPlace;
            Turn::say(ask_place(lang))
        }
        Intent::Offices { place: Some(place) } => Turn::need(Need::Offices { place }),
        Intent::Booking => {
            let text = match lang {
                Lang::Vi => format!(
                    "Đặt lịch hẹn làm thẻ căn cước tại: {}\nChọn cơ quan, ngày và giờ phù hợp; khi đến, mang theo mã đặt lịch và giấy tờ cần thiết.",
                    ctx.booking_url
                ),
                Lang::En => format!(
                    "Book an appointment for your identity card at: {}\nChoose the office, day and time; bring your booking code and the documents needed.",
                    ctx.booking_url
                ),
            };
            Turn::say(reply(lang, &text, &[Opt::Procedure, Opt::Menu]))
        }
        Intent::Human => Turn::need(Need::Human),
        Intent::Language(new) => {
            conv.lang = new;
            let confirm = tr(new, "Đã chuyển sang tiếng Việt.", "Switched to English.");
            let (text, opts): (String, &[Opt]) = match &pending {
                Step::AwaitCode => (
                    format!("{confirm}\n{}", ask_code(new).text),
                    &[Opt::NoCode, Opt::Menu],
                ),
                Step::AwaitPlace => (format!("{confirm}\n{}", ask_place(new).text), &[Opt::Menu]),
                Step::AwaitIdentity { number, dob, name } => {
                    let id = Ident {
                        number: number.clone(),
                        dob: dob.clone(),
                        name: name.clone(),
                    };
                    (
                        format!("{confirm}\n{}", ask_missing(new, &id)),
                        &[Opt::Menu],
                    )
                }
                Step::Menu | Step::Human => (format!("{confirm} {}", welcome(new).text), &MENU),
            };
            conv.step = pending;
            Turn::say(reply(new, &text, opts))
        }
        Intent::Thanks => Turn::say(reply(
            lang,
            tr(
                lang,
                "Rất vui được hỗ trợ bạn. Khi cần, bạn cứ nhắn cho tôi.",
                "Glad to help. Write any time you need.",
            ),
            &[Opt::Menu],
        )),
        Intent::Unknown => {
            let t = tr(
                lang,
                "Xin lỗi, tôi chưa hiểu tin nhắn này. Bạn có thể gửi mã hồ sơ, hoặc chọn một mục dưới đây.",
                "Sorry, I did not understand this message. You can send your dossier code, or choose an item below.",
            );
            Turn::say(wrong(conv, t, &MENU))
        }
    }
}

/// Gathers the identity (number, date of birth, name) from `intent` and
/// `text` onto `id`, and asks for what is missing or looks it up.
fn identity_turn(
    conv: &mut Conversation,
    text: &str,
    intent: Intent,
    mut id: Ident,
    ctx: &Context<'_>,
) -> Turn {
    let lang = conv.lang;
    match intent {
        Intent::Identity { number, dob, name } => id.merge(number, dob, name),
        Intent::Unknown => {
            if id.name.is_none()
                && let Some(name) = understand::name_like(text)
            {
                id.name = Some(name);
            } else if id.dob.is_none() && PartialDate::parse_typed(text).is_ok() {
                id.dob = Some(text.trim().to_owned());
            } else {
                let ask = ask_missing(lang, &id);
                let t = match lang {
                    Lang::Vi => format!("Tôi chưa đọc được thông tin trong tin nhắn này. {ask}"),
                    Lang::En => format!("I could not read anything I need in this message. {ask}"),
                };
                conv.step = id.into_step();
                return Turn::say(wrong(conv, &t, &[Opt::Menu]));
            }
        }
        intent @ (Intent::BadCode { .. } | Intent::Language(_)) => {
            conv.step = id.into_step();
            return general(conv, intent, text, ctx);
        }
        other => {
            // A full name may hold a keyword (`Lê Thị Phí`): three or more
            // capitalised words are the name asked for.
            let name = understand::name_like(text).filter(|n| {
                n.split(' ').count() >= 3
                    && n.split(' ')
                        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            });
            match name {
                Some(n) if id.name.is_none() => id.name = Some(n),
                _ => return general(conv, other, text, ctx),
            }
        }
    }
    let dob = match id.dob.as_deref().map(|d| parse_dob(lang, d, ctx.today)) {
        Some(Err(problem)) => {
            id.dob = None;
            let ask = ask_missing(lang, &id);
            conv.step = id.into_step();
            return Turn::say(wrong(conv, &format!("{problem}\n{ask}"), &[Opt::Menu]));
        }
        Some(Ok(d)) => Some(d),
        None => None,
    };
    conv.wrong = 0;
    match (id.number.clone(), dob, id.name.clone()) {
        (Some(number), Some(dob), Some(name)) => {
            conv.step = Step::Menu;
            Turn::need(Need::StatusByPerson {
                number,
                dob,
                name: Some(name),
            })
        }
        _ => {
            let ask = ask_missing(lang, &id);
            conv.step = id.into_step();
            Turn::say(reply(lang, &ask, &[Opt::Menu]))
        }
    }
}

/// The answer to a [`Need::StatusByCode`] or [`Need::StatusByPerson`]:
/// `None` when nothing matched (worded so that it never tells which of
/// number, date or name was wrong).
pub fn status_reply(
    conv: &mut Conversation,
    facts: Option<&StatusFacts>,
    ctx: &Context<'_>,
) -> Reply {
    let lang = conv.lang;
    conv.step = Step::Menu;
    let Some(f) = facts else {
        let text = match lang {
            Lang::Vi => format!(
                "Không tìm thấy hồ sơ nào khớp với thông tin bạn gửi. Vui lòng kiểm tra lại thông tin đã gửi, hoặc tra cứu bằng mã hồ sơ {CODE_LEN} chữ số in trên giấy hẹn trả kết quả (cũng tra cứu được tại {}). Nếu vẫn không tìm thấy, bạn có thể gặp cán bộ.",
                ctx.lookup_url
            ),
            Lang::En => format!(
                "No application matches what you sent. Please check the details you sent, or look it up with the {CODE_LEN}-digit dossier code printed on your appointment slip (also at {}). If it is still not found, you can talk to an officer.",
                ctx.lookup_url
            ),
        };
        return wrong(
            conv,
            &text,
            &[Opt::Status, Opt::NoCode, Opt::Human, Opt::Menu],
        );
    };
    conv.wrong = 0;
    let g = guidance(f.state);
    let mut lines: Vec<String> = Vec::new();
    let headline = tr(lang, g.headline_vi, g.headline_en);
    match f.code {
        Some(code) => lines.push(format!(
            "{} {}: {headline}",
            tr(lang, "Hồ sơ", "Dossier"),
            code.grouped()
        )),
        None => lines.push(headline.to_owned()),
    }
    if let Some(line) = key_date_line(lang, f, g.key_date, ctx) {
        lines.push(line);
    }
    if f.overdue {
        let promised = f.promised_on.map(vi_date);
        lines.push(match (lang, promised) {
            (Lang::Vi, Some(d)) => format!(
                "Hồ sơ đã quá hạn: ngày hẹn trả là {d}. Chúng tôi xin lỗi vì sự chậm trễ. Vui lòng gọi đường dây nóng {} của {} để biết ngày trả mới.",
                f.office_hotline, f.office_name
            ),
            (Lang::Vi, None) => format!(
                "Hồ sơ đã quá hạn trả. Chúng tôi xin lỗi vì sự chậm trễ. Vui lòng gọi đường dây nóng {} của {} để biết ngày trả mới.",
                f.office_hotline, f.office_name
            ),
            (Lang::En, Some(d)) => format!(
                "The application is overdue: it was promised for {d}. We apologise for the delay. Please call the hotline of {}, {}, for the new date.",
                f.office_name, f.office_hotline
            ),
            (Lang::En, None) => format!(
                "The application is overdue. We apologise for the delay. Please call the hotline of {}, {}, for the new date.",
                f.office_name, f.office_hotline
            ),
        });
    } else {
        lines.push(tr(lang, g.next_vi, g.next_en).to_owned());
    }
    lines.push(match lang {
        Lang::Vi => format!(
            "Cơ quan tiếp nhận: {}. Đường dây nóng: {}.",
            f.office_name, f.office_hotline
        ),
        Lang::En => format!(
            "Receiving office: {}. Hotline: {}.",
            f.office_name, f.office_hotline
        ),
    });
    reply(
        lang,
        &lines.join("\n"),
        &[Opt::Status, Opt::Human, Opt::Menu],
    )
}

/// The line of the date a state's answer leads with.
fn key_date_line(lang: Lang, f: &StatusFacts, key: KeyDate, ctx: &Context<'_>) -> Option<String> {
    match key {
        KeyDate::Appointment => f.appointment_on.map(|d| {
            format!(
                "{}: {}.",
                tr(lang, "Ngày hẹn đến nộp hồ sơ", "Appointment day"),
                vi_date(d)
            )
        }),
        // The overdue line says the promised date itself.
        KeyDate::Promised if f.overdue => None,
        KeyDate::Promised => f.promised_on.map(|d| {
            let label = tr(lang, "Ngày hẹn trả thẻ", "Promised return date");
            let left = ctx
                .calendar
                .working_days_between(ctx.today, d)
                .ok()
                .filter(|_| d >= ctx.today);
            match (lang, left) {
                (_, _) if d == ctx.today => {
                    format!(
                        "{label}: {} ({}).",
                        vi_date(d),
                        tr(lang, "hôm nay", "today")
                    )
                }
                (Lang::Vi, Some(n)) if n > 0 => {
                    format!("{label}: {} (còn {n} ngày làm việc).", vi_date(d))
                }
                (Lang::En, Some(n)) if n > 0 => {
                    format!("{label}: {} ({n} working days left).", vi_date(d))
                }
                _ => format!("{label}: {}.", vi_date(d)),
            }
        }),
        KeyDate::PromisedMayChange if f.overdue => None,
        KeyDate::PromisedMayChange => f.promised_on.map(|d| match lang {
            Lang::Vi => format!("Ngày hẹn trả dự kiến: {} (có thể thay đổi).", vi_date(d)),
            Lang::En => format!("Expected return date: {} (may change).", vi_date(d)),
        }),
        KeyDate::Ready => f.ready_on.map(|d| {
            let label = match (f.state, lang) {
                (State::Posted, Lang::Vi) => "Ngày gửi thẻ",
                (State::Posted, Lang::En) => "Posted on",
                (_, Lang::Vi) => "Thẻ có từ ngày",
                (_, Lang::En) => "Ready since",
            };
            format!("{label}: {}.", vi_date(d))
        }),
        KeyDate::None => None,
    }
}

/// The answer to a [`Need::Offices`]: up to five offices, or none found.
pub fn offices_reply(conv: &mut Conversation, offices: &[OfficeFacts]) -> Reply {
    let lang = conv.lang;
    if offices.is_empty() {
        conv.step = Step::AwaitPlace;
        let t = tr(
            lang,
            "Không tìm thấy cơ quan nào ở nơi bạn gửi. Vui lòng gửi lại tên xã, phường hoặc tỉnh, thành phố (ví dụ: Hoàn Kiếm, Hà Nội).",
            "No office found for the place you sent. Please send the name of the commune or ward, or the province or city (for example: Hoan Kiem, Ha Noi).",
        );
        return wrong(conv, t, &[Opt::Human, Opt::Menu]);
    }
    conv.step = Step::Menu;
    conv.wrong = 0;
    let (address, hotline, hours) = match lang {
        Lang::Vi => ("Địa chỉ", "Đường dây nóng", "Giờ làm việc"),
        Lang::En => ("Address", "Hotline", "Hours"),
    };
    let more = |n: usize| match lang {
        Lang::Vi => format!("Còn {n} cơ quan khác: hãy gửi tên xã, phường cụ thể hơn."),
        Lang::En => format!("{n} more offices: send a more precise commune or ward."),
    };
    // Room for the closing line, whatever the count.
    let budget = MAX_TEXT_CHARS - more(offices.len()).chars().count() - 2;
    let mut text = String::new();
    let mut shown = 0;
    for o in offices.iter().take(MAX_OFFICES) {
        let entry = format!(
            "{}\n{address}: {}\n{hotline}: {}\n{hours}: {}",
            limit(&o.name, 150),
            limit(&o.address, 250),
            limit(&o.hotline, 40),
            limit(&o.hours, 200),
        );
        let sep = if text.is_empty() { "" } else { "\n\n" };
        if text.chars().count() + sep.len() + entry.chars().count() > budget {
            break;
        }
        text.push_str(sep);
        text.push_str(&entry);
        shown += 1;
    }
    if shown < offices.len() {
        text.push_str("\n\n");
        text.push_str(&more(offices.len() - shown));
    }
    reply(lang, &text, &[Opt::Booking, Opt::Human, Opt::Menu])
}

/// The answer to a [`Need::Human`]: handed over, or (outside hours, when
/// `open` is false) the message is kept and an officer answers later.
///
/// Open: the conversation goes to [`Step::Human`] and the bot stays silent
/// until the officer closes it ([`end_handoff`]). Closed: the message waits
/// in the inbox and the bot keeps answering meanwhile ([`Step::Menu`]).
pub fn handoff_reply(conv: &mut Conversation, open: bool) -> Reply {
    let lang = conv.lang;
    conv.wrong = 0;
    if open {
        conv.step = Step::Human;
        let t = tr(
            lang,
            "Đã chuyển cuộc trò chuyện đến cán bộ. Vui lòng chờ trong giây lát, cán bộ sẽ trả lời bạn tại đây.",
            "Your conversation has been passed to an officer. Please wait a moment; an officer will answer you here.",
        );
        reply(lang, t, &[])
    } else {
        conv.step = Step::Menu;
        let t = tr(
            lang,
            "Hiện đang ngoài giờ làm việc. Tin nhắn của bạn đã được lưu, cán bộ sẽ trả lời bạn tại đây trong giờ làm việc. Trong lúc chờ, trợ lý tự động vẫn có thể giúp bạn tra cứu hồ sơ.",
            "It is outside office hours. Your message has been kept and an officer will answer you here during office hours. Meanwhile the automated assistant can still look up your application.",
        );
        reply(lang, t, &[Opt::Status, Opt::Menu])
    }
}

/// The answer when the officer closes a conversation handed over to them:
/// the bot is back, with the menu.
pub fn end_handoff(conv: &mut Conversation) -> Reply {
    conv.step = Step::Menu;
    conv.wrong = 0;
    let t = tr(
        conv.lang,
        "Cán bộ đã kết thúc cuộc trò chuyện. Trợ lý tự động tiếp tục hỗ trợ bạn; chọn một mục dưới đây khi cần.",
        "The officer has closed the conversation. The automated assistant is back; choose an item below when you need.",
    );
    reply(conv.lang, t, &MENU)
}

/// The answer when the per-sender throttle refuses a lookup.
pub fn throttled_reply(conv: &Conversation, retry_after_secs: u64) -> Reply {
    let secs = retry_after_secs.max(1);
    let wait = match (conv.lang, secs) {
        (Lang::Vi, s) if s < 60 => format!("{s} giây"),
        (Lang::Vi, s) => format!("{} phút", s.div_ceil(60)),
        (Lang::En, 1) => "1 second".to_owned(),
        (Lang::En, s) if s < 60 => format!("{s} seconds"),
        (Lang::En, s) if s.div_ceil(60) == 1 => "1 minute".to_owned(),
        (Lang::En, s) => format!("{} minutes", s.div_ceil(60)),
    };
    let text = match conv.lang {
        Lang::Vi => {
            format!("Bạn đã tra cứu nhiều lần trong thời gian ngắn. Vui lòng thử lại sau {wait}.")
        }
        Lang::En => {
            format!("You have made many lookups in a short time. Please try again in {wait}.")
        }
    };
    reply(conv.lang, &text, &[])
}

#[cfg(test)]
mod tests;
