//! What a job is made of besides the state machine: its id, its batch, Zuora's progress
//! figures, its states (as kept in the journal), and how it may be sent again.

use crate::error::{CancelReason, SubmitError, UnknownOutcome};
use crate::tagged::needed;
use crate::wire::{MassActionResult, MassActionStatus};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A job's own id, independent of the keys sent to Zuora.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(String);

impl JobId {
    /// From 16 random bytes; the caller supplies them from a cryptographic source.
    pub fn from_random_bytes(bytes: [u8; 16]) -> JobId {
        JobId(crate::request::uuid_v4(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The batch a job belongs to when one file was split into several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub id: String,
    pub label: String,
}

/// What the last `GET /v1/bulk/{key}` said, as far as the job list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub status: MassActionStatus,
    pub total_count: Option<u64>,
    pub processed_count: Option<u64>,
    pub success_count: Option<u64>,
    pub error_count: Option<u64>,
    pub uploaded_on: Option<String>,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
    pub output_url: Option<String>,
}

impl From<&MassActionResult> for Progress {
    fn from(r: &MassActionResult) -> Progress {
        let text = |v: &Option<String>| v.as_deref().map(clip);
        Progress {
            status: match &r.status {
                MassActionStatus::Other(s) => MassActionStatus::Other(clip(s)),
                known => known.clone(),
            },
            total_count: r.total_count,
            processed_count: r.processed_count,
            success_count: r.success_count,
            error_count: r.error_count,
            uploaded_on: text(&r.uploaded_on),
            started_on: text(&r.started_on),
            ended_on: text(&r.ended_on),
            output_url: text(&r.output_url),
        }
    }
}

/// Where a job is in its life. See the module documentation for the transitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase", try_from = "JobStateFields")]
pub enum JobState {
    /// Waiting for a free sending slot.
    Queued,
    /// Attempt `attempt` of the current run is on the wire.
    Sending {
        attempt: u32,
    },
    /// Attempt `attempt` of `of` starts at `at_ms`, because of `error`.
    WaitingToRetry {
        attempt: u32,
        of: u32,
        at_ms: u64,
        error: SubmitError,
    },
    /// Zuora accepted the file (the job has its bulk key); polling goes on.
    Following {
        status: MassActionStatus,
    },
    Completed,
    Stopped,
    /// The mass action as a whole failed: no rows processed, no response file.
    Failed,
    /// Turned away for certain: nothing was created.
    Refused {
        error: SubmitError,
    },
    /// We cannot tell whether Zuora has the file: check Zuora.
    Unknown {
        why: UnknownOutcome,
    },
    Cancelled {
        reason: CancelReason,
    },
}

impl JobState {
    /// A short name for logs, CSS classes and the export's `state` column.
    pub fn name(&self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Sending { .. } => "sending",
            JobState::WaitingToRetry { .. } => "waiting to retry",
            JobState::Following { .. } => "following",
            JobState::Completed => "completed",
            JobState::Stopped => "stopped",
            JobState::Failed => "failed",
            JobState::Refused { .. } => "refused",
            JobState::Unknown { .. } => "unknown",
            JobState::Cancelled { .. } => "cancelled",
        }
    }

    /// Zuora has not answered yet: the job is queued, being sent or waiting to retry.
    /// Until it answers, the job may be cancelled; clearing the list would lose it.
    pub fn awaits_answer(&self) -> bool {
        matches!(
            self,
            JobState::Queued | JobState::Sending { .. } | JobState::WaitingToRetry { .. }
        )
    }

    /// Nothing more will happen to the job by itself.
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            JobState::Completed
                | JobState::Stopped
                | JobState::Failed
                | JobState::Refused { .. }
                | JobState::Unknown { .. }
                | JobState::Cancelled { .. }
        )
    }
}

/// [`JobState`] as read back (see [`crate::tagged`]).
#[derive(Deserialize)]
struct JobStateFields {
    state: JobStateTag,
    attempt: Option<u32>,
    of: Option<u32>,
    at_ms: Option<u64>,
    error: Option<SubmitError>,
    status: Option<MassActionStatus>,
    why: Option<UnknownOutcome>,
    reason: Option<CancelReason>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum JobStateTag {
    Queued,
    Sending,
    WaitingToRetry,
    Following,
    Completed,
    Stopped,
    Failed,
    Refused,
    Unknown,
    Cancelled,
}

impl TryFrom<JobStateFields> for JobState {
    type Error = String;
    fn try_from(f: JobStateFields) -> Result<JobState, String> {
        let attempt = || needed(f.attempt, "attempt");
        Ok(match f.state {
            JobStateTag::Queued => JobState::Queued,
            JobStateTag::Sending => JobState::Sending {
                attempt: attempt()?,
            },
            JobStateTag::WaitingToRetry => JobState::WaitingToRetry {
                attempt: attempt()?,
                of: needed(f.of, "of")?,
                at_ms: needed(f.at_ms, "at_ms")?,
                error: needed(f.error, "error")?,
            },
            JobStateTag::Following => JobState::Following {
                status: needed(f.status, "status")?,
            },
            JobStateTag::Completed => JobState::Completed,
            JobStateTag::Stopped => JobState::Stopped,
            JobStateTag::Failed => JobState::Failed,
            JobStateTag::Refused => JobState::Refused {
                error: needed(f.error, "error")?,
            },
            JobStateTag::Unknown => JobState::Unknown {
                why: needed(f.why, "why")?,
            },
            JobStateTag::Cancelled => JobState::Cancelled {
                reason: needed(f.reason, "reason")?,
            },
        })
    }
}

/// How a file whose job has ended may be sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendAgain {
    /// Zuora may have the file; the same key makes a resend safe (Zuora will not run it
    /// twice). Use [`Job::send_again_same_key`].
    SameKey,
    /// Nothing was created: a new job with a new key, no warning needed.
    NewKey,
    /// Zuora may have processed the file and the key can no longer protect it (a 500
    /// is replayed for 24 hours; or the key has expired): ask with
    /// [`crate::wording::jobs::confirm_send_again_sentence`], then a new job with a new key.
    NewKeyAfterConfirmation,
}

/// Strings that come from outside (server headers, bodies, file names) are clipped
/// before they are kept, so one odd answer cannot fill the journal.
pub(super) const MAX_KEPT_CHARS: usize = 2_048;

pub(super) fn clip(text: &str) -> String {
    text.chars().take(MAX_KEPT_CHARS).collect()
}
