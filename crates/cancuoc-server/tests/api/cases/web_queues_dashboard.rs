//! The overdue dashboard (`/can-bo/qua-han`): per-office counts of open
//! dossiers on time, at risk and late, of cards waiting for their citizen
//! and of cards ready recently (on time or late, measured where the
//! offices' deadline ends, not at collection) match the
//! seeded data for every vantage point (district, commune, province,
//! centre), the late list is in promise order with its days late, the
//! chart is inline SVG that parses, and the page stays under 100 KB when
//! many dossiers are late.

use cancuoc_core::dossier::workflow::State;
use cancuoc_store::Store;
use jiff::civil::date;

use super::web_queues::linked_codes;
use super::web_queues_world::*;
use crate::world::*;

/// The inline chart of a page, parsed.
fn chart_of(html: &str) -> String {
    let start = html.find("<svg").expect("an inline SVG chart");
    let end = html[start..].find("</svg>").expect("closed") + start + "</svg>".len();
    let svg = &html[start..end];
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    let labelled = root.attribute("aria-labelledby").expect("labelled");
    for id in labelled.split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "{id} missing"
        );
    }
    svg.to_owned()
}

/// How many bars (rows) the chart draws.
fn bars(svg: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("svg");
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("g"))
        .count()
}

/// A line: on time, at risk, late, waiting for the citizen, then the
/// cards ready in the window on time and late.
fn row(name: &str, n: [i64; 6]) -> String {
    let late = if n[2] > 0 { " class=\"late\"" } else { "" };
    format!(
        "<tr><th scope=\"row\">{name}</th><td>{}</td><td>{}</td><td{late}>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        n[0], n[1], n[2], n[3], n[4], n[5]
    )
}

const EAST: &str = "Công an Huyện Đông Thử";
const WEST: &str = "Công an Huyện Tây Thử";

const DASHBOARD: &str = "/can-bo/qua-han";

/// Today is Saturday 21 Nov 2026; at risk = promised up to Monday 23.
/// East: 2 late, 2 at risk, 1 on time, 1 of 2 recent hand-overs on time;
/// West: 1 late, 2 on time. Returns the late ones: East's promised on the
/// 18th and 20th, West's on the 13th.
async fn seed_both_districts(f: &Fixture) -> [Seeded; 3] {
    let day = 86_400;
    let deadlines = Fixture::rule_deadlines;
    let seeds = vec![
        // East (DISTRICT): 2 late, 2 at risk, 1 on time.
        f.dossier(
            DISTRICT,
            1,
            State::Approved,
            date(2026, 11, 18),
            deadlines(),
            T0 - day,
        ),
        f.dossier(
            DISTRICT,
            2,
            State::Received,
            date(2026, 11, 20),
            deadlines(),
            T0 - day,
        ),
        f.dossier(
            DISTRICT,
            3,
            State::SentToCentre,
            date(2026, 11, 21),
            deadlines(),
            T0 - day,
        ),
        f.dossier(
            DISTRICT,
            4,
            State::Printed,
            date(2026, 11, 23),
            deadlines(),
            T0 - day,
        ),
        f.dossier(
            DISTRICT,
            5,
            State::Received,
            date(2026, 11, 30),
            deadlines(),
            T0 - day,
        ),
        // Handed over on time (18th for the 19th), late (12th for the
        // 10th), and long ago (outside the 30 days).
        f.dossier(
            DISTRICT,
            6,
            State::Returned,
            date(2026, 11, 19),
            deadlines(),
            T0 - 3 * day,
        ),
        f.dossier(
            DISTRICT,
            7,
            State::Returned,
            date(2026, 11, 10),
            deadlines(),
            T0 - 9 * day,
        ),
        f.dossier(
            DISTRICT,
            8,
            State::Returned,
            date(2026, 10, 1),
            deadlines(),
            T0 - 50 * day,
        ),
        // West (OTHER_DISTRICT): 1 late (promised Fri 13th), 2 on time.
        f.dossier(
            OTHER_DISTRICT,
            11,
            State::CommuneVerification,
            date(2026, 11, 13),
            deadlines(),
            T0 - day,
        ),
        f.dossier(
            OTHER_DISTRICT,
            12,
            State::Received,
            date(2026, 11, 30),
            deadlines(),
            T0 - day,
        ),
        f.dossier(
            OTHER_DISTRICT,
            13,
            State::Dispatched,
            date(2026, 12, 1),
            deadlines(),
            T0 - day,
        ),
    ];
    let s = f.insert(seeds).await;
    [s[0].clone(), s[1].clone(), s[8].clone()]
}

fn codes(seeded: &[&Seeded]) -> Vec<String> {
    seeded.iter().map(|s| s.code.to_string()).collect()
}

pub async fn an_empty_dashboard_draws_an_empty_chart_and_says_so(store: Store) {
    let w = world(store).await;
    let approver = login(&w, &w.router, &w.approver).await;
    // A chart that still parses, and plain words.
    let p = approver.get(&w.router, DASHBOARD).await;
    p.html(
        200,
        &[
            "Không có hồ sơ đang xử lý.",
            "Chưa có hồ sơ nào trong phạm vi này.",
            "Không có hồ sơ quá hạn.",
        ],
    );
    assert_eq!(bars(&chart_of(&p.html)), 0);
}

pub async fn the_centres_dashboard_counts_every_office_and_lists_the_late(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let [e_late18, e_late20, w_late13] = seed_both_districts(&f).await;
    let approver = login(&w, &w.router, &w.approver).await;
    // Both lines, the totals, the late list in promise order with its days
    // late.
    let p = approver.get(&w.router, DASHBOARD).await;
    p.html(
        200,
        &[
            "mọi đơn vị trên toàn quốc",
            &row(EAST, [1, 2, 2, 0, 1, 1]),
            &row(WEST, [2, 0, 1, 0, 0, 0]),
            "<tfoot>\n<tr><th scope=\"row\">Tổng cộng</th><td>3</td><td>2</td><td>3</td><td>0</td><td>1</td><td>1</td></tr>",
            "<span class=\"n\">3</span> quá hạn",
            "<span class=\"n\">1 / 2</span> thẻ có đúng hạn từ 22/10/2026",
            // Wed 18 → Sat 21: Thu and Fri, 3 calendar days.
            "<strong>2</strong> ngày làm việc <span class=\"hint\">(3 ngày lịch)</span>",
            // Fri 13 → Sat 21: five working days, 8 calendar days.
            "<strong>5</strong> ngày làm việc <span class=\"hint\">(8 ngày lịch)</span>",
        ],
    );
    assert!(
        p.html.find(&row(EAST, [1, 2, 2, 0, 1, 1])) < p.html.find(&row(WEST, [2, 0, 1, 0, 0, 0]))
    );
    assert_eq!(
        linked_codes(&p.html),
        codes(&[&w_late13, &e_late18, &e_late20])
    );
    let svg = chart_of(&p.html);
    assert_eq!(bars(&svg), 2);
    assert!(svg.contains("<title>Quá hạn: 2</title>"));
    assert!(svg.contains(EAST));
    assert!(p.html.len() < 100 * 1024);
}

pub async fn the_provinces_dashboard_oversees_both_districts(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    seed_both_districts(&f).await;
    let province = login(&w, &w.router, &w.province_officer).await;
    let p = province.get(&w.router, DASHBOARD).await;
    p.html(
        200,
        &[
            &row(EAST, [1, 2, 2, 0, 1, 1]),
            &row(WEST, [2, 0, 1, 0, 0, 0]),
        ],
    );
}

/// The dashboard of the officer holding `token` shows the line `mine`
/// only, never `theirs`, with one bar.
async fn only_one_line(w: &World, token: &str, mine: &str, theirs: &str) -> Page {
    let desk = login(w, &w.router, token).await;
    let p = desk.get(&w.router, DASHBOARD).await;
    p.html(200, &[mine]);
    assert!(!p.html.contains(theirs), "{theirs} shown to {mine}");
    assert_eq!(bars(&chart_of(&p.html)), 1);
    p
}

pub async fn a_districts_dashboard_shows_only_that_district(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let [e_late18, e_late20, _] = seed_both_districts(&f).await;
    let east = only_one_line(&w, &w.receptionist, &row(EAST, [1, 2, 2, 0, 1, 1]), WEST).await;
    assert_eq!(linked_codes(&east.html), codes(&[&e_late18, &e_late20]));
    only_one_line(
        &w,
        &w.other_receptionist,
        &row(WEST, [2, 0, 1, 0, 0, 0]),
        EAST,
    )
    .await;
}

pub async fn the_commune_polices_dashboard_shows_the_district_they_verify_for(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    seed_both_districts(&f).await;
    only_one_line(&w, &w.commune_police, &row(EAST, [1, 2, 2, 0, 1, 1]), WEST).await;
}

pub async fn the_dashboard_speaks_english_on_request(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    seed_both_districts(&f).await;
    let approver = login(&w, &w.router, &w.approver).await;
    let p = approver
        .get(&w.router, &format!("{DASHBOARD}?lang=en"))
        .await;
    p.html(
        200,
        &[
            "<html lang=\"en\">",
            "Open dossiers by office: on time, at risk, late",
            "every office nationwide",
            "cards ready on time since 22/10/2026",
        ],
    );
    chart_of(&p.html);
}

pub async fn many_late_dossiers_are_all_counted_on_a_small_page(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    seed_both_districts(&f).await;
    // The counts cover them all, the list shows the oldest hundred.
    f.insert(
        (200..350)
            .map(|r| {
                f.dossier(
                    OTHER_DISTRICT,
                    r,
                    State::Approved,
                    date(2026, 11, 12),
                    Fixture::rule_deadlines(),
                    T0 - 86_400,
                )
            })
            .collect(),
    )
    .await;
    let approver = login(&w, &w.router, &w.approver).await;
    let p = approver.get(&w.router, DASHBOARD).await;
    p.html(
        200,
        &[&row(WEST, [2, 0, 151, 0, 0, 0]), "Hiện 100 / 153 hồ sơ"],
    );
    assert_eq!(linked_codes(&p.html).len(), 100);
    assert!(p.html.len() < 100 * 1024, "{} bytes", p.html.len());
    // The most late office comes first now.
    assert!(
        p.html.find(&row(WEST, [2, 0, 151, 0, 0, 0])) < p.html.find(&row(EAST, [1, 2, 2, 0, 1, 1]))
    );
}

pub async fn a_card_collected_late_or_still_waiting_is_not_counted_late(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;
    let day = 86_400;
    let deadlines = Fixture::rule_deadlines;
    // Ready on the 9th for the 10th and still waiting on the 21st; ready
    // on the 18th for the 19th and collected only today.
    let mut seeds = vec![
        f.dossier(
            DISTRICT,
            31,
            State::ReadyForPickup,
            date(2026, 11, 10),
            deadlines(),
            T0 - 12 * day,
        ),
        f.dossier(
            DISTRICT,
            32,
            State::Returned,
            date(2026, 11, 19),
            deadlines(),
            T0 - 3 * day,
        ),
    ];
    if let Some(ev) = seeds[1].events.last_mut() {
        ev.at = T0;
    }
    f.insert(seeds).await;
    let approver = login(&w, &w.router, &w.approver).await;
    let p = approver.get(&w.router, DASHBOARD).await;
    p.html(
        200,
        &[
            &row(EAST, [0, 0, 0, 1, 2, 0]),
            "<span class=\"n\">0</span> quá hạn",
            "<span class=\"n\">1</span> thẻ đã có, chờ công dân nhận",
            "<span class=\"n\">2 / 2</span> thẻ có đúng hạn từ",
            "Không có hồ sơ quá hạn.",
        ],
    );
}
