//! The cached office tree (cây đơn vị) and the office-scope decisions made
//! on it: how an officer's office stands relative to a dossier's receiving
//! office (workflow scope), which offices' dossiers an officer may read, and
//! from that which citizens' records (see [`OfficeTree::citizen_scope`]).

use std::collections::HashMap;

use cancuoc_core::dossier::workflow::{ActorScope, Role, Scope};
use cancuoc_store::{CitizenScope, Office, OfficeLevel, Officer};
use jiff::civil::Date;

/// Every office, by code, with its children; built from
/// `Store::list_offices` and replaced as a whole on reload.
#[derive(Debug, Default)]
pub struct OfficeTree {
    by_code: HashMap<u16, Office>,
    ordered: Vec<u16>,
}

impl OfficeTree {
    /// A tree from the stored offices (any order).
    pub fn new(offices: Vec<Office>) -> Self {
        let mut ordered: Vec<u16> = offices.iter().map(|o| o.code).collect();
        ordered.sort_unstable();
        let by_code = offices.into_iter().map(|o| (o.code, o)).collect();
        Self { by_code, ordered }
    }

    /// One office.
    pub fn get(&self, code: u16) -> Option<&Office> {
        self.by_code.get(&code)
    }

    /// The name of office `code` for display, or its four-digit number when
    /// the tree does not know it (an office added by another process since
    /// the tree was loaded).
    pub fn name_of(&self, code: u16) -> String {
        self.get(code)
            .map_or_else(|| format!("{code:04}"), |o| o.name.clone())
    }

    /// Every office by code.
    pub fn all(&self) -> impl Iterator<Item = &Office> {
        self.ordered.iter().filter_map(|c| self.by_code.get(c))
    }

    /// Number of offices.
    pub fn len(&self) -> usize {
        self.ordered.len()
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.ordered.is_empty()
    }

    /// Whether `ancestor` is `code` or above it in the tree.
    pub fn is_within(&self, code: u16, ancestor: u16) -> bool {
        let mut cur = Some(code);
        // The depth is bounded by the number of offices, which also guards
        // against a cycle in corrupt data.
        for _ in 0..=self.ordered.len() {
            match cur {
                Some(c) if c == ancestor => return true,
                Some(c) => cur = self.by_code.get(&c).and_then(|o| o.parent),
                None => return false,
            }
        }
        false
    }

    fn has_commune_children(&self, code: u16) -> bool {
        self.by_code
            .values()
            .any(|o| o.parent == Some(code) && o.level == OfficeLevel::Commune)
    }

    /// How `officer` stands relative to a dossier received at
    /// `dossier_office` (phạm vi của cán bộ đối với hồ sơ). The same reading
    /// as the store's in-transaction check:
    /// - receiving office (đơn vị tiếp nhận): the same office;
    /// - NPD centre (Trung tâm DLQG về dân cư): the officer's office is the
    ///   centre;
    /// - residence commune (Công an xã nơi cư trú): a commune office directly
    ///   under the receiving office, the receiving district itself when it
    ///   has no commune offices, or the receiving commune police itself
    ///   (since 01/03/2025 commune police receive and verify their own
    ///   residents' data).
    pub fn scope_for(&self, officer: &Officer, dossier_office: u16) -> ActorScope {
        let mut s = ActorScope::NONE;
        let Some(own) = self.by_code.get(&officer.office) else {
            return s;
        };
        if own.code == dossier_office {
            s = s.with(Scope::ReceivingOffice);
            if own.level == OfficeLevel::Commune
                || (own.level == OfficeLevel::District && !self.has_commune_children(own.code))
            {
                s = s.with(Scope::ResidenceCommune);
            }
        }
        if own.level == OfficeLevel::NpdCentre {
            s = s.with(Scope::Centre);
        }
        if own.level == OfficeLevel::Commune && own.parent == Some(dossier_office) {
            s = s.with(Scope::ResidenceCommune);
        }
        s
    }

    /// Whether `officer` may read the dossiers of `office` (xem hồ sơ):
    /// an administrator, an officer of the ministry or the NPD centre
    /// (national scope), an officer of `office` or of an office above it,
    /// and commune police for the office directly above their commune (the
    /// receiving district whose dossiers they verify).
    pub fn can_view(&self, officer: &Officer, office: u16) -> bool {
        if officer.role == Role::Admin {
            return true;
        }
        let Some(own) = self.by_code.get(&officer.office) else {
            return false;
        };
        if matches!(own.level, OfficeLevel::Ministry | OfficeLevel::NpdCentre) {
            return true;
        }
        if self.is_within(office, own.code) {
            return true;
        }
        own.level == OfficeLevel::Commune && own.parent == Some(office)
    }

    /// Which citizens' records `officer` may read (phạm vi đọc hồ sơ công
    /// dân). A citizen carries no link to an office (their residence is
    /// free text), so the link is the one the workflow already uses: the
    /// receiving office of an open dossier. The record follows the dossier:
    /// - an administrator, or any officer of the ministry: every citizen;
    /// - a printer or a dispatcher (or a citizen's account): no one — their
    ///   work is the card of a dossier in hand, whose applicant they read
    ///   through the dossier;
    /// - an officer of the NPD centre: every citizen with an open dossier
    ///   (the centre reads every office's dossiers);
    /// - anyone else: the citizens with an open dossier at an office whose
    ///   dossiers they may read ([`OfficeTree::can_view`]): their own office
    ///   and the offices below it, and for commune police the office directly
    ///   above their commune — the model's stand-in for the commune of
    ///   residence, as in [`OfficeTree::scope_for`].
    ///
    /// A name search never goes beyond this; a read of one citizen the
    /// officer identifies may ([`OfficeTree::receives_applicants`]).
    pub fn citizen_scope(&self, officer: &Officer) -> CitizenScope {
        match officer.role {
            Role::Admin => return CitizenScope::All,
            Role::Printer | Role::Dispatcher | Role::Citizen => {
                return CitizenScope::OpenDossierAt(Vec::new());
            }
            _ => {}
        }
        match self.by_code.get(&officer.office).map(|o| o.level) {
            None => CitizenScope::OpenDossierAt(Vec::new()),
            Some(OfficeLevel::Ministry) => CitizenScope::All,
            Some(OfficeLevel::NpdCentre) => CitizenScope::OpenDossierAnywhere,
            Some(_) => CitizenScope::OpenDossierAt(
                self.ordered
                    .iter()
                    .copied()
                    .filter(|&code| self.can_view(officer, code))
                    .collect(),
            ),
        }
    }

    /// Whether `officer` works a reception desk (bộ phận tiếp nhận) on
    /// `day`: a receptionist of an office that receives the public then
    /// (`Office::receives_public_on`: province police; district police
    /// until 28/02/2025; commune police from 01/03/2025). The desk must read the one citizen standing before it —
    /// by the personal ID they give, before any dossier exists — so such an
    /// officer may read any single citizen they identify (every read
    /// audited with its purpose), though their name search stays within
    /// [`OfficeTree::citizen_scope`].
    pub fn receives_applicants(&self, officer: &Officer, day: Date) -> bool {
        officer.role == Role::Receptionist
            && self
                .by_code
                .get(&officer.office)
                .is_some_and(|o| o.receives_public_on(day))
    }

    /// The offices in force on `day` (đơn vị đang hoạt động), by code.
    pub fn in_force_on(&self, day: Date) -> impl Iterator<Item = &Office> {
        self.all().filter(move |o| o.in_force_on(day))
    }

    /// The offices that receive citizens' applications on `day`
    /// (`Office::receives_public_on`), by code.
    pub fn receiving_on(&self, day: Date) -> impl Iterator<Item = &Office> {
        self.all().filter(move |o| o.receives_public_on(day))
    }

    /// Who answers on `day` for `code`'s dossiers: the office itself while
    /// in force, else its nearest ancestor in force (a district police
    /// office dissolved on 01/03/2025 → its province police). `None` when
    /// the office is unknown, or it and every ancestor have ended.
    pub fn answering_for(&self, code: u16, day: Date) -> Option<&Office> {
        let mut at = self.get(code);
        // The tree has no cycles (parents are created first); the bound
        // only keeps a corrupt row from looping.
        for _ in 0..16 {
            let o = at?;
            if o.in_force_on(day) {
                return Some(o);
            }
            at = o.parent.and_then(|p| self.get(p));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_store::{OfficerId, OpeningHours, Period};
    use jiff::civil::date;

    fn office(code: u16, level: OfficeLevel, parent: Option<u16>) -> Office {
        Office {
            code,
            name: format!("Đơn vị {code}"),
            level,
            parent,
            address: String::new(),
            hotline: String::new(),
            opening_hours: OpeningHours::default(),
            daily_capacity: 1,
            in_force: cancuoc_store::Period::ALWAYS,
        }
    }

    fn officer(role: Role, office: u16) -> Officer {
        Officer {
            id: OfficerId(1),
            name: "Cán Bộ Thử".into(),
            role,
            office,
            active: true,
            created_at: 0,
        }
    }

    fn tree() -> OfficeTree {
        OfficeTree::new(vec![
            office(1, OfficeLevel::Ministry, None),
            office(2, OfficeLevel::NpdCentre, Some(1)),
            office(79, OfficeLevel::Province, Some(1)),
            office(790, OfficeLevel::District, Some(79)),
            office(791, OfficeLevel::District, Some(79)),
            office(7901, OfficeLevel::Commune, Some(790)),
        ])
    }

    #[test]
    fn workflow_scope_by_office_relation() {
        let t = tree();
        let cases = [
            (Role::Receptionist, 790, 790, Some(Scope::ReceivingOffice)),
            (Role::Receptionist, 791, 790, None),
            (
                Role::CommunePolice,
                7901,
                790,
                Some(Scope::ResidenceCommune),
            ),
            (Role::CommunePolice, 7901, 791, None),
            (Role::Approver, 2, 790, Some(Scope::Centre)),
            (Role::Approver, 79, 790, None),
            // A district without commune offices verifies itself.
            (Role::CommunePolice, 791, 791, Some(Scope::ResidenceCommune)),
        ];
        for (role, own, dossier, want) in cases {
            let s = t.scope_for(&officer(role, own), dossier);
            match want {
                Some(w) => assert!(s.satisfies(w), "{role:?} {own} on {dossier}"),
                None => {
                    for sc in [
                        Scope::ReceivingOffice,
                        Scope::ResidenceCommune,
                        Scope::Centre,
                    ] {
                        assert!(!s.satisfies(sc), "{role:?} {own} on {dossier}: {sc:?}");
                    }
                }
            }
        }
        // The district with a commune office does not verify for itself.
        let s = t.scope_for(&officer(Role::CommunePolice, 790), 790);
        assert!(!s.satisfies(Scope::ResidenceCommune));
    }

    #[test]
    fn citizen_records_follow_the_dossiers_an_officer_may_read() {
        let t = tree();
        let cases = [
            (Role::Admin, 791, CitizenScope::All),
            (Role::Receptionist, 1, CitizenScope::All),
            (Role::Approver, 2, CitizenScope::OpenDossierAnywhere),
            (Role::Processor, 2, CitizenScope::OpenDossierAnywhere),
            (Role::Printer, 2, CitizenScope::OpenDossierAt(vec![])),
            (Role::Dispatcher, 2, CitizenScope::OpenDossierAt(vec![])),
            (Role::Printer, 1, CitizenScope::OpenDossierAt(vec![])),
            (
                Role::Receptionist,
                79,
                CitizenScope::OpenDossierAt(vec![79, 790, 791, 7901]),
            ),
            (
                Role::Receptionist,
                790,
                CitizenScope::OpenDossierAt(vec![790, 7901]),
            ),
            (
                Role::ReturnOfficer,
                791,
                CitizenScope::OpenDossierAt(vec![791]),
            ),
            (
                Role::CommunePolice,
                7901,
                CitizenScope::OpenDossierAt(vec![790, 7901]),
            ),
            (
                Role::Receptionist,
                9999,
                CitizenScope::OpenDossierAt(vec![]),
            ),
        ];
        for (role, own, want) in cases {
            assert_eq!(t.citizen_scope(&officer(role, own)), want, "{role:?} {own}");
        }
    }

    #[test]
    fn only_a_public_desks_receptionist_reads_an_identified_citizen() {
        let t = tree();
        let before_2025 = date(2024, 11, 4);
        for (role, own, want) in [
            (Role::Receptionist, 790, true),
            (Role::Receptionist, 79, true),
            (Role::Receptionist, 7901, false),
            (Role::Receptionist, 2, false),
            (Role::Receptionist, 9999, false),
            (Role::CommunePolice, 7901, false),
            (Role::ReturnOfficer, 790, false),
            (Role::Printer, 2, false),
            (Role::Admin, 1, false),
        ] {
            assert_eq!(
                t.receives_applicants(&officer(role, own), before_2025),
                want,
                "{role:?} {own}"
            );
        }
        // Since 01/03/2025 commune police receive applications.
        let commune = officer(Role::Receptionist, 7901);
        assert!(!t.receives_applicants(&commune, date(2025, 2, 28)));
        assert!(t.receives_applicants(&commune, date(2025, 3, 1)));
    }

    #[test]
    fn a_commune_office_that_receives_verifies_its_own_dossiers() {
        let t = tree();
        let s = t.scope_for(&officer(Role::CommunePolice, 7901), 7901);
        assert!(s.satisfies(Scope::ReceivingOffice) && s.satisfies(Scope::ResidenceCommune));
    }

    #[test]
    fn offices_in_force_and_receiving_on_a_day() {
        let mut offices = vec![
            office(1, OfficeLevel::Ministry, None),
            office(10, OfficeLevel::Province, Some(1)),
            office(11, OfficeLevel::District, Some(10)),
            office(13, OfficeLevel::Commune, Some(11)),
            office(101, OfficeLevel::Commune, Some(10)),
        ];
        offices[2].in_force = Period::until(date(2025, 2, 28));
        offices[3].in_force = Period::until(date(2025, 6, 30));
        offices[4].in_force = Period::starting(date(2025, 7, 1));
        let t = OfficeTree::new(offices);
        let codes = |it: &mut dyn Iterator<Item = &Office>| it.map(|o| o.code).collect::<Vec<_>>();
        for (day, in_force, receiving) in [
            (date(2024, 11, 4), vec![1, 10, 11, 13], vec![10, 11]),
            (date(2025, 4, 1), vec![1, 10, 13], vec![10, 13]),
            (date(2026, 11, 23), vec![1, 10, 101], vec![10, 101]),
        ] {
            assert_eq!(codes(&mut t.in_force_on(day)), in_force, "{day}");
            assert_eq!(codes(&mut t.receiving_on(day)), receiving, "{day}");
        }
        // Ended offices stay in the tree: their dossiers keep naming them.
        assert_eq!(t.name_of(11), "Đơn vị 11");
    }

    #[test]
    fn read_access_follows_the_tree() {
        let t = tree();
        let cases = [
            (Role::Receptionist, 790, 790, true),
            (Role::Receptionist, 790, 791, false),
            (Role::Receptionist, 79, 790, true),
            (Role::Receptionist, 790, 79, false),
            (Role::CommunePolice, 7901, 790, true),
            (Role::CommunePolice, 7901, 791, false),
            (Role::Approver, 2, 791, true),
            (Role::Admin, 791, 790, true),
            (Role::Receptionist, 9999, 790, false),
        ];
        for (role, own, target, want) in cases {
            assert_eq!(
                t.can_view(&officer(role, own), target),
                want,
                "{role:?} {own} -> {target}"
            );
        }
        assert!(t.is_within(7901, 1));
        assert!(!t.is_within(1, 7901));
        assert_eq!(t.len(), 6);
        assert_eq!(
            t.all().map(|o| o.code).collect::<Vec<_>>(),
            [1, 2, 79, 790, 791, 7901]
        );
    }

    #[test]
    fn an_ended_office_is_answered_for_by_its_nearest_ancestor_in_force() {
        let mut district = office(790, OfficeLevel::District, Some(79));
        district.in_force = Period::until(date(2025, 2, 28));
        let tree = OfficeTree::new(vec![office(79, OfficeLevel::Province, None), district]);
        let before = tree.answering_for(790, date(2025, 2, 28)).map(|o| o.code);
        let after = tree.answering_for(790, date(2026, 12, 6)).map(|o| o.code);
        assert_eq!((before, after), (Some(790), Some(79)));
        assert!(tree.answering_for(1, date(2026, 12, 6)).is_none());
    }
}
