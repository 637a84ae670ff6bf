//! Preflight: everything we can learn about a file before Zuora sees it. The container
//! (CSV, or ZIP holding one CSV), the CSV's structure, and each row against the column
//! specs of the chosen action type. Every check reports a [`Finding`]; errors block
//! submission, warnings inform.

pub mod check;
pub mod csv;
pub mod finding;
pub mod pack;
pub mod rules;
pub mod split;
pub mod zip_entry;

pub use crate::error::{ArchiveError, PackError, SplitError};
pub use check::{Preflight, PreflightPass};
pub use csv::{CsvReport, CsvScan, RowEvent, ScanOptions, Table};
pub use finding::{Finding, Findings, Severity};
pub use pack::{pack, ZipPacker};
pub use rules::{
    columns, custom_field_prefix, detect, is_complete, template_csv, ColumnSpec, Need, RowRules,
    ValueKind, GROUP_ID,
};
pub use split::{part_name, Part, SplitOptions, SplitPlan, SplitPlanner, SplitWriter};
pub use zip_entry::{scan_zip, UnpackLimits, ZipEntry};
