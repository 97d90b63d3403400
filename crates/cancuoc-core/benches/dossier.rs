//! Benchmarks for the dossier core (criterion): dossier code parsing (the
//! first step of every public status lookup), formatting, one transition
//! check, and replaying a 16-event log. Synthetic data only.
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{
    ActorScope, DossierEvent, Role, Scope, State, TransitionInput, check_transition, replay,
};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// A stored log of 16 events (the long path through commune verification,
/// a rejection and a failed postal delivery), as JSON.
fn long_log() -> Option<Vec<DossierEvent>> {
    use State::*;
    let steps: [(Option<State>, State, &str, Option<&str>); 16] = [
        (None, Booked, "citizen", None),
        (Some(Booked), Received, "receptionist", None),
        (Some(Received), Captured, "receptionist", None),
        (Some(Captured), SlipIssued, "receptionist", None),
        (Some(SlipIssued), CommuneVerification, "receptionist", None),
        (
            Some(CommuneVerification),
            SentToCentre,
            "commune_police",
            None,
        ),
        (Some(SentToCentre), Rejected, "processor", Some("Ảnh mờ")),
        (Some(Rejected), Captured, "receptionist", None),
        (Some(Captured), SlipIssued, "receptionist", None),
        (Some(SlipIssued), SentToCentre, "receptionist", None),
        (Some(SentToCentre), Approved, "approver", None),
        (Some(Approved), Printed, "printer", None),
        (Some(Printed), Dispatched, "dispatcher", None),
        (Some(Dispatched), Posted, "return_officer", None),
        (
            Some(Posted),
            ReadyForPickup,
            "return_officer",
            Some("Sai địa chỉ"),
        ),
        (Some(ReadyForPickup), Returned, "return_officer", None),
    ];
    let events: Vec<serde_json::Value> = steps
        .iter()
        .enumerate()
        .map(|(i, (from, to, role, note))| {
            serde_json::json!({
                "seq": i + 1,
                "at": format!("2026-11-21T0{}:{:02}:00Z", 1 + i / 60, i % 60),
                "actor": {"id": format!("officer-{i}"), "role": role},
                "from": from, "to": to, "note": note,
            })
        })
        .collect();
    serde_json::from_value(serde_json::Value::Array(events)).ok()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("dossier");
    let Ok(code) = DossierCode::new(790, jiff::civil::date(2026, 11, 21), 48_213) else {
        return;
    };
    let plain = code.to_string();
    let grouped = code.grouped();
    let mut typo = plain.clone().into_bytes();
    typo.swap(7, 8);
    let typo = String::from_utf8(typo).unwrap_or_default();
    g.bench_function("code_parse_plain", |b| {
        b.iter(|| DossierCode::parse(black_box(&plain)))
    });
    g.bench_function("code_parse_grouped", |b| {
        b.iter(|| DossierCode::parse(black_box(&grouped)))
    });
    g.bench_function("code_parse_bad_check_digit", |b| {
        b.iter(|| DossierCode::parse(black_box(&typo)))
    });
    g.bench_function("code_to_string", |b| {
        b.iter(|| black_box(&code).to_string())
    });
    g.bench_function("code_to_u64", |b| b.iter(|| black_box(&code).to_u64()));
    let input = TransitionInput::with_note("Ảnh chân dung mờ");
    let centre = ActorScope::of(Scope::Centre);
    g.bench_function("check_transition_reject", |b| {
        b.iter(|| {
            check_transition(
                black_box(State::SentToCentre),
                black_box(State::Rejected),
                black_box(Role::Processor),
                centre,
                &input,
            )
        })
    });
    if let Some(log) = long_log() {
        assert_eq!(replay(&log), Ok(State::Returned));
        g.bench_function("replay_16_events", |b| b.iter(|| replay(black_box(&log))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
