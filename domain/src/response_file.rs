//! The response file of a mass action (reference §2.3, §4): where to fetch it through the
//! proxy, what it says row by row, and the CSV of the rows to send again.
//!
//! The file is a zip holding one CSV: the uploaded header and rows, in order, followed by
//! result columns. `Success` is `Y`, `N`, or blank for a row not processed; `Error
//! Message` explains an `N`; some action types add more columns after them (MPU's
//! `Payment ID`, …, CreateRevenueSchedule's `Revenue Schedule Number`). The *original*
//! columns are therefore taken to be the ones before the first of `Success` and `Error
//! Message`; everything from there on is Zuora's.

use crate::error::{ArchiveError, OutputUrlError, ResponseFileError};
use crate::preflight::{UnpackLimits, ZipEntry, GROUP_ID};
use crate::wording;

/// The largest response zip opened. Zuora caps an upload at 4 MB; the response repeats it
/// with a few columns added, so 16 MB is generous.
pub const MAX_RESPONSE_ZIP_BYTES: u64 = 16_000_000;
/// The largest CSV unpacked from it: a guard against a zip bomb.
pub const MAX_RESPONSE_CSV_BYTES: u64 = 64_000_000;
/// Failed rows kept with their fields for display; the counts cover all of them.
pub const MAX_FAILED_ROWS_SHOWN: usize = 500;

pub const SUCCESS_COLUMN: &str = "Success";
pub const ERROR_MESSAGE_COLUMN: &str = "Error Message";

/// A row Zuora marked `N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedRow {
    /// 1 for the first row after the header.
    pub row: u64,
    pub error_message: String,
    /// The row's cells in the original columns.
    pub fields: Vec<String>,
}

/// What a response file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseSummary {
    /// The original columns, in order.
    pub header: Vec<String>,
    pub succeeded: u64,
    pub failed: u64,
    /// Rows with a blank (or any other than `Y`/`N`) `Success`.
    pub not_processed: u64,
    /// The first [`MAX_FAILED_ROWS_SHOWN`] failed rows.
    pub failed_rows: Vec<FailedRow>,
    /// Every failed or not-processed row, original columns only, in file order.
    resubmit_rows: Vec<Vec<String>>,
    /// Index of the `Group ID` column among the original ones, if there is one.
    group_column: Option<usize>,
    /// Groups in which a row failed so far.
    failed_groups: std::collections::HashSet<String>,
    /// Rows to resubmit that belong to a group in which an earlier row failed.
    group_rows: u64,
}

impl ResponseSummary {
    /// Reads the zip served at `outputURL`.
    pub fn from_zip(bytes: &[u8]) -> Result<ResponseSummary, ResponseFileError> {
        ResponseSummary::from_zip_within(bytes, MAX_RESPONSE_ZIP_BYTES, MAX_RESPONSE_CSV_BYTES)
    }

    fn from_zip_within(
        bytes: &[u8],
        zip_limit: u64,
        csv_limit: u64,
    ) -> Result<ResponseSummary, ResponseFileError> {
        let size = bytes.len() as u64;
        if size > zip_limit {
            return Err(ResponseFileError::TooLarge {
                size,
                limit: zip_limit,
            });
        }
        // The same reading as an uploaded archive's, with the CSV's own limit (no
        // expansion ratio: Zuora's zip is trusted as far as its size limit).
        let entry = ZipEntry::find(bytes).map_err(|e| match e {
            ArchiveError::NoCsv { .. } => ResponseFileError::NoCsv,
            ArchiveError::SeveralCsv { names } => {
                ResponseFileError::SeveralCsv { count: names.len() }
            }
            ArchiveError::Encrypted { .. } => ResponseFileError::Encrypted,
            ArchiveError::UnsupportedMethod { method, .. } => ResponseFileError::Unpacking {
                detail: wording::errors::compression_method(&method),
            },
            ArchiveError::Unreadable { detail } => ResponseFileError::NotAZip { detail },
            other => ResponseFileError::NotAZip {
                detail: other.to_string(),
            },
        })?;
        let limits = UnpackLimits {
            max_bytes: csv_limit,
            max_ratio: 1,
            ratio_floor: csv_limit,
        };
        let mut csv = Vec::new();
        entry
            .unpack(bytes, limits, &mut |piece| csv.extend_from_slice(piece))
            .map_err(|e| match e {
                ArchiveError::ExpandsTooMuch { .. } => {
                    ResponseFileError::CsvTooLarge { limit: csv_limit }
                }
                ArchiveError::Damaged { detail, .. } => ResponseFileError::Unpacking { detail },
                other => ResponseFileError::Unpacking {
                    detail: other.to_string(),
                },
            })?;
        ResponseSummary::from_csv(&csv)
    }

    /// Reads the CSV inside the response zip.
    pub fn from_csv(bytes: &[u8]) -> Result<ResponseSummary, ResponseFileError> {
        let text = std::str::from_utf8(bytes).map_err(|_| ResponseFileError::NotUtf8)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => {
                return Err(ResponseFileError::BadRow {
                    row: 0,
                    detail: e.to_string(),
                })
            }
            None => return Err(ResponseFileError::NoHeader),
        };
        let columns = ResultColumns::find(&header)?;
        let mut summary = ResponseSummary {
            header: header
                .iter()
                .take(columns.original)
                .map(str::to_owned)
                .collect(),
            succeeded: 0,
            failed: 0,
            not_processed: 0,
            failed_rows: Vec::new(),
            resubmit_rows: Vec::new(),
            group_column: None,
            failed_groups: Default::default(),
            group_rows: 0,
        };
        summary.group_column = summary.header.iter().position(|h| h == GROUP_ID);
        for (n, record) in records.enumerate() {
            let row = n as u64 + 1;
            let record = record.map_err(|e| ResponseFileError::BadRow {
                row,
                detail: e.to_string(),
            })?;
            summary.count(row, &record, &columns);
        }
        Ok(summary)
    }

    /// Counts one row by its `Success` cell, and keeps it for display and to resubmit.
    fn count(&mut self, row: u64, record: &csv::StringRecord, columns: &ResultColumns) {
        let cell = |i: usize| record.get(i).unwrap_or("");
        let fields: Vec<String> = (0..columns.original).map(|i| cell(i).to_owned()).collect();
        let success = cell(columns.success).trim();
        if !success.eq_ignore_ascii_case("Y") {
            self.note_group(&fields, success.eq_ignore_ascii_case("N"));
        }
        match success {
            "Y" | "y" => self.succeeded += 1,
            "N" | "n" => {
                self.failed += 1;
                if self.failed_rows.len() < MAX_FAILED_ROWS_SHOWN {
                    self.failed_rows.push(FailedRow {
                        row,
                        error_message: cell(columns.message).to_owned(),
                        fields: fields.clone(),
                    });
                }
                self.resubmit_rows.push(fields);
            }
            _ => {
                self.not_processed += 1;
                self.resubmit_rows.push(fields);
            }
        }
    }

    /// A row to resubmit: counted when an earlier row of its group failed; its group
    /// noted as failed when it failed.
    fn note_group(&mut self, fields: &[String], failed: bool) {
        let Some(group) = self.group_column.and_then(|i| fields.get(i)) else {
            return;
        };
        let group = group.trim();
        if group.is_empty() {
            return;
        }
        if self.failed_groups.contains(group) {
            self.group_rows += 1;
        } else if failed {
            self.failed_groups.insert(group.to_owned());
        }
    }

    /// Rows of [`ResponseSummary::resubmit_csv`] that are there because an earlier row
    /// of their `Group ID` failed (Zuora skipped them for it): the resubmit file keeps
    /// every unsent row of such a group, in order, so the group is sent whole again.
    pub fn rows_kept_for_their_group(&self) -> u64 {
        self.group_rows
    }

    /// Failed rows not kept in [`ResponseSummary::failed_rows`].
    pub fn failed_rows_left_out(&self) -> u64 {
        self.failed.saturating_sub(self.failed_rows.len() as u64)
    }

    /// Rows that [`ResponseSummary::resubmit_csv`] holds.
    pub fn rows_to_resubmit(&self) -> u64 {
        self.resubmit_rows.len() as u64
    }

    /// A CSV of the failed and not-processed rows, ready to send again: the original
    /// header and columns (no result columns), rows in their original order, CRLF line
    /// ends, standard quoting.
    pub fn resubmit_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(Vec::new());
        let _ = w.write_record(&self.header);
        for row in &self.resubmit_rows {
            let _ = w.write_record(row);
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Where Zuora's result columns are in the response file's header.
struct ResultColumns {
    success: usize,
    message: usize,
    /// How many columns come from the uploaded file: those before the first result
    /// column.
    original: usize,
}

impl ResultColumns {
    fn find(header: &csv::StringRecord) -> Result<ResultColumns, ResponseFileError> {
        let find = |name: &'static str| {
            header
                .iter()
                .enumerate()
                .filter(|(_, h)| *h == name)
                .map(|(i, _)| i)
                .last()
                .ok_or(ResponseFileError::MissingColumn { column: name })
        };
        let success = find(SUCCESS_COLUMN)?;
        let message = find(ERROR_MESSAGE_COLUMN)?;
        Ok(ResultColumns {
            success,
            message,
            original: success.min(message),
        })
    }
}

/// A name for the resubmit file: `fx.csv` → `fx-resubmit.csv`.
pub fn resubmit_file_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    format!("{}-resubmit.csv", crate::intake::file_stem(base))
}

/// A name for the downloaded response file, as the sandbox (and Zuora's UI) name it:
/// `fx.csv` → `fx-response.csv.zip`.
pub fn response_file_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    format!("{}-response.csv.zip", crate::intake::file_stem(base))
}

/// Maps Zuora's absolute `outputURL` (`https://{any host}/v1/files/{file id}`) onto the
/// proxy: `{api_base}/v1/files/{file id}`, where `api_base` is the same value that
/// `{api_base}/v1/bulk` is built from (empty for the page's own origin). Anything else
/// is refused, so the app never fetches an address it did not expect.
pub fn output_url_to_proxy_path(
    output_url: &str,
    api_base: &str,
) -> Result<String, OutputUrlError> {
    let refuse = || OutputUrlError {
        url: output_url.chars().take(300).collect(),
    };
    let url = output_url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(refuse)?;
    let (host, path) = rest.split_once('/').ok_or_else(refuse)?;
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    let id = path.strip_prefix("v1/files/").ok_or_else(refuse)?;
    let id_ok = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if !(host_ok && id_ok) {
        return Err(refuse());
    }
    Ok(format!("{}/v1/files/{id}", api_base.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_response_file_is_named_after_the_upload() {
        assert_eq!(response_file_name("fx.csv"), "fx-response.csv.zip");
        assert_eq!(response_file_name("dir/Big.ZIP"), "Big-response.csv.zip");
        assert_eq!(response_file_name(".hidden"), ".hidden-response.csv.zip");
    }
    use std::io::Write;

    /// A zip like the sandbox's: deflated, one CSV, CRLF, `csv`-crate quoting.
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn response_csv(header: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(header).unwrap();
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn mpu_response() -> Vec<u8> {
        response_csv(
            &[
                "Group ID",
                "Payment Amount",
                "Payment Comment",
                "Success",
                "Error Message",
                "Payment ID",
                "Payment Status",
            ],
            &[
                vec!["G1", "10", "plain", "Y", "", "abc", "Processed"],
                vec![
                    "G1",
                    "20",
                    "FAIL, with \"quotes\"",
                    "N",
                    "Sandbox rule: the row contains FAIL",
                    "",
                    "",
                ],
                vec![
                    "G1",
                    "30",
                    "two\nlines",
                    "N",
                    "A previous row with the same Group ID failed",
                    "",
                    "",
                ],
                vec!["", "40", "ok", "Y", "", "def", "Processed"],
                vec!["", "50", "not, reached", "", "", "", ""],
                vec!["", "60", "", "", "", "", ""],
            ],
        )
    }

    #[test]
    fn failed_and_unprocessed_rows_are_counted_and_kept_in_order() {
        let zip = zip_of(&[("mpu-response.csv", &mpu_response())]);
        let s = ResponseSummary::from_zip(&zip).unwrap();
        assert_eq!(
            s.header,
            vec!["Group ID", "Payment Amount", "Payment Comment"]
        );
        assert_eq!((s.succeeded, s.failed, s.not_processed), (2, 2, 2));
        assert_eq!(s.failed_rows.len(), 2);
        assert_eq!(
            s.failed_rows[0],
            FailedRow {
                row: 2,
                error_message: "Sandbox rule: the row contains FAIL".into(),
                fields: vec!["G1".into(), "20".into(), "FAIL, with \"quotes\"".into()],
            }
        );
        assert_eq!(s.failed_rows[1].row, 3);
        assert_eq!(s.rows_to_resubmit(), 4);
        assert_eq!(s.failed_rows_left_out(), 0);
        assert_eq!(
            s.resubmit_csv(),
            "Group ID,Payment Amount,Payment Comment\r\n\
             G1,20,\"FAIL, with \"\"quotes\"\"\"\r\n\
             G1,30,\"two\nlines\"\r\n\
             ,50,\"not, reached\"\r\n\
             ,60,\r\n"
        );
    }

    #[test]
    fn every_unsent_row_of_a_group_with_a_failure_is_resubmitted_in_order() {
        let rows = [
            ["G1", "a", "Y", ""],
            ["G2", "b", "N", "Sandbox rule: the row contains FAIL"],
            ["G1", "FAIL", "N", "Sandbox rule: the row contains FAIL"],
            ["", "c", "Y", ""],
            [
                "G2",
                "d",
                "N",
                "A previous row with the same Group ID failed",
            ],
            [
                "G1",
                "e",
                "N",
                "A previous row with the same Group ID failed",
            ],
            [" G2 ", "f", "", ""],
            ["G3", "g", "Y", ""],
            [
                "G1",
                "h",
                "N",
                "A previous row with the same Group ID failed",
            ],
        ];
        let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
        let csv = response_csv(&["Group ID", "Note", "Success", "Error Message"], &rows);
        let s = ResponseSummary::from_csv(&csv).unwrap();
        assert_eq!(
            s.resubmit_csv(),
            "Group ID,Note\r\nG2,b\r\nG1,FAIL\r\nG2,d\r\nG1,e\r\n G2 ,f\r\nG1,h\r\n"
        );
        assert_eq!(s.rows_to_resubmit(), 6);
        // d, e, f and h are there for their group; b and FAIL for their own error.
        assert_eq!(s.rows_kept_for_their_group(), 4);
        let without = response_csv(
            &["Note", "Success", "Error Message"],
            &[vec!["x", "N", "no"]],
        );
        assert_eq!(
            ResponseSummary::from_csv(&without)
                .unwrap()
                .rows_kept_for_their_group(),
            0
        );
    }

    #[test]
    fn the_resubmit_csv_reads_back_as_the_original_rows() {
        let s = ResponseSummary::from_zip(&zip_of(&[("a.csv", &mpu_response())])).unwrap();
        let text = s.resubmit_csv();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            r.headers().unwrap(),
            vec!["Group ID", "Payment Amount", "Payment Comment"]
        );
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[1], vec!["G1", "30", "two\nlines"]);
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn a_bom_short_rows_and_ignored_entries_are_tolerated() {
        let csv = b"\xEF\xBB\xBFRevenue Schedule Number,Success,Error Message\r\nRS-1,Y,\r\nRS-2,N,locked\r\nRS-3\r\n";
        let zip = zip_of(&[
            ("__MACOSX/._x.csv", b"junk"),
            (".hidden.csv", b"junk"),
            ("readme.txt", b"hello"),
            ("out/x-response.CSV", csv),
        ]);
        let s = ResponseSummary::from_zip(&zip).unwrap();
        assert_eq!(s.header, vec!["Revenue Schedule Number"]);
        assert_eq!((s.succeeded, s.failed, s.not_processed), (1, 1, 1));
        assert_eq!(
            s.resubmit_csv(),
            "Revenue Schedule Number\r\nRS-2\r\nRS-3\r\n"
        );
    }

    #[test]
    fn only_the_first_failed_rows_are_kept_but_all_are_counted_and_resubmitted() {
        let rows: Vec<Vec<&str>> = (0..(MAX_FAILED_ROWS_SHOWN + 7))
            .map(|_| vec!["k", "N", "bad"])
            .collect();
        let s =
            ResponseSummary::from_csv(&response_csv(&["Key", "Success", "Error Message"], &rows))
                .unwrap();
        assert_eq!(s.failed, MAX_FAILED_ROWS_SHOWN as u64 + 7);
        assert_eq!(s.failed_rows.len(), MAX_FAILED_ROWS_SHOWN);
        assert_eq!(s.failed_rows_left_out(), 7);
        assert_eq!(s.rows_to_resubmit(), MAX_FAILED_ROWS_SHOWN as u64 + 7);
    }

    #[test]
    fn broken_response_files_each_have_a_sentence() {
        let cases: Vec<(Vec<u8>, ResponseFileError)> = vec![
            (
                b"not a zip".to_vec(),
                ResponseFileError::NotAZip {
                    detail: String::new(),
                },
            ),
            (zip_of(&[("a.txt", b"x")]), ResponseFileError::NoCsv),
            (
                zip_of(&[("a.csv", b"x"), ("b.csv", b"y")]),
                ResponseFileError::SeveralCsv { count: 2 },
            ),
            (
                zip_of(&[("a.csv", b"A,B\r\n1,2\r\n")]),
                ResponseFileError::MissingColumn { column: "Success" },
            ),
            (
                zip_of(&[("a.csv", b"A,Success\r\n1,Y\r\n")]),
                ResponseFileError::MissingColumn {
                    column: "Error Message",
                },
            ),
            (zip_of(&[("a.csv", b"")]), ResponseFileError::NoHeader),
            (
                zip_of(&[("a.csv", b"A,\xff\r\n")]),
                ResponseFileError::NotUtf8,
            ),
        ];
        for (bytes, expected) in cases {
            let e = ResponseSummary::from_zip(&bytes).unwrap_err();
            assert_eq!(
                std::mem::discriminant(&e),
                std::mem::discriminant(&expected),
                "{e:?}"
            );
            assert!(e.to_string().ends_with('.'), "{e}");
        }
        let zip = zip_of(&[("a.csv", &mpu_response())]);
        assert_eq!(
            ResponseSummary::from_zip_within(&zip, zip.len() as u64 - 1, 1_000_000),
            Err(ResponseFileError::TooLarge {
                size: zip.len() as u64,
                limit: zip.len() as u64 - 1
            })
        );
    }

    #[test]
    fn a_zip_bomb_is_stopped_at_the_csv_limit() {
        // The same rule as the real limits, scaled down so the test stays fast.
        let big = vec![b'a'; 1_000_001];
        let zip = zip_of(&[("bomb.csv", &big)]);
        assert!(zip.len() < 10_000);
        assert_eq!(
            ResponseSummary::from_zip_within(&zip, 10_000, 1_000_000),
            Err(ResponseFileError::CsvTooLarge { limit: 1_000_000 })
        );
        let exact = zip_of(&[("a.csv", b"A,Success,Error Message\r\n")]);
        let len = 25;
        assert!(ResponseSummary::from_zip_within(&exact, 10_000, len).is_ok());
    }

    #[test]
    fn output_urls_map_onto_the_proxy_and_nothing_else_does() {
        let ok = [
            (
                "https://rest.zuora.com/v1/files/402892c84c9285b1014c9293f5320007",
                "",
                "/v1/files/402892c84c9285b1014c9293f5320007",
            ),
            (
                "https://rest.sandbox.zuora.invalid/v1/files/abc123",
                "/zuora",
                "/zuora/v1/files/abc123",
            ),
            (
                "http://127.0.0.1:8787/v1/files/abc",
                "/zuora/",
                "/zuora/v1/files/abc",
            ),
            (
                " https://rest.eu.zuora.com/v1/files/F00 ",
                "https://portal.example/z",
                "https://portal.example/z/v1/files/F00",
            ),
        ];
        for (url, base, expected) in ok {
            assert_eq!(
                output_url_to_proxy_path(url, base).as_deref(),
                Ok(expected),
                "{url}"
            );
        }
        let refused = [
            "",
            "/v1/files/abc",
            "ftp://rest.zuora.com/v1/files/abc",
            "https://rest.zuora.com/v1/bulk/abc",
            "https://rest.zuora.com/v1/files/",
            "https://rest.zuora.com/v1/files/abc/../../x",
            "https://rest.zuora.com/v1/files/abc?x=1",
            "https://user@evil.example/v1/files/abc",
            "https:///v1/files/abc",
            "https://rest.zuora.com/v2/files/abc",
        ];
        for url in refused {
            let e = output_url_to_proxy_path(url, "").unwrap_err();
            assert!(e.to_string().contains("/v1/files/"), "{url}: {e}");
        }
    }

    #[test]
    fn resubmit_file_names_keep_the_stem() {
        assert_eq!(resubmit_file_name("fx.csv"), "fx-resubmit.csv");
        assert_eq!(resubmit_file_name("C:\\x\\pay.zip"), "pay-resubmit.csv");
        assert_eq!(resubmit_file_name(".csv"), ".csv-resubmit.csv");
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = ResponseSummary::from_zip(&bytes);
            let _ = ResponseSummary::from_csv(&bytes);
        }

        #[test]
        fn any_url_is_mapped_or_refused_without_panicking(url in ".{0,120}") {
            if let Ok(path) = output_url_to_proxy_path(&url, "/p") {
                prop_assert!(path.starts_with("/p/v1/files/"));
            }
        }
    }
}
