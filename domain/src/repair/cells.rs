//! One cell repaired: the same check as preflight's row checks decides whether the cell
//! carries a finding of the repair's kind, the fix reads it, and the new value is kept
//! only if the row checks pass it.

use super::dates::{iso, read_date};
use super::enums::documented_spelling;
use super::numbers::read_number;
use super::whitespace::trimmed;
use super::{Decision, RepairKind};
use crate::preflight::rules::rows::{cell_problem, CellProblem};
use crate::preflight::rules::values::ValueProblem;
use crate::preflight::ColumnSpec;

/// The value repair `kind` gives `value` in a column of `spec`: `None` when the cell has
/// no finding of that kind, when the fix cannot read it, or when `decision` is missing
/// for a value that needs one.
pub fn repair_cell(
    kind: RepairKind,
    spec: &ColumnSpec,
    value: &str,
    decision: Option<Decision>,
) -> Option<String> {
    let problem = cell_problem(spec, value)?;
    let fixed = match (kind, problem) {
        (RepairKind::Whitespace, CellProblem::Padded) => Some(trimmed(value)),
        (RepairKind::Dates, CellProblem::Value(ValueProblem::Date(_))) => {
            let order = match decision {
                Some(Decision::Order(order)) => Some(order),
                _ => None,
            };
            read_date(value)?.date(order).map(iso)
        }
        (RepairKind::Numbers, CellProblem::Value(ValueProblem::Decimal)) => {
            let mark = match decision {
                Some(Decision::Mark(mark)) => Some(mark),
                _ => None,
            };
            read_number(value)?.value(mark).map(str::to_owned)
        }
        (RepairKind::Enums, CellProblem::Value(problem)) => documented_spelling(problem, value),
        _ => None,
    }?;
    cell_problem(spec, &fixed).is_none().then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::{Need, ValueKind};
    use crate::repair::{DayMonth, DecimalMark};

    const fn spec(kind: ValueKind) -> ColumnSpec {
        ColumnSpec {
            header: "X",
            need: Need::Required,
            kind,
            example: "",
        }
    }
    const DATE: ColumnSpec = spec(ValueKind::Date);
    const DECIMAL: ColumnSpec = spec(ValueKind::Decimal);

    #[test]
    fn a_repair_touches_only_cells_with_a_finding_of_its_kind() {
        use RepairKind::*;
        // Right already, or wrong in another way.
        assert_eq!(repair_cell(Dates, &DATE, "2026-01-31", None), None);
        assert_eq!(repair_cell(Dates, &DATE, " 2026-01-31", None), None);
        assert_eq!(repair_cell(Whitespace, &DATE, "01/31/2026", None), None);
        assert_eq!(repair_cell(Numbers, &DATE, "46053", None), None);
        assert_eq!(repair_cell(Dates, &DECIMAL, "46053", None), None);
        assert_eq!(repair_cell(Dates, &DATE, "", None), None);
        // Its own kind.
        let month_first = Some(Decision::Order(DayMonth::MonthFirst));
        assert_eq!(
            repair_cell(Whitespace, &DATE, " 2026-01-31", None).as_deref(),
            Some("2026-01-31")
        );
        assert_eq!(
            repair_cell(Dates, &DATE, "01/31/2026", month_first).as_deref(),
            Some("2026-01-31")
        );
        assert_eq!(repair_cell(Dates, &DATE, "01/31/2026", None), None);
        assert_eq!(
            repair_cell(Dates, &DATE, "46053", None).as_deref(),
            Some("2026-01-31")
        );
        let point = Some(Decision::Mark(DecimalMark::Point));
        assert_eq!(
            repair_cell(Numbers, &DECIMAL, "1,234", point).as_deref(),
            Some("1234")
        );
        assert_eq!(repair_cell(Numbers, &DECIMAL, "1,234", None), None);
        assert_eq!(
            repair_cell(Numbers, &DECIMAL, "100,000.50", None).as_deref(),
            Some("100000.50")
        );
    }
}
