//! Every failure the user can meet, as a type that carries the facts needed to act on it
//! (the file, the row, the limit, the status, the track id). The one sentence that
//! explains each is its `Display`, written in [`crate::wording::errors`], so this file
//! holds no wording and depends on nothing but two small readers of stored JSON.

mod browser;
mod jobs;

pub use browser::*;
pub use jobs::*;

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
    /// The browser could not read the file again to survey or repair it.
    Unreadable { name: String, detail: String },
    /// The browser could not make the repaired file, or save a download.
    NotSaved { name: String, detail: String },
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
