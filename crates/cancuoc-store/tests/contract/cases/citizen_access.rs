//! Scoped, audited reads of citizens (`Store::citizen_for`,
//! `Store::search_citizens_for`): the scope decides in SQL, inside the
//! transaction that writes the audit rows; a refused read is audited; an
//! audit row never carries a name, a phone or a full personal ID.

use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::Sex;
use cancuoc_store::*;

use super::assert_not_found;
use crate::fixtures::*;

const AN: &str = "079090000061";
const BINH: &str = "079090000062";

fn pid(s: &str) -> PersonalId {
    PersonalId::parse(s).expect("synthetic id")
}

fn access<'a>(w: &World, purpose: ReadPurpose, scope: &'a CitizenScope) -> CitizenAccess<'a> {
    CitizenAccess {
        officer: w.receptionist.id,
        purpose,
        scope,
        at: T0 + 60,
    }
}

/// Every audit row about citizen `id`, oldest first.
async fn audit_of(s: &Store, id: CitizenId) -> Vec<AuditEntry> {
    let mut rows: Vec<AuditEntry> = s
        .recent_audit(500)
        .await
        .expect("audit")
        .into_iter()
        .filter(|a| a.target == format!("citizen:{}", id.0))
        .collect();
    rows.reverse();
    rows
}

#[track_caller]
fn granted(r: CitizenRead) -> Citizen {
    match r {
        CitizenRead::Granted(c) => c,
        CitizenRead::OutOfScope => panic!("refused, expected the record"),
    }
}

#[track_caller]
fn assert_clean(rows: &[AuditEntry]) {
    for a in rows {
        for secret in ["Nguyễn", "Trần", "Nguyen", "0900000000", AN, BINH] {
            assert!(
                !a.details.contains(secret) && !a.target.contains(secret),
                "{secret} in {a:?}"
            );
        }
    }
}

pub async fn a_read_within_scope_is_audited_with_who_and_why(store: Store) {
    let w = world(store).await;
    let an = add_citizen(&w.store, "Nguyễn Văn An", AN).await;
    received(&w, 61, an.id).await;
    let scope = CitizenScope::OpenDossierAt(vec![DISTRICT]);
    let c = granted(
        w.store
            .citizen_for(
                CitizenKey::PersonalId(pid(AN)),
                &access(&w, ReadPurpose::Reception, &scope),
            )
            .await
            .expect("read"),
    );
    assert_eq!(c, w.store.citizen(an.id).await.expect("plain read"));
    let rows = audit_of(&w.store, an.id).await;
    let read = rows.last().expect("an audit row");
    assert_eq!(read.action, "citizen.read");
    assert_eq!(read.officer, Some(w.receptionist.id));
    assert_eq!(read.at, T0 + 60);
    assert_eq!(read.details, "reception via personal_id");
    assert_clean(&rows);
}

pub async fn a_read_outside_scope_returns_nothing_and_is_audited(store: Store) {
    let w = world(store).await;
    let an = add_citizen(&w.store, "Nguyễn Văn An", AN).await;
    received(&w, 62, an.id).await;
    for scope in [
        CitizenScope::OpenDossierAt(vec![OTHER_DISTRICT, COMMUNE]),
        CitizenScope::OpenDossierAt(Vec::new()),
    ] {
        let r = w
            .store
            .citizen_for(
                CitizenKey::Id(an.id),
                &access(&w, ReadPurpose::ApiRead, &scope),
            )
            .await
            .expect("read");
        assert_eq!(r, CitizenRead::OutOfScope, "{scope:?}");
    }
    let rows = audit_of(&w.store, an.id).await;
    let refused: Vec<&AuditEntry> = rows
        .iter()
        .filter(|a| a.action == "citizen.read_refused")
        .collect();
    assert_eq!(refused.len(), 2, "{rows:?}");
    assert_eq!(refused[0].details, "api_read via record");
    assert!(!rows.iter().any(|a| a.action == "citizen.read"));
    assert_clean(&rows);
}

pub async fn only_an_open_dossier_puts_a_citizen_in_scope(store: Store) {
    let w = world(store).await;
    let an = add_citizen(&w.store, "Nguyễn Văn An", AN).await;
    let anywhere = CitizenScope::OpenDossierAnywhere;
    let read = |scope: &CitizenScope| {
        let s = w.store.clone();
        let scope = scope.clone();
        let who = w.approver.id;
        async move {
            s.citizen_for(
                CitizenKey::Id(an.id),
                &CitizenAccess {
                    officer: who,
                    purpose: ReadPurpose::ApiRead,
                    scope: &scope,
                    at: T0,
                },
            )
            .await
            .expect("read")
        }
    };
    assert_eq!(read(&anywhere).await, CitizenRead::OutOfScope, "no dossier");
    let d = received(&w, 63, an.id).await;
    granted(read(&anywhere).await);
    granted(read(&CitizenScope::All).await);
    // Cancelled: the dossier no longer opens the record.
    w.store
        .apply_transition(&TransitionRequest {
            code: d.code,
            expected_version: d.version,
            to: State::Cancelled,
            actor: w.admin.id,
            note: Some("Hồ sơ lập nhầm (thử nghiệm)".into()),
            population_data_changed: None,
            old_document: None,
            idempotency_key: None,
            card: None,
            at: T0 + 1,
        })
        .await
        .expect("cancel");
    assert_eq!(read(&anywhere).await, CitizenRead::OutOfScope, "closed");
    assert_eq!(
        read(&CitizenScope::OpenDossierAt(vec![DISTRICT])).await,
        CitizenRead::OutOfScope
    );
    granted(read(&CitizenScope::All).await);
}

pub async fn an_unknown_citizen_is_not_found_and_leaves_no_row(store: Store) {
    let w = world(store).await;
    let before = w.store.recent_audit(500).await.expect("audit").len();
    let all = CitizenScope::All;
    assert_not_found(
        w.store
            .citizen_for(
                CitizenKey::PersonalId(pid(AN)),
                &access(&w, ReadPurpose::Reception, &all),
            )
            .await,
        Entity::Citizen,
    );
    assert_not_found(
        w.store
            .citizen_for(
                CitizenKey::Id(CitizenId(99_999)),
                &access(&w, ReadPurpose::Reception, &all),
            )
            .await,
        Entity::Citizen,
    );
    assert_eq!(
        w.store.recent_audit(500).await.expect("audit").len(),
        before
    );
}

pub async fn a_scoped_name_search_lists_only_citizens_in_scope_and_audits_each(store: Store) {
    let w = world(store).await;
    let an = add_citizen(&w.store, "Nguyễn Văn An", AN).await;
    let binh = add_citizen(&w.store, "Nguyễn Văn Bình", BINH).await;
    received(&w, 64, binh.id).await;
    let q = CitizenQuery {
        name: "nguyen van".into(),
        matching: NameMatch::Prefix,
        dob: None,
        limit: 20,
    };
    let district = CitizenScope::OpenDossierAt(vec![DISTRICT]);
    let found = w
        .store
        .search_citizens_for(&q, &access(&w, ReadPurpose::Search, &district))
        .await
        .expect("search");
    assert_eq!(
        found.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![binh.id]
    );
    let rows = w.store.recent_audit(500).await.expect("audit");
    let search = rows
        .iter()
        .find(|a| a.action == "citizen.search")
        .expect("a search row");
    assert_eq!(search.target, "citizens");
    assert_eq!(search.details, "search: 1 listed, prefix match");
    assert_eq!(search.officer, Some(w.receptionist.id));
    assert!(
        audit_of(&w.store, binh.id)
            .await
            .iter()
            .any(|a| a.action == "citizen.read" && a.details == "search via search")
    );
    assert!(
        !audit_of(&w.store, an.id)
            .await
            .iter()
            .any(|a| a.action.starts_with("citizen.read")),
        "nothing read of a citizen outside the scope"
    );
    assert_clean(&rows);
    let nobody = CitizenScope::OpenDossierAt(Vec::new());
    assert!(
        w.store
            .search_citizens_for(&q, &access(&w, ReadPurpose::Search, &nobody))
            .await
            .expect("search")
            .is_empty()
    );
}

pub async fn a_scoped_search_applies_its_limit_after_the_scope(store: Store) {
    let w = world(store).await;
    // Five earlier names outside the scope, then one inside it.
    for i in 0..5 {
        add_citizen(
            &w.store,
            &format!("Nguyễn Văn A{}", char::from(b'a' + i)),
            &format!("07909000007{i}"),
        )
        .await;
    }
    let last = add_citizen(&w.store, "Nguyễn Văn Zung", "079090000079").await;
    received(&w, 65, last.id).await;
    let scope = CitizenScope::OpenDossierAt(vec![DISTRICT]);
    let found = w
        .store
        .search_citizens_for(
            &CitizenQuery {
                name: "nguyen van".into(),
                matching: NameMatch::Prefix,
                dob: None,
                limit: 1,
            },
            &access(&w, ReadPurpose::Search, &scope),
        )
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, last.id);
}

pub async fn a_search_of_everyone_matches_the_plain_search(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let people = [
        ("Nguyễn Văn An", "1990-05-17", Sex::Male),
        ("Nguyễn Văn Anh", "1990", Sex::Male),
        ("Nguyễn Thị Ánh", "1985-02", Sex::Female),
        ("Đặng Văn An", "1990-05-17", Sex::Male),
        ("Nguyen 50%_Special", "2000", Sex::Male),
    ];
    for (i, (name, dob, sex)) in people.into_iter().enumerate() {
        let mut c = citizen(name, dob, sex, Some(&format!("0790900002{i:02}")));
        c.old_cmnd = vec![format!("1234567{i:02}")];
        s.register_citizen(&c, IdAssignment::AsGiven, None, T0)
            .await
            .expect("register");
    }
    let all = CitizenScope::All;
    for (name, matching, dob) in [
        ("NGUYEN VAN AN", NameMatch::Prefix, None),
        ("dang", NameMatch::Prefix, None),
        ("van an", NameMatch::Contains, None),
        ("50%_", NameMatch::Contains, None),
        ("nguyen van", NameMatch::Prefix, Some("1990-05-17")),
        ("nguyen van", NameMatch::Prefix, Some("1990-06-01")),
        ("nguyen", NameMatch::Prefix, Some("1985")),
        ("nguyen thi", NameMatch::Prefix, Some("1985-02")),
    ] {
        let q = CitizenQuery {
            name: name.into(),
            matching,
            dob: dob.map(|d| d.parse().expect("dob")),
            limit: 50,
        };
        assert_eq!(
            s.search_citizens_for(&q, &access(&w, ReadPurpose::ApiSearch, &all))
                .await
                .expect("scoped"),
            s.search_citizens(&q).await.expect("plain"),
            "{name} {dob:?}"
        );
    }
    match s
        .search_citizens_for(
            &CitizenQuery {
                name: " ".into(),
                matching: NameMatch::Prefix,
                dob: None,
                limit: 5,
            },
            &access(&w, ReadPurpose::ApiSearch, &all),
        )
        .await
    {
        Err(StoreError::Invalid(Invalid::Field { field, .. })) => assert_eq!(field, "name"),
        other => panic!("expected a field error, got {other:?}"),
    }
}
