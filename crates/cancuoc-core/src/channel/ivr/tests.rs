//! The voice menu walked key by key: every branch of the tree with the
//! exact words said, each kind of wrong entry, the third wrong entry inside
//! and outside opening hours, silences, and the state's query string.

use super::*;
use jiff::civil::date;

/// Monday 23 November 2026, 10:00: the 2024 menu, operators on duty.
fn monday() -> DateTime {
    date(2026, 11, 23).at(10, 0, 0, 0)
}

/// Sunday 22 November 2026, 10:00: the 2024 menu, no operators.
fn sunday() -> DateTime {
    date(2026, 11, 22).at(10, 0, 0, 0)
}

fn cal() -> &'static WorkingCalendar {
    WorkingCalendar::official()
}

fn at(node: IvrNode, wrong: u8) -> IvrState {
    IvrState {
        node,
        wrong,
        timeouts: 1,
        ..IvrState::default()
    }
}

fn press(state: &IvrState, keys: &str, now: DateTime) -> IvrTurn {
    step(state, Some(keys), now, cal())
}

const MENU_2024_VI: [&str; 6] = [
    "Để nghe hướng dẫn về trình tự, thủ tục cấp thẻ căn cước, bấm phím 1.",
    "Để nghe về lệ phí cấp thẻ căn cước, bấm phím 2.",
    "Để nghe về thời hạn cấp thẻ căn cước, bấm phím 3.",
    "Để nghe thông tin về tình trạng cấp thẻ căn cước của quý khách, bấm phím 4.",
    "Để tìm hiểu các thông tin khác, gặp tổng đài viên, bấm phím 5.",
    "Bấm phím 9 cho tiếng Anh. Press 9 for English.",
];

const MENU_2024_EN: [&str; 6] = [
    "For the application procedure, press 1.",
    "For the fees, press 2.",
    "For how long it takes to get a card, press 3.",
    "For the status of your card, press 4.",
    "For anything else, to speak to an operator, press 5.",
    "For Vietnamese, press 9. Bấm phím 9 cho tiếng Việt.",
];

const STATUS_MENU_VI: &str = "Bấm phím 1 nếu có mã hồ sơ. Bấm phím 2 để tra bằng số định danh cá nhân và ngày sinh. Bấm phím 0 để gặp tổng đài viên.";
const CODE_VI: &str =
    "Xin nhập mã hồ sơ gồm 16 chữ số in trên giấy hẹn trả kết quả, rồi bấm phím thăng.";
const NUMBER_VI: &str = "Xin nhập số định danh cá nhân gồm 12 chữ số, hoặc số chứng minh nhân dân cũ gồm 9 chữ số, rồi bấm phím thăng.";
const BIRTH_VI: &str = "Xin nhập ngày sinh gồm 8 chữ số theo ngày, tháng, năm, rồi bấm phím thăng. Ví dụ, ngày mồng năm tháng ba năm một nghìn chín trăm chín mươi: không năm, không ba, một chín chín không.";
const OPERATOR_VI: &str =
    "Xin quý khách chờ trong giây lát, cuộc gọi đang được chuyển đến tổng đài viên.";
const CLOSED_2024_VI: &str = "Hiện ngoài giờ làm việc của tổng đài viên; tổng đài viên trực từ bảy giờ ba mươi phút đến hai mươi giờ, từ thứ Hai đến thứ Sáu. Quý khách có thể tra cứu hồ sơ trên trang web bằng mã hồ sơ, hoặc nhắn tin qua Zalo hay Messenger để được trả lời ngay. Xin cảm ơn quý khách.";

/// A valid code of 21 November 2026 at office 0790, and how it is read.
const CODE: &str = "0790261121482138";
const CODE_SPOKEN: &str = "không bảy chín không, hai sáu một một hai một, bốn tám hai một ba, tám";

fn with_menu(lead: &[&str]) -> Vec<String> {
    lead.iter()
        .chain(MENU_2024_VI.iter())
        .map(|s| (*s).to_owned())
        .collect()
}

fn menu_gather() -> Option<Gather> {
    Some(Gather {
        num_digits: Some(1),
        timeout_secs: 5,
    })
}

fn entry_gather() -> Option<Gather> {
    Some(Gather {
        num_digits: None,
        timeout_secs: 15,
    })
}

#[test]
fn the_call_opens_with_the_greeting_and_the_menu_of_the_day() {
    let t = step(&IvrState::default(), None, monday(), cal());
    assert_eq!(
        t.say,
        with_menu(&["Tổng đài hướng dẫn về thẻ căn cước xin kính chào quý khách."])
    );
    assert_eq!(t.gather, menu_gather());
    assert!(!t.dial_operator);
    assert_eq!(t.need, Need::Nothing);
    assert_eq!(t.next, at(IvrNode::Main, 0));

    // In 2023 the menu was another: status on key 1.
    let t = step(
        &IvrState::default(),
        None,
        date(2023, 6, 1).at(9, 0, 0, 0),
        cal(),
    );
    assert_eq!(
        t.say[..2],
        [
            "Tổng đài hướng dẫn về căn cước công dân xin kính chào quý khách.",
            "Để nghe thông tin về tình trạng cấp thẻ căn cước công dân, bấm phím 1.",
        ]
    );
    assert_eq!(t.say.len(), 7);
}

#[test]
fn key_9_switches_to_english_and_back() {
    let t = press(&at(IvrNode::Main, 0), "9", monday());
    let mut want = vec!["Welcome to the identity card helpline.".to_owned()];
    want.extend(MENU_2024_EN.iter().map(|s| (*s).to_owned()));
    assert_eq!(t.say, want);
    assert_eq!(t.next.lang, Lang::En);
    assert_eq!(t.next.to_query(), "node=main&wrong=0&t=1&lang=en");

    let back = press(&t.next, "9", monday());
    assert_eq!(back.next.lang, Lang::Vi);
    assert_eq!(
        back.say,
        with_menu(&["Tổng đài hướng dẫn về thẻ căn cước xin kính chào quý khách."])
    );
}

#[test]
fn procedure_fees_and_deadlines_are_the_rules_answers_then_the_menu() {
    let today = monday().date();
    let start = at(IvrNode::Main, 2);
    for (key, answer) in [
        ("1", answers::procedure(Lang::Vi, today)),
        ("2", answers::fees(Lang::Vi, today)),
        ("3", answers::deadlines(Lang::Vi, today, cal())),
    ] {
        let t = press(&start, key, monday());
        // The written answer, its dates spoken.
        assert_eq!(t.say[0], speech::dates_spoken(&answer, false), "key {key}");
        assert_eq!(
            speech::dates_spoken(&t.say[0], false),
            t.say[0],
            "no written date left"
        );
        assert_eq!(t.say[1..], MENU_2024_VI, "key {key}");
        assert_eq!(t.gather, menu_gather());
        // A completed answer starts the count of wrong entries over.
        assert_eq!(t.next, at(IvrNode::Main, 0), "key {key}");
    }
    let en = IvrState {
        lang: Lang::En,
        ..start
    };
    let t = press(&en, "2", monday());
    assert_eq!(t.say[0], answers::fees(Lang::En, today));
    assert_eq!(t.say[1..], MENU_2024_EN);
}

#[test]
fn status_by_code_walks_to_a_lookup() {
    let t = press(&at(IvrNode::Main, 0), "4", monday());
    assert_eq!(t.say, [STATUS_MENU_VI]);
    assert_eq!(t.gather, menu_gather());
    assert_eq!(t.next, at(IvrNode::StatusMenu, 0));

    let t = press(&t.next, "1", monday());
    assert_eq!(t.say, [CODE_VI]);
    assert_eq!(t.gather, entry_gather());
    assert_eq!(t.next, at(IvrNode::Code, 0));

    // Twilio strips the `#`; Stringee may pass it on.
    for keys in [CODE, &format!("{CODE}#")] {
        let t = press(&at(IvrNode::Code, 1), keys, monday());
        assert!(t.say.is_empty());
        assert_eq!(t.gather, None);
        assert!(!t.dial_operator);
        let code = DossierCode::parse(CODE).expect("code");
        assert_eq!(t.need, Need::StatusByCode(code));
        assert_eq!(t.next.node, IvrNode::Main);
    }
}

#[test]
fn each_wrong_code_is_told_precisely_and_counted() {
    let t = press(&at(IvrNode::Code, 0), "079026112148213", monday());
    assert_eq!(
        t.say,
        [
            "Mã hồ sơ gồm 16 chữ số, quý khách đã nhập 15 chữ số.",
            CODE_VI
        ]
    );
    assert_eq!(t.gather, entry_gather());
    assert_eq!(t.next, at(IvrNode::Code, 1));

    let t = press(&t.next, "0790261121482139", monday());
    assert_eq!(
        t.say,
        [
            "Chữ số kiểm tra không khớp: có một chữ số bị nhập sai hoặc hai chữ số bị đảo chỗ. Xin kiểm tra lại mã trên giấy hẹn.",
            CODE_VI
        ]
    );
    assert_eq!(t.next, at(IvrNode::Code, 2));

    let t = press(&at(IvrNode::Code, 0), "0790*", monday());
    assert_eq!(
        t.say[0],
        "Mã hồ sơ chỉ gồm chữ số; quý khách đã bấm phím sao."
    );
    let en = IvrState {
        lang: Lang::En,
        ..at(IvrNode::Code, 0)
    };
    let t = press(&en, "12345", monday());
    assert_eq!(
        t.say,
        [
            "The dossier code has 16 digits; you entered 5.",
            "Enter the 16-digit dossier code printed on your appointment slip, then press the hash key."
        ]
    );
}

#[test]
fn the_third_wrong_entry_goes_to_the_operator_inside_hours() {
    let t = press(&at(IvrNode::Code, 2), "0790261121482139", monday());
    assert_eq!(
        t.say,
        [
            "Chữ số kiểm tra không khớp: có một chữ số bị nhập sai hoặc hai chữ số bị đảo chỗ. Xin kiểm tra lại mã trên giấy hẹn.",
            "Quý khách đã nhập sai ba lần.",
            OPERATOR_VI,
        ]
    );
    assert!(t.dial_operator);
    assert_eq!(t.gather, None);
    assert_eq!(t.need, Need::Nothing);
    assert_eq!(t.next, IvrState::default());

    // The same at the main menu, with unknown keys.
    let t = press(&at(IvrNode::Main, 2), "7", monday());
    assert_eq!(
        t.say,
        [
            "Phím không hợp lệ.",
            "Quý khách đã nhập sai ba lần.",
            OPERATOR_VI
        ]
    );
    assert!(t.dial_operator);
}

#[test]
fn the_third_wrong_entry_outside_hours_says_the_hours_and_hangs_up() {
    let t = press(&at(IvrNode::Main, 2), "7", sunday());
    assert_eq!(
        t.say,
        [
            "Phím không hợp lệ.",
            "Quý khách đã nhập sai ba lần.",
            CLOSED_2024_VI
        ]
    );
    assert!(!t.dial_operator);
    assert_eq!(t.gather, None);
    // A weekday evening after 20:00 is closed too.
    let evening = date(2026, 11, 23).at(20, 0, 0, 0);
    let t = press(&at(IvrNode::StatusMenu, 2), "8", evening);
    assert_eq!(t.say.last().map(String::as_str), Some(CLOSED_2024_VI));
    assert!(!t.dial_operator);
    let en = IvrState {
        lang: Lang::En,
        ..at(IvrNode::Main, 2)
    };
    let t = press(&en, "0", sunday());
    assert_eq!(
        t.say,
        [
            "That key is not in the menu.",
            "That was the third wrong entry.",
            "Our operators are not available now; they answer from seven thirty a.m. to eight p.m., Monday to Friday. You can look up your dossier with its code on our website, or message us on Zalo or Messenger for an instant answer. Thank you for calling.",
        ]
    );
}

#[test]
fn an_unknown_key_is_said_and_the_menu_repeated() {
    let t = press(&at(IvrNode::Main, 0), "7", monday());
    assert_eq!(t.say, with_menu(&["Phím không hợp lệ."]));
    assert_eq!(t.next, at(IvrNode::Main, 1));
    // Several keys at a one-key menu are not a key.
    let t = press(&at(IvrNode::Main, 0), "45", monday());
    assert_eq!(t.next, at(IvrNode::Main, 1));
    let t = press(&at(IvrNode::StatusMenu, 1), "3", monday());
    assert_eq!(t.say, ["Phím không hợp lệ.", STATUS_MENU_VI]);
    assert_eq!(t.next, at(IvrNode::StatusMenu, 2));
}

#[test]
fn the_operator_key_dials_inside_hours_only() {
    let t = press(&at(IvrNode::Main, 0), "5", monday());
    assert_eq!(t.say, [OPERATOR_VI]);
    assert!(t.dial_operator);
    assert_eq!(t.gather, None);

    let t = press(&at(IvrNode::Main, 0), "5", sunday());
    assert_eq!(t.say, [CLOSED_2024_VI]);
    assert!(!t.dial_operator);
    assert_eq!(t.gather, None);

    // Key 0 at the status menu, too.
    let t = press(&at(IvrNode::StatusMenu, 0), "0", monday());
    assert_eq!(t.say, [OPERATOR_VI]);
    assert!(t.dial_operator);
}

#[test]
fn the_2023_menu_leads_key_1_to_our_status_menu_then_the_operator() {
    let thursday = date(2023, 6, 1).at(19, 0, 0, 0);
    let t = press(&at(IvrNode::Main, 0), "1", thursday);
    assert_eq!(t.say, [STATUS_MENU_VI]);
    let t = press(&t.next, "0", thursday);
    assert!(t.dial_operator);
    // Sundays were open in 2023.
    let t = press(
        &at(IvrNode::StatusMenu, 0),
        "0",
        date(2023, 6, 4).at(10, 0, 0, 0),
    );
    assert!(t.dial_operator);
    // Key 3 was e-ID questions: a notice, then the menu.
    let t = press(&at(IvrNode::Main, 0), "3", thursday);
    assert_eq!(
        t.say[0],
        "Tài khoản định danh điện tử được đăng ký trên ứng dụng VNeID. Tổng đài này chỉ trả lời về thẻ căn cước; các câu hỏi khác về tài khoản, xin hỏi cơ quan công an nơi cư trú."
    );
    assert_eq!(t.say.len(), 1 + 6);
    // Key 2 was card questions: our procedure answer.
    let t = press(&at(IvrNode::Main, 0), "2", thursday);
    assert_eq!(t.say[0], answers::procedure(Lang::Vi, thursday.date()));
    // There was no key 6.
    let t = press(&at(IvrNode::Main, 0), "6", thursday);
    assert_eq!(t.say[0], "Phím không hợp lệ.");
}

#[test]
fn status_by_number_and_birth_walks_to_a_lookup() {
    let t = press(&at(IvrNode::StatusMenu, 0), "2", monday());
    assert_eq!(t.say, [NUMBER_VI]);
    assert_eq!(t.gather, entry_gather());
    assert_eq!(t.next, at(IvrNode::Number, 0));

    let t = press(&t.next, "001099012345#", monday());
    assert_eq!(t.say, [BIRTH_VI]);
    assert_eq!(t.gather, entry_gather());
    assert_eq!(t.next.node, IvrNode::Birth);
    assert_eq!(t.next.number.as_deref(), Some("001099012345"));
    assert_eq!(
        t.next.to_query(),
        "node=birth&wrong=0&t=1&lang=vi&n=001099012345"
    );

    let t = press(&t.next, "15031990", monday());
    assert!(t.say.is_empty());
    assert_eq!(t.gather, None);
    assert_eq!(
        t.need,
        Need::StatusByPerson {
            number: "001099012345".to_owned(),
            dob: PartialDate::Full(date(1990, 3, 15)),
            name: None,
        }
    );
    // The number does not travel further.
    assert_eq!(t.next.number, None);
    assert_eq!(t.next.node, IvrNode::Main);

    // An old 9-digit CMND number is accepted too.
    let t = press(&at(IvrNode::Number, 0), "025123456", monday());
    assert_eq!(t.next.number.as_deref(), Some("025123456"));
}

#[test]
fn each_wrong_number_or_birth_date_is_told_precisely() {
    let t = press(&at(IvrNode::Number, 0), "0010990123", monday());
    assert_eq!(
        t.say,
        [
            "Số định danh cá nhân gồm 12 chữ số, số chứng minh nhân dân cũ gồm 9 chữ số; quý khách đã nhập 10 chữ số.",
            NUMBER_VI
        ]
    );
    assert_eq!(t.next, at(IvrNode::Number, 1));
    let t = press(&at(IvrNode::Number, 0), "00109*", monday());
    assert_eq!(
        t.say[0],
        "Số định danh chỉ gồm chữ số; quý khách đã bấm phím sao."
    );

    let birth = IvrState {
        number: Some("001099012345".to_owned()),
        ..at(IvrNode::Birth, 0)
    };
    for (keys, want) in [
        (
            "1503199",
            "Ngày sinh gồm 8 chữ số: 2 chữ số ngày, 2 chữ số tháng, 4 chữ số năm; quý khách đã nhập 7 chữ số.",
        ),
        (
            "30021990",
            "Ngày đã nhập, ba không, không hai, một chín chín không, không phải là một ngày có thật.",
        ),
        (
            "15131990",
            "Ngày đã nhập, một năm, một ba, một chín chín không, không phải là một ngày có thật.",
        ),
        (
            "01011890",
            "Năm sinh phải từ năm một nghìn chín trăm trở đi; quý khách đã nhập năm một nghìn tám trăm chín mươi.",
        ),
        (
            "24112026",
            "Ngày sinh đã nhập, ngày hai mươi tư tháng mười một năm hai nghìn không trăm hai mươi sáu, chưa tới: ngày sinh không thể sau hôm nay.",
        ),
        (
            "1503*990",
            "Ngày sinh chỉ gồm chữ số; quý khách đã bấm phím sao.",
        ),
    ] {
        let t = press(&birth, keys, monday());
        assert_eq!(t.say, [want, BIRTH_VI], "{keys}");
        assert_eq!(t.next.wrong, 1, "{keys}");
        assert_eq!(t.next.number.as_deref(), Some("001099012345"), "{keys}");
        assert_eq!(t.need, Need::Nothing);
    }
    // Born today is fine.
    let t = press(&birth, "23112026", monday());
    assert!(matches!(t.need, Need::StatusByPerson { .. }));

    let en = IvrState {
        lang: Lang::En,
        ..birth
    };
    let t = press(&en, "24112026", monday());
    assert_eq!(
        t.say[0],
        "The date of birth entered, November twenty-fourth, twenty twenty-six, is in the future."
    );
}

#[test]
fn silence_repeats_the_prompt_once_then_goes_to_the_main_menu() {
    let t = step(&at(IvrNode::Code, 0), None, monday(), cal());
    assert_eq!(t.say, ["Quý khách chưa bấm phím nào.", CODE_VI]);
    assert_eq!(t.next.timeouts, 2);
    assert_eq!(t.next.node, IvrNode::Code);
    // `#` alone is nothing pressed.
    let again = step(&t.next, Some("#"), monday(), cal());
    assert_eq!(again.say, with_menu(&["Quý khách chưa bấm phím nào."]));
    assert_eq!(again.next, at(IvrNode::Main, 0));

    // The number is kept while the date of birth is asked again.
    let birth = IvrState {
        number: Some("025123456".to_owned()),
        ..at(IvrNode::Birth, 1)
    };
    let t = step(&birth, None, monday(), cal());
    assert_eq!(t.next.number.as_deref(), Some("025123456"));
    let t = step(&t.next, None, monday(), cal());
    assert_eq!(t.next.number, None);
    assert_eq!(t.next.wrong, 1);

    // At the main menu: once more, then goodbye.
    let t = step(&at(IvrNode::Main, 0), None, monday(), cal());
    assert_eq!(t.say, with_menu(&["Quý khách chưa bấm phím nào."]));
    let t = step(&t.next, Some(""), monday(), cal());
    assert_eq!(t.say, ["Xin cảm ơn quý khách đã gọi. Xin chào."]);
    assert_eq!(t.gather, None);
    assert!(!t.dial_operator);
}

fn facts(state: State) -> StatusFacts {
    StatusFacts {
        code: Some(DossierCode::parse(CODE).expect("code")),
        state,
        appointment_on: None,
        promised_on: Some(date(2026, 12, 12)),
        ready_on: None,
        overdue: false,
        office_name: "Công an phường Bến Thành".to_owned(),
        office_hotline: "028 3829 7290".to_owned(),
    }
}

#[test]
fn a_status_is_read_with_its_code_dates_and_office_then_the_menu() {
    let t = status_turn(
        &at(IvrNode::Main, 2),
        Some(&facts(State::SentToCentre)),
        monday(),
    );
    assert_eq!(
        t.say,
        with_menu(&[
            &format!("Hồ sơ mã số {CODE_SPOKEN}."),
            "Hồ sơ đang được xử lý tại Trung tâm dữ liệu quốc gia về dân cư.",
            "Ngày hẹn trả thẻ là ngày mười hai tháng mười hai năm hai nghìn không trăm hai mươi sáu.",
            "Cơ quan tiếp nhận: Công an phường Bến Thành, đường dây nóng không hai tám, ba tám hai chín, bảy hai chín không.",
            "Bạn không cần làm gì thêm: chờ đến ngày hẹn trả. Nếu đã qua ngày hẹn mà thẻ chưa xong, hãy gọi đường dây nóng của cơ quan tiếp nhận.",
        ])
    );
    assert_eq!(t.gather, menu_gather());
    assert_eq!(t.next, at(IvrNode::Main, 0));
    assert_eq!(t.need, Need::Nothing);

    // Found by ID number and date of birth: the code is not read.
    let f = StatusFacts {
        code: None,
        overdue: true,
        ..facts(State::Approved)
    };
    let t = status_turn(&IvrState::default(), Some(&f), monday());
    assert_eq!(
        t.say[..2],
        [
            "Hồ sơ đã được phê duyệt, chờ in thẻ.",
            "Ngày hẹn trả thẻ là ngày mười hai tháng mười hai năm hai nghìn không trăm hai mươi sáu; hồ sơ đã quá ngày hẹn.",
        ]
    );

    let ready = StatusFacts {
        ready_on: Some(date(2026, 12, 1)),
        ..facts(State::ReadyForPickup)
    };
    let t = status_turn(&IvrState::default(), Some(&ready), monday());
    assert_eq!(
        t.say[1..3],
        [
            "Thẻ đã có, đang chờ bạn đến nhận.",
            "Thẻ có từ ngày mồng một tháng mười hai năm hai nghìn không trăm hai mươi sáu.",
        ]
    );

    let booked = StatusFacts {
        appointment_on: Some(date(2026, 11, 25)),
        promised_on: None,
        ..facts(State::Booked)
    };
    let t = status_turn(&IvrState::default(), Some(&booked), monday());
    assert_eq!(
        t.say[2],
        "Ngày hẹn đến nộp hồ sơ là ngày hai mươi lăm tháng mười một năm hai nghìn không trăm hai mươi sáu."
    );

    // Refused: no date line.
    let t = status_turn(&IvrState::default(), Some(&facts(State::Refused)), monday());
    assert_eq!(
        t.say[1..3],
        [
            "Hồ sơ bị từ chối tiếp nhận; không có ngày hẹn trả.",
            "Cơ quan tiếp nhận: Công an phường Bến Thành, đường dây nóng không hai tám, ba tám hai chín, bảy hai chín không.",
        ]
    );
}

#[test]
fn a_status_in_english() {
    let en = IvrState {
        lang: Lang::En,
        ..IvrState::default()
    };
    let t = status_turn(&en, Some(&facts(State::Rejected)), monday());
    assert_eq!(
        t.say[..4],
        [
            "Dossier code zero seven nine zero, two six one one two one, four eight two one three, eight.",
            "The application was sent back to the receiving office to be completed or corrected; processing is on hold.",
            "The promised date is December twelfth, twenty twenty-six, and it may change.",
            "The receiving office is Công an phường Bến Thành, hotline zero two eight, three eight two nine, seven two nine zero.",
        ]
    );
    assert_eq!(t.say[5..], MENU_2024_EN);
    assert_eq!(t.next.lang, Lang::En);
}

#[test]
fn not_found_never_says_which_part_was_wrong() {
    let t = status_turn(&at(IvrNode::Main, 1), None, monday());
    assert_eq!(
        t.say,
        with_menu(&[
            "Không tìm thấy hồ sơ với thông tin đã nhập. Xin kiểm tra lại mã hồ sơ trên giấy hẹn, hoặc số định danh và ngày sinh, rồi thử lại."
        ])
    );
    assert_eq!(t.next, at(IvrNode::Main, 0));
}

#[test]
fn a_throttled_lookup_is_told_and_the_call_ends() {
    let t = throttled_turn(&IvrState::default());
    assert_eq!(
        t.say,
        [
            "Quý khách đã tra cứu quá nhiều lần trong thời gian ngắn. Xin gọi lại sau ít phút, hoặc tra cứu trên trang web bằng mã hồ sơ. Xin cảm ơn."
        ]
    );
    assert_eq!(t.gather, None);
    assert!(!t.dial_operator);
}

#[test]
fn the_state_round_trips_through_its_query() {
    let states = [
        IvrState::default(),
        at(IvrNode::StatusMenu, 2),
        IvrState {
            lang: Lang::En,
            timeouts: 2,
            ..at(IvrNode::Code, 1)
        },
        at(IvrNode::Number, 0),
        IvrState {
            number: Some("025123456".to_owned()),
            ..at(IvrNode::Birth, 1)
        },
    ];
    for s in states {
        let q = s.to_query();
        assert_eq!(IvrState::from_query(&q), s, "{q}");
        // A provider's own parameters around ours are ignored.
        assert_eq!(
            IvrState::from_query(&format!("?{q}&CallSid=CA123&Digits=")),
            s,
            "{q}"
        );
    }
    assert_eq!(
        IvrState::default().to_query(),
        "node=main&wrong=0&t=0&lang=vi"
    );
    assert_eq!(
        at(IvrNode::Code, 1).to_query(),
        "node=code&wrong=1&t=1&lang=vi"
    );
}

#[test]
fn an_unreadable_query_starts_over() {
    for q in [
        "node=nowhere",
        "node=code&wrong=x",
        "node=code&wrong=3",
        "node=code&wrong=-1",
        "node=code&t=9",
        "node=code&lang=fr",
        "node=birth&wrong=0",
        "node=birth&n=12345",
        "node=birth&n=00109901234x",
        "node=main&n=001099012345",
        "node",
        "\u{0}\u{ffff}&&==",
        "node=code&wrong=1&lang=vi&n=001099012345",
    ] {
        assert_eq!(IvrState::from_query(q), IvrState::default(), "{q}");
    }
    assert_eq!(IvrState::from_query(""), IvrState::default());
}

#[test]
fn debug_never_shows_the_number() {
    let s = IvrState {
        number: Some("001099012345".to_owned()),
        ..at(IvrNode::Birth, 0)
    };
    let d = format!("{s:?}");
    assert!(!d.contains("001099012345"), "{d}");
    assert!(d.contains("Birth"), "{d}");
}
