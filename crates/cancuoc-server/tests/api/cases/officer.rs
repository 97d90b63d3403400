//! Officer routes: citizens, dossiers, office scope, the deadline watch.

use cancuoc_core::dossier::workflow::State;
use cancuoc_core::rules::Reason;
use cancuoc_service::OpenDossier;
use cancuoc_store::{CitizenId, Store};
use jiff::civil::date;
use serde_json::json;

use crate::world::*;

pub async fn citizens_register_search_get(store: Store) {
    let w = world(store).await;
    let r = post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body("Nguyễn Văn An", Some("079090012345")),
    )
    .await;
    let c = r.ok(201);
    assert_eq!(c["personal_id"], "079090012345");
    assert_eq!(c["full_name"], "Nguyễn Văn An");
    // Without a number, one is assigned: province 079, male born 1990.
    let r = post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.commune_police),
        citizen_body("Trần Thị Bình", None),
    )
    .await;
    let pid = r.ok(201)["personal_id"]
        .as_str()
        .expect("assigned")
        .to_owned();
    assert_eq!(pid.len(), 12);
    assert!(pid.starts_with("079090"), "{pid}");
    // Without a number and without the registration code: the service
    // refuses the request it read (422), naming the field.
    let mut b = citizen_body("Lê Văn Cường", None);
    b.as_object_mut()
        .expect("obj")
        .remove("birth_registration_code");
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), b)
        .await
        .problem(422, "service.invalid_field");
    // Duplicate number: 409. Malformed number, sex, date: 400.
    post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body("Nguyễn Văn Khác", Some("079090012345")),
    )
    .await
    .problem(409, "store.duplicate");
    post(
        &w.router,
        "/api/v1/citizens",
        Some(&w.receptionist),
        citizen_body("Sai Số", Some("07909001234")),
    )
    .await
    .problem(400, "id.too_short");
    let mut b = citizen_body("Sai Giới", Some("079090099999"));
    b["sex"] = json!("x");
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), b)
        .await
        .problem(400, "sex.invalid");
    let mut b = citizen_body("Sai Ngày", Some("079090099998"));
    b["dob"] = json!("1990-02-30");
    post(&w.router, "/api/v1/citizens", Some(&w.receptionist), b)
        .await
        .problem(400, "date.invalid");
    // Roles that do not register: 403.
    for t in [&w.printer, &w.approver, &w.dispatcher] {
        post(
            &w.router,
            "/api/v1/citizens",
            Some(t),
            citizen_body("Không Được", Some("079090055555")),
        )
        .await
        .problem(403, "service.role_not_allowed");
    }
    // Search: diacritics and case do not matter; dob narrows.
    let r = get(
        &w.router,
        "/api/v1/citizens?name=nguyen%20van",
        Some(&w.approver),
    )
    .await;
    let items = r.ok(200)["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["full_name"], "Nguyễn Văn An");
    let r = get(
        &w.router,
        "/api/v1/citizens?name=TRAN%20THI&dob=1990",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(1));
    let r = get(
        &w.router,
        "/api/v1/citizens?name=an&dob=1991",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(0));
    let r = get(
        &w.router,
        "/api/v1/citizens?name=van&contains=true",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(1));
    get(
        &w.router,
        "/api/v1/citizens?name=%20",
        Some(&w.receptionist),
    )
    .await
    .problem(422, "store.invalid_field");
    // Get by number.
    let r = get(
        &w.router,
        &format!("/api/v1/citizens/{pid}"),
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["full_name"], "Trần Thị Bình");
    get(
        &w.router,
        "/api/v1/citizens/079090077777",
        Some(&w.receptionist),
    )
    .await
    .problem(404, "store.not_found");
    get(
        &w.router,
        "/api/v1/citizens/07909007777x",
        Some(&w.receptionist),
    )
    .await
    .problem(400, "id.invalid_char");
}

pub async fn dossiers_open_read_list_scope(store: Store) {
    let w = world(store).await;
    let cid = register(&w, "Phạm Minh Châu", "079090012346").await;
    let d = open_dossier(&w, cid).await;
    let code = d["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 16);
    assert!(code.starts_with("0790261121"), "{code}");
    assert_eq!(d["office"], 790);
    assert_eq!(d["state"], "received");
    assert_eq!(d["version"], 1);
    assert_eq!(d["kind"], "first");
    assert_eq!(d["fee_vnd"], 0);
    assert_eq!(d["received_on"], "2026-11-21");
    assert!(
        d["promised_on"].as_str().is_some_and(|p| p > "2026-11-25"),
        "{d}"
    );
    let stages: Vec<&str> = d["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .filter_map(|s| s["stage"].as_str())
        .collect();
    assert!(
        stages.contains(&"transfer-to-npd") && stages.contains(&"dispatch"),
        "{stages:?}"
    );
    assert_eq!(d["events"][0]["to"], "received");
    // By personal ID, with a fee for a lost card.
    let r = post(
        &w.router,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"personal_id": "079090012346", "reason": "lost"}),
    )
    .await;
    let lost = r.ok(201);
    assert_eq!(lost["kind"], "reissue");
    assert!(lost["fee_vnd"].as_u64().unwrap_or(0) > 0);
    // Refusals: both or neither citizen field, unknown reason, kind mismatch,
    // unknown citizen, a role that does not open dossiers.
    post(
        &w.router,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"reason": "lost"}),
    )
    .await
    .problem(400, "request.invalid_field");
    post(
        &w.router,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"citizen_id": cid, "reason": "stolen"}),
    )
    .await
    .problem(400, "rules.unknown_code");
    post(
        &w.router,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"citizen_id": cid, "reason": "lost", "kind": "first"}),
    )
    .await
    .problem(422, "rules.reason_not_for_kind");
    post(
        &w.router,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"citizen_id": 999_999, "reason": "lost"}),
    )
    .await
    .problem(404, "store.not_found");
    // A capture record the core refuses: 422 with the rule's own code, the
    // member named in both languages, and nothing opened.
    let mut glasses = complete_capture();
    glasses["portrait"]["no_glasses"] = json!(false);
    let r = post(
        &w.router,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"citizen_id": cid, "reason": "lost", "capture": glasses}),
    )
    .await;
    r.problem(422, "capture.portrait_refused");
    let vi = r.body["message_vi"].as_str().unwrap_or("");
    assert!(
        vi.starts_with("Trường capture.portrait:") && vi.contains("có đeo kính"),
        "{vi}"
    );
    let en = r.body["message_en"].as_str().unwrap_or("");
    assert!(
        en.starts_with("Field capture.portrait:") && en.contains("glasses worn"),
        "{en}"
    );
    for t in [&w.approver, &w.printer, &w.commune_police] {
        post(
            &w.router,
            "/api/v1/dossiers",
            Some(t),
            json!({"citizen_id": cid, "reason": "lost"}),
        )
        .await
        .problem(403, "service.role_not_allowed");
    }
    // Reading one dossier: the office, the province above it, its commune
    // police, the centre and the administrator may; another district may not.
    let uri = format!("/api/v1/dossiers/{code}");
    for t in [
        &w.receptionist,
        &w.province_officer,
        &w.commune_police,
        &w.approver,
        &w.admin,
    ] {
        let r = get(&w.router, &uri, Some(t)).await;
        assert_eq!(r.ok(200)["code"], code.as_str());
    }
    get(&w.router, &uri, Some(&w.other_receptionist))
        .await
        .problem(403, "service.out_of_scope");
    let last = code.as_bytes()[15] - b'0';
    let wrong = format!("{}{}", &code[..15], (last + 1) % 10);
    get(
        &w.router,
        &format!("/api/v1/dossiers/{wrong}"),
        Some(&w.receptionist),
    )
    .await
    .problem(400, "dossier_code.bad_check_digit");
    // Lists: own office by default, filter by state, keyset pages, scope.
    let r = get(&w.router, "/api/v1/dossiers", Some(&w.receptionist)).await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(2));
    let r = get(
        &w.router,
        "/api/v1/dossiers?office=790&state=received&limit=1",
        Some(&w.approver),
    )
    .await;
    let page = r.ok(200).clone();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
    let after = page["next_after"].as_i64().expect("next page");
    let r = get(
        &w.router,
        &format!("/api/v1/dossiers?office=790&limit=1&after={after}"),
        Some(&w.approver),
    )
    .await;
    assert_ne!(r.ok(200)["items"][0]["code"], page["items"][0]["code"]);
    let r = get(
        &w.router,
        "/api/v1/dossiers?state=approved",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(r.ok(200)["items"].as_array().map(Vec::len), Some(0));
    get(
        &w.router,
        "/api/v1/dossiers?state=lost_in_space",
        Some(&w.receptionist),
    )
    .await
    .problem(400, "workflow.unknown_state");
    get(
        &w.router,
        "/api/v1/dossiers?office=791",
        Some(&w.receptionist),
    )
    .await
    .problem(403, "service.out_of_scope");
    get(&w.router, "/api/v1/dossiers?office=4242", Some(&w.admin))
        .await
        .problem(404, "store.not_found");
    // Capture: reception of the dossier's office only.
    let cap = format!("/api/v1/dossiers/{code}/capture");
    let r = get(&w.router, &cap, Some(&w.commune_police)).await;
    assert_eq!(r.ok(200)["complete"], false);
    assert!(r.body["record"].is_null());
    let put = |t: &str| {
        let t = t.to_owned();
        let cap = cap.clone();
        let router = w.router.clone();
        async move {
            send(
                &router,
                axum::http::Method::PUT,
                &cap,
                Some(&t),
                Some(complete_capture()),
                &[],
            )
            .await
        }
    };
    put(&w.other_receptionist)
        .await
        .problem(403, "service.out_of_scope");
    put(&w.printer)
        .await
        .problem(403, "service.role_not_allowed");
    let r = put(&w.receptionist).await;
    assert_eq!(r.ok(200)["complete"], true);
    let r = get(&w.router, &cap, Some(&w.receptionist)).await;
    assert_eq!(r.ok(200)["record"], complete_capture());
    let r = send(
        &w.router,
        axum::http::Method::PUT,
        &cap,
        Some(&w.receptionist),
        Some(json!({"fingerprints": "x"})),
        &[],
    )
    .await;
    r.problem(422, "request.bad_json");
    // Slots out of legal order cannot be written: a missing finger needs
    // its reason, and there are 13 slots.
    let bad = [
        (
            json!({"fingerprints": ["captured", {"missing": {"other": "  "}}]}),
            "capture.blank_reason",
            "fingerprints[1]",
        ),
        (
            json!({"fingerprints": vec!["captured"; 14]}),
            "capture.too_many_fingerprints",
            "fingerprints",
        ),
        (
            json!({"fingerprints": [], "features": " "}),
            "capture.features_blank",
            "features",
        ),
    ];
    for (body, code, member) in bad {
        let r = send(
            &w.router,
            axum::http::Method::PUT,
            &cap,
            Some(&w.receptionist),
            Some(body),
            &[],
        )
        .await;
        r.problem(422, code);
        let en = r.body["message_en"].as_str().unwrap_or("");
        assert!(en.starts_with(&format!("Field {member}: ")), "{en}");
    }
    // The refused saves changed nothing.
    let r = get(&w.router, &cap, Some(&w.receptionist)).await;
    assert_eq!(r.ok(200)["record"], complete_capture());
}

pub async fn deadline_watch(store: Store) {
    let w = world(store).await;
    let cid = register(&w, "Võ Thị Hoa", "079190012347").await;
    let svc = w.app.service();
    let me = svc
        .authenticate(&w.receptionist)
        .await
        .expect("receptionist");
    // Received a month ago: long overdue. Received a few working days ago:
    // due within the at-risk window.
    let old = OpenDossier {
        received_on: Some(date(2026, 10, 20)),
        ..OpenDossier::walk_in(
            CitizenId(cid),
            Reason::parse("first-issue").expect("reason"),
        )
    };
    let late = svc.open_dossier(&me, old).await.expect("late dossier");
    let mut at_risk = None;
    for back in 1..=12 {
        let day = date(2026, 11, 21) - jiff::Span::new().days(back);
        let d = svc
            .open_dossier(
                &me,
                OpenDossier {
                    received_on: Some(day),
                    ..OpenDossier::walk_in(
                        CitizenId(cid),
                        Reason::parse("first-issue").expect("reason"),
                    )
                },
            )
            .await
            .expect("dossier");
        if d.promised_on >= date(2026, 11, 21) && d.promised_on <= date(2026, 11, 23) {
            at_risk = Some(d);
            break;
        }
    }
    let at_risk = at_risk.expect("a dossier due within a working day");
    let r = get(
        &w.router,
        "/api/v1/offices/790/overdue",
        Some(&w.receptionist),
    )
    .await;
    let v = r.ok(200);
    assert_eq!(v["office"], 790);
    assert_eq!(v["today"], "2026-11-21");
    let overdue: Vec<&str> = v["overdue"]
        .as_array()
        .expect("overdue")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(overdue.contains(&late.code.to_string().as_str()), "{v}");
    assert_eq!(v["overdue"][0]["timeliness"]["status"], "late");
    let risky: Vec<&str> = v["at_risk"]
        .as_array()
        .expect("at_risk")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(risky.contains(&at_risk.code.to_string().as_str()), "{v}");
    assert!(!risky.contains(&late.code.to_string().as_str()));
    // The public status says overdue too.
    let s = get(&w.router, &format!("/api/v1/status/{}", late.code), None).await;
    assert_eq!(s.ok(200)["overdue"], true);
    // Scope: the province sees it, another district does not.
    assert_eq!(
        get(
            &w.router,
            "/api/v1/offices/790/overdue",
            Some(&w.province_officer)
        )
        .await
        .status,
        200
    );
    get(
        &w.router,
        "/api/v1/offices/790/overdue",
        Some(&w.other_receptionist),
    )
    .await
    .problem(403, "service.out_of_scope");
    get(&w.router, "/api/v1/offices/4242/overdue", Some(&w.admin))
        .await
        .problem(404, "store.not_found");
    assert_eq!(late.state, State::Received);
}
