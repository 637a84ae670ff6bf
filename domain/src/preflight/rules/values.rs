//! The forms a single cell may take (dates, plain numbers, currency codes, MPU payment
//! lists), checked without allocating: these run once per cell of files up to 100 MB.
//! [`value_problem`] says what is wrong with a value of a column's [`ValueKind`], and
//! [`ValueProblem::kind`] the severity and code of its finding.

use super::columns::{loose_eq, ValueKind};
use crate::preflight::finding::Severity;

/// Blank means empty or only whitespace. Used for "required" and for the blank-column
/// rules, so a cell holding a stray space counts as empty everywhere.
pub fn is_blank(value: &str) -> bool {
    // Most values start with a visible ASCII character: no need to decode and trim.
    match value.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => value.trim().is_empty(),
    }
}

/// Why a value is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateProblem {
    /// Not shaped `YYYY-MM-DD` (four digits, dash, two digits, dash, two digits).
    NotIso,
    /// Shaped right, but no such day (`2026-02-30`, `2026-13-01`, year `0000`).
    NoSuchDay,
}

/// `YYYY-MM-DD`, a real day of the Gregorian calendar, years 0001 to 9999.
pub fn date_problem(value: &str) -> Option<DateProblem> {
    let b = value.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Some(DateProblem::NotIso);
    }
    let number = |range: std::ops::Range<usize>| {
        b[range]
            .iter()
            .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'))
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if year == 0 || day == 0 || day > days_in_month {
        Some(DateProblem::NoSuchDay)
    } else {
        None
    }
}

/// A plain number: an optional leading `-`, digits, and optionally a `.` followed by
/// digits. So `-12.5`, `12`, `0.50` pass; `+12`, `.5`, `12.`, `1,234.50`, `$12`, `1e5`,
/// `(100)` and padded values do not. The reference asks for plain numbers only (§5.5);
/// we also refuse `+`, `.5` and `12.` because nothing in Zuora's pages shows them and
/// they cost the user nothing to write plainly.
pub fn is_plain_decimal(value: &str) -> bool {
    let b = value.strip_prefix('-').unwrap_or(value).as_bytes();
    let (whole, fraction) = match b.iter().position(|&c| c == b'.') {
        Some(dot) => (&b[..dot], Some(&b[dot + 1..])),
        None => (b, None),
    };
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    digits(whole) && fraction.is_none_or(digits)
}

/// Three capital ASCII letters, the shape of an ISO 4217 code (`USD`). Whether the
/// tenant supports the currency is Zuora's to say.
pub fn is_currency_code(value: &str) -> bool {
    value.len() == 3 && value.bytes().all(|c| c.is_ascii_uppercase())
}

/// Three ASCII letters, not all capitals (`usd`, `Usd`): a currency code in the wrong
/// case.
pub fn is_currency_code_in_wrong_case(value: &str) -> bool {
    value.len() == 3 && value.bytes().all(|c| c.is_ascii_alphabetic()) && !is_currency_code(value)
}

/// Why an MPU `Payment Invoice` value is not `InvoiceID:amount|InvoiceID:amount`.
/// `pair` counts from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentInvoiceProblem {
    /// Nothing between two `|` (or before the first, or after the last).
    EmptyPair { pair: usize },
    /// No `:` between invoice and amount.
    NoAmount { pair: usize },
    /// Nothing before the `:`.
    NoInvoice { pair: usize },
    /// The amount is not a plain number (see [`is_plain_decimal`]); this includes a
    /// second `:`.
    BadAmount { pair: usize },
}

/// Checks `InvoiceID1:amount|InvoiceID2:amount` (reference §5.6). The reference gives no
/// form or limit for the invoice part, so any non-blank text without `:` or `|` passes;
/// the amount must be a plain number.
pub fn payment_invoice_problem(value: &str) -> Option<PaymentInvoiceProblem> {
    for (i, pair) in value.split('|').enumerate() {
        let pair_number = i + 1;
        if is_blank(pair) {
            return Some(PaymentInvoiceProblem::EmptyPair { pair: pair_number });
        }
        let Some((invoice, amount)) = pair.split_once(':') else {
            return Some(PaymentInvoiceProblem::NoAmount { pair: pair_number });
        };
        if is_blank(invoice) {
            return Some(PaymentInvoiceProblem::NoInvoice { pair: pair_number });
        }
        if !is_plain_decimal(amount) {
            return Some(PaymentInvoiceProblem::BadAmount { pair: pair_number });
        }
    }
    None
}

/// Characters, not bytes, are what Zuora's limits count. Counting stops early when the
/// byte length alone proves the value fits (a character is at least one byte).
pub fn exceeds_chars(value: &str, max_chars: usize) -> Option<usize> {
    if value.len() <= max_chars {
        return None;
    }
    let count = value.chars().count();
    (count > max_chars).then_some(count)
}

/// What is wrong with a non-blank value of this kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueProblem {
    TooLong {
        chars: usize,
        max_chars: usize,
    },
    Date(DateProblem),
    Decimal,
    /// Written in another case or spacing than the one allowed spelling.
    Spelling {
        allowed: &'static str,
    },
    NotAllowed {
        allowed: &'static [&'static str],
    },
    /// Not among the values we know of a list the reference shows only in part.
    Unlisted {
        known: &'static [&'static str],
    },
    Currency,
    /// A three-letter currency code in small letters where an ID is also allowed.
    CurrencyCase,
    PaymentInvoice(PaymentInvoiceProblem),
}

impl ValueProblem {
    /// The severity and code of its finding: known before the sentence is written, so
    /// a finding past the kept ones is only counted.
    pub fn kind(&self) -> (Severity, &'static str) {
        match self {
            ValueProblem::TooLong { .. } => (Severity::Error, "text-too-long"),
            ValueProblem::Date(_) => (Severity::Error, "bad-date"),
            ValueProblem::Decimal => (Severity::Error, "bad-decimal"),
            ValueProblem::Spelling { .. } => (Severity::Error, "enum-case"),
            ValueProblem::NotAllowed { .. } => (Severity::Error, "bad-enum"),
            ValueProblem::Unlisted { .. } => (Severity::Warning, "unlisted-value"),
            ValueProblem::Currency => (Severity::Error, "bad-currency"),
            ValueProblem::CurrencyCase => (Severity::Warning, "currency-case"),
            ValueProblem::PaymentInvoice(_) => (Severity::Error, "bad-payment-invoice"),
        }
    }
}

pub fn value_problem(kind: ValueKind, value: &str) -> Option<ValueProblem> {
    match kind {
        ValueKind::Text { max_chars } => {
            exceeds_chars(value, max_chars).map(|chars| ValueProblem::TooLong { chars, max_chars })
        }
        ValueKind::AnyText => None,
        ValueKind::Date => date_problem(value).map(ValueProblem::Date),
        ValueKind::Decimal => (!is_plain_decimal(value)).then_some(ValueProblem::Decimal),
        ValueKind::Enum(allowed) | ValueKind::OpenEnum(allowed) => {
            if allowed.contains(&value) {
                return None;
            }
            if let Some(spelling) = allowed.iter().find(|a| loose_eq(a, value)) {
                Some(ValueProblem::Spelling { allowed: spelling })
            } else if matches!(kind, ValueKind::OpenEnum(_)) {
                Some(ValueProblem::Unlisted { known: allowed })
            } else {
                Some(ValueProblem::NotAllowed { allowed })
            }
        }
        ValueKind::Currency => (!is_currency_code(value)).then_some(ValueProblem::Currency),
        ValueKind::CurrencyOrId => {
            is_currency_code_in_wrong_case(value).then_some(ValueProblem::CurrencyCase)
        }
        ValueKind::PaymentInvoice => {
            payment_invoice_problem(value).map(ValueProblem::PaymentInvoice)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::rules::columns::columns;
    use crate::ActionType;
    use proptest::prelude::*;

    proptest! {
        /// The ASCII shortcut changes nothing: blank is "nothing left after trim".
        #[test]
        fn blank_is_empty_after_trim(value in "[ \t\n\r\u{b}\u{c}\u{a0}\u{3000}a-z,é😀]{0,6}") {
            prop_assert_eq!(is_blank(&value), value.trim().is_empty());
        }
    }

    #[test]
    fn real_calendar_dates_pass_and_impossible_ones_do_not() {
        for ok in [
            "2026-02-16",
            "2024-02-29",
            "2000-02-29",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(date_problem(ok), None, "{ok}");
        }
        for no_such_day in [
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "1900-02-29",
            "2026-04-31",
            "0000-01-01",
        ] {
            assert_eq!(
                date_problem(no_such_day),
                Some(DateProblem::NoSuchDay),
                "{no_such_day}"
            );
        }
        for not_iso in [
            "16/02/2026",
            "2026-2-16",
            "2026/02/16",
            " 2026-02-16",
            "2026-02-16T00:00",
            "",
            "２０２６-02-16",
            "2026-0٣-16",
        ] {
            assert_eq!(
                date_problem(not_iso),
                Some(DateProblem::NotIso),
                "{not_iso}"
            );
        }
    }

    #[test]
    fn only_plain_numbers_count_as_decimals() {
        for ok in ["-12.5", "12", "0.50", "0", "-0", "100000.50", "007"] {
            assert!(is_plain_decimal(ok), "{ok}");
        }
        for no in [
            "1,234.50", "$12", "1e5", "+12", ".5", "12.", "-", "", " 12", "12 ", "(100)", "1.2.3",
            "--1", "١٢",
        ] {
            assert!(!is_plain_decimal(no), "{no}");
        }
    }

    #[test]
    fn currency_codes_are_three_capital_letters() {
        assert!(is_currency_code("USD"));
        for no in ["usd", "US", "USDD", "U5D", "ÜSD", ""] {
            assert!(!is_currency_code(no), "{no}");
        }
        assert!(is_currency_code_in_wrong_case("usd"));
        assert!(is_currency_code_in_wrong_case("Usd"));
        assert!(!is_currency_code_in_wrong_case("USD"));
        assert!(!is_currency_code_in_wrong_case("u5d"));
    }

    #[test]
    fn payment_invoice_pairs_need_an_invoice_and_a_plain_amount() {
        assert_eq!(payment_invoice_problem("INV001:60.00|INV002:40"), None);
        assert_eq!(payment_invoice_problem("INV001:60.00"), None);
        use PaymentInvoiceProblem::*;
        let cases = [
            ("INV001:60|", EmptyPair { pair: 2 }),
            ("|INV001:60", EmptyPair { pair: 1 }),
            ("INV001", NoAmount { pair: 1 }),
            ("INV001:1|:5", NoInvoice { pair: 2 }),
            ("INV001:1,000.00", BadAmount { pair: 1 }),
            ("INV001:1:2", BadAmount { pair: 1 }),
            ("INV001:", BadAmount { pair: 1 }),
        ];
        for (value, problem) in cases {
            assert_eq!(payment_invoice_problem(value), Some(problem), "{value}");
        }
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert_eq!(exceeds_chars(&"é".repeat(32), 32), None);
        assert_eq!(exceeds_chars(&"é".repeat(33), 32), Some(33));
        assert_eq!(exceeds_chars("abc", 2), Some(3));
    }

    #[test]
    fn every_example_passes_its_own_column() {
        for action in ActionType::ALL {
            for spec in columns(action) {
                if !spec.example.is_empty() {
                    assert_eq!(
                        value_problem(spec.kind, spec.example),
                        None,
                        "{}",
                        spec.header
                    );
                }
            }
        }
    }
}
