//! `cancuoc serve --demo`: a small, realistic synthetic world (thế giới mẫu)
//! seeded through the service layer into an empty database, and the text
//! that tells a newcomer how to log in and what to look up.
//!
//! - the demo office tree (`synth::world`) as the administration stands
//!   today: ministry, NPD centre, the police of the 34 provinces, and three
//!   commune police units each in Hà Nội, Huế and TP Hồ Chí Minh that
//!   receive applications; one officer of every role, each with a console
//!   login `ROLE.OFFICE` (e.g. `receptionist.0101`, Công an Phường Ba Đình)
//!   and the shared demo password [`DEMO_PASSWORD`] (demo only: printed at
//!   start). The district offices and communes of before 2025 are kept, with
//!   their officers, for the dossiers opened there;
//! - 200 citizens registered with `Service::register_citizen` (personal IDs
//!   allocated from the deployment's key);
//! - one showcase dossier in every workflow state, opened with
//!   `Service::open_dossier` and moved with `Service::transition` at
//!   realistic past times (so every rule, role and scope check runs), plus
//!   one dossier overdue at the NPD centre;
//! - 150 dossiers of the past three months with replay-checked histories
//!   (`Store::bulk_insert_dossiers`), and 30 of September 2024 – February
//!   2025 received at the former district offices (all long finished);
//! - citizens with electronic identity accounts ([`accounts`]): a mobile
//!   number and an active card each, two at level 2, two at level 1, three
//!   without an account (to register on the portal), a child under 14
//!   linked to her mother, fields self-declared; their password
//!   [`accounts::CITIZEN_PASSWORD`].
//!
//! - the citizens' channels ([`channels`]): every channel on with demo
//!   secrets, the providers' APIs faked in-process, a dossier to look up by
//!   code and its holder's ID number and date of birth to look it up
//!   without, and a dossier whose citizen asked for SMS notices (so each
//!   stage an officer takes shows in the development SMS sink).
//!
//! Everything the banner prints is also written to `demo.json` in the data
//! directory ([`json`]), for scripts.

pub mod accounts;
pub mod channels;
pub mod json;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, anyhow};
use cancuoc_core::dossier::SlotOutcome;
use cancuoc_core::dossier::capture::{CaptureRecord, IdentifyingFeatures, PortraitChecklist};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{OldDocument, Role, State};
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_core::rules::{Channel, Reason};
use cancuoc_server::App;
use cancuoc_service::{
    CitizenRegistration, Login, NotifyChoice, OpenDossier, Password, TransitionCommand,
    hash_password,
};
use cancuoc_store::{CitizenId, Officer, SeedDossier, Store};
use jiff::Timestamp;
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::output::pick;
use crate::synth::CitizenGen;
use crate::synth::dossiers::{Actors, DossierGen};
use crate::synth::world::{self, NPD_CENTRE, Posted};

/// Citizens in the demo.
const CITIZENS: usize = 200;
/// Historic dossiers bulk-loaded besides the showcase ones.
const HISTORIC: usize = 150;
/// Dossiers of before 2025, at the former district offices.
const BEFORE_2025: usize = 30;
/// Fixed seed: every demo world has the same names and states.
const SEED: u64 = 2026;
/// The console password of every demo officer (synthetic world only; a
/// real officer's password comes from `cancuoc officer add`).
pub const DEMO_PASSWORD: &str = "cancuoc-demo";

/// What the demo created, for the login text.
#[derive(Debug)]
pub struct Demo {
    /// Officers with their tokens.
    pub officers: Vec<Posted>,
    /// The console login of each officer, in the same order.
    pub logins: Vec<String>,
    /// One dossier code per workflow state (and an overdue one).
    pub samples: Vec<(State, DossierCode, bool)>,
    /// A dossier received at a former district office before 2025, and
    /// its state.
    pub before_2025: Option<(DossierCode, State)>,
    /// The citizens with (and without) identity accounts, and the child.
    pub accounts: accounts::DemoAccounts,
    /// What to try on the channels: a dossier and its holder, the
    /// dossiers with notices.
    pub channels: channels::ChannelTry,
    /// The card of the dossier handed over (its code and the card as
    /// printed), for the signed QR the verification page can check.
    pub card: Option<(DossierCode, cancuoc_core::card::Card)>,
    /// Citizens registered.
    pub citizens: usize,
    /// Dossiers created.
    pub dossiers: usize,
}

fn service_err(e: cancuoc_service::ServiceError) -> anyhow::Error {
    anyhow!("{}", e.message_en())
}

/// A complete capture record: every fingerprint slot captured, a compliant
/// portrait, identifying features.
fn complete_capture() -> anyhow::Result<CaptureRecord> {
    let mut rec = CaptureRecord::new();
    while let Some(slot) = rec.next_slot() {
        rec.record(slot, SlotOutcome::Captured)
            .map_err(|e| anyhow!("{}", e.message_en()))?;
    }
    rec.set_portrait(PortraitChecklist::COMPLIANT)
        .map_err(|e| anyhow!("{}", e.message_en()))?;
    rec.set_features(
        IdentifyingFeatures::parse("Nốt ruồi C: 1 cm trên trước đầu lông mày trái")
            .map_err(|e| anyhow!("{}", e.message_en()))?,
    );
    Ok(rec)
}

/// Seeds the demo world into an empty database: the offices, officers and
/// historic dossiers in bulk through `store` (operator tooling, as `cancuoc
/// seed`), every citizen and showcase dossier through `app`'s service.
pub async fn seed(store: &Store, app: &App, now: Timestamp, today: Date) -> anyhow::Result<Demo> {
    let svc = app.service();
    let mut rng = StdRng::seed_from_u64(SEED);
    let people = CitizenGen::new(today, world::DEMO_PROVINCES.to_vec());
    let officers = world::create(store, now.as_second(), |i| {
        let mut r = StdRng::seed_from_u64(SEED + i as u64);
        let sex = if r.random_bool(0.5) {
            cancuoc_core::person::Sex::Male
        } else {
            cancuoc_core::person::Sex::Female
        };
        people.name(&mut r, sex, 1985)
    })
    .await
    .context("creating the demo offices and officers")?;
    svc.reload_offices().await.map_err(service_err)?;
    // One hash for the shared demo password (Argon2 is slow by design; the
    // same salt for every demo officer is acceptable for synthetic data).
    let demo_hash = hash_password(&Password::parse(DEMO_PASSWORD).map_err(service_err)?)
        .await
        .map_err(service_err)?;
    let mut logins = Vec::with_capacity(officers.len());
    for p in &officers {
        let login =
            Login::parse(&format!("{}.{:04}", p.role.code(), p.office)).map_err(service_err)?;
        store
            .set_officer_login(p.id, login.as_str(), &demo_hash, None, now.as_second())
            .await?;
        logins.push(login.as_str().to_owned());
    }

    let mut citizens = Vec::with_capacity(CITIZENS);
    let mut holders = Vec::with_capacity(CITIZENS);
    for _ in 0..CITIZENS {
        let s = people.citizen(&mut rng);
        let c = svc
            .register_citizen(
                None,
                CitizenRegistration {
                    citizen: s.record,
                    birth_registration_code: Some(s.region),
                },
            )
            .await
            .map_err(service_err)?;
        citizens.push(c.id);
        holders.push(c);
    }

    // Who acts: the service takes the officer's record.
    let mut by_post: HashMap<(u16, Role), Officer> = HashMap::new();
    let mut actors = Actors {
        centre: NPD_CENTRE,
        ..Actors::default()
    };
    for p in &officers {
        let o = store.officer(p.id).await?;
        actors.by_post.insert((p.office, p.role), p.id);
        if p.role == Role::Admin {
            actors.admin = Some(p.id);
        }
        by_post.insert((p.office, p.role), o);
    }
    // A 2025 commune unit verifies its own residents' data; a former
    // district office had its first commune do it.
    for w in world::reception_offices() {
        actors.commune_of.insert(w, w);
    }
    for d in world::reception_offices_before_2025() {
        actors.commune_of.insert(d, world::commune_before_2025(d));
    }
    let reception = world::reception_offices();
    let cal = svc.calendar();
    let mut dgen = DossierGen::new(cal, actors.clone(), reception.clone(), now.as_second())?;

    // Showcase: one dossier per state, walked through the service.
    let capture = complete_capture()?;
    let mut samples = Vec::new();
    let mut notified = Vec::new();
    let mut targets: Vec<(State, bool)> = State::ALL.iter().map(|s| (*s, false)).collect();
    targets.push((State::SentToCentre, true));
    for (i, (target, overdue)) in targets.into_iter().enumerate() {
        let office = reception[i % reception.len()];
        let holder = &holders[i % holders.len()];
        let plan = plan_for(
            &mut dgen, &mut rng, cal, today, holder.id, office, target, overdue,
        )
        .with_context(|| format!("planning a {} dossier", target.code()))?;
        // The citizen of the dossier waiting for approval asked to be told
        // of each stage by SMS.
        let notify = (channels::NOTIFIED.contains(&target) && !overdue)
            .then(|| channels::notify_choice(holder.phone.as_deref()))
            .transpose()?;
        let phone = notify.as_ref().map(|n| n.phone.as_str().to_owned());
        let code = walk(app, &by_post, &actors, &plan, &capture, notify)
            .await
            .with_context(|| format!("walking a dossier to {}", target.code()))?;
        if let Some(phone) = phone {
            notified.push((code, target, phone));
        }
        samples.push((target, code, overdue));
    }

    // History: dossiers of the past three months, bulk-loaded.
    let from = today
        .checked_sub(jiff::Span::new().days(90))
        .unwrap_or(today);
    let mut history = Vec::with_capacity(HISTORIC);
    while history.len() < HISTORIC {
        let citizen = citizens[rng.random_range(0..citizens.len())];
        let day = dgen.working_day_between(&mut rng, from, today);
        if let Some(d) = dgen.random(&mut rng, citizen, day) {
            history.push(d);
        }
    }
    // Before 2025: dossiers received at the former district offices
    // between September 2024 and their last day, 28/02/2025.
    let mut old_gen = DossierGen::new(
        cal,
        actors.clone(),
        world::reception_offices_before_2025(),
        now.as_second(),
    )?;
    let (old_from, old_to) = (Date::new(2024, 9, 3)?, world::DISTRICTS_END.min(today));
    let mut before_2025 = Vec::with_capacity(BEFORE_2025);
    while old_from < old_to && before_2025.len() < BEFORE_2025 {
        let citizen = citizens[rng.random_range(0..citizens.len())];
        let day = old_gen.working_day_between(&mut rng, old_from, old_to);
        if let Some(d) = old_gen.random(&mut rng, citizen, day) {
            before_2025.push(d);
        }
    }
    let old_sample = before_2025
        .first()
        .and_then(|d| Some((d.code, d.events.last()?.to)));
    history.extend(before_2025);
    let channel_try = channels::ChannelTry::pick(&samples, &holders, &history, notified);
    store
        .bulk_insert_dossiers(&history, None, now.as_second())
        .await?;

    // Identity accounts: one more hash, of the citizens' password.
    let citizen_hash =
        hash_password(&Password::parse(accounts::CITIZEN_PASSWORD).map_err(service_err)?)
            .await
            .map_err(service_err)?;
    let grantor = by_post
        .get(&(reception[0], Role::Receptionist))
        .context("no receptionist at the first reception office")?;
    let account_holders = accounts::seed(
        store,
        app,
        &people,
        &citizen_hash,
        grantor,
        now.as_second(),
        today,
    )
    .await
    .context("creating the demo identity accounts")?;
    // The banner lists the officers of the offices in force today; the
    // former offices' officers stay, with their logins, for their history.
    let current: std::collections::HashSet<u16> = world::offices()
        .iter()
        .filter(|o| o.in_force.contains(today))
        .map(|o| o.code)
        .collect();
    let (officers, logins): (Vec<Posted>, Vec<String>) = officers
        .into_iter()
        .zip(logins)
        .filter(|(p, _)| current.contains(&p.office))
        .unzip();
    // The handed-over card, read as an administrator would for its
    // specimen: the demo signs it so the verification page has a valid
    // seal to check.
    let card = match (
        samples.iter().find(|(s, _, _)| *s == State::Returned),
        by_post.get(&(world::MINISTRY, Role::Admin)),
    ) {
        (Some((_, code, _)), Some(admin)) => svc
            .dossier_card_specimen(admin, *code)
            .await
            .inspect_err(|e| tracing::warn!(error = %e.message_en(), "demo card not read"))
            .ok()
            .map(|(card, _)| (*code, card)),
        _ => None,
    };
    Ok(Demo {
        card,
        officers,
        logins,
        dossiers: samples.len() + history.len(),
        before_2025: old_sample,
        samples,
        citizens: citizens.len() + account_holders.citizens.len() + account_holders.children.len(),
        accounts: account_holders,
        channels: channel_try,
    })
}

/// A planned path into `target`, received early enough for every step to
/// lie in the past (or long enough ago to be overdue).
#[allow(clippy::too_many_arguments)]
fn plan_for(
    dgen: &mut DossierGen<'_>,
    rng: &mut StdRng,
    cal: &cancuoc_core::calendar::WorkingCalendar,
    today: Date,
    citizen: CitizenId,
    office: u16,
    target: State,
    overdue: bool,
) -> anyhow::Result<SeedDossier> {
    if target == State::Booked {
        let day = cal.add_working_days(today, 2)?;
        return dgen
            .in_state(rng, citizen, office, day, target)
            .context("no plan");
    }
    let start = if overdue { 12 } else { 1 };
    for back in start..start + 20 {
        let Some(day) = (1..=back).try_fold(today, |d, _| previous_working_day(cal, d)) else {
            break;
        };
        if let Some(p) = dgen.in_state(rng, citizen, office, day, target)
            && p.events.last().is_some_and(|e| e.to == target)
        {
            return Ok(p);
        }
    }
    Err(anyhow!("no date puts the whole path in the past"))
}

fn previous_working_day(cal: &cancuoc_core::calendar::WorkingCalendar, d: Date) -> Option<Date> {
    let mut d = d;
    for _ in 0..30 {
        d = d.yesterday().ok()?;
        if cal.is_working_day(d).is_ok_and(|s| s.working) {
            return Some(d);
        }
    }
    None
}

/// Opens the planned dossier and takes each planned step through the
/// service, as the officer of the step's role; returns its code.
async fn walk(
    app: &App,
    by_post: &HashMap<(u16, Role), Officer>,
    actors: &Actors,
    plan: &SeedDossier,
    capture: &CaptureRecord,
    notify: Option<NotifyChoice>,
) -> anyhow::Result<DossierCode> {
    let svc = app.service();
    let officer_for = |role: Role| -> anyhow::Result<&Officer> {
        let office = match role {
            Role::Processor | Role::Approver | Role::Printer | Role::Dispatcher => actors.centre,
            Role::CommunePolice => *actors
                .commune_of
                .get(&plan.office)
                .context("no commune office")?,
            Role::Admin => world::MINISTRY,
            // The citizen's own steps are taken at the counter in the demo.
            Role::Citizen | Role::Receptionist | Role::ReturnOfficer => plan.office,
        };
        let role = if role == Role::Citizen {
            Role::Receptionist
        } else {
            role
        };
        by_post
            .get(&(office, role))
            .with_context(|| format!("no {} at office {office}", role.code()))
    };
    let ts = |s: i64| Timestamp::from_second(s).map_err(|e| anyhow!("{e}"));
    let first = plan.events.first().context("empty plan")?;
    let opened = svc
        .open_dossier(
            officer_for(Role::Receptionist)?,
            OpenDossier {
                citizen: plan.citizen,
                kind: Some(plan.kind),
                reason: plan.reason.unwrap_or(Reason::Age),
                exemptions: Vec::new(),
                exemption_document: None,
                channel: Channel::InPerson,
                received_on: Some(plan.received_on),
                start: first.to,
                note: first.note.clone(),
                capture: Some(capture.clone()),
                at: Some(ts(first.at)?),
                booking: None,
                idempotency_key: None,
                notify,
            },
        )
        .await
        .map_err(service_err)?;
    let mut version = opened.version;
    for e in &plan.events[1..] {
        let out = svc
            .transition(
                officer_for(e.actor_role)?,
                TransitionCommand {
                    code: opened.code,
                    to: e.to,
                    note: e.note.clone(),
                    expected_version: version,
                    idempotency_key: None,
                    population_data_changed: match e.to {
                        State::CommuneVerification => Some(true),
                        State::SentToCentre => Some(false),
                        _ => None,
                    },
                    old_document: (e.to == State::Returned).then_some(OldDocument::Collected),
                    at: Some(ts(e.at)?),
                },
            )
            .await
            .map_err(service_err)?;
        version = out.version;
    }
    Ok(opened.code)
}

/// The text printed after a demo seed: tokens per role, codes to look up,
/// the citizens with their accounts, URLs and curl lines, and where
/// `demo.json` is (`json`, when it was written).
pub fn login_text(demo: &Demo, base: &str, json: Option<&Path>, lang: Lang) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let p = |vi, en| pick(lang, vi, en);
    let _ = writeln!(
        s,
        "\n== {} ==",
        p(
            "Dữ liệu mẫu đã được tạo (dữ liệu tổng hợp, không phải người thật)",
            "Demo data created (synthetic, no real person)"
        )
    );
    let _ = writeln!(
        s,
        "{} {} {}, {} {}, {} {}.",
        p("Đã tạo", "Created"),
        world::offices().len(),
        p("đơn vị", "offices"),
        demo.citizens,
        p("công dân", "citizens"),
        demo.dossiers,
        p("hồ sơ", "dossiers"),
    );
    let _ = writeln!(
        s,
        "\n{}:",
        p(
            "Mã truy cập của cán bộ (Authorization: Bearer …), chỉ hiện lần này",
            "Officer bearer tokens (Authorization: Bearer …), shown only now"
        )
    );
    for o in &demo.officers {
        let _ = writeln!(
            s,
            "  {:<15} {:04}  {:<22} {}",
            o.role.code(),
            o.office,
            o.name,
            o.token.expose()
        );
    }
    let _ = writeln!(
        s,
        "\n{} {base}/can-bo ({} {DEMO_PASSWORD}):",
        p(
            "Tài khoản bảng điều khiển cán bộ",
            "Officers' console logins"
        ),
        p(
            "mật khẩu mẫu của mọi cán bộ:",
            "demo password of every officer:"
        ),
    );
    for (o, login) in demo.officers.iter().zip(&demo.logins) {
        let _ = writeln!(s, "  {login:<24} {}", o.name);
    }
    let _ = writeln!(
        s,
        "\n{}:",
        p(
            "Mã hồ sơ mẫu theo trạng thái",
            "Sample dossier codes by state"
        )
    );
    for (state, code, overdue) in &demo.samples {
        let label = pick(lang, state.label_vi(), state.label_en());
        let late = if *overdue {
            p(" (quá hạn)", " (overdue)")
        } else {
            ""
        };
        let _ = writeln!(s, "  {:<21} {}  {label}{late}", state.code(), code);
    }
    if let Some((code, _)) = demo.before_2025 {
        let _ = writeln!(
            s,
            "  {:<21} {code}  {}",
            "before_2025",
            p(
                "Hồ sơ nộp tại Công an cấp huyện trước 01/03/2025 (cơ cấu cũ)",
                "Dossier received by district police before 01/03/2025 (former structure)"
            )
        );
    }
    citizens_text(&mut s, &demo.accounts, base, lang);
    let sample = demo
        .samples
        .iter()
        .find(|(st, _, _)| *st == State::Dispatched)
        .or(demo.samples.first());
    let receptionist = demo.officers.iter().find(|o| o.role == Role::Receptionist);
    let _ = writeln!(s, "\n{}:", p("Thử ngay", "Try it"));
    let _ = writeln!(s, "  {base}/api/docs            (OpenAPI / Swagger UI)");
    let _ = writeln!(s, "  {base}/api/openapi.json");
    if let Some((_, code, _)) = sample {
        let _ = writeln!(s, "  curl -s {base}/api/v1/status/{code}");
    }
    let _ = writeln!(s, "  curl -s {base}/api/v1/offices");
    if let Some(r) = receptionist {
        let _ = writeln!(
            s,
            "  curl -s -H 'Authorization: Bearer {}' '{base}/api/v1/dossiers?office={}&state=received'",
            r.token.expose(),
            r.office
        );
    }
    if let Some(path) = json {
        let _ = writeln!(
            s,
            "\n{} {}",
            p(
                "Toàn bộ thông tin trên, dạng JSON (cho script):",
                "All of the above as JSON (for scripts):"
            ),
            path.display()
        );
    }
    s
}

/// `dd/mm/yyyy`, as a citizen types it on the portal's forms.
fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// The banner's table of demo citizens (số định danh, tên, điện thoại,
/// ngày sinh, ngày cấp thẻ, tài khoản), the child, and how to log in.
fn citizens_text(s: &mut String, a: &accounts::DemoAccounts, base: &str, lang: Lang) {
    use std::fmt::Write;
    if a.citizens.is_empty() {
        return;
    }
    let p = |vi, en| pick(lang, vi, en);
    let _ = writeln!(
        s,
        "\n{} {}):",
        p(
            "Công dân mẫu có thẻ Căn cước và số điện thoại (mật khẩu tài khoản định danh điện tử:",
            "Demo citizens with a card and a phone (electronic identity account password:"
        ),
        accounts::CITIZEN_PASSWORD
    );
    let _ = writeln!(
        s,
        "  {:<13} {:<26} {:<11} {:<11} {:<11} {}",
        p("Số định danh", "ID number"),
        p("Họ và tên", "Full name"),
        p("Điện thoại", "Phone"),
        p("Ngày sinh", "Born"),
        p("Ngày cấp", "Card issued"),
        p("Tài khoản", "Account"),
    );
    for c in &a.citizens {
        let level = match c.account {
            Some(l) => format!("{} {}", p("mức độ", "level"), l.as_u8()),
            None => p("chưa có tài khoản", "no account (chưa có tài khoản)").to_owned(),
        };
        let mark = if c.self_declared.is_empty() {
            ""
        } else {
            " (*)"
        };
        let _ = writeln!(
            s,
            "  {:<13} {:<26} {:<11} {:<11} {:<11} {level}{mark}",
            c.personal_id,
            c.full_name,
            c.phone,
            dmy(c.date_of_birth),
            dmy(c.card_issue_date),
        );
    }
    if a.citizens.iter().any(|c| !c.self_declared.is_empty()) {
        let _ = writeln!(
            s,
            "  (*) {}",
            p(
                "số điện thoại và nơi tạm trú do công dân tự khai (đánh dấu vàng trong «Thông tin định danh»)",
                "phone and temporary residence self-declared (marked yellow in the identification data)"
            )
        );
    }
    for child in &a.children {
        let relation = match child.relation {
            "mother" => p("mẹ", "mother"),
            "father" => p("cha", "father"),
            _ => p("người giám hộ", "guardian"),
        };
        let _ = writeln!(
            s,
            "  {} {} {}, {} {}, {} {} ({relation})",
            p("Trẻ em dưới 14 tuổi:", "Child under 14:"),
            child.personal_id,
            child.full_name,
            p("sinh", "born"),
            dmy(child.date_of_birth),
            p("người đại diện", "guardian"),
            child.guardian,
        );
    }
    let _ = writeln!(
        s,
        "  {}: POST {base}/api/v1/auth/login → POST {base}/api/v1/auth/otp → GET {base}/api/v1/me",
        p(
            "Đăng nhập (mã OTP: xem dòng «SMS:» bên dưới)",
            "Log in (one-time code: see the «SMS:» line below)"
        ),
    );
}

/// The card part of the demo's banner: the specimen of the printed
/// dossier's card, a signed QR of the handed-over card written to
/// `DATA_DIR/demo-seal.txt` for the verification page, and the TEST CSCA
/// that `cancuoc chip verify` trusts.
pub fn cards_text(
    demo: &Demo,
    seal: &cancuoc_web::seal::SealKeys,
    pki: Option<&Path>,
    data_dir: &Path,
    base: &str,
    lang: Lang,
) -> String {
    use std::fmt::Write;
    let p = |vi, en| pick(lang, vi, en);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n{}:",
        p("Thẻ, chip và mã QR có chữ ký", "Card, chip and signed QR")
    );
    if let Some((_, code, _)) = demo.samples.iter().find(|(st, _, _)| *st == State::Printed) {
        let _ = writeln!(
            s,
            "  {}: {base}/can-bo/ho-so/{}/the-mau",
            p(
                "Mẫu thẻ của hồ sơ đã in (đăng nhập cán bộ)",
                "Specimen of a printed dossier's card (officer login)"
            ),
            code
        );
    }
    let signed = match (&demo.card, &seal.signing) {
        (Some((_, card)), Some(key)) => {
            cancuoc_seal::sign_card(card, key, &seal.issuer, jiff::Timestamp::now()).ok()
        }
        _ => None,
    };
    if let Some(text) = signed {
        let file = data_dir.join("demo-seal.txt");
        if std::fs::write(&file, format!("{text}\n")).is_ok() {
            let _ = writeln!(
                s,
                "  {}: {} → {base}/xac-minh",
                p(
                    "Mã QR có chữ ký của thẻ đã trả (dán nội dung tệp)",
                    "Signed QR of the handed-over card (paste the file's text)"
                ),
                file.display()
            );
        }
    }
    if let Some(dir) = pki {
        let _ = writeln!(
            s,
            "  {}: {}",
            p(
                "CSCA THỬ NGHIỆM (cancuoc chip verify --csca)",
                "TEST CSCA (cancuoc chip verify --csca)"
            ),
            dir.join("csca.pem").display()
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_capture_record_is_complete() {
        assert!(complete_capture().expect("capture").is_complete());
    }
}
