//! Headers that almost match: for each required column the header lacks, the file's
//! closest unmatched column (the same name but for case, spacing or punctuation, a
//! name the column is known by, or a close spelling); and each known column written
//! in another case or spacing, to be renamed to the exact spelling. These are only
//! proposals: a mapping applies once the user confirms it ([`super::RepairPlan::map_header`]).

use crate::preflight::rules::rows::known_columns;
use crate::preflight::{columns, Need};
use crate::ActionType;

/// Why a column is proposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closeness {
    /// The same letters and digits; only case, spacing or punctuation differ.
    Spelling,
    /// A name the column is known by elsewhere (`Rate` for `Exchange Rate`).
    Alias,
    /// A close spelling (a letter or two apart).
    Similar,
}

/// Column `column`, headed `found`, proposed as the column headed `expected`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderProposal {
    /// The spec's header: a required column the header lacks (`missing`), or a known
    /// column written in another case or spacing.
    pub expected: &'static str,
    pub missing: bool,
    pub column: usize,
    pub found: String,
    pub closeness: Closeness,
}

/// Other names of required columns, as exports of other systems head them.
const ALIASES: &[(&str, &[&str])] = &[
    ("Exchange Rate", &["Rate", "FX Rate", "Conversion Rate"]),
    (
        "Currency (From)",
        &["From Currency", "Source Currency", "Base Currency", "From"],
    ),
    (
        "Currency (To)",
        &["To Currency", "Target Currency", "Quote Currency", "To"],
    ),
    (
        "Provider Exchange Rate Date",
        &["Rate Date", "Exchange Rate Date", "Effective Date", "Date"],
    ),
    (
        "Payment Date",
        &["Date", "Paid Date", "Payment Effective Date"],
    ),
    ("Payment Amount", &["Amount", "Paid Amount"]),
    ("Payment Method ID", &["Payment Method", "Method ID"]),
    ("Currency", &["Currency Code"]),
    (
        "Revenue Schedule Number",
        &["Revenue Schedule", "Schedule Number", "RS Number"],
    ),
    ("Object Key", &["Key", "Object ID"]),
    ("Object Type", &["Type"]),
];

/// Least Jaro-Winkler similarity for a close spelling.
const SIMILAR: f64 = 0.9;

/// What the header of a file checked as `action` could become.
pub fn propose(action: ActionType, header: &[&str]) -> Vec<HeaderProposal> {
    let known = known_columns(action, header);
    let mut proposals: Vec<HeaderProposal> = known
        .iter()
        .filter_map(|&(index, spec)| {
            let found = *header.get(index)?;
            (found != spec.header).then(|| HeaderProposal {
                expected: spec.header,
                missing: false,
                column: index,
                found: found.to_owned(),
                closeness: Closeness::Spelling,
            })
        })
        .collect();
    let mut free: Vec<usize> = (0..header.len())
        .filter(|i| known.iter().all(|(k, _)| k != i))
        .filter(|&i| {
            header
                .get(i)
                .is_some_and(|h| !h.trim().is_empty() && !h.starts_with('#'))
        })
        .collect();
    for spec in columns(action) {
        let missing =
            spec.need == Need::Required && known.iter().all(|(_, s)| s.header != spec.header);
        if !missing {
            continue;
        }
        let best = free
            .iter()
            .enumerate()
            .filter_map(|(at, &i)| Some((at, i, closeness(spec.header, header.get(i)?)?)))
            .min_by_key(|&(_, _, c)| c as u8);
        if let Some((at, column, closeness)) = best {
            free.remove(at);
            proposals.push(HeaderProposal {
                expected: spec.header,
                missing: true,
                column,
                found: header.get(column).copied().unwrap_or_default().to_owned(),
                closeness,
            });
        }
    }
    crate::order::sort_by_number(&mut proposals, |p| p.column as u64);
    proposals
}

/// How close `found` is to `expected`, if close enough to propose.
fn closeness(expected: &str, found: &str) -> Option<Closeness> {
    let (e, f) = (letters(expected), letters(found));
    if f.is_empty() {
        return None;
    }
    if e == f {
        return Some(Closeness::Spelling);
    }
    let aliases = ALIASES
        .iter()
        .find(|(h, _)| *h == expected)
        .map_or(&[][..], |(_, a)| a);
    if aliases.iter().any(|a| letters(a) == f) {
        return Some(Closeness::Alias);
    }
    (strsim::jaro_winkler(&e, &f) >= SIMILAR).then_some(Closeness::Similar)
}

/// ASCII letters and digits only, in small letters: every name it is compared with
/// (the specs' headers, the aliases) is ASCII, and Unicode's case and letter tables
/// would add tens of KB to the wasm.
fn letters(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposed(action: ActionType, header: &[&str]) -> Vec<(&'static str, usize, Closeness)> {
        propose(action, header)
            .into_iter()
            .map(|p| (p.expected, p.column, p.closeness))
            .collect()
    }

    #[test]
    fn missing_columns_get_the_closest_unmatched_one() {
        let header = [
            "Provider Exchange Rate Date",
            "Currency-From",
            "to currency",
            "Rate",
            "Notes",
        ];
        assert_eq!(
            proposed(ActionType::ImportFxRate, &header),
            vec![
                ("Currency (From)", 1, Closeness::Spelling),
                ("Currency (To)", 2, Closeness::Alias),
                ("Exchange Rate", 3, Closeness::Alias),
            ]
        );
    }

    #[test]
    fn close_spellings_are_proposed_and_far_ones_are_not() {
        let header = ["Revenue Schedul Numbr"];
        assert_eq!(
            proposed(ActionType::DeleteRevenueSchedule, &header),
            vec![("Revenue Schedule Number", 0, Closeness::Similar)]
        );
        assert_eq!(
            proposed(ActionType::DeleteRevenueSchedule, &["Customer"]),
            vec![]
        );
        // Notes and blank names are never proposed.
        assert_eq!(
            proposed(
                ActionType::DeleteRevenueSchedule,
                &["#Revenue Schedule Number", ""]
            ),
            vec![]
        );
    }

    #[test]
    fn known_columns_in_another_case_are_renamed_and_nothing_else() {
        let header = ["revenue schedule number", "Group ID"];
        assert_eq!(
            proposed(ActionType::DeleteRevenueSchedule, &header),
            vec![("Revenue Schedule Number", 0, Closeness::Spelling)]
        );
        assert_eq!(
            proposed(
                ActionType::DeleteRevenueSchedule,
                &["Revenue Schedule Number"]
            ),
            vec![]
        );
    }
}
