//! The repaired file, written in one pass over the original bytes fed in chunks of any
//! size (the result does not depend on the cuts).
//!
//! A record in which nothing changes is copied byte for byte: its quoting, its line
//! ending, the byte order mark and blank lines before it. In a record that changes,
//! each unchanged cell is copied as written and each changed one is written in the
//! file's style ([`super::raw::write_cell`]). A record that is not UTF-8 is copied as it
//! is unless the Windows-1252 repair was accepted; then it is read as Windows-1252 and
//! written as UTF-8 (a record that is valid UTF-8 is taken as UTF-8 either way).
//!
//! Memory: the bytes of the record being read (and of a chunk), blank rows held until
//! the next non-blank one shows they are not trailing, and the list of changes. A
//! record over the reader's limit is copied as it is, written as it comes.

mod values;

use super::changes::{Change, ChangeReason, Repaired};
use super::encoding;
use super::fields::{is_blank, record_values};
use super::plan::RepairPlan;
use super::raw::{self, RawCell};
use super::sorted::SortedMap;
use super::{Decision, RepairKind};
use crate::preflight::csv::record_reader::{Record, RecordReader};
use crate::preflight::csv::{DEFAULT_MAX_FIELDS, DEFAULT_MAX_RECORD_BYTES};
use crate::preflight::ColumnSpec;
use crate::ActionType;
use std::borrow::Cow;

pub struct RepairWriter {
    reader: RecordReader,
    state: State,
}

type CellKinds = Vec<(RepairKind, Option<Decision>)>;

struct State {
    /// The reader's bound on one record; a longer one is written as it comes.
    max_record_bytes: u64,
    /// Bytes of an oversized record are being written as they come.
    streaming: bool,
    action: Option<ActionType>,
    windows_1252: bool,
    drop_blank_tail: bool,
    headers: SortedMap<usize, String>,
    edits: SortedMap<(u64, usize), String>,
    /// The edits a cell took so far.
    edits_applied: SortedMap<(u64, usize), ()>,
    /// The accepted cell repairs of each column, by index.
    kinds: Vec<CellKinds>,
    /// The columns that have some.
    active: Vec<usize>,
    specs: Vec<Option<&'static ColumnSpec>>,
    names: Vec<String>,
    /// Input bytes from offset `pending_at`; the first `consumed` are written.
    pending: Vec<u8>,
    pending_at: u64,
    consumed: usize,
    bom_done: bool,
    held: Vec<u8>,
    held_rows: Vec<u64>,
    held_lines: u64,
    cells: Vec<RawCell>,
    /// The changed cells of the record being written (reused from record to record).
    changed: Vec<(usize, usize)>,
    record: Vec<u8>,
    done: Repaired,
}

impl RepairWriter {
    /// A writer of `plan` applied to a file checked as `action` (without one, only edits,
    /// header mappings, the encoding and blank rows apply).
    pub fn new(action: Option<ActionType>, plan: &RepairPlan) -> RepairWriter {
        RepairWriter::with_limits(action, plan, DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FIELDS)
    }

    /// A writer whose reader has these bounds on one record (preflight's by default).
    pub fn with_limits(
        action: Option<ActionType>,
        plan: &RepairPlan,
        max_record_bytes: usize,
        max_fields: usize,
    ) -> RepairWriter {
        let mut kinds: Vec<CellKinds> = Vec::new();
        for kind in RepairKind::CELL_KINDS {
            for a in plan.accepted().iter().filter(|a| a.kind == kind) {
                if let Some(column) = a.column {
                    if kinds.len() <= column {
                        kinds.resize_with(column + 1, Vec::new);
                    }
                    kinds[column].push((kind, a.decision));
                }
            }
        }
        let active = (0..kinds.len()).filter(|&c| !kinds[c].is_empty()).collect();
        RepairWriter {
            reader: RecordReader::new(max_record_bytes, max_fields, false),
            state: State {
                max_record_bytes: max_record_bytes as u64,
                streaming: false,
                action,
                windows_1252: plan.is_accepted(RepairKind::Encoding),
                drop_blank_tail: plan.is_accepted(RepairKind::BlankRows),
                headers: plan.headers().clone(),
                edits: plan.edits().clone(),
                edits_applied: Default::default(),
                kinds,
                active,
                specs: Vec::new(),
                names: Vec::new(),
                pending: Vec::new(),
                pending_at: 0,
                consumed: 0,
                bom_done: false,
                held: Vec::new(),
                held_rows: Vec::new(),
                held_lines: 0,
                cells: Vec::new(),
                changed: Vec::new(),
                record: Vec::new(),
                done: Repaired {
                    changes: Vec::with_capacity(expected_changes(plan)),
                    ..Repaired::default()
                },
            },
        }
    }

    /// Reads the next bytes of the original file; hands what is written to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut dyn FnMut(&[u8])) {
        let state = &mut self.state;
        state.pending.extend_from_slice(chunk);
        self.reader.feed(chunk, &mut |r| state.record(r, out));
        if let Some(start) = self.reader.record_start() {
            let offset = self.reader.offset();
            if offset.saturating_sub(start) > state.max_record_bytes {
                state.stream(start, offset, self.reader.bom, out);
            }
        }
        state.compact();
    }

    pub fn finish(mut self, out: &mut dyn FnMut(&[u8])) -> Repaired {
        let state = &mut self.state;
        self.reader.finish(&mut |r| state.record(r, out));
        let rest = std::mem::take(&mut state.pending);
        let mut rest = rest.get(state.consumed..).unwrap_or_default();
        if !state.bom_done && self.reader.bom {
            state.emit(rest.get(..3).unwrap_or_default(), out);
            rest = rest.get(3..).unwrap_or_default();
        }
        // After the last record only blank lines remain, unless the reader left a record
        // unfinished: its bytes are written as they are.
        if state.drop_blank_tail && !state.streaming {
            state.drop_held(count_lines(rest));
        } else {
            state.emit(rest, out);
        }
        self.state.done.header = std::mem::take(&mut self.state.names);
        self.state.note_edits_not_applied();
        self.state.done
    }
}

impl State {
    fn emit(&mut self, bytes: &[u8], out: &mut dyn FnMut(&[u8])) {
        if !bytes.is_empty() {
            self.done.bytes_written += bytes.len() as u64;
            out(bytes);
        }
    }

    fn compact(&mut self) {
        self.pending.drain(..self.consumed.min(self.pending.len()));
        self.pending_at += self.consumed as u64;
        self.consumed = 0;
    }

    /// One record from the reader, with the blank lines (and byte order mark) before it.
    fn record(&mut self, r: &Record, out: &mut dyn FnMut(&[u8])) {
        let at = |offset: u64| usize::try_from(offset.saturating_sub(self.pending_at)).unwrap_or(0);
        let (start, end) = (at(r.start), at(r.end));
        let pending = std::mem::take(&mut self.pending);
        if !self.streaming {
            self.gap(&pending, start, r.after_bom, out);
        }
        let raw = pending.get(self.consumed..end).unwrap_or_default();
        if self.streaming {
            self.emit(raw, out);
            self.streaming = false;
        } else if r.oversized {
            self.release_held(out);
            self.emit(raw, out);
        } else {
            self.rewrite(r, raw, out);
        }
        self.consumed = end;
        self.pending = pending;
    }

    /// The bytes before the record starting at `start` (of `pending`): the byte order
    /// mark, written at once, and blank lines, held while blank rows may be trailing.
    fn gap(&mut self, pending: &[u8], start: usize, bom: bool, out: &mut dyn FnMut(&[u8])) {
        let mut gap = pending.get(self.consumed..start).unwrap_or_default();
        if !self.bom_done {
            self.bom_done = true;
            if bom {
                self.emit(gap.get(..3).unwrap_or_default(), out);
                gap = gap.get(3..).unwrap_or_default();
            }
        }
        if self.drop_blank_tail {
            self.held.extend_from_slice(gap);
            self.held_lines += count_lines(gap);
        } else {
            self.emit(gap, out);
        }
        self.consumed = start.max(self.consumed);
    }

    /// A record longer than the reader's limit (it will be handed out oversized and
    /// copied as it is) is written as it comes, so that it is never held whole: what
    /// the reader has taken of it up to `offset` goes out now.
    fn stream(&mut self, start: u64, offset: u64, bom: bool, out: &mut dyn FnMut(&[u8])) {
        let base = self.pending_at;
        let at = |o: u64| usize::try_from(o.saturating_sub(base)).unwrap_or(0);
        let pending = std::mem::take(&mut self.pending);
        if !self.streaming {
            self.gap(&pending, at(start), bom, out);
            self.release_held(out);
            self.streaming = true;
        }
        let upto = at(offset).min(pending.len());
        self.emit(pending.get(self.consumed..upto).unwrap_or_default(), out);
        self.consumed = upto.max(self.consumed);
        self.pending = pending;
    }

    /// A record read whole: held if it is a blank row at what may be the end, else
    /// written with its changes (copied as it is when it has none).
    fn rewrite(&mut self, r: &Record, raw: &[u8], out: &mut dyn FnMut(&[u8])) {
        let row = r.number;
        if row > 1 {
            if let Ok(fields) = std::str::from_utf8(r.bytes) {
                return self.rewrite_utf8(r, fields, raw, out);
            }
        }
        let Some((values, recoded)) = record_values(r, self.windows_1252) else {
            self.release_held(out);
            self.emit(raw, out);
            return;
        };
        if row == 1 {
            self.read_header(&values);
        } else if self.drop_blank_tail && values.iter().all(|v| v.is_empty()) {
            match recoded {
                true => self
                    .held
                    .extend_from_slice(encoding::decode(raw).as_bytes()),
                false => self.held.extend_from_slice(raw),
            }
            self.held_rows.push(row);
            return;
        }
        self.release_held(out);
        // The record as text; one whose values are UTF-8 only once unquoted is left as
        // it is.
        let text = match (recoded, std::str::from_utf8(raw)) {
            (true, _) => Cow::Owned(encoding::decode(raw)),
            (false, Ok(text)) => Cow::Borrowed(text),
            (false, Err(_)) => return self.emit(raw, out),
        };
        let changed = self.changes_of(row, &values);
        if recoded {
            self.note_recoded(r, &values);
        }
        if changed.is_empty() && !recoded {
            self.emit(raw, out);
            return;
        }
        let record = self.rebuilt(text.as_bytes(), &changed);
        self.emit(&record, out);
        self.record = record;
    }

    /// The usual record, UTF-8 and after the header (`fields` its values back to back
    /// or as written): only the cells that a repair or an edit may change are looked
    /// at, and a record without a change is copied without another look.
    fn rewrite_utf8(&mut self, r: &Record, fields: &str, raw: &[u8], out: &mut dyn FnMut(&[u8])) {
        if self.drop_blank_tail && is_blank(r, fields) {
            self.held.extend_from_slice(raw);
            self.held_rows.push(r.number);
            return;
        }
        self.release_held(out);
        let before = self.done.changes.len();
        self.change_cells(r, fields);
        if self.done.changes.len() == before {
            return self.emit(raw, out);
        }
        // One whose values are UTF-8 only once unquoted is left as it is. A record read
        // as written (`gap` 1: no quote in it) is its values, commas and line ending:
        // UTF-8 already.
        if r.gap != 1 && std::str::from_utf8(raw).is_err() {
            self.done.changes.truncate(before);
            return self.emit(raw, out);
        }
        let mine = self.done.changes.get_mut(before..).unwrap_or_default();
        // Changes without a column (none here) would go first, as `None` sorts first.
        crate::order::sort_by_number(mine, |c| c.column.map_or(0, |c| c as u64 + 1));
        let mut changed = std::mem::take(&mut self.changed);
        changed.clear();
        changed.extend(
            mine.iter()
                .enumerate()
                .filter_map(|(at, c)| Some((c.column?, before + at))),
        );
        let record = self.rebuilt(raw, &changed);
        self.changed = changed;
        self.emit(&record, out);
        self.record = record;
    }

    /// `text` (a whole record) with the cells of `changed` (in column order) written
    /// anew; the bytes between them are copied, and those after the last one are not
    /// even looked at.
    fn rebuilt(&mut self, text: &[u8], changed: &[(usize, usize)]) -> Vec<u8> {
        let mut cells = std::mem::take(&mut self.cells);
        let last = changed.last().map_or(0, |&(c, _)| c);
        raw::split(text, &mut cells, last);
        let mut record = std::mem::take(&mut self.record);
        record.clear();
        let mut copied = 0;
        for &(column, at) in changed {
            let (Some(cell), Some(change)) = (cells.get(column), self.done.changes.get(at)) else {
                continue;
            };
            record.extend_from_slice(text.get(copied..cell.start).unwrap_or_default());
            raw::write_cell(&mut record, &change.after, cell.quoted);
            copied = cell.end;
        }
        record.extend_from_slice(text.get(copied..).unwrap_or_default());
        self.cells = cells;
        record
    }

    /// Blank rows held are not trailing after all: written as they were.
    fn release_held(&mut self, out: &mut dyn FnMut(&[u8])) {
        let held = std::mem::take(&mut self.held);
        self.emit(&held, out);
        self.held = held;
        self.held.clear();
        self.held_rows.clear();
        self.held_lines = 0;
    }

    /// The end of the file: the blank rows held (and `lines` blank lines after the last
    /// record) are dropped.
    fn drop_held(&mut self, lines: u64) {
        for &row in &self.held_rows {
            self.done.changes.push(Change {
                row,
                column: None,
                before: String::new(),
                after: String::new(),
                reason: ChangeReason::Repair(RepairKind::BlankRows),
            });
        }
        self.done.rows_dropped = self.held_rows.len() as u64 + self.held_lines + lines;
    }
}

/// Room for the changes `plan` will make, as its offers counted them and its edits:
/// growing a list of tens of thousands of changes as they come costs the writer about a
/// fifth of its time. At most a million: a count is a hint, not a promise.
fn expected_changes(plan: &RepairPlan) -> usize {
    let cells: u64 = plan.accepted().iter().map(|a| a.cells).sum();
    let edits = plan.edits().len() as u64;
    usize::try_from(cells.saturating_add(edits).min(1 << 20)).unwrap_or(0)
}

/// Blank lines in `bytes` (CR, LF or CRLF each end one).
fn count_lines(bytes: &[u8]) -> u64 {
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    (bytes.iter().filter(|&&b| b == b'\r' || b == b'\n').count() - crlf) as u64
}

/// `bytes` repaired by `plan` in chunks of `chunk` bytes: the new file and the changes.
pub fn repair_bytes(
    action: Option<ActionType>,
    plan: &RepairPlan,
    bytes: &[u8],
    chunk: usize,
) -> (Vec<u8>, Repaired) {
    let mut writer = RepairWriter::new(action, plan);
    let mut out = Vec::with_capacity(bytes.len());
    for piece in bytes.chunks(chunk.max(1)) {
        writer.feed(piece, &mut |b| out.extend_from_slice(b));
    }
    let repaired = writer.finish(&mut |b| out.extend_from_slice(b));
    (out, repaired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::csv::record_reader::tests::csvish;
    use proptest::prelude::*;

    /// `data` through a writer with these bounds on a record, and the most input bytes it
    /// held at once.
    fn through(data: &[u8], chunk: usize, max_bytes: usize, plan: &RepairPlan) -> (Vec<u8>, usize) {
        let mut writer = RepairWriter::with_limits(None, plan, max_bytes, 8);
        let mut out = Vec::new();
        let mut most = 0;
        for piece in data.chunks(chunk.max(1)) {
            writer.feed(piece, &mut |b| out.extend_from_slice(b));
            most = most.max(writer.state.pending.len());
        }
        writer.finish(&mut |b| out.extend_from_slice(b));
        (out, most)
    }

    fn blank_rows() -> RepairPlan {
        let mut plan = RepairPlan::default();
        let offer = crate::repair::survey::RepairOffer {
            kind: RepairKind::BlankRows,
            column: None,
            column_name: String::new(),
            count: 1,
            sample: None,
            question: None,
            decided: None,
        };
        plan.accept(&offer, None).expect("accepted");
        plan
    }

    #[test]
    fn an_unclosed_quote_is_written_as_it_comes_not_held() {
        let mut data = b"\xEF\xBB\xBFa,b\r\n\r\n\"".to_vec();
        data.extend(std::iter::repeat_n(b'x', 100_000));
        data.extend_from_slice(b"\r\n1,2\r\n");
        for plan in [RepairPlan::default(), blank_rows()] {
            let (out, most) = through(&data, 100, 1000, &plan);
            assert_eq!(out, data);
            assert!(most <= 1000 + 2 * 100, "held {most} bytes");
        }
    }

    proptest! {
        /// With tiny bounds too (records oversized, written as they come), an empty
        /// plan gives back the very bytes.
        #[test]
        fn small_bounds_still_give_back_the_bytes(data in csvish(), chunk in 1usize..20, max in 1usize..30) {
            let (out, _) = through(&data, chunk, max, &RepairPlan::default());
            prop_assert_eq!(out, data);
        }

        /// Dropping blank rows at the end takes a tail of blank rows and lines and
        /// nothing else: the output is the start of the input, and what is left out holds
        /// only line ends, commas and quotes.
        #[test]
        fn dropping_blank_rows_cuts_only_a_blank_tail(data in csvish(), chunk in 1usize..20, max in 1usize..400) {
            let (out, _) = through(&data, chunk, max, &blank_rows());
            prop_assert!(data.starts_with(&out), "{:?} → {:?}", data, out);
            let tail = &data[out.len()..];
            prop_assert!(tail.iter().all(|b| b"\r\n,\"".contains(b)), "{:?} → {:?}", data, out);
        }
    }
}
