//! The form: what is said while a file is checked, what the file summary and the
//! panel for an oversized file say, what preflight's view says around its findings,
//! and why Submit cannot be pressed yet (the hint beside it).

use crate::action_type::ActionType;
use crate::figures;
use crate::readiness::{Blocker, FitStep};
use std::fmt::{self, Display, Formatter};

/// Announced as a file is handed over.
pub fn checking(name: &str) -> String {
    format!("Checking “{name}”…")
}

/// Announced when a file has been checked: its counts, whether it is over the limit,
/// and (when no action type is chosen yet) the one it looks like.
pub fn checked(
    name: &str,
    rows: u64,
    errors: u64,
    warnings: u64,
    over_limit: bool,
    looks_like: Option<ActionType>,
) -> String {
    let mut message = format!(
        "Checked “{name}”: {}, {}, {}.",
        figures::count(rows, "row", "rows"),
        errors_count(errors),
        warnings_count(warnings)
    );
    if over_limit {
        message.push_str(" It is over the size limit; it can be compressed or split.");
    }
    if let Some(detected) = looks_like {
        message.push_str(&format!(" It looks like {}.", detected.label()));
    }
    message
}

/// `3 errors`, `1 error`.
pub fn errors_count(n: u64) -> String {
    figures::count(n, "error", "errors")
}

/// `3 warnings`, `1 warning`.
pub fn warnings_count(n: u64) -> String {
    figures::count(n, "warning", "warnings")
}

/// Announced when an oversized CSV has been compressed into a ZIP that fits.
pub fn compressed(name: &str, zip_name: &str, zip_size: u64, limit: u64) -> String {
    format!(
        "“{name}” compressed to {} as “{zip_name}”, within the limit of {}.",
        figures::bytes(zip_size),
        figures::bytes(limit)
    )
}

/// Announced when even the compressed file is over the limit.
pub fn still_too_big(name: &str, limit: u64) -> String {
    format!(
        "Even compressed, “{name}” is over the limit of {}; split it into several files instead.",
        figures::bytes(limit)
    )
}

/// Announced when an oversized CSV has been split into `parts` files.
pub fn split(name: &str, parts: usize, limit: u64) -> String {
    format!(
        "“{name}” was split into {parts} files, each within the limit of {}; each will be its own mass action.",
        figures::bytes(limit)
    )
}

/// Why Submit cannot be pressed now: the hint beside it.
impl Display for Blocker {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Blocker::NoFile => f.write_str("Choose a file first."),
            Blocker::Reading => f.write_str("Wait until the file has been checked."),
            Blocker::Refused => f.write_str("The file was refused; choose another one."),
            Blocker::NoActionType { detected: Some(d) } => write!(
                f,
                "Choose an action type; this file looks like “{}”.",
                d.label()
            ),
            Blocker::NoActionType { detected: None } => f.write_str("Choose an action type."),
            Blocker::Preparing => f.write_str("Wait until the file has been prepared."),
            Blocker::NotCheckedAsChosen => {
                f.write_str("Wait until the file has been checked for this action type.")
            }
            Blocker::Errors { count } => write!(
                f,
                "Fix the {} found in the file: here, with the repairs and edits above, or in the file, then choose it again.",
                errors_count(*count)
            ),
            Blocker::TooBig => {
                f.write_str("The file is over the size limit: compress or split it first.")
            }
            Blocker::PackTooBig => {
                f.write_str("Even compressed the file is over the size limit: split it first.")
            }
            Blocker::CannotFit(e) => e.fmt(f),
        }
    }
}

/// A step of making a file fit, beside its progress bar.
impl Display for FitStep {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FitStep::Compressing => "Compressing… ",
            FitStep::PlanningSplit => "Planning the split… ",
            FitStep::WritingParts => "Writing the parts… ",
        })
    }
}

/// What Submit will send: `names` is one file's quoted name or "N files".
pub fn sends(names: &str, action: ActionType) -> String {
    format!(
        "Sends {names} to Zuora as “{}” ({}).",
        action.label(),
        action.api_name()
    )
}

/// `N files`, for what Submit sends.
pub fn files_count(n: usize) -> String {
    format!("{n} files")
}

// The file summary.

pub const NO_FILE_YET: &str = "No file chosen yet.";
pub const CHECKING_AND_HASHING: &str = "Checking and computing MD5… ";
pub const NOTHING_WAS_SENT: &str = "Nothing was sent.";

/// The other files handed over at once, waiting their turn (`list`: their names).
pub fn waiting_files(count: usize, list: &str) -> String {
    format!(
        "{} waiting, checked one after another once this one is submitted: {list}. ",
        figures::count(count as u64, "more file", "more files"),
    )
}

// The panel for a file over the size limit.

/// What the panel says first about a file over the limit.
pub fn over_the_limit(size: u64, limit: u64) -> String {
    format!("This file is {}; Zuora takes at most {}. Compressing it into a .zip often makes it fit; otherwise it can be split into several files.", figures::bytes(size), figures::bytes(limit))
}

/// What the panel says when even the compressed file is over the limit.
pub fn over_the_limit_compressed(limit: u64) -> String {
    format!("Even compressed, this file is over the limit of {}. Split it into several files, each its own mass action; rows of one Group ID stay together.", figures::bytes(limit))
}

/// What the panel says of the ZIP that fits, up to its MD5 (which follows, then ".").
pub fn compressed_to(zip_size: u64, percent: u64) -> String {
    format!(
        " Compressed to {} ({percent}% of the original). This .zip is what will be sent; its MD5 is ",
        figures::bytes(zip_size)
    )
}

/// What the panel says before the list of parts.
pub fn split_into(count: usize) -> String {
    format!(" Split into {count} files, each within the limit. Each becomes its own mass action, sent in order:")
}

// Preflight's view.

/// The suggestion of the action type the header looks like; `chosen`: whether the user
/// chose another one.
pub fn looks_like(detected: ActionType, chosen: bool) -> String {
    let lead = if chosen {
        "The columns look more like"
    } else {
        "This file looks like"
    };
    format!("{lead} “{}” ({}). ", detected.label(), detected.api_name())
}

/// What the rows were checked as: `as_chosen` when that is the action type chosen.
pub fn checked_as(action: Option<ActionType>, as_chosen: bool) -> String {
    match (action, as_chosen) {
        (Some(a), true) => format!("{} ({})", a.label(), a.api_name()),
        (Some(a), false) => format!(
            "{} ({}), as suggested, until you choose",
            a.label(),
            a.api_name()
        ),
        (None, _) => "Not yet: choose an action type".to_owned(),
    }
}

/// What the header looks like, as the facts list says it.
pub fn detected(action: Option<ActionType>) -> String {
    action.map_or("No action type fits these columns".to_owned(), |d| {
        format!("{} ({})", d.label(), d.api_name())
    })
}

pub const NO_PROBLEMS: &str = "✓ No problems found";

/// The button that lists the findings past the first ones, or goes back to those.
pub fn list_findings(all_shown: bool, first: usize, more: u64) -> String {
    if all_shown {
        format!("List only the first {first}")
    } else {
        format!("List {} more", figures::grouped(more))
    }
}

/// Findings counted but not kept in full.
pub fn counted_not_listed(dropped: u64, kept: usize) -> String {
    format!(
        "{} more are counted but not listed; the list keeps the first {kept}. All of them, by kind:",
        figures::grouped(dropped)
    )
}

/// The preview's summary line.
pub fn preview_of(shown: usize, rows: u64) -> String {
    format!("Preview: first {shown} of {} rows", figures::grouped(rows))
}

/// Where a finding is, for its link: `row 7, “Start Date”`. `column`: the column's
/// name, or `None` when it has none.
pub fn place(row: Option<u64>, column: Option<(usize, Option<&str>)>) -> String {
    let column = column.map(|(index, name)| match name {
        Some(name) if !name.is_empty() => format!("“{name}”"),
        _ => format!("column {}", index + 1),
    });
    match (row, column) {
        (Some(1), Some(c)) => format!("the header of {c}"),
        (Some(1), None) => "the header".to_owned(),
        (Some(r), Some(c)) => format!("row {}, {c}", figures::grouped(r)),
        (Some(r), None) => format!("row {}", figures::grouped(r)),
        (None, Some(c)) => c,
        (None, None) => "the file".to_owned(),
    }
}

// The action type field.

pub const CHOOSE_AN_ACTION_TYPE: &str = "Choose an action type…";
pub const TEMPLATES_SAY: &str = "Each template has the columns Zuora documents for its action type, required ones first, and one example row that passes these checks.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_announcement_of_a_checked_file_gives_its_counts_and_what_it_needs() {
        assert_eq!(
            checked("fx.csv", 1200, 1, 0, true, Some(ActionType::ImportFxRate)),
            format!(
                "Checked “fx.csv”: 1,200 rows, 1 error, 0 warnings. It is over the size limit; it can be compressed or split. It looks like {}.",
                ActionType::ImportFxRate.label()
            )
        );
        assert_eq!(
            Blocker::Errors { count: 2 }.to_string(),
            "Fix the 2 errors found in the file: here, with the repairs and edits above, or in the file, then choose it again."
        );
    }

    #[test]
    fn places_name_the_row_and_the_column() {
        assert_eq!(
            place(Some(7), Some((2, Some("Start Date")))),
            "row 7, “Start Date”"
        );
        assert_eq!(
            place(Some(1), Some((0, Some("")))),
            "the header of column 1"
        );
        assert_eq!(place(None, None), "the file");
    }
}
