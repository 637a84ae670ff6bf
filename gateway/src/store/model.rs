//! The values the store takes and gives back.

use bytes::Bytes;
use mass_updater_domain::{MassActionResult, Reason};
use serde::{Serialize, Serializer};
use std::fmt;
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

use super::Cursor;

/// Default and largest page of `history`.
pub const HISTORY_LIMIT_DEFAULT: u32 = 50;
pub const HISTORY_LIMIT_MAX: u32 = 200;

/// A `POST /v1/bulk` about to be forwarded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSubmission {
    pub idempotency_key: String,
    pub submitted_by: String,
    pub submitted_at: OffsetDateTime,
    pub file_name: String,
    pub file_size: i64,
    /// 32 lowercase hex digits.
    pub md5: String,
    pub action_type: String,
    pub track_id: Option<String>,
}

/// What `record_submission` found: a new record, or the one a previous try of the
/// same Idempotency-Key made (a retry is the same record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    New(Job),
    Existing(Job),
}

impl Recorded {
    pub fn job(&self) -> &Job {
        match self {
            Recorded::New(job) | Recorded::Existing(job) => job,
        }
    }

    pub fn is_new(&self) -> bool {
        matches!(self, Recorded::New(_))
    }
}

/// One submission and what became of it; serializes as the history job JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub submitted_by: String,
    #[serde(serialize_with = "rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub file_name: String,
    pub file_size: i64,
    pub md5: String,
    pub action_type: String,
    pub idempotency_key: String,
    pub track_id: Option<String>,
    pub bulk_key: Option<String>,
    pub status: String,
    pub total_count: Option<i64>,
    pub processed_count: Option<i64>,
    pub success_count: Option<i64>,
    pub error_count: Option<i64>,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
    pub reasons: Vec<Reason>,
    pub http_status: Option<u16>,
    #[serde(rename = "outputUrl")]
    pub output_url: Option<String>,
    #[serde(serialize_with = "rfc3339_or_null")]
    pub last_checked_at: Option<OffsetDateTime>,
}

/// RFC 3339 in UTC to the second, as the history JSON writes times.
const RFC3339_UTC: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

fn rfc3339<S: Serializer>(at: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let text = utc.format(RFC3339_UTC).map_err(serde::ser::Error::custom)?;
    s.serialize_str(&text)
}

fn rfc3339_or_null<S: Serializer>(at: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => rfc3339(at, s),
        None => s.serialize_none(),
    }
}

/// Which jobs `history` returns. The caller validates; the store clamps `limit` to
/// 1..=[`HISTORY_LIMIT_MAX`] all the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryQuery {
    pub limit: u32,
    pub before: Option<Cursor>,
    /// `None` = everyone's.
    pub user: Option<String>,
    pub status: Option<String>,
    pub action_type: Option<String>,
}

impl Default for HistoryQuery {
    fn default() -> Self {
        HistoryQuery {
            limit: HISTORY_LIMIT_DEFAULT,
            before: None,
            user: None,
            status: None,
            action_type: None,
        }
    }
}

/// One page of history, newest first; `next` continues after its last job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryPage {
    pub jobs: Vec<Job>,
    #[serde(serialize_with = "cursor_or_null")]
    pub next: Option<Cursor>,
}

fn cursor_or_null<S: Serializer>(c: &Option<Cursor>, s: S) -> Result<S::Ok, S::Error> {
    match c {
        Some(c) => s.collect_str(c),
        None => s.serialize_none(),
    }
}

/// A 200 reply of `GET /v1/bulk/{key}`: the raw body as Zuora sent it and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReply {
    pub body: String,
    pub content_type: Option<String>,
    pub result: MassActionResult,
}

/// A 200 body that is not a mass action's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableStatus {
    pub detail: String,
}

impl fmt::Display for UnreadableStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Zuora's status reply could not be read: {}.",
            self.detail
        )
    }
}

impl std::error::Error for UnreadableStatus {}

impl StatusReply {
    /// Reads a 200 body with the domain's reader (counts as numbers or strings).
    pub fn parse(
        body: &[u8],
        content_type: Option<String>,
    ) -> Result<StatusReply, UnreadableStatus> {
        let body = std::str::from_utf8(body).map_err(|_| UnreadableStatus {
            detail: "it is not UTF-8 text".into(),
        })?;
        let result = MassActionResult::parse(body).map_err(|e| UnreadableStatus {
            detail: e.to_string(),
        })?;
        Ok(StatusReply {
            body: body.to_owned(),
            content_type,
            result,
        })
    }
}

/// The last 200 status reply stored for a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredStatus {
    pub body: Bytes,
    pub content_type: Option<String>,
    pub fetched_at: OffsetDateTime,
}
