//! The statuses of mass actions as fetched from Zuora: the raw last reply per key,
//! and its fields on the submission it belongs to.

use bytes::Bytes;
use sqlx::Row;

use super::{from_micros, now_micros, StatusReply, Store, StoreError, StoredStatus};

fn count(n: Option<u64>) -> Option<i64> {
    n.and_then(|n| i64::try_from(n).ok())
}

impl Store {
    /// Records a 200 reply of `GET /v1/bulk/{bulk_key}` fetched now. An older reply
    /// never overwrites a newer one.
    pub async fn record_status(
        &self,
        bulk_key: &str,
        reply: &StatusReply,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        sqlx::query(
            "INSERT INTO status_replies (bulk_key, content_type, body, fetched_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (bulk_key) DO UPDATE SET \
             content_type = excluded.content_type, body = excluded.body, \
             fetched_at = excluded.fetched_at \
             WHERE status_replies.fetched_at <= excluded.fetched_at",
        )
        .bind(bulk_key)
        .bind(&reply.content_type)
        .bind(&reply.body)
        .bind(now)
        .execute(&self.pool)
        .await?;
        let r = &reply.result;
        sqlx::query(
            "UPDATE submissions SET status = $2, total_count = $3, processed_count = $4, \
             success_count = $5, error_count = $6, started_on = $7, ended_on = $8, \
             output_url = $9, last_checked_at = $10 \
             WHERE bulk_key = $1 AND (last_checked_at IS NULL OR last_checked_at <= $10)",
        )
        .bind(bulk_key)
        .bind(r.status.as_str())
        .bind(count(r.total_count))
        .bind(count(r.processed_count))
        .bind(count(r.success_count))
        .bind(count(r.error_count))
        .bind(&r.started_on)
        .bind(&r.ended_on)
        .bind(&r.output_url)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The last 200 status reply recorded for a key, and when it was fetched.
    pub async fn latest_status(&self, bulk_key: &str) -> Result<Option<StoredStatus>, StoreError> {
        let row = sqlx::query(
            "SELECT content_type, body, fetched_at FROM status_replies WHERE bulk_key = $1",
        )
        .bind(bulk_key)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get("body")?;
        Ok(Some(StoredStatus {
            body: Bytes::from(body),
            content_type: row.try_get("content_type")?,
            fetched_at: from_micros(row.try_get("fetched_at")?)?,
        }))
    }
}
