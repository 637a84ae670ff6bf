//! A CSV file read push-style, in chunks of any size: [`record_reader`] turns the bytes
//! into complete records (csv-core, with byte spans, the byte order mark, blank lines
//! and a bound on a record's size), and [`scan`] checks the file's structure from them
//! (header, encoding, ragged rows) and hands each row on to the column checks.

pub mod record_reader;
pub mod scan;

pub use record_reader::{DEFAULT_MAX_FIELDS, DEFAULT_MAX_RECORD_BYTES};
pub use scan::{
    CsvReport, CsvScan, RowEvent, ScanOptions, Table, DEFAULT_PREVIEW_ROWS, DEFAULT_RETAIN_BYTES,
};
