//! The capture checklist (phiếu thu nhận thông tin,
//! `/can-bo/ho-so/{code}/thu-nhan`): the 4+4+2 flat and the 10 rolled
//! fingerprints in the legal order (core `dossier::capture`), each captured
//! or missing with a reason; the portrait checklist; the identifying
//! features. Saved through the service with the same rules as
//! `PUT /api/v1/dossiers/{code}/capture` (receptionist of the receiving
//! office). A slot may be left for later only if every slot after it is
//! too (the record is a prefix in legal order).
//!
//! Most citizens give all ten fingers: "all captured" (its own small form,
//! `hanh_dong=tat_ca`, so Enter in the checklist still saves) marks every
//! slot not yet recorded as captured in one action and shows the form
//! again, unsaved, for the officer to mark the exceptions and save.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use cancuoc_core::dossier::capture::{
    CaptureRecord, CaptureSlot, HeadCovering, IdentifyingFeatures, MissingReason,
    PortraitChecklist, SlotOutcome,
};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::i18n::Localized;

use super::dossier::code_or_400;
use super::forms::FieldErrors;
use super::reception::Found;
use super::session::Session;
use crate::Web;
use crate::error::{PageError, status_of};
use crate::ui::Ui;

/// One fingerprint slot as shown in the form.
pub(crate) struct SlotRow {
    /// The slot.
    pub slot: CaptureSlot,
    /// The radio group's name, `s_<slot code>`.
    pub field: String,
    /// `captured`, `amputated`, `injured`, `unreadable`, `other` or `""`.
    pub choice: String,
    /// The words of an "other" reason.
    pub other: String,
}

/// The portrait checklist as shown in the form.
#[derive(Default)]
pub(crate) struct PortraitRow {
    /// A portrait was taken (the checklist applies).
    pub taken: bool,
    pub colour: bool,
    pub white_background: bool,
    pub frontal: bool,
    pub face_visible: bool,
    pub both_ears_visible: bool,
    pub no_glasses: bool,
    /// `bare`, `religious_or_ethnic` or `other`.
    pub head: String,
}

/// `GET /can-bo/ho-so/{code}/thu-nhan`.
#[derive(Template, WebTemplate)]
#[template(path = "console/capture.html")]
pub(crate) struct CapturePage {
    ui: Ui,
    session: Session,
    code: DossierCode,
    citizen: Found,
    slots: Vec<SlotRow>,
    portrait: PortraitRow,
    features: String,
    errors: FieldErrors,
    /// The officer's role and office may save the record.
    may_save: bool,
    /// Shown after "all captured": the form is filled, not yet saved.
    filled: bool,
}

impl CapturePage {
    /// The choices of a slot: value, Vietnamese, English.
    fn choices(&self) -> [(&'static str, &'static str, &'static str); 5] {
        [
            ("captured", "Đã thu nhận", "Captured"),
            ("amputated", "Cụt ngón", "Amputated"),
            ("injured", "Bị thương, đang băng bó", "Injured or bandaged"),
            ("unreadable", "Vân tay sẹo, mờ", "Scarred or unreadable"),
            ("other", "Lý do khác", "Other reason"),
        ]
    }
    /// The portrait conditions: field, Vietnamese, English, ticked.
    fn conditions(&self) -> [(&'static str, &'static str, &'static str, bool); 6] {
        let p = &self.portrait;
        [
            ("p_colour", "Ảnh màu", "Colour photo", p.colour),
            (
                "p_white_background",
                "Phông nền trắng",
                "White background",
                p.white_background,
            ),
            ("p_frontal", "Chụp chính diện", "Frontal", p.frontal),
            ("p_face_visible", "Rõ mặt", "Face visible", p.face_visible),
            (
                "p_both_ears_visible",
                "Rõ hai tai",
                "Both ears visible",
                p.both_ears_visible,
            ),
            ("p_no_glasses", "Không đeo kính", "No glasses", p.no_glasses),
        ]
    }
    fn picked(&self, row: &SlotRow, value: &str) -> bool {
        row.choice == value
    }
    fn is_flat(&self, slot: &CaptureSlot) -> bool {
        slot.index() < 3
    }
}

fn choice_of(o: &SlotOutcome) -> (&'static str, String) {
    match o {
        SlotOutcome::Captured => ("captured", String::new()),
        SlotOutcome::Missing(MissingReason::Other(t)) => ("other", t.clone()),
        SlotOutcome::Missing(r) => (r.code(), String::new()),
    }
}

fn head_code(h: HeadCovering) -> &'static str {
    match h {
        HeadCovering::Bare => "bare",
        HeadCovering::ReligiousOrEthnic => "religious_or_ethnic",
        HeadCovering::Other => "other",
    }
}

/// The form's rows from a stored record (or an empty one).
fn rows_of(rec: Option<&CaptureRecord>) -> (Vec<SlotRow>, PortraitRow, String) {
    let slots = CaptureSlot::ALL
        .iter()
        .map(|&slot| {
            let (choice, other) = rec
                .and_then(|r| r.outcome(slot))
                .map_or(("", String::new()), choice_of);
            SlotRow {
                slot,
                field: format!("s_{}", slot.code()),
                choice: choice.to_owned(),
                other,
            }
        })
        .collect();
    let portrait = match rec.and_then(CaptureRecord::portrait) {
        Some(p) => PortraitRow {
            taken: true,
            colour: p.colour,
            white_background: p.white_background,
            frontal: p.frontal,
            face_visible: p.face_visible,
            both_ears_visible: p.both_ears_visible,
            no_glasses: p.no_glasses,
            head: head_code(p.head).to_owned(),
        },
        None => PortraitRow {
            head: "bare".into(),
            ..PortraitRow::default()
        },
    };
    let features = rec
        .and_then(CaptureRecord::features)
        .map_or_else(String::new, |f| f.as_str().to_owned());
    (slots, portrait, features)
}

/// Whether the officer may save the capture of a dossier of `office`.
fn may_save(session: &Session, office: u16) -> bool {
    session.officer.role == Role::Receptionist && session.officer.office == office
}

async fn page(
    app: &Web,
    session: Session,
    code: DossierCode,
    rows: Option<(Vec<SlotRow>, PortraitRow, String)>,
    errors: FieldErrors,
) -> Result<CapturePage, PageError> {
    let ui = session.ui.clone();
    let svc = app.service();
    let (d, citizen) = svc
        .dossier_with_citizen(&session.officer, code)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let (slots, portrait, features) = match rows {
        Some(r) => r,
        None => {
            let rec = svc
                .capture(&session.officer, code)
                .await
                .map_err(|e| PageError::service(&ui, e))?;
            rows_of(rec.as_ref())
        }
    };
    Ok(CapturePage {
        ui,
        filled: false,
        may_save: may_save(&session, d.office),
        session,
        code,
        citizen: Found::of(&citizen),
        slots,
        portrait,
        features,
        errors,
    })
}

async fn show(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
) -> Result<CapturePage, PageError> {
    let code = code_or_400(&session.ui, &code)?;
    page(&app, session, code, None, FieldErrors::default()).await
}

/// A submitted field, trimmed ("" when absent).
fn value<'m>(map: &'m HashMap<String, String>, k: &str) -> &'m str {
    map.get(k).map_or("", |v| v.trim())
}

/// Reads the submitted checklist into a record; every problem is reported
/// next to its field. Returns the rows to show again either way.
fn read_form(
    map: &HashMap<String, String>,
) -> (
    Result<CaptureRecord, FieldErrors>,
    (Vec<SlotRow>, PortraitRow, String),
) {
    let get = |k: &str| -> String { value(map, k).to_owned() };
    let mut errs = FieldErrors::default();
    let mut rec = CaptureRecord::new();
    let mut rows = Vec::with_capacity(CaptureSlot::ALL.len());
    let mut gap: Option<CaptureSlot> = None;
    let mut broken = false;
    for slot in CaptureSlot::ALL {
        let field = format!("s_{}", slot.code());
        let choice = get(&field);
        let other = get(&format!("r_{}", slot.code()));
        let outcome = match choice.as_str() {
            "" => None,
            "captured" => Some(SlotOutcome::Captured),
            "amputated" => Some(SlotOutcome::Missing(MissingReason::Amputated)),
            "injured" => Some(SlotOutcome::Missing(MissingReason::Injured)),
            "unreadable" => Some(SlotOutcome::Missing(MissingReason::Unreadable)),
            "other" => Some(SlotOutcome::Missing(MissingReason::Other(other.clone()))),
            _ => {
                errs.add(&field, "Lựa chọn không hợp lệ.", "Unknown choice.");
                broken = true;
                None
            }
        };
        match (outcome, gap) {
            (None, None) => gap = Some(slot),
            (None, Some(_)) => {}
            (Some(_), Some(missing)) => {
                errs.add(
                    &field,
                    format!(
                        "Phải ghi theo đúng thứ tự: ô \"{}\" phía trước chưa ghi.",
                        missing.label_vi()
                    ),
                    format!(
                        "Slots are recorded in legal order: \"{}\" before it is empty.",
                        missing.label_en()
                    ),
                );
                broken = true;
            }
            (Some(o), None) if !broken => {
                if let Err(e) = rec.record(slot, o) {
                    errs.add_localized(&field, &e);
                    broken = true;
                }
            }
            (Some(_), None) => {}
        }
        rows.push(SlotRow {
            slot,
            field,
            choice,
            other,
        });
    }
    let tick = |k: &str| !get(k).is_empty();
    let portrait = PortraitRow {
        taken: tick("p_taken"),
        colour: tick("p_colour"),
        white_background: tick("p_white_background"),
        frontal: tick("p_frontal"),
        face_visible: tick("p_face_visible"),
        both_ears_visible: tick("p_both_ears_visible"),
        no_glasses: tick("p_no_glasses"),
        head: get("p_head"),
    };
    if portrait.taken {
        let head = match portrait.head.as_str() {
            "bare" => Some(HeadCovering::Bare),
            "religious_or_ethnic" => Some(HeadCovering::ReligiousOrEthnic),
            "other" => Some(HeadCovering::Other),
            _ => {
                errs.add(
                    "p_head",
                    "Hãy chọn cách để đầu.",
                    "Choose how the head is shown.",
                );
                None
            }
        };
        if let Some(head) = head {
            let checklist = PortraitChecklist {
                colour: portrait.colour,
                white_background: portrait.white_background,
                frontal: portrait.frontal,
                head,
                face_visible: portrait.face_visible,
                both_ears_visible: portrait.both_ears_visible,
                no_glasses: portrait.no_glasses,
            };
            if let Err(e) = rec.set_portrait(checklist) {
                errs.add_localized("portrait", &e);
            }
        }
    }
    let features = get("dac_diem");
    if !features.is_empty() {
        match IdentifyingFeatures::parse(&features) {
            Ok(f) => rec.set_features(f),
            Err(e) => errs.add_localized("dac_diem", &e),
        }
    }
    let result = if errs.is_empty() { Ok(rec) } else { Err(errs) };
    (result, (rows, portrait, features))
}

/// "All captured": every slot with no choice yet becomes captured; the
/// exceptions already marked stay as they are.
fn mark_all_captured(slots: &mut [SlotRow]) {
    for s in slots.iter_mut().filter(|s| s.choice.is_empty()) {
        s.choice = "captured".to_owned();
    }
}

async fn save(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let map: HashMap<String, String> = pairs.into_iter().collect();
    session.check_csrf(map.get("csrf").map_or("", String::as_str))?;
    let ui = session.ui.clone();
    let code = code_or_400(&ui, &code)?;
    // Who asks first: a refusal of the officer is not about the form.
    app.service()
        .check_capture(&session.officer, code)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    if value(&map, "hanh_dong") == "tat_ca" {
        // From what is stored (portrait and features kept), every slot not
        // yet chosen marked captured.
        let stored = app
            .service()
            .capture(&session.officer, code)
            .await
            .map_err(|e| PageError::service(&ui, e))?;
        let (mut slots, portrait, features) = rows_of(stored.as_ref());
        mark_all_captured(&mut slots);
        let mut p = page(
            &app,
            session,
            code,
            Some((slots, portrait, features)),
            FieldErrors::default(),
        )
        .await?;
        p.filled = true;
        return Ok(p.into_response());
    }
    let (record, rows) = read_form(&map);
    let record = match record {
        Ok(r) => r,
        Err(errs) => {
            let p = page(&app, session, code, Some(rows), errs).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    match app
        .service()
        .save_capture(&session.officer, code, &record)
        .await
    {
        Ok(_version) => Ok((
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/can-bo/ho-so/{code}?ok=thu-nhan"),
            )],
        )
            .into_response()),
        Err(e) if e.is_forbidden() => Err(PageError::service(&ui, e)),
        Err(e) => {
            let status = status_of(e.class());
            if status.is_server_error() || status == StatusCode::NOT_FOUND {
                return Err(PageError::service(&ui, e));
            }
            let mut errs = FieldErrors::default();
            errs.add("", e.message_vi(), e.message_en());
            let p = page(&app, session, code, Some(rows), errs).await?;
            Ok((status, p).into_response())
        }
    }
}

/// The capture routes.
pub(crate) fn router() -> Router<Web> {
    Router::new().route("/can-bo/ho-so/{code}/thu-nhan", get(show).post(save))
}
