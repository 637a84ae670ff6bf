//! What each cell of a record becomes in the repaired file (an edit, a header
//! mapping, or an accepted repair of a cell the row checks flag), and the list of
//! changes that records it.

use super::State;
use crate::preflight::csv::record_reader::Record;
use crate::repair::changes::{Change, ChangeReason};
use crate::repair::fields::{field, read_header};
use crate::repair::{cells::repair_cell, RepairKind};
use std::borrow::Cow;

impl State {
    /// Lists the changes of the cells of `r` that a repair or an edit changes.
    pub(super) fn change_cells(&mut self, r: &Record, fields: &str) {
        let row = r.number;
        let field = |i: usize| field(r, fields, i);
        for at in 0..self.active.len() {
            let column = self.active[at];
            if !self.edits.is_empty() && self.edits.contains_key(&(row, column)) {
                continue;
            }
            let Some(value) = field(column) else {
                continue;
            };
            if let Some((after, kind)) = self.repaired(column, value) {
                self.push_change(row, column, value, after, ChangeReason::Repair(kind));
            }
        }
        if self.edits.is_empty() {
            return;
        }
        let edits: Vec<(usize, String)> = self
            .edits
            .range((row, 0)..(row.saturating_add(1), 0))
            .iter()
            .map(|((_, column), value)| (*column, value.clone()))
            .collect();
        for (column, after) in edits {
            if let Some(value) = field(column) {
                self.edits_applied.insert((row, column), ());
                self.push_change(row, column, value, after, ChangeReason::Edit);
            }
        }
    }

    /// A change of `before` into `after`, unless they are the same.
    pub(super) fn push_change(
        &mut self,
        row: u64,
        column: usize,
        before: &str,
        after: String,
        reason: ChangeReason,
    ) {
        if after != before {
            self.done.changes.push(Change {
                row,
                column: Some(column),
                before: before.to_owned(),
                after,
                reason,
            });
        }
    }

    /// What the accepted repairs of `column` make of `value`, and which repair did.
    pub(super) fn repaired(&self, column: usize, value: &str) -> Option<(String, RepairKind)> {
        let spec = self.specs.get(column).copied().flatten()?;
        self.kinds
            .get(column)?
            .iter()
            .find_map(|&(kind, decision)| Some((repair_cell(kind, spec, value, decision)?, kind)))
    }

    /// The header's names, mapped as confirmed, and the columns the checks know.
    pub(super) fn read_header(&mut self, values: &[Cow<str>]) {
        (self.names, self.specs) = read_header(values, &self.headers, self.action);
    }

    /// The cells of row `row` that change, each listed: `(column, index of its change)`.
    pub(super) fn changes_of(&mut self, row: u64, values: &[Cow<str>]) -> Vec<(usize, usize)> {
        let mut changed = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let Some((after, reason)) = self.new_value(row, i, value) else {
                continue;
            };
            if after == *value {
                continue;
            }
            changed.push((i, self.done.changes.len()));
            self.done.changes.push(Change {
                row,
                column: Some(i),
                before: value.to_string(),
                after,
                reason,
            });
        }
        changed
    }

    pub(super) fn new_value(
        &mut self,
        row: u64,
        column: usize,
        value: &str,
    ) -> Option<(String, ChangeReason)> {
        if !self.edits.is_empty() {
            if let Some(edit) = self.edits.get(&(row, column)) {
                self.edits_applied.insert((row, column), ());
                return Some((edit.clone(), ChangeReason::Edit));
            }
        }
        if row == 1 {
            let name = self.headers.get(&column)?;
            return Some((name.clone(), ChangeReason::Header));
        }
        let (after, kind) = self.repaired(column, value)?;
        Some((after, ChangeReason::Repair(kind)))
    }

    /// Lists the cells of a record read as Windows-1252 whose characters changed.
    pub(super) fn note_recoded(&mut self, r: &Record, values: &[Cow<str>]) {
        for (i, after) in values.iter().enumerate() {
            let bytes = r.field(i).unwrap_or_default();
            if bytes.is_ascii() {
                continue;
            }
            self.done.changes.push(Change {
                row: r.number,
                column: Some(i),
                before: String::from_utf8_lossy(bytes).into_owned(),
                after: after.to_string(),
                reason: ChangeReason::Repair(RepairKind::Encoding),
            });
        }
    }

    /// Lists the edits no cell took.
    pub(super) fn note_edits_not_applied(&mut self) {
        self.done.edits_not_applied = self
            .edits
            .iter()
            .map(|(cell, _)| *cell)
            .filter(|cell| !self.edits_applied.contains_key(cell))
            .collect();
    }
}
