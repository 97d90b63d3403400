//! Real-looking messages, with and without diacritics, and what they mean.

use super::*;
use jiff::civil::date;
use proptest::prelude::*;

fn code() -> DossierCode {
    DossierCode::new(790, date(2025, 11, 21), 48213).unwrap()
}

/// The code's 16 digits with `sep` between the slip's groups.
fn typed(sep: &str) -> String {
    code().grouped().replace(' ', sep)
}

/// The same code with its check digit changed.
fn wrong_check() -> String {
    let digits = code().to_string();
    let last = digits.as_bytes()[15] - b'0';
    format!("{}{}", &digits[..15], (last + 1) % 10)
}

fn identity(number: Option<&str>, dob: Option<&str>, name: Option<&str>) -> Intent {
    Intent::Identity {
        number: number.map(str::to_owned),
        dob: dob.map(str::to_owned),
        name: name.map(str::to_owned),
    }
}

fn bad_vi(text: &str) -> String {
    match understand(text) {
        Intent::BadCode { problem_vi, .. } => problem_vi,
        other => panic!("{text:?}: expected BadCode, got {other:?}"),
    }
}

#[test]
fn keywords_with_and_without_diacritics() {
    #[rustfmt::skip]
    let cases: &[(&str, Intent)] = &[
        ("Tra cứu", Intent::StatusAsk),
        ("tra cuu", Intent::StatusAsk),
        ("TRA CUU", Intent::StatusAsk),
        ("tra cứu hồ sơ giúp em với ạ", Intent::StatusAsk),
        ("CCCD của tôi làm xong chưa", Intent::StatusAsk),
        ("cccd cua toi lam xong chua", Intent::StatusAsk),
        ("Kiểm tra tình trạng", Intent::StatusAsk),
        ("check status", Intent::StatusAsk),
        ("Is my card ready?", Intent::StatusAsk),
        ("Tôi đã làm CCCD từ lâu nhưng chưa nhận được có thể giúp tôi tra cứu không?", Intent::StatusAsk),
        ("bao giờ có thẻ vậy ad", Intent::StatusAsk),
        ("Làm căn cước cần giấy tờ gì?", Intent::Procedure),
        ("thu tuc lam cccd", Intent::Procedure),
        ("mất thẻ thì làm sao", Intent::Procedure),
        ("Lệ phí làm thẻ căn cước bao nhiêu", Intent::Fees),
        ("le phi cap doi bao nhieu tien", Intent::Fees),
        ("làm thẻ hết bao nhiêu tiền", Intent::Fees),
        ("How much is the fee?", Intent::Fees),
        ("Làm CCCD mất bao lâu", Intent::Deadlines),
        ("may ngay thi co the", Intent::Deadlines),
        ("thời hạn trả thẻ", Intent::Deadlines),
        ("Giờ làm việc", Intent::Offices { place: None }),
        ("gio lam viec", Intent::Offices { place: None }),
        ("hotline", Intent::Offices { place: None }),
        ("Số điện thoại công an phường Bến Nghé", Intent::Offices { place: Some("Bến Nghé".into()) }),
        ("so dien thoai cong an xa Tan Phu la gi", Intent::Offices { place: Some("Tan Phu".into()) }),
        ("giờ làm việc công an Hoàn Kiếm?", Intent::Offices { place: Some("Hoàn Kiếm".into()) }),
        ("địa chỉ công an quận 1", Intent::Offices { place: Some("quận 1".into()) }),
        ("office hours in Da Nang", Intent::Offices { place: Some("Da Nang".into()) }),
        ("giờ làm việc ở Hà Nội", Intent::Offices { place: Some("Hà Nội".into()) }),
        ("hotline công an huyện Củ Chi", Intent::Offices { place: Some("Củ Chi".into()) }),
        ("công an tỉnh Lâm Đồng làm việc mấy giờ", Intent::Offices { place: Some("Lâm Đồng".into()) }),
        ("số điện thoại công an Hội An", Intent::Offices { place: Some("Hội An".into()) }),
        ("Đặt lịch", Intent::Booking),
        ("dat lich lam cccd", Intent::Booking),
        ("tôi muốn hẹn", Intent::Booking),
        ("book an appointment", Intent::Booking),
        ("Gặp cán bộ", Intent::Human),
        ("cho tôi nói chuyện với người thật", Intent::Human),
        ("tong dai vien", Intent::Human),
        ("agent", Intent::Human),
        ("English", Intent::Language(Lang::En)),
        ("english please", Intent::Language(Lang::En)),
        ("Tiếng Việt", Intent::Language(Lang::Vi)),
        ("tieng viet", Intent::Language(Lang::Vi)),
        ("Cảm ơn ạ", Intent::Thanks),
        ("cam on ad", Intent::Thanks),
        ("thanks", Intent::Thanks),
        ("Xin chào", Intent::Greeting),
        ("chao ban", Intent::Greeting),
        ("Hello", Intent::Greeting),
        ("menu", Intent::Menu),
        ("Bắt đầu", Intent::Menu),
        ("asdfgh", Intent::Unknown),
        ("", Intent::Unknown),
        ("   \n ", Intent::Unknown),
        ("🙂", Intent::Unknown),
    ];
    assert!(cases.len() >= 30);
    for (text, want) in cases {
        assert_eq!(&understand(text), want, "{text:?}");
    }
}

#[test]
fn a_question_after_a_greeting_is_the_question() {
    assert_eq!(
        understand("Chào bạn, cho hỏi lệ phí làm CCCD"),
        Intent::Fees
    );
    assert_eq!(understand("alo ad oi tra cuu giup em"), Intent::StatusAsk);
    // A long sentence naming a language is not a language switch.
    assert_eq!(
        understand("tôi không đọc được tiếng Việt có dấu, thủ tục làm thẻ thế nào"),
        Intent::Procedure
    );
}

#[test]
fn payloads_are_understood_exactly() {
    let want = [
        Intent::Menu,
        Intent::StatusAsk,
        identity(None, None, None),
        Intent::Procedure,
        Intent::Fees,
        Intent::Deadlines,
        Intent::Offices { place: None },
        Intent::Booking,
        Intent::Human,
        Intent::Language(Lang::En),
        Intent::Language(Lang::Vi),
        Intent::Menu,
    ];
    for (p, w) in PAYLOADS.iter().zip(want) {
        assert_eq!(understand(p), w, "{p}");
        assert_eq!(understand(&format!(" {p}\n")), w, "{p} with spaces");
    }
    // Payloads are distinct.
    let mut sorted = PAYLOADS.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), PAYLOADS.len());
}

#[test]
fn a_code_as_typed() {
    let c = code();
    for text in [
        c.to_string(),
        c.grouped(),
        typed("."),
        typed("-"),
        typed(" - "),
        typed("  "),
        format!("Mã hồ sơ của tôi là {} ạ", c.grouped()),
        format!("ma ho so: {}", typed(".")),
        format!("tra cứu giúp em mã {}, cảm ơn", c),
        format!("{}\nNguyễn Văn An", c.grouped()),
    ] {
        assert_eq!(understand(&text), Intent::StatusByCode(c), "{text:?}");
    }
    // Other groupings people use.
    let d = c.to_string();
    let spaced = format!("{} {} {} {}", &d[..4], &d[4..8], &d[8..12], &d[12..]);
    assert_eq!(understand(&spaced), Intent::StatusByCode(c));
}

#[test]
fn a_mistyped_code_is_told_exactly() {
    let check = bad_vi(&wrong_check());
    assert!(check.contains("Chữ số kiểm tra không đúng"), "{check}");
    let fifteen = &code().to_string()[..15];
    assert!(bad_vi(fifteen).contains("phải có 16 chữ số, nhưng nhập 15"));
    assert!(bad_vi(&format!("{}12", code())).contains("nhập 18"));
    let spaced = format!("{} 2", code().grouped());
    assert!(bad_vi(&spaced).contains("nhập 17"), "{spaced}");
    // A 16-digit run whose date part is no date (check digit recomputed).
    let base = "079025133148213";
    let c = crate::dossier::code::damm_check_digit(base).unwrap();
    assert!(bad_vi(&format!("{base}{c}")).contains("không phải là ngày hợp lệ"));
    // The English text too.
    match understand(&wrong_check()) {
        Intent::BadCode { problem_en, .. } => assert!(problem_en.contains("check digit is wrong")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn id_numbers_dates_and_names() {
    #[rustfmt::skip]
    let cases: &[(&str, Intent)] = &[
        ("079090123456", identity(Some("079090123456"), None, None)),
        ("079 090 123 456", identity(Some("079090123456"), None, None)),
        ("079.090.123456", identity(Some("079090123456"), None, None)),
        ("CMND 025123456", identity(Some("025123456"), None, None)),
        ("15/03/1990", identity(None, Some("15/03/1990"), None)),
        ("sinh ngày 7-10-1996", identity(None, Some("7-10-1996"), None)),
        ("ngày sinh 15 tháng 3 năm 1990", identity(None, Some("15/3/1990"), None)),
        ("Nguyễn Văn An 15/03/1990 079090123456",
            identity(Some("079090123456"), Some("15/03/1990"), Some("Nguyễn Văn An"))),
        ("Nguyen Van An, 15.3.1990, 079090123456",
            identity(Some("079090123456"), Some("15.3.1990"), Some("Nguyen Van An"))),
        ("tên tôi là Trần Thị Bích Ngọc, sinh 02/09/1985, cccd 001185012345",
            identity(Some("001185012345"), Some("02/09/1985"), Some("Trần Thị Bích Ngọc"))),
        ("Họ tên: Lê Văn Phí", identity(None, None, Some("Lê Văn Phí"))),
        ("Số CCCD: 079 090 123 456, sinh năm 1990",
            identity(Some("079090123456"), Some("1990"), None)),
        ("CCCD của tôi làm xong chưa? số 079090123456",
            identity(Some("079090123456"), None, None)),
        ("31/02/1990", identity(None, Some("31/02/1990"), None)),
        ("15/3/90", identity(None, Some("15/3/90"), None)),
    ];
    for (text, want) in cases {
        assert_eq!(&understand(text), want, "{text:?}");
    }
}

#[test]
fn the_seed_form_with_labels() {
    // Seed 002's Facebook form, with synthetic data in place of the x's.
    let form = "Bạn vui lòng cung cấp đầy đủ thông tin để Page có thể hỗ trợ nhé:\n\
        1. Họ tên: Hoàng Đức Dũng\n\
        2. Ngày tháng năm sinh: 7/10/1996\n\
        3. Số cmnd/cccd: 033096002074\n\
        4. Nơi thường trú (xã/huyện/tỉnh): Số 132, Hoàng Cầu, Đống Đa, Hà Nội.\n\
        5. Ngày làm CCCD: 22/10/2023\n\
        6. SĐT:0947123999";
    let want = identity(
        Some("033096002074"),
        Some("7/10/1996"),
        Some("Hoàng Đức Dũng"),
    );
    assert_eq!(understand(form), want);
    // Without diacritics, without numbering, blank lines between.
    let plain = "Ho ten: Hoang Duc Dung\n\nNgay sinh: 07/10/1996\n\nSo CCCD: 033 096 002 074\n\n\
        Noi thuong tru: So 132 Hoang Cau, Dong Da, Ha Noi\n\nNgay lam CCCD: 22/10/2023\n\nSDT: 0947 123 999";
    assert_eq!(
        understand(plain),
        identity(
            Some("033096002074"),
            Some("07/10/1996"),
            Some("Hoang Duc Dung")
        )
    );
    // Labels in another order and a CMND number.
    let cmnd = "SĐT: 0912345678\nSố CMND: 025123456\nHọ và tên: Phạm Thị Mai\nNgày sinh: 1/1/1970";
    assert_eq!(
        understand(cmnd),
        identity(Some("025123456"), Some("1/1/1970"), Some("Phạm Thị Mai"))
    );
}

#[test]
fn the_seed_form_without_labels() {
    let form = "Hoàng Đức Dũng\n7/10/1996\n033096002074\nSố 132, Hoàng Cầu, Đống Đa, Hà Nội\n22/10/2023\n0947123999";
    assert_eq!(
        understand(form),
        identity(
            Some("033096002074"),
            Some("7/10/1996"),
            Some("Hoàng Đức Dũng")
        )
    );
    let lower =
        "hoang duc dung\n07/10/1996\n033096002074\nha noi\nlam cccd ngay 22/10/2023\n0947123999";
    assert_eq!(
        understand(lower),
        identity(
            Some("033096002074"),
            Some("07/10/1996"),
            Some("hoang duc dung")
        )
    );
}

#[test]
fn an_application_date_is_not_a_date_of_birth() {
    assert_eq!(
        understand("tôi nộp hồ sơ ngày 22/10/2023 mà chưa có thẻ"),
        Intent::StatusAsk
    );
    assert_eq!(
        understand("làm CCCD ngày 22/10/2023, sinh ngày 07/10/1996"),
        identity(None, Some("07/10/1996"), None)
    );
}

#[test]
fn a_phone_number_is_never_an_id_number() {
    for text in [
        "0912345678",
        "0912 345 678",
        "091.234.5678",
        "+84912345678",
        "sdt 0912345678",
    ] {
        match understand(text) {
            Intent::BadCode { problem_vi, .. } => {
                assert!(problem_vi.contains("số điện thoại"), "{text}: {problem_vi}")
            }
            other => panic!("{text:?}: {other:?}"),
        }
        let (number, ..) = identity_parts(text);
        assert_eq!(number, None, "{text}");
    }
    // Next to an ID number, the phone is left out.
    assert_eq!(
        understand("079090123456 0912345678"),
        identity(Some("079090123456"), None, None)
    );
    assert_eq!(
        understand("Nguyễn Văn An 0912345678 15/03/1990"),
        identity(None, Some("15/03/1990"), Some("Nguyễn Văn An"))
    );
    // Labelled as the ID number, it is refused with the reason.
    assert!(bad_vi("Số CCCD: 0912345678").contains("số điện thoại"));
}

#[test]
fn a_mistyped_id_number_is_told_exactly() {
    assert!(bad_vi("07909012345").contains("số bạn gửi có 11 chữ số"));
    assert!(bad_vi("0790901234567").contains("có 13 chữ số"));
    assert!(bad_vi("Số CCCD: 0790901").contains("có 7 chữ số"));
    // The date and name of the same message are kept for the dialogue.
    let text = "Số CCCD: 07909012345\nNgày sinh: 15/03/1990\nHọ tên: Nguyễn Văn An";
    assert!(bad_vi(text).contains("11 chữ số"));
    assert_eq!(
        identity_parts(text),
        (
            None,
            Some("15/03/1990".into()),
            Some("Nguyễn Văn An".into())
        )
    );
}

#[test]
fn short_numbers_are_not_numbers_of_anything() {
    assert_eq!(understand("quận 1"), Intent::Unknown);
    assert_eq!(understand("123"), Intent::Unknown);
    assert_eq!(understand("số nhà 45 ngõ 12"), Intent::Unknown);
}

#[test]
fn names_alone() {
    assert_eq!(name_like("Nguyễn Văn An"), Some("Nguyễn Văn An".into()));
    assert_eq!(name_like("nguyen van an"), Some("nguyen van an".into()));
    assert_eq!(
        name_like("Tên tôi là Lê Thị Hoa"),
        Some("Lê Thị Hoa".into())
    );
    assert_eq!(name_like("Họ tên: Lê Thị Hoa"), Some("Lê Thị Hoa".into()));
    assert_eq!(
        name_like("Nguyễn Minh Anh."),
        Some("Nguyễn Minh Anh".into())
    );
    for not in [
        "xin chào",
        "tra cứu",
        "cảm ơn",
        "An",
        "ok",
        "079090123456",
        "một hai ba bốn năm sáu bảy",
        "Nguyễn Văn 3",
        "cho tôi hỏi",
    ] {
        assert_eq!(name_like(not), None, "{not}");
    }
}

#[test]
fn decomposed_input_reads_like_composed() {
    let nfd: String = "Tra cứu".nfd().collect();
    assert_eq!(understand(&nfd), Intent::StatusAsk);
    let nfd_name: String = "Họ tên: Nguyễn Văn An".nfd().collect();
    assert_eq!(
        understand(&nfd_name),
        identity(None, None, Some("Nguyễn Văn An"))
    );
}

#[test]
fn long_input_is_cut_not_refused() {
    let long = format!("{}{}", "a ".repeat(10_000), code());
    assert_eq!(understand(&long), Intent::Unknown);
    let early = format!("{} {}", code(), "a ".repeat(10_000));
    assert_eq!(understand(&early), Intent::StatusByCode(code()));
}

proptest! {
    #[test]
    fn never_panics_on_any_text(s in "\\PC{0,300}") {
        let _ = understand(&s);
        let _ = identity_parts(&s);
        let _ = name_like(&s);
    }

    #[test]
    fn never_panics_on_digit_soup(s in "[0-9 ./:,\\-\n]{0,80}[a-zđươ ]{0,20}[0-9 ./\\-]{0,40}") {
        let _ = understand(&s);
        let _ = identity_parts(&s);
    }

    #[test]
    fn every_valid_code_is_found_however_grouped(
        office in 0u32..=9999,
        day in 0i32..3000,
        random in 0u32..100_000,
        sep in prop::sample::select(vec![" ", "", "-", ".", " - "]),
    ) {
        let d = date(2020, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
        let c = DossierCode::new(office, d, random).unwrap();
        let text = format!("mã {}", c.grouped().replace(' ', sep));
        prop_assert_eq!(understand(&text), Intent::StatusByCode(c));
    }
}
