//! The officers' side of the citizens' channels, through the router with a
//! logged-in officer and the session's CSRF token: the chat inbox (a
//! conversation handed to a human is listed, answered, given back to the
//! bot; an office outside the officer's scope is refused; roles without
//! the inbox are refused), the dead letters of an administrator, the
//! reception desk's notification consent, and the channels' table of the
//! dashboard. Each case runs on a fresh SQLite file and, when
//! `CANCUOC_TEST_PG_URL` is set, on a fresh PostgreSQL database.
//!
//! Every name, number and id here is synthetic.

use cancuoc_core::channel::Channel;
use cancuoc_core::channel::notify::Notice;
use cancuoc_core::rules::Reason;
use cancuoc_service::channels::OutboundBody;
use cancuoc_service::{OpenDossier, Service};
use cancuoc_store::Store;
use cancuoc_testkit::world::{DISTRICT, add_citizen};
use cancuoc_web::WebConfig;

mod support;

use support::{Desk, Env, Page, field_value};

/// 2026-11-21 10:00 in Vietnam.
const NOW: &str = "2026-11-21T03:00:00Z";
/// Epoch seconds of [`NOW`].
const T0: i64 = 1_795_230_000;

support::cases!(
    "cancuoc_web_chats", "web_chats";
    the_inbox_lists_a_conversation_handed_to_an_officer,
    roles_without_the_inbox_get_no_link_and_are_refused,
    an_officers_reply_is_stored_and_queued,
    a_blank_or_too_long_reply_is_a_field_error,
    a_reply_without_the_csrf_token_is_refused,
    giving_back_returns_the_conversation_to_the_bot,
    another_offices_receptionist_cannot_open_the_conversation,
    an_admin_sees_and_retries_the_dead_letters,
    the_reception_form_stores_the_consent_and_queues_the_notice,
    the_consent_phone_is_prefilled_from_the_record,
    a_bad_consent_phone_is_a_field_error,
    without_consent_nothing_is_queued,
    the_dashboard_shows_the_channels_table,
);

async fn env(store: Store) -> Env {
    support::env_with(store, NOW, T0, WebConfig::default()).await
}

/// A Zalo user looks up a dossier of DISTRICT (so the conversation is
/// about that office: a conversation about no office is an admin's), then
/// asks for an officer: the conversation's id.
async fn handed_over(e: &Env, message: &str, sender: &str) -> i64 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let svc = &e.svc;
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let c = add_citizen(
        &e.store,
        "Trần Văn Hỏi",
        &format!("07909000{:04}", 5000 + n),
        T0,
    )
    .await;
    let d = svc
        .open_dossier(
            &e.world.receptionist,
            OpenDossier::walk_in(c.id, Reason::FirstIssue),
        )
        .await
        .expect("dossier");
    svc.channel_receive(
        Channel::Zalo,
        &format!("{message}-code"),
        sender,
        &d.code.to_string(),
    )
    .await
    .expect("receive");
    svc.channel_handle_next()
        .await
        .expect("handle")
        .expect("the lookup");
    // The lookup's answer is delivered (the tests count what follows).
    for o in svc.claim_outbound(100).await.expect("claim") {
        svc.outbound_sent(o.id).await.expect("sent");
    }
    assert!(
        svc.channel_receive(Channel::Zalo, message, sender, "gặp cán bộ")
            .await
            .expect("receive")
    );
    let handled = svc
        .channel_handle_next()
        .await
        .expect("handle")
        .expect("a message");
    let conv = svc
        .chat_conversation(&e.world.admin, handled.conversation)
        .await
        .expect("conversation");
    assert!(conv.record.human, "handed to a human");
    handled.conversation
}

/// The replies queued for `recipient` whose text is `text`.
async fn queued_replies(svc: &Service, recipient: &str) -> Vec<String> {
    svc.claim_outbound(100)
        .await
        .expect("claim")
        .into_iter()
        .filter(|o| o.recipient == recipient)
        .filter_map(|o| match o.body {
            OutboundBody::Reply { reply, .. } => Some(reply.text),
            OutboundBody::Notice { .. } => None,
        })
        .collect()
}

async fn the_inbox_lists_a_conversation_handed_to_an_officer(store: Store) {
    let e = env(store).await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let id = handed_over(&e, "m1", "user-1").await;
    let inbox = desk.get("/can-bo/tin-nhan").await;
    let html = inbox.html(
        200,
        &[
            "<h1 id=\"chats-h\">Tin nhắn của công dân</h1>",
            &format!("<a href=\"/can-bo/tin-nhan/{id}\">Zalo · cuộc {id}</a>"),
            "<td class=\"num\">•••er-1</td>",
            "<strong>Cán bộ</strong>",
            "<td>Công an Huyện Đông Thử</td>",
            "href=\"/can-bo/tin-nhan\" aria-current=\"page\">Tin nhắn</a>",
        ],
    );
    assert!(!html.contains("user-1"), "the whole sender id is shown");
    // In English too.
    desk.get("/can-bo/tin-nhan?lang=en").await.html(
        200,
        &[
            "Citizens&#39; messages",
            "Waiting for an officer",
            "An officer",
        ],
    );
    // The conversation: the citizen's line and the bot's hand-off.
    let page = desk.get(&format!("/can-bo/tin-nhan/{id}")).await;
    page.html(
        200,
        &[
            "<li class=\"chat-line from-citizen\"><p class=\"chat-meta\"><strong>Công dân</strong> · 21/11/2026 10:00</p><p class=\"chat-text\">gặp cán bộ</p></li>",
            "<li class=\"chat-line from-bot\">",
            "Trả lại cho trợ lý tự động",
            &format!("action=\"/can-bo/tin-nhan/{id}/tra-loi\""),
        ],
    );
    // A junk id is a page, not a panic.
    desk.get("/can-bo/tin-nhan/abc")
        .await
        .html(404, &["Không có cuộc trò chuyện này."]);
    desk.get("/can-bo/tin-nhan/999999").await.html(404, &[]);
}

async fn roles_without_the_inbox_get_no_link_and_are_refused(store: Store) {
    let e = env(store).await;
    let id = handed_over(&e, "m1", "user-1").await;
    let printer = Desk::login(&e, &e.world.printer, "bui.in.the").await;
    let home = printer.get("/can-bo").await;
    assert!(!home.html(200, &[]).contains("/can-bo/tin-nhan"));
    printer.get("/can-bo/tin-nhan").await.html(
        403,
        &["Chỉ cán bộ tiếp nhận và quản trị viên được xem và trả lời tin nhắn của công dân."],
    );
    printer
        .get(&format!("/can-bo/tin-nhan/{id}"))
        .await
        .html(403, &[]);
    let csrf = printer.csrf().await;
    printer
        .post(
            &format!("/can-bo/tin-nhan/{id}/tra-loi"),
            &[("csrf", &csrf), ("noi_dung", "Xin chào")],
        )
        .await
        .html(403, &[]);
    // A receptionist has no dead letters section; an admin has.
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    assert!(
        !desk
            .get("/can-bo/tin-nhan")
            .await
            .html(200, &[])
            .contains("thu-loi")
    );
}

async fn an_officers_reply_is_stored_and_queued(store: Store) {
    let e = env(store).await;
    let id = handed_over(&e, "m1", "user-1").await;
    // The bot's hand-off reply goes out first.
    let before = queued_replies(&e.svc, "user-1").await;
    assert_eq!(before.len(), 1, "{before:?}");
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let csrf = desk.csrf().await;
    let answer = "Chào anh, hồ sơ của anh đang được xử lý.\nCán bộ Lê";
    desk.post(
        &format!("/can-bo/tin-nhan/{id}/tra-loi"),
        &[("csrf", &csrf), ("noi_dung", answer)],
    )
    .await
    .redirect(&format!("/can-bo/tin-nhan/{id}?ok=tra_loi#tra-loi"));
    let conv = e
        .svc
        .chat_conversation(&e.world.admin, id)
        .await
        .expect("conversation");
    let last = conv.lines.last().expect("a line");
    assert_eq!(last.text, answer);
    assert!(!last.inbound);
    assert_eq!(
        last.author,
        format!("officer:{}", e.world.receptionist.id.0)
    );
    assert_eq!(
        queued_replies(&e.svc, "user-1").await,
        vec![answer.to_owned()]
    );
    desk.get(&format!("/can-bo/tin-nhan/{id}?ok=tra_loi"))
        .await
        .html(
            200,
            &[
                "Đã lưu câu trả lời; hệ thống đang gửi cho công dân qua kênh của họ.",
                "<li class=\"chat-line from-officer\"><p class=\"chat-meta\"><strong>Bạn (cán bộ)</strong> · 21/11/2026 10:00</p><p class=\"chat-text\">Chào anh, hồ sơ của anh đang được xử lý.\nCán bộ Lê</p></li>",
            ],
        );
}

async fn a_blank_or_too_long_reply_is_a_field_error(store: Store) {
    let e = env(store).await;
    let id = handed_over(&e, "m1", "user-1").await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let csrf = desk.csrf().await;
    let uri = format!("/can-bo/tin-nhan/{id}/tra-loi");
    desk.post(&uri, &[("csrf", &csrf), ("noi_dung", "  \n ")])
        .await
        .html(
            422,
            &[
                "<a href=\"#noi_dung\">Hãy nhập câu trả lời (từ 1 đến 2000 ký tự).</a>",
                "<p class=\"field-error\" id=\"noi_dung-err\">Hãy nhập câu trả lời (từ 1 đến 2000 ký tự).</p>",
                "aria-invalid=\"true\"",
            ],
        );
    let long = "ạ".repeat(2001);
    desk.post(&format!("{uri}?lang=en"), &[("csrf", &csrf), ("noi_dung", &long)])
        .await
        .html(
            422,
            &["The answer is 2001 characters long; at most 2000 (Zalo&#39;s and Messenger&#39;s limit)."],
        );
    let conv = e
        .svc
        .chat_conversation(&e.world.admin, id)
        .await
        .expect("conversation");
    assert!(
        conv.lines.iter().all(|l| !l.author.starts_with("officer:")),
        "nothing stored"
    );
    // Exactly 2000 characters pass.
    let full = "ạ".repeat(2000);
    desk.post(&uri, &[("csrf", &csrf), ("noi_dung", &full)])
        .await
        .redirect(&format!("/can-bo/tin-nhan/{id}?ok=tra_loi#tra-loi"));
}

async fn a_reply_without_the_csrf_token_is_refused(store: Store) {
    let e = env(store).await;
    let id = handed_over(&e, "m1", "user-1").await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let bad = "0".repeat(64);
    desk.post(
        &format!("/can-bo/tin-nhan/{id}/tra-loi"),
        &[("csrf", &bad), ("noi_dung", "Xin chào")],
    )
    .await
    .html(403, &["chống giả mạo"]);
    desk.post(&format!("/can-bo/tin-nhan/{id}/tra-lai"), &[])
        .await
        .html(403, &["chống giả mạo"]);
    let conv = e
        .svc
        .chat_conversation(&e.world.admin, id)
        .await
        .expect("conversation");
    assert!(conv.record.human, "still with the officers");
    assert!(conv.lines.iter().all(|l| !l.author.starts_with("officer:")));
}

async fn giving_back_returns_the_conversation_to_the_bot(store: Store) {
    let e = env(store).await;
    let id = handed_over(&e, "m1", "user-1").await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let csrf = desk.csrf().await;
    desk.post(
        &format!("/can-bo/tin-nhan/{id}/tra-lai"),
        &[("csrf", &csrf)],
    )
    .await
    .redirect("/can-bo/tin-nhan?ok=tra_lai");
    let conv = e
        .svc
        .chat_conversation(&e.world.admin, id)
        .await
        .expect("conversation");
    assert!(!conv.record.human, "back with the bot");
    let inbox = desk.get("/can-bo/tin-nhan?ok=tra_lai").await;
    let html = inbox.html(
        200,
        &[
            "Đã trả cuộc trò chuyện cho trợ lý tự động.",
            "Không có cuộc trò chuyện nào chờ cán bộ.",
        ],
    );
    assert!(!html.contains(&format!("/can-bo/tin-nhan/{id}\"")));
    // The filter still shows it, handled by the bot; its page has no
    // give-back button.
    desk.get("/can-bo/tin-nhan?tat_ca=1").await.html(
        200,
        &[
            &format!("<a href=\"/can-bo/tin-nhan/{id}\">Zalo · cuộc {id}</a>"),
            "<td>Trợ lý tự động</td>",
            "href=\"/can-bo/tin-nhan?tat_ca=1\" aria-current=\"page\"",
        ],
    );
    let page = desk.get(&format!("/can-bo/tin-nhan/{id}")).await;
    assert!(!page.html(200, &[]).contains("/tra-lai"));
}

async fn another_offices_receptionist_cannot_open_the_conversation(store: Store) {
    let e = env(store).await;
    // A dossier at DISTRICT, looked up by code in chat: the conversation
    // is about DISTRICT; then the citizen asks for an officer.
    let c = add_citizen(&e.store, "Nguyễn Văn Thử", "079090001234", T0).await;
    let d = e
        .svc
        .open_dossier(
            &e.world.receptionist,
            OpenDossier::walk_in(c.id, Reason::FirstIssue),
        )
        .await
        .expect("dossier");
    e.svc
        .channel_receive(Channel::Zalo, "m1", "user-7", &d.code.to_string())
        .await
        .expect("receive");
    e.svc
        .channel_handle_next()
        .await
        .expect("handle")
        .expect("one");
    let id = handed_over(&e, "m2", "user-7").await;
    let conv = e
        .svc
        .chat_conversation(&e.world.admin, id)
        .await
        .expect("conversation");
    assert_eq!(conv.record.office_code, Some(DISTRICT));
    let other = Desk::login(&e, &e.world.other_receptionist, "pham.tiep.nhan").await;
    let list = other.get("/can-bo/tin-nhan").await;
    assert!(
        !list
            .html(200, &[])
            .contains(&format!("/can-bo/tin-nhan/{id}\""))
    );
    other
        .get(&format!("/can-bo/tin-nhan/{id}"))
        .await
        .html(403, &[]);
    let csrf = other.csrf().await;
    other
        .post(
            &format!("/can-bo/tin-nhan/{id}/tra-loi"),
            &[("csrf", &csrf), ("noi_dung", "Xin chào")],
        )
        .await
        .html(403, &[]);
    other
        .post(
            &format!("/can-bo/tin-nhan/{id}/tra-lai"),
            &[("csrf", &csrf)],
        )
        .await
        .html(403, &[]);
    let conv = e
        .svc
        .chat_conversation(&e.world.admin, id)
        .await
        .expect("conversation");
    assert!(conv.record.human);
    assert!(conv.lines.iter().all(|l| !l.author.starts_with("officer:")));
    // The office's own receptionist sees it, named.
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    desk.get("/can-bo/tin-nhan").await.html(
        200,
        &[
            &format!("/can-bo/tin-nhan/{id}\""),
            "<td>Công an Huyện Đông Thử</td>",
        ],
    );
}

async fn an_admin_sees_and_retries_the_dead_letters(store: Store) {
    let e = env(store).await;
    handed_over(&e, "m1", "zalo-user-98765").await;
    let out = e.svc.claim_outbound(10).await.expect("claim");
    assert_eq!(out.len(), 1);
    e.svc
        .outbound_failed(&out[0], "zalo -230: user not interacted", false)
        .await
        .expect("fail");
    let admin_desk = Desk::login(&e, &e.world.admin, "quan.tri").await;
    let page = admin_desk.get("/can-bo/tin-nhan").await;
    let id = out[0].id.to_string();
    let html = page.html(
        200,
        &[
            "<h2 id=\"thu-loi\">Tin gửi không thành công</h2>",
            "<td>Zalo</td><td>Trả lời tin nhắn</td><td class=\"num\">•••8765</td><td>1</td><td>zalo -230: user not interacted</td>",
            &format!("name=\"id\" value=\"{id}\""),
            "Gửi lại",
        ],
    );
    assert!(!html.contains("zalo-user-98765"));
    let csrf = admin_desk.csrf().await;
    admin_desk
        .post(
            "/can-bo/tin-nhan/gui-lai",
            &[("csrf", &csrf), ("id", "x:1")],
        )
        .await
        .html(400, &["Mã tin nhắn cần gửi lại không hợp lệ"]);
    admin_desk
        .post("/can-bo/tin-nhan/gui-lai", &[("csrf", &csrf), ("id", &id)])
        .await
        .redirect("/can-bo/tin-nhan?ok=gui_lai#thu-loi");
    assert!(
        e.svc
            .dead_letters(&e.world.admin)
            .await
            .expect("dead")
            .is_empty()
    );
    admin_desk.get("/can-bo/tin-nhan?ok=gui_lai").await.html(
        200,
        &[
            "Đã đưa tin nhắn trở lại hàng đợi gửi.",
            "Không có tin nào gửi thất bại.",
        ],
    );
    // A receptionist cannot retry.
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let csrf = desk.csrf().await;
    desk.post("/can-bo/tin-nhan/gui-lai", &[("csrf", &csrf), ("id", &id)])
        .await
        .html(403, &[]);
}

/// The applicant page's URI of a new citizen, and the citizen.
async fn applicant(e: &Env) -> (String, cancuoc_store::Citizen) {
    let c = add_citizen(&e.store, "Nguyễn Văn Thử", "079090001234", T0).await;
    let handle = e.svc.citizen_ref(&e.world.receptionist, &c);
    (format!("/can-bo/tiep-nhan/cong-dan/{handle}"), c)
}

/// The open-dossier form as shown, with `extra` fields.
async fn open_form(desk: &Desk, uri: &str, extra: &[(&str, &str)]) -> Page {
    let page = desk.get(uri).await;
    let csrf = field_value(&page.html, "csrf");
    let khoa = field_value(&page.html, "khoa");
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("khoa", &khoa),
        ("ly_do", "first-issue"),
        ("hanh_dong", "lap_ho_so"),
    ];
    form.extend_from_slice(extra);
    desk.post(uri, &form).await
}

async fn the_reception_form_stores_the_consent_and_queues_the_notice(store: Store) {
    let e = env(store).await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let (uri, _) = applicant(&e).await;
    let opened = open_form(
        &desk,
        &uri,
        &[
            ("thong_bao", "1"),
            ("tb_dien_thoai", "0912 345 678"),
            ("tb_kenh", "zalo"),
        ],
    )
    .await;
    assert_eq!(opened.status, 303, "{}", opened.html);
    let code = opened
        .location
        .strip_prefix("/can-bo/ho-so/")
        .and_then(|l| l.strip_suffix("?ok=mo"))
        .expect("the dossier page")
        .to_owned();
    let out = e.svc.claim_outbound(10).await.expect("claim");
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].channel, Channel::Zalo);
    assert_eq!(out[0].recipient, "0912345678");
    match &out[0].body {
        OutboundBody::Notice {
            notice: Notice::Received { code: c, .. },
            ..
        } => assert_eq!(c.to_string(), code),
        other => panic!("not the reception notice: {other:?}"),
    }
}

async fn the_consent_phone_is_prefilled_from_the_record(store: Store) {
    let e = env(store).await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let (uri, _) = applicant(&e).await;
    desk.get(&uri).await.html(
        200,
        &[
            "Công dân đồng ý nhận thông báo về hồ sơ",
            "<input type=\"checkbox\" name=\"thong_bao\" value=\"1\" aria-describedby=\"thong_bao-hint\">",
            "name=\"tb_dien_thoai\" type=\"tel\" inputmode=\"tel\" autocomplete=\"off\" maxlength=\"20\" class=\"short\" value=\"0900000000\"",
            "<input type=\"radio\" name=\"tb_kenh\" value=\"sms\" checked>",
        ],
    );
    desk.get(&format!("{uri}?lang=en"))
        .await
        .html(200, &["The citizen agrees to be notified"]);
}

async fn a_bad_consent_phone_is_a_field_error(store: Store) {
    let e = env(store).await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let (uri, _) = applicant(&e).await;
    let refused = open_form(
        &desk,
        &uri,
        &[
            ("thong_bao", "1"),
            ("tb_dien_thoai", "091234567"),
            ("tb_kenh", "sms"),
        ],
    )
    .await;
    let msg = "Số điện thoại nhận thông báo: Bạn đã nhập 9 chữ số. Số điện thoại di động Việt Nam gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678), hoặc +84 rồi 9 chữ số.";
    refused.html(
        422,
        &[
            &format!("<a href=\"#tb_dien_thoai\">{msg}</a>"),
            &format!("<p class=\"field-error\" id=\"tb_dien_thoai-err\">{msg}</p>"),
            "value=\"091234567\" aria-invalid=\"true\"",
            "name=\"thong_bao\" value=\"1\" aria-describedby=\"thong_bao-hint\" checked",
        ],
    );
    // Ticked without a number.
    open_form(&desk, &uri, &[("thong_bao", "1"), ("tb_dien_thoai", "")])
        .await
        .html(
            422,
            &["Hãy nhập số điện thoại di động nhận thông báo, hoặc bỏ chọn ô “Công dân đồng ý nhận thông báo”."],
        );
    // A landline, in English.
    open_form(
        &desk,
        &format!("{uri}?lang=en"),
        &[("thong_bao", "1"), ("tb_dien_thoai", "024 3826 123")],
    )
    .await
    .html(
        422,
        &["Notification phone number: 024 is not a mobile prefix (landlines cannot receive text messages)."],
    );
    // Nothing was opened, nothing queued.
    assert!(e.svc.claim_outbound(10).await.expect("claim").is_empty());
}

async fn without_consent_nothing_is_queued(store: Store) {
    let e = env(store).await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    let (uri, _) = applicant(&e).await;
    // The number is there (prefilled) but the box is not ticked.
    let opened = open_form(
        &desk,
        &uri,
        &[("tb_dien_thoai", "0912345678"), ("tb_kenh", "sms")],
    )
    .await;
    assert_eq!(opened.status, 303, "{}", opened.html);
    assert!(e.svc.claim_outbound(10).await.expect("claim").is_empty());
}

async fn the_dashboard_shows_the_channels_table(store: Store) {
    let e = env(store).await;
    let desk = Desk::login(&e, &e.world.receptionist, "le.tiep.nhan").await;
    desk.get("/can-bo/qua-han").await.html(
        200,
        &[
            "<h2 id=\"channels\">Kênh hỏi đáp</h2>",
            "Chưa có cuộc gọi, tin nhắn hay thông báo nào trong 7 ngày qua.",
            "14/11/2026 10:00",
        ],
    );
    let id = handed_over(&e, "m1", "user-1").await;
    e.svc
        .chat_reply(&e.world.receptionist, id, "Xin chào")
        .await
        .expect("reply");
    let html = desk.get("/can-bo/qua-han").await;
    html.html(
        200,
        &[
            "<th scope=\"colgroup\" colspan=\"2\">Tra cứu tự động</th>",
            // Two messages in (the lookup, then "gặp cán bộ"), one lookup found,
            // one conversation handed over, one officer reply, one reply sent.
            "<tr><th scope=\"row\">Zalo</th><td>2</td><td>1</td><td>0</td><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td></tr>",
            "<tr><th scope=\"row\">Tổng cộng</th><td>2</td><td>1</td><td>0</td><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td></tr>",
        ],
    );
    desk.get("/can-bo/qua-han?lang=en").await.html(
        200,
        &["Channels", "Handed to an officer", "Officer replies"],
    );
}
