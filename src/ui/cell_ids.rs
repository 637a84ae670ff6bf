//! The element ids of the preview's cells and rows, so that a finding can link to the
//! cell it is about. Unique per file shown: several app instances share one document.

use super::unique_id;
use mass_updater_domain::preflight::Finding;

/// The ids of one file's preview, which shows its first `shown_rows` data rows.
#[derive(Clone)]
pub struct CellIds {
    prefix: String,
    shown_rows: usize,
}

impl CellIds {
    pub fn new(shown_rows: usize) -> CellIds {
        CellIds {
            prefix: unique_id("cell"),
            shown_rows,
        }
    }

    /// The cell at spreadsheet `row` (the header is 1) and `column` (from 0).
    pub fn cell(&self, row: u64, column: usize) -> String {
        format!("{}-r{row}-c{column}", self.prefix)
    }

    /// The row's number cell.
    pub fn row(&self, row: u64) -> String {
        format!("{}-r{row}", self.prefix)
    }

    /// The fragment a finding links to, when the preview shows its place.
    pub fn target(&self, f: &Finding) -> Option<String> {
        let shown = match f.row {
            Some(1) => f.column.is_some(),
            Some(row) => row >= 2 && row < 2 + self.shown_rows as u64,
            None => false,
        };
        match (f.row, f.column) {
            _ if !shown => None,
            (Some(r), Some(c)) => Some(format!("#{}", self.cell(r, c))),
            (Some(r), None) => Some(format!("#{}", self.row(r))),
            _ => None,
        }
    }
}
