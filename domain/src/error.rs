//! Every failure the user can meet, as a type that carries the facts needed to act on it
//! (the file, the row, the limit, the status, the track id). The one sentence that
//! explains each is its `Display`, written in [`crate::wording::errors`], so this file
//! holds no wording and depends on nothing but two small readers of stored JSON.

use crate::loose::string_or_number;
use crate::tagged::needed;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a file was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IntakeError {
    UnsupportedExtension {
        name: String,
    },
    Empty {
        name: String,
    },
    TooLarge {
        name: String,
        size: u64,
        limit: u64,
    },
    NotAZip {
        name: String,
    },
    /// A `.csv` whose first bytes are those of another format.
    DisguisedCsv {
        name: String,
        looks_like: Lookalike,
    },
    /// A zero byte at `offset` (0-based).
    BinaryCsv {
        name: String,
        offset: u64,
    },
    ChangedWhileReading {
        name: String,
        expected: u64,
        read: u64,
    },
    Unreadable {
        name: String,
        detail: String,
    },
    /// Explained by the archive error alone.
    Archive(ArchiveError),
}

impl From<ArchiveError> for IntakeError {
    fn from(e: ArchiveError) -> IntakeError {
        IntakeError::Archive(e)
    }
}

/// What a file named `.csv` really is, by its first bytes: formats people commonly save
/// under a `.csv` name by mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookalike {
    /// `PK\3\4`: an .xlsx workbook is a ZIP archive.
    ExcelOrZip,
    /// The compound-file signature of .xls.
    OldExcel,
    Pdf,
    Gzip,
    /// A UTF-16 byte-order mark, either way round.
    Utf16,
    RichText,
}

/// Why the CSV inside a ZIP archive cannot be read. Each blocks submission.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchiveError {
    Unreadable {
        detail: String,
    },
    /// No `.csv` entry: `found` names the first entries, `more` counts the rest.
    NoCsv {
        found: Vec<String>,
        more: usize,
    },
    SeveralCsv {
        names: Vec<String>,
    },
    Encrypted {
        entry: String,
    },
    UnsupportedMethod {
        entry: String,
        method: String,
    },
    Damaged {
        entry: String,
        detail: String,
    },
    ExpandsTooMuch {
        entry: String,
        packed: u64,
        limit: u64,
    },
}

/// Why a repair could not be taken into the plan, or its list of changes not written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RepairError {
    /// The offer asks a question (the order of a column's dates, the decimal mark of
    /// its numbers) and no answer came with it.
    AnswerNeeded,
    /// The answer is of another question's kind (a decimal mark for dates).
    AnswerDoesNotFit,
    /// The CSV writer refused the list of changes.
    ChangeList { detail: String },
    /// The ZIP holding the file could not be read again.
    Archive(ArchiveError),
    /// The repaired CSV could not be packed into a new ZIP.
    Pack(PackError),
}

/// Why a CSV could not be packed into a ZIP archive.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackError {
    Failed { entry: String, detail: String },
}

/// Why a CSV could not be split into parts that each fit the size limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SplitError {
    /// Rows `first_row` to `last_row` share a Group ID (`group`) and must stay in one
    /// part, which with the header takes `size` bytes.
    GroupTooLarge {
        first_row: u64,
        last_row: u64,
        group: Option<String>,
        size: u64,
        limit: u64,
    },
    OversizedRow {
        row: u64,
    },
    NothingToSplit,
    ChangedSincePlanned {
        part: usize,
        size: u64,
        limit: u64,
    },
    PlanMismatch {
        planned: usize,
        found: usize,
    },
    /// Explained by the pack error alone.
    Pack(PackError),
}

impl From<PackError> for SplitError {
    fn from(e: PackError) -> SplitError {
        SplitError::Pack(e)
    }
}

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

/// Why a response file (the zip at `outputURL`) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResponseFileError {
    /// Zuora's address for it is not one the proxy serves.
    BadAddress(OutputUrlError),
    NotFetched(NoAnswer),
    /// The proxy answered, but not with the file.
    Refused {
        status: u16,
    },
    TooLarge {
        size: u64,
        limit: u64,
    },
    NotAZip {
        detail: String,
    },
    NoCsv,
    SeveralCsv {
        count: usize,
    },
    Encrypted,
    CsvTooLarge {
        limit: u64,
    },
    Unpacking {
        detail: String,
    },
    NotUtf8,
    NoHeader,
    MissingColumn {
        column: &'static str,
    },
    BadRow {
        row: u64,
        detail: String,
    },
}

/// Why an `outputURL` cannot be fetched through the proxy: it is not of the form
/// `https://…/v1/files/{file id}`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct OutputUrlError {
    pub url: String,
}

/// What the browser said when something it was asked failed: its own description
/// (a JavaScript error's name and message), which the app passes on as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct BrowserError {
    pub detail: String,
}

/// Why the hashing worker cannot hash a file; the page then hashes it itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WorkerFailure {
    /// The worker's script address could not be made from the app's.
    NoAddress,
    /// The browser refused to start it, or it failed to load the app.
    CannotStart {
        detail: String,
    },
    /// It stopped with an error.
    Stopped,
    /// It could not be sent the app, a chunk, or the request for the MD5.
    NotSent {
        what: WorkerMessage,
        detail: String,
    },
    /// Its answer is not an MD5.
    BadAnswer {
        answer: String,
    },
    NoAnswer,
    /// It failed while hashing; its own description.
    Failed {
        detail: String,
    },
}

/// What the page sends the hashing worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerMessage {
    App,
    Chunk,
    End,
}

/// A request that got no HTTP answer at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoAnswer {
    /// The request could not be made, or the connection failed (refused, dropped,
    /// blocked); `detail` is the browser's own description.
    Network {
        detail: String,
    },
    TimedOut,
    /// The request ended without an answer and without saying why.
    NoReply,
    /// The user cancelled it, or the app that made it was unmounted.
    Cancelled,
}

/// Why the gateway's team API (`/api/me`, `/api/history`) gave nothing usable. At
/// start-up any of these only means "no team mode": nothing is shown.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TeamReplyError {
    /// No answer at all.
    NoAnswer(NoAnswer),
    /// An HTTP status other than 200 (a 404 where no gateway serves the API), with the
    /// gateway's own sentence when it gave one (`{"error": "…"}`).
    Status {
        status: u16,
        sentence: Option<String>,
    },
    /// A 200 whose body is not the JSON the contract describes; serde_json's report.
    NotJson { detail: String },
    /// `/api/me` named nobody.
    NoUser,
}

/// Why the browser's storage (`localStorage`, `sessionStorage`) could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StorageFailure {
    NoWindow,
    /// The browser does not allow this kind of storage here (settings, some frames).
    NotAllowed {
        session: bool,
    },
    /// Reading or writing failed (storage full, say); the browser's description.
    Browser {
        detail: String,
    },
}

/// Why an oversized CSV could not be made to fit the size limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FitError {
    /// The file could not be read again; `detail` is the browser's description.
    Unreadable {
        name: String,
        detail: String,
    },
    Pack(PackError),
    Split(SplitError),
    /// The browser could not make the file (a part, the ZIP) from its bytes.
    NotMade {
        name: String,
        detail: String,
    },
}

impl From<PackError> for FitError {
    fn from(e: PackError) -> FitError {
        FitError::Pack(e)
    }
}

impl From<SplitError> for FitError {
    fn from(e: SplitError) -> FitError {
        FitError::Split(e)
    }
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A 401 in every shape of answer: refused whatever its body.
    pub(crate) fn every_401() -> [SubmitError; 3] {
        [
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
        ]
    }

    #[test]
    fn a_401_is_a_definite_refusal_whatever_its_body() {
        for e in every_401() {
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
