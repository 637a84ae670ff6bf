//! The user's choices for one file: the offers accepted (with the answer each needed),
//! the header mappings confirmed, and the cells edited in place, with their undo. The
//! plan is the only per-cell state a repair keeps: [`super::writer`] reads the file
//! again from it.

use super::sorted::SortedMap;
use super::survey::RepairOffer;
use super::{Decision, RepairKind};
use crate::error::RepairError;

/// One accepted offer: its kind, its column (none for the whole file), the decision
/// its column needs (the user's answer, or what the column showed), and the cells the
/// offer counted (the writer sets room aside for their changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub kind: RepairKind,
    pub column: Option<usize>,
    pub decision: Option<Decision>,
    pub cells: u64,
}

/// One step, as undo takes it back: what was there before.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Accepted(Option<Accepted>),
    Header(usize, Option<String>),
    Edit((u64, usize), Option<String>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepairPlan {
    accepted: Vec<Accepted>,
    headers: SortedMap<usize, String>,
    edits: SortedMap<(u64, usize), String>,
    history: Vec<Step>,
}

impl RepairPlan {
    /// Accepts `offer`. An offer with a question takes an answer of its kind (a date
    /// order for dates, a decimal mark for numbers); accepting again replaces the answer.
    pub fn accept(
        &mut self,
        offer: &RepairOffer,
        answer: Option<Decision>,
    ) -> Result<(), RepairError> {
        let decision = match (&offer.question, answer) {
            (Some(_), None) => return Err(RepairError::AnswerNeeded),
            (_, Some(answer)) if !fits(offer.kind, answer) => {
                return Err(RepairError::AnswerDoesNotFit)
            }
            (Some(_), Some(answer)) => Some(answer),
            (None, _) => offer.decided,
        };
        let accepted = Accepted {
            kind: offer.kind,
            column: offer.column,
            decision,
            cells: offer.count,
        };
        let at = self
            .accepted
            .iter()
            .position(|a| (a.kind, a.column) == (offer.kind, offer.column));
        let before = match at {
            Some(i) => Some(std::mem::replace(&mut self.accepted[i], accepted)),
            None => {
                self.accepted.push(accepted);
                None
            }
        };
        self.history.push(Step::Accepted(before));
        Ok(())
    }

    /// Renames column `column` to `name` in the repaired file (a mapping the user
    /// confirmed).
    pub fn map_header(&mut self, column: usize, name: &str) {
        let before = self.headers.insert(column, name.to_owned());
        self.history.push(Step::Header(column, before));
    }

    /// Sets the cell at spreadsheet row `row` (the header is 1), column `column`.
    pub fn edit(&mut self, row: u64, column: usize, value: &str) {
        let before = self.edits.insert((row, column), value.to_owned());
        self.history.push(Step::Edit((row, column), before));
    }

    /// Takes back the last step; `false` when there is none.
    pub fn undo_last(&mut self) -> bool {
        let Some(step) = self.history.pop() else {
            return false;
        };
        match step {
            Step::Accepted(None) => {
                self.accepted.pop();
            }
            Step::Accepted(Some(before)) => {
                if let Some(a) = self
                    .accepted
                    .iter_mut()
                    .find(|a| (a.kind, a.column) == (before.kind, before.column))
                {
                    *a = before;
                }
            }
            Step::Header(column, before) => restore(&mut self.headers, column, before),
            Step::Edit(cell, before) => restore(&mut self.edits, cell, before),
        }
        true
    }

    /// Takes back every step.
    pub fn undo_all(&mut self) {
        *self = RepairPlan::default();
    }

    pub fn is_empty(&self) -> bool {
        self.history.is_empty()
    }

    pub fn accepted(&self) -> &[Accepted] {
        &self.accepted
    }

    pub fn is_accepted(&self, kind: RepairKind) -> bool {
        self.accepted.iter().any(|a| a.kind == kind)
    }

    pub fn headers(&self) -> &SortedMap<usize, String> {
        &self.headers
    }

    pub fn edits(&self) -> &SortedMap<(u64, usize), String> {
        &self.edits
    }

    /// The header mappings as `(column, name)`.
    pub fn header_mappings(&self) -> Vec<(usize, String)> {
        self.headers.iter().cloned().collect()
    }
}

/// An answer of the kind `kind`'s question asks for.
fn fits(kind: RepairKind, answer: Decision) -> bool {
    matches!(
        (kind, answer),
        (RepairKind::Dates, Decision::Order(_)) | (RepairKind::Numbers, Decision::Mark(_))
    )
}

fn restore<K: Ord + Copy, V>(map: &mut SortedMap<K, V>, key: K, before: Option<V>) {
    match before {
        Some(value) => map.insert(key, value),
        None => map.remove(&key),
    };
}
