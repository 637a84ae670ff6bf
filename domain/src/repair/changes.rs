//! What a repair changed: each cell (or dropped row) with its value before and after
//! and why, and the list of them as the CSV an auditor asks for.

use super::RepairKind;
use crate::error::RepairError;

/// Why a cell changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeReason {
    Repair(RepairKind),
    /// Edited in place by the user.
    Edit,
    /// A header mapping the user confirmed.
    Header,
}

impl ChangeReason {
    /// The name in the list of changes.
    pub fn code(self) -> &'static str {
        match self {
            ChangeReason::Repair(kind) => kind.code(),
            ChangeReason::Edit => "edit",
            ChangeReason::Header => "header",
        }
    }
}

/// One change: the cell (spreadsheet row, 0-based column; no column for a dropped
/// row), the value before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub row: u64,
    pub column: Option<usize>,
    pub before: String,
    pub after: String,
    pub reason: ChangeReason,
}

/// What the writer did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repaired {
    pub changes: Vec<Change>,
    /// The repaired file's header (the names the changes' columns have).
    pub header: Vec<String>,
    pub bytes_written: u64,
    /// Blank rows and lines dropped from the end.
    pub rows_dropped: u64,
    /// Edits of cells the file does not have (beyond a row's end, or past its last
    /// row), or of a record left as it was because it is not UTF-8: `(row, column)`.
    pub edits_not_applied: Vec<(u64, usize)>,
}

/// The list of changes as a CSV: row, column (its name), old value, new value, repair.
pub fn changes_csv(repaired: &Repaired) -> Result<Vec<u8>, RepairError> {
    let failed = |e: &dyn std::fmt::Display| RepairError::ChangeList {
        detail: e.to_string(),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["row", "column", "old value", "new value", "repair"])
        .map_err(|e| failed(&e))?;
    for c in &repaired.changes {
        let row = c.row.to_string();
        let name = c.column.and_then(|i| repaired.header.get(i));
        let record = [
            row.as_str(),
            name.map_or("", String::as_str),
            &c.before,
            &c.after,
            c.reason.code(),
        ];
        writer.write_record(record).map_err(|e| failed(&e))?;
    }
    writer.into_inner().map_err(|e| failed(&e))
}
