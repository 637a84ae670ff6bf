//! The checks of one action type: its column specs ([`columns`](mod@columns)), the forms
//! a value may take ([`values`]), and the rules that run over every row of a file
//! ([`rows`]).

pub mod columns;
pub mod rows;
pub mod values;

pub use columns::{
    columns, custom_field_prefix, detect, is_complete, template_csv, ColumnSpec, Need, ValueKind,
};
pub use rows::RowRules;
