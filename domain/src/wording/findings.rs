//! What preflight says about a file: one sentence per finding, written from the facts
//! its check found. The checks decide the code, the severity and where the finding is;
//! these functions only write the sentence.
//!
//! A column `index` is 0-based, as in [`Finding::column`], and written from 1, as a
//! spreadsheet counts. A value from the file is shown clipped by [`Finding::clip`].

use super::one_of;
use crate::figures::{self, grouped};
use crate::preflight::finding::Finding;
use crate::preflight::rules::columns::{
    BILLING_ACCOUNT_ID, DEFERRED_CODE_OBJECT_TYPES, GROUP_ID, LINKED_TRANSACTION_KEY,
    PAYMENT_INVOICE, SUBSCRIPTION_CHARGE_KEY,
};
use crate::preflight::rules::values::{
    is_blank, is_currency_code_in_wrong_case, DateProblem, PaymentInvoiceProblem, ValueProblem,
};
use crate::ActionType;

// ---------------------------------------------------------------------------------------
// The file's structure.

pub fn no_header() -> String {
    "The file has no header row: it is empty or holds only blank lines.".to_owned()
}

pub fn no_data_rows() -> String {
    "The file has a header row but no data rows, so there is nothing to update.".to_owned()
}

pub fn oversized_row(row: u64, max_record_bytes: usize, max_fields: usize) -> String {
    format!(
        "Row {} is too long to be a real row (over {} or {} values); a quote (\") that opens a value and is never closed is the usual cause.",
        grouped(row),
        figures::bytes(max_record_bytes as u64),
        grouped(max_fields as u64)
    )
}

pub fn four_byte_character(row: u64, index: usize) -> String {
    format!(
        "Row {}, column {} holds a character outside the Basic Multilingual Plane (such as an emoji); Zuora does not support these in text fields.",
        grouped(row),
        index + 1
    )
}

pub fn empty_row(row: u64) -> String {
    format!(
        "Row {} has only empty values (spreadsheets often leave such rows at the end); Zuora will probably count it as a record, so delete it.",
        grouped(row)
    )
}

pub fn empty_column_name(index: usize) -> String {
    format!(
        "Column {} has no name in the header row (row 1); every column needs one, so name it or delete the column.",
        index + 1
    )
}

/// A second column named like an earlier one, for a data column.
pub fn duplicate_column(first: usize, index: usize, name: &str) -> String {
    format!(
        "Columns {} and {} are both named “{}”; each column may appear only once.",
        first + 1,
        index + 1,
        name
    )
}

/// A second column named like an earlier one, for an informational (`#`) column.
pub fn duplicate_note_column(first: usize, index: usize, name: &str) -> String {
    format!(
        "Columns {} and {} are both named “{}”; Zuora ignores informational columns, but one name per column avoids confusion.",
        first + 1,
        index + 1,
        name
    )
}

/// The first cell that is not UTF-8, and how many other rows are not either.
pub fn invalid_utf8(row: u64, index: usize, more_rows: u64) -> String {
    let others = match more_rows {
        0 => String::new(),
        1 => " (and 1 more row)".to_owned(),
        n => format!(" (and {} more rows)", grouped(n)),
    };
    format!(
        "Row {}, column {} is not UTF-8 text{}; the file was probably saved in a Windows or Mac encoding. In Excel choose “Save As”, then “CSV UTF-8 (comma delimited)”, and try again.",
        grouped(row),
        index + 1,
        others
    )
}

pub fn blank_lines(row: u64, lines: u64) -> String {
    let what = match lines {
        1 => "There is a blank line".to_owned(),
        n => format!("There are {} blank lines", grouped(n)),
    };
    format!(
        "{what} before row {}; Zuora does not document how it treats blank lines, so delete {}.",
        grouped(row),
        if lines == 1 { "it" } else { "them" }
    )
}

pub fn ragged_row(row: u64, values: usize, columns: usize) -> String {
    format!(
        "Row {} has {} but the header has {}; a value holding a comma needs double quotes around it.",
        grouped(row),
        figures::count(values as u64, "value", "values"),
        figures::count(columns as u64, "column", "columns")
    )
}

// ---------------------------------------------------------------------------------------
// The header against an action type's columns.

/// A known column written in another case or spacing.
pub fn header_mismatch(index: usize, found: &str, expected: &str) -> String {
    format!(
        "Column {} is headed “{}”; Zuora expects “{}”.",
        index + 1,
        Finding::clip(found),
        expected
    )
}

/// The start of a sentence about a column no spec knows: its number, and its name if
/// it has one.
fn unknown_column_subject(index: usize, name: &str) -> String {
    if is_blank(name) {
        format!("Column {} has no header", index + 1)
    } else {
        format!("Column {}, “{}”,", index + 1, Finding::clip(name))
    }
}

/// A column that is not among the columns of an action type whose columns we all know.
pub fn unknown_column_of_complete_table(action: ActionType, index: usize, name: &str) -> String {
    format!(
        "{} is not a column of “{}” ({}); remove it, or start its header with “#” to keep it as a note Zuora ignores.",
        unknown_column_subject(index, name),
        action.label(),
        action.api_name()
    )
}

/// A column that is not among the columns we know of an action type that has more.
pub fn unknown_column_of_partial_table(action: ActionType, index: usize, name: &str) -> String {
    format!(
        "{} is not among the “{}” ({}) columns we know; Zuora's list is longer than ours, so check the spelling, or start the header with “#” if it is a note.",
        unknown_column_subject(index, name),
        action.label(),
        action.api_name()
    )
}

/// A `Group ID` column in a file of an action type whose pages show none (MPU).
pub fn group_id_not_documented(action: ActionType, index: usize, name: &str) -> String {
    format!(
        "{} is not among the “{}” ({}) columns we know: Zuora's pages do not say whether MPU takes a Group ID, so Zuora may ignore or refuse it.",
        unknown_column_subject(index, name),
        action.label(),
        action.api_name()
    )
}

pub fn missing_column(action: ActionType, header: &str) -> String {
    format!(
        "The file has no “{header}” column, which “{}” ({}) requires.",
        action.label(),
        action.api_name()
    )
}

/// Create revenue schedules without either of its two key columns.
pub fn missing_key_columns(action: ActionType) -> String {
    format!(
        "The file has neither a “{SUBSCRIPTION_CHARGE_KEY}” nor a “{LINKED_TRANSACTION_KEY}” column; “{}” ({}) needs one of them.",
        action.label(),
        action.api_name()
    )
}

// ---------------------------------------------------------------------------------------
// Cells and rows.

/// `, e.g. 6.5432`, or nothing for a column without an example.
fn example_clause(example: &str) -> String {
    if example.is_empty() {
        String::new()
    } else {
        format!(", e.g. {example}")
    }
}

pub fn missing_value(row: u64, header: &str, example: &str) -> String {
    format!(
        "Row {row}, “{header}” is empty; Zuora requires a value{}.",
        example_clause(example)
    )
}

pub fn padded_value(row: u64, header: &str, value: &str) -> String {
    format!(
        "Row {row}, “{header}”: “{}” has spaces before or after it; remove them.",
        Finding::clip(value)
    )
}

/// A non-blank value that breaks the form of its column (`header`, whose example value
/// is `example`).
pub fn bad_value(
    row: u64,
    header: &str,
    example: &str,
    value: &str,
    problem: ValueProblem,
) -> String {
    let shown = Finding::clip(value);
    let at = format!("Row {row}, “{header}”");
    let e_g = || example_clause(example);
    match problem {
        ValueProblem::TooLong { chars, max_chars } => format!("{at} has {chars} characters; the limit is {max_chars}."),
        ValueProblem::Date(DateProblem::NotIso) => format!("{at}: “{shown}” is not a date in the form YYYY-MM-DD{}.", e_g()),
        ValueProblem::Date(DateProblem::NoSuchDay) => format!("{at}: “{shown}” is not a real date; use YYYY-MM-DD."),
        ValueProblem::Decimal => format!(
            "{at}: “{shown}” is not a plain number; write digits with an optional leading “-” and a “.” before any decimals{}, without “+”, thousands separators, currency signs or exponents.",
            e_g()
        ),
        ValueProblem::Spelling { allowed } => format!("{at}: “{shown}” must be written exactly “{allowed}”."),
        ValueProblem::NotAllowed { allowed } => format!("{at}: “{shown}” is not allowed; use {}.", one_of(allowed)),
        ValueProblem::Unlisted { known } => format!(
            "{at}: “{shown}” is none of the values we know ({}); Zuora's list is longer than ours, so check the spelling.",
            one_of(known)
        ),
        ValueProblem::Currency => {
            let hint = if is_currency_code_in_wrong_case(value) {
                format!("“{}”", value.to_ascii_uppercase())
            } else {
                format!("three capital letters{}", e_g())
            };
            format!("{at}: “{shown}” is not a currency code; use {hint}.")
        }
        ValueProblem::CurrencyCase => format!(
            "{at}: “{shown}” looks like a currency code in small letters; Zuora's codes are capitals, so write “{}”.",
            value.to_ascii_uppercase()
        ),
        ValueProblem::PaymentInvoice(problem) => format!(
            "{at}: in “{shown}”, {}; write InvoiceID:amount pairs separated by “|”{}.",
            payment_invoice_pair(problem),
            e_g()
        ),
    }
}

/// What is wrong with one pair of an MPU `Payment Invoice` value, as part of a sentence.
fn payment_invoice_pair(problem: PaymentInvoiceProblem) -> String {
    match problem {
        PaymentInvoiceProblem::EmptyPair { pair } => format!("pair {pair} is empty"),
        PaymentInvoiceProblem::NoAmount { pair } => format!("pair {pair} has no “:amount”"),
        PaymentInvoiceProblem::NoInvoice { pair } => {
            format!("pair {pair} has no invoice before the “:”")
        }
        PaymentInvoiceProblem::BadAmount { pair } => {
            format!("the amount of pair {pair} is not a plain number")
        }
    }
}

/// Create revenue schedules: a row with neither key.
pub fn missing_key(row: u64) -> String {
    format!(
        "Row {row}: “{SUBSCRIPTION_CHARGE_KEY}” and “{LINKED_TRANSACTION_KEY}” are both empty; give one of them, e.g. a subscription charge number such as C-00000149."
    )
}

/// MPU: invoices named for a payment without an account.
pub fn invoice_without_account(row: u64) -> String {
    format!(
        "Row {row}, “{PAYMENT_INVOICE}” must be blank when “{BILLING_ACCOUNT_ID}” is blank, because a payment without an account is unassigned and cannot be applied to invoices."
    )
}

/// Update accounting codes: a deferred revenue code for an object type that takes none.
pub fn deferred_code_not_applicable(row: u64, object_type: &str) -> String {
    format!(
        "Row {row}, “Deferred Revenue Accounting Code” is set for Object Type “{object_type}”; Zuora's pages list it only for {}, so Zuora may refuse this row.",
        one_of(DEFERRED_CODE_OBJECT_TYPES)
    )
}

/// A `Group ID` value that comes back after other rows.
pub fn split_group(row: u64, value: &str) -> String {
    format!(
        "Row {row}, “{GROUP_ID}”: “{}” also appears earlier with other rows in between; Zuora processes rows in file order and skips a group's later rows once one of them fails, so keep each group's rows together.",
        Finding::clip(value)
    )
}

/// How many `Group ID` values are split in all, of which the first `listed` were
/// reported row by row.
pub fn split_groups_summary(split: u64, listed: u64) -> String {
    format!(
        "In all, {} “{GROUP_ID}” values are split across the file (the first {listed} are shown by row); Zuora processes rows in file order and skips a group's later rows once one of them fails, so sort the file to keep each group's rows together.",
        grouped(split)
    )
}
