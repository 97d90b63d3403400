//! The stage notifications pushed to citizens (thông báo): at reception,
//! approval or rejection, when the card is ready or posted, when a dossier
//! is overdue, and when it is refused — as an SMS text and as the
//! parameters of a Zalo ZNS template.
//!
//! SMS texts are ASCII without diacritics, as the portal's own messages
//! are (see [`crate::account::sms`]: one `ả`, `ư` or `đ` turns a text into
//! UCS-2, 70 characters a segment instead of 160). Free text that comes in
//! (a reason, an office's name or hours) is folded with
//! [`crate::text::fold_diacritics`] and anything still outside ASCII is
//! replaced or dropped. Each text is one GSM-7 segment where it can be —
//! by leaving out optional words, never by cutting what the citizen needs
//! — and two at most: a long reason, office name or hours is cut at a word,
//! with `...`; the dossier code, dates and hotline are never cut.
//!
//! ZNS template parameters keep the diacritics (Zalo shows Unicode); the
//! parameter names are this module's contract with the templates an office
//! registers: `code`, `date`, `office`, `hours`, `reason`, `hotline`.

use jiff::civil::Date;

use crate::account::sms::segments;
use crate::dossier::code::DossierCode;
use crate::dossier::workflow::State;
use crate::rules::vi_date;
use crate::text::fold_diacritics;

/// A notification of something that happened to a dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Received at the office: the code and the promised return date.
    Received {
        /// The dossier code.
        code: DossierCode,
        /// The promised return date.
        promised_on: Date,
    },
    /// Approved; the card is to be printed.
    Approved {
        /// The dossier code.
        code: DossierCode,
        /// The promised return date.
        promised_on: Date,
    },
    /// Sent back to the receiving office to be completed or corrected.
    Rejected {
        /// The dossier code.
        code: DossierCode,
        /// The reason, as the officer wrote it.
        reason: Option<String>,
        /// The receiving office's hotline.
        office_hotline: String,
    },
    /// The card is at the office, waiting for the citizen.
    ReadyForPickup {
        /// The dossier code.
        code: DossierCode,
        /// Where to collect it.
        office_name: String,
        /// The office's opening hours, in words.
        hours: String,
    },
    /// The card was posted to the citizen's address.
    Posted {
        /// The dossier code.
        code: DossierCode,
    },
    /// Past its promised date with the deadline running: an apology.
    Overdue {
        /// The dossier code.
        code: DossierCode,
        /// The new expected date, when the office knows it.
        new_date: Option<Date>,
        /// The receiving office's hotline.
        office_hotline: String,
    },
    /// Refused at reception.
    Refused {
        /// The dossier code.
        code: DossierCode,
        /// The reason, as the officer wrote it.
        reason: Option<String>,
    },
}

impl Notice {
    /// Every kind's stable code, as stored in the outbox and used to pick
    /// a ZNS template.
    pub const KINDS: [&'static str; 7] = [
        "received",
        "approved",
        "rejected",
        "ready_for_pickup",
        "posted",
        "overdue",
        "refused",
    ];

    /// The kind's stable code: one of [`Notice::KINDS`].
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Received { .. } => "received",
            Notice::Approved { .. } => "approved",
            Notice::Rejected { .. } => "rejected",
            Notice::ReadyForPickup { .. } => "ready_for_pickup",
            Notice::Posted { .. } => "posted",
            Notice::Overdue { .. } => "overdue",
            Notice::Refused { .. } => "refused",
        }
    }

    /// The dossier it is about.
    pub fn code(&self) -> DossierCode {
        match self {
            Notice::Received { code, .. }
            | Notice::Approved { code, .. }
            | Notice::Rejected { code, .. }
            | Notice::ReadyForPickup { code, .. }
            | Notice::Posted { code }
            | Notice::Overdue { code, .. }
            | Notice::Refused { code, .. } => *code,
        }
    }
}

/// What the service knows of a dossier when it reaches a state, for
/// [`notice_for`].
#[derive(Clone, Copy, Debug)]
pub struct NoticeFacts<'a> {
    /// The dossier code.
    pub code: DossierCode,
    /// The promised return date, once set.
    pub promised_on: Option<Date>,
    /// The reason of the transition (rejection, refusal), if any.
    pub reason: Option<&'a str>,
    /// The receiving office's name.
    pub office_name: &'a str,
    /// The receiving office's hotline.
    pub office_hotline: &'a str,
    /// The receiving office's opening hours, in words.
    pub office_hours: &'a str,
}

/// The notice of a workflow state reached, if citizens are told of it:
/// received (with a promised date), approved (with a promised date),
/// rejected, ready for pickup, posted, refused. Other states, and a
/// reception or approval without a promised date, have none. Overdue is
/// not a state: the service builds [`Notice::Overdue`] when a dossier
/// passes its date.
pub fn notice_for(state: State, facts: &NoticeFacts<'_>) -> Option<Notice> {
    let code = facts.code;
    let reason = facts
        .reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    Some(match state {
        State::Received => Notice::Received {
            code,
            promised_on: facts.promised_on?,
        },
        State::Approved => Notice::Approved {
            code,
            promised_on: facts.promised_on?,
        },
        State::Rejected => Notice::Rejected {
            code,
            reason,
            office_hotline: facts.office_hotline.to_owned(),
        },
        State::ReadyForPickup => Notice::ReadyForPickup {
            code,
            office_name: facts.office_name.to_owned(),
            hours: facts.office_hours.to_owned(),
        },
        State::Posted => Notice::Posted { code },
        State::Refused => Notice::Refused { code, reason },
        State::Booked
        | State::Captured
        | State::SlipIssued
        | State::CommuneVerification
        | State::SentToCentre
        | State::Printed
        | State::Dispatched
        | State::Returned
        | State::Cancelled => return None,
    })
}

/// The SMS text of a notice: ASCII, one GSM-7 segment where it can be,
/// two at most.
pub fn sms_text(n: &Notice) -> String {
    let g = n.code().grouped();
    match n {
        Notice::Received { promised_on, .. } => format!(
            "Ho so {g} da duoc tiep nhan. Ngay hen tra the: {}. Tra cuu tinh trang bang ma ho so nay.",
            vi_date(*promised_on)
        ),
        Notice::Approved { promised_on, .. } => format!(
            "Ho so {g} da duoc phe duyet, the dang cho in. Ngay hen tra the: {}.",
            vi_date(*promised_on)
        ),
        Notice::Rejected {
            reason: Some(r),
            office_hotline,
            ..
        } if readable(r) => {
            let h = ascii(office_hotline);
            fit(
                |v, f| match v {
                    0 => format!(
                        "Ho so {g} bi tra ve de bo sung, dieu chinh. Ly do: {} Goi {h} de biet can lam gi; ngay hen tra co the thay doi.",
                        f[0]
                    ),
                    1 => format!(
                        "Ho so {g} bi tra ve de bo sung. Ly do: {} Goi {h} de biet can lam gi.",
                        f[0]
                    ),
                    _ => format!("Ho so {g} bi tra ve: {} Goi {h}.", f[0]),
                },
                3,
                &[reason_ascii(r)],
            )
        }
        Notice::Rejected { office_hotline, .. } => format!(
            "Ho so {g} bi tra ve de bo sung, dieu chinh. Goi {} de biet can bo sung gi; ngay hen tra co the thay doi.",
            ascii(office_hotline)
        ),
        Notice::ReadyForPickup {
            office_name, hours, ..
        } => fit(
            |v, f| match v {
                0 => format!(
                    "The cua ho so {g} da co. Nhan tai {}, {}. Mang giay hen va the/CMND cu (se thu lai).",
                    f[0], f[1]
                ),
                1 => format!(
                    "The cua ho so {g} da co. Nhan tai {}, {}. Mang giay hen va the/CMND cu.",
                    f[0], f[1]
                ),
                _ => format!("The ho so {g} da co. Nhan tai {}, {}.", f[0], f[1]),
            },
            3,
            &[ascii(office_name), ascii(hours)],
        ),
        Notice::Posted { .. } => format!(
            "The cua ho so {g} da duoc gui qua buu dien den dia chi ban dang ky. Khi nhan, xuat trinh giay hen."
        ),
        Notice::Overdue {
            new_date: Some(d),
            office_hotline,
            ..
        } => format!(
            "Xin loi ban: ho so {g} da qua ngay hen tra. Ngay tra du kien moi: {}. Can hoi, goi {}.",
            vi_date(*d),
            ascii(office_hotline)
        ),
        Notice::Overdue {
            new_date: None,
            office_hotline,
            ..
        } => format!(
            "Xin loi ban: ho so {g} da qua ngay hen tra. Co quan tiep nhan se bao ngay tra moi; can hoi, goi {}.",
            ascii(office_hotline)
        ),
        Notice::Refused {
            reason: Some(r), ..
        } if readable(r) => fit(
            |v, f| match v {
                0 => format!(
                    "Ho so {g} bi tu choi tiep nhan. Ly do: {} Khac phuc roi nop lai (co the dat lich moi).",
                    f[0]
                ),
                _ => format!("Ho so {g} bi tu choi tiep nhan. Ly do: {}", f[0]),
            },
            2,
            &[reason_ascii(r)],
        ),
        Notice::Refused { .. } => format!(
            "Ho so {g} bi tu choi tiep nhan. Lien he co quan tiep nhan de biet ly do, khac phuc roi nop lai."
        ),
    }
}

/// The longest value given to a ZNS template parameter, in characters (a
/// limit of ours: the template's own limits are Zalo's, set when the
/// template is approved).
pub const ZNS_PARAM_MAX_CHARS: usize = 100;

/// The parameters of the notice's ZNS template, with diacritics:
/// `code` (grouped as on the slip) always; `date` (dd/mm/yyyy) for
/// received, approved and overdue; `reason` for rejected and refused;
/// `hotline` for rejected and overdue; `office` and `hours` for ready for
/// pickup.
pub fn zns_params(n: &Notice) -> Vec<(&'static str, String)> {
    let code = ("code", n.code().grouped());
    let short = |s: &str| cut_chars(s.trim(), ZNS_PARAM_MAX_CHARS);
    let reason = |r: &Option<String>| {
        r.as_deref()
            .map(short)
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "Liên hệ cơ quan tiếp nhận để biết chi tiết".to_owned())
    };
    match n {
        Notice::Received { promised_on, .. } | Notice::Approved { promised_on, .. } => {
            vec![code, ("date", vi_date(*promised_on))]
        }
        Notice::Rejected {
            reason: r,
            office_hotline,
            ..
        } => vec![
            code,
            ("reason", reason(r)),
            ("hotline", short(office_hotline)),
        ],
        Notice::ReadyForPickup {
            office_name, hours, ..
        } => vec![
            code,
            ("office", short(office_name)),
            ("hours", short(hours)),
        ],
        Notice::Posted { .. } => vec![code],
        Notice::Overdue {
            new_date,
            office_hotline,
            ..
        } => vec![
            code,
            (
                "date",
                new_date.map_or_else(|| "chưa xác định".to_owned(), vi_date),
            ),
            ("hotline", short(office_hotline)),
        ],
        Notice::Refused { reason: r, .. } => vec![code, ("reason", reason(r))],
    }
}

/// Free text as printable ASCII: folded, typographic marks replaced,
/// anything else dropped, whitespace collapsed. Never contains the
/// backtick (not in GSM 03.38).
fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in fold_diacritics(s).chars() {
        match c {
            '`' | '‘' | '’' | '´' => out.push('\''),
            '“' | '”' => out.push('"'),
            '–' | '—' | '−' => out.push('-'),
            '…' => out.push_str("..."),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_ascii_graphic() => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a reason says anything once made ASCII.
fn readable(r: &str) -> bool {
    ascii(r).chars().any(|c| c.is_ascii_alphanumeric())
}

/// A reason as ASCII, ending with one full stop (or the `...` of a cut).
fn reason_ascii(r: &str) -> String {
    let r = ascii(r);
    let r = r.trim_end_matches(['.', ' ', ';', ',']);
    format!("{r}.")
}

/// At most `max` characters of `s`, cut at a word with `...` when cut.
fn cut_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    if max < 4 {
        return s.chars().take(max).collect();
    }
    let keep = max.saturating_sub(3);
    let head: String = s.chars().take(keep).collect();
    let at_word = if s.chars().nth(keep).is_some_and(char::is_whitespace) {
        head
    } else {
        match head.rfind(' ') {
            Some(i) if head.get(..i).map_or(0, |h| h.chars().count()) >= keep / 2 => {
                head.get(..i).unwrap_or(&head).to_owned()
            }
            _ => head,
        }
    };
    format!("{}...", at_word.trim_end_matches([' ', ',', ';', '.']))
}

/// Builds a text from a template variant (0 the fullest, `variants - 1`
/// the leanest) and free fields: one segment with the fields whole, from
/// the fullest variant on; otherwise two segments with the fields whole;
/// otherwise two with the fullest variant and the longest fields cut; at
/// worst the leanest variant cut to two.
fn fit(build: impl Fn(usize, &[String]) -> String, variants: usize, fields: &[String]) -> String {
    for v in 0..variants {
        let t = build(v, fields);
        if segments(&t) <= 1 {
            return t;
        }
    }
    for v in 0..variants {
        let t = build(v, fields);
        if segments(&t) <= 2 {
            return t;
        }
    }
    shrink(&build, 0, fields, 2)
        .or_else(|| shrink(&build, variants.saturating_sub(1), fields, 2))
        .unwrap_or_else(|| {
            build(
                variants.saturating_sub(1),
                &vec![String::new(); fields.len()],
            )
        })
}

/// Cuts the longest field, again and again, until the text is at most
/// `target` segments; `None` when even empty fields do not fit.
fn shrink(
    build: &impl Fn(usize, &[String]) -> String,
    variant: usize,
    fields: &[String],
    target: usize,
) -> Option<String> {
    let limit = if target <= 1 { 160 } else { 153 * target };
    let mut f = fields.to_vec();
    // Each round shortens a field by at least one character.
    for _ in 0..=fields.iter().map(String::len).sum::<usize>() + 1 {
        let t = build(variant, &f);
        if segments(&t) <= target {
            return Some(t);
        }
        let over = t.chars().count().saturating_sub(limit).max(1);
        let (i, len) = f
            .iter()
            .map(String::len)
            .enumerate()
            .max_by_key(|&(_, len)| len)?;
        if len == 0 {
            return None;
        }
        let new_len = len.saturating_sub(over).min(len - 1);
        let field = f.get_mut(i)?;
        *field = cut_chars(field, new_len);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::sms::is_gsm7;
    use jiff::civil::date;

    fn code() -> DossierCode {
        DossierCode::new(790, date(2025, 11, 21), 48213).unwrap()
    }

    const LONG_OFFICE: &str =
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội – Công an Thành phố Hồ Chí Minh";
    const LONG_HOURS: &str = "Thứ Hai–Thứ Sáu 7:30–11:30, 13:30–17:00; Thứ Bảy 7:30–11:30";
    const HOTLINE: &str = "069.234.5678";

    fn facts<'a>(reason: Option<&'a str>, office: &'a str, hours: &'a str) -> NoticeFacts<'a> {
        NoticeFacts {
            code: code(),
            promised_on: Some(date(2025, 12, 2)),
            reason,
            office_name: office,
            office_hotline: HOTLINE,
            office_hours: hours,
        }
    }

    fn all_notices(reason: Option<&str>, office: &str, hours: &str) -> Vec<Notice> {
        let f = facts(reason, office, hours);
        let mut v: Vec<Notice> = State::ALL
            .iter()
            .filter_map(|&s| notice_for(s, &f))
            .collect();
        v.push(Notice::Overdue {
            code: code(),
            new_date: Some(date(2025, 12, 9)),
            office_hotline: HOTLINE.into(),
        });
        v.push(Notice::Overdue {
            code: code(),
            new_date: None,
            office_hotline: HOTLINE.into(),
        });
        v
    }

    fn check(n: &Notice, max_segments: usize) -> String {
        let t = sms_text(n);
        assert!(t.is_ascii() && is_gsm7(&t), "{t}");
        let s = segments(&t);
        assert!(
            (1..=max_segments).contains(&s),
            "{}: {s} segments, {} chars: {t}",
            n.kind(),
            t.len()
        );
        assert!(t.contains(&code().grouped()), "{t}");
        t
    }

    #[test]
    fn one_segment_with_ordinary_facts() {
        let short = "Công an phường Bến Nghé";
        let hours = "T2–T6 7:30–17:00";
        for reason in [None, Some("Ảnh chân dung không đạt yêu cầu, cần chụp lại")]
        {
            let notices = all_notices(reason, short, hours);
            assert_eq!(notices.len(), 8);
            for n in &notices {
                check(n, 1);
            }
        }
    }

    #[test]
    fn two_segments_at_most_with_long_facts() {
        let long_reason = "Thông tin về nơi thường trú trong tờ khai không khớp với Cơ sở dữ liệu quốc gia về dân cư; đề nghị công dân liên hệ Công an cấp xã nơi cư trú để điều chỉnh thông tin trước khi nộp lại hồ sơ. ".repeat(5);
        for n in all_notices(Some(&long_reason), LONG_OFFICE, LONG_HOURS) {
            let t = check(&n, 2);
            if matches!(n, Notice::Rejected { .. } | Notice::Overdue { .. }) {
                assert!(t.contains(HOTLINE), "the hotline is never cut: {t}");
            }
            if matches!(n, Notice::Rejected { .. } | Notice::Refused { .. }) {
                assert!(t.contains("Thong tin ve noi thuong tru"), "{t}");
                assert!(t.contains("..."), "a cut reason says so: {t}");
            }
        }
        // The long office name and hours still fit whole in two segments.
        let ready = sms_text(&Notice::ReadyForPickup {
            code: code(),
            office_name: LONG_OFFICE.into(),
            hours: LONG_HOURS.into(),
        });
        assert!(
            ready.contains(
                "Nhan tai Phong Canh sat quan ly hanh chinh ve trat tu xa hoi - Cong an Thanh pho Ho Chi Minh, Thu Hai-Thu Sau 7:30-11:30, 13:30-17:00; Thu Bay 7:30-11:30."
            ),
            "{ready}"
        );
        assert_eq!(segments(&ready), 2);
    }

    #[test]
    fn a_reason_that_fits_is_kept_whole_in_one_segment() {
        let n = Notice::Rejected {
            code: code(),
            reason: Some("Ảnh chân dung bị mờ.".into()),
            office_hotline: HOTLINE.into(),
        };
        assert_eq!(
            sms_text(&n),
            format!(
                "Ho so {} bi tra ve de bo sung, dieu chinh. Ly do: Anh chan dung bi mo. Goi 069.234.5678 de biet can lam gi; ngay hen tra co the thay doi.",
                code().grouped()
            )
        );
        // A longer reason drops optional words before anything is cut.
        let r = "Thiếu giấy tờ chứng minh nơi cư trú hợp pháp theo quy định hiện hành";
        let t = sms_text(&Notice::Rejected {
            code: code(),
            reason: Some(r.into()),
            office_hotline: HOTLINE.into(),
        });
        assert_eq!(segments(&t), 1, "{t}");
        assert!(t.contains(&ascii(r)), "{t}");
    }

    #[test]
    fn a_reason_with_nothing_ascii_in_it_is_left_out() {
        let n = Notice::Refused {
            code: code(),
            reason: Some("😀 …".into()),
        };
        assert_eq!(
            sms_text(&n),
            sms_text(&Notice::Refused {
                code: code(),
                reason: None
            })
        );
    }

    #[test]
    fn exact_texts() {
        let g = code().grouped();
        assert_eq!(
            sms_text(&Notice::Received {
                code: code(),
                promised_on: date(2025, 12, 2)
            }),
            format!(
                "Ho so {g} da duoc tiep nhan. Ngay hen tra the: 02/12/2025. Tra cuu tinh trang bang ma ho so nay."
            )
        );
        assert_eq!(
            sms_text(&Notice::Overdue {
                code: code(),
                new_date: Some(date(2025, 12, 9)),
                office_hotline: "0283 829 7107".into()
            }),
            format!(
                "Xin loi ban: ho so {g} da qua ngay hen tra. Ngay tra du kien moi: 09/12/2025. Can hoi, goi 0283 829 7107."
            )
        );
    }

    #[test]
    fn notices_follow_the_states() {
        let f = facts(Some("lý do"), "Công an xã A", "7:30–17:00");
        let kinds: Vec<(State, &str)> = State::ALL
            .iter()
            .filter_map(|&s| notice_for(s, &f).map(|n| (s, n.kind())))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (State::Received, "received"),
                (State::Refused, "refused"),
                (State::Approved, "approved"),
                (State::Rejected, "rejected"),
                (State::ReadyForPickup, "ready_for_pickup"),
                (State::Posted, "posted"),
            ]
        );
        let no_date = NoticeFacts {
            promised_on: None,
            ..f
        };
        assert_eq!(notice_for(State::Received, &no_date), None);
        let blank = NoticeFacts {
            reason: Some("  "),
            ..f
        };
        assert_eq!(
            notice_for(State::Refused, &blank),
            Some(Notice::Refused {
                code: code(),
                reason: None
            })
        );
        for n in all_notices(Some("x"), "o", "h") {
            assert!(Notice::KINDS.contains(&n.kind()));
        }
    }

    #[test]
    fn zns_parameters() {
        let g = code().grouped();
        assert_eq!(
            zns_params(&Notice::Received {
                code: code(),
                promised_on: date(2025, 12, 2)
            }),
            vec![("code", g.clone()), ("date", "02/12/2025".to_owned())]
        );
        let ready = zns_params(&Notice::ReadyForPickup {
            code: code(),
            office_name: LONG_OFFICE.into(),
            hours: LONG_HOURS.into(),
        });
        assert_eq!(ready[1], ("office", LONG_OFFICE.to_owned()));
        assert_eq!(ready[2], ("hours", LONG_HOURS.to_owned()));
        let long = "Không khớp dữ liệu ".repeat(20);
        let rejected = zns_params(&Notice::Rejected {
            code: code(),
            reason: Some(long),
            office_hotline: HOTLINE.into(),
        });
        assert!(rejected[1].1.chars().count() <= ZNS_PARAM_MAX_CHARS);
        assert!(rejected[1].1.ends_with("..."));
        assert_eq!(rejected[2], ("hotline", HOTLINE.to_owned()));
        let overdue = zns_params(&Notice::Overdue {
            code: code(),
            new_date: None,
            office_hotline: HOTLINE.into(),
        });
        assert_eq!(overdue[1], ("date", "chưa xác định".to_owned()));
        assert_eq!(
            zns_params(&Notice::Refused {
                code: code(),
                reason: None
            })[1]
                .0,
            "reason"
        );
    }

    #[test]
    fn free_text_becomes_gsm7_ascii() {
        assert_eq!(
            ascii("Thứ Hai – “Thứ Sáu”\t7:30…`x`  😀"),
            "Thu Hai - \"Thu Sau\" 7:30...'x'"
        );
        assert_eq!(cut_chars("một hai ba bốn", 10), "một hai...");
        assert_eq!(cut_chars("abc", 2), "ab");
    }
}
