//! The hotline's voice menu walked key by key (tổng đài trả lời tự động):
//! a pure state machine over the dated menu of [`super::hotline`], whose
//! state travels in the next request's URL, so the adapters keep nothing
//! between two keypresses. The adapters render an [`IvrTurn`] to TwiML or
//! Stringee SCCO.
//!
//! The tree, on the menu in force on the day of the call:
//!
//! ```text
//! Main ── greeting, the period's keys, "9: English"   (1 key, 5 s)
//!  ├─ procedure / fees / deadlines / info key → the answer, Main again
//!  ├─ operator key → the operator inside opening hours, else the hours
//!  │                 and the web lookup / chat advice, then hang up
//!  ├─ 9 → the same menu in the other language
//!  └─ status key → StatusMenu: 1 code, 2 ID number + birth, 0 operator
//!        ├─ 1 → Code (16 digits, #, 15 s) → Need::StatusByCode
//!        └─ 2 → Number (12 or 9 digits, #) → Birth (ddmmyyyy, #)
//!                                          → Need::StatusByPerson
//! ```
//!
//! A lookup's turn says nothing and carries a [`Need`]; the adapter asks
//! the service and plays [`status_turn`] (the state, its date, the office
//! and its hotline, what to do — or "not found", never saying which part
//! was wrong), which returns to the main menu.
//!
//! Wrong entries (an unknown key, a code of the wrong length or with a
//! wrong check digit, a number that is neither 12 nor 9 digits, a date of
//! birth that is not a real past date) are each answered with what was
//! wrong, and the prompt again; they add up along the walk, and the third
//! puts the caller through to the operator (or, outside opening hours,
//! the closing words). A completed answer or lookup starts the count over.
//! Silence at a prompt repeats it once, then goes to the main menu;
//! silence twice at the main menu ends the call.
//!
//! The ID number entered is carried in the state between the number and
//! the date of birth only. `Debug` masks it; the state's query string
//! holds it in full, so request paths are logged through
//! [`crate::id::mask_uri`] and the number is never logged.

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::hotline::{self, HotlineMenu, MenuAction};
use super::{Need, StatusFacts, answers, speech};
use crate::calendar::WorkingCalendar;
use crate::dossier::code::{CODE_LEN, DossierCode, DossierCodeError};
use crate::dossier::guidance::{KeyDate, guidance};
use crate::dossier::workflow::State;
use crate::i18n::{Lang, Localized};
use crate::id::{Cmnd, PersonalId};
use crate::person::PartialDate;

/// Where a call stands: which prompt was last played, wrong entries so far.
/// Encoded in the next request's query string ([`IvrState::to_query`]).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IvrState {
    /// The node of the menu the caller is at.
    pub node: IvrNode,
    /// Wrong entries so far (three → the operator, or the closing words
    /// outside opening hours).
    pub wrong: u8,
    /// The ID number entered, while the date of birth is asked.
    pub number: Option<String>,
    /// The language (key 9 on the main menu switches to English).
    pub lang: Lang,
    /// Times the node's prompt has played without an answer: 0 when the
    /// call starts (the main menu then opens with the greeting), 1 once
    /// played, 2 once repeated after a silence (the next silence leaves
    /// the node).
    #[serde(default)]
    pub timeouts: u8,
}

impl std::fmt::Debug for IvrState {
    /// The number entered is masked ([`crate::id::mask_any`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IvrState")
            .field("node", &self.node)
            .field("wrong", &self.wrong)
            .field("number", &self.number.as_deref().map(crate::id::mask_any))
            .field("lang", &self.lang)
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

/// A node of the voice menu.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IvrNode {
    /// The greeting and main menu.
    #[default]
    Main,
    /// "Status": 1 by dossier code, 2 by ID number and date of birth.
    StatusMenu,
    /// Waiting for the 16-digit code and `#`.
    Code,
    /// Waiting for the 12-digit ID or 9-digit CMND number and `#`.
    Number,
    /// Waiting for the date of birth as 8 digits `ddmmyyyy` and `#`.
    Birth,
}

/// Each node and its code in the query string (the serde names).
const NODES: [(IvrNode, &str); 5] = [
    (IvrNode::Main, "main"),
    (IvrNode::StatusMenu, "status_menu"),
    (IvrNode::Code, "code"),
    (IvrNode::Number, "number"),
    (IvrNode::Birth, "birth"),
];

/// Wrong entries that put the caller through to the operator.
const MAX_WRONG: u8 = 3;

/// Timeouts after which a node is left (see [`IvrState::timeouts`]).
const MAX_TIMEOUTS: u8 = 2;

impl IvrState {
    /// The state as URL query pairs (`node`, `wrong`, `t`, `lang`, and `n`
    /// at the date of birth), stable and short:
    /// `node=birth&wrong=1&t=1&lang=vi&n=001099012345`.
    pub fn to_query(&self) -> String {
        let node = NODES
            .iter()
            .find(|(n, _)| *n == self.node)
            .map_or("main", |(_, code)| code);
        let lang = match self.lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        let mut q = format!(
            "node={node}&wrong={}&t={}&lang={lang}",
            self.wrong, self.timeouts
        );
        if let Some(n) = &self.number {
            q.push_str("&n=");
            q.push_str(n);
        }
        q
    }

    /// The state of a query string written by [`IvrState::to_query`];
    /// anything unreadable starts over at the main menu. Pairs with other
    /// names (a provider's own parameters) are ignored; a number is only
    /// accepted, and required, at the date of birth.
    pub fn from_query(query: &str) -> IvrState {
        Self::read_query(query).unwrap_or_default()
    }

    fn read_query(query: &str) -> Option<IvrState> {
        let mut st = IvrState::default();
        for pair in query.trim_start_matches('?').split('&') {
            if pair.is_empty() {
                continue;
            }
            let (k, v) = pair.split_once('=')?;
            match k {
                "node" => st.node = NODES.iter().find(|(_, c)| *c == v)?.0,
                "wrong" => st.wrong = v.parse().ok().filter(|w| *w < MAX_WRONG)?,
                "t" => st.timeouts = v.parse().ok().filter(|t| *t <= MAX_TIMEOUTS)?,
                "lang" => {
                    st.lang = match v {
                        "vi" => Lang::Vi,
                        "en" => Lang::En,
                        _ => return None,
                    }
                }
                "n" => st.number = Some(id_number(v)?.to_owned()),
                _ => {}
            }
        }
        ((st.node == IvrNode::Birth) == st.number.is_some()).then_some(st)
    }
}

/// `s` if it is a 12-digit personal ID or a 9-digit CMND number.
fn id_number(s: &str) -> Option<&str> {
    (PersonalId::parse(s).is_ok() || Cmnd::parse(s).is_ok()).then_some(s)
}

/// A wait for keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gather {
    /// Exactly this many keys end the entry (menus: 1); `None`: until `#`.
    pub num_digits: Option<u8>,
    /// Seconds of silence before giving up.
    pub timeout_secs: u8,
}

/// A menu's wait: one key, 5 seconds.
const MENU_GATHER: Gather = Gather {
    num_digits: Some(1),
    timeout_secs: 5,
};

/// An entry's wait: until `#`, 15 seconds.
const ENTRY_GATHER: Gather = Gather {
    num_digits: None,
    timeout_secs: 15,
};

/// What the call does next, in order: say the lines, then wait for keys
/// (re-entering with the new state), or connect to the operator, or hang up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IvrTurn {
    /// Sentences to speak, in order, in the state's language.
    pub say: Vec<String>,
    /// Then wait for keys, if any.
    pub gather: Option<Gather>,
    /// Then connect to the operator (only during opening hours).
    pub dial_operator: bool,
    /// The state of the next request.
    pub next: IvrState,
    /// A lookup the adapter asks the service for, then calls
    /// [`status_turn`] with the answer.
    pub need: Need,
}

/// A fixed sentence in both languages.
struct Line {
    vi: &'static str,
    en: &'static str,
}

impl Line {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
        .to_owned()
    }
}

/// Formats one sentence in the language asked.
fn say(lang: Lang, vi: impl FnOnce() -> String, en: impl FnOnce() -> String) -> String {
    match lang {
        Lang::Vi => vi(),
        Lang::En => en(),
    }
}

const SWITCH_LANG: Line = Line {
    vi: "Bấm phím 9 cho tiếng Anh. Press 9 for English.",
    en: "For Vietnamese, press 9. Bấm phím 9 cho tiếng Việt.",
};
const STATUS_MENU: Line = Line {
    vi: "Bấm phím 1 nếu có mã hồ sơ. Bấm phím 2 để tra bằng số định danh cá nhân và ngày sinh. Bấm phím 0 để gặp tổng đài viên.",
    en: "If you have the dossier code, press 1. To look up by personal ID number and date of birth, press 2. To speak to an operator, press 0.",
};
const CODE_PROMPT: Line = Line {
    vi: "Xin nhập mã hồ sơ gồm 16 chữ số in trên giấy hẹn trả kết quả, rồi bấm phím thăng.",
    en: "Enter the 16-digit dossier code printed on your appointment slip, then press the hash key.",
};
const NUMBER_PROMPT: Line = Line {
    vi: "Xin nhập số định danh cá nhân gồm 12 chữ số, hoặc số chứng minh nhân dân cũ gồm 9 chữ số, rồi bấm phím thăng.",
    en: "Enter your 12-digit personal ID number, or your old 9-digit identity card number, then press the hash key.",
};
const NO_INPUT: Line = Line {
    vi: "Quý khách chưa bấm phím nào.",
    en: "No key was pressed.",
};
const INVALID_KEY: Line = Line {
    vi: "Phím không hợp lệ.",
    en: "That key is not in the menu.",
};
const THIRD_WRONG: Line = Line {
    vi: "Quý khách đã nhập sai ba lần.",
    en: "That was the third wrong entry.",
};
const OPERATOR: Line = Line {
    vi: "Xin quý khách chờ trong giây lát, cuộc gọi đang được chuyển đến tổng đài viên.",
    en: "Please hold: we are putting you through to an operator.",
};
const GOODBYE: Line = Line {
    vi: "Xin cảm ơn quý khách đã gọi. Xin chào.",
    en: "Thank you for calling. Goodbye.",
};
const NOT_FOUND: Line = Line {
    vi: "Không tìm thấy hồ sơ với thông tin đã nhập. Xin kiểm tra lại mã hồ sơ trên giấy hẹn, hoặc số định danh và ngày sinh, rồi thử lại.",
    en: "No dossier was found with what you entered. Please check the code on your slip, or your ID number and date of birth, and try again.",
};
const THROTTLED: Line = Line {
    vi: "Quý khách đã tra cứu quá nhiều lần trong thời gian ngắn. Xin gọi lại sau ít phút, hoặc tra cứu trên trang web bằng mã hồ sơ. Xin cảm ơn.",
    en: "You have made too many lookups in a short time. Please call again in a few minutes, or look up your dossier on our website with its code. Thank you.",
};

/// The example of the date-of-birth prompt: 5 March 1990.
const BIRTH_EXAMPLE: (i16, i8, i8) = (1990, 3, 5);

/// The date-of-birth prompt, its example spoken as a date and as keys.
fn birth_prompt(lang: Lang) -> String {
    let (y, m, d) = BIRTH_EXAMPLE;
    let example = Date::new(y, m, d).unwrap_or_default();
    let keys = format!("{d:02} {m:02} {y}");
    say(
        lang,
        || {
            format!(
                "Xin nhập ngày sinh gồm 8 chữ số theo ngày, tháng, năm, rồi bấm phím thăng. Ví dụ, {}: {}.",
                speech::date(example),
                speech::digits(&keys)
            )
        },
        || {
            format!(
                "Enter your date of birth as 8 digits, day, month and year, then press the hash key. For example, {}: {}.",
                speech::date_en(example),
                speech::digits_en(&keys)
            )
        },
    )
}

/// Everything one turn needs to know.
struct Ctx<'a> {
    state: &'a IvrState,
    menu: &'static HotlineMenu,
    now: DateTime,
    calendar: &'a WorkingCalendar,
}

impl Ctx<'_> {
    fn lang(&self) -> Lang {
        self.state.lang
    }

    /// The main menu's keys and the language switch, in `lang`.
    fn menu_lines(&self, lang: Lang) -> Vec<String> {
        self.menu
            .items
            .iter()
            .map(|i| i.prompt(lang).to_owned())
            .chain([SWITCH_LANG.say(lang)])
            .collect()
    }

    /// The prompt of `node`.
    fn prompt(&self, node: IvrNode) -> Vec<String> {
        let lang = self.lang();
        match node {
            IvrNode::Main => self.menu_lines(lang),
            IvrNode::StatusMenu => vec![STATUS_MENU.say(lang)],
            IvrNode::Code => vec![CODE_PROMPT.say(lang)],
            IvrNode::Number => vec![NUMBER_PROMPT.say(lang)],
            IvrNode::Birth => vec![birth_prompt(lang)],
        }
    }

    /// Says `lead`, then the prompt of `node`, and waits there.
    fn ask(&self, node: IvrNode, wrong: u8, number: Option<String>, lead: Vec<String>) -> IvrTurn {
        let mut say = lead;
        say.extend(self.prompt(node));
        let gather = match node {
            IvrNode::Main | IvrNode::StatusMenu => MENU_GATHER,
            IvrNode::Code | IvrNode::Number | IvrNode::Birth => ENTRY_GATHER,
        };
        IvrTurn {
            say,
            gather: Some(gather),
            dial_operator: false,
            next: IvrState {
                node,
                wrong,
                number,
                lang: self.lang(),
                timeouts: 1,
            },
            need: Need::Nothing,
        }
    }

    /// An answer, then the main menu; the wrong count starts over.
    fn answer(&self, text: String) -> IvrTurn {
        let spoken = speech::dates_spoken(&text, self.lang() == Lang::En);
        self.ask(IvrNode::Main, 0, None, vec![spoken])
    }

    /// Says `lead`, then ends the call: no keys, no operator.
    fn hang_up(&self, say: Vec<String>) -> IvrTurn {
        IvrTurn {
            say,
            gather: None,
            dial_operator: false,
            next: IvrState {
                lang: self.lang(),
                ..IvrState::default()
            },
            need: Need::Nothing,
        }
    }

    /// The operator inside opening hours; outside them the hours and the
    /// other ways to ask, then the call ends.
    fn operator(&self, mut lead: Vec<String>) -> IvrTurn {
        let lang = self.lang();
        if self.menu.open_at(self.now) {
            lead.push(OPERATOR.say(lang));
            IvrTurn {
                dial_operator: true,
                ..self.hang_up(lead)
            }
        } else {
            let hours = self.menu.hours_spoken(lang);
            lead.push(say(
                lang,
                || format!("Hiện ngoài giờ làm việc của tổng đài viên; tổng đài viên trực {hours}. Quý khách có thể tra cứu hồ sơ trên trang web bằng mã hồ sơ, hoặc nhắn tin qua Zalo hay Messenger để được trả lời ngay. Xin cảm ơn quý khách."),
                || format!("Our operators are not available now; they answer {hours}. You can look up your dossier with its code on our website, or message us on Zalo or Messenger for an instant answer. Thank you for calling."),
            ));
            self.hang_up(lead)
        }
    }

    /// A wrong entry: what was wrong and the prompt again, or at the third
    /// the operator.
    fn wrong(&self, what: String) -> IvrTurn {
        let wrong = self.state.wrong.saturating_add(1);
        if wrong >= MAX_WRONG {
            self.operator(vec![what, THIRD_WRONG.say(self.lang())])
        } else {
            self.ask(
                self.state.node,
                wrong,
                self.state.number.clone(),
                vec![what],
            )
        }
    }

    /// Nothing pressed before the timeout.
    fn silence(&self) -> IvrTurn {
        let st = self.state;
        let lang = self.lang();
        match (st.node, st.timeouts) {
            (IvrNode::Main, 0) => self.ask(
                IvrNode::Main,
                st.wrong,
                None,
                vec![self.menu.greeting(lang).to_owned()],
            ),
            (IvrNode::Main, t) if t >= MAX_TIMEOUTS => self.hang_up(vec![GOODBYE.say(lang)]),
            (node, t) if t < MAX_TIMEOUTS => {
                let mut turn =
                    self.ask(node, st.wrong, st.number.clone(), vec![NO_INPUT.say(lang)]);
                turn.next.timeouts = MAX_TIMEOUTS;
                turn
            }
            _ => self.ask(IvrNode::Main, st.wrong, None, vec![NO_INPUT.say(lang)]),
        }
    }

    /// A lookup: nothing said, the service answers through [`status_turn`].
    fn lookup(&self, need: Need) -> IvrTurn {
        IvrTurn {
            say: Vec::new(),
            gather: None,
            dial_operator: false,
            next: IvrState {
                wrong: self.state.wrong,
                lang: self.lang(),
                ..IvrState::default()
            },
            need,
        }
    }

    fn main_key(&self, key: &str) -> IvrTurn {
        let lang = self.lang();
        let today = self.now.date();
        if key == "9" {
            let other = match lang {
                Lang::Vi => Lang::En,
                Lang::En => Lang::Vi,
            };
            let mut turn = self.ask(IvrNode::Main, self.state.wrong, None, vec![]);
            turn.say = vec![self.menu.greeting(other).to_owned()];
            turn.say.extend(self.menu_lines(other));
            turn.next.lang = other;
            return turn;
        }
        let mut chars = key.chars();
        let item = match (chars.next(), chars.next()) {
            (Some(k), None) => self.menu.item(k),
            _ => None,
        };
        let Some(item) = item else {
            return self.wrong(INVALID_KEY.say(lang));
        };
        match &item.action {
            MenuAction::Procedure => self.answer(answers::procedure(lang, today)),
            MenuAction::Fees => self.answer(answers::fees(lang, today)),
            MenuAction::Deadlines => self.answer(answers::deadlines(lang, today, self.calendar)),
            MenuAction::Info(text) => self.answer(match lang {
                Lang::Vi => text.vi.clone(),
                Lang::En => text.en.clone(),
            }),
            MenuAction::Status => self.ask(IvrNode::StatusMenu, self.state.wrong, None, vec![]),
            MenuAction::Operator => self.operator(vec![]),
        }
    }

    fn status_key(&self, key: &str) -> IvrTurn {
        let wrong = self.state.wrong;
        match key {
            "1" => self.ask(IvrNode::Code, wrong, None, vec![]),
            "2" => self.ask(IvrNode::Number, wrong, None, vec![]),
            "0" => self.operator(vec![]),
            _ => self.wrong(INVALID_KEY.say(self.lang())),
        }
    }

    fn code_entry(&self, keys: &str) -> IvrTurn {
        match DossierCode::parse(keys) {
            Ok(code) => self.lookup(Need::StatusByCode(code)),
            Err(e) => self.wrong(code_error(&e, self.lang())),
        }
    }

    fn number_entry(&self, keys: &str) -> IvrTurn {
        let lang = self.lang();
        if let Some(k) = non_digit(keys) {
            return self.wrong(say(
                lang,
                || {
                    format!(
                        "Số định danh chỉ gồm chữ số; quý khách đã bấm {}.",
                        key_name_vi(k)
                    )
                },
                || {
                    format!(
                        "The number has digits only; you pressed {}.",
                        key_name_en(k)
                    )
                },
            ));
        }
        match id_number(keys) {
            Some(n) => self.ask(IvrNode::Birth, self.state.wrong, Some(n.to_owned()), vec![]),
            None => {
                let n = keys.len();
                self.wrong(say(
                    lang,
                    || format!("Số định danh cá nhân gồm 12 chữ số, số chứng minh nhân dân cũ gồm 9 chữ số; quý khách đã nhập {n} chữ số."),
                    || format!("A personal ID number has 12 digits, an old identity card number 9; you entered {n}."),
                ))
            }
        }
    }

    fn birth_entry(&self, keys: &str) -> IvrTurn {
        let Some(number) = self.state.number.clone() else {
            // The number was lost on the way: ask for it again.
            return self.ask(IvrNode::Number, self.state.wrong, None, vec![]);
        };
        match birth_date(keys, self.now.date()) {
            Ok(dob) => self.lookup(Need::StatusByPerson {
                number,
                dob: PartialDate::Full(dob),
                name: None,
            }),
            Err(e) => self.wrong(e.say(self.lang())),
        }
    }
}

/// The first key of `keys` that is not a digit.
fn non_digit(keys: &str) -> Option<char> {
    keys.chars().find(|c| !c.is_ascii_digit())
}

fn key_name_vi(k: char) -> String {
    match k {
        '*' => "phím sao".to_owned(),
        '#' => "phím thăng".to_owned(),
        k => format!("phím {k}"),
    }
}

fn key_name_en(k: char) -> String {
    match k {
        '*' => "the star key".to_owned(),
        '#' => "the hash key".to_owned(),
        k => format!("the key {k}"),
    }
}

/// What was wrong with a typed dossier code, said precisely.
fn code_error(e: &DossierCodeError, lang: Lang) -> String {
    match e {
        DossierCodeError::WrongLength { found } => say(
            lang,
            || format!("Mã hồ sơ gồm {CODE_LEN} chữ số, quý khách đã nhập {found} chữ số."),
            || format!("The dossier code has {CODE_LEN} digits; you entered {found}."),
        ),
        DossierCodeError::BadCheckDigit => say(
            lang,
            || {
                "Chữ số kiểm tra không khớp: có một chữ số bị nhập sai hoặc hai chữ số bị đảo chỗ. Xin kiểm tra lại mã trên giấy hẹn.".to_owned()
            },
            || {
                "The check digit does not match: a digit was mistyped or two were swapped. Please check the code on your slip.".to_owned()
            },
        ),
        DossierCodeError::BadDate { .. } => say(
            lang,
            || {
                "Chữ số thứ 5 đến thứ 10 của mã hồ sơ là ngày lập hồ sơ, nhưng không phải là một ngày có thật.".to_owned()
            },
            || {
                "Digits 5 to 10 of the code are the day the dossier was opened, but they are not a real date.".to_owned()
            },
        ),
        DossierCodeError::NonDigit { found, .. } => say(
            lang,
            || {
                format!(
                    "Mã hồ sơ chỉ gồm chữ số; quý khách đã bấm {}.",
                    key_name_vi(*found)
                )
            },
            || {
                format!(
                    "The code has digits only; you pressed {}.",
                    key_name_en(*found)
                )
            },
        ),
        other => other.message(lang),
    }
}

/// Why a date of birth entered as keys was refused.
#[derive(Debug, PartialEq, Eq)]
enum BirthError {
    NonDigit(char),
    Length(usize),
    NotADate(String),
    BeforeMinYear(i16),
    Future(Date),
}

/// The earliest year of birth accepted.
const MIN_BIRTH_YEAR: i16 = 1900;

impl BirthError {
    fn say(&self, lang: Lang) -> String {
        match self {
            BirthError::NonDigit(k) => say(
                lang,
                || {
                    format!(
                        "Ngày sinh chỉ gồm chữ số; quý khách đã bấm {}.",
                        key_name_vi(*k)
                    )
                },
                || {
                    format!(
                        "The date of birth has digits only; you pressed {}.",
                        key_name_en(*k)
                    )
                },
            ),
            BirthError::Length(n) => say(
                lang,
                || {
                    format!(
                        "Ngày sinh gồm 8 chữ số: 2 chữ số ngày, 2 chữ số tháng, 4 chữ số năm; quý khách đã nhập {n} chữ số."
                    )
                },
                || {
                    format!(
                        "The date of birth has 8 digits: 2 for the day, 2 for the month, 4 for the year; you entered {n}."
                    )
                },
            ),
            BirthError::NotADate(keys) => say(
                lang,
                || {
                    format!(
                        "Ngày đã nhập, {}, không phải là một ngày có thật.",
                        speech::digits(keys)
                    )
                },
                || {
                    format!(
                        "The date entered, {}, is not a real date.",
                        speech::digits_en(keys)
                    )
                },
            ),
            BirthError::BeforeMinYear(y) => say(
                lang,
                || {
                    format!(
                        "Năm sinh phải từ năm {} trở đi; quý khách đã nhập năm {}.",
                        speech::number(MIN_BIRTH_YEAR as u64),
                        speech::number(y.unsigned_abs().into())
                    )
                },
                || format!("The year of birth must be {MIN_BIRTH_YEAR} or later; you entered {y}."),
            ),
            BirthError::Future(d) => say(
                lang,
                || {
                    format!(
                        "Ngày sinh đã nhập, {}, chưa tới: ngày sinh không thể sau hôm nay.",
                        speech::date(*d)
                    )
                },
                || {
                    format!(
                        "The date of birth entered, {}, is in the future.",
                        speech::date_en(*d)
                    )
                },
            ),
        }
    }
}

/// Reads 8 keys `ddmmyyyy` as a real date of birth, not after `today`.
fn birth_date(keys: &str, today: Date) -> Result<Date, BirthError> {
    if let Some(k) = non_digit(keys) {
        return Err(BirthError::NonDigit(k));
    }
    if keys.len() != 8 {
        return Err(BirthError::Length(keys.len()));
    }
    let part = |r: std::ops::Range<usize>| keys.get(r).and_then(|p| p.parse::<i16>().ok());
    let spaced = || {
        let at = |r: std::ops::Range<usize>| keys.get(r).unwrap_or_default();
        format!("{} {} {}", at(0..2), at(2..4), at(4..8))
    };
    let (Some(d), Some(m), Some(y)) = (part(0..2), part(2..4), part(4..8)) else {
        return Err(BirthError::NotADate(keys.to_owned()));
    };
    let date = i8::try_from(d)
        .ok()
        .zip(i8::try_from(m).ok())
        .and_then(|(d, m)| Date::new(y, m, d).ok())
        .ok_or_else(|| BirthError::NotADate(spaced()))?;
    if y < MIN_BIRTH_YEAR {
        return Err(BirthError::BeforeMinYear(y));
    }
    if date > today {
        return Err(BirthError::Future(date));
    }
    Ok(date)
}

/// The call's turn after `digits` were pressed at `state` (`None`: the call
/// just started or nothing was pressed before the timeout), at local time
/// `now` in Vietnam.
pub fn step(
    state: &IvrState,
    digits: Option<&str>,
    now: DateTime,
    calendar: &WorkingCalendar,
) -> IvrTurn {
    let ctx = Ctx {
        state,
        menu: hotline::menu_on(now.date()),
        now,
        calendar,
    };
    // Providers differ on whether the finishing `#` is passed on.
    let keys = digits
        .map(|d| d.trim().trim_end_matches('#').trim())
        .filter(|d| !d.is_empty());
    let Some(keys) = keys else {
        return ctx.silence();
    };
    match state.node {
        IvrNode::Main => ctx.main_key(keys),
        IvrNode::StatusMenu => ctx.status_key(keys),
        IvrNode::Code => ctx.code_entry(keys),
        IvrNode::Number => ctx.number_entry(keys),
        IvrNode::Birth => ctx.birth_entry(keys),
    }
}

/// The date line of a status answer, if its state leads with one.
fn date_line(facts: &StatusFacts, lang: Lang) -> Option<String> {
    let spoken = |d: Date| match lang {
        Lang::Vi => speech::date(d),
        Lang::En => speech::date_en(d),
    };
    match guidance(facts.state).key_date {
        KeyDate::Appointment => facts.appointment_on.map(spoken).map(|d| {
            say(
                lang,
                || format!("Ngày hẹn đến nộp hồ sơ là {d}."),
                || format!("Your appointment is on {d}."),
            )
        }),
        KeyDate::Promised if facts.overdue => facts.promised_on.map(spoken).map(|d| {
            say(
                lang,
                || format!("Ngày hẹn trả thẻ là {d}; hồ sơ đã quá ngày hẹn."),
                || format!("The promised date was {d}; the dossier is past it."),
            )
        }),
        KeyDate::Promised => facts.promised_on.map(spoken).map(|d| {
            say(
                lang,
                || format!("Ngày hẹn trả thẻ là {d}."),
                || format!("The promised return date is {d}."),
            )
        }),
        KeyDate::PromisedMayChange => facts.promised_on.map(spoken).map(|d| {
            say(
                lang,
                || format!("Ngày hẹn trả thẻ là {d}, và có thể thay đổi."),
                || format!("The promised date is {d}, and it may change."),
            )
        }),
        KeyDate::Ready if facts.state == State::Posted => facts.ready_on.map(spoken).map(|d| {
            say(
                lang,
                || format!("Thẻ được gửi đi {d}."),
                || format!("It was posted on {d}."),
            )
        }),
        KeyDate::Ready => facts.ready_on.map(spoken).map(|d| {
            say(
                lang,
                || format!("Thẻ có từ {d}."),
                || format!("The card has been ready since {d}."),
            )
        }),
        KeyDate::None => None,
    }
}

/// The turn that reads a looked-up status (or "not found") and returns to
/// the main menu.
pub fn status_turn(state: &IvrState, facts: Option<&StatusFacts>, now: DateTime) -> IvrTurn {
    let lang = state.lang;
    let mut say_lines = Vec::new();
    match facts {
        None => say_lines.push(NOT_FOUND.say(lang)),
        Some(f) => {
            let g = guidance(f.state);
            if let Some(code) = &f.code {
                let grouped = code.grouped();
                say_lines.push(say(
                    lang,
                    || format!("Hồ sơ mã số {}.", speech::digits(&grouped)),
                    || format!("Dossier code {}.", speech::digits_en(&grouped)),
                ));
            }
            say_lines.push(
                match lang {
                    Lang::Vi => g.headline_vi,
                    Lang::En => g.headline_en,
                }
                .to_owned(),
            );
            say_lines.extend(date_line(f, lang));
            let has_hotline = f.office_hotline.chars().any(|c| c.is_ascii_digit());
            say_lines.push(match (lang, has_hotline) {
                (Lang::Vi, true) => format!(
                    "Cơ quan tiếp nhận: {}, đường dây nóng {}.",
                    f.office_name,
                    speech::digits(&f.office_hotline)
                ),
                (Lang::En, true) => format!(
                    "The receiving office is {}, hotline {}.",
                    f.office_name,
                    speech::digits_en(&f.office_hotline)
                ),
                (Lang::Vi, false) => format!("Cơ quan tiếp nhận: {}.", f.office_name),
                (Lang::En, false) => format!("The receiving office is {}.", f.office_name),
            });
            say_lines.push(
                match lang {
                    Lang::Vi => g.next_vi,
                    Lang::En => g.next_en,
                }
                .to_owned(),
            );
        }
    }
    let ctx = Ctx {
        state,
        menu: hotline::menu_on(now.date()),
        now,
        // Not consulted: the main menu is only spoken here.
        calendar: WorkingCalendar::official(),
    };
    ctx.ask(IvrNode::Main, 0, None, say_lines)
}

/// The turn when the per-caller throttle refuses a lookup: why, where else
/// to look, and the call ends.
pub fn throttled_turn(state: &IvrState) -> IvrTurn {
    IvrTurn {
        say: vec![THROTTLED.say(state.lang)],
        gather: None,
        dial_operator: false,
        next: IvrState {
            lang: state.lang,
            ..IvrState::default()
        },
        need: Need::Nothing,
    }
}

#[cfg(test)]
mod tests;
