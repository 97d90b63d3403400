//! The demo's citizens with electronic identity accounts (tài khoản định
//! danh điện tử): a handful of adults with a mobile number on record and
//! an active card (issued 2021–2025, valid today by the rules), some with
//! an account — level 1, and level 2 as if granted at the counter after a
//! portrait check — and some without, to register on the portal; one of
//! the level-2 holders is the mother of a child under 14 with a personal
//! ID (the guardian link of the population record), and one has a phone
//! number and a temporary residence she declared herself, so the
//! identification page shows its yellow marks.
//!
//! The citizens are registered through the service; the accounts, their
//! level and the guardian link are written through the store, as the
//! operator tooling does (the service's flows need an SMS round trip per
//! account). Every account gets the same Argon2id PHC string of
//! [`CITIZEN_PASSWORD`], hashed once: seeding stays fast.

use std::collections::HashSet;

use anyhow::{Context, anyhow};
use cancuoc_core::account::password::{PasswordPolicy, PersonalData};
use cancuoc_core::account::{AccountLevel, LevelMethod};
use cancuoc_core::calendar::WorkingCalendar;
use cancuoc_core::i18n::Localized;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::phone::PhoneNumber;
use cancuoc_core::rules::{CardExpiry, Document, DocumentStatus, document_status};
use cancuoc_server::App;
use cancuoc_service::CitizenRegistration;
use cancuoc_store::{
    CitizenId, EventContext, FieldProvenance, LevelGrant, Officer, Provenance, Store, Verification,
};
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::synth::CitizenGen;

/// The password of every demo citizen's account (synthetic world only). It
/// meets the citizens' policy ([`PasswordPolicy::SEED`]: 8–20 characters,
/// a digit, an upper-case and a lower-case letter, one of `!@#$^*()_`),
/// which the officers' demo password does not.
pub const CITIZEN_PASSWORD: &str = "MauThu#2026";

/// The fields the first demo citizen declared herself (nguồn: công dân).
pub const SELF_DECLARED: [&str; 2] = ["phone", "temporary_residence"];

/// The relation of the demo guardian to the child.
pub const RELATION: &str = "mother";

/// Seed of the accounts' generator, apart from the rest of the demo, so
/// adding these citizens changed none of the other names.
const SEED: u64 = 2026_0013;

/// One planned citizen.
struct Plan {
    sex: Sex,
    born: i16,
    account: Option<AccountLevel>,
    /// Phone and temporary residence self-declared.
    self_declared: bool,
    /// Mother of the demo child.
    guardian: bool,
}

const fn plan(sex: Sex, born: i16, account: Option<AccountLevel>) -> Plan {
    Plan {
        sex,
        born,
        account,
        self_declared: false,
        guardian: false,
    }
}

/// Who the demo's account holders are: two at level 2 (one with
/// self-declared fields, one the guardian), two at level 1, three
/// without an account.
const PLANS: [Plan; 7] = [
    Plan {
        self_declared: true,
        ..plan(Sex::Female, 1979, Some(AccountLevel::Two))
    },
    Plan {
        guardian: true,
        ..plan(Sex::Female, 1990, Some(AccountLevel::Two))
    },
    plan(Sex::Male, 1996, Some(AccountLevel::One)),
    plan(Sex::Female, 2001, Some(AccountLevel::One)),
    plan(Sex::Male, 1985, None),
    plan(Sex::Female, 1999, None),
    plan(Sex::Male, 1968, None),
];

/// A demo citizen as the banner and `demo.json` show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoCitizen {
    /// The record.
    pub id: CitizenId,
    /// Số định danh cá nhân.
    pub personal_id: String,
    /// Họ, chữ đệm và tên.
    pub full_name: String,
    /// The mobile number on record.
    pub phone: String,
    /// Ngày sinh.
    pub date_of_birth: Date,
    /// Ngày cấp of the active card.
    pub card_issue_date: Date,
    /// The account's level, `None` without an account.
    pub account: Option<AccountLevel>,
    /// The fields marked self-declared.
    pub self_declared: Vec<&'static str>,
}

/// The demo child under 14, linked to a guardian.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoChild {
    /// The child's personal ID number.
    pub personal_id: String,
    /// Name.
    pub full_name: String,
    /// Date of birth.
    pub date_of_birth: Date,
    /// The guardian's personal ID number.
    pub guardian: String,
    /// What the guardian is to the child.
    pub relation: &'static str,
}

/// What this part of the demo created.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoAccounts {
    /// The adults, account holders first.
    pub citizens: Vec<DemoCitizen>,
    /// The children, with their guardian.
    pub children: Vec<DemoChild>,
}

/// A date of birth in `year`.
fn birthday(rng: &mut StdRng, year: i16) -> anyhow::Result<Date> {
    let first = Date::new(year, 1, 1)?;
    Ok(first.checked_add(jiff::Span::new().days(rng.random_range(0..365i64)))?)
}

/// A synthetic mobile number not yet used, in the block the other demo
/// citizens use (0999…), checked by the one phone rule.
fn fresh_phone(rng: &mut StdRng, used: &mut HashSet<String>) -> anyhow::Result<String> {
    loop {
        let typed = format!("0999{:06}", rng.random_range(0..1_000_000u32));
        let p = PhoneNumber::parse(&typed).map_err(|e| anyhow!("{}", e.message_en()))?;
        if used.insert(p.as_str().to_owned()) {
            return Ok(p.as_str().to_owned());
        }
    }
}

/// Whether a card issued on `issued` to someone born `dob` is valid on
/// `today`, as the wallet will say.
fn valid_on(dob: Date, issued: Date, today: Date) -> bool {
    let expiry = CardExpiry::FromBirth(PartialDate::Full(dob));
    let doc = if issued < Date::constant(2024, 7, 1) {
        Document::Cccd { issued, expiry }
    } else {
        Document::CanCuoc { issued, expiry }
    };
    document_status(doc, today).is_ok_and(|s| matches!(s.value, DocumentStatus::Valid { .. }))
}

/// An issue date in 2021–2025 (up to `today`), a working day, after the
/// holder's 14th birthday, that leaves the card valid today.
fn issue_date(
    rng: &mut StdRng,
    cal: &WorkingCalendar,
    dob: Date,
    today: Date,
) -> anyhow::Result<Date> {
    let fourteen = cancuoc_core::rules::reach_age(dob, 14).map_err(|e| anyhow!("{e}"))?;
    let from = Date::constant(2021, 1, 1).max(fourteen);
    let to = Date::constant(2025, 12, 31).min(today);
    let days = from.until(to)?.get_days();
    if days < 0 {
        return Err(anyhow!("no card issue date between {from} and {to}"));
    }
    for _ in 0..500 {
        let d = from.checked_add(jiff::Span::new().days(rng.random_range(0..=days)))?;
        if cal.is_working_day(d).is_ok_and(|s| s.working) && valid_on(dob, d, today) {
            return Ok(d);
        }
    }
    Err(anyhow!(
        "no card issued between {from} and {to} is valid on {today}"
    ))
}

/// The record's provenance: everything verified against the population
/// database, or with the phone and temporary residence the citizen's own.
fn provenance(self_declared: bool) -> FieldProvenance {
    let mut p = FieldProvenance::all_verified("npd");
    if self_declared {
        for f in SELF_DECLARED {
            p.fields.insert(
                f.to_owned(),
                Provenance {
                    status: Verification::SelfDeclared,
                    source: "citizen".into(),
                },
            );
        }
    }
    p
}

/// Creates the demo's account holders, the citizens who can still
/// register, and the child. `password_hash` is the PHC string of
/// [`CITIZEN_PASSWORD`]; `grantor` is the officer recorded as having
/// checked the level-2 holders' portraits.
pub async fn seed(
    store: &Store,
    app: &App,
    people: &CitizenGen,
    password_hash: &str,
    grantor: &Officer,
    now: i64,
    today: Date,
) -> anyhow::Result<DemoAccounts> {
    let svc = app.service();
    let cal = svc.calendar();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut phones = HashSet::new();
    let mut out = DemoAccounts::default();
    let mut guardian = None;
    for plan in &PLANS {
        let dob = birthday(&mut rng, plan.born)?;
        let mut s = people.citizen(&mut rng);
        s.record.sex = plan.sex;
        s.record.full_name = people.name(&mut rng, plan.sex, plan.born);
        s.record.dob = PartialDate::Full(dob);
        let phone = fresh_phone(&mut rng, &mut phones)?;
        s.record.phone = Some(phone.clone());
        s.record.temporary_residence = if plan.self_declared {
            Some(people.citizen(&mut rng).record.permanent_residence)
        } else {
            None
        };
        s.record.provenance = provenance(plan.self_declared);
        let c = svc
            .register_citizen(
                None,
                CitizenRegistration {
                    citizen: s.record,
                    birth_registration_code: Some(s.region),
                },
            )
            .await
            .map_err(|e| anyhow!("{}", e.message_en()))?;
        let pid = c
            .personal_id
            .context("a demo citizen was given no personal ID")?
            .as_str()
            .to_owned();
        let issued = issue_date(&mut rng, cal, dob, today)?;
        let expires = match cancuoc_core::rules::expiry_date(c.dob, issued) {
            Ok(cancuoc_core::rules::Expiry::On(d)) => Some(d),
            Ok(cancuoc_core::rules::Expiry::None) => None,
            Err(e) => return Err(anyhow!("{e}")),
        };
        store.issue_card(c.id, issued, expires, None, now).await?;
        if let Some(level) = plan.account {
            // The shared password must pass the policy for this citizen
            // too (no ID number, phone or birth date in it).
            let personal = PersonalData {
                personal_id: &pid,
                date_of_birth: Some(dob),
                birth_year: Some(dob.year()),
                phone: &phone,
            };
            PasswordPolicy::SEED
                .check(CITIZEN_PASSWORD, &personal)
                .map_err(|p| {
                    let why: Vec<String> = p.iter().map(Localized::message_en).collect();
                    anyhow!("the demo citizens' password: {}", why.join("; "))
                })?;
            let ctx = EventContext {
                at: now,
                officer: None,
                client: "",
            };
            store.register_account(c.id, password_hash, ctx).await?;
            if level == AccountLevel::Two {
                store
                    .set_account_level(
                        c.id,
                        AccountLevel::Two,
                        Some(LevelGrant {
                            method: LevelMethod::Portrait,
                            officer: Some(grantor.id),
                            office: Some(grantor.office),
                            at: now,
                        }),
                        "demo: portrait checked at the counter",
                        EventContext {
                            officer: Some(grantor.id),
                            ..ctx
                        },
                    )
                    .await?;
            }
        }
        if plan.guardian {
            guardian = Some((c.id, pid.clone(), c.permanent_residence.clone()));
        }
        out.citizens.push(DemoCitizen {
            id: c.id,
            personal_id: pid,
            full_name: c.full_name,
            phone,
            date_of_birth: dob,
            card_issue_date: issued,
            account: plan.account,
            self_declared: if plan.self_declared {
                SELF_DECLARED.to_vec()
            } else {
                Vec::new()
            },
        });
    }
    if let Some((guardian_id, guardian_pid, home)) = guardian {
        // Born 2016–2020 when seeded in 2026: under 14 for a few years.
        let year = rng.random_range(today.year() - 10..=today.year() - 6);
        let dob = birthday(&mut rng, year)?.min(today);
        let sex = if rng.random_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let mut s = people.citizen(&mut rng);
        s.record.sex = sex;
        s.record.full_name = people.name(&mut rng, sex, year);
        s.record.dob = PartialDate::Full(dob);
        s.record.phone = None;
        s.record.temporary_residence = None;
        s.record.permanent_residence = home;
        s.record.provenance = FieldProvenance::all_verified("npd");
        let c = svc
            .register_citizen(
                None,
                CitizenRegistration {
                    citizen: s.record,
                    birth_registration_code: Some(s.region),
                },
            )
            .await
            .map_err(|e| anyhow!("{}", e.message_en()))?;
        store.link_guardian(c.id, guardian_id, RELATION).await?;
        out.children.push(DemoChild {
            personal_id: c
                .personal_id
                .context("the demo child was given no personal ID")?
                .as_str()
                .to_owned(),
            full_name: c.full_name,
            date_of_birth: dob,
            guardian: guardian_pid,
            relation: RELATION,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_citizens_password_meets_the_policy_and_the_officers_hash() {
        let none = PersonalData {
            personal_id: "001079000001",
            date_of_birth: Some(Date::constant(1979, 3, 1)),
            birth_year: Some(1979),
            phone: "0999000001",
        };
        assert_eq!(PasswordPolicy::SEED.check(CITIZEN_PASSWORD, &none), Ok(()));
        assert!(!cancuoc_core::account::password::is_common(
            CITIZEN_PASSWORD
        ));
        // It is hashed with the officers' hasher, which wants 10 or more.
        assert!(cancuoc_service::Password::parse(CITIZEN_PASSWORD).is_ok());
        // The officers' demo password would not do for a citizen.
        assert!(
            PasswordPolicy::SEED
                .check(super::super::DEMO_PASSWORD, &none)
                .is_err()
        );
    }

    #[test]
    fn plans_cover_every_kind_of_demo_citizen() {
        let has = |f: &dyn Fn(&Plan) -> bool| PLANS.iter().filter(|p| f(p)).count();
        assert_eq!(has(&|p| p.account == Some(AccountLevel::Two)), 2);
        assert_eq!(has(&|p| p.account == Some(AccountLevel::One)), 2);
        assert_eq!(has(&|p| p.account.is_none()), 3);
        assert_eq!(has(&|p| p.guardian && p.account.is_some()), 1);
        assert_eq!(has(&|p| p.self_declared && p.account.is_some()), 1);
    }

    #[test]
    fn a_card_issue_date_leaves_the_card_valid() {
        let cal = WorkingCalendar::official();
        let today = Date::constant(2026, 12, 6);
        let mut rng = StdRng::seed_from_u64(1);
        for born in [1968, 1979, 1990, 2001, 2006] {
            for _ in 0..20 {
                let dob = birthday(&mut rng, born).expect("dob");
                let d = issue_date(&mut rng, cal, dob, today).expect("issue date");
                assert!((Date::constant(2021, 1, 1)..=Date::constant(2025, 12, 31)).contains(&d));
                assert!(cal.is_working_day(d).expect("day").working, "{d}");
                assert!(valid_on(dob, d, today), "{dob} {d}");
                assert!(d >= cancuoc_core::rules::reach_age(dob, 14).expect("14"));
            }
        }
    }
}
