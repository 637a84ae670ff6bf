//! One record as written in the file: where each cell's bytes are, whether it was
//! quoted, and where the line ending starts; and a changed cell written back in the
//! file's style. The reading follows csv-core's (a property test compares them): a
//! quote opens a quoted cell only as the cell's first byte, `""` inside it is one
//! quote, and bytes after its closing quote belong to the cell as they are.

/// One cell: `raw[start..end]` as written, quotes included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawCell {
    pub start: usize,
    pub end: usize,
    pub quoted: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Plain,
    Quoted,
    QuoteInQuoted,
}

/// The cells of `raw` (one whole record) into `cells`, up to cell `last` included;
/// returns where the rest of the record starts: the comma after cell `last`, or the
/// line ending (`raw.len()` when it has none). The rest is not looked at.
pub(crate) fn split(raw: &[u8], cells: &mut Vec<RawCell>, last: usize) -> usize {
    cells.clear();
    let mut state = State::Start;
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in raw.iter().enumerate() {
        let outside = state != State::Quoted;
        if outside && (b == b',' || b == b'\r' || b == b'\n') {
            cells.push(RawCell {
                start,
                end: i,
                quoted,
            });
            if b != b',' || cells.len() > last {
                return i;
            }
            (start, quoted, state) = (i + 1, false, State::Start);
            continue;
        }
        state = match (state, b) {
            (State::Start, b'"') => {
                quoted = true;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, b'"') | (State::Quoted, _) => State::Quoted,
            _ => State::Plain,
        };
    }
    cells.push(RawCell {
        start,
        end: raw.len(),
        quoted,
    });
    raw.len()
}

/// `value` as a cell in the file's style: quoted when the original cell was, or when
/// the value needs it (a comma, a quote, a line break), quotes doubled.
pub(crate) fn write_cell(out: &mut Vec<u8>, value: &str, was_quoted: bool) {
    let needs = value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if !(was_quoted || needs) {
        out.extend_from_slice(value.as_bytes());
        return;
    }
    out.push(b'"');
    for part in value.split('"').enumerate() {
        if part.0 > 0 {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(part.1.as_bytes());
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::csv::record_reader::tests::csvish;
    use crate::preflight::csv::record_reader::{Record, RecordReader};
    use proptest::prelude::*;
    use std::borrow::Cow;

    /// The value of a cell as written (`raw` is the cell's bytes), unquoted as csv-core
    /// unquotes it.
    fn value(raw: &[u8], quoted: bool) -> Cow<'_, [u8]> {
        if !quoted {
            return raw.into();
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut in_quotes = true;
        let mut bytes = raw.iter().skip(1).peekable();
        while let Some(&b) = bytes.next() {
            if in_quotes && b == b'"' {
                if bytes.peek() == Some(&&b'"') {
                    bytes.next();
                    out.push(b'"');
                } else {
                    in_quotes = false;
                }
            } else {
                out.push(b);
            }
        }
        out.into()
    }

    fn values(raw: &[u8]) -> (Vec<Vec<u8>>, usize) {
        let mut cells = Vec::new();
        let ending = split(raw, &mut cells, usize::MAX);
        let values = cells
            .iter()
            .map(|c| value(&raw[c.start..c.end], c.quoted).into_owned())
            .collect();
        (values, ending)
    }

    #[test]
    fn cells_are_found_with_their_quotes() {
        let (v, ending) = values(b"a,\"b,\"\"c\"\"\",,\"x\ny\"z\r\n");
        assert_eq!(
            v,
            vec![
                b"a".to_vec(),
                b"b,\"c\"".to_vec(),
                vec![],
                b"x\nyz".to_vec()
            ]
        );
        assert_eq!(ending, 19);
        assert_eq!(values(b"1,2").1, 3);
        assert_eq!(values(b"a\"b,c\n").0, vec![b"a\"b".to_vec(), b"c".to_vec()]);
    }

    #[test]
    fn changed_cells_keep_the_files_quoting() {
        let mut out = Vec::new();
        write_cell(&mut out, "2026-01-31", false);
        out.push(b',');
        write_cell(&mut out, "2026-01-31", true);
        out.push(b',');
        write_cell(&mut out, "say \"hi\", then", false);
        assert_eq!(out, b"2026-01-31,\"2026-01-31\",\"say \"\"hi\"\", then\"");
    }

    proptest! {
        /// Split and unquoted here, every record reads as the reader (csv-core) reads it.
        #[test]
        fn cells_read_as_the_reader_reads_them(data in csvish()) {
            let mut reader = RecordReader::new(1 << 20, 1 << 10, true);
            let mut seen = Vec::new();
            let mut sink = |r: &Record| {
                let fields: Vec<Vec<u8>> = (0..r.ends.len())
                    .map(|i| r.field(i).unwrap_or_default().to_vec())
                    .collect();
                seen.push((fields, r.raw.to_vec()));
            };
            reader.feed(&data, &mut sink);
            reader.finish(&mut sink);
            for (fields, raw) in seen {
                prop_assert_eq!(values(&raw).0, fields);
            }
        }

        /// Split up to a cell, a record gives the first cells of its whole split, and
        /// the rest starts where that cell ends (at the line ending past the last cell).
        #[test]
        fn a_split_up_to_a_cell_stops_at_its_end(data in csvish(), last in 0usize..6) {
            let raw = data.split_inclusive(|&b| b == b'\n').next().unwrap_or_default();
            let (mut whole, mut part) = (Vec::new(), Vec::new());
            let ending = split(raw, &mut whole, usize::MAX);
            let rest = split(raw, &mut part, last);
            prop_assert_eq!(&part[..], &whole[..whole.len().min(last + 1)]);
            let expected = whole.get(last).filter(|_| last + 1 < whole.len()).map_or(ending, |c| c.end);
            prop_assert_eq!(rest, expected);
        }
    }
}
