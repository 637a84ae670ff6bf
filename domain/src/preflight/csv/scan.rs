//! The structure of a CSV file, read push-style in chunks of any size: its header, its
//! records, its encoding, and everything structural that is wrong with it. The records
//! come from [`super::record_reader`], so the result never depends on where the chunks
//! were cut.
//!
//! Row numbers are record numbers as a spreadsheet shows them: the header is row 1 and
//! the first data row is row 2. A quoted value holding a line break is still one row,
//! and skipped blank lines do not count.

use super::record_reader::{Record, RecordReader, DEFAULT_MAX_FIELDS, DEFAULT_MAX_RECORD_BYTES};
use crate::preflight::finding::{Finding, Findings, Severity};
use crate::wording::findings as wording;

// The codes of the findings raised here.
const NO_HEADER: &str = "no-header";
const NO_DATA_ROWS: &str = "no-data-rows";
const BLANK_LINE: &str = "blank-line";
const OVERSIZED_ROW: &str = "oversized-row";
const INVALID_UTF8: &str = "invalid-utf8";
const FOUR_BYTE_CHARACTER: &str = "four-byte-character";
const EMPTY_COLUMN_NAME: &str = "empty-column-name";
const DUPLICATE_COLUMN: &str = "duplicate-column";
const RAGGED_ROW: &str = "ragged-row";
const EMPTY_ROW: &str = "empty-row";

/// Rows of the file kept for the preview.
pub const DEFAULT_PREVIEW_ROWS: usize = 20;

/// Bytes of a file kept in memory so that choosing another action type re-checks the
/// rows without reading the file again. 16 MiB holds every file Zuora accepts
/// uncompressed (4 MB) with room for zips of a few times that, yet stays a small part
/// of what a browser tab may use; above it the table is dropped and the UI reads the
/// file again.
pub const DEFAULT_RETAIN_BYTES: usize = 16 * 1024 * 1024;

/// Knobs of a [`CsvScan`]; the defaults are the `DEFAULT_…` constants here and, for
/// the bounds of one record, in [`super::record_reader`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanOptions {
    pub preview_rows: usize,
    pub retain_bytes: usize,
    pub max_record_bytes: usize,
    pub max_fields: usize,
    /// Findings kept in full (the rest are counted).
    pub findings_kept: usize,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            preview_rows: DEFAULT_PREVIEW_ROWS,
            retain_bytes: DEFAULT_RETAIN_BYTES,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            max_fields: DEFAULT_MAX_FIELDS,
            findings_kept: crate::preflight::finding::DEFAULT_KEPT,
        }
    }
}

/// What the scan hands to the row checks as it goes: the header once, then every data
/// row with exactly as many fields as the header (missing ones are `""`, extra ones
/// are cut; the ragged row itself is a finding). Rows that are not valid UTF-8 are
/// passed decoded lossily (U+FFFD), so column checks still run; the encoding is its own
/// finding. Rows over the size limit are not passed at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowEvent<'a> {
    Header(&'a [&'a str]),
    Row { row: u64, fields: &'a [&'a str] },
}

// ---------------------------------------------------------------------------------------
// The retained table.

/// A file's bytes exactly as the scan was fed them, kept so that choosing another action
/// type re-checks the rows without reading the file again. Replaying scans the bytes
/// once more with the same limits, so it gives exactly the events the first scan gave.
/// Keeping the bytes costs one copy per chunk, where keeping parsed rows cost one per value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    bytes: Vec<u8>,
    options: ScanOptions,
    rows: u64,
}

impl Table {
    /// Number of data rows held.
    pub fn len(&self) -> usize {
        usize::try_from(self.rows).unwrap_or(usize::MAX)
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Bytes this table takes (what counts against the retain limit).
    pub fn footprint(&self) -> usize {
        self.bytes.len()
    }

    /// The same events the scan produced: the header, then every row. Choosing another
    /// action type runs its row checks through this instead of reading the file again.
    pub fn replay(&self, rows: &mut dyn FnMut(RowEvent)) {
        let mut scan = CsvScan::new(ScanOptions {
            preview_rows: 0,
            retain_bytes: 0,
            findings_kept: 0,
            ..self.options
        });
        scan.feed(&self.bytes, rows);
        scan.finish(rows);
    }

    /// Keeps `bytes` too, or gives up (`false`) once the whole would pass `limit`.
    fn keep(&mut self, bytes: &[u8], limit: usize) -> bool {
        if self.bytes.len().saturating_add(bytes.len()) > limit {
            return false;
        }
        self.bytes.extend_from_slice(bytes);
        true
    }
}

// ---------------------------------------------------------------------------------------
// The scan.

/// What the scan learnt about a CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvReport {
    /// The header's names (empty if there was no usable header).
    pub header: Vec<String>,
    /// Records after the header (including ragged and oversized ones).
    pub data_rows: u64,
    /// Bytes fed, byte order mark included.
    pub bytes: u64,
    /// Whether the file started with a UTF-8 byte order mark (fine; it is not data).
    pub bom: bool,
    /// The first data rows, each exactly as wide as the header.
    pub preview: Vec<Vec<String>>,
    /// Structural findings: encoding, header, ragged rows, blank lines, empty file.
    pub findings: Findings,
    retained: Option<Table>,
}

impl CsvReport {
    /// All rows, if they fitted under the retain limit; `None` means the UI must read
    /// the file again to re-run row checks.
    pub fn retained(&self) -> Option<&Table> {
        self.retained.as_ref()
    }

    pub fn into_retained(self) -> Option<Table> {
        self.retained
    }
}

/// The push-based CSV structure check. Feed it the file's bytes in chunks of any size
/// (the result is the same however they are cut), then `finish`.
pub struct CsvScan {
    reader: RecordReader,
    state: ScanState,
}

struct ScanState {
    options: ScanOptions,
    header: Option<Vec<String>>,
    header_usable: bool,
    data_rows: u64,
    preview: Vec<Vec<String>>,
    findings: Findings,
    table: Option<Table>,
    /// One row's fields; its allocation is reused from row to row (taken out while a
    /// row borrows it).
    fields: Option<Vec<&'static str>>,
    bad_utf8_first: Option<Finding>,
    bad_utf8_rows: u64,
}

impl CsvScan {
    pub fn new(options: ScanOptions) -> CsvScan {
        CsvScan {
            reader: RecordReader::new(options.max_record_bytes, options.max_fields, false),
            state: ScanState {
                options,
                header: None,
                header_usable: false,
                data_rows: 0,
                preview: Vec::new(),
                findings: Findings::with_cap(options.findings_kept),
                table: (options.retain_bytes > 0).then(|| Table {
                    options,
                    ..Table::default()
                }),
                fields: None,
                bad_utf8_first: None,
                bad_utf8_rows: 0,
            },
        }
    }

    /// Says how many bytes are coming (the file's size): the copy kept for a re-check
    /// is then set aside at once instead of growing (and being copied) as it fills, and
    /// is not started at all for a file that could never fit. Fed bytes still decide:
    /// a file that changes size while it is read is handled as without this.
    pub fn reserve_for(&mut self, total: u64) {
        let state = &mut self.state;
        match usize::try_from(total) {
            Ok(total) if total <= state.options.retain_bytes => {
                if let Some(table) = &mut state.table {
                    table
                        .bytes
                        .reserve_exact(total.saturating_sub(table.bytes.len()));
                }
            }
            _ => state.table = None,
        }
    }

    /// Bytes fed so far.
    pub fn bytes(&self) -> u64 {
        self.reader.offset()
    }

    pub fn feed(&mut self, bytes: &[u8], rows: &mut dyn FnMut(RowEvent)) {
        let state = &mut self.state;
        let limit = state.options.retain_bytes;
        if state.table.as_mut().is_some_and(|t| !t.keep(bytes, limit)) {
            state.table = None;
        }
        self.reader
            .feed(bytes, &mut |r| state.check_record(r, rows));
    }

    pub fn finish(self, rows: &mut dyn FnMut(RowEvent)) -> CsvReport {
        let CsvScan { mut reader, state } = self;
        let mut state = state;
        reader.finish(&mut |r| state.check_record(r, rows));
        state.report(&reader)
    }
}

impl ScanState {
    fn report(mut self, reader: &RecordReader) -> CsvReport {
        let mut findings = Findings::with_cap(self.options.findings_kept);
        if let Some(first) = self.bad_utf8_first.take() {
            let more = self.bad_utf8_rows.saturating_sub(1);
            findings.push(invalid_utf8_finding(first, more));
        }
        findings.extend(&self.findings);
        match &self.header {
            None => findings.push(Finding::error(NO_HEADER, wording::no_header())),
            Some(_) if self.data_rows == 0 => {
                findings.push(Finding::error(NO_DATA_ROWS, wording::no_data_rows()).at_row(1))
            }
            Some(_) => {}
        }
        CsvReport {
            header: self.header.unwrap_or_default(),
            data_rows: self.data_rows,
            bytes: reader.offset(),
            bom: reader.bom,
            preview: self.preview,
            findings,
            retained: self.table.map(|table| Table {
                rows: self.data_rows,
                ..table
            }),
        }
    }

    /// One record from the reader: the header, or a data row for `rows`.
    fn check_record(&mut self, r: &Record, rows: &mut dyn FnMut(RowEvent)) {
        let row = r.number;
        let lines = r.blank_lines_before;
        if lines > 0 {
            self.findings.push_with(Severity::Warning, BLANK_LINE, || {
                Finding::warning(BLANK_LINE, wording::blank_lines(row, lines)).at_row(row)
            });
        }
        if r.oversized {
            self.report_oversized(row);
            return;
        }
        let owned: Vec<String>;
        let mut fields = recycle(self.fields.take().unwrap_or_default());
        match record_text(r) {
            Ok(text) => split_fields(text, r, &mut fields),
            Err(valid_up_to) => {
                owned = lossy_fields(r);
                fields.extend(owned.iter().map(String::as_str));
                self.note_invalid_utf8(row, r.ends, valid_up_to, &fields);
            }
        }
        // Only a non-ASCII record can hold one (a quick word-at-a-time test first).
        if !r.bytes.is_ascii() {
            self.report_four_byte_character(row, &fields);
        }
        match self.header.as_ref().map(Vec::len) {
            None => self.header_row(&fields, rows),
            Some(width) => self.data_row(row, width, &mut fields, rows),
        }
        self.fields = Some(recycle(fields));
    }

    /// A record over the size limit: reported and counted, never handed on.
    fn report_oversized(&mut self, row: u64) {
        let ScanOptions {
            max_record_bytes,
            max_fields,
            ..
        } = self.options;
        self.findings.push_with(Severity::Error, OVERSIZED_ROW, || {
            let message = wording::oversized_row(row, max_record_bytes, max_fields);
            Finding::error(OVERSIZED_ROW, message).at_row(row)
        });
        if self.header.is_none() {
            self.header = Some(Vec::new());
        } else {
            self.data_rows += 1;
        }
    }

    /// Counts a row that is not UTF-8 and keeps the place of the first: one finding
    /// names it and counts the others.
    fn note_invalid_utf8(&mut self, row: u64, ends: &[usize], valid_up_to: usize, fields: &[&str]) {
        self.bad_utf8_rows += 1;
        if self.bad_utf8_first.is_none() {
            let column = ends.iter().position(|&end| end > valid_up_to).unwrap_or(0);
            let value = fields.get(column).copied().unwrap_or_default();
            self.bad_utf8_first =
                Some(Finding::error(INVALID_UTF8, String::new()).at_cell(row, column, value));
        }
    }

    fn report_four_byte_character(&mut self, row: u64, fields: &[&str]) {
        if let Some((column, value)) = first_four_byte_char(fields) {
            self.findings
                .push_with(Severity::Warning, FOUR_BYTE_CHARACTER, || {
                    let message = wording::four_byte_character(row, column);
                    Finding::warning(FOUR_BYTE_CHARACTER, message).at_cell(row, column, value)
                });
        }
    }

    fn header_row(&mut self, fields: &[&str], rows: &mut dyn FnMut(RowEvent)) {
        let mut seen: std::collections::HashMap<&str, usize> = Default::default();
        for (i, name) in fields.iter().enumerate() {
            if name.trim().is_empty() {
                let message = wording::empty_column_name(i);
                self.findings.push(
                    Finding::error(EMPTY_COLUMN_NAME, message)
                        .at_row(1)
                        .at_column(i),
                );
                continue;
            }
            if let Some(&first) = seen.get(name) {
                self.findings.push(duplicate_column(first, i, name));
            } else {
                seen.insert(name, i);
            }
        }
        self.header = Some(fields.iter().map(|f| (*f).to_owned()).collect());
        self.header_usable = true;
        rows(RowEvent::Header(fields));
    }

    /// A record after the header (`width` columns): counted, and unless the header was
    /// unusable, checked, kept for the preview while it is short, padded or cut to the
    /// header's width and handed on to `rows`.
    fn data_row(
        &mut self,
        row: u64,
        width: usize,
        fields: &mut Vec<&str>,
        rows: &mut dyn FnMut(RowEvent),
    ) {
        self.data_rows += 1;
        if !self.header_usable {
            return;
        }
        let found = fields.len();
        if found != width {
            self.findings.push_with(Severity::Error, RAGGED_ROW, || {
                Finding::error(RAGGED_ROW, wording::ragged_row(row, found, width)).at_row(row)
            });
        }
        if fields.iter().all(|f| f.is_empty()) && width > 1 {
            self.findings.push_with(Severity::Warning, EMPTY_ROW, || {
                Finding::warning(EMPTY_ROW, wording::empty_row(row)).at_row(row)
            });
        }
        fields.resize(width, "");
        if self.preview.len() < self.options.preview_rows {
            self.preview
                .push(fields.iter().map(|f| (*f).to_owned()).collect());
        }
        rows(RowEvent::Row { row, fields });
    }
}

/// The record's bytes as text when each of its fields is UTF-8, else where the first
/// field that is not starts going wrong. A record read as written (`gap` 1) has commas
/// between its fields, which no character spans, so one check of the whole suffices.
/// csv-core hands fields back to back (`gap` 0), where a field ending in half a
/// character and the next starting with the other half would pass that check as one
/// valid character: there a character cut by a field's end sends each field to be
/// checked alone.
fn record_text<'r>(r: &Record<'r>) -> Result<&'r str, usize> {
    let whole = std::str::from_utf8(r.bytes).map_err(|e| e.valid_up_to());
    match whole {
        Ok(text) if r.gap == 1 || r.ends.iter().all(|&end| text.is_char_boundary(end)) => {
            return Ok(text)
        }
        Err(_) if r.gap == 1 => return whole,
        _ => {}
    }
    let mut start = 0;
    for &end in r.ends {
        let field = r.bytes.get(start..end).unwrap_or_default();
        if let Err(e) = std::str::from_utf8(field) {
            return Err(start + e.valid_up_to());
        }
        start = end;
    }
    whole
}

/// `text` (a whole record) cut at the record's field ends. Separators are ASCII, so
/// every field end is a character boundary.
fn split_fields<'t>(text: &'t str, r: &Record, fields: &mut Vec<&'t str>) {
    let mut start = 0;
    for &end in r.ends {
        fields.push(text.get(start..end).unwrap_or(""));
        start = end + r.gap;
    }
}

/// The fields of a record that is not UTF-8, each decoded lossily (U+FFFD).
fn lossy_fields(r: &Record) -> Vec<String> {
    (0..r.ends.len())
        .map(|i| {
            r.field(i)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// `fields` emptied, keeping its allocation, for references of another lifetime: one
/// buffer serves every row although each row's fields borrow only that row's bytes.
/// (Collecting a `vec::IntoIter` into a vector of a same-sized type reuses its buffer.)
fn recycle<'b>(mut fields: Vec<&str>) -> Vec<&'b str> {
    fields.clear();
    fields.into_iter().map(|_| "").collect()
}

/// The first field holding a character outside the Basic Multilingual Plane, and its
/// index.
fn first_four_byte_char<'a>(fields: &[&'a str]) -> Option<(usize, &'a str)> {
    fields
        .iter()
        .position(|f| f.bytes().any(|b| b >= 0xF0))
        .and_then(|i| fields.get(i).map(|f| (i, *f)))
}

/// `first`, the finding about the first row that is not UTF-8, with its sentence, which
/// also counts the `more_rows` others.
fn invalid_utf8_finding(mut first: Finding, more_rows: u64) -> Finding {
    let row = first.row.unwrap_or(1);
    let index = first.column.unwrap_or(0);
    first.message = wording::invalid_utf8(row, index, more_rows);
    first
}

/// A second column named like an earlier one: an error, but only a warning for
/// informational (`#`) columns, which Zuora ignores, so a repeat is harmless.
fn duplicate_column(first: usize, index: usize, name: &str) -> Finding {
    let finding = if name.starts_with('#') {
        let message = wording::duplicate_note_column(first, index, name);
        Finding::warning(DUPLICATE_COLUMN, message)
    } else {
        Finding::error(
            DUPLICATE_COLUMN,
            wording::duplicate_column(first, index, name),
        )
    };
    finding.at_cell(1, index, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::csv::record_reader::tests::csvish;
    use proptest::prelude::*;

    /// Header (row 0) and rows as the callback saw them.
    type Seen = Vec<(u64, Vec<String>)>;

    fn scan_with(bytes: &[u8], cuts: &[usize], options: ScanOptions) -> (CsvReport, Seen) {
        let mut seen = Seen::new();
        let mut record = |ev: RowEvent| match ev {
            RowEvent::Header(h) => seen.push((0, h.iter().map(|s| s.to_string()).collect())),
            RowEvent::Row { row, fields } => {
                seen.push((row, fields.iter().map(|s| s.to_string()).collect()))
            }
        };
        let mut scan = CsvScan::new(options);
        let mut at = 0;
        for &cut in cuts {
            let cut = cut.clamp(at, bytes.len());
            scan.feed(&bytes[at..cut], &mut record);
            at = cut;
        }
        scan.feed(&bytes[at..], &mut record);
        let report = scan.finish(&mut record);
        (report, seen)
    }

    fn scan(bytes: &[u8]) -> (CsvReport, Seen) {
        scan_with(bytes, &[], ScanOptions::default())
    }

    fn codes(report: &CsvReport) -> Vec<&'static str> {
        report.findings.kept().iter().map(|f| f.code).collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lf_crlf_and_bom_files_read_the_same() {
        let lf = scan(b"Name,Amount\nA,1\nB,2\n").0;
        let crlf = scan(b"Name,Amount\r\nA,1\r\nB,2\r\n").0;
        let bom = scan(b"\xEF\xBB\xBFName,Amount\r\nA,1\r\nB,2").0;
        for r in [&lf, &crlf, &bom] {
            assert_eq!(r.header, strings(&["Name", "Amount"]));
            assert_eq!(r.data_rows, 2);
            assert_eq!(r.preview, vec![strings(&["A", "1"]), strings(&["B", "2"])]);
            assert!(r.findings.is_empty(), "{:?}", r.findings);
        }
        assert!(bom.bom && !lf.bom);
        assert_eq!(bom.bytes, 24);
    }

    #[test]
    fn quoted_values_hold_commas_quotes_and_line_breaks_in_one_row() {
        let (r, seen) =
            scan(b"Id,Comment\r\n1,\"a, b\"\r\n2,\"line\r\nbreak \"\"q\"\"\"\r\n3,x\r\n");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert_eq!(r.data_rows, 3);
        assert_eq!(seen[1], (2, strings(&["1", "a, b"])));
        assert_eq!(seen[2], (3, strings(&["2", "line\r\nbreak \"q\""])));
        assert_eq!(seen[3], (4, strings(&["3", "x"])));
    }

    #[test]
    fn ragged_rows_are_errors_with_their_row_and_are_padded_or_cut() {
        let (r, seen) = scan(b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n");
        assert_eq!(codes(&r), vec!["ragged-row", "ragged-row"]);
        let rows: Vec<_> = r.findings.kept().iter().map(|f| f.row).collect();
        assert_eq!(rows, vec![Some(3), Some(4)]);
        assert_eq!(
            r.findings.kept()[0].message,
            "Row 3 has 2 values but the header has 3 columns; a value holding a comma needs double quotes around it."
        );
        assert_eq!(seen[2].1, strings(&["1", "2", ""]));
        assert_eq!(seen[3].1, strings(&["1", "2", "3"]));
    }

    #[test]
    fn duplicate_column_names_name_both_positions() {
        let r = scan(b"Id,Amount,Id,#Note,#Note\n1,2,3,4,5\n").0;
        let kept = r.findings.kept();
        assert_eq!(codes(&r), vec!["duplicate-column", "duplicate-column"]);
        assert_eq!(kept[0].severity, crate::preflight::Severity::Error);
        assert_eq!(kept[0].column, Some(2));
        assert_eq!(
            kept[0].message,
            "Columns 1 and 3 are both named “Id”; each column may appear only once."
        );
        assert_eq!(kept[1].severity, crate::preflight::Severity::Warning);
    }

    #[test]
    fn an_empty_header_cell_is_an_error_naming_the_column() {
        let r = scan(b"Id,,Amount, \n1,2,3,4\n").0;
        assert_eq!(codes(&r), vec!["empty-column-name", "empty-column-name"]);
        assert_eq!(r.findings.kept()[0].column, Some(1));
        assert!(r.findings.kept()[0]
            .message
            .starts_with("Column 2 has no name"));
    }

    #[test]
    fn windows_1252_text_names_the_first_row_and_counts_the_rest() {
        let mut data = b"Name,City\n".to_vec();
        for i in 0..10 {
            data.extend_from_slice(format!("n{i},Paris\n").as_bytes());
        }
        data.extend_from_slice(b"Ren\xE9,Z\xFCrich\nok,ok\nJos\xE9,x\n");
        let (r, seen) = scan(&data);
        let f = &r.findings.kept()[0];
        assert_eq!(f.code, "invalid-utf8");
        assert_eq!((f.row, f.column), (Some(12), Some(0)));
        assert_eq!(f.value.as_deref(), Some("Ren\u{FFFD}"));
        assert_eq!(
            f.message,
            "Row 12, column 1 is not UTF-8 text (and 1 more row); the file was probably saved in a Windows or Mac encoding. In Excel choose “Save As”, then “CSV UTF-8 (comma delimited)”, and try again."
        );
        assert_eq!(r.findings.total(), 1);
        assert_eq!(seen[11].1, strings(&["Ren\u{FFFD}", "Z\u{FFFD}rich"]));
    }

    /// Half a character at a field's end and its other half at the next field's start
    /// are two broken values, not one character: csv-core hands fields back to back,
    /// where they used to join into a valid "Ā" and both values came out empty.
    #[test]
    fn a_character_cut_by_a_comma_is_not_utf8_however_the_record_is_read() {
        let data = b"a,b,c\n1,\xC4,\x80\n";
        let bytewise: Vec<usize> = (0..data.len()).collect();
        // Whole, the row takes the fast path; a byte at a time, csv-core reads it.
        for cuts in [&[][..], &bytewise] {
            let (r, seen) = scan_with(data, cuts, ScanOptions::default());
            assert_eq!(codes(&r), vec!["invalid-utf8"], "{cuts:?}");
            let f = &r.findings.kept()[0];
            assert_eq!((f.row, f.column), (Some(2), Some(1)));
            assert_eq!(seen[1].1, strings(&["1", "\u{FFFD}", "\u{FFFD}"]));
        }
        // A quoted value goes to csv-core even when whole.
        let (r, seen) = scan(b"a,b\n\"x\xE2\x82\",\xAC\n");
        assert_eq!(codes(&r), vec!["invalid-utf8"]);
        assert_eq!(r.findings.kept()[0].column, Some(0));
        assert_eq!(seen[1].1, strings(&["x\u{FFFD}", "\u{FFFD}"]));
    }

    /// The input the fuzzer found it with (fuzz/, target preflight_csv): its first
    /// three bytes are the target's settings; fed whole and in its chunking, the scan
    /// must give one report.
    #[test]
    fn the_fuzzers_split_character_reads_the_same_in_any_chunking() {
        let input = include_bytes!("../../../tests/fuzz/preflight-split-character.bin");
        let data = &input[3..];
        let cuts: Vec<usize> = (0..data.len()).step_by(3).collect();
        let whole = scan_with(data, &[], ScanOptions::default());
        assert_eq!(whole, scan_with(data, &cuts, ScanOptions::default()));
        assert!(codes(&whole.0).contains(&"invalid-utf8"));
    }

    #[test]
    fn blank_lines_at_the_end_are_fine_and_in_the_middle_are_warnings() {
        let r = scan(b"a,b\r\n1,2\r\n\r\n\r\n").0;
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert_eq!(r.data_rows, 1);
        let r = scan(b"a,b\n1,2\n\n\n3,4\n").0;
        assert_eq!(codes(&r), vec!["blank-line"]);
        let f = &r.findings.kept()[0];
        assert_eq!(f.row, Some(3));
        assert_eq!(f.severity, crate::preflight::Severity::Warning);
        assert!(f
            .message
            .starts_with("There are 2 blank lines before row 3;"));
        assert_eq!(r.data_rows, 2);
    }

    #[test]
    fn a_header_without_rows_is_an_error() {
        let r = scan(b"Revenue Schedule Number\r\n").0;
        assert_eq!(codes(&r), vec!["no-data-rows"]);
        let r = scan(b"\n\r\n").0;
        assert_eq!(codes(&r), vec!["no-header"]);
    }

    #[test]
    fn rows_of_empty_values_are_warned_about() {
        let r = scan(b"a,b\n1,2\n,\n").0;
        assert_eq!(codes(&r), vec!["empty-row"]);
        assert_eq!(r.findings.kept()[0].row, Some(3));
    }

    #[test]
    fn four_byte_characters_are_warned_about() {
        let r = scan("a,b\n1,hi 😀\n".as_bytes()).0;
        assert_eq!(codes(&r), vec!["four-byte-character"]);
        assert_eq!(r.findings.kept()[0].column, Some(1));
    }

    #[test]
    fn an_unclosed_quote_is_stopped_at_the_record_limit() {
        let mut data = b"a,b\n1,\"oops\n".to_vec();
        data.extend(b"x,y\n".repeat(1000));
        let options = ScanOptions {
            max_record_bytes: 256,
            ..ScanOptions::default()
        };
        let (r, seen) = scan_with(&data, &[7, 100, 3000], options);
        assert_eq!(codes(&r), vec!["oversized-row"]);
        assert_eq!(r.findings.kept()[0].row, Some(2));
        assert_eq!(r.data_rows, 1);
        assert_eq!(seen.len(), 1);
        // Replaying stops at the same limit: the header again, and nothing after it.
        let mut replayed = 0;
        r.retained().unwrap().replay(&mut |_| replayed += 1);
        assert_eq!(replayed, 1);
    }

    #[test]
    fn too_many_values_in_one_record_is_oversized() {
        let mut data = b"a\n".to_vec();
        data.extend(b",".repeat(100));
        let options = ScanOptions {
            max_fields: 50,
            ..ScanOptions::default()
        };
        let r = scan_with(&data, &[], options).0;
        assert_eq!(codes(&r), vec!["oversized-row"]);
    }

    #[test]
    fn the_retained_table_replays_the_same_events() {
        let data = b"Id,Name\r\n1,\"a,b\"\r\n2\r\n3,c,extra\r\n";
        let (r, seen) = scan(data);
        let table = r.retained().unwrap();
        assert_eq!(table.len(), 3);
        let mut replayed = Seen::new();
        table.replay(&mut |ev| match ev {
            RowEvent::Header(h) => replayed.push((0, h.iter().map(|s| s.to_string()).collect())),
            RowEvent::Row { row, fields } => {
                replayed.push((row, fields.iter().map(|s| s.to_string()).collect()))
            }
        });
        assert_eq!(replayed, seen);
    }

    #[test]
    fn the_retained_copy_is_dropped_above_its_limit_or_set_aside_for_the_expected_size() {
        let mut data = b"Id,Name\n".to_vec();
        data.extend(b"12345,abcdef\n".repeat(100));
        let small = ScanOptions {
            retain_bytes: 1000,
            ..ScanOptions::default()
        };
        let r = scan_with(&data, &[], small).0;
        assert!(r.retained().is_none());
        assert_eq!(r.data_rows, 100);
        let r = scan(&data).0;
        assert_eq!(r.retained().map(Table::len), Some(100));

        // Told the size first, the scan sets exactly that aside, or keeps nothing when
        // it cannot fit; every row is checked either way.
        let scan_expecting = |total: u64, options: ScanOptions| {
            let mut scan = CsvScan::new(options);
            scan.reserve_for(total);
            let mut events = 0;
            scan.feed(&data, &mut |_| events += 1);
            (scan.finish(&mut |_| events += 1), events)
        };
        let (too_big, events) = scan_expecting(data.len() as u64, small);
        assert!(too_big.retained().is_none());
        assert_eq!((too_big.data_rows, events), (100, 101));
        let (kept, _) = scan_expecting(data.len() as u64, ScanOptions::default());
        assert_eq!(kept, r);
        let table = kept.retained().unwrap();
        assert_eq!(table.bytes.capacity(), data.len());
        // A wrong guess changes nothing but memory: the bytes fed decide.
        assert_eq!(scan_expecting(10, ScanOptions::default()).0, r);
        let (guessed_big, _) = scan_expecting(1 << 40, ScanOptions::default());
        assert!(guessed_big.retained().is_none());
    }

    #[test]
    fn the_preview_keeps_the_first_rows() {
        let mut data = b"Id\n".to_vec();
        for i in 0..50 {
            data.extend(format!("{i}\n").as_bytes());
        }
        let r = scan(&data).0;
        assert_eq!(r.preview.len(), DEFAULT_PREVIEW_ROWS);
        assert_eq!(r.preview[19], strings(&["19"]));
    }

    fn small() -> ScanOptions {
        ScanOptions {
            preview_rows: 3,
            retain_bytes: 200,
            max_record_bytes: 40,
            max_fields: 6,
            findings_kept: 5,
        }
    }

    proptest! {
        #[test]
        fn the_report_does_not_depend_on_chunking(
            data in csvish(), cuts in prop::collection::vec(0usize..400, 0..8)
        ) {
            let mut cuts = cuts;
            cuts.sort_unstable();
            let whole = scan_with(&data, &[], small());
            let chunked = scan_with(&data, &cuts, small());
            prop_assert_eq!(&whole, &chunked);
            let bytewise: Vec<usize> = (0..data.len()).collect();
            prop_assert_eq!(&whole, &scan_with(&data, &bytewise, small()));
        }


        #[test]
        fn arbitrary_bytes_never_panic(
            data: Vec<u8>, cuts in prop::collection::vec(0usize..300, 0..5)
        ) {
            let mut cuts = cuts;
            cuts.sort_unstable();
            let (r, _) = scan_with(&data, &cuts, small());
            prop_assert_eq!(r.bytes, data.len() as u64);
        }
    }

    /// `cargo test -p mass-updater-domain --release -- --ignored --nocapture scan_speed`
    #[test]
    #[ignore]
    fn scan_speed() {
        let mut data = b"Group ID,Revenue Schedule Number,Amount,Notes,Date\r\n".to_vec();
        let mut i = 0u64;
        while data.len() < 50_000_000 {
            data.extend(
                format!(
                    "G{},RS-{:08},{}.25,\"note, with comma {}\",2024-01-{:02}\r\n",
                    i / 3,
                    i,
                    i % 977,
                    i,
                    i % 28 + 1
                )
                .as_bytes(),
            );
            i += 1;
        }
        let start = std::time::Instant::now();
        let mut rows = 0u64;
        let mut scan = CsvScan::new(ScanOptions::default());
        for chunk in data.chunks(2 * 1024 * 1024) {
            scan.feed(chunk, &mut |_| rows += 1);
        }
        let r = scan.finish(&mut |_| rows += 1);
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(r.data_rows, i);
        assert!(r.findings.is_empty());
        eprintln!(
            "scanned {} bytes, {} rows in {:.2}s: {:.0} MB/s",
            data.len(),
            r.data_rows,
            secs,
            data.len() as f64 / secs / 1e6
        );
    }
}
