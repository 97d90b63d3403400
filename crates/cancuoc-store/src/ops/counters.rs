//! Bulk reservation of personal ID counter values (đặt trước số thứ tự cấp
//! số định danh) for the seeder and importers: one multi-row upsert per
//! batch of prefixes instead of one round trip per prefix.

use std::collections::HashMap;

use cancuoc_core::id::alloc::IdPrefix;

use crate::Store;
use crate::db::{placeholders, with_pool};
use crate::error::StoreError;
use crate::model::officer::OfficerId;
use crate::ops::audit;

/// Prefixes per upsert: 2 parameters each, well under SQLite's 32,766.
pub(crate) const RESERVE_BATCH: usize = 5_000;

pub(crate) fn reserve_sql(rows: usize, sqlite: bool) -> String {
    let mut sql = String::from("INSERT INTO id_counters (prefix, next_index) VALUES ");
    placeholders(&mut sql, rows, 2, sqlite);
    sql.push_str(
        " ON CONFLICT (prefix) DO UPDATE SET next_index = id_counters.next_index + \
         excluded.next_index RETURNING prefix, next_index",
    );
    sql
}

/// Where each prefix sits in `wants`; a repeated prefix is refused.
pub(crate) fn check_wants(wants: &[(IdPrefix, u32)]) -> Result<HashMap<&str, usize>, StoreError> {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(wants.len());
    for (i, (prefix, _)) in wants.iter().enumerate() {
        if position.insert(prefix.as_str(), i).is_some() {
            return Err(StoreError::field(
                "prefix",
                format!("prefix {prefix} is asked for twice in one reservation"),
            ));
        }
    }
    Ok(position)
}

/// Turns the upsert's `(prefix, next_index)` rows into the first index
/// reserved for each prefix, at its position in `wants`.
pub(crate) fn assign_firsts(
    rows: &[(String, i64)],
    position: &HashMap<&str, usize>,
    wants: &[(IdPrefix, u32)],
    first: &mut [u32],
) -> Result<(), StoreError> {
    for (prefix, next) in rows {
        let Some(&i) = position.get(prefix.as_str()) else {
            return Err(StoreError::corrupt("id_counters.prefix", prefix.clone()));
        };
        let start = next - i64::from(wants[i].1);
        first[i] = u32::try_from(start)
            .map_err(|_| StoreError::corrupt("id_counters.next_index", next.to_string()))?;
    }
    Ok(())
}

impl Store {
    /// Reserves `count` consecutive indexes of the counter of each prefix
    /// and returns, in the order asked, the first index reserved for each:
    /// the caller allocates `first, first + 1, …, first + count - 1` with the
    /// [`cancuoc_core::id::alloc::Allocator`]. One transaction; each prefix
    /// at most once (a repeated prefix is refused before anything is
    /// written).
    ///
    /// The reservation commits on its own: if the caller's insert then
    /// fails, those indexes stay unused (a gap in the serials, which the
    /// allocator's permutation hides), and no number is ever handed out
    /// twice.
    pub async fn reserve_id_indexes(
        &self,
        wants: &[(IdPrefix, u32)],
        actor: Option<OfficerId>,
        at: i64,
    ) -> Result<Vec<u32>, StoreError> {
        let position = check_wants(wants)?;
        let mut first = vec![0u32; wants.len()];
        let asked: Vec<&(IdPrefix, u32)> = wants.iter().filter(|(_, n)| *n > 0).collect();
        if asked.is_empty() {
            return Ok(first);
        }
        let total: u64 = asked.iter().map(|(_, n)| u64::from(*n)).sum();
        with_pool!(&self.db, |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            for chunk in asked.chunks(RESERVE_BATCH) {
                let sql = reserve_sql(chunk.len(), SQLITE);
                let mut q = sqlx::query_as::<DB, (String, i64)>(sqlx::AssertSqlSafe(sql));
                for (prefix, n) in chunk {
                    q = q.bind(prefix.as_str()).bind(i64::from(*n));
                }
                let rows = q.fetch_all(&mut *tx).await?;
                assign_firsts(&rows, &position, wants, &mut first)?;
            }
            audit!(
                tx,
                at,
                actor.map(|o| o.0),
                "id_counter.reserve",
                "id_counters",
                format!("{} prefixes, {total} indexes", asked.len())
            );
            tx.commit().await?;
        });
        Ok(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_placeholder_pair_per_prefix() {
        let s = reserve_sql(3, false);
        assert!(s.contains("($5, $6) ON CONFLICT"), "{s}");
        assert_eq!(reserve_sql(3, true).matches('?').count(), 6);
    }
}
