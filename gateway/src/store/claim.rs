//! Which instance follows which mass action: a lease per bulk key, taken and extended
//! in one statement so two instances never hold the same key.

use std::time::Duration;

use sqlx::Row;

use super::{Backend, Store, StoreError};

/// Leases are capped at a year: far beyond any useful one, and no overflow in the sum.
const MAX_LEASE_MICROS: i64 = 365 * 24 * 3600 * 1_000_000;

/// Candidates: mass actions with a bulk key, not ended, whose lease is free, expired or
/// already the claimant's ($1); the least recently checked first. Leases are measured by
/// the database's clock, so instances on machines whose clocks differ still agree.
/// PostgreSQL locks the rows it takes and skips rows another instance is claiming at the
/// same moment, and the outer condition is checked again on the row as it is after any
/// such claim. SQLite has one writer at a time, which makes the same statement safe
/// without locks.
const CLAIM: &str = "UPDATE submissions SET lease_holder = $1, lease_until = {NOW} + $2 \
     WHERE id IN (SELECT id FROM submissions \
        WHERE bulk_key IS NOT NULL \
        AND status NOT IN ('Completed', 'Stopped', 'Failed', 'Refused', 'Sending', 'Unknown') \
        AND (lease_until IS NULL OR lease_until < {NOW} OR lease_holder = $1) \
        ORDER BY COALESCE(last_checked_at, 0), id LIMIT $3 {LOCK}) \
     AND (lease_until IS NULL OR lease_until < {NOW} OR lease_holder = $1) \
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
        // The database's time now, in Unix microseconds.
        let (lock, now) = match self.backend {
            Backend::Postgres => (
                "FOR UPDATE SKIP LOCKED",
                "CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000000 AS BIGINT)",
            ),
            Backend::Sqlite => (
                "",
                "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)",
            ),
        };
        let sql = CLAIM.replace("{LOCK}", lock).replace("{NOW}", now);
        let lease = i64::try_from(lease.as_micros())
            .unwrap_or(i64::MAX)
            .min(MAX_LEASE_MICROS);
        let rows = sqlx::query(&sql)
            .bind(instance)
            .bind(lease)
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
