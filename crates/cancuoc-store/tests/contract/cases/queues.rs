//! Work queues and deadline overviews: one state within an office scope
//! (all, one office, an office's subtree), most urgent first with keyset
//! paging; counts per state; open dossiers per office against their
//! promised dates; hand-overs grouped by civil day.

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_store::*;
use jiff::civil::{Date, date};

use crate::fixtures::*;

/// A dossier of `office` walked along `path` (one hour per step from `t`),
/// promised for `promised`.
fn walked(
    office: u16,
    random: u32,
    citizen: CitizenId,
    promised: Date,
    t: i64,
    path: &[(State, &Officer)],
) -> SeedDossier {
    let mut events = Vec::new();
    let mut from = None;
    for (i, (to, who)) in path.iter().enumerate() {
        let i = i as i64;
        events.push(EventRecord {
            seq: i + 1,
            at: t + 3600 * i,
            actor: Some(who.id),
            actor_role: who.role,
            from,
            to: *to,
            note: None,
            kind: cancuoc_store::EventKind::Transition,
        });
        from = Some(*to);
    }
    SeedDossier {
        code: DossierCode::new(u32::from(office), today(), random).expect("code"),
        kind: cancuoc_core::rules::kinds::IssueKind::First,
        reason: None,
        office,
        citizen,
        fee_vnd: 0,
        exemption: None,
        charged: None,
        received_on: date(2026, 11, 2),
        deadlines: Vec::new(),
        promised_on: promised,
        events,
    }
}

fn to_printing<'a>(w: &'a World, receptionist: &'a Officer) -> Vec<(State, &'a Officer)> {
    vec![
        (State::Received, receptionist),
        (State::Captured, receptionist),
        (State::SlipIssued, receptionist),
        (State::SentToCentre, receptionist),
        (State::Approved, &w.approver.officer),
    ]
}

pub async fn queues_by_scope_urgency_and_pages(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Trần Thị Hàng Đợi", "079090000031").await;
    let east = to_printing(&w, &w.receptionist);
    let west = to_printing(&w, &w.other_receptionist);
    // Waiting for printing: three at DISTRICT, two at OTHER_DISTRICT, with
    // promises out of insertion order; one already printed.
    let batch = vec![
        walked(DISTRICT, 1, c.id, date(2026, 11, 27), T0, &east),
        walked(DISTRICT, 2, c.id, date(2026, 11, 20), T0, &east),
        walked(OTHER_DISTRICT, 3, c.id, date(2026, 11, 25), T0, &west),
        walked(DISTRICT, 4, c.id, date(2026, 11, 25), T0, &east),
        walked(OTHER_DISTRICT, 5, c.id, date(2026, 11, 18), T0, &west),
        walked(
            DISTRICT,
            6,
            c.id,
            date(2026, 11, 19),
            T0,
            &[east.clone(), vec![(State::Printed, &w.printer.officer)]].concat(),
        ),
    ];
    s.bulk_insert_dossiers(&batch, None, T0)
        .await
        .expect("seed");
    let randoms = |v: &[QueueEntry]| {
        v.iter()
            .map(|e| e.dossier.code.random())
            .collect::<Vec<_>>()
    };

    // Nationally (the centre's printing queue): by promise, then arrival.
    let all = s
        .queue(OfficeScope::All, State::Approved, None, 50)
        .await
        .expect("all");
    assert_eq!(randoms(&all), [5, 2, 3, 4, 1]);
    assert_eq!(all[0].citizen_name, "Trần Thị Hàng Đợi");
    assert!(all.iter().all(|e| e.dossier.events.is_empty()));
    assert_eq!(all[0].dossier.state, State::Approved);
    assert_eq!(all[0].dossier.version, 5);

    // Keyset pages of two: no item lost or repeated, including across the
    // two dossiers with the same promise.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = s
            .queue(OfficeScope::All, State::Approved, after, 2)
            .await
            .expect("page");
        seen.extend(randoms(&page));
        match QueueCursor::next(&page, 2) {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, [5, 2, 3, 4, 1]);

    // One office; a subtree (the province holds both districts); a
    // district's subtree is itself (its commune receives nothing).
    let east_only = s
        .queue(OfficeScope::Office(DISTRICT), State::Approved, None, 50)
        .await
        .expect("office");
    assert_eq!(randoms(&east_only), [2, 4, 1]);
    let province = s
        .queue(OfficeScope::Subtree(PROVINCE), State::Approved, None, 50)
        .await
        .expect("province");
    assert_eq!(randoms(&province), [5, 2, 3, 4, 1]);
    let sub = s
        .queue(OfficeScope::Subtree(DISTRICT), State::Approved, None, 50)
        .await
        .expect("district subtree");
    assert_eq!(randoms(&sub), [2, 4, 1]);
    assert!(
        s.queue(OfficeScope::Subtree(CENTRE), State::Approved, None, 50)
            .await
            .expect("centre subtree")
            .is_empty()
    );
    let printed = s
        .queue(OfficeScope::Office(DISTRICT), State::Printed, None, 50)
        .await
        .expect("printed");
    assert_eq!(randoms(&printed), [6]);

    // Counts per state, in the order asked.
    assert_eq!(
        s.queue_counts(
            OfficeScope::All,
            &[State::Printed, State::Approved, State::Received]
        )
        .await
        .expect("counts"),
        vec![
            (State::Printed, 1),
            (State::Approved, 5),
            (State::Received, 0)
        ]
    );
    assert_eq!(
        s.queue_counts(OfficeScope::Office(OTHER_DISTRICT), &[State::Approved])
            .await
            .expect("counts west"),
        vec![(State::Approved, 2)]
    );
    assert_eq!(
        s.queue_counts(OfficeScope::Subtree(PROVINCE), &[State::Approved])
            .await
            .expect("counts province"),
        vec![(State::Approved, 5)]
    );
}

pub async fn open_and_finished_timeliness_per_office(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Lê Văn Tổng Hợp", "079090000032").await;
    let r = &w.receptionist.officer;
    let o = &w.other_receptionist.officer;
    let rec_east = vec![(State::Received, r)];
    let rec_west = vec![(State::Received, o)];
    // Returned: the walk to printing, then dispatch and hand-over (9
    // events, one hour apart: the hand-over is 8 h after the first).
    let tail = [
        (State::Printed, &w.printer.officer),
        (State::Dispatched, &w.dispatcher.officer),
        (State::ReadyForPickup, &w.return_officer.officer),
        (State::Returned, &w.return_officer.officer),
    ];
    let ret_east = [to_printing(&w, r), tail.to_vec()].concat();
    let ret_west = [to_printing(&w, o), tail.to_vec()].concat();
    // Starting 2026-11-19 10:00 UTC, handed over at 18:00 UTC: still the
    // 19th at UTC, already 01:00 on the 20th in Vietnam.
    let t_19_10utc = T0 - 2 * 86_400 + 17 * 3600;
    let batch = vec![
        // DISTRICT, open: late (promised 18th and 20th), at risk (21st,
        // 24th), running (30th).
        walked(DISTRICT, 11, c.id, date(2026, 11, 18), T0, &rec_east),
        walked(DISTRICT, 12, c.id, date(2026, 11, 20), T0, &rec_east),
        walked(DISTRICT, 13, c.id, date(2026, 11, 21), T0, &rec_east),
        walked(DISTRICT, 14, c.id, date(2026, 11, 24), T0, &rec_east),
        walked(DISTRICT, 15, c.id, date(2026, 11, 30), T0, &rec_east),
        // OTHER_DISTRICT, open: one running.
        walked(OTHER_DISTRICT, 16, c.id, date(2026, 12, 2), T0, &rec_west),
        // Refused: closed, counted nowhere.
        walked(
            DISTRICT,
            17,
            c.id,
            date(2026, 11, 1),
            T0,
            &[(State::Received, r), (State::Refused, r)],
        ),
        // Returned on the 19th (UTC) / 20th (Vietnam), promised the 19th.
        walked(
            DISTRICT,
            18,
            c.id,
            date(2026, 11, 19),
            t_19_10utc,
            &ret_east,
        ),
        walked(
            OTHER_DISTRICT,
            19,
            c.id,
            date(2026, 11, 19),
            t_19_10utc,
            &ret_west,
        ),
        // Returned long ago: outside the window.
        walked(
            DISTRICT,
            20,
            c.id,
            date(2026, 10, 1),
            T0 - 60 * 86_400,
            &ret_east,
        ),
        // Ready for pickup on the 20th (Vietnam), promised the 20th, not
        // collected yet: the offices' deadline is met, never overdue.
        walked(
            DISTRICT,
            21,
            c.id,
            date(2026, 11, 20),
            t_19_10utc,
            &ret_east[..ret_east.len() - 1],
        ),
        // Ready on the 20th, promised the 20th, collected a day late (the
        // 21st, below): on time, the pickup delay is the citizen's.
        walked(
            DISTRICT,
            22,
            c.id,
            date(2026, 11, 20),
            t_19_10utc,
            &ret_east,
        ),
    ];
    // Notes: the refusal needs a reason.
    let mut batch = batch;
    if let Some(ev) = batch[6].events.last_mut() {
        ev.note = Some("Thiếu giấy tờ (thử)".into());
    }
    if let Some(ev) = batch[11].events.last_mut() {
        ev.at = T0;
    }
    s.bulk_insert_dossiers(&batch, None, T0)
        .await
        .expect("seed");

    let horizon = date(2026, 11, 24);
    let all = s
        .open_timeliness(OfficeScope::All, today(), horizon)
        .await
        .expect("all");
    assert_eq!(
        all,
        vec![
            OpenTimeliness {
                office: DISTRICT,
                open: 6,
                late: 2,
                at_risk: 2,
                awaiting_pickup: 1,
                booked: 0,
            },
            OpenTimeliness {
                office: OTHER_DISTRICT,
                open: 1,
                late: 0,
                at_risk: 0,
                awaiting_pickup: 0,
                booked: 0,
            },
        ]
    );
    assert_eq!(
        s.open_timeliness(OfficeScope::Office(OTHER_DISTRICT), today(), horizon)
            .await
            .expect("west"),
        vec![all[1]]
    );
    assert_eq!(
        s.open_timeliness(OfficeScope::Subtree(PROVINCE), today(), horizon)
            .await
            .expect("province"),
        all
    );
    assert!(
        s.open_timeliness(OfficeScope::Subtree(CENTRE), today(), horizon)
            .await
            .expect("centre")
            .is_empty()
    );

    // The longest overdue, across the scope: the two late ones of
    // DISTRICT, oldest promise first; none elsewhere.
    let late = s
        .overdue_in_scope(OfficeScope::All, today(), 10)
        .await
        .expect("late");
    assert_eq!(
        late.iter()
            .map(|d| (d.office, d.promised_on))
            .collect::<Vec<_>>(),
        [
            (DISTRICT, date(2026, 11, 18)),
            (DISTRICT, date(2026, 11, 20))
        ]
    );
    assert!(late.iter().all(|d| !d.state.is_terminal()), "{late:?}");
    let first = s
        .overdue_in_scope(OfficeScope::Subtree(PROVINCE), today(), 1)
        .await
        .expect("first");
    assert_eq!(
        first.iter().map(|d| d.code).collect::<Vec<_>>(),
        [late[0].code]
    );
    for scope in [
        OfficeScope::Office(OTHER_DISTRICT),
        OfficeScope::Subtree(CENTRE),
    ] {
        assert!(
            s.overdue_in_scope(scope, today(), 10)
                .await
                .expect("none")
                .is_empty(),
            "{scope:?}"
        );
    }

    // Cards ready in the last 30 days, by the civil day they became ready
    // (not the day collected) in Vietnam and at UTC.
    let since = T0 - 30 * 86_400;
    let vn = s
        .finished_since(OfficeScope::All, since, 7 * 3600)
        .await
        .expect("vn");
    let day = |g: &FinishedGroup| (g.office, g.promised_on, g.finished_on, g.count);
    assert_eq!(
        vn.iter().map(day).collect::<Vec<_>>(),
        vec![
            (DISTRICT, date(2026, 11, 19), date(2026, 11, 20), 1),
            (DISTRICT, date(2026, 11, 20), date(2026, 11, 20), 2),
            (OTHER_DISTRICT, date(2026, 11, 19), date(2026, 11, 20), 1),
        ]
    );
    let utc = s
        .finished_since(OfficeScope::Office(DISTRICT), since, 0)
        .await
        .expect("utc");
    assert_eq!(
        utc.iter().map(day).collect::<Vec<_>>(),
        vec![
            (DISTRICT, date(2026, 11, 19), date(2026, 11, 19), 1),
            (DISTRICT, date(2026, 11, 20), date(2026, 11, 19), 2),
        ]
    );
    assert_eq!(
        s.finished_since(OfficeScope::Subtree(PROVINCE), since, 7 * 3600)
            .await
            .expect("province")
            .len(),
        3
    );
    // The one returned 60 days ago appears with a wider window.
    assert_eq!(
        s.finished_since(OfficeScope::All, T0 - 90 * 86_400, 7 * 3600)
            .await
            .expect("wide")
            .iter()
            .map(|g| g.count)
            .sum::<i64>(),
        5
    );
}
