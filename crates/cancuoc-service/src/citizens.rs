//! Citizen use cases (nghiệp vụ công dân): register with personal ID
//! assignment (cấp số định danh cá nhân), and read records — one citizen,
//! or a search by name — within the officer's scope, each read audited.
//!
//! Who reads whom: [`crate::OfficeTree::citizen_scope`] (central roles
//! everyone; otherwise the citizens with an open dossier the officer may
//! read) and, for a single identified citizen only, a reception desk
//! ([`crate::OfficeTree::receives_applicants`]). Every read goes through
//! the store's scoped reads, which write the audit row — who, which record,
//! the [`ReadPurpose`] — in the read's transaction; a refusal is audited
//! too. Front ends name a citizen by personal ID or by an opaque
//! [`CitizenRef`], never by the sequential record id (the REST API's
//! `citizen_id` when opening a dossier aside).

use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::id::{PersonalId, mask};
use cancuoc_core::person::PartialDate;
use cancuoc_store::{
    Citizen, CitizenAccess, CitizenId, CitizenQuery, CitizenRead, CitizenScope, Entity,
    IdAssignment, NameMatch, Officer, ReadPurpose, StoreError,
};

use super::citizen_refs::{CitizenRef, RefKeys};
use super::registration::{CitizenRegistration, provenance_of};
use super::{Action, Service, ServiceError};

/// A name search (tra cứu công dân theo họ tên).
#[derive(Clone, Debug)]
pub struct CitizenSearch {
    /// The name as typed; diacritics and case do not matter.
    pub name: String,
    /// Optional date of birth, possibly partial.
    pub dob: Option<PartialDate>,
    /// How the name is matched: at its start, at the start of any word
    /// (the given name alone finds the citizen), or anywhere.
    pub matching: NameMatch,
    /// At most this many (the store caps it at 500).
    pub limit: u32,
}

/// How a front end names the one citizen it reads.
#[derive(Clone, Debug)]
pub enum CitizenKey {
    /// Số định danh cá nhân, as the citizen gives it.
    PersonalId(PersonalId),
    /// A reference the service made for this officer
    /// ([`Service::citizen_ref`]).
    Ref(CitizenRef),
    /// The record id: only the REST API's `citizen_id` of a dossier to
    /// open; the console never addresses records by id.
    Record(CitizenId),
}

/// What a name search found.
#[derive(Clone, Debug)]
pub struct CitizenMatches {
    /// The records, by name (at most the search's limit).
    pub citizens: Vec<Citizen>,
    /// How many matched in all (more than `citizens.len()` when the limit
    /// cut the list): a front end says so and asks for more to narrow.
    pub total: u64,
    /// Whether the search was held to the officer's scope (citizens with
    /// an open dossier they may read) rather than everyone: a front end
    /// says so, and points to the search by personal ID.
    pub within_scope: bool,
}

/// Roles that register citizens: reception (first registration at
/// issuance), commune police (population data) and administrators.
pub(crate) const REGISTRARS: &[Role] = &[Role::Receptionist, Role::CommunePolice, Role::Admin];

impl Service {
    /// Registers a citizen; without a personal ID, allocates one from the
    /// per-prefix counter in the same transaction. The record is checked
    /// by [`CitizenRegistration::checked`] (a refusal names the first field
    /// at fault) and, when an officer registers it, its provenance is
    /// theirs ([`crate::provenance_of`]). `officer` is `None` for bulk
    /// tools acting as the system.
    pub async fn register_citizen(
        &self,
        officer: Option<&Officer>,
        reg: CitizenRegistration,
    ) -> Result<Citizen, ServiceError> {
        if let Some(o) = officer
            && !REGISTRARS.contains(&o.role)
        {
            return Err(ServiceError::RoleNotAllowed {
                action: Action::RegisterCitizen,
                role: o.role,
                allowed: REGISTRARS,
            });
        }
        let mut reg = reg
            .checked(self.today())
            .map_err(|mut problems| ServiceError::Field(problems.swap_remove(0)))?;
        if let Some(o) = officer {
            reg.citizen.provenance = provenance_of(o);
        }
        let given = reg.citizen.personal_id.is_some();
        let assign = match (given, reg.birth_registration_code) {
            (true, _) | (false, None) => IdAssignment::AsGiven,
            (false, Some(region_code)) => IdAssignment::Allocate {
                allocator: &self.allocator,
                region_code,
            },
        };
        let c = self
            .store
            .register_citizen(&reg.citizen, assign, officer.map(|o| o.id), self.now_secs())
            .await?;
        tracing::info!(
            citizen = c.id.0,
            personal_id = c.personal_id.as_ref().map(|p| mask(p).as_str().to_owned()),
            assigned = !given,
            officer = officer.map(|o| o.id.0),
            "citizen registered"
        );
        Ok(c)
    }

    /// The reference by which `officer` may name `citizen` again (the
    /// console's links): opaque, and unknown to any other officer.
    pub fn citizen_ref(&self, officer: &Officer, citizen: &Citizen) -> CitizenRef {
        RefKeys::derive(&self.allocator).seal(officer.id, citizen.id)
    }

    /// One citizen for `officer` (đọc hồ sơ công dân), for `purpose`:
    /// within [`crate::OfficeTree::citizen_scope`], or any identified
    /// citizen for a reception desk; audited either way. A reference that
    /// is malformed or not this officer's is not found; a citizen outside
    /// the scope is [`ServiceError::CitizenOutOfScope`].
    pub async fn citizen_for(
        &self,
        officer: &Officer,
        key: &CitizenKey,
        purpose: ReadPurpose,
    ) -> Result<Citizen, ServiceError> {
        let key = match key {
            CitizenKey::PersonalId(p) => cancuoc_store::CitizenKey::PersonalId(*p),
            CitizenKey::Record(id) => cancuoc_store::CitizenKey::Id(*id),
            CitizenKey::Ref(r) => cancuoc_store::CitizenKey::Id(
                RefKeys::derive(&self.allocator)
                    .open(officer.id, r)
                    .ok_or_else(|| {
                        ServiceError::Store(StoreError::NotFound {
                            what: Entity::Citizen,
                            key: "reference".into(),
                        })
                    })?,
            ),
        };
        let tree = self.offices_knowing(officer.office).await?;
        let scope = if tree.receives_applicants(officer, self.today()) {
            CitizenScope::All
        } else {
            tree.citizen_scope(officer)
        };
        let read = self
            .store
            .citizen_for(
                key,
                &CitizenAccess {
                    officer: officer.id,
                    purpose,
                    scope: &scope,
                    at: self.now_secs(),
                },
            )
            .await?;
        match read {
            CitizenRead::Granted(c) => Ok(c),
            CitizenRead::OutOfScope => {
                tracing::info!(
                    officer = officer.id.0,
                    office = officer.office,
                    purpose = purpose.code(),
                    "citizen read refused: out of scope"
                );
                Err(ServiceError::CitizenOutOfScope {
                    officer_office: officer.office,
                })
            }
        }
    }

    /// Searches citizens by name (diacritic-insensitive) and date of birth
    /// for `officer`, within [`crate::OfficeTree::citizen_scope`] (no
    /// reception exception: a desk finds a citizen outside it by their
    /// number); the search and every record listed are audited.
    pub async fn search_citizens_for(
        &self,
        officer: &Officer,
        q: &CitizenSearch,
        purpose: ReadPurpose,
    ) -> Result<CitizenMatches, ServiceError> {
        let scope = self
            .offices_knowing(officer.office)
            .await?
            .citizen_scope(officer);
        let query = CitizenQuery {
            name: q.name.clone(),
            matching: q.matching,
            dob: q.dob,
            limit: q.limit,
        };
        let citizens = self
            .store
            .search_citizens_for(
                &query,
                &CitizenAccess {
                    officer: officer.id,
                    purpose,
                    scope: &scope,
                    at: self.now_secs(),
                },
            )
            .await?;
        // Counted only when the limit (the store caps it at 500) may have
        // cut the list.
        let total = if !citizens.is_empty() && citizens.len() >= q.limit.min(500) as usize {
            self.store
                .count_citizens_for(&query, &scope)
                .await?
                .max(citizens.len() as u64)
        } else {
            citizens.len() as u64
        };
        Ok(CitizenMatches {
            citizens,
            total,
            within_scope: scope != CitizenScope::All,
        })
    }

    /// The record of the citizen a dossier is to be opened for, named as
    /// the REST API names them (`citizen_id` or `personal_id`): a role that
    /// opens no dossiers is refused before anything is read; otherwise the
    /// citizen is read as [`Service::citizen_for`] reads (a reception desk
    /// reads whoever it identifies), audited as [`ReadPurpose::OpenDossier`].
    pub async fn applicant_to_open(
        &self,
        officer: &Officer,
        key: &CitizenKey,
    ) -> Result<CitizenId, ServiceError> {
        super::dossiers::check_opener(officer)?;
        Ok(self
            .citizen_for(officer, key, ReadPurpose::OpenDossier)
            .await?
            .id)
    }

    /// The applicant of a dossier `officer` was already allowed to read
    /// (its office checked by the caller), audited as [`ReadPurpose::Dossier`].
    pub(crate) async fn applicant_of(
        &self,
        officer: &Officer,
        citizen: CitizenId,
    ) -> Result<Citizen, ServiceError> {
        self.applicant_read(officer, citizen, ReadPurpose::Dossier)
            .await
    }

    /// The applicant of a dossier `officer` was already allowed to read,
    /// audited with `purpose`.
    pub(crate) async fn applicant_read(
        &self,
        officer: &Officer,
        citizen: CitizenId,
        purpose: ReadPurpose,
    ) -> Result<Citizen, ServiceError> {
        match self
            .store
            .citizen_for(
                cancuoc_store::CitizenKey::Id(citizen),
                &CitizenAccess {
                    officer: officer.id,
                    purpose,
                    scope: &CitizenScope::All,
                    at: self.now_secs(),
                },
            )
            .await?
        {
            CitizenRead::Granted(c) => Ok(c),
            CitizenRead::OutOfScope => Err(ServiceError::CitizenOutOfScope {
                officer_office: officer.office,
            }),
        }
    }
}
