//! One pass over a file (fed in chunks, as preflight is) that finds what the repairs
//! would change: per kind of repair and column, how many cells, an example, and what
//! the column says about the order of its dates or the mark of its numbers. The cells
//! are judged by [`super::cells::repair_cell`], as the writer judges them, so a count
//! is what the writer will change (once a question is answered).
//!
//! A record that is not UTF-8 is read as Windows-1252 here: the encoding repair is
//! what makes the file readable, and the other repairs are counted on what it reads.

use super::cells::repair_cell;
use super::dates::{read_date, DateColumn, DateOrder, DayMonth};
use super::fields::{field, is_blank, read_header, record_values};
use super::header::{propose, HeaderProposal};
use super::numbers::{read_number, DecimalMark, MarkDecision, NumberColumn};
use super::sorted::SortedMap;
use super::{Decision, RepairKind};
use crate::preflight::csv::record_reader::{Record, RecordReader};
use crate::preflight::csv::{DEFAULT_MAX_FIELDS, DEFAULT_MAX_RECORD_BYTES};
use crate::preflight::rules::rows::cell_problem;
use crate::preflight::{ColumnSpec, ValueKind};
use crate::ActionType;
use std::borrow::Cow;

/// Values whose characters change in the encoding repair, kept in full for the list.
pub const RECODED_KEPT: usize = 200;

/// One repair the user can make with one click (or one answer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepairOffer {
    pub kind: RepairKind,
    /// The column (0-based); `None` for the encoding and blank rows.
    pub column: Option<usize>,
    /// The column's name in the header (empty for none).
    pub column_name: String,
    /// Cells (or rows, for blank rows) it changes.
    pub count: u64,
    /// One value before and after.
    pub sample: Option<(String, String)>,
    /// Asked before anything is converted; `None` when nothing needs asking.
    pub question: Option<Question>,
    /// What the column showed on its own (a date order, a decimal mark).
    pub decided: Option<Decision>,
}

impl RepairOffer {
    pub fn needs_answer(&self) -> bool {
        self.question.is_some()
    }
}

/// A question of one column: an example value and what each answer makes of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub value: String,
    pub answers: [(Decision, String); 2],
}

/// A value whose characters change when the file is read as Windows-1252: `before` as
/// the file shows it read as UTF-8 (with U+FFFD), `after` as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recoded {
    pub row: u64,
    pub column: usize,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SurveyReport {
    pub offers: Vec<RepairOffer>,
    pub proposals: Vec<HeaderProposal>,
    /// The first [`RECODED_KEPT`] values the encoding repair changes.
    pub recoded: Vec<Recoded>,
}

pub struct Survey {
    reader: RecordReader,
    state: State,
}

#[derive(Default)]
struct Tally {
    sure: u64,
    /// Values that read one way under each answer (slash dates, `1,234`).
    first: u64,
    second: u64,
    sample: Option<(String, String)>,
    /// An example under each answer.
    samples: [Option<(String, String)>; 2],
    question: Option<Question>,
}

struct State {
    action: Option<ActionType>,
    mappings: SortedMap<usize, String>,
    specs: Vec<Option<&'static ColumnSpec>>,
    /// The known columns, `(index, spec)` by index.
    known: Vec<(usize, &'static ColumnSpec)>,
    names: Vec<String>,
    proposals: Vec<HeaderProposal>,
    tallies: SortedMap<(RepairKind, usize), Tally>,
    dates: SortedMap<usize, DateColumn>,
    numbers: SortedMap<usize, NumberColumn>,
    trailing_rows: u64,
    trailing_lines: u64,
    recoded: Vec<Recoded>,
    recoded_count: u64,
}

impl Survey {
    /// A survey of a file checked as `action`, its header read with the mappings the
    /// user confirmed (`(column, name)`).
    pub fn new(action: Option<ActionType>, mappings: &[(usize, String)]) -> Survey {
        Survey {
            reader: RecordReader::new(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FIELDS, false),
            state: State {
                action,
                mappings: mappings.iter().cloned().collect(),
                specs: Vec::new(),
                known: Vec::new(),
                names: Vec::new(),
                proposals: Vec::new(),
                tallies: SortedMap::default(),
                dates: SortedMap::default(),
                numbers: SortedMap::default(),
                trailing_rows: 0,
                trailing_lines: 0,
                recoded: Vec::new(),
                recoded_count: 0,
            },
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let state = &mut self.state;
        self.reader.feed(chunk, &mut |r| state.record(r));
    }

    pub fn finish(mut self) -> SurveyReport {
        let state = &mut self.state;
        self.reader.finish(&mut |r| state.record(r));
        let lines = self.reader.blank_lines();
        self.state.report(lines)
    }
}

impl State {
    fn record(&mut self, r: &Record) {
        if r.oversized {
            (self.trailing_rows, self.trailing_lines) = (0, 0);
            return;
        }
        if r.number > 1 {
            if let Ok(fields) = std::str::from_utf8(r.bytes) {
                return self.row(r, fields);
            }
        }
        let Some((values, recoded)) = record_values(r, true) else {
            return;
        };
        if recoded {
            self.note_recoded(r, &values);
        }
        if r.number == 1 {
            self.header(&values);
        } else if values.iter().all(|v| v.is_empty()) {
            self.trailing_rows += 1;
            self.trailing_lines += r.blank_lines_before;
        } else {
            (self.trailing_rows, self.trailing_lines) = (0, 0);
            for (i, value) in values.iter().enumerate() {
                if let Some(spec) = self.specs.get(i).copied().flatten() {
                    if cell_problem(spec, value).is_some() {
                        self.cell(i, spec, value);
                    }
                }
            }
        }
    }

    /// A UTF-8 row (`fields` its values back to back or as written): only the known
    /// columns are looked at.
    fn row(&mut self, r: &Record, fields: &str) {
        if is_blank(r, fields) {
            self.trailing_rows += 1;
            self.trailing_lines += r.blank_lines_before;
            return;
        }
        (self.trailing_rows, self.trailing_lines) = (0, 0);
        for at in 0..self.known.len() {
            let (i, spec) = self.known[at];
            if let Some(value) = field(r, fields, i) {
                if cell_problem(spec, value).is_some() {
                    self.cell(i, spec, value);
                }
            }
        }
    }

    fn header(&mut self, values: &[Cow<str>]) {
        (self.names, self.specs) = read_header(values, &self.mappings, self.action);
        self.known = (self.specs.iter().enumerate())
            .filter_map(|(i, spec)| Some((i, (*spec)?)))
            .collect();
        if let Some(action) = self.action {
            let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
            self.proposals = propose(action, &names);
        }
    }

    /// One cell of a known column, counted under the repair that changes it.
    fn cell(&mut self, column: usize, spec: &ColumnSpec, value: &str) {
        for kind in [RepairKind::Whitespace, RepairKind::Enums] {
            if let Some(after) = repair_cell(kind, spec, value, None) {
                return self.count_sure(kind, column, value, after);
            }
        }
        let (kind, answers) = match spec.kind {
            ValueKind::Date => {
                let date = |o| Decision::Order(o);
                (
                    RepairKind::Dates,
                    [date(DayMonth::MonthFirst), date(DayMonth::DayFirst)],
                )
            }
            ValueKind::Decimal => {
                let mark = |m| Decision::Mark(m);
                (
                    RepairKind::Numbers,
                    [mark(DecimalMark::Point), mark(DecimalMark::Comma)],
                )
            }
            _ => return,
        };
        if let Some(after) = repair_cell(kind, spec, value, None) {
            return self.count_sure(kind, column, value, after);
        }
        let [a, b] = answers.map(|d| repair_cell(kind, spec, value, Some(d)));
        if a.is_none() && b.is_none() {
            return;
        }
        match kind {
            RepairKind::Dates => {
                if let Some(reading) = read_date(value) {
                    self.dates.entry_or_default(column).note(reading);
                }
            }
            _ => {
                if let Some(reading) = read_number(value) {
                    self.numbers.entry_or_default(column).note(&reading);
                }
            }
        }
        let tally = self.tallies.entry_or_default((kind, column));
        tally.first += u64::from(a.is_some());
        tally.second += u64::from(b.is_some());
        for (slot, after) in tally.samples.iter_mut().zip([&a, &b]) {
            if let (None, Some(after)) = (&slot, after) {
                *slot = Some((value.to_owned(), after.clone()));
            }
        }
        if let (None, Some(a), Some(b)) = (&tally.question, a, b) {
            tally.question = Some(Question {
                value: value.to_owned(),
                answers: [(answers[0], a), (answers[1], b)],
            });
        }
    }

    fn count_sure(&mut self, kind: RepairKind, column: usize, value: &str, after: String) {
        let tally = self.tallies.entry_or_default((kind, column));
        tally.sure += 1;
        tally
            .sample
            .get_or_insert_with(|| (value.to_owned(), after));
        if kind == RepairKind::Numbers {
            if let Some(reading) = read_number(value) {
                self.numbers.entry_or_default(column).note(&reading);
            }
        }
    }

    fn note_recoded(&mut self, r: &Record, values: &[Cow<str>]) {
        for (i, after) in values.iter().enumerate() {
            let bytes = r.field(i).unwrap_or_default();
            if bytes.is_ascii() {
                continue;
            }
            self.recoded_count += 1;
            if self.recoded.len() < RECODED_KEPT {
                self.recoded.push(Recoded {
                    row: r.number,
                    column: i,
                    before: String::from_utf8_lossy(bytes).into_owned(),
                    after: after.to_string(),
                });
            }
        }
    }

    fn report(self, lines_at_end: u64) -> SurveyReport {
        let mut offers = Vec::new();
        if self.recoded_count > 0 {
            let sample = self
                .recoded
                .first()
                .map(|r| (r.before.clone(), r.after.clone()));
            offers.push(file_offer(RepairKind::Encoding, self.recoded_count, sample));
        }
        for &((kind, column), ref tally) in self.tallies.iter() {
            let name = self.names.get(column).cloned().unwrap_or_default();
            if let Some(offer) = self.column_offer(kind, column, name, tally) {
                offers.push(offer);
            }
        }
        let blank = self.trailing_rows + self.trailing_lines + lines_at_end;
        if blank > 0 {
            offers.push(file_offer(RepairKind::BlankRows, blank, None));
        }
        SurveyReport {
            offers,
            proposals: self.proposals,
            recoded: self.recoded,
        }
    }

    fn column_offer(
        &self,
        kind: RepairKind,
        column: usize,
        column_name: String,
        tally: &Tally,
    ) -> Option<RepairOffer> {
        let decided = match kind {
            RepairKind::Dates => match self.dates.get(&column).map(DateColumn::order) {
                Some(DateOrder::Known(order)) => Known(Decision::Order(order)),
                Some(DateOrder::Conflict) => Conflict,
                _ => Ask,
            },
            RepairKind::Numbers => match self.numbers.get(&column).map(NumberColumn::decision) {
                Some(MarkDecision::Known(mark)) => Known(Decision::Mark(mark)),
                Some(MarkDecision::Conflict) => Conflict,
                _ => Ask,
            },
            _ => Fixed,
        };
        let first = matches!(
            decided,
            Known(Decision::Order(DayMonth::MonthFirst) | Decision::Mark(DecimalMark::Point))
        );
        let (count, question, decision) = match decided {
            Known(d) => (
                tally.sure + if first { tally.first } else { tally.second },
                None,
                Some(d),
            ),
            Ask if tally.first + tally.second > 0 => (
                tally.sure + tally.first.max(tally.second),
                tally.question.clone(),
                None,
            ),
            _ => (tally.sure, None, None),
        };
        let by_answer = match decided {
            Known(_) => tally.samples[usize::from(!first)].clone(),
            _ => None,
        };
        let sample = tally.sample.clone().or(by_answer);
        (count > 0).then_some(RepairOffer {
            kind,
            column: Some(column),
            column_name,
            count,
            sample,
            question,
            decided: decision,
        })
    }
}

use Decided::*;
/// What a column's values decide for the repair of its ambiguous ones.
enum Decided {
    /// The column shows the answer.
    Known(Decision),
    /// Nothing shows it: the user is asked.
    Ask,
    /// Both answers show: the ambiguous values are left alone.
    Conflict,
    /// The kind has no question (whitespace, spellings).
    Fixed,
}

fn file_offer(kind: RepairKind, count: u64, sample: Option<(String, String)>) -> RepairOffer {
    RepairOffer {
        kind,
        column: None,
        column_name: String::new(),
        count,
        sample,
        question: None,
        decided: None,
    }
}

/// The survey of `bytes` fed in chunks of `chunk` bytes.
pub fn survey_bytes(
    action: Option<ActionType>,
    mappings: &[(usize, String)],
    bytes: &[u8],
    chunk: usize,
) -> SurveyReport {
    let mut survey = Survey::new(action, mappings);
    for piece in bytes.chunks(chunk.max(1)) {
        survey.feed(piece);
    }
    survey.finish()
}
