//! Values of a closed list written in another case or spacing (`external` for
//! `External`), and currency codes in small letters (`usd`), put back in the spelling
//! the column specs document ([`crate::preflight::rules::columns`]).

use crate::preflight::rules::values::{is_currency_code, ValueProblem};

/// The documented spelling of a value with this problem, if it has one.
pub fn documented_spelling(problem: ValueProblem, value: &str) -> Option<String> {
    match problem {
        ValueProblem::Spelling { allowed } => Some(allowed.to_owned()),
        ValueProblem::CurrencyCase | ValueProblem::Currency => {
            let code = value.trim().to_ascii_uppercase();
            is_currency_code(&code).then_some(code)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::rules::values::value_problem;
    use crate::preflight::ValueKind;

    fn fix(kind: ValueKind, value: &str) -> Option<String> {
        documented_spelling(value_problem(kind, value)?, value)
    }

    #[test]
    fn enums_and_currencies_take_their_documented_spelling() {
        let payment_type = ValueKind::Enum(&["External", "Electronic"]);
        assert_eq!(fix(payment_type, "external").as_deref(), Some("External"));
        assert_eq!(
            fix(payment_type, "ELECTRONIC ").as_deref(),
            Some("Electronic")
        );
        let object_type = ValueKind::OpenEnum(&["Invoice Item"]);
        assert_eq!(
            fix(object_type, "invoice  item").as_deref(),
            Some("Invoice Item")
        );
        assert_eq!(fix(ValueKind::Currency, "usd").as_deref(), Some("USD"));
        assert_eq!(fix(ValueKind::Currency, " Eur").as_deref(), Some("EUR"));
        assert_eq!(fix(ValueKind::CurrencyOrId, "cny").as_deref(), Some("CNY"));
        // Not a spelling of an allowed value, or not a code: left alone.
        assert_eq!(fix(payment_type, "Cash"), None);
        assert_eq!(fix(object_type, "Subscription"), None);
        assert_eq!(fix(ValueKind::Currency, "dollars"), None);
        assert_eq!(fix(ValueKind::Currency, "u5d"), None);
    }
}
