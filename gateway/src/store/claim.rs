//! Which instance follows which mass action: a lease per bulk key, taken and extended
//! in one statement so two instances never hold the same key.

use std::time::Duration;

use sqlx::Row;

use super::{now_micros, Backend, Store, StoreError};

/// Candidates: mass actions with a bulk key, not ended, whose lease is free, expired or
/// already the claimant's ($1); the least recently checked first. PostgreSQL locks the
/// rows it takes and skips rows another instance is claiming at the same moment, and
/// the outer condition is checked again on the row as it is after any such claim.
/// SQLite has one writer at a time, which makes the same statement safe without locks.
const CLAIM: &str = "UPDATE submissions SET lease_holder = $1, lease_until = $2 \
     WHERE id IN (SELECT id FROM submissions \
        WHERE bulk_key IS NOT NULL \
        AND status NOT IN ('Completed', 'Stopped', 'Failed', 'Refused', 'Sending', 'Unknown') \
        AND (lease_until IS NULL OR lease_until < $3 OR lease_holder = $1) \
        ORDER BY COALESCE(last_checked_at, 0), id LIMIT $4 {LOCK}) \
     AND (lease_until IS NULL OR lease_until < $3 OR lease_holder = $1) \
     RETURNING bulk_key";

impl Store {
    /// Takes (or extends) the lease on up to `limit` mass actions still to follow, for
    /// `lease` from now, and returns their bulk keys.
    pub async fn claim_to_follow(
        &self,
        instance: &str,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        let lock = match self.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = CLAIM.replace("{LOCK}", lock);
        let now = now_micros();
        let lease = i64::try_from(lease.as_micros()).unwrap_or(i64::MAX);
        let rows = sqlx::query(&sql)
            .bind(instance)
            .bind(now.saturating_add(lease))
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                row.try_get::<String, _>("bulk_key")
                    .map_err(StoreError::from)
            })
            .collect()
    }

    /// Gives up `instance`'s lease on a key (another instance's lease is left alone).
    pub async fn release(&self, bulk_key: &str, instance: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE submissions SET lease_holder = NULL, lease_until = NULL \
             WHERE bulk_key = $1 AND lease_holder = $2",
        )
        .bind(bulk_key)
        .bind(instance)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
