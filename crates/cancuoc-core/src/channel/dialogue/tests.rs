//! Whole conversations, turn by turn, in both languages; every reply any
//! test produces is checked against the platforms' limits.

use super::*;
use crate::dossier::code::DossierCode;
use jiff::civil::date;
use proptest::prelude::*;

const BOOKING: &str = "https://cancuoc.example/dat-lich";
const LOOKUP: &str = "https://cancuoc.example/tra-cuu";

fn ctx() -> Context<'static> {
    Context {
        today: date(2025, 11, 25),
        calendar: WorkingCalendar::official(),
        booking_url: BOOKING,
        lookup_url: LOOKUP,
    }
}

fn code() -> DossierCode {
    DossierCode::new(790, date(2025, 11, 21), 48213).unwrap()
}

/// Checks a reply against the limits and returns it.
fn ok(r: Reply) -> Reply {
    assert!(!r.text.trim().is_empty(), "empty reply");
    assert!(
        r.text.chars().count() <= MAX_TEXT_CHARS,
        "{} chars",
        r.text.chars().count()
    );
    assert!(
        r.choices.len() <= MAX_CHOICES,
        "{} choices",
        r.choices.len()
    );
    for c in &r.choices {
        assert!(
            !c.title.is_empty() && c.title.chars().count() <= MAX_TITLE_CHARS,
            "title {:?}",
            c.title
        );
        assert!(
            understand::PAYLOADS.contains(&c.payload.as_str()),
            "payload {:?}",
            c.payload
        );
    }
    r
}

/// Sends `text`, checks every reply, returns the turn.
fn say(conv: &mut Conversation, text: &str) -> Turn {
    let t = respond(conv, text, &ctx());
    for r in &t.replies {
        ok(r.clone());
    }
    t
}

/// Sends `text` and expects exactly one reply and no need.
fn one(conv: &mut Conversation, text: &str) -> Reply {
    let t = say(conv, text);
    assert_eq!(t.need, Need::Nothing, "{text:?}");
    assert_eq!(t.replies.len(), 1, "{text:?}: {:?}", t.replies);
    t.replies.into_iter().next().unwrap()
}

fn titles(r: &Reply) -> Vec<&str> {
    r.choices.iter().map(|c| c.title.as_str()).collect()
}

fn facts(state: State) -> StatusFacts {
    StatusFacts {
        code: Some(code()),
        state,
        appointment_on: None,
        promised_on: Some(date(2025, 12, 2)),
        ready_on: None,
        overdue: false,
        office_name: "Công an phường Bến Nghé".into(),
        office_hotline: "028 3829 7107".into(),
    }
}

#[test]
fn the_welcome_says_it_is_automatic_and_offers_the_menu() {
    let mut c = Conversation::default();
    let r = one(&mut c, "Xin chào");
    assert!(r.text.contains("trợ lý tự động") && r.text.contains("không phải cán bộ"));
    assert_eq!(
        titles(&r),
        [
            "Tra cứu hồ sơ",
            "Thủ tục",
            "Lệ phí",
            "Thời hạn",
            "Giờ làm việc",
            "Đặt lịch",
            "Gặp cán bộ",
            "English"
        ]
    );
    assert_eq!(c.step, Step::Menu);
    let mut e = Conversation {
        lang: Lang::En,
        ..Conversation::default()
    };
    let r = one(&mut e, "hello");
    assert!(r.text.contains("automated assistant") && r.text.contains("not a person"));
    assert_eq!(r.choices.last().unwrap().title, "Tiếng Việt");
    // Every menu payload leads where its title says.
    for choice in &r.choices {
        let mut c = Conversation::default();
        let t = say(&mut c, &choice.payload);
        assert!(
            !t.replies.is_empty() || t.need != Need::Nothing,
            "{choice:?}"
        );
    }
}

#[test]
fn status_by_code_after_asking() {
    let mut c = Conversation::default();
    let r = one(&mut c, "CCCD của tôi làm xong chưa");
    assert_eq!(c.step, Step::AwaitCode);
    assert!(r.text.contains("16 chữ số") && r.text.contains("Không có mã"));
    assert_eq!(titles(&r), ["Không có mã", "Gặp cán bộ", "Menu"]);
    let t = say(&mut c, &code().grouped());
    assert_eq!(t, Turn::need(Need::StatusByCode(code())));
    assert_eq!(c.step, Step::Menu);
    let r = ok(status_reply(
        &mut c,
        Some(&facts(State::SentToCentre)),
        &ctx(),
    ));
    let g = guidance(State::SentToCentre);
    assert_eq!(
        r.text,
        format!(
            "Hồ sơ {}: {}\nNgày hẹn trả thẻ: 02/12/2025 (còn 5 ngày làm việc).\n{}\nCơ quan tiếp nhận: Công an phường Bến Nghé. Đường dây nóng: 028 3829 7107.",
            code().grouped(),
            g.headline_vi,
            g.next_vi
        )
    );
}

#[test]
fn a_code_typed_straight_away_needs_no_question() {
    let mut c = Conversation::default();
    let text = format!("tra cứu giúp em mã {}", code().grouped().replace(' ', "."));
    assert_eq!(say(&mut c, &text), Turn::need(Need::StatusByCode(code())));
}

#[test]
fn a_mistyped_code_is_explained_and_counted() {
    let mut c = Conversation::default();
    let d = code().to_string();
    let bad = format!("{}{}", &d[..15], (d.as_bytes()[15] - b'0' + 1) % 10);
    let r = one(&mut c, &bad);
    assert!(r.text.contains("Chữ số kiểm tra không đúng"), "{}", r.text);
    assert_eq!((c.step.clone(), c.wrong), (Step::AwaitCode, 1));
    let r = one(&mut c, "không biết");
    assert_eq!(c.wrong, 2);
    assert!(r.text.contains("chưa thấy mã hồ sơ"));
    assert!(!titles(&r).contains(&"Gặp cán bộ"));
    // The third wrong entry in a row offers a human, first.
    let r = one(&mut c, &d[..15]);
    assert_eq!(c.wrong, 3);
    assert!(r.text.contains("16 chữ số, nhưng nhập 15"), "{}", r.text);
    assert!(r.text.contains("Gặp cán bộ"));
    assert_eq!(r.choices[0].payload, understand::PAYLOAD_HUMAN);
    // A right entry ends the run.
    assert_eq!(say(&mut c, &d), Turn::need(Need::StatusByCode(code())));
    assert_eq!(c.wrong, 0);
}

#[test]
fn status_without_code_asked_piece_by_piece() {
    let mut c = Conversation::default();
    one(&mut c, "tra cứu");
    let r = one(&mut c, understand::PAYLOAD_NO_CODE);
    assert!(r.text.contains("số định danh cá nhân (12 chữ số) hoặc số CMND cũ (9 chữ số), ngày sinh (ví dụ 15/03/1990) và họ và tên đầy đủ"), "{}", r.text);
    let r = one(&mut c, "079 090 123 456");
    assert_eq!(
        r.text,
        "Đã nhận số giấy tờ. Vui lòng gửi thêm ngày sinh (ví dụ 15/03/1990) và họ và tên đầy đủ."
    );
    assert!(!r.text.contains("079"), "the number is not read back");
    let r = one(&mut c, "15 3 1990");
    assert_eq!(
        r.text,
        "Đã nhận số giấy tờ và ngày sinh. Vui lòng gửi thêm họ và tên đầy đủ."
    );
    let t = say(&mut c, "Nguyễn Văn An");
    assert_eq!(
        t,
        Turn::need(Need::StatusByPerson {
            number: "079090123456".into(),
            dob: PartialDate::Full(date(1990, 3, 15)),
            name: Some("Nguyễn Văn An".into()),
        })
    );
    assert_eq!(c.step, Step::Menu);
}

#[test]
fn the_seed_form_in_one_message() {
    let mut c = Conversation::default();
    let form = "1. Họ tên: Hoàng Đức Dũng\n2. Ngày tháng năm sinh: 7/10/1996\n3. Số cmnd/cccd: 033096002074\n4. Nơi thường trú (xã/huyện/tỉnh): Số 132, Hoàng Cầu, Đống Đa, Hà Nội.\n5. Ngày làm CCCD: 22/10/2023\n6. SĐT:0947123999";
    assert_eq!(
        say(&mut c, form),
        Turn::need(Need::StatusByPerson {
            number: "033096002074".into(),
            dob: PartialDate::Full(date(1996, 10, 7)),
            name: Some("Hoàng Đức Dũng".into()),
        })
    );
    // Without diacritics, a CMND number and a year of birth only.
    let mut c = Conversation::default();
    let t = say(
        &mut c,
        "Ho ten: Pham Thi Mai\nNam sinh: 1970\nSo CMND: 025123456",
    );
    assert_eq!(
        t.need,
        Need::StatusByPerson {
            number: "025123456".into(),
            dob: PartialDate::Year(1970),
            name: Some("Pham Thi Mai".into()),
        }
    );
}

#[test]
fn a_bad_date_is_told_precisely_and_the_rest_kept() {
    let mut c = Conversation::default();
    let r = one(
        &mut c,
        "Số CCCD: 079090123456\nNgày sinh: 31/02/1990\nHọ tên: Nguyễn Văn An",
    );
    let want = PartialDate::parse_typed("31/02/1990")
        .unwrap_err()
        .message_vi();
    assert!(r.text.starts_with(&want), "{}", r.text);
    assert!(
        r.text
            .ends_with("Vui lòng gửi thêm ngày sinh (ví dụ 15/03/1990)."),
        "{}",
        r.text
    );
    assert_eq!(c.wrong, 1);
    assert_eq!(
        c.step,
        Step::AwaitIdentity {
            number: Some("079090123456".into()),
            dob: None,
            name: Some("Nguyễn Văn An".into()),
        }
    );
    // A date in the future, then a two-digit year: both wrong, precisely.
    let r = one(&mut c, "15/03/2030");
    assert!(
        r.text.contains("ở sau ngày hôm nay (25/11/2025)"),
        "{}",
        r.text
    );
    let r = one(&mut c, "15/3/90");
    assert!(
        r.text.contains("Không đọc được ngày “15/3/90”"),
        "{}",
        r.text
    );
    assert_eq!(c.wrong, 3);
    assert_eq!(r.choices[0].payload, understand::PAYLOAD_HUMAN);
    let t = say(&mut c, "15/03/1990");
    assert!(matches!(t.need, Need::StatusByPerson { .. }));
    assert_eq!(c.wrong, 0);
}

#[test]
fn a_mistyped_number_keeps_the_date_and_name() {
    let mut c = Conversation::default();
    let r = one(
        &mut c,
        "Số CCCD: 07909012345\nNgày sinh: 15/03/1990\nHọ tên: Nguyễn Văn An",
    );
    assert!(r.text.contains("số bạn gửi có 11 chữ số"), "{}", r.text);
    assert!(
        r.text.ends_with(
            "Vui lòng gửi thêm số định danh cá nhân (12 chữ số) hoặc số CMND cũ (9 chữ số)."
        ),
        "{}",
        r.text
    );
    let t = say(&mut c, "079090123456");
    assert_eq!(
        t.need,
        Need::StatusByPerson {
            number: "079090123456".into(),
            dob: PartialDate::Full(date(1990, 3, 15)),
            name: Some("Nguyễn Văn An".into()),
        }
    );
}

#[test]
fn a_name_holding_a_keyword_is_taken_as_the_name() {
    let mut c = Conversation::default();
    one(&mut c, "079090123456 15/03/1990");
    let t = say(&mut c, "Lê Thị Phí");
    assert!(
        matches!(&t.need, Need::StatusByPerson { name: Some(n), .. } if n == "Lê Thị Phí"),
        "{t:?}"
    );
    // But a question in the middle is answered, and leaves the lookup.
    let mut c = Conversation::default();
    one(&mut c, "079090123456");
    let r = one(&mut c, "lệ phí bao nhiêu");
    assert_eq!(r.text, answers::fees(Lang::Vi, ctx().today));
    assert_eq!(c.step, Step::Menu);
}

#[test]
fn nothing_readable_while_gathering_is_counted() {
    let mut c = Conversation::default();
    one(&mut c, understand::PAYLOAD_NO_CODE);
    let r = one(&mut c, "??");
    assert!(r.text.starts_with("Tôi chưa đọc được thông tin"));
    assert_eq!(c.wrong, 1);
    assert!(matches!(c.step, Step::AwaitIdentity { .. }));
}

#[test]
fn answers_come_from_the_rules() {
    let mut c = Conversation::default();
    let today = ctx().today;
    assert_eq!(one(&mut c, "lệ phí").text, answers::fees(Lang::Vi, today));
    assert_eq!(
        one(&mut c, "#thutuc").text,
        answers::procedure(Lang::Vi, today)
    );
    assert_eq!(
        one(&mut c, "bao lâu thì xong").text,
        answers::deadlines(Lang::Vi, today, ctx().calendar)
    );
    c.lang = Lang::En;
    assert_eq!(one(&mut c, "fees").text, answers::fees(Lang::En, today));
}

#[test]
fn offices_by_place() {
    let mut c = Conversation::default();
    let r = one(&mut c, "giờ làm việc");
    assert_eq!(c.step, Step::AwaitPlace);
    assert!(r.text.contains("xã, phường"));
    assert_eq!(
        say(&mut c, "Hoàn Kiếm"),
        Turn::need(Need::Offices {
            place: "Hoàn Kiếm".into()
        })
    );
    one(&mut c, "#giolamviec");
    assert_eq!(
        say(&mut c, "phường Bến Nghé"),
        Turn::need(Need::Offices {
            place: "Bến Nghé".into()
        })
    );
    assert_eq!(
        say(&mut c, "số điện thoại công an xã Tân Phú"),
        Turn::need(Need::Offices {
            place: "Tân Phú".into()
        })
    );
    let office = |i: usize| OfficeFacts {
        name: format!("Công an phường số {i}"),
        address: "1 Lý Thường Kiệt".into(),
        hotline: "024 3825 0000".into(),
        hours: "Thứ Hai–Thứ Sáu 7:30–11:30, 13:30–17:00".into(),
    };
    let seven: Vec<OfficeFacts> = (1..=7).map(office).collect();
    let r = ok(offices_reply(&mut c, &seven));
    assert!(r.text.starts_with("Công an phường số 1\nĐịa chỉ: 1 Lý Thường Kiệt\nĐường dây nóng: 024 3825 0000\nGiờ làm việc: Thứ Hai–Thứ Sáu"));
    assert!(r.text.contains("Công an phường số 5") && !r.text.contains("số 6"));
    assert!(
        r.text
            .ends_with("Còn 2 cơ quan khác: hãy gửi tên xã, phường cụ thể hơn.")
    );
    // Very long records still fit one message.
    let huge: Vec<OfficeFacts> = (1..=5)
        .map(|i| OfficeFacts {
            name: "Công an ".repeat(40) + &i.to_string(),
            address: "Đường ".repeat(100),
            hotline: "0".repeat(100),
            hours: "Thứ Hai ".repeat(100),
        })
        .collect();
    let r = ok(offices_reply(&mut c, &huge));
    assert!(r.text.contains("cơ quan khác"));
    // None found: asked again, counted.
    let r = ok(offices_reply(&mut c, &[]));
    assert!(r.text.starts_with("Không tìm thấy cơ quan nào"));
    assert_eq!((c.step.clone(), c.wrong), (Step::AwaitPlace, 1));
}

#[test]
fn booking_links_the_portal() {
    let mut c = Conversation::default();
    let r = one(&mut c, "đặt lịch");
    assert!(r.text.contains(BOOKING), "{}", r.text);
    c.lang = Lang::En;
    assert!(one(&mut c, "book an appointment").text.contains(BOOKING));
}

#[test]
fn a_human_takes_over_and_the_bot_stays_silent() {
    let mut c = Conversation::default();
    assert_eq!(say(&mut c, "gặp cán bộ"), Turn::need(Need::Human));
    let r = ok(handoff_reply(&mut c, true));
    assert!(r.text.contains("cán bộ"));
    assert_eq!(c.step, Step::Human);
    for text in [
        "xin chào",
        "tra cứu",
        &code().to_string(),
        "lệ phí",
        "#menu",
    ] {
        assert_eq!(say(&mut c, text), Turn::silent(), "{text}");
    }
    let r = one(&mut c, "English");
    assert_eq!(c.lang, Lang::En);
    assert_eq!(c.step, Step::Human);
    assert!(r.text.contains("An officer will keep answering"));
    let r = ok(end_handoff(&mut c));
    assert_eq!(c.step, Step::Menu);
    assert_eq!(r.choices.len(), 8);
    // Outside hours the message is kept and the bot goes on.
    let mut c = Conversation::default();
    say(&mut c, "#canbo");
    let r = ok(handoff_reply(&mut c, false));
    assert!(r.text.contains("ngoài giờ làm việc"));
    assert_eq!(c.step, Step::Menu);
    assert!(!say(&mut c, "lệ phí").replies.is_empty());
}

#[test]
fn three_unknown_messages_offer_a_human() {
    let mut c = Conversation::default();
    let r1 = one(&mut c, "asdf");
    assert!(r1.text.starts_with("Xin lỗi, tôi chưa hiểu"));
    one(&mut c, "qwer");
    let r3 = one(&mut c, "zxcv");
    assert!(r3.text.contains("Có vẻ tôi chưa giúp được bạn"));
    assert_eq!(r3.choices[0].title, "Gặp cán bộ");
    assert_eq!(
        r3.choices
            .iter()
            .filter(|c| c.title == "Gặp cán bộ")
            .count(),
        1
    );
    // Understood text resets the count.
    one(&mut c, "menu");
    assert_eq!(c.wrong, 0);
}

#[test]
fn language_switches_keep_the_question_pending() {
    let mut c = Conversation::default();
    one(&mut c, "079090123456");
    let r = one(&mut c, "English");
    assert_eq!(c.lang, Lang::En);
    assert!(
        r.text.starts_with("Switched to English.\nGot the number."),
        "{}",
        r.text
    );
    assert!(matches!(
        c.step,
        Step::AwaitIdentity {
            number: Some(_),
            ..
        }
    ));
    let r = one(&mut c, "tiếng Việt");
    assert!(
        r.text
            .starts_with("Đã chuyển sang tiếng Việt.\nĐã nhận số giấy tờ.")
    );
    let mut c = Conversation::default();
    let r = one(&mut c, "#english");
    assert!(r.text.starts_with("Switched to English. Hello!"));
    assert_eq!(
        r.choices.last().unwrap().payload,
        understand::PAYLOAD_VIETNAMESE
    );
}

#[test]
fn status_replies_by_state() {
    let mut c = Conversation::default();
    let cx = ctx();
    // Booked: the appointment, no return date.
    let mut f = facts(State::Booked);
    f.appointment_on = Some(date(2025, 11, 28));
    f.promised_on = None;
    let r = ok(status_reply(&mut c, Some(&f), &cx));
    assert!(
        r.text.contains("Ngày hẹn đến nộp hồ sơ: 28/11/2025."),
        "{}",
        r.text
    );
    // Overdue: the apology with the hotline, no "nothing to do".
    let mut f = facts(State::Dispatched);
    f.promised_on = Some(date(2025, 11, 20));
    f.overdue = true;
    let r = ok(status_reply(&mut c, Some(&f), &cx));
    assert!(r.text.contains("Hồ sơ đã quá hạn: ngày hẹn trả là 20/11/2025. Chúng tôi xin lỗi vì sự chậm trễ. Vui lòng gọi đường dây nóng 028 3829 7107 của Công an phường Bến Nghé"), "{}", r.text);
    assert!(!r.text.contains(guidance(State::Dispatched).next_vi));
    // Rejected: the date may change.
    let r = ok(status_reply(&mut c, Some(&facts(State::Rejected)), &cx));
    assert!(
        r.text
            .contains("Ngày hẹn trả dự kiến: 02/12/2025 (có thể thay đổi).")
    );
    assert!(r.text.contains(guidance(State::Rejected).next_vi));
    // Ready and posted: the day it happened.
    let mut f = facts(State::ReadyForPickup);
    f.ready_on = Some(date(2025, 11, 24));
    assert!(
        ok(status_reply(&mut c, Some(&f), &cx))
            .text
            .contains("Thẻ có từ ngày: 24/11/2025.")
    );
    f.state = State::Posted;
    assert!(
        ok(status_reply(&mut c, Some(&f), &cx))
            .text
            .contains("Ngày gửi thẻ: 24/11/2025.")
    );
    // Due today.
    let mut f = facts(State::Printed);
    f.promised_on = Some(cx.today);
    assert!(
        ok(status_reply(&mut c, Some(&f), &cx))
            .text
            .contains("Ngày hẹn trả thẻ: 25/11/2025 (hôm nay).")
    );
    // Refused: no date at all.
    let r = ok(status_reply(&mut c, Some(&facts(State::Refused)), &cx));
    assert!(!r.text.contains("/2025"), "{}", r.text);
    // Found by ID number: the code is not read back.
    let mut f = facts(State::Approved);
    f.code = None;
    let r = ok(status_reply(&mut c, Some(&f), &cx));
    assert!(
        r.text.starts_with(guidance(State::Approved).headline_vi),
        "{}",
        r.text
    );
    assert!(!r.text.contains(&code().grouped()));
    // English.
    c.lang = Lang::En;
    let r = ok(status_reply(&mut c, Some(&facts(State::Approved)), &cx));
    assert!(r.text.starts_with(&format!(
        "Dossier {}: {}",
        code().grouped(),
        guidance(State::Approved).headline_en
    )));
    assert!(
        r.text
            .contains("Promised return date: 02/12/2025 (5 working days left).")
    );
    // Every state, both languages, overdue or not, fits.
    for s in State::ALL {
        for lang in [Lang::Vi, Lang::En] {
            for overdue in [false, true] {
                let mut c = Conversation {
                    lang,
                    ..Conversation::default()
                };
                let mut f = facts(s);
                f.overdue = overdue;
                f.appointment_on = Some(date(2025, 11, 28));
                f.ready_on = Some(date(2025, 11, 24));
                ok(status_reply(&mut c, Some(&f), &cx));
            }
        }
    }
}

#[test]
fn not_found_never_says_what_was_wrong() {
    let mut c = Conversation::default();
    let r = ok(status_reply(&mut c, None, &ctx()));
    assert!(
        r.text
            .starts_with("Không tìm thấy hồ sơ nào khớp với thông tin bạn gửi.")
    );
    assert!(
        r.text.contains("giấy hẹn") && r.text.contains(LOOKUP) && r.text.contains("gặp cán bộ")
    );
    for leak in ["ngày sinh", "họ tên", "số định danh", "không đúng", "sai"] {
        assert!(!r.text.contains(leak), "{leak}: {}", r.text);
    }
    assert_eq!(
        titles(&r),
        ["Tra cứu hồ sơ", "Không có mã", "Gặp cán bộ", "Menu"]
    );
    assert_eq!(c.wrong, 1);
    c.lang = Lang::En;
    let r = ok(status_reply(&mut c, None, &ctx()));
    assert!(r.text.starts_with("No application matches what you sent."));
}

#[test]
fn throttled() {
    let vi = Conversation::default();
    assert_eq!(
        ok(throttled_reply(&vi, 30)).text,
        "Bạn đã tra cứu nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 30 giây."
    );
    assert!(ok(throttled_reply(&vi, 61)).text.ends_with("sau 2 phút."));
    assert!(ok(throttled_reply(&vi, 0)).text.ends_with("sau 1 giây."));
    let en = Conversation {
        lang: Lang::En,
        ..Conversation::default()
    };
    assert!(ok(throttled_reply(&en, 60)).text.ends_with("in 1 minute."));
    assert!(
        ok(throttled_reply(&en, 600))
            .text
            .ends_with("in 10 minutes.")
    );
}

#[test]
fn the_state_is_stored_as_json() {
    let c = Conversation {
        lang: Lang::En,
        step: Step::AwaitIdentity {
            number: Some("079090123456".into()),
            dob: None,
            name: Some("Nguyễn Văn An".into()),
        },
        wrong: 2,
    };
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(
        json,
        r#"{"lang":"en","step":{"step":"await_identity","number":"079090123456","dob":null,"name":"Nguyễn Văn An"},"wrong":2}"#
    );
    assert_eq!(serde_json::from_str::<Conversation>(&json).unwrap(), c);
    let menu = serde_json::to_string(&Conversation::default()).unwrap();
    assert_eq!(menu, r#"{"lang":"vi","step":{"step":"menu"},"wrong":0}"#);
}

fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Menu),
        Just(Step::AwaitCode),
        Just(Step::AwaitPlace),
        Just(Step::Human),
        (
            proptest::option::of("[0-9]{9,12}"),
            proptest::option::of("[0-9/ .-]{0,12}"),
            proptest::option::of("\\PC{0,30}"),
        )
            .prop_map(|(number, dob, name)| Step::AwaitIdentity { number, dob, name }),
    ]
}

proptest! {
    #[test]
    fn any_text_at_any_step_gets_replies_within_limits(
        step in any_step(),
        en in any::<bool>(),
        wrong in 0u8..=255,
        text in prop_oneof![
            "\\PC{0,400}",
            "[0-9 ./\\-]{0,40}",
            Just("#khongcoma".to_owned()),
        ],
    ) {
        let mut c = Conversation { lang: if en { Lang::En } else { Lang::Vi }, step, wrong };
        let t = respond(&mut c, &text, &ctx());
        for r in t.replies {
            ok(r);
        }
    }
}

#[test]
fn no_code_typed_in_words_starts_the_lookup_by_identity() {
    for typed in ["khong co ma", "Không có mã", "tôi mất giấy hẹn", "no code"] {
        let mut conv = Conversation::default();
        say(&mut conv, "tra cứu");
        let t = say(&mut conv, typed);
        assert!(
            matches!(conv.step, Step::AwaitIdentity { .. }),
            "{typed:?}: {:?}",
            conv.step
        );
        assert_eq!(conv.wrong, 0, "{typed:?} is not a wrong entry");
        assert_eq!(t.need, Need::Nothing);
    }
}

#[test]
fn a_name_where_the_code_was_asked_is_kept() {
    let mut conv = Conversation::default();
    say(&mut conv, "CCCD của tôi làm xong chưa");
    say(&mut conv, "Nguyen Van An");
    assert_eq!(conv.wrong, 0);
    say(&mut conv, "079090012345");
    let t = say(&mut conv, "15-3-1990");
    assert_eq!(
        t.need,
        Need::StatusByPerson {
            number: "079090012345".to_owned(),
            dob: PartialDate::Full(date(1990, 3, 15)),
            name: Some("Nguyen Van An".to_owned()),
        }
    );
}
