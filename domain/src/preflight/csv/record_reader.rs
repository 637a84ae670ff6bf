//! csv-core fed in chunks of any size, handing out complete records with their exact
//! byte spans, so that what the caller sees never depends on where the chunks were cut.
//!
//! Parsing is csv-core's (RFC 4180 with the usual leniency: quoted fields may hold
//! commas, quotes (doubled) and line breaks; CRLF, LF and lone CR all end a record).
//! The usual record, whole in its chunk and without a quote, is split at its commas
//! directly, which gives the values csv-core would (a property test compares the two)
//! several times faster.
//! Around it this module owns what csv-core leaves to the caller:
//!
//! - the UTF-8 byte order mark, stripped only at the very start of the file;
//! - blank lines, skipped between records and counted (csv-core skips them silently);
//! - the exact byte span of every record in the input (from its first byte up to and
//!   including its line ending), which [`crate::preflight::split`] needs to copy records
//!   verbatim;
//! - a bound on the size of one record, so that an unclosed quote in a 200 MB file
//!   cannot make one "field" swallow the rest of it.

use csv_core::{ReadRecordResult, Reader};

/// Longest record accepted, in bytes of the file. Real Mass Updater rows are well under
/// a kilobyte; a record this long is nearly always an unclosed quote swallowing the
/// rest of the file. It bounds the memory one record can take.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 1024 * 1024;

/// Most values in one record: Excel's own column limit.
pub const DEFAULT_MAX_FIELDS: usize = 16_384;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One complete record, as [`RecordReader`] hands it out.
pub(crate) struct Record<'a> {
    /// 1-based record number (the header is 1).
    pub number: u64,
    /// Field bytes (quotes removed), `ends` gives each field's end. Fields are back
    /// to back, or one separator apart when `gap` is 1 (a record read as written).
    pub bytes: &'a [u8],
    pub ends: &'a [usize],
    pub gap: usize,
    /// The record exactly as in the file, line ending included; empty unless raw
    /// capture was asked for, or when the record is oversized.
    pub raw: &'a [u8],
    /// Byte offsets in the input of the record's first byte and one past its end (the
    /// raw span; kept for callers that re-read by offset).
    #[allow(dead_code)]
    pub start: u64,
    #[allow(dead_code)]
    pub end: u64,
    /// Blank lines skipped just before this record.
    pub blank_lines_before: u64,
    /// Over the byte or field limit: `bytes`, `ends` and `raw` are then not usable.
    pub oversized: bool,
    /// Whether the file started with a byte order mark (not part of any `raw`).
    pub after_bom: bool,
}

impl Record<'_> {
    pub fn field(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)? + self.gap,
        };
        self.bytes.get(start..end)
    }
}

/// csv-core fed in chunks, handing out complete records with their raw byte spans.
pub(crate) struct RecordReader {
    core: Reader,
    max_record_bytes: usize,
    max_fields: usize,
    keep_raw: bool,
    /// The first bytes, held until we know whether they are a byte order mark.
    head: Vec<u8>,
    head_done: bool,
    pub bom: bool,
    /// Bytes of input consumed so far.
    offset: u64,
    records: u64,
    fields: Vec<u8>,
    nout: usize,
    /// 1 while `fields` holds a plain record as written, separators included.
    gap: usize,
    ends: Vec<usize>,
    nend: usize,
    raw: Vec<u8>,
    in_record: bool,
    record_start: u64,
    oversized: bool,
    /// A record ended on CR; it is handed out once we know whether LF follows.
    pending_cr: bool,
    blank_lines: u64,
    blank_after_cr: bool,
}

const INITIAL_FIELD_BYTES: usize = 4096;
const INITIAL_ENDS: usize = 64;

impl RecordReader {
    pub fn new(max_record_bytes: usize, max_fields: usize, keep_raw: bool) -> RecordReader {
        let mut core = Reader::new();
        // csv-core strips a BOM on its first call only if that call's input holds all
        // three bytes, which depends on chunking. We strip it ourselves and make
        // csv-core's first call one that reads nothing (empty output), so it never does.
        let _ = core.read_record(b"x", &mut [], &mut [0]);
        RecordReader {
            core,
            max_record_bytes: max_record_bytes.max(1),
            max_fields: max_fields.max(1),
            keep_raw,
            head: Vec::with_capacity(3),
            head_done: false,
            bom: false,
            offset: 0,
            records: 0,
            fields: vec![0; INITIAL_FIELD_BYTES],
            nout: 0,
            gap: 0,
            ends: vec![0; INITIAL_ENDS],
            nend: 0,
            raw: Vec::new(),
            in_record: false,
            record_start: 0,
            oversized: false,
            pending_cr: false,
            blank_lines: 0,
            blank_after_cr: false,
        }
    }

    /// Blank lines skipped since the last record (at the end: those after it).
    pub fn blank_lines(&self) -> u64 {
        self.blank_lines
    }

    /// Where the record being read starts, while one is (its bytes not all handed out).
    pub fn record_start(&self) -> Option<u64> {
        self.in_record.then_some(self.record_start)
    }

    /// Bytes consumed so far (the byte order mark included).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    pub fn feed(&mut self, mut input: &[u8], sink: &mut dyn FnMut(&Record)) {
        if !self.head_done {
            let take = (3 - self.head.len()).min(input.len());
            self.head.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.head.len() < 3 {
                return;
            }
            self.release_head(sink);
        }
        self.read_records(input, sink);
    }

    pub fn finish(&mut self, sink: &mut dyn FnMut(&Record)) {
        if !self.head_done {
            self.release_head(sink);
        }
        if self.pending_cr {
            self.emit(sink);
        }
        if !self.in_record {
            return;
        }
        loop {
            let (res, _, nout, nend) = self.core.read_record(
                &[],
                &mut self.fields[self.nout..],
                &mut self.ends[self.nend..],
            );
            self.nout += nout;
            self.nend += nend;
            match res {
                ReadRecordResult::Record => {
                    self.emit(sink);
                    return;
                }
                ReadRecordResult::OutputEndsFull => self.grow_ends(),
                ReadRecordResult::OutputFull => self.grow_fields(),
                ReadRecordResult::End | ReadRecordResult::InputEmpty => return,
            }
        }
    }

    fn release_head(&mut self, sink: &mut dyn FnMut(&Record)) {
        self.head_done = true;
        let head = std::mem::take(&mut self.head);
        if head.starts_with(BOM) {
            self.bom = true;
            self.offset += 3;
        } else {
            self.read_records(&head, sink);
        }
    }

    /// Hands every record that `input` completes to `sink`; the rest waits for more.
    fn read_records(&mut self, mut input: &[u8], sink: &mut dyn FnMut(&Record)) {
        while let Some(&first) = input.first() {
            if self.pending_cr {
                if first == b'\n' {
                    self.take_raw(&input[..1]);
                    self.offset += 1;
                    input = &input[1..];
                }
                self.emit(sink);
                continue;
            }
            if !self.in_record {
                let n = input
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                for &b in &input[..n] {
                    if b == b'\r' || !self.blank_after_cr {
                        self.blank_lines += 1;
                    }
                    self.blank_after_cr = b == b'\r';
                }
                self.offset += n as u64;
                input = &input[n..];
                if input.is_empty() {
                    return;
                }
                self.in_record = true;
                self.record_start = self.offset;
                self.blank_after_cr = false;
                if let Some(n) = self.plain_record(input) {
                    self.offset += n as u64;
                    let (used, rest) = input.split_at(n);
                    input = rest;
                    self.take_raw(used);
                    self.end_record(used, sink);
                    continue;
                }
            }
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.fields[self.nout..],
                &mut self.ends[self.nend..],
            );
            let used = &input[..nin];
            input = &input[nin..];
            self.offset += nin as u64;
            self.take_raw(used);
            self.nout += nout;
            self.nend += nend;
            match res {
                ReadRecordResult::Record => self.end_record(used, sink),
                ReadRecordResult::OutputFull => self.grow_fields(),
                ReadRecordResult::OutputEndsFull => self.grow_ends(),
                ReadRecordResult::InputEmpty | ReadRecordResult::End => {}
            }
            if self.in_record && self.too_long() {
                self.mark_oversized();
            }
        }
    }

    /// A record ending in CR waits for the next byte: an LF there belongs to it.
    fn end_record(&mut self, used: &[u8], sink: &mut dyn FnMut(&Record)) {
        if used.last() == Some(&b'\r') {
            self.pending_cr = true;
        } else {
            self.emit(sink);
        }
    }

    /// The fast path for the usual record: when `input` starts with a whole record that
    /// holds no quote, csv-core would read its values as the bytes between commas up to
    /// the first CR or LF, which memchr finds several times faster than csv-core's
    /// byte-by-byte machine. Keeps the record as written (one copy, commas included,
    /// `gap` 1) with each value's end, and returns the bytes taken (line ending
    /// included); `None` leaves the record to csv-core: a quote, a record not yet
    /// complete in `input`, or one that fills a buffer (where csv-core's growing
    /// decides). Whether the record is over a limit is `emit`'s to say, as for
    /// csv-core's records. csv-core is between records before and after, so skipping it
    /// for this record changes nothing in its state.
    fn plain_record(&mut self, input: &[u8]) -> Option<usize> {
        let end = memchr::memchr3(b'\n', b'\r', b'"', input)?;
        let line = input.get(..end)?;
        if input.get(end) == Some(&b'"') || line.len() >= self.fields.len() {
            return None;
        }
        let mut nend = 0;
        for stop in memchr::memchr_iter(b',', line).chain([end]) {
            *self.ends.get_mut(nend)? = stop;
            nend += 1;
        }
        if nend >= self.ends.len() {
            return None;
        }
        self.fields.get_mut(..end)?.copy_from_slice(line);
        self.nout = end;
        self.nend = nend;
        self.gap = 1;
        Some(end + 1)
    }

    fn too_long(&self) -> bool {
        self.offset - self.record_start > self.max_record_bytes as u64
    }

    fn take_raw(&mut self, used: &[u8]) {
        if self.keep_raw && !self.oversized {
            self.raw.extend_from_slice(used);
        }
    }

    /// More room for field bytes, or (once over the limit) the same room reused: the
    /// record is then oversized and its bytes are not kept.
    fn grow_fields(&mut self) {
        if self.fields.len() < self.max_record_bytes {
            let to = (self.fields.len() * 2).min(self.max_record_bytes);
            self.fields.resize(to, 0);
        } else {
            self.mark_oversized();
            self.nout = 0;
        }
    }

    fn grow_ends(&mut self) {
        if self.ends.len() <= self.max_fields {
            let to = (self.ends.len() * 2).min(self.max_fields + 1);
            self.ends.resize(to, 0);
        } else {
            self.mark_oversized();
            self.nend = 0;
        }
    }

    fn mark_oversized(&mut self) {
        self.oversized = true;
        self.raw = Vec::new();
    }

    fn emit(&mut self, sink: &mut dyn FnMut(&Record)) {
        self.records += 1;
        let oversized = self.oversized || self.too_long() || self.nend > self.max_fields;
        let (nout, nend) = if oversized {
            (0, 0)
        } else {
            (self.nout, self.nend)
        };
        let record = Record {
            number: self.records,
            bytes: self.fields.get(..nout).unwrap_or_default(),
            ends: self.ends.get(..nend).unwrap_or_default(),
            gap: self.gap,
            raw: if oversized { &[] } else { &self.raw },
            start: self.record_start,
            end: self.offset,
            blank_lines_before: self.blank_lines,
            oversized,
            after_bom: self.bom,
        };
        sink(&record);
        self.nout = 0;
        self.gap = 0;
        self.nend = 0;
        self.raw.clear();
        self.in_record = false;
        self.oversized = false;
        self.pending_cr = false;
        self.blank_lines = 0;
        // A long record does not keep its big buffers for the rest of the file.
        if self.fields.len() > 4 * INITIAL_FIELD_BYTES {
            self.fields = vec![0; INITIAL_FIELD_BYTES];
        }
        if self.raw.capacity() > 4 * INITIAL_FIELD_BYTES {
            self.raw = Vec::new();
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn record_spans_cover_each_record_and_its_line_ending() {
        let data = b"\xEF\xBB\xBFa,b\r\n\r\n1,\"x\ny\"\r\n2,3";
        let mut spans = Vec::new();
        let mut reader = RecordReader::new(1024, 100, true);
        let mut sink = |r: &Record| spans.push((r.start, r.end, r.raw.to_vec()));
        for b in data.chunks(1) {
            reader.feed(b, &mut sink);
        }
        reader.finish(&mut sink);
        assert_eq!(
            spans,
            vec![
                (3, 8, b"a,b\r\n".to_vec()),
                (10, 19, b"1,\"x\ny\"\r\n".to_vec()),
                (19, 22, b"2,3".to_vec()),
            ]
        );
    }

    #[test]
    fn plain_records_skip_csv_core_and_the_rest_go_to_it() {
        let mut reader = RecordReader::new(1024, 100, true);
        assert_eq!(reader.plain_record(b"a,,bc\r\nnext"), Some(6));
        assert_eq!(&reader.fields[..reader.nout], b"a,,bc");
        assert_eq!(&reader.ends[..reader.nend], &[1, 2, 5]);
        assert_eq!(reader.gap, 1);
        assert_eq!(reader.plain_record(b"x\ny"), Some(2));
        assert_eq!(&reader.ends[..reader.nend], &[1]);
        // A quote, an unfinished record, or one that fills a buffer is csv-core's.
        for input in [&b"a,\"b\"\n"[..], b"a,b", b"a,b\"\n"] {
            assert_eq!(reader.plain_record(input), None, "{input:?}");
        }
        let long = [b'a'; INITIAL_FIELD_BYTES];
        assert_eq!(reader.plain_record(&[&long[..], b"\n"].concat()), None);
        let many = [b','; INITIAL_ENDS];
        assert_eq!(reader.plain_record(&[&many[..], b"\n"].concat()), None);
        assert_eq!(reader.plain_record(&[&many[1..], b"\n"].concat()), None);
        assert_eq!(
            reader.plain_record(&[&many[2..], b"\n"].concat()),
            Some(INITIAL_ENDS - 1)
        );
    }

    /// A row of over 100 MB (an unclosed quote swallowing a file, or a file without
    /// line breaks) is handed out as one oversized record, and while it streams past
    /// the reader holds no more than its limit of it, raw capture included.
    #[test]
    fn a_100_mb_row_is_refused_without_being_held() {
        let mut reader = RecordReader::new(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FIELDS, true);
        let mut seen = Vec::new();
        let mut sink = |r: &Record| seen.push((r.number, r.oversized, r.bytes.len(), r.end));
        let chunk = [b'a'; 64 * 1024];
        let chunks = 100 * 1024 * 1024 / chunk.len() + 1;
        reader.feed(b"h\n", &mut sink);
        for _ in 0..chunks {
            reader.feed(&chunk, &mut sink);
            assert!(reader.fields.len() <= DEFAULT_MAX_RECORD_BYTES);
            assert!(reader.raw.capacity() <= DEFAULT_MAX_RECORD_BYTES + chunk.len());
        }
        assert!(reader.raw.is_empty() && reader.oversized);
        reader.feed(b"\nnext\n", &mut sink);
        let row_end = 2 + (chunks * chunk.len()) as u64 + 1;
        assert_eq!(
            seen,
            vec![
                (1, false, 1, 2),
                (2, true, 0, row_end),
                (3, false, 4, row_end + 5)
            ]
        );
    }

    /// Every record as the sink saw it, with its spans and raw bytes.
    fn records(data: &[u8], chunk: usize, max_bytes: usize, max_fields: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut reader = RecordReader::new(max_bytes, max_fields, true);
        let mut sink = |r: &Record| {
            let fields: Vec<_> = (0..r.ends.len()).map(|i| r.field(i)).collect();
            out.push(format!(
                "{} {:?} {:?} {}..{} blank {} oversized {} bom {}",
                r.number,
                fields,
                r.raw,
                r.start,
                r.end,
                r.blank_lines_before,
                r.oversized,
                r.after_bom
            ))
        };
        for piece in data.chunks(chunk.max(1)) {
            reader.feed(piece, &mut sink);
        }
        reader.finish(&mut sink);
        out
    }

    /// Bytes that look enough like CSV to reach every corner of the reader.
    pub(crate) fn csvish() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"a".to_vec()),
            Just(b"Group ID".to_vec()),
            Just(b",".to_vec()),
            Just(b"\"".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\xEF\xBB\xBF".to_vec()),
            Just(b"\xE9".to_vec()),
            Just("é😀".as_bytes().to_vec()),
            Just(b" ".to_vec()),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        /// Fed whole, most records take the fast path; fed a byte at a time, none can
        /// (a record is never complete in one byte), so every record goes through
        /// csv-core: both must hand out the very same records.
        #[test]
        fn the_fast_path_reads_records_as_csv_core_does(
            data in csvish(), max_bytes in 1usize..50, max_fields in 1usize..8
        ) {
            let fast = records(&data, data.len(), max_bytes, max_fields);
            prop_assert_eq!(&fast, &records(&data, 1, max_bytes, max_fields));
            prop_assert_eq!(&fast, &records(&data, 7, max_bytes, max_fields));
        }
    }
}
