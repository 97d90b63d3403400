use super::*;

fn file() -> CardFile {
    CardFile {
        personal_id: Some("001090012345".into()),
        full_name: Some("  Nguyễn   Văn An ".into()),
        date_of_birth: Some("15-3-1990".into()),
        sex: Some("nam".into()),
        place_of_origin: Some("Hà Nội".into()),
        residence: Some("Phường Ba Đình, Thành phố Hà Nội".into()),
        issue_date: Some("2022-05-20".into()),
        expiry_date: Some(Some("2030-03-15".into())),
        ..CardFile::default()
    }
}

#[test]
fn a_card_file_is_read_and_tidied() {
    let c = Card::from_file(file()).unwrap();
    assert_eq!(c.full_name, "Nguyễn Văn An");
    assert_eq!(c.date_of_birth, jiff::civil::date(1990, 3, 15));
    assert_eq!(c.sex, Sex::Male);
    assert_eq!(c.nationality, "Việt Nam");
    assert_eq!(c.model(), CardModel::Cccd2021);
    assert_eq!(c.mrz().unwrap().lines[2], "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<");
    assert_eq!(
        c.qr_payload(CardModel::Cccd2021).unwrap(),
        "001090012345||Nguyễn Văn An|15031990|Nam|Phường Ba Đình, Thành phố Hà Nội|20052022"
    );
    assert!(
        c.qr_payload(CardModel::CanCuoc2024)
            .unwrap()
            .ends_with("20052022||||")
    );
    assert!(!format!("{c:?}").contains("001090012345"));
}

#[test]
fn each_wrong_field_is_named() {
    type Edit = Box<dyn Fn(&mut CardFile)>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "personal_id",
            Box::new(|f| f.personal_id = Some("00109001234".into())),
        ),
        ("full_name", Box::new(|f| f.full_name = None)),
        ("full_name", Box::new(|f| f.full_name = Some("123".into()))),
        ("surname", Box::new(|f| f.surname = Some("Trần".into()))),
        (
            "date_of_birth",
            Box::new(|f| f.date_of_birth = Some("1990".into())),
        ),
        (
            "date_of_birth",
            Box::new(|f| f.date_of_birth = Some("31/02/1990".into())),
        ),
        ("sex", Box::new(|f| f.sex = Some("x".into()))),
        (
            "place_of_origin",
            Box::new(|f| f.place_of_origin = Some(" ".into())),
        ),
        ("residence", Box::new(|f| f.residence = Some("a|b".into()))),
        (
            "issue_date",
            Box::new(|f| f.issue_date = Some("1980-01-01".into())),
        ),
        ("expiry_date", Box::new(|f| f.expiry_date = None)),
        (
            "expiry_date",
            Box::new(|f| f.expiry_date = Some(Some("2020-01-01".into()))),
        ),
        ("old_id", Box::new(|f| f.old_id = Some("12345".into()))),
    ];
    for (field, edit) in cases {
        let mut f = file();
        edit(&mut f);
        let e = Card::from_file(f).unwrap_err();
        assert_eq!(e.field, field, "{e}");
        assert!(e.message_vi().starts_with(field) && e.message_en().starts_with(field));
    }
}

#[test]
fn no_expiry_is_said_with_null() {
    let mut f = file();
    f.expiry_date = Some(None);
    let c = Card::from_file(f).unwrap();
    assert_eq!(c.expiry_date, None);
    assert_eq!(&c.mrz().unwrap().lines[1][8..14], "991231");
}

#[test]
fn the_surname_decides_the_mrz_name() {
    let mut f = file();
    f.full_name = Some("Tôn Nữ Thị Ninh".into());
    let c = Card::from_file(f.clone()).unwrap();
    assert_eq!(c.mrz().unwrap().lines[2], "TON<NU<<THI<NINH<<<<<<<<<<<<<<");
    f.full_name = Some("Nguyễn Phúc An".into());
    assert_eq!(
        Card::from_file(f.clone()).unwrap().mrz().unwrap().lines[2],
        "NGUYEN<PHUC<<AN<<<<<<<<<<<<<<<"
    );
    f.surname = Some("Nguyễn".into());
    assert_eq!(
        Card::from_file(f).unwrap().mrz().unwrap().lines[2],
        "NGUYEN<<PHUC<AN<<<<<<<<<<<<<<<"
    );
}

#[test]
fn the_sample_is_a_valid_card_and_models_follow_the_law() {
    let c = Card::sample();
    assert!(c.mrz().is_ok());
    assert_eq!(c.mrz().unwrap().lines[2], "TON<NU<<THI<NINH<<<<<<<<<<<<<<");
    assert!(c.qr_payload(CardModel::Cccd2021).is_ok());
    assert_eq!(
        CardModel::for_issue_date(jiff::civil::date(2024, 6, 30)),
        CardModel::Cccd2021
    );
    assert_eq!(
        CardModel::for_issue_date(CAN_CUOC_FROM),
        CardModel::CanCuoc2024
    );
    assert_eq!("2024".parse::<CardModel>().unwrap(), CardModel::CanCuoc2024);
    assert_eq!("1999".parse::<CardModel>().unwrap_err().field, "layout");
    assert_eq!(ddmmyyyy(jiff::civil::date(1990, 3, 5)), "05/03/1990");
}
