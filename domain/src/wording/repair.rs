//! What the repair says: the label of each offer (the name of its button, which begins
//! with "Fix" and says what it does and to how many cells), the question an ambiguous
//! column asks, the header proposals, the editor's field, and the summary of the
//! repaired file.

use super::quoted;
use crate::figures::{self, count};
use crate::repair::survey::{Question, RepairOffer};
use crate::repair::{
    ChangeReason, Closeness, DayMonth, DecimalMark, Decision, HeaderProposal, RepairKind, Repaired,
};

/// `: before → after`, or nothing without an example.
fn example(sample: Option<&(String, String)>) -> String {
    sample.map_or(String::new(), |(before, after)| {
        format!(": {} → {}", shown(before), shown(after))
    })
}

/// A value as an example shows it: quoted when spaces at its ends would not be seen.
fn shown(value: &str) -> String {
    if value.trim() != value || value.is_empty() {
        quoted(value)
    } else {
        value.to_owned()
    }
}

/// The button of an offer: "Fix 23 dates in “Payment Date”: 01/31/2026 → 2026-01-31".
pub fn offer_label(offer: &RepairOffer) -> String {
    let n = offer.count;
    let column = quoted(&offer.column_name);
    let sample = example(offer.sample.as_ref());
    match offer.kind {
        RepairKind::Dates => format!("Fix {} in {column}{sample}", count(n, "date", "dates")),
        RepairKind::Numbers => {
            format!("Fix {} in {column}{sample}", count(n, "number", "numbers"))
        }
        RepairKind::Enums => format!(
            "Fix the spelling of {} in {column}{sample}",
            count(n, "value", "values")
        ),
        RepairKind::Whitespace => format!(
            "Fix {} with spaces around them in {column}{sample}",
            count(n, "value", "values")
        ),
        RepairKind::BlankRows => format!(
            "Fix the end of the file: remove {}",
            count(n, "blank row", "blank rows")
        ),
        RepairKind::Encoding => format!(
            "Fix the encoding: read the file as Windows-1252 and save it as UTF-8 ({} change{sample})",
            count(n, "value", "values")
        ),
    }
}

/// The words of one answer.
fn answer_words(decision: Decision) -> &'static str {
    match decision {
        Decision::Order(DayMonth::MonthFirst) => "month first",
        Decision::Order(DayMonth::DayFirst) => "day first",
        Decision::Mark(DecimalMark::Point) => "decimal point",
        Decision::Mark(DecimalMark::Comma) => "decimal comma",
    }
}

/// The question of an offer that reads two ways.
pub fn question(offer: &RepairOffer, question: &Question) -> String {
    let column = quoted(&offer.column_name);
    let [(a, first), (b, second)] = &question.answers;
    let readings = format!(
        "{} is {first} with the {}, {second} with the {}",
        question.value,
        answer_words(*a),
        answer_words(*b)
    );
    match offer.kind {
        RepairKind::Numbers => format!(
            "The numbers in {column} read two ways ({readings}). Which decimal mark does the file use? Nothing is changed until you say."
        ),
        _ => format!(
            "The dates in {column} read two ways ({readings}). Which comes first in this file, the month or the day? Nothing is changed until you say."
        ),
    }
}

/// The button of one answer: "Fix 23 dates in “Payment Date”, month first: 01/02/2026 → 2026-01-02".
pub fn answer_label(offer: &RepairOffer, decision: Decision, after: &str, value: &str) -> String {
    let what = match offer.kind {
        RepairKind::Numbers => count(offer.count, "number", "numbers"),
        _ => count(offer.count, "date", "dates"),
    };
    format!(
        "Fix {what} in {}, {}: {} → {}",
        quoted(&offer.column_name),
        answer_words(decision),
        shown(value),
        shown(after)
    )
}

/// A header proposal, for the user to confirm.
pub fn proposal(p: &HeaderProposal) -> String {
    let found = quoted(&p.found);
    let expected = quoted(p.expected);
    if !p.missing {
        return format!("Column {found} is the column {expected} written differently; Zuora needs the exact spelling.");
    }
    let why = match p.closeness {
        Closeness::Spelling => "the same name but for case, spaces or punctuation",
        Closeness::Alias => "a name often used for it",
        Closeness::Similar => "a close spelling",
    };
    format!("The required column {expected} is missing. Column {found} may be it ({why}).")
}

/// The button that confirms a header proposal.
pub fn confirm_mapping(p: &HeaderProposal) -> String {
    format!(
        "Fix the header: use {} as {}",
        quoted(&p.found),
        quoted(p.expected)
    )
}

/// The accessible name of the editor of one cell.
pub fn editor_label(row: u64, column_name: &str) -> String {
    format!(
        "Row {}, column {}",
        figures::grouped(row),
        quoted(column_name)
    )
}

/// The list of values the encoding repair changes: what it shows.
pub fn recoded_list(values: u64, listed: usize) -> String {
    let all = count(values, "value changes", "values change");
    if listed as u64 >= values {
        format!("Read as Windows-1252, {all}, as listed.")
    } else {
        format!(
            "Read as Windows-1252, {all}; the first {} are listed.",
            figures::grouped(listed as u64)
        )
    }
}

/// The summary of the repaired file: its changes by reason, and its size.
pub fn summary(repaired: &Repaired) -> String {
    let by = |f: &dyn Fn(ChangeReason) -> bool| {
        repaired.changes.iter().filter(|c| f(c.reason)).count() as u64
    };
    let repairs = by(&|r| matches!(r, ChangeReason::Repair(k) if k != RepairKind::BlankRows));
    let edits = by(&|r| r == ChangeReason::Edit);
    let headers = by(&|r| r == ChangeReason::Header);
    let mut parts = Vec::new();
    if repairs > 0 {
        parts.push(count(repairs, "cell repaired", "cells repaired"));
    }
    if edits > 0 {
        parts.push(count(edits, "cell edited", "cells edited"));
    }
    if headers > 0 {
        parts.push(count(headers, "column renamed", "columns renamed"));
    }
    if repaired.rows_dropped > 0 {
        parts.push(count(
            repaired.rows_dropped,
            "blank row removed",
            "blank rows removed",
        ));
    }
    if parts.is_empty() {
        return "Nothing was changed: the repaired file is the original.".to_owned();
    }
    format!(
        "The repaired file ({}): {}. The original is unchanged.",
        figures::bytes(repaired.bytes_written),
        super::and_list(&parts)
    )
}

/// Edits that no cell took (see [`Repaired::edits_not_applied`]); none: nothing to say.
pub fn edits_not_applied(cells: &[(u64, usize)]) -> Option<String> {
    let (row, column) = *cells.first()?;
    let first = format!(
        "row {}, column {}",
        figures::grouped(row),
        figures::grouped(column as u64 + 1)
    );
    Some(match cells.len() {
        1 => format!("The edit of {first} was not applied: the file has no such cell, or the row is not UTF-8 (fix the encoding first)."),
        n => format!(
            "{} edits were not applied, the first at {first}: the file has no such cells, or their rows are not UTF-8 (fix the encoding first).",
            figures::grouped(n as u64)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::survey_bytes;
    use crate::ActionType;

    #[test]
    fn every_offer_button_begins_with_fix_and_says_what_it_does() {
        let file = b"Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate,Rate Set Name\n\
                     01/31/2026,usd,EUR,\" 1.5\",M\xfcller\n,,,,\n";
        let report = survey_bytes(Some(ActionType::ImportFxRate), &[], file, 8);
        let labels: Vec<String> = report.offers.iter().map(offer_label).collect();
        assert_eq!(
            labels,
            vec![
                "Fix the encoding: read the file as Windows-1252 and save it as UTF-8 (1 value change: M\u{fffd}ller → Müller)",
                "Fix 1 value with spaces around them in “Exchange Rate”: “ 1.5” → 1.5",
                "Fix 1 date in “Provider Exchange Rate Date”: 01/31/2026 → 2026-01-31",
                "Fix the spelling of 1 value in “Currency (From)”: usd → USD",
                "Fix the end of the file: remove 1 blank row",
            ]
        );
    }

    #[test]
    fn the_summary_counts_changes_by_reason_and_says_the_original_is_kept() {
        use crate::repair::{Change, ChangeReason, RepairKind};
        let change = |reason| Change {
            row: 2,
            column: Some(0),
            before: String::new(),
            after: String::new(),
            reason,
        };
        let mut repaired = Repaired {
            changes: vec![
                change(ChangeReason::Repair(RepairKind::Dates)),
                change(ChangeReason::Repair(RepairKind::Numbers)),
                change(ChangeReason::Edit),
                change(ChangeReason::Header),
            ],
            header: Vec::new(),
            bytes_written: 2048,
            rows_dropped: 2,
            edits_not_applied: Vec::new(),
        };
        assert_eq!(
            summary(&repaired),
            format!(
                "The repaired file ({}): 2 cells repaired, 1 cell edited, 1 column renamed and 2 blank rows removed. The original is unchanged.",
                figures::bytes(2048)
            )
        );
        repaired.changes.clear();
        repaired.rows_dropped = 0;
        assert_eq!(
            summary(&repaired),
            "Nothing was changed: the repaired file is the original."
        );
    }

    #[test]
    fn edits_not_applied_are_named() {
        assert_eq!(edits_not_applied(&[]), None);
        assert_eq!(
            edits_not_applied(&[(12, 0)]).as_deref(),
            Some("The edit of row 12, column 1 was not applied: the file has no such cell, or the row is not UTF-8 (fix the encoding first).")
        );
        assert!(edits_not_applied(&[(2, 9), (7, 0)]).is_some_and(
            |s| s.starts_with("2 edits were not applied, the first at row 2, column 10")
        ));
    }

    #[test]
    fn an_ambiguous_column_asks_with_both_readings() {
        let file = b"Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\n01/02/2026,USD,EUR,1\n";
        let report = survey_bytes(Some(ActionType::ImportFxRate), &[], file, 8);
        let offer = &report.offers[0];
        let q = offer.question.as_ref().expect("a question");
        assert_eq!(
            question(offer, q),
            "The dates in “Provider Exchange Rate Date” read two ways (01/02/2026 is 2026-01-02 with the month first, 2026-02-01 with the day first). Which comes first in this file, the month or the day? Nothing is changed until you say."
        );
        let (decision, after) = &q.answers[1];
        assert_eq!(
            answer_label(offer, *decision, after, &q.value),
            "Fix 1 date in “Provider Exchange Rate Date”, day first: 01/02/2026 → 2026-02-01"
        );
    }
}
