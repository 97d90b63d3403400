//! The reads behind a status lookup without the dossier code (tra cứu
//! không cần mã hồ sơ): the citizens holding an old CMND number, and a
//! citizen's latest dossier. The caller (the service's channels) matches
//! the date of birth and name itself and tells nothing but the state.
//! Both read on a replica when one is fresh (see `replica.rs`).

use cancuoc_core::dossier::code::DossierCode;

use crate::Store;
use crate::db::with_pool;
use crate::error::StoreError;
use crate::model::citizen::CitizenId;
use crate::replica::public_read;
use crate::rows::code_of;

impl Store {
    /// The records holding the old 9- or 12-digit CMND number `number`
    /// (normally one; a number reused across provinces can give several).
    pub async fn citizens_by_cmnd(&self, number: &str) -> Result<Vec<CitizenId>, StoreError> {
        let ids: Vec<i64> = public_read!(self, |db| async {
            Ok::<_, StoreError>(with_pool!(db, |pool| {
                sqlx::query_scalar::<DB, i64>(
                    "SELECT citizen_id FROM citizen_old_cmnd WHERE number = $1 ORDER BY citizen_id \
                     LIMIT 10",
                )
                .bind(number)
                .fetch_all(pool)
                .await?
            }))
        }
        .await)?;
        Ok(ids.into_iter().map(CitizenId).collect())
    }

    /// The code of `citizen`'s most recent dossier (by reception or
    /// appointment day, then the latest created), if any.
    pub async fn latest_dossier_of(
        &self,
        citizen: CitizenId,
    ) -> Result<Option<DossierCode>, StoreError> {
        let code: Option<i64> = public_read!(self, |db| async {
            Ok::<_, StoreError>(with_pool!(db, |pool| {
                sqlx::query_scalar::<DB, i64>(
                    "SELECT code FROM dossiers WHERE citizen_id = $1 \
                     ORDER BY received_on DESC, id DESC LIMIT 1",
                )
                .bind(citizen.0)
                .fetch_optional(pool)
                .await?
            }))
        }
        .await)?;
        code.map(code_of).transpose()
    }
}
