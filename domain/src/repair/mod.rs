//! Repairing a file in the browser: the mechanical fixes of what preflight finds, and
//! the user's own edits, written into a new file while the original stays as it was.
//!
//! - [`survey`] reads the file once (in chunks, like preflight) and offers one
//!   [`RepairOffer`] per kind of repair and column: how many cells it would change, an
//!   example, and the question to answer first when a column reads two ways;
//! - [`plan`] holds the user's choices: accepted offers with their answers, header
//!   mappings, cells edited in place, and their undo;
//! - [`writer`] reads the file again and writes the repaired one, copying every cell
//!   that does not change byte for byte, and lists each change;
//! - [`zip`] does both for the CSV inside a `.zip`, packing the repaired CSV under the
//!   same entry name.
//!
//! A repair changes only a cell that carries a finding of its kind, re-checked by the
//! row checks' own function ([`cells::repair_cell`]); the fixes themselves are in
//! [`dates`], [`numbers`], [`enums`], [`whitespace`], [`encoding`] and [`header`].

pub mod cells;
pub mod changes;
pub mod dates;
pub mod encoding;
pub mod enums;
mod fields;
pub mod header;
pub mod numbers;
pub mod plan;
pub(crate) mod raw;
pub mod sorted;
pub mod survey;
pub mod whitespace;
pub mod writer;
pub mod zip;

use crate::preflight::RowRules;
use crate::ActionType;

pub use changes::{changes_csv, Change, ChangeReason, Repaired};
pub use dates::DayMonth;
pub use header::{Closeness, HeaderProposal};
pub use numbers::DecimalMark;
pub use plan::{Accepted, RepairPlan};
pub use survey::{survey_bytes, Question, Recoded, RepairOffer, Survey, SurveyReport};
pub use writer::{repair_bytes, RepairWriter};
pub use zip::{repair_zip, survey_zip};

/// A name for the repaired file: `fx.csv` → `fx-repaired.csv` (`.zip` kept for a ZIP).
pub fn repaired_file_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let zip = base.to_ascii_lowercase().ends_with(".zip");
    let extension = if zip { "zip" } else { "csv" };
    format!("{}-repaired.{extension}", crate::intake::file_stem(base))
}

/// A name for the list of changes: `fx.csv` → `fx-changes.csv`.
pub fn changes_file_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    format!("{}-changes.csv", crate::intake::file_stem(base))
}

/// The findings of one row checked on its own, as the row checks of a file checked as
/// `action` with this `header` find them: what an edit in place is re-checked with at
/// once. Rules over the whole file (the order of Group IDs) wait for the file's check.
pub fn recheck_row(
    action: ActionType,
    header: &[&str],
    row: u64,
    fields: &[&str],
) -> crate::preflight::Findings {
    let mut rules = RowRules::new(action, header, &mut crate::preflight::Findings::with_cap(0));
    let mut findings = crate::preflight::Findings::default();
    rules.check(row, fields, &mut findings);
    findings
}

/// A kind of repair, as the offers group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RepairKind {
    /// Windows-1252 read into UTF-8 (the whole file).
    Encoding,
    /// Whitespace around a value flagged `padded-value`.
    Whitespace,
    /// Dates flagged `bad-date` in a layout [`dates`] reads.
    Dates,
    /// Numbers flagged `bad-decimal` that [`numbers`] reads.
    Numbers,
    /// Values flagged `enum-case`, `currency-case` or `bad-currency` with a documented
    /// spelling.
    Enums,
    /// Blank rows and lines at the end of the file.
    BlankRows,
}

impl RepairKind {
    /// The name in the list of changes (an identifier, like a finding's code).
    pub fn code(self) -> &'static str {
        match self {
            RepairKind::Encoding => "encoding",
            RepairKind::Whitespace => "whitespace",
            RepairKind::Dates => "dates",
            RepairKind::Numbers => "numbers",
            RepairKind::Enums => "enums",
            RepairKind::BlankRows => "blank-rows",
        }
    }

    /// The kinds that work cell by cell, in the order a cell tries them.
    pub const CELL_KINDS: [RepairKind; 4] = [
        RepairKind::Whitespace,
        RepairKind::Dates,
        RepairKind::Numbers,
        RepairKind::Enums,
    ];
}

/// An answer to an offer's question (or what the column showed on its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    Order(DayMonth),
    Mark(DecimalMark),
}

#[cfg(test)]
mod tests;
