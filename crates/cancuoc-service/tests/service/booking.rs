//! Appointments through `Service`: a seat of an offered slot only, never
//! more than the slot's seats, moves and cancellations that need the
//! phone, and reception receiving its own office's appointments once.

use cancuoc_core::booking::BookingCode;
use cancuoc_core::i18n::Localized;
use cancuoc_core::person::FullName;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::model::BookingState;
use cancuoc_service::{
    BookingRequest, Client, ErrorClass, Presence, Received, Service, ServiceError,
};
use cancuoc_store::Store;
use cancuoc_testkit::world::{CENTRE, DISTRICT};
use jiff::civil::{Date, date};

use crate::setup;

fn request(office: u16, day: Date, start: u16, phone: &str) -> BookingRequest {
    BookingRequest {
        office,
        day,
        start,
        full_name: FullName::parse("Ngô Thị Đặt").expect("name"),
        phone: PhoneNumber::parse(phone).expect("phone"),
        personal_id: None,
    }
}

#[track_caller]
fn refused<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> ServiceError {
    match r {
        Err(e) => e,
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

pub async fn booking_takes_a_seat_of_an_offered_slot_only(store: Store) {
    let (_w, svc) = setup(store).await;
    // Monday 2026-11-23: tomorrow 07:30 is offered.
    let b = svc
        .book_unchecked(request(DISTRICT, date(2026, 11, 24), 450, "0912345678"))
        .await
        .expect("book");
    assert_eq!(
        (b.office, b.day, b.start_min, b.end_min),
        (DISTRICT, date(2026, 11, 24), 450, 480)
    );
    assert_eq!(b.state, BookingState::Booked);
    assert!(BookingCode::parse(&b.code).is_ok(), "{}", b.code);
    // Today, a Sunday, a slot between slots, past the window, an office
    // that takes no appointments: invalid, each with its reason.
    for (office, day, start) in [
        (DISTRICT, date(2026, 11, 23), 450),
        (DISTRICT, date(2026, 11, 29), 450),
        (DISTRICT, date(2026, 11, 24), 455),
        (DISTRICT, date(2026, 12, 7), 450),
        (CENTRE, date(2026, 11, 24), 450),
        (4242, date(2026, 11, 24), 450),
    ] {
        let e = refused(
            svc.book_unchecked(request(office, day, start, "0912345678"))
                .await,
        );
        assert_eq!(
            e.class(),
            ErrorClass::Invalid,
            "{office} {day} {start}: {e:?}"
        );
    }
    // A slot has capacity / slots seats (200 a day over 15 slots: 14 here);
    // the one after the last is a conflict, and nothing is kept.
    let offers = svc
        .booking_offers(&svc.office(DISTRICT).await.expect("office"))
        .await
        .expect("offers");
    let day = offers
        .open
        .iter()
        .find(|d| d.day == date(2026, 11, 25))
        .expect("Wednesday open");
    let seats = day
        .slots
        .iter()
        .find(|s| s.start == 810)
        .expect("13:30")
        .free;
    for i in 0..seats {
        svc.book_unchecked(request(
            DISTRICT,
            date(2026, 11, 25),
            810,
            &format!("09123450{:02}", i % 100),
        ))
        .await
        .expect("a free seat");
    }
    let full = refused(
        svc.book_unchecked(request(DISTRICT, date(2026, 11, 25), 810, "0987654321"))
            .await,
    );
    assert_eq!(full.class(), ErrorClass::Conflict, "{full:?}");
}

pub async fn moving_and_cancelling_need_the_phone(store: Store) {
    let (_w, svc) = setup(store).await;
    let b = svc
        .book_unchecked(request(DISTRICT, date(2026, 11, 24), 480, "0912345678"))
        .await
        .expect("book");
    let code = BookingCode::parse(&b.code).expect("code");
    let right = PhoneNumber::parse("+84 912 345 678").expect("phone");
    let wrong = PhoneNumber::parse("0912345679").expect("phone");
    // A wrong phone is the same answer as an unknown code.
    assert_eq!(
        refused(svc.find_booking(&code, &wrong, client(99)).await).class(),
        ErrorClass::NotFound
    );
    assert_eq!(
        refused(
            svc.move_booking(&code, &wrong, date(2026, 11, 25), 480, client(99))
                .await
        )
        .class(),
        ErrorClass::NotFound
    );
    // Moved with the right phone, typed another way.
    let moved = svc
        .move_booking(&code, &right, date(2026, 11, 25), 510, client(99))
        .await
        .expect("move");
    assert_eq!((moved.day, moved.start_min), (date(2026, 11, 25), 510));
    // To a slot not offered: invalid, and it keeps its seat.
    let e = refused(
        svc.move_booking(&code, &right, date(2026, 11, 29), 480, client(99))
            .await,
    );
    assert_eq!(e.class(), ErrorClass::Invalid);
    assert_eq!(
        svc.booking(&code, client(99)).await.expect("b").start_min,
        510
    );
    // Cancelled: then closed to every change.
    let cancelled = svc
        .cancel_booking(&code, &right, client(99))
        .await
        .expect("cancel");
    assert_eq!(cancelled.state, BookingState::Cancelled);
    let e = refused(svc.cancel_booking(&code, &right, client(99)).await);
    assert_eq!(e.class(), ErrorClass::Conflict);
}

pub async fn reception_receives_its_own_appointments_once(store: Store) {
    let (w, svc) = setup(store).await;
    let b = svc
        .book_unchecked(request(DISTRICT, date(2026, 11, 24), 540, "0912345678"))
        .await
        .expect("book");
    let code = BookingCode::parse(&b.code).expect("code");
    // Another district's desk does not see it: not here, nothing changed.
    assert_eq!(
        svc.mark_booking_received(&w.other_receptionist, &code)
            .await
            .expect("other desk"),
        Received::NotHere
    );
    assert!(
        svc.reception_prefill(&w.other_receptionist, &code)
            .await
            .expect("prefill")
            .is_none(),
        "another office's desk cannot read the appointment"
    );
    assert_eq!(
        svc.booking(&code, client(99)).await.expect("b").state,
        BookingState::Booked
    );
    // Its own desk: received, then already received.
    let prefill = svc
        .reception_prefill(&w.receptionist, &code)
        .await
        .expect("prefill")
        .expect("own office");
    assert_eq!(prefill.booking.full_name, "Ngô Thị Đặt");
    assert!(prefill.declaration.is_none());
    for want in [Received::Marked, Received::Already] {
        assert_eq!(
            svc.mark_booking_received(&w.receptionist, &code)
                .await
                .expect("receive"),
            want
        );
    }
    // The day's list shows it received; a cancelled one stays cancelled.
    let (_, list) = svc
        .day_bookings(&w.receptionist, DISTRICT, Some(date(2026, 11, 24)))
        .await
        .expect("list");
    assert_eq!(list[0].state, BookingState::Received);
}

/// A client at `last` (192.0.2.`last`).
fn client(last: u8) -> Client {
    Client::new(std::net::IpAddr::from([192, 0, 2, last]))
}

/// Free seats of the slot at `start` on `day` at the district office.
async fn free_at(svc: &Service, day: Date, start: u16) -> Option<u32> {
    let office = svc.office(DISTRICT).await.expect("office");
    let offers = svc.booking_offers(&office).await.expect("offers");
    offers
        .open
        .iter()
        .find(|o| o.day == day)
        .and_then(|o| o.slots.iter().find(|s| s.start == start))
        .map(|s| s.free)
}

/// A challenge issued to `client` whose answer is 42.
async fn solved(svc: &Service, client: Client) -> String {
    svc.issue_captcha("42", None, client)
        .await
        .expect("captcha")
}

/// Books `req` as the public does: a fresh captcha, answered right.
async fn book_public(
    svc: &Service,
    req: BookingRequest,
    from: Client,
) -> Result<cancuoc_service::model::Booking, ServiceError> {
    let id = solved(svc, from).await;
    svc.book(
        req,
        Presence::Captcha {
            id: &id,
            answer: "42",
        },
        from,
    )
    .await
}

/// The hoarding attack: one script books seat after seat. Without a
/// solved captcha nothing is booked; with one each, a client's burst of
/// bookings is all it gets; one phone holds at most three upcoming
/// appointments and one personal ID one, whatever the clients.
pub async fn a_client_cannot_hoard_a_days_seats(store: Store) {
    let (_w, svc) = setup(store).await;
    let day = date(2026, 11, 24);
    let before = free_at(&svc, day, 450).await;
    assert!(before.is_some_and(|n| n > 0), "{before:?}");
    // No captcha, a wrong one, a spent one: refused, nothing booked.
    let e = refused(
        svc.book(
            request(DISTRICT, day, 450, "0912345001"),
            Presence::Captcha { id: "", answer: "" },
            client(1),
        )
        .await,
    );
    assert_eq!(e.class(), ErrorClass::Invalid);
    assert_eq!(e.code(), "captcha.unknown");
    let id = solved(&svc, client(1)).await;
    let wrong = Presence::Captcha {
        id: &id,
        answer: "41",
    };
    let e = refused(
        svc.book(request(DISTRICT, day, 450, "0912345001"), wrong, client(1))
            .await,
    );
    assert_eq!(e.code(), "captcha.wrong");
    let right_but_spent = Presence::Captcha {
        id: &id,
        answer: "42",
    };
    let e = refused(
        svc.book(
            request(DISTRICT, day, 450, "0912345001"),
            right_but_spent,
            client(1),
        )
        .await,
    );
    assert_eq!(e.code(), "captcha.used");
    assert_eq!(
        free_at(&svc, day, 450).await,
        before,
        "a refused captcha takes no seat"
    );

    // One client, a new phone each time: the burst of the booking rate
    // (5) and then refusals saying when to come back.
    let mut booked = 0;
    let mut limited = 0;
    for i in 0..20u32 {
        let phone = format!("09123452{i:02}");
        match book_public(&svc, request(DISTRICT, day, 480, &phone), client(2)).await {
            Ok(_) => booked += 1,
            Err(e) if e.class() == ErrorClass::Limited => {
                limited += 1;
                assert!(e.retry_after().is_some_and(|s| s > 0), "{e:?}");
            }
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((booked, limited), (5, 15), "a client books its burst only");

    // One phone from many clients: three upcoming appointments, then a
    // conflict naming the rule.
    let mut results = Vec::new();
    for i in 0..5u8 {
        results.push(
            book_public(
                &svc,
                request(DISTRICT, day, 510, "0987000111"),
                client(10 + i),
            )
            .await,
        );
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3);
    let e = results.into_iter().find_map(Result::err).expect("refused");
    assert_eq!(e.class(), ErrorClass::Conflict);
    assert_eq!(e.code(), "store.holder_limit.phone");
    assert!(e.message_en().contains("phone"), "{}", e.message_en());

    // One personal ID: one upcoming appointment, whatever the phone.
    let pid = cancuoc_core::id::PersonalId::parse("079290000017").ok();
    let mut with_id = request(DISTRICT, day, 540, "0987000222");
    with_id.personal_id = pid;
    book_public(&svc, with_id.clone(), client(20))
        .await
        .expect("first appointment of the ID");
    with_id.phone = PhoneNumber::parse("0987000333").expect("phone");
    let e = refused(book_public(&svc, with_id.clone(), client(21)).await);
    assert_eq!(e.code(), "store.holder_limit.personal_id");
    assert!(e.message_vi().contains("định danh"), "{}", e.message_vi());
}

/// Concurrent bookings for one phone are counted one after the other (the
/// store's transaction): of 8 at once, exactly 3 are booked.
pub async fn concurrent_bookings_of_one_phone_stop_at_the_cap(store: Store) {
    let (_w, svc) = setup(store).await;
    let svc = std::sync::Arc::new(svc);
    let day = date(2026, 11, 25);
    let mut tasks = Vec::new();
    for i in 0..8u8 {
        let svc = std::sync::Arc::clone(&svc);
        tasks.push(tokio::spawn(async move {
            book_public(
                &svc,
                request(DISTRICT, day, 450 + 30 * u16::from(i % 4), "0977000444"),
                client(30 + i),
            )
            .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code(), "store.holder_limit.phone", "{e:?}"),
        }
    }
    assert_eq!(ok, 3);
}

/// A cancelled appointment, or one whose day has passed, no longer
/// counts: the phone may book again.
pub async fn cancelled_appointments_free_the_cap(store: Store) {
    let (_w, svc) = setup(store).await;
    let day = date(2026, 11, 26);
    let mut codes = Vec::new();
    for i in 0..3u8 {
        let b = book_public(
            &svc,
            request(DISTRICT, day, 450, "0966000555"),
            client(40 + i),
        )
        .await
        .expect("book");
        codes.push(b.code);
    }
    let e = refused(book_public(&svc, request(DISTRICT, day, 450, "0966000555"), client(44)).await);
    assert_eq!(e.code(), "store.holder_limit.phone");
    let code = BookingCode::parse(&codes[0]).expect("code");
    let phone = PhoneNumber::parse("0966000555").expect("phone");
    svc.cancel_booking(&code, &phone, client(99))
        .await
        .expect("cancel");
    book_public(&svc, request(DISTRICT, day, 450, "0966000555"), client(45))
        .await
        .expect("a cancelled one frees its place");
}

/// Concurrent phone guesses for one booking code from one address (25,
/// within its appointment lookups): each is
/// counted before the store is read, so exactly five are checked (not
/// found) and the rest are refused with the time to wait. Spread over
/// addresses, the code soft-locks after ten: an address that guessed wrong
/// is refused, a clean one is checked once, and the owner's right phone
/// from a clean address opens the booking.
pub async fn concurrent_phone_guesses_of_a_code_stop_at_five(store: Store) {
    let (_w, svc) = setup(store).await;
    let b = svc
        .book_unchecked(request(DISTRICT, date(2026, 11, 24), 450, "0912345678"))
        .await
        .expect("book");
    let code = BookingCode::parse(&b.code).expect("code");
    let svc = std::sync::Arc::new(svc);
    let mut tasks = Vec::new();
    for i in 0..25u8 {
        let svc = std::sync::Arc::clone(&svc);
        tasks.push(tokio::spawn(async move {
            let guess = PhoneNumber::parse(&format!("09000000{i:02}")).expect("phone");
            svc.find_booking(&code, &guess, client(100)).await
        }));
    }
    let (mut missed, mut limited) = (0, 0);
    for t in tasks {
        match t.await.expect("task") {
            Err(e) if e.class() == ErrorClass::NotFound => missed += 1,
            Err(e) if e.class() == ErrorClass::Limited => {
                assert_eq!(e.code(), "limit.booking_phone");
                limited += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((missed, limited), (5, 20));
    // Five more addresses, one wrong phone each: the code's ten are spent.
    let guess = PhoneNumber::parse("0900000099").expect("phone");
    for i in 0..5u8 {
        let e = svc
            .find_booking(&code, &guess, client(150 + i))
            .await
            .expect_err("wrong");
        assert_eq!(e.class(), ErrorClass::NotFound);
    }
    // Soft-locked: an address that guessed wrong is refused at once …
    let e = svc
        .find_booking(&code, &guess, client(150))
        .await
        .expect_err("locked");
    assert_eq!(e.code(), "limit.booking_phone");
    // … a clean one is still checked, and the owner gets in.
    let owner = PhoneNumber::parse("0912345678").expect("phone");
    let b = svc
        .find_booking(&code, &owner, client(200))
        .await
        .expect("the owner's booking");
    assert_eq!(b.phone, "0912345678");
}

/// A form sent twice (a double click on "Đặt lịch"): both sendings get the
/// one booking the first made, and one seat is taken. Both at once, too.
/// The spent challenge opens nothing else: another slot or another phone
/// with it is refused as used.
pub async fn a_form_sent_twice_books_once_and_both_get_the_booking(store: Store) {
    let (_w, svc) = setup(store).await;
    let day = date(2026, 11, 24);
    let before = free_at(&svc, day, 510).await.expect("offered");
    let id = solved(&svc, client(40)).await;
    let send = || {
        svc.book(
            request(DISTRICT, day, 510, "0912345040"),
            Presence::Captcha {
                id: &id,
                answer: "42",
            },
            client(40),
        )
    };
    let (a, b) = tokio::join!(send(), send());
    let (a, b) = (a.expect("first"), b.expect("second"));
    assert_eq!(a.code, b.code);
    let again = send().await.expect("a reload of the answer");
    assert_eq!(again.code, a.code);
    assert_eq!(free_at(&svc, day, 510).await, Some(before - 1));
    for (start, phone) in [(540, "0912345040"), (510, "0912345041")] {
        let e = refused(
            svc.book(
                request(DISTRICT, day, start, phone),
                Presence::Captcha {
                    id: &id,
                    answer: "42",
                },
                client(40),
            )
            .await,
        );
        assert_eq!(e.code(), "captcha.used", "{start} {phone}");
    }
}

/// What the first sending of a form did before it was cut off (a crash,
/// a dropped request) between spending its challenge and storing its
/// effect: the challenge spent, with the form's claim.
pub(crate) async fn cut_after_spending(svc: &Service, store: &Store, id: &str, claim: &str) {
    let first = store
        .spend_captcha_for(id, "42", svc.now().as_second(), claim)
        .await
        .expect("spend");
    assert_eq!(first.check, cancuoc_store::CaptchaCheck::Solved);
}

/// A form cut off after its challenge was spent and before its seat was
/// taken gets its seat when sent again, once; no other form can use the
/// challenge meanwhile. A form refused for good (its phone holds the most
/// appointments) drops its claim: sent again, its challenge is used.
pub async fn a_form_cut_after_its_challenge_was_spent_gets_its_booking(store: Store) {
    let (_w, svc) = setup(store.clone()).await;
    let day = date(2026, 11, 24);
    let before = free_at(&svc, day, 510).await.expect("offered");
    let id = solved(&svc, client(41)).await;
    let presence = || Presence::Captcha {
        id: &id,
        answer: "42",
    };
    let form = || request(DISTRICT, day, 510, "0912345050");
    cut_after_spending(&svc, &store, &id, &form().challenge_claim(&id)).await;
    let other = || request(DISTRICT, day, 540, "0912345051");
    let e = refused(svc.book(other(), presence(), client(41)).await);
    assert_eq!(e.code(), "captcha.used", "another form");
    let b = svc
        .book(form(), presence(), client(41))
        .await
        .expect("sent again after the cut");
    assert_eq!(free_at(&svc, day, 510).await, Some(before - 1));
    let again = svc
        .book(form(), presence(), client(41))
        .await
        .expect("and again");
    assert_eq!(again.code, b.code);
    assert_eq!(free_at(&svc, day, 510).await, Some(before - 1));

    // Refused for good: the phone already holds its three appointments.
    for start in [450, 480, 570] {
        book_public(
            &svc,
            request(DISTRICT, day, start, "0912345052"),
            client(43),
        )
        .await
        .expect("book");
    }
    let id = solved(&svc, client(44)).await;
    let capped = || request(DISTRICT, day, 600, "0912345052");
    let send = || {
        svc.book(
            capped(),
            Presence::Captcha {
                id: &id,
                answer: "42",
            },
            client(44),
        )
    };
    assert_eq!(refused(send().await).code(), "store.holder_limit.phone");
    assert_eq!(refused(send().await).code(), "captcha.used", "one attempt");
}

/// Guesses at one challenge sent all at once, each on its own form (its
/// own phone), get one verdict between them (every other is told the
/// challenge is used), so a small answer space cannot be walked in
/// parallel; the one verdict books only when it was the right answer.
/// The same form sent many times at once with guesses takes one seat at
/// most.
pub async fn guesses_sent_at_once_get_one_verdict(store: Store) {
    let (_w, svc) = setup(store).await;
    let svc = std::sync::Arc::new(svc);
    let day = date(2026, 11, 24);
    let before = free_at(&svc, day, 630).await.expect("offered");
    let id = solved(&svc, client(45)).await;
    let mut tasks = Vec::new();
    for guess in 30..60u16 {
        let (svc, id) = (std::sync::Arc::clone(&svc), id.clone());
        tasks.push(tokio::spawn(async move {
            let answer = guess.to_string();
            let r = svc
                .book(
                    request(DISTRICT, day, 630, &format!("09123451{guess:02}")),
                    Presence::Captcha {
                        id: &id,
                        answer: &answer,
                    },
                    client(45),
                )
                .await;
            (guess, r)
        }));
    }
    let mut verdicts = Vec::new();
    let mut booked = 0;
    for t in tasks {
        let (guess, r) = t.await.expect("task");
        match r {
            Ok(_) => {
                booked += 1;
                verdicts.push(format!("{guess}: booked"));
            }
            Err(e) if e.code() == "captcha.used" => {}
            Err(e) => verdicts.push(format!("{guess}: {}", e.code())),
        }
    }
    assert_eq!(
        verdicts.len(),
        1,
        "one verdict between the guesses: {verdicts:?}"
    );
    assert!(booked <= 1);
    assert_eq!(free_at(&svc, day, 630).await, Some(before - booked));
    let before = free_at(&svc, day, 660).await.expect("offered");
    let id = solved(&svc, client(46)).await;
    let mut tasks = Vec::new();
    for guess in 40..45u16 {
        let (svc, id) = (std::sync::Arc::clone(&svc), id.clone());
        tasks.push(tokio::spawn(async move {
            let answer = guess.to_string();
            svc.book(
                request(DISTRICT, day, 660, "0912345200"),
                Presence::Captcha {
                    id: &id,
                    answer: &answer,
                },
                client(46),
            )
            .await
        }));
    }
    let mut codes = std::collections::BTreeSet::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(b) => {
                codes.insert(b.code);
            }
            Err(e) => assert!(
                ["captcha.used", "captcha.wrong"].contains(&e.code()),
                "{e:?}"
            ),
        }
    }
    assert!(codes.len() <= 1, "{codes:?}");
    let taken = free_at(&svc, day, 660).await.map(|f| before - f);
    assert!(taken <= Some(1), "{taken:?} seats for one form");
}
