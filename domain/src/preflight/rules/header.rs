//! Matching a file's header to the column specs of one action type: which spec each
//! column carries (exactly, or written in another case or spacing), which columns no
//! spec names, and which required columns are missing. What it reports is listed at
//! [`super::RowRules::new`], which starts with it.

use super::columns::{
    columns, custom_field_prefix, is_complete, is_informational, loose, ColumnSpec, Need, GROUP_ID,
};
use crate::preflight::finding::{Finding, Findings};
use crate::wording::findings as wording;
use crate::ActionType;

// The codes of the findings raised here.
const HEADER_MISMATCH: &str = "header-mismatch";
const UNKNOWN_COLUMN: &str = "unknown-column";
/// Also raised by the row rules, for a column that one of them needs.
pub(super) const MISSING_COLUMN: &str = "missing-column";

/// Where the columns of one action type's specs are in one file's header.
pub(super) struct HeaderColumns {
    specs: &'static [ColumnSpec],
    /// For each spec, the index of the first column that carries its header.
    found: Vec<Option<usize>>,
}

impl HeaderColumns {
    /// Matches `header` to the specs of `action` and reports what does not fit.
    pub(super) fn find(
        action: ActionType,
        header: &[&str],
        findings: &mut Findings,
    ) -> HeaderColumns {
        let specs = columns(action);
        let prefix = custom_field_prefix(action);
        let mut columns = HeaderColumns {
            specs,
            found: vec![None; specs.len()],
        };
        for index in columns.match_exactly(header, prefix) {
            let name = header.get(index).copied().unwrap_or_default();
            columns.match_loosely(action, prefix, index, name, findings);
        }
        columns.report_missing(action, findings);
        columns
    }

    /// Takes each column headed exactly as a spec is; returns the indexes of the
    /// others, but for notes (`#…`) and custom fields (headed with `prefix`).
    fn match_exactly(&mut self, header: &[&str], prefix: Option<&str>) -> Vec<usize> {
        let mut inexact = Vec::new();
        for (index, name) in header.iter().enumerate() {
            if is_informational(name) {
                continue;
            }
            if let Some(s) = self.specs.iter().position(|c| c.header == *name) {
                self.take(s, index);
            } else if !prefix.is_some_and(|p| name.len() > p.len() && name.starts_with(p)) {
                inexact.push(index);
            }
        }
        inexact
    }

    /// A column not headed exactly as any spec: a spec's header or a custom field
    /// written in another case or spacing (the spec's values are still checked), or a
    /// column no spec names.
    fn match_loosely(
        &mut self,
        action: ActionType,
        prefix: Option<&str>,
        index: usize,
        name: &str,
        findings: &mut Findings,
    ) {
        let name_loose = loose(name);
        if let Some(s) = self
            .specs
            .iter()
            .position(|c| loose(c.header) == name_loose)
        {
            let expected = self.specs.get(s).map_or("", |c| c.header);
            findings.push(header_mismatch(index, name, expected));
            self.take(s, index);
        } else if let Some(p) = prefix.filter(|p| {
            let p = loose(p);
            name_loose.len() > p.len() && name_loose.starts_with(&p)
        }) {
            let field = name.split_once(':').map_or("", |(_, f)| f.trim_start());
            let expected = format!("{p}{field}");
            findings.push(header_mismatch(index, name, &expected));
        } else {
            findings.push(unknown_column(action, index, name));
        }
    }

    fn report_missing(&self, action: ActionType, findings: &mut Findings) {
        for (spec, index) in self.specs.iter().zip(&self.found) {
            if spec.need == Need::Required && index.is_none() {
                let message = wording::missing_column(action, spec.header);
                findings.push(Finding::error(MISSING_COLUMN, message).at_row(1));
            }
        }
    }

    /// Spec `spec` is in column `index`, unless an earlier column already carries it.
    fn take(&mut self, spec: usize, index: usize) {
        if let Some(slot) = self.found.get_mut(spec) {
            slot.get_or_insert(index);
        }
    }

    /// The index of the column that carries the spec headed `header`, if any does.
    pub(super) fn index_of(&self, header: &str) -> Option<usize> {
        self.specs
            .iter()
            .position(|c| c.header == header)
            .and_then(|s| self.found.get(s).copied().flatten())
    }

    /// Every spec the header carries, with its column's index, in the specs' order.
    pub(super) fn found(&self) -> impl Iterator<Item = (&'static ColumnSpec, usize)> + '_ {
        self.specs
            .iter()
            .zip(&self.found)
            .filter_map(|(spec, index)| index.map(|index| (spec, index)))
    }
}

/// A known column written in another case or spacing.
fn header_mismatch(index: usize, found: &str, expected: &str) -> Finding {
    let message = wording::header_mismatch(index, found, expected);
    Finding::error(HEADER_MISMATCH, message).at_cell(1, index, found)
}

/// A column none of `action`'s specs names: a warning, also for complete tables,
/// because the reference (§4) does not say what Zuora does with one.
fn unknown_column(action: ActionType, index: usize, name: &str) -> Finding {
    let message = if action == ActionType::Mpu && loose(name) == loose(GROUP_ID) {
        wording::group_id_not_documented(action, index, name)
    } else if is_complete(action) {
        wording::unknown_column_of_complete_table(action, index, name)
    } else {
        wording::unknown_column_of_partial_table(action, index, name)
    };
    Finding::warning(UNKNOWN_COLUMN, message).at_cell(1, index, name)
}

#[cfg(test)]
mod tests {
    use crate::preflight::finding::Severity;
    use crate::preflight::rules::rows::tests::{only, placed, run, MPU};
    use crate::ActionType;

    #[test]
    fn a_header_in_another_case_is_an_error_naming_the_exact_header() {
        let findings = run(
            ActionType::UpdateAccountingCode,
            &["Group ID", "Object Type", "object key"],
            &[&["1", "Invoice Item", "INV1"]],
        );
        let f = only(&findings);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("header-mismatch", Severity::Error, Some(1), Some(2))
        );
        assert_eq!(
            f.message,
            "Column 3 is headed “object key”; Zuora expects “Object Key”."
        );
        assert_eq!(f.value.as_deref(), Some("object key"));
    }

    #[test]
    fn values_under_a_misspelt_header_are_still_checked() {
        let findings = run(
            ActionType::ImportFxRate,
            &[
                "Provider Exchange Rate Date",
                "Currency(From)",
                "Currency (To)",
                "Exchange  Rate",
            ],
            &[&["2016-02-16", "USD", "CNY", "1,5"]],
        );
        assert_eq!(
            placed(&findings),
            [
                ("header-mismatch", Severity::Error, Some(1), Some(1)),
                ("header-mismatch", Severity::Error, Some(1), Some(3)),
                ("bad-decimal", Severity::Error, Some(2), Some(3)),
            ]
        );
    }

    #[test]
    fn a_missing_required_column_is_an_error() {
        let findings = run(
            ActionType::UpdateAccountingCode,
            &["Object Key"],
            &[&["INV1"]],
        );
        let f = only(&findings);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("missing-column", Severity::Error, Some(1), None)
        );
        assert_eq!(
            f.message,
            "The file has no “Object Type” column, which “Update accounting codes” (UpdateAccountingCode) requires."
        );
    }

    #[test]
    fn unknown_columns_are_warnings_for_complete_and_incomplete_tables() {
        let findings = run(
            ActionType::DeleteRevenueSchedule,
            &["Revenue Schedule Number", "Reason"],
            &[&["RS-1", "x"]],
        );
        let f = only(&findings);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("unknown-column", Severity::Warning, Some(1), Some(1))
        );
        assert!(
            f.message
                .contains("remove it, or start its header with “#”"),
            "{}",
            f.message
        );

        let findings = run(ActionType::Mpu, &[MPU, &["Reference"]].concat(), &[]);
        let f = only(&findings);
        assert_eq!((f.code, f.column), ("unknown-column", Some(7)));
        assert!(
            f.message.contains("Zuora's list is longer than ours"),
            "{}",
            f.message
        );

        let findings = run(
            ActionType::DeleteRevenueSchedule,
            &["Revenue Schedule Number", ""],
            &[],
        );
        assert!(only(&findings)
            .message
            .starts_with("Column 2 has no header"));
    }

    #[test]
    fn group_id_in_an_mpu_file_is_a_warning_that_says_why() {
        let findings = run(ActionType::Mpu, &[MPU, &["Group ID"]].concat(), &[]);
        let f = only(&findings);
        assert_eq!(
            (f.code, f.severity, f.column),
            ("unknown-column", Severity::Warning, Some(7))
        );
        assert!(f
            .message
            .contains("do not say whether MPU takes a Group ID"));
    }

    #[test]
    fn note_columns_are_never_checked() {
        let findings = run(
            ActionType::DeleteRevenueSchedule,
            &["#Note", "Revenue Schedule Number", "#Group ID", "#"],
            &[&["anything, at all", "RS-1", "not a group", ""]],
        );
        assert!(findings.is_empty(), "{:#?}", findings.kept());
    }

    #[test]
    fn custom_field_columns_are_accepted_on_update_revenue_schedules_only() {
        let header = ["Revenue Schedule Number", "Revenue Schedule:Region"];
        assert!(run(
            ActionType::UpdateRevenueSchedule,
            &header,
            &[&["RS-1", "EMEA"]]
        )
        .is_empty());
        let findings = run(ActionType::DeleteRevenueSchedule, &header, &[]);
        assert_eq!(only(&findings).code, "unknown-column");

        let findings = run(
            ActionType::UpdateRevenueSchedule,
            &["Revenue Schedule Number", "revenue schedule: Region"],
            &[],
        );
        let f = only(&findings);
        assert_eq!((f.code, f.column), ("header-mismatch", Some(1)));
        assert_eq!(
            f.message,
            "Column 2 is headed “revenue schedule: Region”; Zuora expects “Revenue Schedule:Region”."
        );
    }
}
