//! Citizens' identity accounts through the REST API (tài khoản định danh
//! điện tử): each flow walked through the router — register and confirm,
//! log in with the SMS code, the identification data with its green and
//! yellow marks, the wallet and its QR payload, history and sessions,
//! change of password, forgotten password, lock and unlock by the owner,
//! the officers' level 2, lock and unlock — over a service whose clock the
//! test moves and whose SMS gateway keeps what it sent
//! (`cancuoc_service::sms::MemoryGateway`), so every code is read from the
//! message the citizen would get. The attack cases are in
//! `accounts_attacks.rs`; the helpers here serve both.
//!
//! Every name, number and address is synthetic (the client addresses are
//! of the documentation ranges and never leave the process).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use cancuoc_core::id::PersonalId;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_core::person::Sex;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_core::qr::{CardFields, CardQr, Layout};
use cancuoc_server::{App, AppConfig, Clock, Limits, Service, router};
use cancuoc_service::sms::MemoryGateway;
use cancuoc_store::{CitizenId, FieldProvenance, IdAssignment, Provenance, Store, Verification};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::world::*;

/// The client most requests come from.
pub const IP: &str = "198.51.100.7";
/// A second client (an attacker, another phone).
pub const OTHER_IP: &str = "203.0.113.9";
/// The password the tests register with.
pub const PASSWORD: &str = "Sen#Vang42a";
/// A second password that keeps the policy.
pub const NEW_PASSWORD: &str = "Lua_Moi58b";

/// The router over a service whose clock the test moves and whose SMS
/// gateway keeps every message, with the world's officers.
pub struct Acct {
    pub w: World,
    pub now: Arc<AtomicI64>,
    pub sms: Arc<MemoryGateway>,
}

impl Acct {
    /// Moves the clock `secs` seconds on.
    pub fn advance(&self, secs: i64) {
        self.now.fetch_add(secs, Ordering::SeqCst);
    }

    /// How many messages were sent so far.
    pub fn sent(&self) -> usize {
        self.sms.sent().len()
    }

    /// The code of the newest message to `phone`.
    #[track_caller]
    pub fn code_for(&self, phone: &str) -> String {
        self.sms
            .last_code_for(phone)
            .unwrap_or_else(|| panic!("no code sent to {phone}: {:?}", self.sms.sent()))
    }

    /// The purposes of the messages sent to `phone`, oldest first.
    pub fn purposes_to(&self, phone: &str) -> Vec<&'static str> {
        let to = PhoneNumber::parse(phone).expect("phone");
        self.sms
            .sent()
            .iter()
            .filter(|m| m.to == to)
            .map(|m| m.purpose)
            .collect()
    }
}

/// [`acct_world_limited`] with the default limits.
pub async fn acct_world(store: Store) -> Acct {
    acct_world_limited(store, Limits::default()).await
}

/// The world's offices and officers in `store`, and the router over a
/// service with a stepping clock from [`T0`], an SMS gateway that keeps
/// what it sends, `limits` and the test hooks on.
pub async fn acct_world_limited(store: Store, limits: Limits) -> Acct {
    let shared = cancuoc_testkit::world::world(store.clone(), T0).await;
    let now = Arc::new(AtomicI64::new(T0));
    let at = Arc::clone(&now);
    let clock: Clock =
        Arc::new(move || jiff::Timestamp::from_second(at.load(Ordering::SeqCst)).expect("time"));
    let sms = Arc::new(MemoryGateway::new());
    let service = Service::new(store.clone(), Allocator::new([42; 16]), clock)
        .await
        .expect("service")
        .with_limits(limits)
        .with_sms_gateway(sms.clone());
    let app = App::new(
        service,
        AppConfig {
            test_hooks: true,
            ..AppConfig::default()
        },
    );
    let w = World {
        receptionist: shared.receptionist.token,
        other_receptionist: shared.other_receptionist.token,
        commune_police: shared.commune_police.token,
        processor: shared.processor.token,
        approver: shared.approver.token,
        printer: shared.printer.token,
        dispatcher: shared.dispatcher.token,
        return_officer: shared.return_officer.token,
        admin: shared.admin.token,
        province_officer: shared.province_officer.token,
        router: router(app.clone()),
        app,
        store,
    };
    Acct { w, now, sms }
}

/// Sends one API request from client `ip` (as `ConnectInfo`, the way
/// `cancuoc serve` provides it).
pub async fn call(
    router: &Router,
    ip: &str,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Res {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let mut req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .expect("request");
    let addr: SocketAddr = format!("{ip}:40000").parse().expect("addr");
    req.extensions_mut().insert(ConnectInfo(addr));
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Res {
        status,
        headers,
        body,
    }
}

/// `POST` of a JSON body from `ip`.
pub async fn post_from(a: &Acct, ip: &str, uri: &str, body: Value) -> Res {
    call(&a.w.router, ip, Method::POST, uri, None, Some(body), &[]).await
}

/// `GET` with a bearer token from [`IP`].
pub async fn get_as(a: &Acct, uri: &str, token: &str) -> Res {
    call(&a.w.router, IP, Method::GET, uri, Some(token), None, &[]).await
}

/// A citizen of the population record with a phone and an active card.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: CitizenId,
    pub pid: &'static str,
    pub name: &'static str,
    /// `YYYY-MM-DD`.
    pub dob: &'static str,
    pub phone: &'static str,
    /// The active card's issue date, `YYYY-MM-DD`.
    pub issued: &'static str,
}

/// Records a citizen with `phone` (self-declared: entered by the citizen,
/// the record's one yellow field) and, when `issued` is given, an active
/// card issued that day.
pub async fn person(
    store: &Store,
    name: &'static str,
    pid: &'static str,
    dob: &'static str,
    sex: Sex,
    phone: &'static str,
    issued: Option<&'static str>,
) -> Person {
    let mut new = cancuoc_testkit::world::citizen(name, dob, sex, Some(pid));
    new.phone = Some(phone.to_owned());
    let mut provenance = FieldProvenance::all_verified("npd");
    provenance.fields.insert(
        "phone".into(),
        Provenance {
            status: Verification::SelfDeclared,
            source: "citizen".into(),
        },
    );
    new.provenance = provenance;
    let c = store
        .register_citizen(&new, IdAssignment::AsGiven, None, T0)
        .await
        .expect("citizen");
    if let Some(day) = issued {
        store
            .issue_card(c.id, day.parse().expect("date"), None, None, T0)
            .await
            .expect("card");
    }
    Person {
        id: c.id,
        pid,
        name,
        dob,
        phone,
        issued: issued.unwrap_or(""),
    }
}

/// Nguyễn Văn An, born 17/05/1990, a Căn cước card of 01/08/2024.
pub async fn an(store: &Store) -> Person {
    person(
        store,
        "Nguyễn Văn An",
        "079090001234",
        "1990-05-17",
        Sex::Male,
        "0912345678",
        Some("2024-08-01"),
    )
    .await
}

/// Trần Thị Bình, born 09/03/1988, a CCCD card of 15/06/2023.
pub async fn binh(store: &Store) -> Person {
    person(
        store,
        "Trần Thị Bình",
        "079188004321",
        "1988-03-09",
        Sex::Female,
        "0987654321",
        Some("2023-06-15"),
    )
    .await
}

/// A captcha from `ip` and its answer (through the test hook).
pub async fn captcha(a: &Acct, ip: &str) -> (String, String) {
    let c = call(
        &a.w.router,
        ip,
        Method::GET,
        "/api/v1/captcha",
        None,
        None,
        &[],
    )
    .await;
    let id = c.ok(200)["id"].as_str().expect("id").to_owned();
    let answer = get(&a.w.router, &format!("/__test/captcha/{id}"), None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    (id, answer.body.as_str().expect("text").to_owned())
}

/// The registration body of `p` with `phone` and `password`, and a
/// solved captcha from `ip`.
pub async fn register_body(a: &Acct, ip: &str, p: &Person, phone: &str, password: &str) -> Value {
    let (captcha_id, captcha_answer) = captcha(a, ip).await;
    json!({
        "personal_id": p.pid,
        "phone": phone,
        "full_name": p.name,
        "date_of_birth": p.dob,
        "card_issue_date": p.issued,
        "password": password,
        "captcha_id": captcha_id,
        "captcha_answer": captcha_answer,
    })
}

/// Registers `p` with [`PASSWORD`] and confirms the code: a level-1
/// account.
pub async fn registered(a: &Acct, p: &Person) {
    let body = register_body(a, IP, p, p.phone, PASSWORD).await;
    let r = post_from(a, IP, "/api/v1/accounts", body).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let otp = a.code_for(p.phone);
    post_from(
        a,
        IP,
        "/api/v1/accounts/verify",
        json!({"challenge_id": challenge, "otp": otp}),
    )
    .await
    .ok(201);
}

/// A login of `pid` with `password` from `ip` (a fresh captcha).
pub async fn login(a: &Acct, ip: &str, pid: &str, password: &str) -> Res {
    let (captcha_id, captcha_answer) = captcha(a, ip).await;
    post_from(
        a,
        ip,
        "/api/v1/auth/login",
        json!({
            "personal_id": pid,
            "password": password,
            "captcha_id": captcha_id,
            "captcha_answer": captcha_answer,
        }),
    )
    .await
}

/// Sends `otp` for the login challenge `challenge` from `ip`.
pub async fn login_code(a: &Acct, ip: &str, challenge: &str, otp: &str) -> Res {
    call(
        &a.w.router,
        ip,
        Method::POST,
        "/api/v1/auth/otp",
        None,
        Some(json!({"challenge_id": challenge, "otp": otp})),
        &[("user-agent", "cancuoc-app/1.0 (test)")],
    )
    .await
}

/// Logs `p` in with `password` and the code sent: the bearer token.
pub async fn token_with(a: &Acct, p: &Person, password: &str) -> String {
    let r = login(a, IP, p.pid, password).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let r = login_code(a, IP, &challenge, &a.code_for(p.phone)).await;
    r.ok(200)["token"].as_str().expect("token").to_owned()
}

/// Logs `p` in with [`PASSWORD`]: the bearer token.
pub async fn token(a: &Acct, p: &Person) -> String {
    token_with(a, p, PASSWORD).await
}

/// A problem body without its request id (which differs per request).
pub fn without_request_id(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("request_id");
    }
    v
}

/// The sorted member names of an object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort_unstable();
    k
}

/// The `errors` of a problem as `(field, code)` pairs, each with both
/// messages present.
#[track_caller]
pub fn field_codes(r: &Res) -> Vec<(String, String)> {
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.content_type(), "application/problem+json");
    r.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {}", r.body))
        .iter()
        .map(|e| {
            assert!(
                !e["message_vi"].as_str().unwrap_or("").is_empty()
                    && !e["message_en"].as_str().unwrap_or("").is_empty(),
                "{e}"
            );
            (
                e["field"].as_str().expect("field").to_owned(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

/// The number as the ticket hints it.
pub fn hint(phone: &str) -> String {
    PhoneNumber::parse(phone).expect("phone").masked()
}

/// Register → confirm → log in → code → identification data (every field
/// with its mark) → wallet (the card valid, its QR payload the core's
/// encoding) → history (register, the codes, the login) → sessions.
pub async fn an_account_is_registered_logged_into_and_read(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;

    // The captcha is an image the portal would show.
    let c = call(
        &a.w.router,
        IP,
        Method::GET,
        "/api/v1/captcha",
        None,
        None,
        &[],
    )
    .await;
    let c = c.ok(200);
    assert_eq!(keys(c), ["id", "image"]);
    assert!(
        c["image"]
            .as_str()
            .unwrap_or("")
            .starts_with("data:image/png;base64,"),
        "{c}"
    );

    let body = register_body(&a, IP, &p, "0912 345 678", PASSWORD).await;
    let r = post_from(&a, IP, "/api/v1/accounts", body).await;
    let ticket = r.ok(202).clone();
    assert_eq!(
        keys(&ticket),
        ["challenge_id", "expires_in", "phone_hint", "resend_in"]
    );
    assert_eq!(ticket["expires_in"], 120);
    assert_eq!(ticket["resend_in"], 60);
    assert_eq!(ticket["phone_hint"], hint(p.phone));
    let challenge = ticket["challenge_id"].as_str().expect("id");
    assert_eq!(challenge.len(), 64);
    assert_eq!(a.purposes_to(p.phone), ["register"]);
    let text = &a.sms.sent()[0].text;
    assert!(
        text.ends_with(
            " la ma xac thuc dang ky tai khoan dinh danh dien tu. Ma co hieu luc trong 2 phut. Khong cung cap ma cho bat ky ai."
        ),
        "{text}"
    );

    let r = post_from(
        &a,
        IP,
        "/api/v1/accounts/verify",
        json!({"challenge_id": challenge, "otp": a.code_for(p.phone)}),
    )
    .await;
    assert_eq!(r.ok(201), &json!({"level": 1}));

    a.advance(61);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let ticket = r.ok(202).clone();
    assert_eq!(ticket["phone_hint"], hint(p.phone));
    assert_eq!(a.purposes_to(p.phone), ["register", "login"]);
    let r = login_code(
        &a,
        IP,
        ticket["challenge_id"].as_str().expect("id"),
        &a.code_for(p.phone),
    )
    .await;
    let login = r.ok(200).clone();
    assert_eq!(keys(&login), ["expires_at", "token"]);
    // 12 hours after the login, at T0 + 61 s.
    assert_eq!(login["expires_at"], "2026-11-21T15:01:01Z");
    let token = login["token"].as_str().expect("token");

    let me = get_as(&a, "/api/v1/me", token).await;
    let me = me.ok(200);
    let green = |name: &str, value: &str| json!({"name": name, "value": value, "verified": true, "source": "npd"});
    assert_eq!(
        me,
        &json!({
            "personal_id": "079090001234",
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "1990-05-17",
            "sex": "male",
            "level": 1,
            "level_method": null,
            "fields": [
                green("personal_id", "079090001234"),
                green("full_name", "Nguyễn Văn An"),
                green("date_of_birth", "1990-05-17"),
                green("sex", "Nam"),
                green("nationality", "Việt Nam"),
                green("ethnicity", "Kinh"),
                green("religion", "Không"),
                green("place_of_origin", "Xã Bình Thử, Huyện Đông Thử"),
                green("permanent_residence", "Thôn 1, Xã Bình Thử"),
                {"name": "phone", "value": "0912345678", "verified": false, "source": "citizen"},
            ],
            "children": [],
        })
    );

    let wallet = get_as(&a, "/api/v1/me/wallet", token).await;
    let wallet = wallet.ok(200);
    let qr = CardQr::new(CardFields {
        personal_id: PersonalId::parse(p.pid).expect("id"),
        old_id: None,
        full_name: p.name.to_owned(),
        date_of_birth: p.dob.parse().expect("date"),
        sex: Sex::Male,
        residence: "Thôn 1, Xã Bình Thử".into(),
        issue_date: p.issued.parse().expect("date"),
        layout: Layout::EXTENDED_2024,
    })
    .expect("qr")
    .to_payload();
    assert!(
        qr.starts_with("079090001234||Nguyễn Văn An|17051990|Nam|Thôn 1, Xã Bình Thử|01082024"),
        "{qr}"
    );
    assert_eq!(
        wallet,
        &json!({"cards": [{
            "number": "079090001234",
            "kind": "cancuoc",
            "issued_on": "2024-08-01",
            "expires_on": "2030-05-17",
            "status": "valid",
            "qr_payload": qr,
        }]})
    );

    let history = get_as(&a, "/api/v1/me/history", token).await;
    let events = history.ok(200)["events"]
        .as_array()
        .expect("events")
        .clone();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["login", "otp_sent", "register"], "{events:?}");
    assert_eq!(events[0]["at"], "2026-11-21T03:01:01Z");
    assert_eq!(events[0]["client"], IP);
    assert_eq!(events[2]["at"], "2026-11-21T03:00:00Z");
    for e in &events {
        let text = e.to_string();
        assert!(!text.contains(p.pid) && !text.contains(PASSWORD), "{text}");
    }

    let sessions = get_as(&a, "/api/v1/me/sessions", token).await;
    let list = sessions.ok(200)["sessions"]
        .as_array()
        .expect("list")
        .clone();
    assert_eq!(list.len(), 1, "{list:?}");
    let s = &list[0];
    assert_eq!(
        keys(s),
        [
            "agent",
            "client",
            "created_at",
            "current",
            "handle",
            "kind",
            "last_seen"
        ]
    );
    assert_eq!(s["kind"], "api");
    assert_eq!(s["current"], true);
    assert_eq!(s["agent"], "cancuoc-app/1.0 (test)");
    assert_eq!(s["client"], IP);
    assert_eq!(s["created_at"], "2026-11-21T03:01:01Z");
    assert!(!token.contains(s["handle"].as_str().expect("handle")));
}

/// A guardian's account lists the linked child under 14 with the child's
/// personal ID number, and not the linked child of 15.
pub async fn a_guardian_sees_a_child_under_14_and_not_one_of_15(store: Store) {
    let a = acct_world(store).await;
    let p = binh(&a.w.store).await;
    let young = person(
        &a.w.store,
        "Lê Minh Khôi",
        "079215006789",
        "2015-03-01",
        Sex::Male,
        "0912000111",
        None,
    )
    .await;
    let older = person(
        &a.w.store,
        "Lê Thu Hà",
        "079311007890",
        "2011-02-10",
        Sex::Female,
        "0912000222",
        None,
    )
    .await;
    a.w.store
        .link_guardian(young.id, p.id, "mother")
        .await
        .expect("link");
    a.w.store
        .link_guardian(older.id, p.id, "mother")
        .await
        .expect("link");
    registered(&a, &p).await;
    a.advance(60);
    let token = token(&a, &p).await;
    let me = get_as(&a, "/api/v1/me", &token).await;
    assert_eq!(
        me.ok(200)["children"],
        json!([{
            "personal_id": "079215006789",
            "full_name": "Lê Minh Khôi",
            "date_of_birth": "2015-03-01",
            "relation": "mother",
        }])
    );
    // The CCCD of 2023 is in the wallet with its own layout.
    let wallet = get_as(&a, "/api/v1/me/wallet", &token).await;
    let card = &wallet.ok(200)["cards"][0];
    assert_eq!(card["kind"], "cccd");
    assert_eq!(card["issued_on"], "2023-06-15");
    assert_eq!(card["status"], "valid");
}

/// A missing, malformed, unknown or logged-out token is a 401 problem on
/// every owner's route; an officer's token is not a citizen's.
pub async fn the_owners_routes_need_a_live_account_token(store: Store) {
    let a = acct_world(store).await;
    let routes: [(Method, &str, Option<Value>); 8] = [
        (Method::GET, "/api/v1/me", None),
        (Method::GET, "/api/v1/me/wallet", None),
        (Method::GET, "/api/v1/me/history", None),
        (Method::GET, "/api/v1/me/sessions", None),
        (Method::DELETE, "/api/v1/me/sessions", None),
        (Method::DELETE, "/api/v1/me/sessions/abc", None),
        (
            Method::POST,
            "/api/v1/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})),
        ),
        (Method::POST, "/api/v1/auth/logout", None),
    ];
    for (method, uri, body) in routes {
        let r = call(
            &a.w.router,
            IP,
            method.clone(),
            uri,
            None,
            body.clone(),
            &[],
        )
        .await;
        r.problem(401, "auth.missing_token");
        assert!(r.headers.contains_key("www-authenticate"), "{uri}");
        assert!(
            r.body["message_en"]
                .as_str()
                .unwrap_or("")
                .contains("identity account"),
            "{}",
            r.body
        );
        for token in ["0".repeat(64).as_str(), a.w.receptionist.as_str()] {
            let r = call(
                &a.w.router,
                IP,
                method.clone(),
                uri,
                Some(token),
                body.clone(),
                &[],
            )
            .await;
            r.problem(401, "account.session");
            assert_eq!(
                r.body["message_en"], "Your session has ended; log in again",
                "{uri}"
            );
        }
        let r = call(
            &a.w.router,
            IP,
            method,
            uri,
            None,
            body,
            &[("authorization", "Basic abc")],
        )
        .await;
        r.problem(401, "auth.malformed_token");
    }
    // Nor is a citizen's token an officer's.
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let t = token(&a, &p).await;
    get(
        &a.w.router,
        &format!("/api/v1/citizens/{}", p.pid),
        Some(&t),
    )
    .await
    .problem(401, "auth.invalid_token");
    // Logged out, the token is dead.
    let r = call(
        &a.w.router,
        IP,
        Method::POST,
        "/api/v1/auth/logout",
        Some(&t),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    get_as(&a, "/api/v1/me", &t)
        .await
        .problem(401, "account.session");
}

/// One session revoked by its handle ends that token only; revoking all
/// ends every token, this one too.
pub async fn sessions_are_revoked_one_or_all(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let first = token(&a, &p).await;
    a.advance(60);
    let second = token(&a, &p).await;
    let r = get_as(&a, "/api/v1/me/sessions", &second).await;
    let list = r.ok(200)["sessions"].as_array().expect("list").clone();
    assert_eq!(list.len(), 2, "{list:?}");
    let other: Vec<&Value> = list.iter().filter(|s| s["current"] == false).collect();
    assert_eq!(other.len(), 1);
    let handle = other[0]["handle"].as_str().expect("handle");
    let r = call(
        &a.w.router,
        IP,
        Method::DELETE,
        &format!("/api/v1/me/sessions/{handle}"),
        Some(&second),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    get_as(&a, "/api/v1/me", &first)
        .await
        .problem(401, "account.session");
    get_as(&a, "/api/v1/me", &second).await.ok(200);
    a.advance(60);
    let third = token(&a, &p).await;
    let r = call(
        &a.w.router,
        IP,
        Method::DELETE,
        "/api/v1/me/sessions",
        Some(&third),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    for t in [&second, &third] {
        get_as(&a, "/api/v1/me", t)
            .await
            .problem(401, "account.session");
    }
}

/// A change of password needs the current one, keeps the policy, and ends
/// every token; the new password opens the account.
pub async fn the_owner_changes_the_password_and_logs_in_again(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let t = token(&a, &p).await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let r = call(
        &a.w.router,
        IP,
        Method::POST,
        "/api/v1/me/password",
        Some(&t),
        Some(change("Sai#Mat9khau", NEW_PASSWORD)),
        &[],
    )
    .await;
    // The token is live: a wrong current password is the form's problem.
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["code"], "account.current_password");
    assert_eq!(r.body["errors"][0]["field"], "current_password");
    let r = call(
        &a.w.router,
        IP,
        Method::POST,
        "/api/v1/me/password",
        Some(&t),
        Some(change(PASSWORD, "ngan")),
        &[],
    )
    .await;
    let codes: Vec<String> = field_codes(&r).into_iter().map(|(_, c)| c).collect();
    assert!(
        codes.contains(&"password.too_short".to_owned()),
        "{codes:?}"
    );
    let r = call(
        &a.w.router,
        IP,
        Method::POST,
        "/api/v1/me/password",
        Some(&t),
        Some(change(PASSWORD, NEW_PASSWORD)),
        &[],
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    get_as(&a, "/api/v1/me", &t)
        .await
        .problem(401, "account.session");
    a.advance(60);
    login(&a, IP, p.pid, PASSWORD)
        .await
        .problem(401, "account.credentials");
    let t = token_with(&a, &p, NEW_PASSWORD).await;
    get_as(&a, "/api/v1/me", &t).await.ok(200);
}

/// A password that breaks the policy is refused naming every rule it
/// fails, each in both languages, before the captcha is spent or a code
/// sent; so is every malformed field of the form at once.
pub async fn every_failed_password_rule_is_listed_in_both_languages(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    // A common word with digits, the last 6 digits of the number, no
    // upper case, no special character.
    let body = register_body(&a, IP, &p, p.phone, "abc001234").await;
    let captcha_id = body["captcha_id"].clone();
    let r = post_from(&a, IP, "/api/v1/accounts", body.clone()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let mut got = field_codes(&r);
    got.sort();
    assert_eq!(
        got,
        [
            ("password".to_owned(), "password.common".to_owned()),
            ("password".to_owned(), "password.no_special".to_owned()),
            ("password".to_owned(), "password.no_upper".to_owned()),
            ("password".to_owned(), "password.personal_data".to_owned()),
        ]
    );
    let errors = r.body["errors"].as_array().expect("errors");
    let personal = errors
        .iter()
        .find(|e| e["code"] == "password.personal_data")
        .expect("personal data");
    assert_eq!(
        personal["message_vi"],
        "Mật khẩu không được chứa số định danh cá nhân của bạn (kể cả 6 chữ số cuối)"
    );
    let upper = errors
        .iter()
        .find(|e| e["code"] == "password.no_upper")
        .expect("upper");
    assert_eq!(
        upper["message_en"],
        "The password must contain at least one upper-case letter (A–Z)"
    );
    assert_eq!(
        upper["message_vi"],
        "Mật khẩu phải có ít nhất một chữ in hoa (A–Z)"
    );
    // The problem's own code is the first rule's; its messages join all.
    assert!(
        r.body["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("password.")),
        "{}",
        r.body
    );
    for e in errors {
        assert!(
            r.body["message_en"]
                .as_str()
                .unwrap_or("")
                .contains(e["message_en"].as_str().unwrap_or("?")),
            "{}",
            r.body
        );
    }
    assert_eq!(a.sent(), 0, "no code for a refused form");

    // Every malformed field at once; the captcha was not spent.
    let mut bad = body.clone();
    bad["personal_id"] = json!("07909000123");
    bad["phone"] = json!("0112345678");
    bad["full_name"] = json!("  ");
    bad["date_of_birth"] = json!("1990");
    bad["card_issue_date"] = json!("31/02/2024");
    bad["password"] = json!(PASSWORD);
    let r = post_from(&a, IP, "/api/v1/accounts", bad).await;
    let fields: Vec<String> = field_codes(&r).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "personal_id",
            "phone",
            "full_name",
            "date_of_birth",
            "card_issue_date"
        ]
    );
    let dob = &r.body["errors"][3];
    assert_eq!(dob["code"], "account.date_incomplete");
    let mut good = body;
    good["password"] = json!(PASSWORD);
    good["captcha_id"] = captcha_id;
    post_from(&a, IP, "/api/v1/accounts", good).await.ok(202);
}

/// A date typed as people type it is read; an unknown member of any body
/// is refused.
pub async fn dates_are_read_as_typed_and_unknown_members_are_refused(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    let mut body = register_body(&a, IP, &p, p.phone, PASSWORD).await;
    body["date_of_birth"] = json!("17/05/1990");
    body["card_issue_date"] = json!("1.8.2024");
    post_from(&a, IP, "/api/v1/accounts", body).await.ok(202);
    assert_eq!(a.purposes_to(p.phone), ["register"], "the record matched");
    for (uri, body) in [
        (
            "/api/v1/auth/login",
            json!({"personal_id": p.pid, "password": PASSWORD, "captcha_id": "x", "captcha_answer": "y", "remember": true}),
        ),
        (
            "/api/v1/accounts/verify",
            json!({"challenge_id": "x", "otp": "123456", "level": 2}),
        ),
        (
            "/api/v1/accounts/lock",
            json!({"personal_id": p.pid, "phone": p.phone, "date_of_birth": p.dob, "card_issue_date": p.issued, "reason": "x"}),
        ),
    ] {
        post_from(&a, IP, uri, body)
            .await
            .problem(422, "request.bad_json");
    }
}

/// Forgotten password, the three steps: the code goes to the phone on
/// record, the new password opens the account, every token of before is
/// dead and the owner is told by SMS.
pub async fn a_forgotten_password_is_reset_in_three_steps(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let old = token(&a, &p).await;
    a.advance(60);
    let r = post_from(
        &a,
        OTHER_IP,
        "/api/v1/auth/forgot",
        json!({"personal_id": p.pid, "phone": p.phone}),
    )
    .await;
    let step1 = r.ok(202).clone();
    assert_eq!(keys(&step1), ["challenge_id"]);
    let before = a.sent();
    let r = post_from(
        &a,
        OTHER_IP,
        "/api/v1/auth/forgot/verify",
        json!({
            "challenge_id": step1["challenge_id"],
            "full_name": "nguyen van an",
            "date_of_birth": p.dob,
            "card_issue_date": p.issued,
        }),
    )
    .await;
    let step2 = r.ok(202).clone();
    assert_eq!(keys(&step2), ["challenge_id", "expires_in", "resend_in"]);
    assert_eq!(step2["expires_in"], 120);
    assert_eq!(step2["resend_in"], 60);
    assert_eq!(a.sent(), before + 1);
    assert_eq!(a.sms.sent()[before].purpose, "reset");
    let r = post_from(
        &a,
        OTHER_IP,
        "/api/v1/auth/forgot/reset",
        json!({
            "challenge_id": step2["challenge_id"],
            "otp": a.code_for(p.phone),
            "new_password": NEW_PASSWORD,
        }),
    )
    .await;
    assert_eq!(keys(r.ok(200)), ["message_en", "message_vi"], "{}", r.body);
    assert_eq!(a.sent(), before + 2);
    let notice = &a.sms.sent()[before + 1];
    assert_eq!(notice.purpose, "notice");
    assert!(
        notice.text.starts_with("Mat khau tai khoan"),
        "{}",
        notice.text
    );
    get_as(&a, "/api/v1/me", &old)
        .await
        .problem(401, "account.session");
    a.advance(60);
    login(&a, IP, p.pid, PASSWORD)
        .await
        .problem(401, "account.credentials");
    let t = token_with(&a, &p, NEW_PASSWORD).await;
    let history = get_as(&a, "/api/v1/me/history", &t).await;
    let kinds: Vec<String> = history.ok(200)["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_owned())
        .collect();
    assert!(kinds.contains(&"password_reset".to_owned()), "{kinds:?}");
}

/// The owner's lock takes effect at once on every token, is told by SMS,
/// and the answer is the same words whether anything matched.
pub async fn the_owners_lock_ends_every_token_at_once(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let t = token(&a, &p).await;
    get_as(&a, "/api/v1/me", &t).await.ok(200);
    let lock = |pid: &str, phone: &str| json!({"personal_id": pid, "phone": phone, "date_of_birth": p.dob, "card_issue_date": p.issued});
    let before = a.sent();
    let unknown = post_from(
        &a,
        OTHER_IP,
        "/api/v1/accounts/lock",
        lock("079090009999", p.phone),
    )
    .await;
    let wrong_phone = post_from(
        &a,
        OTHER_IP,
        "/api/v1/accounts/lock",
        lock(p.pid, "0987000000"),
    )
    .await;
    assert_eq!(a.sent(), before, "nothing matched, nothing sent");
    get_as(&a, "/api/v1/me", &t).await.ok(200);
    let right = post_from(&a, OTHER_IP, "/api/v1/accounts/lock", lock(p.pid, p.phone)).await;
    for r in [&unknown, &wrong_phone, &right] {
        assert_eq!(r.status, 202, "{}", r.body);
    }
    assert_eq!(unknown.body, right.body);
    assert_eq!(wrong_phone.body, right.body);
    get_as(&a, "/api/v1/me", &t)
        .await
        .problem(401, "account.session");
    assert_eq!(a.purposes_to(p.phone).last(), Some(&"notice"));
    assert!(
        a.sms
            .sent()
            .last()
            .expect("notice")
            .text
            .contains("da bi khoa"),
        "{:?}",
        a.sms.sent()
    );
}

/// Unlock by the owner: password and captcha, then the code; the account
/// opens again and the owner is told. An officer's lock is lifted only by
/// an officer.
pub async fn the_owner_unlocks_with_password_and_code(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    let lock = json!({"personal_id": p.pid, "phone": p.phone, "date_of_birth": p.dob, "card_issue_date": p.issued});
    post_from(&a, IP, "/api/v1/accounts/lock", lock)
        .await
        .ok(202);
    a.advance(60);
    let unlock = |password: &'static str| {
        let a = &a;
        async move {
            let (captcha_id, captcha_answer) = captcha(a, IP).await;
            post_from(
                a,
                IP,
                "/api/v1/accounts/unlock",
                json!({"personal_id": p.pid, "password": password, "captcha_id": captcha_id, "captcha_answer": captcha_answer}),
            )
            .await
        }
    };
    unlock("Sai#Mat9khau")
        .await
        .problem(401, "account.credentials");
    let r = unlock(PASSWORD).await;
    let ticket = r.ok(202).clone();
    assert_eq!(ticket["phone_hint"], hint(p.phone));
    assert_eq!(a.sms.sent().last().expect("code").purpose, "unlock");
    let r = post_from(
        &a,
        IP,
        "/api/v1/accounts/unlock/verify",
        json!({"challenge_id": ticket["challenge_id"], "otp": a.code_for(p.phone)}),
    )
    .await;
    assert_eq!(keys(r.ok(200)), ["message_en", "message_vi"]);
    assert!(
        a.sms
            .sent()
            .last()
            .expect("notice")
            .text
            .contains("mo khoa"),
        "{:?}",
        a.sms.sent()
    );
    a.advance(60);
    let t = token(&a, &p).await;
    get_as(&a, "/api/v1/me", &t).await.ok(200);

    // Locked by an officer: the owner cannot lift it.
    let r = post(
        &a.w.router,
        &format!("/api/v1/citizens/{}/account/lock", p.pid),
        Some(&a.w.receptionist),
        json!({"reason": "reported stolen at the desk"}),
    )
    .await;
    assert_eq!(r.ok(200), &json!({"changed": true}));
    get_as(&a, "/api/v1/me", &t)
        .await
        .problem(401, "account.session");
    a.advance(60);
    unlock(PASSWORD)
        .await
        .problem(409, "account.locked_by_officer");
    let r = post(
        &a.w.router,
        &format!("/api/v1/citizens/{}/account/unlock", p.pid),
        Some(&a.w.receptionist),
        json!({"reason": "identity checked at the desk"}),
    )
    .await;
    assert_eq!(r.ok(200), &json!({"changed": true}));
    // Seven messages went to the number within the hour (codes and
    // notices alike count): an hour on, the quota has room again.
    a.advance(3600);
    token(&a, &p).await;
}

/// Level 2 is granted by a receptionist of an office that receives the
/// public or an administrator, recorded with officer, office and method;
/// a printer is refused; lowering needs a reason.
pub async fn officers_grant_level_two_and_a_printer_is_refused(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    let uri = format!("/api/v1/citizens/{}/account/level", p.pid);
    let view = format!("/api/v1/citizens/{}/account", p.pid);

    let r = post(
        &a.w.router,
        &uri,
        Some(&a.w.printer),
        json!({"level": 2, "method": "portrait"}),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    get(&a.w.router, &view, Some(&a.w.printer)).await.ok(403);
    post(
        &a.w.router,
        &uri,
        None,
        json!({"level": 2, "method": "portrait"}),
    )
    .await
    .problem(401, "auth.missing_token");

    let r = post(
        &a.w.router,
        &uri,
        Some(&a.w.receptionist),
        json!({"level": 2, "method": "fingerprints"}),
    )
    .await;
    let account = r.ok(200).clone();
    assert_eq!(account["level"], 2);
    assert_eq!(account["level_method"], "fingerprints");
    assert_eq!(account["level_office"], DISTRICT);
    assert!(account["level_officer"].as_i64().is_some(), "{account}");
    assert_eq!(account["level_granted_at"], "2026-11-21T03:00:00Z");
    assert_eq!(account["locked"], false);
    assert_eq!(a.sms.sent().last().expect("notice").purpose, "notice");

    a.advance(60);
    let t = token(&a, &p).await;
    let me = get_as(&a, "/api/v1/me", &t).await;
    assert_eq!(me.ok(200)["level"], 2);
    assert_eq!(me.body["level_method"], "fingerprints");

    for bad in [
        json!({"level": 2}),
        json!({"level": 2, "method": "portrait", "reason": "x"}),
        json!({"level": 1, "method": "portrait"}),
        json!({"level": 3, "method": "portrait"}),
    ] {
        post(&a.w.router, &uri, Some(&a.w.admin), bad)
            .await
            .problem(422, "account.level");
    }
    post(
        &a.w.router,
        &uri,
        Some(&a.w.admin),
        json!({"level": 2, "method": "card_issuance"}),
    )
    .await
    .problem(422, "request.bad_json");
    post(
        &a.w.router,
        &uri,
        Some(&a.w.admin),
        json!({"level": 1, "reason": " "}),
    )
    .await
    .problem(422, "service.invalid_field");
    let r = post(
        &a.w.router,
        &uri,
        Some(&a.w.admin),
        json!({"level": 1, "reason": "portrait did not match on review"}),
    )
    .await;
    assert_eq!(r.ok(200)["level"], 1);
    assert_eq!(r.body["level_method"], Value::Null);

    let r = get(&a.w.router, &view, Some(&a.w.admin)).await;
    let body = r.ok(200);
    assert_eq!(body["account"]["level"], 1);
    assert_eq!(body["account"]["has_password"], true);
    let kinds: Vec<&str> = body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds.first(), Some(&"officer_read"), "{kinds:?}");
    assert!(
        kinds.iter().filter(|k| **k == "level_change").count() >= 2,
        "{kinds:?}"
    );

    // A citizen without an account: level 2 makes one without a
    // password, which its owner then registers.
    let q = binh(&a.w.store).await;
    let r = get(
        &a.w.router,
        &format!("/api/v1/citizens/{}/account", q.pid),
        Some(&a.w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200), &json!({"account": null, "events": []}));
    let r = post(
        &a.w.router,
        &format!("/api/v1/citizens/{}/account/level", q.pid),
        Some(&a.w.admin),
        json!({"level": 2, "method": "portrait"}),
    )
    .await;
    assert_eq!(r.ok(200)["has_password"], false);
    a.advance(60);
    registered(&a, &q).await;
    a.advance(60);
    let t = token(&a, &q).await;
    assert_eq!(get_as(&a, "/api/v1/me", &t).await.ok(200)["level"], 2);
    get(
        &a.w.router,
        "/api/v1/citizens/079090009999/account",
        Some(&a.w.admin),
    )
    .await
    .problem(404, "store.not_found");
}
