//! The officers' side of the accounts: level 2 granted only in person by
//! the police (Decree 59/2022/NĐ-CP: after comparing the portrait or the
//! fingerprints, or together with card issuance), recorded with officer,
//! office, time and method; lowering a level, locking and unlocking, each
//! with a reason; and level 2 granted automatically when the card is
//! handed over to a citizen who asked for it on their declaration.
//!
//! Who may: an administrator, or a receptionist who works a desk that
//! receives the public today (`OfficeTree::receives_applicants`) — the
//! officer the citizen stands before. Every change goes into the
//! account's events with the officer.

use cancuoc_core::account::sms::Notice;
use cancuoc_core::account::{AccountLevel, LevelMethod};
use cancuoc_core::dossier::workflow::Role;
use cancuoc_store::{
    Account, AccountActor, AccountEvent, CitizenId, EventContext, LevelGrant, Officer,
};

use super::client_text;
use crate::error::Action;
use crate::guard::Client;
use crate::{Service, ServiceError};

/// Roles that may change a citizen's account.
const ACCOUNT_ROLES: &[Role] = &[Role::Receptionist, Role::Admin];

/// What an officer sees of a citizen's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficerAccountView {
    /// The account, if the citizen has one.
    pub account: Option<Account>,
    /// Its latest events.
    pub events: Vec<AccountEvent>,
}

impl Service {
    /// Refuses an officer who may not change accounts today.
    fn may_change_accounts(&self, officer: &Officer) -> Result<(), ServiceError> {
        let allowed = match officer.role {
            Role::Admin => true,
            Role::Receptionist => self.offices().receives_applicants(officer, self.today()),
            _ => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(ServiceError::RoleNotAllowed {
                action: Action::ManageAccount,
                role: officer.role,
                allowed: ACCOUNT_ROLES,
            })
        }
    }

    fn officer_ctx<'a>(&self, officer: &Officer, client: &'a str) -> EventContext<'a> {
        EventContext {
            at: self.now_secs(),
            officer: Some(officer.id),
            client,
        }
    }

    /// A citizen's account and its latest events, for an officer who may
    /// change accounts (the read is itself an event of the account).
    pub async fn officer_account_view(
        &self,
        officer: &Officer,
        citizen: CitizenId,
        client: Client,
    ) -> Result<OfficerAccountView, ServiceError> {
        self.may_change_accounts(officer)?;
        self.store.citizen(citizen).await?;
        let account = self.store.account(citizen).await?.map(|r| r.account);
        let events = if account.is_some() {
            let who = client_text(client);
            self.store
                .add_account_event(citizen, "officer_read", "", self.officer_ctx(officer, &who))
                .await?;
            self.store.account_events(citizen, 20).await?
        } else {
            Vec::new()
        };
        Ok(OfficerAccountView { account, events })
    }

    /// Grants level 2 (xác thực tài khoản mức độ 2) after checking the
    /// citizen in person by `method`: recorded with the officer, office
    /// and time. A citizen without an account gets one without a password,
    /// which they then register. The owner is told by SMS.
    pub async fn grant_level_two(
        &self,
        officer: &Officer,
        citizen: CitizenId,
        method: LevelMethod,
        client: Client,
    ) -> Result<Account, ServiceError> {
        self.may_change_accounts(officer)?;
        let c = self.store.citizen(citizen).await?;
        let who = client_text(client);
        let ctx = self.officer_ctx(officer, &who);
        let account = self
            .store
            .set_account_level(
                citizen,
                AccountLevel::Two,
                Some(LevelGrant {
                    method,
                    officer: Some(officer.id),
                    office: Some(officer.office),
                    at: ctx.at,
                }),
                "in person",
                ctx,
            )
            .await?;
        tracing::info!(
            citizen = citizen.0,
            officer = officer.id.0,
            "account level 2 granted"
        );
        self.notify(
            &c,
            Notice::LevelChanged {
                level: AccountLevel::Two,
            },
            &who,
        )
        .await;
        Ok(account)
    }

    /// Lowers an account to level 1 (hạ mức), with a reason.
    pub async fn lower_account_level(
        &self,
        officer: &Officer,
        citizen: CitizenId,
        reason: &str,
        client: Client,
    ) -> Result<Account, ServiceError> {
        self.may_change_accounts(officer)?;
        let reason = Self::reason(reason)?;
        if self.store.account(citizen).await?.is_none() {
            return Err(cancuoc_store::StoreError::NotFound {
                what: cancuoc_store::Entity::Account,
                key: citizen.0.to_string(),
            }
            .into());
        }
        let c = self.store.citizen(citizen).await?;
        let who = client_text(client);
        let account = self
            .store
            .set_account_level(
                citizen,
                AccountLevel::One,
                None,
                &reason,
                self.officer_ctx(officer, &who),
            )
            .await?;
        self.notify(
            &c,
            Notice::LevelChanged {
                level: AccountLevel::One,
            },
            &who,
        )
        .await;
        Ok(account)
    }

    /// Locks a citizen's account (an officer's lock: only an officer lifts
    /// it), with a reason; every session and token ends at once.
    pub async fn officer_lock_account(
        &self,
        officer: &Officer,
        citizen: CitizenId,
        reason: &str,
        client: Client,
    ) -> Result<bool, ServiceError> {
        self.may_change_accounts(officer)?;
        let reason = Self::reason(reason)?;
        let who = client_text(client);
        let newly = self
            .store
            .lock_account(
                citizen,
                AccountActor::Officer(officer.id),
                &reason,
                self.officer_ctx(officer, &who),
            )
            .await?;
        if newly {
            let c = self.store.citizen(citizen).await?;
            self.notify(&c, Notice::Locked, &who).await;
        }
        Ok(newly)
    }

    /// Unlocks a citizen's account after an identity check at the desk,
    /// with a reason; both failure counters start afresh.
    pub async fn officer_unlock_account(
        &self,
        officer: &Officer,
        citizen: CitizenId,
        reason: &str,
        client: Client,
    ) -> Result<bool, ServiceError> {
        self.may_change_accounts(officer)?;
        let reason = Self::reason(reason)?;
        let who = client_text(client);
        let was = self
            .store
            .unlock_account(
                citizen,
                AccountActor::Officer(officer.id),
                &reason,
                self.officer_ctx(officer, &who),
            )
            .await?;
        if was {
            let c = self.store.citizen(citizen).await?;
            self.notify(&c, Notice::Unlocked, &who).await;
        }
        Ok(was)
    }

    /// A reason as given: required, at most 500 characters.
    fn reason(reason: &str) -> Result<String, ServiceError> {
        let r = reason.trim();
        if r.is_empty() || r.chars().count() > 500 {
            return Err(ServiceError::invalid(
                "reason",
                "cần ghi lý do (tối đa 500 ký tự)",
                "a reason is required (at most 500 characters)",
            ));
        }
        Ok(r.to_owned())
    }

    /// Records a citizen's request, on their declaration, for a level-2
    /// account with their card.
    pub(crate) async fn request_account_with_card(
        &self,
        citizen: CitizenId,
    ) -> Result<(), ServiceError> {
        Ok(self.store.request_account(citizen, self.now_secs()).await?)
    }

    /// At card return: grants level 2 "with the card" to a citizen who
    /// asked for it. A failure here does not undo the hand-over; it is
    /// logged and the request stays for the next attempt.
    pub(crate) async fn grant_with_card(&self, citizen: CitizenId, office: u16) {
        let result = async {
            if !self.store.take_account_request(citizen).await? {
                return Ok::<_, ServiceError>(false);
            }
            let at = self.now_secs();
            let ctx = EventContext {
                at,
                officer: None,
                client: "",
            };
            if let Err(e) = self
                .store
                .set_account_level(
                    citizen,
                    AccountLevel::Two,
                    Some(LevelGrant {
                        method: LevelMethod::CardIssuance,
                        officer: None,
                        office: Some(office),
                        at,
                    }),
                    "card handed over",
                    ctx,
                )
                .await
            {
                let _ = self.store.request_account(citizen, at).await;
                return Err(e.into());
            }
            Ok(true)
        }
        .await;
        match result {
            Ok(true) => {
                tracing::info!(citizen = citizen.0, "account level 2 granted with the card")
            }
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(citizen = citizen.0, error = %e.chain(), "level 2 with the card not granted")
            }
        }
    }
}
