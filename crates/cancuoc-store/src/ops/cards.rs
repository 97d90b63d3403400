//! Cards: issue (the previous active card becomes replaced in the same
//! transaction), list a citizen's cards, change a card's state.

use jiff::civil::Date;

use crate::Store;
use crate::db::with_pool;
use crate::error::{Entity, StoreError};
use crate::model::card::{Card, CardId, CardState};
use crate::model::citizen::CitizenId;
use crate::model::officer::OfficerId;
use crate::ops::audit;
use crate::rows::{CardRow, card_cols};

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
                "UPDATE cards SET state = 'replaced' WHERE citizen_id = $1 AND state = 'active'",
            )
            .bind(citizen.0)
            .execute(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar::<DB, i64>(
                "INSERT INTO cards (number, citizen_id, issued_on, expires_on, state) \
                 VALUES ($1, $2, $3, $4, 'active') RETURNING id",
            )
            .bind(&number)
            .bind(citizen.0)
            .bind(issued_on.to_string())
            .bind(expires_on.map(|d| d.to_string()))
            .fetch_one(&mut *tx)
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
            sqlx::query("UPDATE cards SET state = $1 WHERE id = $2")
                .bind(state.code())
                .bind(card.0)
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
}
