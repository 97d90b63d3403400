//! What an account's owner sees once logged in: the identification data
//! (thông tin định danh) with each field marked verified against the
//! population database or self-declared, and its source; the children
//! under 14 linked to them; the document wallet (ví giấy tờ) with the card,
//! its status from the rules and its QR payload; the account's events and
//! sessions; and changing the password.

use cancuoc_core::card::CardModel;
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::rules::{CardExpiry, Document, DocumentStatus, Expiry, document_status};
use cancuoc_store::{
    Account, AccountEvent, AccountSessionInfo, CardState, Citizen, CitizenId, LiveAccountSession,
    Verification,
};
use jiff::civil::Date;

use super::flows::{Problems, personal};
use super::{AccountError, client_text, ctx};
use crate::accounts::hash_secret;
use crate::cards::{CardStatus, card_of_record, lost_reason, standing};
use crate::guard::Client;
use crate::{Service, ServiceError};

/// Children shown to a guardian: those under this age.
pub const CHILD_AGE_LIMIT: i16 = 14;

/// One field of the identification data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityField {
    /// Stable name: `personal_id`, `full_name`, `date_of_birth`, `sex`,
    /// `nationality`, `ethnicity`, `religion`, `place_of_origin`,
    /// `permanent_residence`, `temporary_residence`, `phone`.
    pub name: &'static str,
    /// Vietnamese label.
    pub label_vi: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// The value as recorded (dates `dd/mm/yyyy`).
    pub value: String,
    /// Verified against the population database (green) or
    /// self-declared (yellow).
    pub verified: bool,
    /// Where the value comes from (`npd`, `citizen`, …).
    pub source: String,
}

/// A child under 14 linked to the account's owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildView {
    /// The child's personal ID number, in full (the guardian uses it).
    pub personal_id: Option<String>,
    /// Name.
    pub full_name: String,
    /// Date of birth, `dd/mm/yyyy` (or as much as is known).
    pub date_of_birth: String,
    /// `father`, `mother` or `guardian`: what the owner is to the child.
    pub relation: String,
}

/// The identification data of an account's owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityView {
    /// The citizen.
    pub citizen: CitizenId,
    /// The account (level, how level 2 was granted, lock).
    pub account: Account,
    /// Every field with its mark.
    pub fields: Vec<IdentityField>,
    /// The children under 14 linked to the owner.
    pub children: Vec<ChildView>,
}

impl IdentityView {
    /// The value of field `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }
}

/// A card's standing on a day, as the wallet shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalletStatus {
    /// Còn giá trị sử dụng.
    Valid,
    /// Phải đổi thẻ (an age milestone reached or printed expiry passed).
    MustRenew,
    /// Hết hạn / hết giá trị.
    Expired,
}

impl WalletStatus {
    /// Stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::MustRenew => "must_renew",
            Self::Expired => "expired",
        }
    }
    /// Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Valid => "Còn giá trị sử dụng",
            Self::MustRenew => "Phải đổi thẻ",
            Self::Expired => "Hết hạn",
        }
    }
    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Valid => "Valid",
            Self::MustRenew => "Must be renewed",
            Self::Expired => "Expired",
        }
    }
}

/// A card in the wallet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletCard {
    /// The card's number (the personal ID number).
    pub number: String,
    /// `cccd` (to 30/06/2024) or `cancuoc` (from 01/07/2024).
    pub kind: &'static str,
    /// Ngày cấp.
    pub issued_on: Date,
    /// Có giá trị đến (from the rules: the renewal age after the issue
    /// date); `None` for no expiry.
    pub expires_on: Option<Date>,
    /// Its standing today.
    pub status: WalletStatus,
    /// Why, in Vietnamese (from the rules engine).
    pub explanation_vi: String,
    /// Why, in English.
    pub explanation_en: String,
    /// The card's QR payload, as printed on it.
    pub qr_payload: Option<String>,
}

/// The document wallet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wallet {
    /// The active card, if the owner holds one.
    pub cards: Vec<WalletCard>,
}

fn dmy(d: &PartialDate) -> String {
    match *d {
        PartialDate::Full(d) => d.strftime("%d/%m/%Y").to_string(),
        PartialDate::YearMonth { year, month } => format!("{month:02}/{year}"),
        PartialDate::Year(y) => y.to_string(),
    }
}

fn field(
    c: &Citizen,
    name: &'static str,
    label_vi: &'static str,
    label_en: &'static str,
    value: String,
) -> IdentityField {
    let p = c.provenance.of(name);
    IdentityField {
        name,
        label_vi,
        label_en,
        value,
        verified: p.status == Verification::Verified,
        source: p.source.clone(),
    }
}

/// The fields of a citizen record, in the order the account shows them.
fn identity_fields(c: &Citizen) -> Vec<IdentityField> {
    let sex = match c.sex {
        Sex::Male => "Nam",
        Sex::Female => "Nữ",
    };
    let mut out = vec![
        field(
            c,
            "personal_id",
            "Số định danh cá nhân",
            "Personal ID number",
            c.personal_id
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
        ),
        field(
            c,
            "full_name",
            "Họ, chữ đệm và tên",
            "Full name",
            c.full_name.clone(),
        ),
        field(
            c,
            "date_of_birth",
            "Ngày sinh",
            "Date of birth",
            dmy(&c.dob),
        ),
        field(c, "sex", "Giới tính", "Sex", sex.into()),
        field(
            c,
            "nationality",
            "Quốc tịch",
            "Nationality",
            c.nationality.clone(),
        ),
        field(c, "ethnicity", "Dân tộc", "Ethnicity", c.ethnicity.clone()),
        field(c, "religion", "Tôn giáo", "Religion", c.religion.clone()),
        field(
            c,
            "place_of_origin",
            "Quê quán",
            "Place of origin",
            c.place_of_origin.clone(),
        ),
        field(
            c,
            "permanent_residence",
            "Nơi thường trú",
            "Permanent residence",
            c.permanent_residence.clone(),
        ),
    ];
    if let Some(t) = &c.temporary_residence {
        out.push(field(
            c,
            "temporary_residence",
            "Nơi tạm trú",
            "Temporary residence",
            t.clone(),
        ));
    }
    if let Some(p) = &c.phone {
        out.push(field(
            c,
            "phone",
            "Số điện thoại",
            "Phone number",
            p.clone(),
        ));
    }
    out
}

/// Whether someone born on `dob` is under `limit` years old on `today`.
fn under(dob: &PartialDate, limit: i16, today: Date) -> bool {
    let (y, m, d) = match *dob {
        PartialDate::Full(d) => (d.year(), d.month(), d.day()),
        PartialDate::YearMonth { year, month } => (year, month, 1),
        PartialDate::Year(y) => (y, 1, 1),
    };
    let mut age = today.year() - y;
    if (today.month(), today.day()) < (m, d) {
        age -= 1;
    }
    age < limit
}

impl Service {
    /// The owner of a live session, or [`AccountError::Session`].
    fn owner(session: Option<&LiveAccountSession>) -> Result<CitizenId, ServiceError> {
        session
            .map(|s| s.citizen)
            .ok_or_else(|| AccountError::Session.into())
    }

    /// The account of a session's owner.
    async fn own_account(&self, citizen: CitizenId) -> Result<Account, ServiceError> {
        self.store
            .account(citizen)
            .await?
            .map(|r| r.account)
            .ok_or_else(|| AccountError::Session.into())
    }

    /// The identification data of the session's owner (thông tin định
    /// danh), each field marked verified or self-declared with its source,
    /// and the children under 14 linked to them.
    pub async fn account_identity(
        &self,
        session: &LiveAccountSession,
    ) -> Result<IdentityView, ServiceError> {
        let citizen = Self::owner(Some(session))?;
        let account = self.own_account(citizen).await?;
        let c = self.store.citizen(citizen).await?;
        let today = self.today();
        let children = self
            .store
            .children_of(citizen)
            .await?
            .into_iter()
            .filter(|(child, _)| under(&child.dob, CHILD_AGE_LIMIT, today))
            .map(|(child, relation)| ChildView {
                personal_id: child.personal_id.map(|p| p.as_str().to_owned()),
                full_name: child.full_name,
                date_of_birth: dmy(&child.dob),
                relation,
            })
            .collect();
        Ok(IdentityView {
            citizen,
            account,
            fields: identity_fields(&c),
            children,
        })
    }

    /// The document wallet of the session's owner (ví giấy tờ): the
    /// active card with its expiry and standing from the rules engine and
    /// the QR payload printed on it.
    pub async fn account_wallet(
        &self,
        session: &LiveAccountSession,
    ) -> Result<Wallet, ServiceError> {
        let citizen = Self::owner(Some(session))?;
        let c = self.store.citizen(citizen).await?;
        let today = self.today();
        let mut cards = Vec::new();
        for card in self.store.cards_of(citizen).await? {
            if card.state != CardState::Active {
                continue;
            }
            // The same reading as the relying parties' card status
            // (`cards::standing`): the model by issue date, the expiry as
            // printed on the card; a record that kept no expiry (cards
            // loaded before the workflow made them) from the birth date.
            let expiry = match card.expires_on {
                Some(d) => CardExpiry::Printed(Expiry::On(d)),
                None => CardExpiry::FromBirth(c.dob),
            };
            let doc = crate::cards::document_of(card.issued_on, expiry);
            let kind = match doc {
                Document::Cccd { .. } => "cccd",
                _ => "cancuoc",
            };
            let on = today.max(card.issued_on);
            // A card the rules cannot place (an issue date outside its
            // regime, a record's odd date of birth) is left out of the
            // wallet and logged; the others still show.
            let explained = match document_status(doc, on) {
                Ok(e) => e,
                Err(e) => {
                    tracing::warn!(card = card.id.0, error = %e, "wallet: card status unknown");
                    continue;
                }
            };
            let (status, expires_on) = match explained.value {
                DocumentStatus::Valid { until } => (WalletStatus::Valid, until),
                DocumentStatus::MustRenew { since, .. } => {
                    (WalletStatus::MustRenew, since.yesterday().ok())
                }
                DocumentStatus::Expired { since } | DocumentStatus::Void { since } => {
                    (WalletStatus::Expired, since.yesterday().ok())
                }
            };
            // The card as printed carries its QR; an older record's QR is
            // the one the record gives (the same mapping as printing).
            let qr_payload = card.qr_payload.clone().or_else(|| {
                card_of_record(&c, card.issued_on, None, "")
                    .ok()
                    .and_then(|k| k.qr_payload(CardModel::for_issue_date(card.issued_on)).ok())
            });
            cards.push(WalletCard {
                number: card.number,
                kind,
                issued_on: card.issued_on,
                expires_on,
                status,
                explanation_vi: explained.explanation_vi,
                explanation_en: explained.explanation_en,
                qr_payload,
            });
        }
        Ok(Wallet { cards })
    }

    /// Reports the session owner's own card lost (báo mất thẻ của tôi), so
    /// it is hotlisted at once: the card issued on `issued_on` when given,
    /// else their active or printed card; `reason` required and bounded
    /// like an officer's. Written as an account event `card_lost` too.
    /// Answers the card's number (the owner's personal ID) and its new
    /// status.
    pub async fn account_report_card_lost(
        &self,
        session: &LiveAccountSession,
        issued_on: Option<Date>,
        reason: &str,
        client: Client,
    ) -> Result<(cancuoc_core::id::PersonalId, CardStatus), ServiceError> {
        let citizen = Self::owner(Some(session))?;
        let reason = lost_reason(reason)?;
        let c = self.store.citizen(citizen).await?;
        let number = c.personal_id.ok_or_else(|| {
            ServiceError::invalid(
                "card",
                "tài khoản chưa gắn với số định danh cá nhân",
                "the account has no personal ID number",
            )
        })?;
        let at = self.now_secs();
        let row = self
            .store
            .report_card_lost(number.as_str(), issued_on, None, &reason, at)
            .await?;
        let who = client_text(client);
        self.store
            .add_account_event(citizen, "card_lost", "", ctx(at, &who))
            .await?;
        Ok((number, standing(&row, self.today())))
    }

    /// The account's events, newest first (lịch sử đăng nhập và thay đổi).
    pub async fn account_history(
        &self,
        session: &LiveAccountSession,
        limit: u32,
    ) -> Result<Vec<AccountEvent>, ServiceError> {
        Ok(self
            .store
            .account_events(session.citizen, limit.min(500))
            .await?)
    }

    /// The account's live sessions and tokens.
    pub async fn account_sessions(
        &self,
        session: &LiveAccountSession,
    ) -> Result<Vec<AccountSessionInfo>, ServiceError> {
        Ok(self
            .store
            .account_sessions(
                session.citizen,
                self.accounts.settings.sessions,
                self.now_secs(),
            )
            .await?)
    }

    /// Ends one session of the owner's by its handle, or all (`None`),
    /// this one included; how many ended.
    pub async fn revoke_account_sessions(
        &self,
        session: &LiveAccountSession,
        handle: Option<&str>,
        client: Client,
    ) -> Result<u64, ServiceError> {
        let who = client_text(client);
        Ok(self
            .store
            .revoke_account_sessions(session.citizen, handle, ctx(self.now_secs(), &who))
            .await?)
    }

    /// Changes the password (đổi mật khẩu): the current one, then the new
    /// one under the policy. Every session and token ends, this one too;
    /// the owner logs in again.
    pub async fn change_account_password(
        &self,
        session: &LiveAccountSession,
        current: &str,
        new: &str,
        client: Client,
    ) -> Result<(), ServiceError> {
        let c = self.store.citizen(session.citizen).await?;
        let dob = match c.dob {
            PartialDate::Full(d) => Some(d),
            _ => None,
        };
        let pid = c
            .personal_id
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        let mut p = Problems::default();
        p.password(
            "new_password",
            new,
            &personal(&pid, dob, c.phone.as_deref().unwrap_or_default()),
        );
        p.finish()?;
        let Some(pid) = c.personal_id else {
            return Err(AccountError::Session.into());
        };
        // The same guard and count as a login: a stolen session cannot
        // guess the password faster than the login page.
        match self.check_password(&pid, current, false, client).await {
            Ok(_) => {}
            // The session is live: a wrong current password is the form's
            // problem, not an ended session.
            Err(ServiceError::Account(AccountError::Credentials)) => {
                return Err(ServiceError::Fields(vec![crate::FieldProblem {
                    field: "current_password",
                    code: "account.current_password",
                    message_vi: "mật khẩu hiện tại không đúng".into(),
                    message_en: "the current password is wrong".into(),
                }]));
            }
            Err(e) => return Err(e),
        }
        let hash = hash_secret(new.to_owned()).await?;
        let who = client_text(client);
        self.store
            .set_account_password(c.id, &hash, "password_changed", ctx(self.now_secs(), &who))
            .await?;
        Ok(())
    }
}
