//! Every failure the user can meet, each with the facts needed to act on it, and the one
//! sentence that explains it. All user-facing wording lives in this file so it can be
//! reviewed (and later translated) in one place.

use crate::figures;
use crate::tagged::needed;
use crate::wire::Reason;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a file was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IntakeError {
    #[error("“{name}” is not a .csv or .zip file. Zuora accepts a .csv file, or a .zip holding one .csv file.")]
    UnsupportedExtension { name: String },

    #[error("“{name}” is empty (0 bytes), so there is nothing to send.")]
    Empty { name: String },

    #[error("“{name}” is too large: {}; the limit is {}.", figures::bytes(*size), figures::bytes(*limit))]
    TooLarge { name: String, size: u64, limit: u64 },

    #[error("“{name}” is not a real ZIP archive: it does not start with the ZIP signature.")]
    NotAZip { name: String },

    #[error("“{name}” is not a text CSV file: it looks like {looks_like}. Save it as “CSV UTF-8 (comma delimited)” and try again.")]
    DisguisedCsv {
        name: String,
        looks_like: &'static str,
    },

    #[error("“{name}” is not a text CSV file: it contains binary data (a zero byte at byte {}).", figures::grouped(*offset + 1))]
    BinaryCsv { name: String, offset: u64 },

    #[error("“{name}” changed while it was being read ({} expected, {} read). Choose it again.", figures::bytes(*expected), figures::bytes(*read))]
    ChangedWhileReading {
        name: String,
        expected: u64,
        read: u64,
    },

    #[error("“{name}” could not be read by the browser: {detail}.")]
    Unreadable { name: String, detail: String },

    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

/// Why the CSV inside a ZIP archive cannot be read. Each blocks submission.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchiveError {
    #[error("The ZIP archive is damaged and cannot be opened ({detail}). Create it again.")]
    Unreadable { detail: String },

    #[error("{}", no_csv_sentence(found, *more))]
    NoCsv { found: Vec<String>, more: usize },

    #[error("The ZIP archive holds {} .csv files ({}); Zuora needs exactly one, so put each in its own archive.", names.len(), quoted_list(names))]
    SeveralCsv { names: Vec<String> },

    #[error("“{entry}” in the ZIP archive is password-protected, which Zuora cannot open. Zip it again without a password.")]
    Encrypted { entry: String },

    #[error("“{entry}” in the ZIP archive is compressed with a method this app cannot read ({method}). Zip it again with the standard (Deflate) method.")]
    UnsupportedMethod { entry: String, method: String },

    #[error("“{entry}” in the ZIP archive is damaged and cannot be unpacked ({detail}). Create the archive again.")]
    Damaged { entry: String, detail: String },

    #[error("“{entry}” in the ZIP archive unpacks to more than {} from {} packed, far more than any real Mass Updater file; the archive may be a “ZIP bomb”, so it was not unpacked further.", figures::bytes(*limit), figures::bytes(*packed))]
    ExpandsTooMuch {
        entry: String,
        packed: u64,
        limit: u64,
    },
}

fn no_csv_sentence(found: &[String], more: usize) -> String {
    if found.is_empty() {
        return "The ZIP archive holds no files; Zuora needs exactly one .csv file in it."
            .to_owned();
    }
    let mut items: Vec<String> = found.iter().map(|n| format!("“{n}”")).collect();
    match more {
        0 => {}
        1 => items.push("1 more file".to_owned()),
        n => items.push(format!("{n} more files")),
    }
    format!(
        "The ZIP archive holds no .csv file (it holds {}); Zuora needs exactly one .csv file in it.",
        and_list(&items)
    )
}

/// “a”, “b” and “c”.
fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("“{n}”")).collect();
    and_list(&quoted)
}

fn and_list(quoted: &[String]) -> String {
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why a CSV could not be packed into a ZIP archive.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackError {
    #[error("The ZIP archive for “{entry}” could not be made ({detail}).")]
    Failed { entry: String, detail: String },
}

/// Why a CSV could not be split into parts that each fit the size limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SplitError {
    #[error("{}", group_too_large_sentence(*first_row, *last_row, group.as_deref(), *size, *limit))]
    GroupTooLarge {
        first_row: u64,
        last_row: u64,
        group: Option<String>,
        size: u64,
        limit: u64,
    },

    #[error("Row {} is too long to be a real row, so the file cannot be split; fix the structure errors first.", figures::grouped(*row))]
    OversizedRow { row: u64 },

    #[error("The file has no data rows to split.")]
    NothingToSplit,

    #[error("The file changed since it was planned (part {part} came out at {}, over the limit of {}). Choose it again.", figures::bytes(*size), figures::bytes(*limit))]
    ChangedSincePlanned { part: usize, size: u64, limit: u64 },

    #[error("The file changed since the split was planned ({planned} parts planned, {found} made). Choose it again.")]
    PlanMismatch { planned: usize, found: usize },

    #[error("{0}")]
    Pack(#[from] PackError),
}

fn group_too_large_sentence(
    first_row: u64,
    last_row: u64,
    group: Option<&str>,
    size: u64,
    limit: u64,
) -> String {
    let what = match group {
        Some(g) if first_row != last_row => format!(
            "Rows {} to {} (Group ID “{g}”) must stay in one part",
            figures::grouped(first_row),
            figures::grouped(last_row)
        ),
        _ => format!("Row {}", figures::grouped(first_row)),
    };
    format!(
        "{what}, but with the header they take {}, over the limit of {}; the file cannot be split to fit.",
        figures::bytes(size),
        figures::bytes(limit)
    )
}

/// Why a mass action was not accepted, or why we cannot tell whether it was.
/// Serialised (tagged by `kind`) because jobs keep their last error in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "SubmitErrorFields")]
pub enum SubmitError {
    #[error("{}", rejected_sentence(*status))]
    Rejected {
        status: u16,
        reasons: Vec<Reason>,
        process_id: Option<String>,
        request_id: Option<String>,
    },

    #[error("The proxy in front of Zuora answered HTTP {status} ({}): it could not reach Zuora or Zuora did not answer in time. The file may or may not have been received.", if *status == 504 { "gateway timeout" } else { "bad gateway" })]
    Proxy {
        status: u16,
        request_id: Option<String>,
    },

    #[error("{}", unreadable_sentence(*status, "an empty body"))]
    EmptyBody {
        status: u16,
        request_id: Option<String>,
    },

    #[error("{}", unreadable_sentence(*status, "something that is not JSON"))]
    NotJson {
        status: u16,
        request_id: Option<String>,
        excerpt: String,
    },

    #[error("{}", unreadable_sentence(*status, "JSON that has neither a bulk key nor any reasons"))]
    UnexpectedShape {
        status: u16,
        request_id: Option<String>,
    },

    #[error("The request did not reach Zuora: the network connection failed ({detail}). The file may or may not have been received.")]
    Network { detail: String },
}

fn rejected_sentence(status: u16) -> String {
    match status {
        200..=299 => "Zuora declined the mass action.".to_owned(),
        401 => CREDENTIALS_REFUSED.to_owned(),
        403 => "Zuora says this user may not run this mass action (HTTP 403).".to_owned(),
        409 => "Zuora is still handling an earlier request with the same Idempotency-Key (HTTP 409).".to_owned(),
        429 => "Zuora is limiting requests right now (HTTP 429); wait a moment and try again.".to_owned(),
        500..=599 => format!("Zuora failed with an internal error (HTTP {status}); the file may or may not have been processed."),
        _ => format!("Zuora refused the request (HTTP {status})."),
    }
}

const CREDENTIALS_REFUSED: &str = "The proxy's credentials were refused (HTTP 401), so Zuora created nothing; whoever runs the proxy must renew its Zuora credentials.";

/// A reply we could not read. A 4xx still settles the matter (nothing was created),
/// except 409, which Zuora uses while an earlier request with the key is running.
fn unreadable_sentence(status: u16, what: &str) -> String {
    match status {
        401 => CREDENTIALS_REFUSED.to_owned(),
        409 => rejected_sentence(409),
        400..=499 => format!("The request was refused with HTTP {status} and {what}, so no mass action was created."),
        _ => format!("Zuora answered HTTP {status} with {what}, so we cannot tell whether the mass action was created."),
    }
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
    #[error("A Zuora-Track-Id may be at most 64 characters; this one has {length}.")]
    TooLong { length: usize },
    #[error("A Zuora-Track-Id may not be empty.")]
    Empty,
    #[error("A Zuora-Track-Id may hold only printable US-ASCII characters other than : ; \" and '; it contains {found:?}.")]
    ForbiddenCharacter { found: char },
}

/// Why a job cannot tell whether Zuora has its file. Each sentence ends by sending the
/// user to Zuora with the job's track id, the one thing that finds the mass action.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    try_from = "UnknownOutcomeFields"
)]
pub enum UnknownOutcome {
    #[error("The page was closed or reloaded while the file was being sent, and the file is no longer at hand, so we cannot tell whether Zuora received it. {}", check_zuora(track_id))]
    Interrupted { track_id: String },

    #[error("{error} Gave up after {attempts} attempts. {}", check_zuora(track_id))]
    RetriesExhausted {
        attempts: u32,
        error: SubmitError,
        track_id: String,
    },

    #[error("{error} {}", check_zuora(track_id))]
    NoClearAnswer {
        error: SubmitError,
        track_id: String,
    },

    /// A 5xx that is not retried (500): Zuora keeps this answer for the key for 24 hours,
    /// so sending again needs a new key, and so a new mass action.
    #[error(
        "{error} {} Sending it again starts a new mass action.",
        check_zuora(track_id)
    )]
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

fn check_zuora(track_id: &str) -> String {
    format!(
        "Look in Zuora for a mass action with track id {track_id} before sending the file again."
    )
}

/// What the user confirms before a file whose fate is unknown is sent with a new key.
pub fn confirm_send_again_sentence(file_name: &str, track_id: &str) -> String {
    format!("Zuora may already have processed “{file_name}” (track id {track_id}). Sending it again starts a new mass action and may apply every row a second time. Send it again?")
}

/// What the user confirms before stopping a mass action (reference §3).
pub fn confirm_stop_sentence(file_name: &str) -> String {
    format!("Stop the mass action for “{file_name}”? Rows Zuora has already processed stay processed; they are not rolled back.")
}

/// Why the list does not show every job: another tab of the app saved `count` jobs
/// that this one does not hold. They are not lost (each tab's saves keep the other's
/// jobs), and a reload shows them.
pub fn jobs_elsewhere_sentence(count: usize) -> String {
    let jobs = figures::count(count as u64, "submission", "submissions");
    let (verb, they, them) = if count == 1 {
        ("is", "It is", "it")
    } else {
        ("are", "They are", "them")
    };
    format!("{jobs} made in another tab of this app {verb} not shown here. {they} saved with this list; reload this page, when nothing is being sent from it, to see {them}.")
}

/// What the user confirms before the whole job list is cleared.
pub fn confirm_clear_all_sentence(count: usize) -> String {
    format!("Remove all {} jobs from this list? The mass actions in Zuora are not affected, but their bulk keys, track ids and progress will no longer be shown here; export the list first if you may need them.", figures::grouped(count as u64))
}

/// Why a confirmed stop did not go through (`detail`: the HTTP status and Zuora's
/// reason, or the network failure). The Stop button comes back.
pub fn stop_failed_sentence(file_name: &str, detail: &str) -> String {
    format!(
        "The mass action for “{file_name}” could not be stopped ({detail}); it goes on as before."
    )
}

/// The sentence the job list shows for a job, by state.
pub fn job_sentence(job: &crate::job::Job, now_ms: u64) -> String {
    use crate::job::JobState;
    use crate::wire::MassActionStatus;
    let n = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), figures::grouped);
    let p = job.progress.as_ref();
    let counts = || {
        format!(
            "{} of {} rows processed, {} succeeded, {} failed",
            n(p.and_then(|p| p.processed_count)),
            n(p.and_then(|p| p.total_count)),
            n(p.and_then(|p| p.success_count)),
            n(p.and_then(|p| p.error_count)),
        )
    };
    match &job.state {
        JobState::Queued => "Waiting for its turn to be sent.".to_owned(),
        JobState::Sending { attempt: 1 } => "Sending…".to_owned(),
        JobState::Sending { attempt } => format!("Sending, attempt {attempt}…"),
        JobState::WaitingToRetry {
            attempt,
            of,
            at_ms,
            error,
        } => {
            let seconds = at_ms.saturating_sub(now_ms).div_ceil(1000);
            format!("{error} Retrying in {seconds} s, attempt {attempt} of {of}.")
        }
        JobState::Following { status } => {
            let key = job.bulk_key.as_ref().map(|k| k.as_str()).unwrap_or("?");
            let stop = if job.stop_requested_ms.is_some() && *status != MassActionStatus::Stopping {
                " A stop was requested."
            } else {
                ""
            };
            match status {
                MassActionStatus::Pending => format!("Zuora accepted the file (bulk key {key}); the mass action has not started yet.{stop}"),
                MassActionStatus::Processing => format!("Processing: {}.{stop}", counts()),
                MassActionStatus::Stopping => format!("Stopping: {}.", counts()),
                other => format!("Zuora reports the status “{}”.{stop}", other.as_str()),
            }
        }
        JobState::Completed => format!("Completed: {}.", counts()),
        JobState::Stopped => format!(
            "Stopped: {}; the remaining rows were not processed.",
            counts()
        ),
        JobState::Failed => {
            "The mass action failed in Zuora: no rows were processed and there is no response file."
                .to_owned()
        }
        JobState::Refused { error } => error.to_string(),
        JobState::Unknown { why } => why.to_string(),
        JobState::Cancelled { reason } => reason.to_string(),
    }
}

/// Why a job was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CancelReason {
    #[error("Cancelled before Zuora gave an answer.")]
    ByUser,
    #[error("Not sent: the page was reloaded before this file's turn came, and the file is no longer at hand.")]
    FileGone,
}

/// A job event that does not fit the job's current state; the job is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("A job that is {state} cannot {event}; nothing was changed.")]
pub struct IllegalTransition {
    pub state: &'static str,
    pub event: &'static str,
}

/// Why the saved job list could not be (fully) read back. The list starts from what
/// could be read; the sentence tells the user what was lost.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JournalProblem {
    #[error("The saved list of submissions could not be read ({detail}), so it starts empty; check Zuora's upload history for earlier mass actions.")]
    Corrupt { detail: String },
    #[error("The saved list of submissions was written by a newer version of this app (format {found}), so it starts empty here; it is still there for the newer version.")]
    NewerVersion { found: u64 },
    #[error("The saved list of submissions uses an old format ({found}) that this version cannot read, so it starts empty; check Zuora's upload history for earlier mass actions.")]
    OlderVersion { found: u64 },
    #[error("{} of the saved submissions could not be read and were left out.", figures::grouped(*count))]
    SomeJobsUnreadable { count: u64 },
    #[error("The list of submissions could not be saved in this browser ({detail}); a reload would lose it, so keep this page open until the jobs have finished.")]
    NotSaved { detail: String },
}

/// Why a response file (the zip at `outputURL`) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResponseFileError {
    #[error("The response file could not be fetched through the proxy ({detail}).")]
    NotFetched { detail: String },
    #[error("The response file is too large to open here: {}; the limit is {}.", figures::bytes(*size), figures::bytes(*limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("The response file is not a readable ZIP archive ({detail}).")]
    NotAZip { detail: String },
    #[error("The response file holds no .csv file.")]
    NoCsv,
    #[error("The response file holds {count} .csv files; expected one.")]
    SeveralCsv { count: usize },
    #[error("The .csv in the response file is encrypted and cannot be opened.")]
    Encrypted,
    #[error("The .csv in the response file unpacks to more than {}, the limit.", figures::bytes(*limit))]
    CsvTooLarge { limit: u64 },
    #[error("The .csv in the response file could not be unpacked ({detail}).")]
    Unpacking { detail: String },
    #[error("The .csv in the response file is not UTF-8 text.")]
    NotUtf8,
    #[error("The .csv in the response file has no header row.")]
    NoHeader,
    #[error(
        "The .csv in the response file has no “{column}” column, so its results cannot be read."
    )]
    MissingColumn { column: &'static str },
    #[error("Row {} of the response file could not be read: {detail}.", figures::grouped(*row))]
    BadRow { row: u64, detail: String },
}

/// Why an `outputURL` cannot be fetched through the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Zuora's response file address “{url}” is not of the expected form https://…/v1/files/{{file id}}, so it cannot be fetched through the proxy.")]
pub struct OutputUrlError {
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_list_sentences_name_the_file_and_what_happens() {
        assert_eq!(
            stop_failed_sentence("fx.csv", "HTTP 400: The mass action is Completed"),
            "The mass action for “fx.csv” could not be stopped (HTTP 400: The mass action is Completed); it goes on as before."
        );
        assert!(confirm_clear_all_sentence(1200).starts_with("Remove all 1,200 jobs"));
        assert_eq!(jobs_elsewhere_sentence(1), "1 submission made in another tab of this app is not shown here. It is saved with this list; reload this page, when nothing is being sent from it, to see it.");
        assert_eq!(jobs_elsewhere_sentence(2), "2 submissions made in another tab of this app are not shown here. They are saved with this list; reload this page, when nothing is being sent from it, to see them.");
        assert!(JournalProblem::NotSaved {
            detail: "QuotaExceededError".into()
        }
        .to_string()
        .contains("(QuotaExceededError)"));
        assert_eq!(
            ResponseFileError::NotFetched {
                detail: "HTTP 404".into()
            }
            .to_string(),
            "The response file could not be fetched through the proxy (HTTP 404)."
        );
    }

    #[test]
    fn archive_errors_name_what_was_found() {
        let none = ArchiveError::NoCsv {
            found: vec!["a.txt".into(), "b.xlsx".into()],
            more: 3,
        };
        assert_eq!(
            none.to_string(),
            "The ZIP archive holds no .csv file (it holds “a.txt”, “b.xlsx” and 3 more files); Zuora needs exactly one .csv file in it."
        );
        let several = ArchiveError::SeveralCsv {
            names: vec!["a.csv".into(), "b.csv".into(), "c.CSV".into()],
        };
        assert_eq!(
            several.to_string(),
            "The ZIP archive holds 3 .csv files (“a.csv”, “b.csv” and “c.CSV”); Zuora needs exactly one, so put each in its own archive."
        );
    }

    #[test]
    fn a_group_too_large_to_split_names_its_rows_and_sizes() {
        let e = SplitError::GroupTooLarge {
            first_row: 2,
            last_row: 9000,
            group: Some("G1".into()),
            size: 5_000_000,
            limit: 4_000_000,
        };
        assert_eq!(
            e.to_string(),
            "Rows 2 to 9,000 (Group ID “G1”) must stay in one part, but with the header they take 5,000,000 bytes, over the limit of 4,000,000 bytes; the file cannot be split to fit."
        );
    }

    #[test]
    fn too_large_states_both_exact_figures() {
        let e = IntakeError::TooLarge {
            name: "big.csv".into(),
            size: 4_203_110,
            limit: 4_000_000,
        };
        assert_eq!(
            e.to_string(),
            "“big.csv” is too large: 4,203,110 bytes; the limit is 4,000,000 bytes."
        );
    }

    #[test]
    fn every_submit_error_is_one_sentence_with_its_status() {
        let cases = [
            SubmitError::Rejected {
                status: 400,
                reasons: vec![],
                process_id: None,
                request_id: None,
            },
            SubmitError::Proxy {
                status: 502,
                request_id: None,
            },
            SubmitError::EmptyBody {
                status: 200,
                request_id: None,
            },
            SubmitError::NotJson {
                status: 200,
                request_id: None,
                excerpt: "<html>".into(),
            },
        ];
        for e in cases {
            let text = e.to_string();
            assert!(text.ends_with('.'), "{text}");
            let status = e.status().unwrap().to_string();
            assert!(text.contains(&status), "{text} lacks {status}");
        }
    }

    #[test]
    fn a_401_says_the_proxy_credentials_were_refused_whatever_its_body() {
        for e in [
            SubmitError::Rejected {
                status: 401,
                reasons: vec![],
                process_id: None,
                request_id: None,
            },
            SubmitError::EmptyBody {
                status: 401,
                request_id: None,
            },
            SubmitError::NotJson {
                status: 401,
                request_id: None,
                excerpt: "<html>".into(),
            },
        ] {
            assert!(e.to_string().contains("credentials were refused"), "{e}");
            assert!(e.is_definite_refusal());
            assert!(!e.outcome_unknown());
        }
    }

    #[test]
    fn a_409_leaves_the_outcome_open() {
        let e = SubmitError::Rejected {
            status: 409,
            reasons: vec![],
            process_id: None,
            request_id: None,
        };
        assert!(e.outcome_unknown());
        assert!(!e.is_definite_refusal());
        assert!(e.to_string().contains("same Idempotency-Key"));
    }

    #[test]
    fn only_answers_that_leave_the_outcome_open_count_as_unknown() {
        assert!(SubmitError::Network { detail: "x".into() }.outcome_unknown());
        assert!(SubmitError::Proxy {
            status: 504,
            request_id: None
        }
        .outcome_unknown());
        assert!(!SubmitError::Rejected {
            status: 400,
            reasons: vec![],
            process_id: None,
            request_id: None
        }
        .outcome_unknown());
    }
}
