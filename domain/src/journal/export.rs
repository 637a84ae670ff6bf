//! The whole list exported for support, an audit or re-import: JSON in the stored
//! format, or CSV with one row per job.

use super::{Journal, JOURNAL_VERSION};
use crate::figures;
use crate::job::{Job, Progress};
use crate::wording;

impl Journal {
    /// The whole list as JSON, in the stored format (for support and for re-import by
    /// hand).
    pub fn export_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|_| format!(r#"{{"version":{JOURNAL_VERSION},"jobs":[]}}"#))
    }

    /// The whole list as CSV, one row per job, columns in [`EXPORT_COLUMNS`] order, times
    /// in UTC ISO 8601.
    pub fn export_csv(&self, now_ms: u64) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut write = |row: Vec<String>| w.write_record(&row).is_ok();
        write(EXPORT_COLUMNS.iter().map(|c| (*c).to_owned()).collect());
        for job in &self.jobs {
            write(export_row(job, now_ms));
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Columns of [`Journal::export_csv`], in order. New columns go at the end.
pub const EXPORT_COLUMNS: [&str; 26] = [
    "job id",
    "batch id",
    "batch label",
    "file name",
    "size (bytes)",
    "md5",
    "action type",
    "idempotency key",
    "track id",
    "state",
    "detail",
    "attempts",
    "created (UTC)",
    "first sent (UTC)",
    "updated (UTC)",
    "bulk key",
    "request id",
    "zuora status",
    "total rows",
    "processed rows",
    "succeeded rows",
    "failed rows",
    "uploaded on",
    "started on",
    "ended on",
    "resent from",
];

fn export_row(job: &Job, now_ms: u64) -> Vec<String> {
    let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let p = job.progress.as_ref();
    let text =
        |f: fn(&Progress) -> &Option<String>| p.and_then(|p| f(p).clone()).unwrap_or_default();
    vec![
        job.id.to_string(),
        job.batch.as_ref().map(|b| b.id.clone()).unwrap_or_default(),
        job.batch
            .as_ref()
            .map(|b| b.label.clone())
            .unwrap_or_default(),
        job.file_name.clone(),
        job.size.to_string(),
        job.checksum.to_string(),
        job.action_type.api_name().to_owned(),
        job.idempotency_key.to_string(),
        job.track_id.to_string(),
        job.state.name().to_owned(),
        wording::jobs::job_sentence(job, now_ms),
        job.attempts.to_string(),
        figures::utc_iso(job.created_ms),
        job.first_sent_ms.map(figures::utc_iso).unwrap_or_default(),
        figures::utc_iso(job.updated_ms),
        job.bulk_key
            .as_ref()
            .map(|k| k.to_string())
            .unwrap_or_default(),
        job.request_id.clone().unwrap_or_default(),
        p.map(|p| p.status.as_str().to_owned()).unwrap_or_default(),
        opt(p.and_then(|p| p.total_count)),
        opt(p.and_then(|p| p.processed_count)),
        opt(p.and_then(|p| p.success_count)),
        opt(p.and_then(|p| p.error_count)),
        text(|p| &p.uploaded_on),
        text(|p| &p.started_on),
        text(|p| &p.ended_on),
        job.resent_from
            .as_ref()
            .map(|id| id.to_string())
            .unwrap_or_default(),
    ]
}
