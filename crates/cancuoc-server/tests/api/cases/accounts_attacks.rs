//! The attacks on the identity accounts, each a test through the router
//! (tấn công tài khoản định danh): enumeration by registration and by
//! login, brute force of a code, replay of a used code and of a used reset
//! challenge, a code past its 2 minutes, resending before the cooldown,
//! the hourly quota per number, a locked account (no code, no session),
//! the password lockout and the code lockout kept apart, a forgotten
//! password's step 2 that reveals nothing, and logins under load while
//! the status lookups keep answering. Helpers are in `accounts.rs`.

use axum::http::Method;
use cancuoc_server::Limits;
use cancuoc_store::Store;
use serde_json::{Value, json};

use super::accounts::*;
use crate::world::*;

/// A 6-digit code that is not `code`.
fn other_code(code: &str) -> String {
    let n: u32 = code.parse().expect("digits");
    format!("{:06}", (n + 1) % 1_000_000)
}

/// Registration answers the same 202 and the same shape whether the
/// number is unknown, known with another phone, or matching — only the
/// challenge id and the hint of the phone typed differ — and only the
/// match gets a code; a decoy's challenge refuses a code as a real one
/// refuses a wrong one.
pub async fn registration_answers_alike_whoever_the_number_is(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    let mut unknown = p.clone();
    unknown.pid = "079090009999";
    let tries = [(&unknown, "0911111111"), (&p, "0922222222"), (&p, p.phone)];
    let mut answers = Vec::new();
    for (who, phone) in tries {
        let body = register_body(&a, IP, who, phone, PASSWORD).await;
        let r = post_from(&a, IP, "/api/v1/accounts", body).await;
        assert_eq!(r.status, 202, "{}", r.body);
        assert_eq!(r.content_type(), "application/json");
        assert_eq!(r.body["phone_hint"], hint(phone));
        answers.push(r.body);
    }
    for r in &answers {
        assert_eq!(
            keys(r),
            ["challenge_id", "expires_in", "phone_hint", "resend_in"]
        );
        assert_eq!(r["expires_in"], answers[2]["expires_in"]);
        assert_eq!(r["resend_in"], answers[2]["resend_in"]);
        assert_eq!(r["challenge_id"].as_str().map(str::len), Some(64));
    }
    // Only the match was sent a code, to the phone on record.
    assert_eq!(a.sent(), 1);
    assert_eq!(a.purposes_to(p.phone), ["register"]);
    let right = a.code_for(p.phone);
    // A decoy and a real challenge refuse a wrong code alike.
    let wrong = |challenge: &Value| json!({"challenge_id": challenge, "otp": other_code(&right)});
    let decoy = post_from(
        &a,
        IP,
        "/api/v1/accounts/verify",
        wrong(&answers[0]["challenge_id"]),
    )
    .await;
    let real = post_from(
        &a,
        IP,
        "/api/v1/accounts/verify",
        wrong(&answers[2]["challenge_id"]),
    )
    .await;
    decoy.problem(401, "otp.wrong");
    assert_eq!(
        without_request_id(&decoy.body),
        without_request_id(&real.body)
    );
    // The decoy refuses even the code the real one takes.
    post_from(
        &a,
        IP,
        "/api/v1/accounts/verify",
        json!({"challenge_id": answers[1]["challenge_id"], "otp": right}),
    )
    .await
    .problem(401, "otp.wrong");
    post_from(
        &a,
        IP,
        "/api/v1/accounts/verify",
        json!({"challenge_id": answers[2]["challenge_id"], "otp": right}),
    )
    .await
    .ok(201);
    // Registering again with the owner's own data: the same answer, and
    // the owner is told by SMS instead of being sent a code.
    a.advance(60);
    let body = register_body(&a, IP, &p, p.phone, PASSWORD).await;
    let again = post_from(&a, IP, "/api/v1/accounts", body).await;
    assert_eq!(again.status, 202, "{}", again.body);
    assert_eq!(keys(&again.body), keys(&answers[2]));
    // (The notice counts as the registration's code would, in the public
    // forms' quota: purpose `register`.)
    assert_eq!(a.purposes_to(p.phone), ["register", "register"]);
}

/// A login that fails answers one way whatever failed — an unknown
/// number, a citizen without an account, a wrong password, a locked
/// account with its right password — and sends nothing.
pub async fn a_failed_login_answers_alike_whatever_failed(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    let q = binh(&a.w.store).await;
    let locked = person(
        &a.w.store,
        "Phạm Văn Cường",
        "079085002468",
        "1985-12-01",
        cancuoc_core::person::Sex::Male,
        "0933333333",
        Some("2024-09-10"),
    )
    .await;
    registered(&a, &p).await;
    registered(&a, &locked).await;
    post_from(
        &a,
        IP,
        "/api/v1/accounts/lock",
        json!({"personal_id": locked.pid, "phone": locked.phone, "date_of_birth": locked.dob, "card_issue_date": locked.issued}),
    )
    .await
    .ok(202);
    a.advance(60);
    let before = a.sent();
    let answers = [
        login(&a, OTHER_IP, "079090009999", PASSWORD).await,
        login(&a, OTHER_IP, q.pid, PASSWORD).await,
        login(&a, OTHER_IP, p.pid, "Sai#Mat9khau").await,
        login(&a, OTHER_IP, locked.pid, PASSWORD).await,
    ];
    for r in &answers {
        r.problem(401, "account.credentials");
        assert!(r.headers.contains_key("www-authenticate"));
        assert_eq!(
            without_request_id(&r.body),
            without_request_id(&answers[0].body)
        );
    }
    assert_eq!(
        answers[0].body["message_en"],
        "The personal ID number or the password is wrong"
    );
    assert_eq!(a.sent(), before, "no code to anyone, least to the locked");
}

/// A lock between the password and the code: the code opens no session.
pub async fn a_lock_between_password_and_code_opens_no_session(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let code = a.code_for(p.phone);
    post(
        &a.w.router,
        &format!("/api/v1/citizens/{}/account/lock", p.pid),
        Some(&a.w.admin),
        json!({"reason": "fraud report"}),
    )
    .await
    .ok(200);
    // The lock ended the pending code with the sessions.
    login_code(&a, IP, &challenge, &code)
        .await
        .problem(401, "account.challenge");
}

/// Five wrong codes kill the challenge: the right code after them is
/// refused as `otp.exhausted`, at once and after the account's lockout of
/// wrong codes has passed.
pub async fn five_wrong_codes_kill_the_challenge(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let right = a.code_for(p.phone);
    let wrong = other_code(&right);
    for left in (1..=4).rev() {
        let r = login_code(&a, OTHER_IP, &challenge, &wrong).await;
        r.problem(401, "otp.wrong");
        assert!(
            r.body["message_en"]
                .as_str()
                .unwrap_or("")
                .contains(&left.to_string()),
            "{}",
            r.body
        );
    }
    login_code(&a, OTHER_IP, &challenge, &wrong)
        .await
        .problem(401, "otp.exhausted");
    // The right code is refused: the challenge is dead, and says so
    // before the account's lockout of wrong codes does.
    let r = login_code(&a, IP, &challenge, &right).await;
    r.problem(401, "otp.exhausted");
    a.advance(61);
    let r = login_code(&a, IP, &challenge, &right).await;
    r.problem(401, "otp.exhausted");
    assert_eq!(
        r.body["message_vi"].as_str().map(str::is_empty),
        Some(false)
    );
    // A code of the wrong shape is a field error, counted nowhere.
    let r = login_code(&a, IP, &challenge, "12 34").await;
    assert_eq!(
        field_codes(&r),
        [("otp".to_owned(), "otp.format".to_owned())]
    );
}

/// A used code is refused on a second use (login and registration); a
/// reset challenge once used resets nothing again.
pub async fn a_used_code_and_a_used_reset_challenge_are_refused(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    let body = register_body(&a, IP, &p, p.phone, PASSWORD).await;
    let r = post_from(&a, IP, "/api/v1/accounts", body).await;
    let reg = r.ok(202)["challenge_id"].clone();
    let code = a.code_for(p.phone);
    let verify = json!({"challenge_id": reg, "otp": code});
    post_from(&a, IP, "/api/v1/accounts/verify", verify.clone())
        .await
        .ok(201);
    post_from(&a, IP, "/api/v1/accounts/verify", verify)
        .await
        .problem(401, "otp.used");

    a.advance(60);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let code = a.code_for(p.phone);
    login_code(&a, IP, &challenge, &code).await.ok(200);
    login_code(&a, OTHER_IP, &challenge, &code)
        .await
        .problem(401, "otp.used");

    a.advance(60);
    let r = post_from(
        &a,
        IP,
        "/api/v1/auth/forgot",
        json!({"personal_id": p.pid, "phone": p.phone}),
    )
    .await;
    let step1 = r.ok(202)["challenge_id"].clone();
    let r = post_from(
        &a,
        IP,
        "/api/v1/auth/forgot/verify",
        json!({"challenge_id": step1, "full_name": p.name, "date_of_birth": p.dob, "card_issue_date": p.issued}),
    )
    .await;
    let step2 = r.ok(202)["challenge_id"].clone();
    let code = a.code_for(p.phone);
    post_from(
        &a,
        IP,
        "/api/v1/auth/forgot/reset",
        json!({"challenge_id": step2, "otp": code, "new_password": NEW_PASSWORD}),
    )
    .await
    .ok(200);
    let sent = a.sent();
    post_from(
        &a,
        OTHER_IP,
        "/api/v1/auth/forgot/reset",
        json!({"challenge_id": step2, "otp": code, "new_password": "Ke#Gian77x"}),
    )
    .await
    // The reset ended every pending challenge of the account, its own too.
    .problem(401, "account.challenge");
    // Step 2 of a used challenge is over too.
    post_from(
        &a,
        OTHER_IP,
        "/api/v1/auth/forgot/verify",
        json!({"challenge_id": step1, "full_name": p.name, "date_of_birth": p.dob, "card_issue_date": p.issued}),
    )
    .await
    .problem(401, "account.challenge");
    assert_eq!(a.sent(), sent, "no notice for a refused replay");
    a.advance(60);
    login(&a, IP, p.pid, "Ke#Gian77x")
        .await
        .problem(401, "account.credentials");
    token_with(&a, &p, NEW_PASSWORD).await;
}

/// A code works 119 seconds after it was sent and is refused at 120.
pub async fn a_code_is_refused_from_120_seconds_on(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let code = a.code_for(p.phone);
    a.advance(119);
    login_code(&a, IP, &challenge, &code).await.ok(200);

    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let code = a.code_for(p.phone);
    a.advance(120);
    let r = login_code(&a, IP, &challenge, &code).await;
    r.problem(401, "otp.expired");
    assert_eq!(
        r.body["message_en"].as_str().map(str::is_empty),
        Some(false)
    );
}

/// A new code before 60 seconds is a 429 with `Retry-After`; after them
/// it is sent, the old code stops working and the new one works.
pub async fn a_new_code_waits_60_seconds_and_replaces_the_old(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let old = a.code_for(p.phone);
    let sent = a.sent();
    a.advance(25);
    let resend = json!({"challenge_id": challenge});
    let r = post_from(&a, IP, "/api/v1/auth/resend", resend.clone()).await;
    r.problem(429, "otp.cooldown");
    assert_eq!(r.headers["retry-after"], "35");
    assert_eq!(a.sent(), sent);
    a.advance(35);
    let r = post_from(&a, IP, "/api/v1/auth/resend", resend.clone()).await;
    let ticket = r.ok(202).clone();
    assert_eq!(ticket["challenge_id"], challenge.as_str());
    assert_eq!(ticket["expires_in"], 120);
    assert_eq!(ticket["phone_hint"], hint(p.phone));
    assert_eq!(a.sent(), sent + 1);
    let new = a.code_for(p.phone);
    // The new code lives 120 s from its own sending.
    a.advance(100);
    if new != old {
        login_code(&a, IP, &challenge, &old)
            .await
            .problem(401, "otp.wrong");
    }
    login_code(&a, IP, &challenge, &new).await.ok(200);
    post_from(&a, IP, "/api/v1/auth/resend", resend)
        .await
        .problem(401, "account.challenge");
}

/// Five login codes to a number in an hour (the registration's code counts
/// in the public forms' quota, apart); the sixth is refused with the wait
/// until the oldest leaves the hour, and sent once it has.
pub async fn the_sixth_message_in_an_hour_is_refused(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    for _ in 0..5 {
        a.advance(60);
        login(&a, IP, p.pid, PASSWORD).await.ok(202);
    }
    assert_eq!(a.sent(), 6);
    a.advance(60);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    r.problem(429, "otp.quota");
    // The first login code went at T0 + 60 s; it is T0 + 360 s.
    assert_eq!(r.headers["retry-after"], "3300");
    assert_eq!(a.sent(), 6);
    a.advance(3300);
    login(&a, IP, p.pid, PASSWORD).await.ok(202);
    assert_eq!(a.sent(), 7);
}

/// Forgotten password, step 2 with a wrong name: the same 202 as with
/// the right one and no code sent; the decoy's step 3 resets nothing.
pub async fn a_wrong_name_in_step_two_sends_nothing_and_answers_the_same(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let step2 = |name: &'static str| {
        let a = &a;
        let p = p.clone();
        async move {
            let r = post_from(
                a,
                OTHER_IP,
                "/api/v1/auth/forgot",
                json!({"personal_id": p.pid, "phone": p.phone}),
            )
            .await;
            let step1 = r.ok(202)["challenge_id"].clone();
            post_from(
                a,
                OTHER_IP,
                "/api/v1/auth/forgot/verify",
                json!({"challenge_id": step1, "full_name": name, "date_of_birth": p.dob, "card_issue_date": p.issued}),
            )
            .await
        }
    };
    let before = a.sent();
    let wrong = step2("Nguyễn Văn Ân Giả").await;
    assert_eq!(wrong.status, 202, "{}", wrong.body);
    assert_eq!(a.sent(), before, "no code for a wrong name");
    a.advance(60);
    let right = step2("Nguyễn Văn An").await;
    assert_eq!(right.status, 202, "{}", right.body);
    assert_eq!(a.sent(), before + 1);
    assert_eq!(keys(&wrong.body), keys(&right.body));
    for k in ["expires_in", "resend_in"] {
        assert_eq!(wrong.body[k], right.body[k], "{k}");
    }
    let code = a.code_for(p.phone);
    post_from(
        &a,
        OTHER_IP,
        "/api/v1/auth/forgot/reset",
        json!({"challenge_id": wrong.body["challenge_id"], "otp": code, "new_password": "Ke#Gian77x"}),
    )
    .await
    .problem(401, "otp.wrong");
    a.advance(60);
    token(&a, &p).await;
}

/// Wrong passwords from an attacker (the account's password lockout and
/// the per-address count) do not stop the owner's code on a login
/// already under way; wrong codes on one login (the code lockout) do not
/// stop a new password check, and count nothing against the password.
pub async fn password_guessing_and_code_guessing_lock_apart(store: Store) {
    let a = acct_world(store).await;
    let p = an(&a.w.store).await;
    registered(&a, &p).await;
    a.advance(60);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let code = a.code_for(p.phone);
    for _ in 0..5 {
        login(&a, OTHER_IP, p.pid, "Sai#Mat9khau")
            .await
            .problem(401, "account.credentials");
    }
    login(&a, OTHER_IP, p.pid, PASSWORD)
        .await
        .problem(429, "limit.account_logins");
    let account =
        a.w.store
            .account(p.id)
            .await
            .expect("read")
            .expect("account");
    assert_eq!(account.account.password_failures.map(|f| f.count), Some(5));
    assert_eq!(account.account.otp_failures, None);
    let t = login_code(&a, IP, &challenge, &code).await;
    let t = t.ok(200)["token"].as_str().expect("token").to_owned();
    get_as(&a, "/api/v1/me", &t).await.ok(200);

    // The password lockout ends after its minute; then wrong codes.
    a.advance(61);
    let r = login(&a, IP, p.pid, PASSWORD).await;
    let challenge = r.ok(202)["challenge_id"].as_str().expect("id").to_owned();
    let wrong = other_code(&a.code_for(p.phone));
    for _ in 0..5 {
        let r = login_code(&a, OTHER_IP, &challenge, &wrong).await;
        assert_eq!(r.status, 401, "{}", r.body);
    }
    let account =
        a.w.store
            .account(p.id)
            .await
            .expect("read")
            .expect("account");
    assert_eq!(account.account.otp_failures.map(|f| f.count), Some(5));
    assert_eq!(
        account.account.password_failures, None,
        "the right password cleared them; wrong codes add none"
    );
    // The password is still checked: a wrong one is the usual 401, the
    // right one passes and only the new code waits for the code lockout.
    login(&a, IP, p.pid, "Sai#Mat9khau")
        .await
        .problem(401, "account.credentials");
    let r = login(&a, IP, p.pid, PASSWORD).await;
    r.problem(429, "account.codes_locked");
    assert_eq!(r.headers["retry-after"], "60");
    a.advance(61);
    let t = token(&a, &p).await;
    get_as(&a, "/api/v1/me", &t).await.ok(200);
}

/// 40 logins at once (each to the captcha and the password hash, from
/// its own address) while 200 status lookups run: every lookup answers
/// 200 and every login its 401 — correctness under load, not timing.
pub async fn status_lookups_answer_while_logins_run(store: Store) {
    let limits = Limits {
        exempt: vec!["192.0.2.0/24".parse().expect("net")],
        ..Limits::default()
    };
    let a = acct_world_limited(store, limits).await;
    let c = register(&a.w, "Đỗ Văn Tra", "079090011111").await;
    let code = open_dossier(&a.w, c).await["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let mut logins = Vec::new();
    for i in 0..40 {
        let ip = format!("203.0.113.{}", i + 10);
        let (captcha_id, captcha_answer) = captcha(&a, &ip).await;
        let router = a.w.router.clone();
        let body = json!({
            "personal_id": format!("0790900200{i:02}"),
            "password": "Sai#Mat9khau",
            "captcha_id": captcha_id,
            "captcha_answer": captcha_answer,
        });
        logins.push((ip, router, body));
    }
    let mut tasks = Vec::new();
    for (ip, router, body) in logins {
        tasks.push(tokio::spawn(async move {
            call(
                &router,
                &ip,
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(body),
                &[],
            )
            .await
        }));
    }
    let mut lookups = Vec::new();
    for i in 0..200 {
        let router = a.w.router.clone();
        let uri = format!("/api/v1/status/{code}");
        let ip = format!("192.0.2.{}", i % 200 + 1);
        lookups.push(tokio::spawn(async move {
            call(&router, &ip, Method::GET, &uri, None, None, &[]).await
        }));
    }
    for l in lookups {
        let r = l.await.expect("lookup task");
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["code"], code.as_str());
    }
    for t in tasks {
        t.await
            .expect("login task")
            .problem(401, "account.credentials");
    }
    assert_eq!(a.sent(), 0);
}
