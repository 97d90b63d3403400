//! Cards: issue (the previous active card becomes replaced in the same
//! transaction), list a citizen's cards, change a card's state, report a
//! card lost (officer or holder, at once, audited), the card a dossier
//! made, and the public status of a card by number (state, dates and
//! model only). The workflow's own card steps (printed, returned,
//! cancelled) are in `apply_transition` (`ops/transitions.rs`).

use jiff::civil::Date;

use crate::Store;
use crate::db::with_pool;
use crate::error::{Entity, StoreError};
use crate::model::card::{Card, CardId, CardState, CardStatusRow};
use crate::model::citizen::CitizenId;
use crate::model::officer::OfficerId;
use crate::ops::audit;
use crate::rows::{CardRow, CardStatusDbRow, card_cols, card_status_cols};

impl Store {
    /// Records a newly issued card (thẻ mới cấp) for a citizen who holds a
    /// personal ID; the card number is that ID. The previously active card,
    /// if any, becomes [`CardState::Replaced`] in the same transaction.
    pub async fn issue_card(
        &self,
        citizen: CitizenId,
        issued_on: Date,
        expires_on: Option<Date>,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<Card, StoreError> {
        if expires_on.is_some_and(|e| e <= issued_on) {
            return Err(StoreError::field(
                "expires_on",
                "must be after the issue date",
            ));
        }
        let (id, number) = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let pid: Option<Option<String>> = sqlx::query_scalar::<DB, Option<String>>(
                "SELECT personal_id FROM citizens WHERE id = $1",
            )
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            let number = pid
                .ok_or_else(|| StoreError::not_found(Entity::Citizen, citizen.0.to_string()))?
                .ok_or_else(|| {
                    StoreError::field("citizen", "has no personal ID yet: assign one first")
                })?;
            sqlx::query(
                "UPDATE cards SET state = 'replaced', state_changed_at = $2 \
                 WHERE citizen_id = $1 AND state = 'active'",
            )
            .bind(citizen.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar::<DB, i64>(
                "INSERT INTO cards (number, citizen_id, issued_on, expires_on, state, \
                 activated_at, state_changed_at) VALUES ($1, $2, $3, $4, 'active', $5, $5) \
                 RETURNING id",
            )
            .bind(&number)
            .bind(citizen.0)
            .bind(issued_on.to_string())
            .bind(expires_on.map(|d| d.to_string()))
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE cards SET replaced_by = $1 WHERE citizen_id = $2 \
                 AND state = 'replaced' AND replaced_by IS NULL AND state_changed_at = $3",
            )
            .bind(id)
            .bind(citizen.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "card.issue",
                format!("card:{id}"),
                format!("citizen={}", citizen.0)
            );
            tx.commit().await?;
            (id, number)
        });
        Ok(Card {
            id: CardId(id),
            number,
            citizen,
            issued_on,
            expires_on,
            state: CardState::Active,
            dossier: None,
            model: None,
            mrz: None,
            qr_payload: None,
            sod_digest: None,
            printed_at: None,
            activated_at: Some(at),
            state_changed_at: Some(at),
            lost_at: None,
            lost_reason: None,
            lost_by: None,
            replaced_by: None,
        })
    }

    /// A citizen's cards, newest first.
    pub async fn cards_of(&self, citizen: CitizenId) -> Result<Vec<Card>, StoreError> {
        let rows: Vec<CardRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, CardRow>(concat!(
                "SELECT ",
                card_cols!(),
                " FROM cards WHERE citizen_id = $1 ORDER BY id DESC"
            ))
            .bind(citizen.0)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(CardRow::into_model).collect()
    }

    /// Marks a card lost or void (báo mất / hủy). Only an active card
    /// changes; anything else is a field error naming its state.
    pub async fn set_card_state(
        &self,
        card: CardId,
        state: CardState,
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<(), StoreError> {
        if !matches!(state, CardState::Lost | CardState::Void) {
            return Err(StoreError::field(
                "state",
                "only lost or void can be set directly",
            ));
        }
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            let current: Option<String> =
                sqlx::query_scalar::<DB, String>("SELECT state FROM cards WHERE id = $1")
                    .bind(card.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let current: CardState = current
                .ok_or_else(|| StoreError::not_found(Entity::Card, card.0.to_string()))?
                .parse()?;
            if current != CardState::Active {
                return Err(StoreError::field(
                    "state",
                    format!("card is {current}, only an active card can become {state}"),
                ));
            }
            sqlx::query(
                "UPDATE cards SET state = $1, state_changed_at = $3, \
                 lost_at = CASE WHEN $1 = 'lost' THEN $3 ELSE lost_at END WHERE id = $2",
            )
            .bind(state.code())
            .bind(card.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "card.state",
                format!("card:{}", card.0),
                state.code()
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Reports a card lost (báo mất thẻ) at once: the card numbered
    /// `number` — issued on `issued_on` when given, else the holder's
    /// active card, else their printed one — becomes
    /// [`CardState::Lost`] with the time, the reason and the reporting
    /// officer (`None`: the holder reported it through their account), and
    /// an audit row `card.lost`, in one transaction. A card already lost
    /// is answered as it is (nothing written); a replaced or void card is a
    /// field error naming its state; no such card is not found.
    pub async fn report_card_lost(
        &self,
        number: &str,
        issued_on: Option<Date>,
        actor: Option<OfficerId>,
        reason: &str,
        at: i64,
    ) -> Result<CardStatusRow, StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::field("reason", "is required"));
        }
        let issued = issued_on.map(|d| d.to_string());
        let row: CardStatusDbRow = with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            // Active first, then printed, then lost; newest first.
            let found: Option<(i64, String)> = sqlx::query_as::<DB, (i64, String)>(
                "SELECT id, state FROM cards WHERE number = $1 \
                 AND ($2 IS NULL OR issued_on = $2) \
                 ORDER BY CASE state WHEN 'active' THEN 0 WHEN 'printed' THEN 1 \
                 WHEN 'lost' THEN 2 ELSE 3 END, id DESC LIMIT 1",
            )
            .bind(number)
            .bind(issued.as_deref())
            .fetch_optional(&mut *tx)
            .await?;
            let (id, state) = found.ok_or_else(|| {
                StoreError::not_found(Entity::Card, cancuoc_core::id::mask_any(number))
            })?;
            let state: CardState = state.parse()?;
            match state {
                CardState::Active | CardState::Printed => {
                    sqlx::query(
                        "UPDATE cards SET state = 'lost', lost_at = $1, state_changed_at = $1, \
                         lost_reason = $2, lost_by = $3 WHERE id = $4",
                    )
                    .bind(at)
                    .bind(reason)
                    .bind(actor.map(|o| o.0))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    audit!(
                        tx,
                        at,
                        actor.map(|o| o.0),
                        "card.lost",
                        format!("card:{id}"),
                        format!(
                            "was={} by={}",
                            state.code(),
                            if actor.is_some() { "officer" } else { "holder" }
                        )
                    );
                }
                CardState::Lost => {}
                CardState::Replaced | CardState::Void => {
                    return Err(StoreError::field(
                        "state",
                        format!("card is {state}: only an active or printed card can be lost"),
                    ));
                }
            }
            let row = sqlx::query_as::<DB, CardStatusDbRow>(concat!(
                "SELECT ",
                card_status_cols!(),
                " FROM cards WHERE id = $1"
            ))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            row
        });
        row.into_model()
    }

    /// The public status of the card numbered `number` (tra cứu tình trạng
    /// thẻ): the card issued on `issued_on` when given (the newest such),
    /// else the holder's active card, else their printed one, else their
    /// newest. Reads state, dates and model only — nothing about the
    /// holder. `None` when no card has that number (and date).
    pub async fn card_status_by_number(
        &self,
        number: &str,
        issued_on: Option<Date>,
    ) -> Result<Option<CardStatusRow>, StoreError> {
        let issued = issued_on.map(|d| d.to_string());
        let row: Option<CardStatusDbRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, CardStatusDbRow>(concat!(
                "SELECT ",
                card_status_cols!(),
                " FROM cards WHERE number = $1 AND ($2 IS NULL OR issued_on = $2) \
                 ORDER BY CASE state WHEN 'active' THEN 0 WHEN 'printed' THEN 1 ELSE 2 END, \
                 id DESC LIMIT 1"
            ))
            .bind(number)
            .bind(issued.as_deref())
            .fetch_optional(pool)
            .await?
        });
        row.map(CardStatusDbRow::into_model).transpose()
    }

    /// The card a dossier's "printed" step made, if any (for the console's
    /// dossier page).
    pub async fn card_of_dossier(
        &self,
        code: cancuoc_core::dossier::code::DossierCode,
    ) -> Result<Option<Card>, StoreError> {
        let code = crate::rows::code_value(&code);
        let row: Option<CardRow> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, CardRow>(concat!(
                "SELECT ",
                card_cols!(),
                " FROM cards WHERE dossier_id = (SELECT id FROM dossiers WHERE code = $1)"
            ))
            .bind(code)
            .fetch_optional(pool)
            .await?
        });
        row.map(CardRow::into_model).transpose()
    }
}
