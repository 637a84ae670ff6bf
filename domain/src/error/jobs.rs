//! Failures of a job: why Zuora refused it or why we cannot tell, why it was
//! cancelled, an event that does not fit its state, the saved list, a stop.

use super::NoAnswer;
use crate::loose::string_or_number;
use crate::tagged::needed;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One `reasons[]` entry of Zuora's answer. The spec types `code` as a string; Zuora's
/// guides show numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    #[serde(deserialize_with = "string_or_number", default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

/// Why a mass action was not accepted, or why we cannot tell whether it was.
/// Serialised (tagged by `kind`) because jobs keep their last error in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "SubmitErrorFields")]
pub enum SubmitError {
    Rejected {
        status: u16,
        reasons: Vec<Reason>,
        process_id: Option<String>,
        request_id: Option<String>,
    },
    /// A 502 or 504 from the proxy, not from Zuora.
    Proxy {
        status: u16,
        request_id: Option<String>,
    },
    EmptyBody {
        status: u16,
        request_id: Option<String>,
    },
    NotJson {
        status: u16,
        request_id: Option<String>,
        excerpt: String,
    },
    /// JSON with neither a bulk key nor any reasons.
    UnexpectedShape {
        status: u16,
        request_id: Option<String>,
    },
    Network {
        detail: String,
    },
}

/// A 4xx other than 409 (in flight) means the request was turned away and nothing ran.
fn is_definite_refusal(status: u16) -> bool {
    (400..=499).contains(&status) && status != 409
}

impl SubmitError {
    /// Whether the mass action might exist even though we have no bulk key. When this
    /// holds, a new attempt must reuse the same `Idempotency-Key`.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            SubmitError::Proxy { .. } | SubmitError::Network { .. } => true,
            SubmitError::Rejected { status, .. } => *status == 409,
            SubmitError::EmptyBody { status, .. }
            | SubmitError::NotJson { status, .. }
            | SubmitError::UnexpectedShape { status, .. } => !is_definite_refusal(*status),
        }
    }

    /// Whether the answer says for certain that no mass action was created.
    pub fn is_definite_refusal(&self) -> bool {
        self.status().is_some_and(is_definite_refusal)
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            SubmitError::Rejected { status, .. }
            | SubmitError::Proxy { status, .. }
            | SubmitError::EmptyBody { status, .. }
            | SubmitError::NotJson { status, .. }
            | SubmitError::UnexpectedShape { status, .. } => Some(*status),
            SubmitError::Network { .. } => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            SubmitError::Rejected { request_id, .. }
            | SubmitError::Proxy { request_id, .. }
            | SubmitError::EmptyBody { request_id, .. }
            | SubmitError::NotJson { request_id, .. }
            | SubmitError::UnexpectedShape { request_id, .. } => request_id.as_deref(),
            SubmitError::Network { .. } => None,
        }
    }

    pub fn reasons(&self) -> &[Reason] {
        match self {
            SubmitError::Rejected { reasons, .. } => reasons,
            _ => &[],
        }
    }
}

/// Why a `Zuora-Track-Id` value cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TrackIdError {
    TooLong { length: usize },
    Empty,
    ForbiddenCharacter { found: char },
}

/// Why a job cannot tell whether Zuora has its file. Each carries the job's track id,
/// the one thing that finds the mass action in Zuora.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    try_from = "UnknownOutcomeFields"
)]
pub enum UnknownOutcome {
    /// The page was closed or reloaded while the file was being sent, and the file is
    /// no longer at hand.
    Interrupted { track_id: String },

    RetriesExhausted {
        attempts: u32,
        error: SubmitError,
        track_id: String,
    },

    NoClearAnswer {
        error: SubmitError,
        track_id: String,
    },

    /// A 5xx that is not retried (500): Zuora keeps this answer for the key for 24 hours,
    /// so sending again needs a new key, and so a new mass action.
    ZuoraFailed {
        error: SubmitError,
        track_id: String,
    },
}

/// [`SubmitError`] as read back (see [`crate::tagged`]).
#[derive(Deserialize)]
struct SubmitErrorFields {
    kind: SubmitErrorKind,
    status: Option<u16>,
    reasons: Option<Vec<Reason>>,
    process_id: Option<String>,
    request_id: Option<String>,
    excerpt: Option<String>,
    detail: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum SubmitErrorKind {
    Rejected,
    Proxy,
    EmptyBody,
    NotJson,
    UnexpectedShape,
    Network,
}

impl TryFrom<SubmitErrorFields> for SubmitError {
    type Error = String;
    fn try_from(f: SubmitErrorFields) -> Result<SubmitError, String> {
        let status = || needed(f.status, "status");
        let request_id = f.request_id;
        Ok(match f.kind {
            SubmitErrorKind::Rejected => SubmitError::Rejected {
                status: status()?,
                reasons: needed(f.reasons, "reasons")?,
                process_id: f.process_id,
                request_id,
            },
            SubmitErrorKind::Proxy => SubmitError::Proxy {
                status: status()?,
                request_id,
            },
            SubmitErrorKind::EmptyBody => SubmitError::EmptyBody {
                status: status()?,
                request_id,
            },
            SubmitErrorKind::NotJson => SubmitError::NotJson {
                status: status()?,
                request_id,
                excerpt: needed(f.excerpt, "excerpt")?,
            },
            SubmitErrorKind::UnexpectedShape => SubmitError::UnexpectedShape {
                status: status()?,
                request_id,
            },
            SubmitErrorKind::Network => SubmitError::Network {
                detail: needed(f.detail, "detail")?,
            },
        })
    }
}

/// [`UnknownOutcome`] as read back (see [`crate::tagged`]).
#[derive(Deserialize)]
struct UnknownOutcomeFields {
    kind: UnknownOutcomeKind,
    track_id: Option<String>,
    attempts: Option<u32>,
    error: Option<SubmitError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum UnknownOutcomeKind {
    Interrupted,
    RetriesExhausted,
    NoClearAnswer,
    ZuoraFailed,
}

impl TryFrom<UnknownOutcomeFields> for UnknownOutcome {
    type Error = String;
    fn try_from(f: UnknownOutcomeFields) -> Result<UnknownOutcome, String> {
        let track_id = needed(f.track_id, "track_id")?;
        let error = || needed(f.error, "error");
        Ok(match f.kind {
            UnknownOutcomeKind::Interrupted => UnknownOutcome::Interrupted { track_id },
            UnknownOutcomeKind::RetriesExhausted => UnknownOutcome::RetriesExhausted {
                attempts: needed(f.attempts, "attempts")?,
                error: error()?,
                track_id,
            },
            UnknownOutcomeKind::NoClearAnswer => UnknownOutcome::NoClearAnswer {
                error: error()?,
                track_id,
            },
            UnknownOutcomeKind::ZuoraFailed => UnknownOutcome::ZuoraFailed {
                error: error()?,
                track_id,
            },
        })
    }
}

/// Why a job was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CancelReason {
    /// Before Zuora gave an answer.
    ByUser,
    /// The page was reloaded before the file's turn came, and the file is no longer at
    /// hand: it was never sent.
    FileGone,
}

/// A job event that does not fit the job's current state; the job is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct IllegalTransition {
    /// The state's name ([`crate::job::JobState::name`]).
    pub state: &'static str,
    pub event: JobEvent,
}

/// What was asked of a job (see [`IllegalTransition`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobEvent {
    StartSending,
    TakeAnswer,
    Cancel,
    TakeStatus,
    Stop,
    ReportFailedStop,
    SendAgainSameKey,
}

/// Why the saved job list could not be (fully) read back. The list starts from what
/// could be read; the sentence tells the user what was lost.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JournalProblem {
    Corrupt { detail: String },
    NewerVersion { found: u64 },
    OlderVersion { found: u64 },
    SomeJobsUnreadable { count: u64 },
    NotSaved { detail: String },
}

/// Why a stop the user confirmed did not go through: the mass action goes on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StopError {
    /// Zuora (or the proxy) answered with a status other than 2xx, with Zuora's first
    /// reason when it gave one.
    Refused {
        status: u16,
        reason: Option<String>,
    },
    NoAnswer(NoAnswer),
}
