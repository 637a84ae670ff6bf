//! The checks of one action type: its column specs ([`columns`](mod@columns)), the forms
//! a value may take ([`values`]), the matching of a file's header to the specs
//! ([`header`]), and the rules that run over every row of the file ([`rows`]).

pub mod columns;
pub mod header;
pub mod rows;
pub mod values;

pub use columns::{
    columns, custom_field_prefix, detect, is_complete, template_csv, ColumnSpec, Need, ValueKind,
    GROUP_ID,
};
pub use rows::RowRules;
