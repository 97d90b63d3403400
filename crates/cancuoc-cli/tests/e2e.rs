//! End-to-end: the real binary with `--demo` on a fresh data directory and a
//! free port. Reads the printed tokens and sample codes, checks the demo
//! world (a dossier in every state), then walks a new dossier from
//! reception to return over HTTP as the officer of each step, checking the
//! public status endpoint after every step, and a refused step on the way.

mod service_support;

use serde_json::{Value, json};
use service_support::{Server, TempDir, get, parse_banner, post, put};

fn complete_capture() -> Value {
    serde_json::to_value(cancuoc_testkit::world::complete_capture()).expect("json")
}

#[test]
fn demo_then_a_dossier_from_reception_to_return_over_http() {
    let dir = TempDir::new("e2e");
    let server = Server::start(&dir, &["--demo"]);
    let (tokens, codes) = parse_banner(&server.banner);
    for state in [
        "booked",
        "received",
        "refused",
        "captured",
        "slip_issued",
        "commune_verification",
        "sent_to_centre",
        "approved",
        "rejected",
        "printed",
        "dispatched",
        "ready_for_pickup",
        "posted",
        "returned",
        "cancelled",
    ] {
        let code = codes
            .get(state)
            .unwrap_or_else(|| panic!("no {state} sample in\n{}", server.banner));
        let (s, body) = get(&server.url(&format!("/api/v1/status/{code}")), None);
        assert_eq!(s, 200, "{state} {code}: {body}");
        assert_eq!(body["state"], state, "{body}");
    }
    // A dossier received by a district police office before 01/03/2025
    // still names that office, though the office no longer receives.
    let old = codes
        .get("before_2025")
        .unwrap_or_else(|| panic!("no pre-2025 sample in\n{}", server.banner));
    assert!(
        ["0011", "0012", "0461", "0462", "0791", "0792"].contains(&&old[..4]),
        "{old}"
    );
    let (s, body) = get(&server.url(&format!("/api/v1/status/{old}")), None);
    assert_eq!(s, 200, "{old}: {body}");
    let name = body["office"]["name"].as_str().expect("office name");
    assert!(
        ["Công an Quận", "Công an Thành phố", "Công an Thị xã"]
            .iter()
            .any(|p| name.starts_with(p)),
        "{body}"
    );
    let (s, _) = get(&server.url("/api/docs/"), None);
    assert_eq!(s, 200, "Swagger UI is served");

    // Reception at commune police unit 0101 (Phường Ba Đình, Hà Nội): since
    // 01/03/2025 commune police receive applications.
    let office = 101u16;
    let tok = |role: &str, office: u16| -> String {
        tokens
            .get(&(role.to_owned(), office))
            .unwrap_or_else(|| panic!("no {role} token at {office} in\n{}", server.banner))
            .clone()
    };
    let receptionist = tok("receptionist", office);
    let return_officer = tok("return_officer", office);
    let approver = tok("approver", 2);
    let printer = tok("printer", 2);
    let dispatcher = tok("dispatcher", 2);

    // A citizen of the demo: the one behind office 0101's first dossier.
    let (s, page) = get(
        &server.url(&format!("/api/v1/dossiers?office={office}")),
        Some(&receptionist),
    );
    assert_eq!(s, 200, "{page}");
    let citizen = page["items"][0]["citizen"].as_i64().expect("citizen id");

    let (s, opened) = post(
        &server.url("/api/v1/dossiers"),
        &receptionist,
        &json!({"citizen_id": citizen, "reason": "age", "capture": complete_capture()}),
    );
    assert!(s == 200 || s == 201, "open: {s} {opened}");
    let code = opened["code"].as_str().expect("code").replace(' ', "");
    let mut version = opened["version"].as_i64().expect("version");

    let status_url = server.url(&format!("/api/v1/status/{code}"));
    let check_status = |want: &str| {
        let (s, body) = get(&status_url, None);
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["state"], want, "{body}");
        assert!(
            body["state_label_vi"].is_string() && body["state_label_en"].is_string(),
            "{body}"
        );
        assert!(body["promised_date"].is_string(), "{body}");
        assert_eq!(body["overdue"], false, "{body}");
        assert!(body["office"]["hotline"].is_string(), "{body}");
    };
    check_status("received");

    // A step out of turn is refused and changes nothing.
    let (s, body) = post(
        &server.url(&format!("/api/v1/dossiers/{code}/transitions")),
        &approver,
        &json!({"to": "approved", "version": version}),
    );
    assert!(
        s == 403 || s == 409 || s == 422,
        "approve too early: {s} {body}"
    );
    check_status("received");

    let steps: [(&str, &str, Value); 8] = [
        ("captured", &receptionist, json!({})),
        ("slip_issued", &receptionist, json!({})),
        (
            "sent_to_centre",
            &receptionist,
            json!({"population_data_changed": false}),
        ),
        ("approved", &approver, json!({})),
        ("printed", &printer, json!({})),
        ("dispatched", &dispatcher, json!({})),
        ("ready_for_pickup", &return_officer, json!({})),
        (
            "returned",
            &return_officer,
            json!({"old_document": "collected"}),
        ),
    ];
    // The capture was saved at opening; also check it is readable.
    let (s, cap) = get(
        &server.url(&format!("/api/v1/dossiers/{code}/capture")),
        Some(&receptionist),
    );
    assert_eq!(s, 200, "{cap}");
    assert_eq!(cap["complete"], true, "{cap}");
    // Saving it again is an event of the dossier: the version moves on.
    let (s, saved) = put(
        &server.url(&format!("/api/v1/dossiers/{code}/capture")),
        &receptionist,
        &complete_capture(),
    );
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["version"], version + 1, "{saved}");
    version += 1;
    for (to, token, extra) in &steps {
        let mut body = json!({"to": to, "version": version, "note": format!("e2e: {to}")});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let (s, out) = post(
            &server.url(&format!("/api/v1/dossiers/{code}/transitions")),
            token,
            &body,
        );
        assert_eq!(s, 200, "{to}: {out}");
        assert_eq!(out["to"], *to, "{out}");
        version = out["version"].as_i64().expect("version");
        check_status(to);
    }
    // The officer's view has the whole log.
    let (s, d) = get(
        &server.url(&format!("/api/v1/dossiers/{code}")),
        Some(&receptionist),
    );
    assert_eq!(s, 200, "{d}");
    // The opening, the capture and eight steps.
    assert_eq!(d["events"].as_array().map(Vec::len), Some(10), "{d}");
    assert!(server.stop().success());
}
