//! Citizen use cases (nghiệp vụ công dân): register with personal ID
//! assignment (cấp số định danh cá nhân), search by name, look up by ID.

use cancuoc_core::dossier::workflow::Role;
use cancuoc_core::id::{PersonalId, mask};
use cancuoc_core::person::PartialDate;
use cancuoc_store::{
    Citizen, CitizenId, CitizenQuery, IdAssignment, NameMatch, NewCitizen, Officer,
};

use super::{Action, Service, ServiceError};

/// A registration (đăng ký công dân vào CSDLQG về dân cư).
#[derive(Clone, Debug)]
pub struct CitizenRegistration {
    /// The record. Without a personal ID, one is allocated.
    pub citizen: NewCitizen,
    /// Mã nơi đăng ký khai sinh (province 001–096 or country 101–295): the
    /// prefix of the allocated number; required when `citizen.personal_id`
    /// is `None`.
    pub birth_registration_code: Option<u16>,
}

/// A name search (tra cứu công dân theo họ tên).
#[derive(Clone, Debug)]
pub struct CitizenSearch {
    /// The name as typed; diacritics and case do not matter.
    pub name: String,
    /// Optional date of birth, possibly partial.
    pub dob: Option<PartialDate>,
    /// Match anywhere in the name instead of at its start.
    pub contains: bool,
    /// At most this many (the store caps it at 500).
    pub limit: u32,
}

/// Roles that register citizens: reception (first registration at
/// issuance), commune police (population data) and administrators.
const REGISTRARS: &[Role] = &[Role::Receptionist, Role::CommunePolice, Role::Admin];

impl Service {
    /// Registers a citizen; without a personal ID, allocates one from the
    /// per-prefix counter in the same transaction. `officer` is `None` for
    /// bulk tools acting as the system.
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
        let assign = match (reg.citizen.personal_id, reg.birth_registration_code) {
            (Some(_), _) => IdAssignment::AsGiven,
            (None, Some(region_code)) => IdAssignment::Allocate {
                allocator: &self.allocator,
                region_code,
            },
            (None, None) => {
                return Err(ServiceError::invalid(
                    "birth_registration_code",
                    "công dân chưa có số định danh: cần mã nơi đăng ký khai sinh (tỉnh 001–096 hoặc quốc gia 101–295) để cấp số",
                    "the citizen has no personal ID: the birth registration code (province 001–096 or country 101–295) is needed to assign one",
                ));
            }
        };
        let c = self
            .store
            .register_citizen(&reg.citizen, assign, officer.map(|o| o.id), self.now_secs())
            .await?;
        tracing::info!(
            citizen = c.id.0,
            personal_id = c.personal_id.as_ref().map(|p| mask(p).as_str().to_owned()),
            assigned = reg.citizen.personal_id.is_none(),
            officer = officer.map(|o| o.id.0),
            "citizen registered"
        );
        Ok(c)
    }

    /// Searches citizens by name (diacritic-insensitive) and date of birth.
    pub async fn search_citizens(&self, q: &CitizenSearch) -> Result<Vec<Citizen>, ServiceError> {
        Ok(self
            .store
            .search_citizens(&CitizenQuery {
                name: q.name.clone(),
                matching: if q.contains {
                    NameMatch::Contains
                } else {
                    NameMatch::Prefix
                },
                dob: q.dob,
                limit: q.limit,
            })
            .await?)
    }

    /// One citizen by personal ID.
    pub async fn citizen(&self, id: &PersonalId) -> Result<Citizen, ServiceError> {
        Ok(self.store.citizen_by_personal_id(id).await?)
    }

    /// One citizen by record id (the desk's links carry it).
    pub async fn citizen_by_id(&self, id: CitizenId) -> Result<Citizen, ServiceError> {
        Ok(self.store.citizen(id).await?)
    }
}
