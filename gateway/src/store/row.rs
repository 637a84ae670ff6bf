//! A `submissions` row read back as a [`Job`].

use mass_updater_domain::Reason;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{from_micros, Cursor, Job, StoreError};

/// The columns every query that returns jobs selects, in this order.
pub(crate) const JOB_COLUMNS: &str = "id, idempotency_key, submitted_by, submitted_at, \
    file_name, file_size, md5, action_type, track_id, bulk_key, status, http_status, \
    reasons, total_count, processed_count, success_count, error_count, started_on, \
    ended_on, output_url, last_checked_at";

/// The job in a row and the cursor that continues after it.
pub(crate) fn job_of(row: &AnyRow) -> Result<(Job, Cursor), StoreError> {
    let submitted_at: i64 = row.try_get("submitted_at")?;
    let cursor = Cursor {
        submitted_at,
        id: row.try_get("id")?,
    };
    let reasons: String = row.try_get("reasons")?;
    let reasons: Vec<Reason> =
        serde_json::from_str(&reasons).map_err(|_| StoreError::Corrupt { what: "reasons" })?;
    let http_status: Option<i64> = row.try_get("http_status")?;
    let http_status =
        http_status
            .map(u16::try_from)
            .transpose()
            .map_err(|_| StoreError::Corrupt {
                what: "an HTTP status",
            })?;
    let last_checked_at: Option<i64> = row.try_get("last_checked_at")?;
    let job = Job {
        submitted_by: row.try_get("submitted_by")?,
        submitted_at: from_micros(submitted_at)?,
        file_name: row.try_get("file_name")?,
        file_size: row.try_get("file_size")?,
        md5: row.try_get("md5")?,
        action_type: row.try_get("action_type")?,
        idempotency_key: row.try_get("idempotency_key")?,
        track_id: row.try_get("track_id")?,
        bulk_key: row.try_get("bulk_key")?,
        status: row.try_get("status")?,
        total_count: row.try_get("total_count")?,
        processed_count: row.try_get("processed_count")?,
        success_count: row.try_get("success_count")?,
        error_count: row.try_get("error_count")?,
        started_on: row.try_get("started_on")?,
        ended_on: row.try_get("ended_on")?,
        reasons,
        http_status,
        output_url: row.try_get("output_url")?,
        last_checked_at: last_checked_at.map(from_micros).transpose()?,
    };
    Ok((job, cursor))
}
