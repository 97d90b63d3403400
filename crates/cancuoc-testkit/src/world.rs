//! The shared synthetic test world (thế giới thử nghiệm): one office tree,
//! an officer of every role with their bearer tokens, citizens, and the
//! complete capture record. The store contract suite, the service tests,
//! the API suite and the CLI's end-to-end test all start from it, so a
//! fixture is written once and a change to the domain is fixed once.
//!
//! The tree, every name and every number here is synthetic:
//!
//! ```text
//! 0001 ministry ─┬─ 0002 NPD centre
//!                └─ 0079 province ─┬─ 0790 district ── 7901 commune
//!                                  └─ 0791 district
//! ```

use std::ops::Deref;

use cancuoc_core::dossier::capture::{
    CaptureRecord, CaptureSlot, IdentifyingFeatures, PortraitChecklist, SlotOutcome,
};
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_store::{
    Citizen, FieldProvenance, IdAssignment, NewCitizen, NewOffice, NewOfficer, OfficeLevel,
    Officer, OpeningHours, Store,
};

/// Bộ Công an (the ministry).
pub const MINISTRY: u16 = 1;
/// Trung tâm dữ liệu quốc gia về dân cư (approval, printing, dispatch).
pub const CENTRE: u16 = 2;
/// Công an tỉnh.
pub const PROVINCE: u16 = 79;
/// The district office that receives the dossiers of most tests.
pub const DISTRICT: u16 = 790;
/// A second district under the same province (scope refusals).
pub const OTHER_DISTRICT: u16 = 791;
/// The commune police under [`DISTRICT`].
pub const COMMUNE: u16 = 7901;

/// An office of the test tree: 200 citizens a day, the usual hours.
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
        in_force: cancuoc_store::Period::ALWAYS,
    }
}

/// A district police office of the structure before 2025: in force until
/// 28/02/2025, the day before commune police began to receive applications.
pub fn ended_district(code: u16, name: &str) -> NewOffice {
    NewOffice {
        in_force: cancuoc_store::Period::until(jiff::civil::date(2025, 2, 28)),
        ..office(code, name, OfficeLevel::District, Some(PROVINCE))
    }
}

/// A commune police unit under the test province, in force from `from`.
pub fn commune_from(code: u16, name: &str, from: jiff::civil::Date) -> NewOffice {
    NewOffice {
        in_force: cancuoc_store::Period::starting(from),
        ..office(code, name, OfficeLevel::Commune, Some(PROVINCE))
    }
}

/// The offices of the test tree, parents first.
pub fn offices() -> Vec<NewOffice> {
    vec![
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
    ]
}

/// An officer of the world with the bearer token shown once at creation.
/// Derefs to the [`Officer`], so it goes wherever an `&Officer` does.
#[derive(Clone, Debug)]
pub struct Staff {
    /// The stored officer.
    pub officer: Officer,
    /// The bearer token (`Authorization: Bearer …`).
    pub token: String,
}

impl Deref for Staff {
    type Target = Officer;
    fn deref(&self) -> &Officer {
        &self.officer
    }
}

/// The store with the tree and one officer of every role.
#[derive(Clone, Debug)]
pub struct World {
    /// The store the world lives in.
    pub store: Store,
    /// Reception of [`DISTRICT`].
    pub receptionist: Staff,
    /// Reception of [`OTHER_DISTRICT`].
    pub other_receptionist: Staff,
    /// Commune police of [`COMMUNE`].
    pub commune_police: Staff,
    /// NPD centre: processing.
    pub processor: Staff,
    /// NPD centre: approval.
    pub approver: Staff,
    /// NPD centre: printing.
    pub printer: Staff,
    /// NPD centre: dispatch.
    pub dispatcher: Staff,
    /// Return desk of [`DISTRICT`].
    pub return_officer: Staff,
    /// Administrator at the ministry.
    pub admin: Staff,
    /// Reception at the province (reads the districts below).
    pub province_officer: Staff,
}

/// Creates the tree and the officers in `store`, at `at` (epoch seconds).
pub async fn world(store: Store, at: i64) -> World {
    for o in offices() {
        store.create_office(&o, None, at).await.expect("office");
    }
    let add = |name: &str, role: Role, office: u16| {
        let store = store.clone();
        let name = name.to_owned();
        async move {
            let issued = store
                .add_officer(&NewOfficer { name, role, office }, None, at)
                .await
                .expect("officer");
            Staff {
                token: issued.token.expose().to_owned(),
                officer: issued.officer,
            }
        }
    };
    World {
        receptionist: add("Lê Tiếp Nhận", Role::Receptionist, DISTRICT).await,
        other_receptionist: add("Phạm Tiếp Nhận", Role::Receptionist, OTHER_DISTRICT).await,
        commune_police: add("Hoàng Xác Minh", Role::CommunePolice, COMMUNE).await,
        processor: add("Vũ Xử Lý", Role::Processor, CENTRE).await,
        approver: add("Đỗ Phê Duyệt", Role::Approver, CENTRE).await,
        printer: add("Bùi In Thẻ", Role::Printer, CENTRE).await,
        dispatcher: add("Ngô Chuyển Phát", Role::Dispatcher, CENTRE).await,
        return_officer: add("Đặng Trả Thẻ", Role::ReturnOfficer, DISTRICT).await,
        admin: add("Quản Trị Viên", Role::Admin, MINISTRY).await,
        province_officer: add("Trịnh Cấp Tỉnh", Role::Receptionist, PROVINCE).await,
        store,
    }
}

/// A synthetic citizen record, every field verified against the
/// population database.
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

/// Registers a man born 17 May 1990 with personal ID `pid`.
pub async fn add_citizen(store: &Store, name: &str, pid: &str, at: i64) -> Citizen {
    store
        .register_citizen(
            &citizen(name, "1990-05-17", Sex::Male, Some(pid)),
            IdAssignment::AsGiven,
            None,
            at,
        )
        .await
        .expect("citizen")
}

/// A complete capture record (thu nhận đủ): every fingerprint slot
/// captured in the legal order, a compliant portrait, identifying
/// features.
pub fn complete_capture() -> CaptureRecord {
    let mut rec = CaptureRecord::new();
    for slot in CaptureSlot::ALL {
        rec.record(slot, SlotOutcome::Captured)
            .expect("every slot is capturable in order");
    }
    rec.set_portrait(PortraitChecklist::COMPLIANT)
        .expect("a compliant portrait");
    rec.set_features(
        IdentifyingFeatures::parse("Nốt ruồi C: 1cm trên trước mày trái").expect("features"),
    );
    rec
}
