//! The sentence of every error in [`crate::error`] (its `Display`), and the details the
//! domain writes into an error's `detail`.

use super::{quoted, quoted_list};
use crate::error::{
    ArchiveError, BrowserError, CancelReason, FitError, IllegalTransition, IntakeError, JobEvent,
    JournalProblem, Lookalike, NoAnswer, OutputUrlError, PackError, RepairError, ResponseFileError,
    SplitError, StopError, StorageFailure, SubmitError, TeamReplyError, TrackIdError,
    UnknownOutcome, WorkerFailure, WorkerMessage,
};
use crate::figures;
use std::fmt::{self, Display, Formatter};

impl Display for IntakeError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            IntakeError::UnsupportedExtension { name } => write!(f, "“{name}” is not a .csv or .zip file. Zuora accepts a .csv file, or a .zip holding one .csv file."),
            IntakeError::Empty { name } => write!(f, "“{name}” is empty (0 bytes), so there is nothing to send."),
            IntakeError::TooLarge { name, size, limit } => write!(f, "“{name}” is too large: {}; the limit is {}.", figures::bytes(*size), figures::bytes(*limit)),
            IntakeError::NotAZip { name } => write!(f, "“{name}” is not a real ZIP archive: it does not start with the ZIP signature."),
            IntakeError::DisguisedCsv { name, looks_like } => write!(f, "“{name}” is not a text CSV file: it looks like {looks_like}. Save it as “CSV UTF-8 (comma delimited)” and try again."),
            IntakeError::BinaryCsv { name, offset } => write!(f, "“{name}” is not a text CSV file: it contains binary data (a zero byte at byte {}).", figures::grouped(*offset + 1)),
            IntakeError::ChangedWhileReading { name, expected, read } => write!(f, "“{name}” changed while it was being read ({} expected, {} read). Choose it again.", figures::bytes(*expected), figures::bytes(*read)),
            IntakeError::Unreadable { name, detail } => write!(f, "“{name}” could not be read by the browser: {detail}."),
            IntakeError::Archive(e) => e.fmt(f),
        }
    }
}

/// The detail of [`IntakeError::Unreadable`] when the checksum that was to come from
/// elsewhere never came.
pub fn md5_never_given() -> String {
    "its MD5 was left to another thread and never given".to_owned()
}

impl Display for Lookalike {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lookalike::ExcelOrZip => "an Excel workbook (.xlsx) or a ZIP archive",
            Lookalike::OldExcel => "an old Excel workbook (.xls)",
            Lookalike::Pdf => "a PDF document",
            Lookalike::Gzip => "a gzip-compressed file",
            Lookalike::Utf16 => "UTF-16 text (Excel’s “Unicode Text”)",
            Lookalike::RichText => "a Rich Text document",
        })
    }
}

impl Display for ArchiveError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveError::Unreadable { detail } => write!(f, "The ZIP archive is damaged and cannot be opened ({detail}). Create it again."),
            ArchiveError::NoCsv { found, more } => f.write_str(&no_csv_sentence(found, *more)),
            ArchiveError::SeveralCsv { names } => write!(f, "The ZIP archive holds {} .csv files ({}); Zuora needs exactly one, so put each in its own archive.", names.len(), quoted_list(names)),
            ArchiveError::Encrypted { entry } => write!(f, "“{entry}” in the ZIP archive is password-protected, which Zuora cannot open. Zip it again without a password."),
            ArchiveError::UnsupportedMethod { entry, method } => write!(f, "“{entry}” in the ZIP archive is compressed with a method this app cannot read ({method}). Zip it again with the standard (Deflate) method."),
            ArchiveError::Damaged { entry, detail } => write!(f, "“{entry}” in the ZIP archive is damaged and cannot be unpacked ({detail}). Create the archive again."),
            ArchiveError::ExpandsTooMuch { entry, packed, limit } => write!(f, "“{entry}” in the ZIP archive unpacks to more than {} from {} packed, far more than any real Mass Updater file; the archive may be a “ZIP bomb”, so it was not unpacked further.", figures::bytes(*limit), figures::bytes(*packed)),
        }
    }
}

fn no_csv_sentence(found: &[String], more: usize) -> String {
    if found.is_empty() {
        return "The ZIP archive holds no files; Zuora needs exactly one .csv file in it."
            .to_owned();
    }
    let mut items: Vec<String> = found.iter().map(|n| quoted(n)).collect();
    match more {
        0 => {}
        1 => items.push("1 more file".to_owned()),
        n => items.push(format!("{n} more files")),
    }
    format!(
        "The ZIP archive holds no .csv file (it holds {}); Zuora needs exactly one .csv file in it.",
        super::and_list(&items)
    )
}

impl Display for PackError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PackError::Failed { entry, detail } => write!(
                f,
                "The ZIP archive for “{entry}” could not be made ({detail})."
            ),
        }
    }
}

impl Display for RepairError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RepairError::AnswerNeeded => f.write_str(
                "This repair needs an answer first: say how the column is written, then fix it.",
            ),
            RepairError::AnswerDoesNotFit => f.write_str(
                "That answer is for another question: dates take an order, numbers a decimal mark.",
            ),
            RepairError::ChangeList { detail } => {
                write!(f, "The list of changes could not be written ({detail}).")
            }
            RepairError::Archive(e) => e.fmt(f),
            RepairError::Pack(e) => e.fmt(f),
            RepairError::Unreadable { name, detail } => write!(
                f,
                "“{name}” could not be read again to repair it ({detail}); nothing was changed."
            ),
            RepairError::NotSaved { name, detail } => {
                write!(f, "The browser could not make “{name}” ({detail}).")
            }
        }
    }
}

impl Display for SplitError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::GroupTooLarge { first_row, last_row, group, size, limit } => f.write_str(&group_too_large_sentence(*first_row, *last_row, group.as_deref(), *size, *limit)),
            SplitError::OversizedRow { row } => write!(f, "Row {} is too long to be a real row, so the file cannot be split; fix the structure errors first.", figures::grouped(*row)),
            SplitError::NothingToSplit => f.write_str("The file has no data rows to split."),
            SplitError::ChangedSincePlanned { part, size, limit } => write!(f, "The file changed since it was planned (part {part} came out at {}, over the limit of {}). Choose it again.", figures::bytes(*size), figures::bytes(*limit)),
            SplitError::PlanMismatch { planned, found } => write!(f, "The file changed since the split was planned ({planned} parts planned, {found} made). Choose it again."),
            SplitError::Pack(e) => e.fmt(f),
        }
    }
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

impl Display for SubmitError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SubmitError::Rejected { status, .. } => f.write_str(&rejected_sentence(*status)),
            SubmitError::Proxy { status, .. } => write!(f, "The proxy in front of Zuora answered HTTP {status} ({}): it could not reach Zuora or Zuora did not answer in time. The file may or may not have been received.", if *status == 504 { "gateway timeout" } else { "bad gateway" }),
            SubmitError::EmptyBody { status, .. } => f.write_str(&unreadable_sentence(*status, "an empty body")),
            SubmitError::NotJson { status, .. } => f.write_str(&unreadable_sentence(*status, "something that is not JSON")),
            SubmitError::UnexpectedShape { status, .. } => f.write_str(&unreadable_sentence(*status, "JSON that has neither a bulk key nor any reasons")),
            SubmitError::Network { detail } => write!(f, "The request did not reach Zuora: the network connection failed ({detail}). The file may or may not have been received."),
        }
    }
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

impl Display for TrackIdError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            TrackIdError::TooLong { length } => write!(
                f,
                "A Zuora-Track-Id may be at most 64 characters; this one has {length}."
            ),
            TrackIdError::Empty => f.write_str("A Zuora-Track-Id may not be empty."),
            TrackIdError::ForbiddenCharacter { found } => write!(f, "A Zuora-Track-Id may hold only printable US-ASCII characters other than : ; \" and '; it contains {found:?}."),
        }
    }
}

/// Each sentence ends by sending the user to Zuora with the job's track id.
impl Display for UnknownOutcome {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            UnknownOutcome::Interrupted { track_id } => write!(f, "The page was closed or reloaded while the file was being sent, and the file is no longer at hand, so we cannot tell whether Zuora received it. {}", check_zuora(track_id)),
            UnknownOutcome::RetriesExhausted { attempts, error, track_id } => write!(f, "{error} Gave up after {attempts} attempts. {}", check_zuora(track_id)),
            UnknownOutcome::NoClearAnswer { error, track_id } => write!(f, "{error} {}", check_zuora(track_id)),
            UnknownOutcome::ZuoraFailed { error, track_id } => write!(f, "{error} {} Sending it again starts a new mass action.", check_zuora(track_id)),
        }
    }
}

fn check_zuora(track_id: &str) -> String {
    format!(
        "Look in Zuora for a mass action with track id {track_id} before sending the file again."
    )
}

impl Display for CancelReason {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CancelReason::ByUser => "Cancelled before Zuora gave an answer.",
            CancelReason::FileGone => "Not sent: the page was reloaded before this file's turn came, and the file is no longer at hand.",
        })
    }
}

/// Names the state by its short name, an identifier: the app drops an illegal
/// transition without a word (it changes nothing), so this sentence is for developers.
impl Display for IllegalTransition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let event = match self.event {
            JobEvent::StartSending => "start sending",
            JobEvent::TakeAnswer => "take an answer",
            JobEvent::Cancel => "be cancelled",
            JobEvent::TakeStatus => "take a status",
            JobEvent::Stop => "be stopped",
            JobEvent::ReportFailedStop => "report a failed stop",
            JobEvent::SendAgainSameKey => "be sent again with the same key",
        };
        write!(
            f,
            "A job that is {} cannot {event}; nothing was changed.",
            self.state
        )
    }
}

impl Display for JournalProblem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            JournalProblem::Corrupt { detail } => write!(f, "The saved list of submissions could not be read ({detail}), so it starts empty; check Zuora's upload history for earlier mass actions."),
            JournalProblem::NewerVersion { found } => write!(f, "The saved list of submissions was written by a newer version of this app (format {found}), so it starts empty here; it is still there for the newer version."),
            JournalProblem::OlderVersion { found } => write!(f, "The saved list of submissions uses an old format ({found}) that this version cannot read, so it starts empty; check Zuora's upload history for earlier mass actions."),
            JournalProblem::SomeJobsUnreadable { count } => write!(f, "{} of the saved submissions could not be read and were left out.", figures::grouped(*count)),
            JournalProblem::NotSaved { detail } => write!(f, "The list of submissions could not be saved in this browser ({detail}); a reload would lose it, so keep this page open until the jobs have finished."),
        }
    }
}

/// The detail of [`JournalProblem::Corrupt`] when the stored text is not JSON
/// (`error`: serde_json's report).
pub fn journal_not_json(error: &dyn fmt::Display) -> String {
    format!("not JSON: {error}")
}

/// The detail of [`JournalProblem::Corrupt`] when the stored list has no version.
pub fn journal_without_version() -> String {
    "no format version".to_owned()
}

/// The detail of [`JournalProblem::Corrupt`] when the stored list has no jobs field.
pub fn journal_without_jobs() -> String {
    "no job list".to_owned()
}

impl Display for ResponseFileError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ResponseFileError::BadAddress(e) => e.fmt(f),
            ResponseFileError::NotFetched(why) => write!(f, "The response file could not be fetched through the proxy ({why})."),
            ResponseFileError::Refused { status } => write!(f, "The response file could not be fetched through the proxy (HTTP {status})."),
            ResponseFileError::TooLarge { size, limit } => write!(f, "The response file is too large to open here: {}; the limit is {}.", figures::bytes(*size), figures::bytes(*limit)),
            ResponseFileError::NotAZip { detail } => write!(f, "The response file is not a readable ZIP archive ({detail})."),
            ResponseFileError::NoCsv => f.write_str("The response file holds no .csv file."),
            ResponseFileError::SeveralCsv { count } => write!(f, "The response file holds {count} .csv files; expected one."),
            ResponseFileError::Encrypted => f.write_str("The .csv in the response file is encrypted and cannot be opened."),
            ResponseFileError::CsvTooLarge { limit } => write!(f, "The .csv in the response file unpacks to more than {}, the limit.", figures::bytes(*limit)),
            ResponseFileError::Unpacking { detail } => write!(f, "The .csv in the response file could not be unpacked ({detail})."),
            ResponseFileError::NotUtf8 => f.write_str("The .csv in the response file is not UTF-8 text."),
            ResponseFileError::NoHeader => f.write_str("The .csv in the response file has no header row."),
            ResponseFileError::MissingColumn { column } => write!(f, "The .csv in the response file has no “{column}” column, so its results cannot be read."),
            ResponseFileError::BadRow { row, detail } => write!(f, "Row {} of the response file could not be read: {detail}.", figures::grouped(*row)),
        }
    }
}

/// The detail of [`ResponseFileError::Unpacking`] for a compression method this app
/// cannot read.
pub fn compression_method(method: &str) -> String {
    format!("compression method {method}")
}

impl Display for OutputUrlError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "Zuora's response file address “{}” is not of the expected form https://…/v1/files/{{file id}}, so it cannot be fetched through the proxy.", self.url)
    }
}

/// The browser's own words, as they are.
impl Display for BrowserError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

/// Said inside a sentence, in parentheses: why the hashing worker cannot hash.
impl Display for WorkerFailure {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            WorkerFailure::NoAddress => {
                f.write_str("the hashing worker's address could not be made")
            }
            WorkerFailure::CannotStart { detail } => {
                write!(f, "the hashing worker could not start: {detail}")
            }
            WorkerFailure::Stopped => f.write_str("the hashing worker stopped"),
            WorkerFailure::NotSent {
                what: WorkerMessage::App,
                detail,
            } => write!(f, "the hashing worker could not be sent the app: {detail}"),
            WorkerFailure::NotSent {
                what: WorkerMessage::Chunk,
                detail,
            } => write!(f, "a chunk could not be sent to the worker: {detail}"),
            WorkerFailure::NotSent {
                what: WorkerMessage::End,
                detail,
            } => write!(f, "the worker could not be asked for the MD5: {detail}"),
            WorkerFailure::BadAnswer { answer } => write!(f, "the worker answered “{answer}”"),
            WorkerFailure::NoAnswer => f.write_str("the worker gave no answer"),
            WorkerFailure::Failed { detail } => f.write_str(detail),
        }
    }
}

/// Said inside a sentence, in parentheses: why there was no answer.
impl Display for NoAnswer {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            NoAnswer::Network { detail } => f.write_str(detail),
            NoAnswer::TimedOut => f.write_str("the request timed out"),
            NoAnswer::NoReply => f.write_str("no answer came back"),
            NoAnswer::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl Display for TeamReplyError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("The team history could not be loaded")?;
        match self {
            TeamReplyError::NoAnswer(why) => write!(f, " ({why})."),
            TeamReplyError::Status {
                status,
                sentence: Some(sentence),
            } => write!(f, " (HTTP status {status}): {sentence}"),
            TeamReplyError::Status { status, .. } => {
                write!(f, ": the gateway answered with HTTP status {status}.")
            }
            TeamReplyError::NotJson { .. } | TeamReplyError::NoUser => {
                f.write_str(": the gateway's answer was not in the expected form.")
            }
        }
    }
}

/// Said inside a sentence, in parentheses: why storage could not be used.
impl Display for StorageFailure {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            StorageFailure::NoWindow => f.write_str("no browser window"),
            StorageFailure::NotAllowed { session: false } => {
                f.write_str("this browser does not allow local storage here")
            }
            StorageFailure::NotAllowed { session: true } => {
                f.write_str("this browser does not allow session storage here")
            }
            StorageFailure::Browser { detail } => f.write_str(detail),
        }
    }
}

impl Display for FitError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            FitError::Unreadable { name, detail } => {
                write!(f, "“{name}” could not be read again: {detail}.")
            }
            FitError::Pack(e) => e.fmt(f),
            FitError::Split(e) => e.fmt(f),
            FitError::NotMade { name, detail } => {
                write!(f, "The browser could not make “{name}”: {detail}.")
            }
        }
    }
}

/// Said inside a sentence, in parentheses: the status and Zuora's reason, or why there
/// was no answer.
impl Display for StopError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            StopError::Refused {
                status,
                reason: Some(reason),
            } => write!(f, "HTTP {status}: {reason}"),
            StopError::Refused {
                status,
                reason: None,
            } => write!(f, "HTTP {status}"),
            StopError::NoAnswer(why) => why.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::*;

    #[test]
    fn a_repair_that_could_not_be_made_names_the_file_and_the_browsers_reason() {
        let unreadable = RepairError::Unreadable {
            name: "fx.csv".into(),
            detail: "NotReadableError".into(),
        };
        assert_eq!(
            unreadable.to_string(),
            "“fx.csv” could not be read again to repair it (NotReadableError); nothing was changed."
        );
        let not_saved = RepairError::NotSaved {
            name: "fx-changes.csv".into(),
            detail: "QuotaExceededError".into(),
        };
        assert_eq!(
            not_saved.to_string(),
            "The browser could not make “fx-changes.csv” (QuotaExceededError)."
        );
    }

    #[test]
    fn journal_and_response_file_sentences_carry_their_detail() {
        assert!(JournalProblem::NotSaved {
            detail: "QuotaExceededError".into()
        }
        .to_string()
        .contains("(QuotaExceededError)"));
        assert_eq!(
            ResponseFileError::Refused { status: 404 }.to_string(),
            "The response file could not be fetched through the proxy (HTTP 404)."
        );
        assert_eq!(
            ResponseFileError::NotFetched(NoAnswer::TimedOut).to_string(),
            "The response file could not be fetched through the proxy (the request timed out)."
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
        for e in crate::error::tests::every_401() {
            assert!(e.to_string().contains("credentials were refused"), "{e}");
        }
    }

    #[test]
    fn a_409_says_an_earlier_request_is_still_running() {
        let e = SubmitError::Rejected {
            status: 409,
            reasons: vec![],
            process_id: None,
            request_id: None,
        };
        assert!(e.to_string().contains("same Idempotency-Key"));
    }
}
