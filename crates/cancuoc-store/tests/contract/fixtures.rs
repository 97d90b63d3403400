//! A small synthetic world: an office tree, an officer of every role, and
//! helpers to make citizens and dossiers.

use cancuoc_core::dossier::capture::{
    CaptureRecord, CaptureSlot, HeadCovering, IdentifyingFeatures, PortraitChecklist, SlotOutcome,
};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{Role, State};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::rules::kinds::IssueKind;
use cancuoc_store::*;
use jiff::civil::{Date, date};

/// 2026-11-21 00:00 UTC+7, epoch seconds.
pub const T0: i64 = 1_795_194_000;

pub const MINISTRY: u16 = 1;
pub const CENTRE: u16 = 2;
pub const PROVINCE: u16 = 79;
pub const DISTRICT: u16 = 790;
pub const COMMUNE: u16 = 7901;
pub const OTHER_DISTRICT: u16 = 791;

pub fn today() -> Date {
    date(2026, 11, 21)
}

pub fn office(code: u16, name: &str, level: OfficeLevel, parent: Option<u16>) -> NewOffice {
    NewOffice {
        code,
        name: name.to_owned(),
        level,
        parent,
        address: format!("Số {code} Đường Thử Nghiệm"),
        hotline: format!("0900{code:04}"),
        opening_hours: OpeningHours::usual_with_saturday_morning(),
        daily_capacity: 200,
    }
}

pub struct World {
    pub store: Store,
    pub receptionist: Officer,
    pub other_receptionist: Officer,
    pub commune_police: Officer,
    pub processor: Officer,
    pub approver: Officer,
    pub printer: Officer,
    pub dispatcher: Officer,
    pub return_officer: Officer,
    pub admin: Officer,
    pub admin_token: Token,
}

pub async fn world(store: Store) -> World {
    let tree = [
        office(
            MINISTRY,
            "Cục Cảnh sát QLHC về TTXH (thử nghiệm)",
            OfficeLevel::Ministry,
            None,
        ),
        office(
            CENTRE,
            "Trung tâm DLQG về dân cư (thử nghiệm)",
            OfficeLevel::NpdCentre,
            Some(MINISTRY),
        ),
        office(
            PROVINCE,
            "Công an Tỉnh Thử Nghiệm",
            OfficeLevel::Province,
            Some(MINISTRY),
        ),
        office(
            DISTRICT,
            "Công an Huyện Đông Thử",
            OfficeLevel::District,
            Some(PROVINCE),
        ),
        office(
            OTHER_DISTRICT,
            "Công an Huyện Tây Thử",
            OfficeLevel::District,
            Some(PROVINCE),
        ),
        office(
            COMMUNE,
            "Công an Xã Bình Thử",
            OfficeLevel::Commune,
            Some(DISTRICT),
        ),
    ];
    for o in &tree {
        store.create_office(o, None, T0).await.expect("office");
    }
    let add = |name: &str, role: Role, office: u16| {
        let store = store.clone();
        let name = name.to_owned();
        async move {
            store
                .add_officer(&NewOfficer { name, role, office }, None, T0)
                .await
                .expect("officer")
        }
    };
    let admin = add("Quản Trị Viên", Role::Admin, MINISTRY).await;
    World {
        receptionist: add("Lê Tiếp Nhận", Role::Receptionist, DISTRICT)
            .await
            .officer,
        other_receptionist: add("Phạm Tiếp Nhận", Role::Receptionist, OTHER_DISTRICT)
            .await
            .officer,
        commune_police: add("Hoàng Xác Minh", Role::CommunePolice, COMMUNE)
            .await
            .officer,
        processor: add("Vũ Xử Lý", Role::Processor, CENTRE).await.officer,
        approver: add("Đỗ Phê Duyệt", Role::Approver, CENTRE).await.officer,
        printer: add("Bùi In Thẻ", Role::Printer, CENTRE).await.officer,
        dispatcher: add("Ngô Chuyển Phát", Role::Dispatcher, CENTRE)
            .await
            .officer,
        return_officer: add("Đặng Trả Thẻ", Role::ReturnOfficer, DISTRICT)
            .await
            .officer,
        admin: admin.officer,
        admin_token: admin.token,
        store,
    }
}

pub fn citizen(name: &str, dob: &str, sex: Sex, pid: Option<&str>) -> NewCitizen {
    NewCitizen {
        personal_id: pid.map(|p| PersonalId::parse(p).expect("synthetic id")),
        full_name: name.to_owned(),
        dob: dob.parse::<PartialDate>().expect("dob"),
        sex,
        nationality: "Việt Nam".into(),
        ethnicity: "Kinh".into(),
        religion: "Không".into(),
        place_of_origin: "Xã Bình Thử, Huyện Đông Thử".into(),
        birth_registration: "Tỉnh Thử Nghiệm".into(),
        permanent_residence: "Thôn 1, Xã Bình Thử".into(),
        temporary_residence: None,
        phone: Some("0900000000".into()),
        old_cmnd: Vec::new(),
        provenance: FieldProvenance::all_verified("npd"),
    }
}

pub async fn add_citizen(store: &Store, name: &str, pid: &str) -> Citizen {
    store
        .register_citizen(
            &citizen(name, "1990-05-17", Sex::Male, Some(pid)),
            IdAssignment::AsGiven,
            None,
            T0,
        )
        .await
        .expect("citizen")
}

pub fn code(random: u32) -> DossierCode {
    DossierCode::new(u32::from(DISTRICT), today(), random).expect("code")
}

pub fn new_dossier<'a>(
    code: CodeSource<'a>,
    citizen: CitizenId,
    actor: Option<OfficerId>,
    state: State,
    promised_on: Date,
) -> NewDossier<'a> {
    NewDossier {
        code,
        kind: IssueKind::parse("first").unwrap_or(IssueKind::ALL[0]),
        reason: None,
        office: DISTRICT,
        citizen,
        fee_vnd: 0,
        exemption: None,
        received_on: today(),
        deadlines: vec![StageDeadline {
            stage: cancuoc_core::rules::deadline::Stage::TransferToNpd,
            due: date(2026, 11, 24),
        }],
        promised_on,
        state,
        actor,
        note: None,
        at: T0,
    }
}

/// A dossier received at DISTRICT by the receptionist.
pub async fn received(w: &World, random: u32, citizen: CitizenId) -> Dossier {
    w.store
        .create_dossier(new_dossier(
            CodeSource::Given(code(random)),
            citizen,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await
        .expect("dossier")
}

pub fn complete_capture() -> CaptureRecord {
    let mut rec = CaptureRecord::new();
    for slot in CaptureSlot::ALL {
        rec.record(slot, SlotOutcome::Captured).expect("slot");
    }
    rec.set_portrait(PortraitChecklist {
        colour: true,
        white_background: true,
        frontal: true,
        head: HeadCovering::Bare,
        face_visible: true,
        both_ears_visible: true,
        no_glasses: true,
    })
    .expect("portrait");
    rec.set_features(
        IdentifyingFeatures::parse("Nốt ruồi C: 1cm trên trước mày trái").expect("features"),
    );
    rec
}

/// Saves a complete capture for the received dossier `d` through `s` (any
/// store on its database) and moves it to `captured` (version 1 → 2).
pub async fn capture(s: &Store, d: &Dossier, receptionist: &Officer) {
    s.save_capture(d.code, &complete_capture(), receptionist.id, T0)
        .await
        .expect("capture");
    s.apply_transition(&step(d, 1, State::Captured, receptionist))
        .await
        .expect("captured");
}

pub fn step(d: &Dossier, version: i64, to: State, actor: &Officer) -> TransitionRequest {
    TransitionRequest {
        code: d.code,
        expected_version: version,
        to,
        actor: actor.id,
        note: None,
        population_data_changed: None,
        old_document: None,
        idempotency_key: None,
        at: T0 + version * 3600,
    }
}
