//! The checks of one action type, fitted to one file's header (matched in
//! [`super::header`]): what each cell must look like, the rules that join cells of a
//! row, and whether the rows of each `Group ID` stay together. The sentences of these
//! findings are written in [`crate::wording::findings`].

use super::columns::{
    ColumnSpec, Need, ValueKind, BILLING_ACCOUNT_ID, GROUP_ID, LINKED_TRANSACTION_KEY,
    NO_DEFERRED_CODE_OBJECT_TYPES, PAYMENT_INVOICE, SUBSCRIPTION_CHARGE_KEY,
};
use super::header::{HeaderColumns, MISSING_COLUMN};
use super::values::{self, value_problem};
use crate::preflight::finding::{Finding, Findings, Severity};
use crate::wording::findings as wording;
use crate::ActionType;
use std::collections::HashSet;
use std::hash::Hasher;

/// How many split groups are reported row by row; the rest are counted in one summary,
/// so a badly sorted file cannot crowd other findings out of the kept list.
pub const SPLIT_GROUP_DETAILS: u64 = 10;

// The codes of the findings raised here (those of a bad value are `ValueProblem::kind`'s).
const MISSING_VALUE: &str = "missing-value";
const PADDED_VALUE: &str = "padded-value";
const MISSING_KEY: &str = "missing-charge-or-transaction-key";
const INVOICE_WITHOUT_ACCOUNT: &str = "invoice-without-account";
const DEFERRED_CODE_NOT_APPLICABLE: &str = "deferred-code-not-applicable";
const SPLIT_GROUP: &str = "split-group";
const SPLIT_GROUP_SUMMARY: &str = "split-group-summary";

/// The checks of one action type, prepared for one file's header.
#[derive(Clone, Debug)]
pub struct RowRules {
    action: ActionType,
    cells: Vec<Cell>,
    rules: Vec<RowRule>,
    groups: Option<GroupOrder>,
    finished: bool,
}

/// A known column found in the file.
#[derive(Clone, Copy, Debug)]
struct Cell {
    index: usize,
    spec: &'static ColumnSpec,
}

/// A rule that joins cells of one row (reference §5).
#[derive(Clone, Copy, Debug)]
enum RowRule {
    /// Create revenue schedules: `Subscription Charge Key` is required when `Linked
    /// Transaction Key` is not given (§5.2). At least one of the two columns is present.
    ChargeOrTransactionKey {
        charge: Option<usize>,
        transaction: Option<usize>,
    },
    /// MPU: a blank `Billing Account ID` means an unassigned payment, so `Payment
    /// Invoice` must be blank too (§5.6). An absent account column counts as blank.
    InvoiceNeedsAccount {
        account: Option<usize>,
        invoice: usize,
    },
    /// Update accounting codes: the oldest page lists the object types that take a
    /// `Deferred Revenue Accounting Code` (§5.1). The current list is cut, so another
    /// object type from the oldest list only draws a warning, and types that list does
    /// not name are left alone.
    DeferredCodeApplies { object_type: usize, deferred: usize },
}

/// Whether each `Group ID` occupies one run of consecutive rows.
///
/// Memory stays bounded by the number of distinct groups, not rows: we keep a 64-bit
/// hash of every group that has ended, never the text. The trade-off: two different
/// Group IDs with the same hash would be taken for one, so a split could be reported
/// wrongly; with SipHash over a million groups the chance is about 1 in 30 million.
/// A million distinct groups cost roughly 16 MB here.
#[derive(Clone, Debug)]
struct GroupOrder {
    index: usize,
    current: Option<u64>,
    ended: HashSet<u64>,
    split: HashSet<u64>,
}

impl RowRules {
    /// Matches the file's header to the specs of `action` and reports what does not fit.
    ///
    /// - A required column that is absent: error `missing-column`.
    /// - A known column written in another case or spacing: error `header-mismatch`
    ///   (its values are still checked).
    /// - A column no table knows: warning `unknown-column`, also for complete tables,
    ///   because the reference (§4) does not say what Zuora does with one.
    /// - Columns headed `#…` are notes: always allowed, never checked.
    /// - A second column with the same exact header is the scanner's to report; only
    ///   the first is checked.
    /// - Create revenue schedules without either of its key columns: error
    ///   `missing-column`.
    pub fn new(action: ActionType, header: &[&str], findings: &mut Findings) -> RowRules {
        let columns = HeaderColumns::find(action, header, findings);
        let rules = RowRule::fitted(action, &columns, findings);
        let groups = columns.index_of(GROUP_ID).map(GroupOrder::new);
        let mut cells: Vec<Cell> = columns
            .found()
            .map(|(spec, index)| Cell { index, spec })
            .collect();
        crate::order::sort_by_number(&mut cells, |c| c.index as u64);
        RowRules {
            action,
            cells,
            rules,
            groups,
            finished: false,
        }
    }

    /// The action type these rules check.
    pub fn action(&self) -> ActionType {
        self.action
    }

    /// Checks one data row. `row` is the spreadsheet row number (header = 1). A field
    /// beyond the end of `fields` counts as blank.
    pub fn check(&mut self, row: u64, fields: &[&str], findings: &mut Findings) {
        for cell in &self.cells {
            cell.check(row, field(fields, cell.index), findings);
        }
        for rule in &self.rules {
            rule.check(row, fields, findings);
        }
        if let Some(groups) = &mut self.groups {
            groups.check(row, field(fields, groups.index), findings);
        }
    }

    /// After the last row: one summary of the split groups not reported row by row.
    /// Calling it again adds nothing.
    pub fn finish(&mut self, findings: &mut Findings) {
        if std::mem::replace(&mut self.finished, true) {
            return;
        }
        if let Some(groups) = &self.groups {
            groups.summarise(findings);
        }
    }
}

/// The field at `index`, blank beyond the end of the row. Inlined because it runs for
/// every cell and is smaller than a call.
#[inline(always)]
fn field<'a>(fields: &[&'a str], index: usize) -> &'a str {
    fields.get(index).copied().unwrap_or_default()
}

impl Cell {
    /// A blank value in a required column, a value padded with spaces, or one that
    /// does not take its column's form.
    fn check(&self, row: u64, value: &str, findings: &mut Findings) {
        let Cell { index, spec } = *self;
        match cell_problem(spec, value) {
            None => {}
            Some(CellProblem::Missing) => {
                findings.push_with(Severity::Error, MISSING_VALUE, || {
                    let message = wording::missing_value(row, spec.header, spec.example);
                    Finding::error(MISSING_VALUE, message).at_cell(row, index, value)
                });
            }
            Some(CellProblem::Padded) => {
                findings.push_with(Severity::Error, PADDED_VALUE, || {
                    let message = wording::padded_value(row, spec.header, value);
                    Finding::error(PADDED_VALUE, message).at_cell(row, index, value)
                });
            }
            Some(CellProblem::Value(problem)) => {
                let (severity, code) = problem.kind();
                findings.push_with(severity, code, || {
                    let message =
                        wording::bad_value(row, spec.header, spec.example, value, problem);
                    Finding::new(severity, code, message).at_cell(row, index, value)
                });
            }
        }
    }
}

/// What the row checks find in one cell of a known column, before any sentence is
/// written. The repairs re-check a cell through this very function, so they touch only
/// cells that carry a finding of their kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CellProblem {
    /// Blank in a required column (`missing-value`).
    Missing,
    /// Right once the surrounding whitespace is gone (`padded-value`).
    Padded,
    /// Any other value problem, with its own code.
    Value(values::ValueProblem),
}

pub(crate) fn cell_problem(spec: &ColumnSpec, value: &str) -> Option<CellProblem> {
    if values::is_blank(value) {
        return (spec.need == Need::Required).then_some(CellProblem::Missing);
    }
    let problem = value_problem(spec.kind, value)?;
    let trimmed = value.trim();
    let padded = !matches!(spec.kind, ValueKind::Text { .. } | ValueKind::AnyText)
        && trimmed != value
        && value_problem(spec.kind, trimmed).is_none();
    Some(if padded {
        CellProblem::Padded
    } else {
        CellProblem::Value(problem)
    })
}

/// The known columns of `action` that `header` carries, as `(index, spec)` sorted by
/// index: the cells the row checks look at, matched as they match them.
pub(crate) fn known_columns(
    action: ActionType,
    header: &[&str],
) -> Vec<(usize, &'static ColumnSpec)> {
    let columns = HeaderColumns::find(action, header, &mut Findings::with_cap(0));
    let mut found: Vec<_> = columns.found().map(|(spec, index)| (index, spec)).collect();
    crate::order::sort_by_number(&mut found, |(index, _)| *index as u64);
    found
}

impl RowRule {
    /// The rules of `action` that the file's columns allow. Reports a file of Create
    /// revenue schedules with neither of its key columns, which no row can fix.
    fn fitted(
        action: ActionType,
        columns: &HeaderColumns,
        findings: &mut Findings,
    ) -> Vec<RowRule> {
        let at = |header: &str| columns.index_of(header);
        let mut rules = Vec::new();
        match action {
            ActionType::CreateRevenueSchedule => {
                let charge = at(SUBSCRIPTION_CHARGE_KEY);
                let transaction = at(LINKED_TRANSACTION_KEY);
                if charge.is_none() && transaction.is_none() {
                    let message = wording::missing_key_columns(action);
                    findings.push(Finding::error(MISSING_COLUMN, message).at_row(1));
                } else {
                    rules.push(RowRule::ChargeOrTransactionKey {
                        charge,
                        transaction,
                    });
                }
            }
            ActionType::Mpu => {
                if let Some(invoice) = at(PAYMENT_INVOICE) {
                    rules.push(RowRule::InvoiceNeedsAccount {
                        account: at(BILLING_ACCOUNT_ID),
                        invoice,
                    });
                }
            }
            ActionType::UpdateAccountingCode => {
                if let (Some(object_type), Some(deferred)) =
                    (at("Object Type"), at("Deferred Revenue Accounting Code"))
                {
                    rules.push(RowRule::DeferredCodeApplies {
                        object_type,
                        deferred,
                    });
                }
            }
            _ => {}
        }
        rules
    }

    fn check(&self, row: u64, fields: &[&str], findings: &mut Findings) {
        match *self {
            RowRule::ChargeOrTransactionKey {
                charge,
                transaction,
            } => {
                let given =
                    |c: Option<usize>| c.is_some_and(|i| !values::is_blank(field(fields, i)));
                if !given(charge) && !given(transaction) {
                    let column = charge.or(transaction);
                    findings.push_with(Severity::Error, MISSING_KEY, || {
                        let finding = Finding::error(MISSING_KEY, wording::missing_key(row))
                            .at_row(row)
                            .with_value("");
                        match column {
                            Some(c) => finding.at_column(c),
                            None => finding,
                        }
                    });
                }
            }
            RowRule::InvoiceNeedsAccount { account, invoice } => {
                let account_blank = account.is_none_or(|i| values::is_blank(field(fields, i)));
                let value = field(fields, invoice);
                if account_blank && !values::is_blank(value) {
                    findings.push_with(Severity::Error, INVOICE_WITHOUT_ACCOUNT, || {
                        let message = wording::invoice_without_account(row);
                        Finding::error(INVOICE_WITHOUT_ACCOUNT, message)
                            .at_cell(row, invoice, value)
                    });
                }
            }
            RowRule::DeferredCodeApplies {
                object_type,
                deferred,
            } => {
                let kind = field(fields, object_type);
                let code = field(fields, deferred);
                if !values::is_blank(code) && NO_DEFERRED_CODE_OBJECT_TYPES.contains(&kind) {
                    findings.push_with(Severity::Warning, DEFERRED_CODE_NOT_APPLICABLE, || {
                        let message = wording::deferred_code_not_applicable(row, kind);
                        Finding::warning(DEFERRED_CODE_NOT_APPLICABLE, message)
                            .at_cell(row, deferred, code)
                    });
                }
            }
        }
    }
}

impl GroupOrder {
    fn new(index: usize) -> GroupOrder {
        GroupOrder {
            index,
            current: None,
            ended: HashSet::new(),
            split: HashSet::new(),
        }
    }

    /// Follows the group of one row (its `Group ID` is `value`); reports a group that
    /// comes back after other rows, the first [`SPLIT_GROUP_DETAILS`] of them by row.
    fn check(&mut self, row: u64, value: &str, findings: &mut Findings) {
        if values::is_blank(value) {
            // A row without a group is one of the "other rows" that split a group.
            if let Some(ended) = self.current.take() {
                self.ended.insert(ended);
            }
            return;
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        hasher.write(value.as_bytes());
        let id = hasher.finish();
        if self.current == Some(id) {
            return;
        }
        if let Some(ended) = self.current.replace(id) {
            self.ended.insert(ended);
        }
        if self.ended.contains(&id)
            && self.split.insert(id)
            && self.split.len() as u64 <= SPLIT_GROUP_DETAILS
        {
            let message = wording::split_group(row, value);
            findings.push(Finding::warning(SPLIT_GROUP, message).at_cell(row, self.index, value));
        }
    }

    /// One summary of the split groups not reported row by row, if there are any.
    fn summarise(&self, findings: &mut Findings) {
        let split = self.split.len() as u64;
        if split > SPLIT_GROUP_DETAILS {
            let message = wording::split_groups_summary(split, SPLIT_GROUP_DETAILS);
            findings.push(Finding::warning(SPLIT_GROUP_SUMMARY, message).at_column(self.index));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::preflight::finding::Severity;
    use crate::preflight::rules::columns::{columns, template_csv};
    use proptest::prelude::*;

    /// Runs `rows` (first one is spreadsheet row 2) and `finish`.
    pub(crate) fn run(action: ActionType, header: &[&str], rows: &[&[&str]]) -> Findings {
        let mut findings = Findings::with_cap(10_000);
        let mut rules = RowRules::new(action, header, &mut findings);
        for (i, fields) in rows.iter().enumerate() {
            rules.check(i as u64 + 2, fields, &mut findings);
        }
        rules.finish(&mut findings);
        findings
    }

    /// `(code, severity, row, column)` of every finding.
    pub(crate) fn placed(
        findings: &Findings,
    ) -> Vec<(&'static str, Severity, Option<u64>, Option<usize>)> {
        findings
            .kept()
            .iter()
            .map(|f| (f.code, f.severity, f.row, f.column))
            .collect()
    }

    pub(crate) fn only(findings: &Findings) -> &Finding {
        assert_eq!(findings.kept().len(), 1, "{:#?}", findings.kept());
        &findings.kept()[0]
    }

    fn template(action: ActionType) -> (Vec<String>, Vec<String>) {
        let csv = template_csv(action);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        let mut records = reader.records().map(|r| {
            r.unwrap()
                .iter()
                .map(str::to_owned)
                .collect::<Vec<String>>()
        });
        let header = records.next().unwrap();
        let example = records.next().unwrap();
        assert!(records.next().is_none());
        (header, example)
    }

    const FX: &[&str] = &[
        "Provider Exchange Rate Date",
        "Currency (From)",
        "Currency (To)",
        "Exchange Rate",
    ];

    /// One ImportFXRate row with `value` in `column` and the template's values elsewhere.
    fn fx_with(column: usize, value: &str) -> Findings {
        let mut fields = ["2016-02-16", "USD", "CNY", "6.5432"];
        fields[column] = value;
        run(ActionType::ImportFxRate, FX, &[&fields])
    }

    pub(crate) const MPU: &[&str] = &[
        "Billing Account ID",
        "Payment Invoice",
        "Payment Amount",
        "Currency",
        "Payment Date",
        "Payment Method ID",
        "Payment Type",
    ];

    fn mpu_row(account: &str, invoice: &str) -> [&'static str; 7] {
        // Leaked only in tests, to give the row a 'static lifetime cheaply.
        let account: &'static str = Box::leak(account.to_owned().into_boxed_str());
        let invoice: &'static str = Box::leak(invoice.to_owned().into_boxed_str());
        [
            account,
            invoice,
            "100.00",
            "USD",
            "2026-02-16",
            "PM1",
            "External",
        ]
    }

    #[test]
    fn every_template_passes_its_own_rules() {
        for action in ActionType::ALL {
            let (header, example) = template(action);
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let example: Vec<&str> = example.iter().map(String::as_str).collect();
            let findings = run(action, &header, &[&example]);
            assert!(findings.is_empty(), "{action}: {:#?}", findings.kept());
        }
    }

    #[test]
    fn create_revenue_schedules_needs_one_of_the_two_key_columns() {
        let findings = run(ActionType::CreateRevenueSchedule, &["Group ID"], &[&["1"]]);
        assert_eq!(
            placed(&findings),
            [("missing-column", Severity::Error, Some(1), None)]
        );
        let findings = run(
            ActionType::CreateRevenueSchedule,
            &["Linked Transaction Key"],
            &[&["X1"]],
        );
        assert!(findings.is_empty());
    }

    #[test]
    #[ignore = "timing, run by hand: cargo test --release -- --ignored"]
    fn a_million_rows_check_quickly() {
        let (header, example) = template(ActionType::Mpu);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut example: Vec<&str> = example.iter().map(String::as_str).collect();
        assert_eq!(header[2], "Payment Date");
        example[2] = "2026-02-30";
        let mut findings = Findings::default();
        let mut rules = RowRules::new(ActionType::Mpu, &header, &mut findings);
        let start = std::time::Instant::now();
        for row in 2..1_000_002 {
            rules.check(row, &example, &mut findings);
        }
        eprintln!(
            "1,000,000 rows, each with a bad date, in {:?}",
            start.elapsed()
        );
        assert_eq!(findings.errors(), 1_000_000);

        example[2] = "2026-02-16";
        let mut findings = Findings::default();
        let mut rules = RowRules::new(ActionType::Mpu, &header, &mut findings);
        let start = std::time::Instant::now();
        for row in 2..1_000_002 {
            rules.check(row, &example, &mut findings);
        }
        eprintln!("1,000,000 clean rows in {:?}", start.elapsed());
        assert!(findings.is_empty());
    }

    #[test]
    fn a_required_value_must_be_filled_in() {
        let findings = fx_with(3, " ");
        let f = only(&findings);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("missing-value", Severity::Error, Some(2), Some(3))
        );
        assert_eq!(
            f.message,
            "Row 2, “Exchange Rate” is empty; Zuora requires a value, e.g. 6.5432."
        );
        assert!(fx_with(3, "1").is_empty());
        // Optional columns may be blank.
        let findings = run(
            ActionType::DeleteRevenueSchedule,
            &["Group ID", "Revenue Schedule Number"],
            &[&["", "RS-1"]],
        );
        assert!(findings.is_empty());
    }

    #[test]
    fn dates_must_be_real_and_written_yyyy_mm_dd() {
        let f = fx_with(0, "2026-13-01");
        let f = only(&f);
        assert_eq!((f.code, f.row, f.column), ("bad-date", Some(2), Some(0)));
        assert_eq!(
            f.message,
            "Row 2, “Provider Exchange Rate Date”: “2026-13-01” is not a real date; use YYYY-MM-DD."
        );
        assert_eq!(only(&fx_with(0, "2026-02-30")).code, "bad-date");
        let f = fx_with(0, "16/02/2026");
        assert_eq!(
            only(&f).message,
            "Row 2, “Provider Exchange Rate Date”: “16/02/2026” is not a date in the form YYYY-MM-DD, e.g. 2016-02-16."
        );
        assert!(fx_with(0, "2024-02-29").is_empty());
    }

    #[test]
    fn decimals_must_be_plain_numbers() {
        for bad in ["1,234.50", "$12", "1e5", "+12", ".5", "(100)"] {
            let f = fx_with(3, bad);
            let f = only(&f);
            assert_eq!(
                (f.code, f.severity, f.row, f.column),
                ("bad-decimal", Severity::Error, Some(2), Some(3)),
                "{bad}"
            );
        }
        for good in ["-12.5", "12", "0.50"] {
            assert!(fx_with(3, good).is_empty(), "{good}");
        }
    }

    #[test]
    fn currency_codes_are_three_capital_letters() {
        let f = fx_with(1, "usd");
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.column),
            ("bad-currency", Severity::Error, Some(1))
        );
        assert_eq!(
            f.message,
            "Row 2, “Currency (From)”: “usd” is not a currency code; use “USD”."
        );
        let f = fx_with(2, "Dollar");
        assert_eq!(
            only(&f).message,
            "Row 2, “Currency (To)”: “Dollar” is not a currency code; use three capital letters, e.g. CNY."
        );
        assert!(fx_with(2, "EUR").is_empty());
    }

    #[test]
    fn mpu_currency_takes_an_id_but_warns_about_a_code_in_small_letters() {
        let mut row = mpu_row("A1", "");
        row[3] = "usd";
        let f = run(ActionType::Mpu, MPU, &[&row]);
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.column),
            ("currency-case", Severity::Warning, Some(3))
        );
        row[3] = "8a8082c45b1c4b8c015b1d3a5f6b7c8d";
        assert!(run(ActionType::Mpu, MPU, &[&row]).is_empty());
    }

    #[test]
    fn values_padded_with_spaces_are_named_as_such() {
        let f = fx_with(0, " 2016-02-16");
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.column),
            ("padded-value", Severity::Error, Some(0))
        );
        assert_eq!(
            f.message,
            "Row 2, “Provider Exchange Rate Date”: “ 2016-02-16” has spaces before or after it; remove them."
        );
    }

    #[test]
    fn closed_lists_take_only_the_exact_spelling() {
        let mut row = mpu_row("A1", "");
        row[6] = "external";
        let f = run(ActionType::Mpu, MPU, &[&row]);
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("enum-case", Severity::Error, Some(2), Some(6))
        );
        assert_eq!(
            f.message,
            "Row 2, “Payment Type”: “external” must be written exactly “External”."
        );
        row[6] = "Cash";
        let f = run(ActionType::Mpu, MPU, &[&row]);
        let f = only(&f);
        assert_eq!((f.code, f.severity), ("bad-enum", Severity::Error));
        assert_eq!(
            f.message,
            "Row 2, “Payment Type”: “Cash” is not allowed; use “External” or “Electronic”."
        );
        row[6] = "Electronic";
        assert!(run(ActionType::Mpu, MPU, &[&row]).is_empty());
        row[6] = "";
        assert!(run(ActionType::Mpu, MPU, &[&row]).is_empty());
    }

    #[test]
    fn open_lists_warn_about_unknown_values_and_still_refuse_wrong_case() {
        let header = ["Object Key", "Object Type"];
        let f = run(
            ActionType::UpdateAccountingCode,
            &header,
            &[&["K1", "Contract Asset"]],
        );
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.column),
            ("unlisted-value", Severity::Warning, Some(1))
        );
        let f = run(
            ActionType::UpdateAccountingCode,
            &header,
            &[&["K1", "invoice item"]],
        );
        assert_eq!(only(&f).code, "enum-case");
        assert!(run(
            ActionType::UpdateAccountingCode,
            &header,
            &[&["K1", "Debit Memo Item"]]
        )
        .is_empty());
    }

    #[test]
    fn text_limits_count_characters() {
        let header = ["Revenue Schedule Number"];
        let fifty = "é".repeat(50);
        assert!(run(ActionType::DeleteRevenueSchedule, &header, &[&[&fifty]]).is_empty());
        let fifty_one = "é".repeat(51);
        let f = run(ActionType::DeleteRevenueSchedule, &header, &[&[&fifty_one]]);
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("text-too-long", Severity::Error, Some(2), Some(0))
        );
        assert_eq!(
            f.message,
            "Row 2, “Revenue Schedule Number” has 51 characters; the limit is 50."
        );
        assert_eq!(f.value.as_deref(), Some(Finding::clip(&fifty_one).as_str()));
    }

    #[test]
    fn payment_invoice_takes_id_amount_pairs() {
        let f = run(
            ActionType::Mpu,
            MPU,
            &[&mpu_row("A1", "INV1:60.00|INV2:1,000")],
        );
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("bad-payment-invoice", Severity::Error, Some(2), Some(1))
        );
        assert_eq!(
            f.message,
            "Row 2, “Payment Invoice”: in “INV1:60.00|INV2:1,000”, the amount of pair 2 is not a plain number; write InvoiceID:amount pairs separated by “|”, e.g. INV00000001:60.00|INV00000002:40.00."
        );
        assert_eq!(
            run(ActionType::Mpu, MPU, &[&mpu_row("A1", "INV1")]).kept()[0].code,
            "bad-payment-invoice"
        );
        assert!(run(
            ActionType::Mpu,
            MPU,
            &[&mpu_row("A1", "INV1:60.00|INV2:40")]
        )
        .is_empty());
    }

    #[test]
    fn an_unassigned_payment_cannot_name_invoices() {
        let f = run(ActionType::Mpu, MPU, &[&mpu_row("", "INV1:100.00")]);
        let f = only(&f);
        assert_eq!(
            (f.code, f.severity, f.row, f.column),
            ("invoice-without-account", Severity::Error, Some(2), Some(1))
        );
        assert!(run(ActionType::Mpu, MPU, &[&mpu_row("", "")]).is_empty());
        assert!(run(ActionType::Mpu, MPU, &[&mpu_row("A1", "INV1:100.00")]).is_empty());
        // Without the account column every payment is unassigned.
        let f = run(
            ActionType::Mpu,
            &MPU[1..],
            &[&mpu_row("", "INV1:100.00")[1..]],
        );
        assert_eq!(
            placed(&f),
            [("invoice-without-account", Severity::Error, Some(2), Some(0))]
        );
    }

    #[test]
    fn a_revenue_schedule_needs_a_charge_or_a_linked_transaction() {
        let header = [
            "Subscription Charge Key",
            "Linked Transaction Type",
            "Linked Transaction Key",
        ];
        let f = run(ActionType::CreateRevenueSchedule, &header, &[&["", "", ""]]);
        assert_eq!(
            placed(&f),
            [(
                "missing-charge-or-transaction-key",
                Severity::Error,
                Some(2),
                Some(0)
            )]
        );
        assert!(run(
            ActionType::CreateRevenueSchedule,
            &header,
            &[&["C-1", "", ""]]
        )
        .is_empty());
        assert!(run(
            ActionType::CreateRevenueSchedule,
            &header,
            &[&["", "Invoice Item", "X1"]]
        )
        .is_empty());
        let f = run(
            ActionType::CreateRevenueSchedule,
            &header[1..],
            &[&["Invoice Item", ""]],
        );
        assert_eq!(
            placed(&f),
            [(
                "missing-charge-or-transaction-key",
                Severity::Error,
                Some(2),
                Some(1)
            )]
        );
    }

    #[test]
    fn a_deferred_code_on_an_object_type_that_takes_none_is_a_warning() {
        let header = [
            "Object Key",
            "Object Type",
            "Deferred Revenue Accounting Code",
        ];
        let f = run(
            ActionType::UpdateAccountingCode,
            &header,
            &[&["P1", "Payment", "Deferred Revenue"]],
        );
        assert_eq!(
            placed(&f),
            [(
                "deferred-code-not-applicable",
                Severity::Warning,
                Some(2),
                Some(2)
            )]
        );
        assert!(run(
            ActionType::UpdateAccountingCode,
            &header,
            &[&["P1", "Payment", ""]]
        )
        .is_empty());
        assert!(run(
            ActionType::UpdateAccountingCode,
            &header,
            &[&["I1", "Invoice Item", "DR"]]
        )
        .is_empty());
        // The current list is cut: types the oldest page does not name are left alone.
        assert!(run(
            ActionType::UpdateAccountingCode,
            &header,
            &[&["M1", "Credit Memo Item", "DR"]]
        )
        .is_empty());
    }

    #[test]
    fn a_group_that_comes_back_after_other_rows_is_a_warning() {
        let header = ["Revenue Schedule Number", "Group ID"];
        let f = run(
            ActionType::DeleteRevenueSchedule,
            &header,
            &[
                &["RS-1", "A"],
                &["RS-2", "A"],
                &["RS-3", "B"],
                &["RS-4", "A"],
                &["RS-5", "A"],
                &["RS-6", "B"],
            ],
        );
        assert_eq!(
            placed(&f),
            [
                ("split-group", Severity::Warning, Some(5), Some(1)),
                ("split-group", Severity::Warning, Some(7), Some(1)),
            ]
        );
        assert!(f.kept()[0]
            .message
            .contains("Zuora processes rows in file order"));
        // A row without a group splits a group too.
        let f = run(
            ActionType::DeleteRevenueSchedule,
            &header,
            &[&["RS-1", "A"], &["RS-2", ""], &["RS-3", "A"]],
        );
        assert_eq!(
            placed(&f),
            [("split-group", Severity::Warning, Some(4), Some(1))]
        );
        let f = run(
            ActionType::DeleteRevenueSchedule,
            &header,
            &[
                &["RS-1", "A"],
                &["RS-2", "A"],
                &["RS-3", "B"],
                &["RS-4", ""],
                &["RS-5", "C"],
            ],
        );
        assert!(f.is_empty());
    }

    #[test]
    fn many_split_groups_are_summed_up_once() {
        let header = ["Revenue Schedule Number", "Group ID"];
        let mut findings = Findings::with_cap(100);
        let mut rules = RowRules::new(ActionType::DeleteRevenueSchedule, &header, &mut findings);
        let mut row = 2;
        for _round in 0..3 {
            for group in 0..25 {
                rules.check(row, &["RS-1", &group.to_string()], &mut findings);
                row += 1;
            }
        }
        rules.finish(&mut findings);
        rules.finish(&mut findings);
        let by_code: Vec<_> = findings.by_code().collect();
        assert_eq!(
            by_code,
            [
                ("split-group", Severity::Warning, SPLIT_GROUP_DETAILS),
                ("split-group-summary", Severity::Warning, 1)
            ]
        );
        let summary = findings.kept().last().unwrap();
        assert_eq!(summary.row, None);
        assert!(
            summary
                .message
                .starts_with("In all, 25 “Group ID” values are split"),
            "{}",
            summary.message
        );
    }

    #[test]
    fn every_message_is_one_sentence() {
        let findings = run(
            ActionType::Mpu,
            &[
                "billing account id",
                "Payment Invoice",
                "Payment Amount",
                "Currency",
                "Payment Date",
                "Nope",
            ],
            &[
                &["", "x", "1e5", "usd", "2026-02-30", ""],
                &["", "", "", "", "", ""],
            ],
        );
        assert!(findings.total() >= 6);
        for f in findings.kept() {
            assert!(f.message.ends_with('.'), "{}", f.message);
            assert_eq!(
                f.message.replace("e.g. ", "").matches(". ").count(),
                0,
                "{}",
                f.message
            );
        }
    }

    fn any_header() -> impl Strategy<Value = (ActionType, Vec<String>)> {
        (0..ActionType::ALL.len()).prop_flat_map(|a| {
            let action = ActionType::ALL[a];
            let known: Vec<String> = columns(action)
                .iter()
                .map(|c| c.header.to_owned())
                .collect();
            let extra = prop::collection::vec(
                prop_oneof![
                    Just("#Note".to_owned()),
                    Just("Revenue Schedule:X".to_owned()),
                    Just("group id".to_owned()),
                    ".{0,12}"
                ],
                0..4,
            );
            (Just(action), Just(known).prop_shuffle(), extra).prop_map(|(action, mut h, extra)| {
                h.extend(extra);
                (action, h)
            })
        })
    }

    proptest! {
        #[test]
        fn checks_never_panic(
            (action, header) in any_header(),
            cut in 0usize..12,
            rows in prop::collection::vec(prop::collection::vec(".{0,40}", 0..14), 0..8),
        ) {
            let header: Vec<&str> = header.iter().take(cut.max(1) + 8).map(String::as_str).collect();
            let mut findings = Findings::with_cap(50);
            let mut rules = RowRules::new(action, &header, &mut findings);
            for (i, row) in rows.iter().enumerate() {
                // The scanner pads or cuts rows to the header; we also survive when it does not.
                let fields: Vec<&str> = row.iter().map(String::as_str).collect();
                rules.check(i as u64 + 2, &fields, &mut findings);
            }
            rules.finish(&mut findings);
            for f in findings.kept() {
                prop_assert!(f.message.ends_with('.'));
            }
        }

        #[test]
        fn any_value_in_any_known_column_is_handled(action_index in 0usize..6, value in "\\PC{0,70}") {
            let action = ActionType::ALL[action_index];
            let header: Vec<&str> = columns(action).iter().map(|c| c.header).collect();
            for i in 0..header.len() {
                let mut fields = vec![""; header.len()];
                fields[i] = &value;
                let mut findings = Findings::default();
                let mut rules = RowRules::new(action, &header, &mut findings);
                rules.check(2, &fields, &mut findings);
                rules.finish(&mut findings);
            }
        }
    }
}
