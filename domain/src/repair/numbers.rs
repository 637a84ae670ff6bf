//! Numbers as spreadsheets format them (`100,000.50`, `$1,234.00`, `1 234,50`, `€ 12`,
//! `(12.50)`), read back as the plain decimal Zuora takes (`100000.50`). Which mark is
//! the decimal one is never guessed: a value that reads both ways (`1,234` is 1234 or
//! 1.234) takes its column's mark (see [`NumberColumn`]), and the user is asked when
//! the column does not show it.

use crate::preflight::rules::values::is_plain_decimal;

/// Which mark separates the fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DecimalMark {
    /// `1,234.50`: a point, commas group thousands.
    Point,
    /// `1.234,50`: a comma, points group thousands.
    Comma,
}

/// What one value reads as with each decimal mark (`None`: not a number that way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberReading {
    pub point: Option<String>,
    pub comma: Option<String>,
}

impl NumberReading {
    /// The plain decimal, given the column's mark (needed only when the two differ).
    pub fn value(&self, mark: Option<DecimalMark>) -> Option<&str> {
        match (&self.point, &self.comma) {
            (Some(p), Some(c)) if p == c => Some(p),
            (Some(p), None) => Some(p),
            (None, Some(c)) => Some(c),
            (Some(p), Some(c)) => match mark? {
                DecimalMark::Point => Some(p),
                DecimalMark::Comma => Some(c),
            },
            (None, None) => None,
        }
    }

    /// The mark this value shows on its own, if it reads one way only.
    pub fn shows(&self) -> Option<DecimalMark> {
        match (&self.point, &self.comma) {
            (Some(_), None) => Some(DecimalMark::Point),
            (None, Some(_)) => Some(DecimalMark::Comma),
            _ => None,
        }
    }

    /// Reads differently with each mark.
    pub fn is_ambiguous(&self) -> bool {
        matches!((&self.point, &self.comma), (Some(p), Some(c)) if p != c)
    }
}

/// Signs of money written before or after a number.
const CURRENCY_SIGNS: &[char] = &['$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '¢'];

/// Spaces that group thousands (space, no-break space, narrow no-break space) and the
/// Swiss apostrophe.
const GROUPING_SPACES: &[char] = &[' ', '\u{a0}', '\u{202f}', '\''];

/// What `value` reads as, if it is a number once its signs of money, spaces and
/// thousands separators are gone.
pub fn read_number(value: &str) -> Option<NumberReading> {
    let mut text = value.trim();
    let mut negative = false;
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        text = inner.trim();
    }
    let mut sign = |t: &str| -> Option<String> {
        let t = t.trim();
        if let Some(rest) = t.strip_prefix('-') {
            if negative {
                return None;
            }
            negative = true;
            return Some(rest.trim().to_owned());
        }
        Some(t.strip_prefix('+').unwrap_or(t).trim().to_owned())
    };
    let text = sign(text)?;
    let text = text
        .strip_prefix(CURRENCY_SIGNS)
        .or_else(|| text.strip_suffix(CURRENCY_SIGNS))
        .unwrap_or(&text);
    let body = sign(text)?;
    let minus = if negative { "-" } else { "" };
    let with_sign = |digits: String| format!("{minus}{digits}");
    let reading = NumberReading {
        point: assemble(&body, '.', ',').map(with_sign),
        comma: assemble(&body, ',', '.').map(with_sign),
    };
    let plain = |r: &Option<String>| r.as_deref().is_some_and(is_plain_decimal);
    (plain(&reading.point) || plain(&reading.comma)).then_some(reading)
}

/// `body` as digits with `decimal` as the one decimal mark and thousands grouped by
/// `grouping` or by spaces (one kind of separator per number): the plain decimal, or
/// `None` when it is not one.
fn assemble(body: &str, decimal: char, grouping: char) -> Option<String> {
    let (whole, fraction) = match body.split_once(decimal) {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let separators: Vec<char> = whole.chars().filter(|c| !c.is_ascii_digit()).collect();
    let mut digits = String::with_capacity(body.len());
    match separators.first() {
        None => digits.push_str(whole),
        Some(&sep) => {
            let allowed = sep == grouping || GROUPING_SPACES.contains(&sep);
            if !allowed || separators.iter().any(|&c| c != sep) {
                return None;
            }
            let mut groups = whole.split(sep);
            let first = groups.next()?;
            if !(1..=3).contains(&first.len()) {
                return None;
            }
            digits.push_str(first);
            for group in groups {
                if group.len() != 3 {
                    return None;
                }
                digits.push_str(group);
            }
        }
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = fraction {
        digits.push('.');
        digits.push_str(f);
    }
    Some(digits)
}

/// The evidence a column's numbers give about their decimal mark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NumberColumn {
    pub point_seen: bool,
    pub comma_seen: bool,
}

/// What a column's ambiguous numbers allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkDecision {
    Known(DecimalMark),
    /// Nothing in the column shows the mark: the user is asked.
    Ask,
    /// Both marks appear: the ambiguous values are not repaired.
    Conflict,
}

impl NumberColumn {
    pub fn note(&mut self, reading: &NumberReading) {
        match reading.shows() {
            Some(DecimalMark::Point) => self.point_seen = true,
            Some(DecimalMark::Comma) => self.comma_seen = true,
            None => {}
        }
    }

    pub fn decision(&self) -> MarkDecision {
        match (self.point_seen, self.comma_seen) {
            (true, true) => MarkDecision::Conflict,
            (true, false) => MarkDecision::Known(DecimalMark::Point),
            (false, true) => MarkDecision::Known(DecimalMark::Comma),
            (false, false) => MarkDecision::Ask,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::*;

    fn exact(value: &str) -> Option<String> {
        let reading = read_number(value)?;
        (!reading.is_ambiguous()).then(|| reading.value(None).map(str::to_owned))?
    }

    #[test]
    fn formatted_numbers_read_as_plain_decimals() {
        for (value, plain) in [
            ("100,000.50", "100000.50"),
            ("$1,234.00", "1234.00"),
            ("1 234,50", "1234.50"),
            ("1\u{a0}234,50", "1234.50"),
            ("1'234.50", "1234.50"),
            ("€ 12", "12"),
            ("12 €", "12"),
            ("12,5", "12.5"),
            ("1.234.567,89", "1234567.89"),
            ("1,234,567", "1234567"),
            ("-$1,234.50", "-1234.50"),
            ("$-1,234.50", "-1234.50"),
            ("(1,234.50)", "-1234.50"),
            ("+12", "12"),
            ("1,2345", "1.2345"),
        ] {
            assert_eq!(exact(value).as_deref(), Some(plain), "{value}");
        }
    }

    #[test]
    fn what_is_not_a_number_is_left_alone() {
        for value in [
            "",
            "abc",
            "1e5",
            "12.",
            ".5",
            "1,23,456",
            "1,234.5,6",
            "$",
            "1 234.567,8",
            "--1",
            "(-1)",
            "12%",
            "USD 12",
            "1,,234",
            "١٢",
        ] {
            assert_eq!(
                read_number(value).and_then(|r| r.value(Some(Point)).map(str::to_owned)),
                None,
                "{value}"
            );
        }
    }

    #[test]
    fn a_value_that_reads_both_ways_takes_its_columns_mark() {
        let r = read_number("1,234").expect("a number");
        assert!(r.is_ambiguous());
        assert_eq!(r.value(None), None);
        assert_eq!(r.value(Some(Point)), Some("1234"));
        assert_eq!(r.value(Some(Comma)), Some("1.234"));
        let r = read_number("$1.234").expect("a number");
        assert_eq!(r.value(Some(Point)), Some("1.234"));
        assert_eq!(r.value(Some(Comma)), Some("1234"));
    }

    #[test]
    fn a_column_decides_its_mark_from_values_that_show_it() {
        let column = |values: &[&str]| {
            let mut c = NumberColumn::default();
            for v in values {
                c.note(&read_number(v).expect("a number"));
            }
            c.decision()
        };
        assert_eq!(column(&["1,234", "1,234.50"]), MarkDecision::Known(Point));
        assert_eq!(column(&["1,234", "12,5"]), MarkDecision::Known(Comma));
        assert_eq!(column(&["1,234", "$12"]), MarkDecision::Ask);
        assert_eq!(column(&["1,234.50", "12,5"]), MarkDecision::Conflict);
    }
}
