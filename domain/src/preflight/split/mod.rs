//! Splitting a CSV that does not fit the upload limit, even packed, into parts that do:
//! each part is the header row plus whole records, copied byte for byte (no re-quoting),
//! and a run of consecutive rows with the same non-empty Group ID is never cut, because
//! Zuora skips later rows of a group when an earlier one fails, which only works when
//! the group is in one upload.
//!
//! It takes two passes over the file's bytes, both push-based, so memory stays about one
//! part (uncompressed) whatever the file's size:
//!
//! 1. [`SplitPlanner`] decides where parts start. Without compression, a part is filled
//!    up to the limit exactly. With compression, parts are filled up to a budget of
//!    uncompressed bytes estimated from the compression ratio (the caller's estimate at
//!    first, then the ratio measured on each part, with a 10% margin); each candidate is
//!    then really compressed, and if it comes out over the limit it is cut at an earlier
//!    group boundary (scaled by how much it was over, less 5%) and tried again.
//! 2. [`SplitWriter`] reads the file again and hands out each finished part, named
//!    `<stem>-part-01-of-NN.csv` (or `.zip` holding that `.csv`), as soon as it is
//!    complete. The names need the number of parts, which is why planning comes first.
//!
//! Blank lines between records are not copied (the scan warns about them); the UTF-8
//! byte order mark, if the file has one, starts every part.

mod planner;
mod writer;

pub use planner::SplitPlanner;
pub use writer::SplitWriter;

use super::csv::record_reader::{
    Record, RecordReader, DEFAULT_MAX_FIELDS, DEFAULT_MAX_RECORD_BYTES,
};
use crate::error::SplitError;

/// Compressed size over uncompressed size assumed before any part has been measured.
/// CSV usually packs to 10–25%; a low guess only costs a re-cut of the first part.
pub const DEFAULT_EXPECTED_RATIO: f64 = 0.25;

/// Most uncompressed bytes planned into one part when compressing, whatever the ratio:
/// it bounds the memory a part takes.
pub const MAX_PART_BUFFER: u64 = 64 * 1024 * 1024;

/// Uncompressed budget as a share of what the measured ratio predicts fits.
const BUDGET_MARGIN: f64 = 0.9;
/// Share of the proportional cut taken when a packed part came out over the limit.
const RECUT_MARGIN: f64 = 0.95;
/// Room left for a longer part name in the archive when the final count has more digits
/// than planning assumed (the name is stored twice, uncompressed).
const NAME_SLACK: u64 = 64;

/// How to split.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SplitOptions {
    /// Most bytes one part may take (packed, when `compress`).
    pub limit: u64,
    /// 0-based index of the `Group ID` column, if the file has one.
    pub group_column: Option<usize>,
    /// Whether each part is sent as a .zip holding its .csv.
    pub compress: bool,
    /// Packed size over unpacked size to plan the first part with (for example from an
    /// attempt to pack the whole file).
    pub expected_ratio: f64,
}

impl SplitOptions {
    pub fn new(limit: u64, group_column: Option<usize>, compress: bool) -> SplitOptions {
        SplitOptions {
            limit,
            group_column,
            compress,
            expected_ratio: DEFAULT_EXPECTED_RATIO,
        }
    }
}

/// Where each part starts: the row number (as in the file, header = 1) of its first
/// data row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitPlan {
    starts: Vec<u64>,
    compress: bool,
    limit: u64,
}

impl SplitPlan {
    pub fn parts(&self) -> usize {
        self.starts.len()
    }

    pub fn starts(&self) -> &[u64] {
        &self.starts
    }
}

/// One finished part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// 1-based.
    pub number: usize,
    pub of: usize,
    /// File name: `<stem>-part-01-of-03.csv` or `.zip`.
    pub name: String,
    /// The part's bytes: the CSV, or the ZIP holding it.
    pub bytes: Vec<u8>,
    /// First and last data row of the original file in this part.
    pub first_row: u64,
    pub last_row: u64,
}

/// `Delete`, 1, 3 → `Delete-part-01-of-03.csv` (`.zip` when compressed). Numbers take at
/// least two digits, more when there are 100 parts or more.
pub fn part_name(stem: &str, number: usize, of: usize, compressed: bool) -> String {
    let width = of.to_string().len().max(2);
    let ext = if compressed { "zip" } else { "csv" };
    format!("{stem}-part-{number:0width$}-of-{of:0width$}.{ext}")
}

/// The name of the CSV inside a compressed part.
fn inner_name(stem: &str, number: usize, of: usize) -> String {
    part_name(stem, number, of, false)
}

/// The header and the current record's Group ID, shared by both passes.
struct Records {
    reader: RecordReader,
    header: Option<Vec<u8>>,
    group_column: Option<usize>,
}

/// What each pass does with a data row, given the header's raw bytes.
type OnRow<'f> = dyn FnMut(&[u8], DataRow) -> Result<(), SplitError> + 'f;

/// A data record as both passes see it.
struct DataRow<'a> {
    row: u64,
    raw: &'a [u8],
    group: Option<&'a [u8]>,
}

impl Records {
    fn new(group_column: Option<usize>) -> Records {
        Records {
            reader: RecordReader::new(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FIELDS, true),
            header: None,
            group_column,
        }
    }

    fn feed(&mut self, bytes: &[u8], last: bool, on_row: &mut OnRow) -> Result<(), SplitError> {
        let mut outcome = Ok(());
        let header = &mut self.header;
        let group_column = self.group_column;
        let mut sink = |r: &Record| {
            if outcome.is_err() {
                return;
            }
            if r.oversized {
                outcome = Err(SplitError::OversizedRow { row: r.number });
                return;
            }
            match header {
                None => {
                    let mut h = Vec::with_capacity(r.raw.len() + 3);
                    if r.after_bom {
                        h.extend_from_slice(b"\xEF\xBB\xBF");
                    }
                    h.extend_from_slice(r.raw);
                    *header = Some(h);
                }
                Some(h) => {
                    let group = group_column
                        .and_then(|c| r.field(c))
                        .filter(|g| !g.is_empty());
                    outcome = on_row(
                        h,
                        DataRow {
                            row: r.number,
                            raw: r.raw,
                            group,
                        },
                    );
                }
            }
        };
        if last {
            self.reader.finish(&mut sink);
        } else {
            self.reader.feed(bytes, &mut sink);
        }
        outcome
    }
}

// ---------------------------------------------------------------------------------------
// Pass 1.

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::zip_entry::{UnpackLimits, ZipEntry};
    use proptest::prelude::*;

    const HEADER: &[u8] = b"Group ID,Revenue Schedule Number,Notes\r\n";

    /// A file with `groups` (sizes in rows; 0 means "no Group ID" for one row), and
    /// each row's raw bytes with its group.
    fn file(groups: &[usize], noise: u64) -> (Vec<u8>, Vec<(Vec<u8>, String)>) {
        let mut data = HEADER.to_vec();
        let mut rows = Vec::new();
        let mut seed = noise.wrapping_add(1);
        for (g, &n) in groups.iter().enumerate() {
            let id = if n == 0 {
                String::new()
            } else {
                format!("G{g}")
            };
            for i in 0..n.max(1) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let row = format!(
                    "{id},RS-{g:05}-{i:03},\"note, {:016x}\nline two\"\r\n",
                    seed
                )
                .into_bytes();
                data.extend_from_slice(&row);
                rows.push((row, id.clone()));
            }
        }
        (data, rows)
    }

    fn split(data: &[u8], options: SplitOptions, chunk: usize) -> Result<Vec<Part>, SplitError> {
        let mut planner = SplitPlanner::new(options);
        for c in data.chunks(chunk.max(1)) {
            planner.feed(c)?;
        }
        let plan = planner.finish()?;
        let mut writer = SplitWriter::new(plan, "Delete", options.group_column);
        let mut parts = Vec::new();
        for c in data.chunks(chunk.max(1)) {
            writer.feed(c, &mut |p| parts.push(p))?;
        }
        let n = writer.finish(&mut |p| parts.push(p))?;
        assert_eq!(n, parts.len());
        Ok(parts)
    }

    fn csv_of(part: &Part, compressed: bool) -> Vec<u8> {
        if !compressed {
            return part.bytes.clone();
        }
        let entry = ZipEntry::find(&part.bytes).unwrap();
        assert_eq!(entry.name, part.name.replace(".zip", ".csv"));
        let mut out = Vec::new();
        entry
            .unpack(&part.bytes, UnpackLimits::default(), &mut |p| {
                out.extend_from_slice(p)
            })
            .unwrap();
        out
    }

    /// Every part fits, starts with the header, and the parts' rows are the file's rows
    /// in order, byte for byte, with no group in two parts.
    fn check(parts: &[Part], rows: &[(Vec<u8>, String)], limit: u64, compressed: bool) {
        let mut all = Vec::new();
        let mut group_part: std::collections::HashMap<String, usize> = Default::default();
        let mut at = 0;
        for part in parts {
            assert!(
                part.bytes.len() as u64 <= limit,
                "{} > {limit}",
                part.bytes.len()
            );
            assert_eq!(part.of, parts.len());
            let csv = csv_of(part, compressed);
            let body = csv.strip_prefix(HEADER).expect("header first");
            all.extend_from_slice(body);
            let mut seen = 0;
            while seen < body.len() {
                let (raw, group) = &rows[at];
                seen += raw.len();
                if !group.is_empty() {
                    let p = *group_part.entry(group.clone()).or_insert(part.number);
                    assert_eq!(p, part.number, "group {group} split");
                }
                at += 1;
            }
        }
        let expected: Vec<u8> = rows.iter().flat_map(|(r, _)| r.clone()).collect();
        assert_eq!(all, expected);
    }

    #[test]
    fn parts_fit_keep_the_header_and_never_split_a_group() {
        let (data, rows) = file(&[3, 1, 0, 0, 5, 2, 2, 7, 1, 0, 4, 4, 4], 1);
        let options = SplitOptions::new(500, Some(0), false);
        let parts = split(&data, options, 97).unwrap();
        assert!(parts.len() > 3);
        check(&parts, &rows, 500, false);
        assert_eq!(
            parts[0].name,
            format!("Delete-part-01-of-{:02}.csv", parts.len())
        );
        assert_eq!(parts[0].first_row, 2);
        assert_eq!(parts.last().unwrap().last_row, rows.len() as u64 + 1);
    }

    #[test]
    fn compressed_parts_fit_and_unpack_to_the_rows() {
        let groups: Vec<usize> = (0..400).map(|i| i % 5).collect();
        let (data, rows) = file(&groups, 7);
        let options = SplitOptions {
            expected_ratio: 0.05, // far too hopeful: forces re-cuts
            ..SplitOptions::new(6000, Some(0), true)
        };
        let parts = split(&data, options, 4096).unwrap();
        assert!(parts.len() > 2, "{}", parts.len());
        assert!(parts[0].name.ends_with(".zip"));
        check(&parts, &rows, 6000, true);
    }

    #[test]
    fn a_group_too_large_for_one_part_is_an_error() {
        let (data, _) = file(&[2, 30, 2], 3);
        let err = split(&data, SplitOptions::new(800, Some(0), false), 50).unwrap_err();
        match &err {
            SplitError::GroupTooLarge {
                first_row,
                group,
                limit,
                ..
            } => {
                assert_eq!((*first_row, group.as_deref(), *limit), (4, Some("G1"), 800));
            }
            e => panic!("{e:?}"),
        }
        assert!(err.to_string().starts_with("Rows 4 to "), "{err}");
        // Without the Group ID column the same rows split fine.
        assert!(split(&data, SplitOptions::new(800, None, false), 50).is_ok());
    }

    #[test]
    fn a_single_row_over_the_limit_is_an_error() {
        let (data, _) = file(&[0, 0], 3);
        let err = split(&data, SplitOptions::new(60, Some(0), false), 50).unwrap_err();
        assert!(
            matches!(err, SplitError::GroupTooLarge { first_row: 2, .. }),
            "{err:?}"
        );
        assert!(err.to_string().starts_with("Row 2, but"), "{err}");
    }

    #[test]
    fn a_file_with_a_byte_order_mark_keeps_it_in_every_part() {
        let (data, _) = file(&[0; 20], 5);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(&data);
        let parts = split(&bom, SplitOptions::new(400, None, false), 1).unwrap();
        assert!(parts.len() > 1);
        assert!(parts
            .iter()
            .all(|p| p.bytes.starts_with(b"\xEF\xBB\xBFGroup ID")));
    }

    #[test]
    fn a_header_only_file_has_nothing_to_split() {
        let err = split(HEADER, SplitOptions::new(400, None, false), 10).unwrap_err();
        assert_eq!(err, SplitError::NothingToSplit);
    }

    #[test]
    fn names_widen_past_99_parts() {
        assert_eq!(part_name("a", 7, 12, false), "a-part-07-of-12.csv");
        assert_eq!(part_name("a", 7, 120, true), "a-part-007-of-120.zip");
    }

    proptest! {
        // Each case packs several archives; fewer cases keep the debug run quick.
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_split_fits_and_keeps_rows_and_groups(
            groups in prop::collection::vec(0usize..6, 1..60),
            limit in 300u64..2000,
            compress: bool,
            chunk in 1usize..300,
            noise: u64,
        ) {
            let (data, rows) = file(&groups, noise);
            let options = SplitOptions::new(limit, Some(0), compress);
            let plan = |chunk: usize| {
                let mut planner = SplitPlanner::new(options);
                for c in data.chunks(chunk) {
                    planner.feed(c)?;
                }
                planner.finish()
            };
            prop_assert_eq!(plan(chunk), plan(data.len()));
            match split(&data, options, chunk) {
                Ok(parts) => check(&parts, &rows, limit, compress),
                Err(SplitError::GroupTooLarge { .. }) => {}
                Err(e) => prop_assert!(false, "{e:?}"),
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic_the_splitter(
            data: Vec<u8>, limit in 1u64..500, compress: bool, column in 0usize..3
        ) {
            let _ = split(&data, SplitOptions::new(limit, Some(column), compress), 17);
        }
    }
}
