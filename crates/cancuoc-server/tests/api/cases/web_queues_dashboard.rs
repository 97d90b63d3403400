//! The overdue dashboard (`/can-bo/qua-han`): per-office counts of open
//! dossiers on time, at risk and late and of recent hand-overs match the
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

fn row(name: &str, n: [i64; 5]) -> String {
    let late = if n[2] > 0 { " class=\"late\"" } else { "" };
    format!(
        "<tr><th scope=\"row\">{name}</th><td>{}</td><td>{}</td><td{late}>{}</td><td>{}</td><td>{}</td></tr>",
        n[0], n[1], n[2], n[3], n[4]
    )
}

const EAST: &str = "Công an Huyện Đông Thử";
const WEST: &str = "Công an Huyện Tây Thử";

pub async fn web_dashboard_counts_chart_and_late_list(store: Store) {
    let w = world(store).await;
    let f = Fixture::new(&w).await;

    // Nothing yet: an empty chart that still parses, and plain words.
    let approver = login(&w, &w.router, &w.approver).await;
    let p = approver.get(&w.router, "/can-bo/qua-han").await;
    p.html(
        200,
        &[
            "Không có hồ sơ đang xử lý.",
            "Chưa có hồ sơ nào trong phạm vi này.",
            "Không có hồ sơ quá hạn.",
        ],
    );
    assert_eq!(bars(&chart_of(&p.html)), 0);

    // Today is Saturday 21 Nov 2026; at risk = promised up to Monday 23.
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
    let (e_late18, e_late20, w_late13) = (&s[0], &s[1], &s[8]);

    // The centre sees every office: both lines, the totals, the late list
    // in promise order with its days late.
    let p = approver.get(&w.router, "/can-bo/qua-han").await;
    p.html(
        200,
        &[
            "mọi đơn vị trên toàn quốc",
            &row(EAST, [1, 2, 2, 1, 1]),
            &row(WEST, [2, 0, 1, 0, 0]),
            "<tfoot>\n<tr><th scope=\"row\">Tổng cộng</th><td>3</td><td>2</td><td>3</td><td>1</td><td>1</td></tr>",
            "<span class=\"n\">3</span> quá hạn",
            "<span class=\"n\">1 / 2</span> đã trả đúng hạn từ 22/10/2026",
            // Wed 18 → Sat 21: Thu and Fri, 3 calendar days.
            "<strong>2</strong> ngày làm việc <span class=\"hint\">(3 ngày lịch)</span>",
            // Fri 13 → Sat 21: five working days, 8 calendar days.
            "<strong>5</strong> ngày làm việc <span class=\"hint\">(8 ngày lịch)</span>",
        ],
    );
    assert!(p.html.find(&row(EAST, [1, 2, 2, 1, 1])) < p.html.find(&row(WEST, [2, 0, 1, 0, 0])));
    assert_eq!(
        linked_codes(&p.html),
        [w_late13, e_late18, e_late20]
            .iter()
            .map(|s| s.code.to_string())
            .collect::<Vec<_>>()
    );
    let svg = chart_of(&p.html);
    assert_eq!(bars(&svg), 2);
    assert!(svg.contains("<title>Quá hạn: 2</title>"));
    assert!(svg.contains(EAST));
    assert!(p.html.len() < 100 * 1024);

    // The province oversees both districts; a district only itself; the
    // commune police the district they verify for.
    let province = login(&w, &w.router, &w.province_officer).await;
    let p = province.get(&w.router, "/can-bo/qua-han").await;
    p.html(
        200,
        &[&row(EAST, [1, 2, 2, 1, 1]), &row(WEST, [2, 0, 1, 0, 0])],
    );
    for (token, mine, theirs) in [
        (&w.receptionist, row(EAST, [1, 2, 2, 1, 1]), WEST),
        (&w.commune_police, row(EAST, [1, 2, 2, 1, 1]), WEST),
        (&w.other_receptionist, row(WEST, [2, 0, 1, 0, 0]), EAST),
    ] {
        let desk = login(&w, &w.router, token).await;
        let p = desk.get(&w.router, "/can-bo/qua-han").await;
        p.html(200, &[&mine]);
        assert!(!p.html.contains(theirs), "{theirs} shown to {mine}");
        assert_eq!(bars(&chart_of(&p.html)), 1);
    }
    let east = login(&w, &w.router, &w.receptionist).await;
    let p = east.get(&w.router, "/can-bo/qua-han").await;
    assert_eq!(
        linked_codes(&p.html),
        [e_late18, e_late20]
            .iter()
            .map(|s| s.code.to_string())
            .collect::<Vec<_>>()
    );

    // English.
    let p = approver.get(&w.router, "/can-bo/qua-han?lang=en").await;
    p.html(
        200,
        &[
            "<html lang=\"en\">",
            "Open dossiers by office: on time, at risk, late",
            "every office nationwide",
            "handed over on time since 22/10/2026",
        ],
    );
    chart_of(&p.html);

    // Many late dossiers: the counts cover them all, the list shows the
    // oldest hundred, the page stays small.
    f.insert(
        (200..350)
            .map(|r| {
                f.dossier(
                    OTHER_DISTRICT,
                    r,
                    State::Approved,
                    date(2026, 11, 12),
                    deadlines(),
                    T0 - day,
                )
            })
            .collect(),
    )
    .await;
    let p = approver.get(&w.router, "/can-bo/qua-han").await;
    p.html(
        200,
        &[&row(WEST, [2, 0, 151, 0, 0]), "Hiện 100 / 153 hồ sơ"],
    );
    assert_eq!(linked_codes(&p.html).len(), 100);
    assert!(p.html.len() < 100 * 1024, "{} bytes", p.html.len());
    // The most late office comes first now.
    assert!(p.html.find(&row(WEST, [2, 0, 151, 0, 0])) < p.html.find(&row(EAST, [1, 2, 2, 1, 1])));
}
