//! Fuzz target for dossier codes and the workflow: any bytes into
//! `DossierCode::parse` (as text) and `DossierCode::from_u64` must return,
//! never panic, and a code that parses must print back to itself; the same
//! bytes read as a sequence of (to, role, scope) attempts on a dossier log
//! must never break replay.
#![no_main]
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{
    Actor, ActorScope, DossierLog, Role, STARTS, Scope, State, TransitionInput, replay,
};
use cancuoc_core::i18n::Localized;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match DossierCode::parse(&text) {
        Ok(code) => {
            assert_eq!(DossierCode::parse(&code.to_string()), Ok(code));
            assert_eq!(DossierCode::parse(&code.grouped()), Ok(code));
            assert_eq!(DossierCode::from_u64(code.to_u64()), Ok(code));
        }
        Err(e) => {
            assert!(!e.code().is_empty());
            assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
        }
    }
    if let Some(bytes) = data.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        if let Ok(code) = DossierCode::from_u64(u64::from_le_bytes(bytes)) {
            assert_eq!(code.to_u64(), u64::from_le_bytes(bytes));
        }
    }

    // Workflow: each 3 bytes are one attempt; notes always given.
    let Some(&first) = data.first() else { return };
    let start = &STARTS[usize::from(first) % STARTS.len()];
    let Ok(mut log) = DossierLog::start(
        start.to,
        Actor::new("f", start.role),
        ActorScope::of(start.scope),
        jiff::Timestamp::UNIX_EPOCH,
        None,
    ) else {
        panic!("every listed start is accepted from its own scope");
    };
    let input = TransitionInput {
        note: Some("fuzz"),
        population_data_changed: Some(first & 1 == 0),
        old_document: None,
        capture: None,
    };
    for chunk in data.get(1..).unwrap_or(&[]).chunks_exact(3) {
        let to = State::ALL[usize::from(chunk[0]) % State::ALL.len()];
        let role = Role::ALL[usize::from(chunk[1]) % Role::ALL.len()];
        let scope = Scope::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| chunk[2] & (1 << i) != 0)
            .fold(ActorScope::NONE, |acc, (_, s)| acc.with(*s));
        let before = log.state();
        match log.apply(
            to,
            Actor::new("f", role),
            scope,
            &input,
            jiff::Timestamp::UNIX_EPOCH,
        ) {
            Ok(_) => assert!(!before.is_terminal()),
            Err(e) => {
                assert_eq!(log.state(), before);
                assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
            }
        }
        assert_eq!(replay(log.events()), Ok(log.state()));
    }
});
