//! Dates in the layouts spreadsheets write, read back as `yyyy-MM-dd`: `M/D/YYYY` and
//! `D/M/YYYY` (the order decided per column, see [`DateColumn`]), `D.M.YYYY`,
//! `YYYY/MM/DD` (and `YYYY-M-D`), ISO with a time part (`2026-01-31T00:00:00`,
//! `2026-01-31 00:00`), and Excel serial numbers (`46053`). Every reading is checked
//! against the calendar by the `time` crate: `2/30/2026` is no date and stays as it is.

use crate::preflight::rules::values::date_problem;
use time::{Date, Duration, Month};

/// Day and month order of a column of slash dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayMonth {
    /// `01/31/2026`: month, day, year.
    MonthFirst,
    /// `31/01/2026`: day, month, year.
    DayFirst,
}

/// What one value reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateReading {
    /// One date whatever the column holds.
    Exact(Date),
    /// `a/b/year`: which of `a` and `b` is the month is the column's to say.
    Slash { a: u8, b: u8, year: i32 },
}

/// Excel's serial 61 is 1900-03-01; below it Excel counts a 29 February 1900 that never
/// was, so small serials are left alone. 2958465 is 9999-12-31.
const SERIALS: std::ops::RangeInclusive<i64> = 61..=2_958_465;

impl DateReading {
    /// The date, given the column's order (needed for a slash date only).
    pub fn date(self, order: Option<DayMonth>) -> Option<Date> {
        match self {
            DateReading::Exact(date) => Some(date),
            DateReading::Slash { a, b, year } => match order? {
                DayMonth::MonthFirst => calendar(year, a, b),
                DayMonth::DayFirst => calendar(year, b, a),
            },
        }
    }

    /// The date when no order is needed.
    pub fn exact(self) -> Option<Date> {
        match self {
            DateReading::Exact(date) => Some(date),
            DateReading::Slash { .. } => None,
        }
    }
}

/// `yyyy-MM-dd`. Written digit by digit: this runs once per repaired date, and the
/// formatting machinery costs several times more.
pub fn iso(date: Date) -> String {
    let year = u32::try_from(date.year()).unwrap_or(0);
    let (month, day) = (u32::from(u8::from(date.month())), u32::from(date.day()));
    let digit = |n: u32, place: u32| b'0' + (n / place % 10) as u8;
    let text = [
        digit(year, 1000),
        digit(year, 100),
        digit(year, 10),
        digit(year, 1),
        b'-',
        digit(month, 10),
        digit(month, 1),
        b'-',
        digit(day, 10),
        digit(day, 1),
    ];
    std::str::from_utf8(&text).unwrap_or_default().to_owned()
}

/// What `value` (surrounding whitespace ignored) reads as, if it is a date in one of the
/// layouts this module knows.
pub fn read_date(value: &str) -> Option<DateReading> {
    let value = value.trim();
    if let Some(date) = iso_with_time(value) {
        return Some(DateReading::Exact(date));
    }
    if let Some(serial) = serial(value) {
        return Some(DateReading::Exact(serial));
    }
    for separator in [b'/', b'.', b'-'] {
        let Some([(x, xn), (y, yn), (z, zn)]) = parts(value, separator) else {
            continue;
        };
        let small = |n: usize| (1..=2).contains(&n);
        if xn == 4 && small(yn) && small(zn) {
            return calendar(year(x)?, u8::try_from(y).ok()?, u8::try_from(z).ok()?)
                .map(DateReading::Exact);
        }
        if zn != 4 || !small(xn) || !small(yn) {
            continue;
        }
        let (a, b) = (u8::try_from(x).ok()?, u8::try_from(y).ok()?);
        return match separator {
            b'/' => Some(DateReading::Slash {
                a,
                b,
                year: year(z)?,
            }),
            b'.' => calendar(year(z)?, b, a).map(DateReading::Exact),
            _ => None,
        };
    }
    None
}

/// The evidence a column's slash dates give about their order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateColumn {
    /// A value whose first part is over 12 (`31/01/2026`): day first.
    pub day_first_seen: bool,
    /// A value whose second part is over 12 (`01/31/2026`): month first.
    pub month_first_seen: bool,
}

/// What a column's slash dates allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    Known(DayMonth),
    /// Every value fits both orders: the user is asked.
    Ask,
    /// Both orders appear: the slash dates are not repaired.
    Conflict,
}

impl DateColumn {
    pub fn note(&mut self, reading: DateReading) {
        if let DateReading::Slash { a, b, .. } = reading {
            self.day_first_seen |= a > 12;
            self.month_first_seen |= b > 12;
        }
    }

    pub fn order(&self) -> DateOrder {
        match (self.day_first_seen, self.month_first_seen) {
            (true, true) => DateOrder::Conflict,
            (true, false) => DateOrder::Known(DayMonth::DayFirst),
            (false, true) => DateOrder::Known(DayMonth::MonthFirst),
            (false, false) => DateOrder::Ask,
        }
    }
}

fn calendar(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

fn year(n: u32) -> Option<i32> {
    i32::try_from(n).ok().filter(|y| (1..=9999).contains(y))
}

/// Three runs of one to four ASCII digits joined by `separator`, each read as a number
/// with its digit count.
fn parts(value: &str, separator: u8) -> Option<[(u32, usize); 3]> {
    let mut parts = [(0u32, 0usize); 3];
    let mut at = 0;
    for &b in value.as_bytes() {
        if b == separator {
            at += 1;
            continue;
        }
        let (n, len) = parts.get_mut(at)?;
        if !b.is_ascii_digit() || *len == 4 {
            return None;
        }
        (*n, *len) = (*n * 10 + u32::from(b - b'0'), *len + 1);
    }
    (at == 2 && parts.iter().all(|&(_, len)| len > 0)).then_some(parts)
}

/// `2026-01-31T00:00:00`, `2026-01-31 08:15`, with seconds, fractions and a zone or not.
fn iso_with_time(value: &str) -> Option<Date> {
    let (day, time) = (value.get(..10)?, value.get(10..)?);
    let time = time.strip_prefix(['T', ' '])?;
    if date_problem(day).is_some() || !is_time(time) {
        return None;
    }
    let number = |r: std::ops::Range<usize>| day.get(r)?.parse::<u32>().ok();
    calendar(
        year(number(0..4)?)?,
        number(5..7)? as u8,
        number(8..10)? as u8,
    )
}

/// `HH:MM`, then optionally `:SS`, `.fraction`, and `Z` or `±HH:MM`.
fn is_time(time: &str) -> bool {
    let b = time.as_bytes();
    let two = |i: usize| {
        b.get(i..i + 2)
            .is_some_and(|p| p.iter().all(u8::is_ascii_digit))
    };
    if !(two(0) && b.get(2) == Some(&b':') && two(3)) {
        return false;
    }
    let mut rest = &time[5..];
    if let Some(seconds) = rest.strip_prefix(':') {
        let n = seconds.bytes().take_while(u8::is_ascii_digit).count();
        if n != 2 {
            return false;
        }
        rest = &seconds[2..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
            rest = &fraction[n..];
        }
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', zone @ ..] => {
            let digits = zone.iter().filter(|c| c.is_ascii_digit()).count();
            let colon = zone.len() - digits;
            digits == 4 && colon <= 1 && zone.iter().all(|c| c.is_ascii_digit() || *c == b':')
        }
        _ => false,
    }
}

/// An Excel serial number: whole days since 1899-12-30, a fraction (the time) ignored.
fn serial(value: &str) -> Option<Date> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || whole.len() > 7 {
        return None;
    }
    let days: i64 = whole.parse().ok().filter(|n| SERIALS.contains(n))?;
    let epoch = calendar(1899, 12, 30)?;
    epoch.checked_add(Duration::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DayMonth::*;

    fn exact(value: &str) -> Option<String> {
        read_date(value).and_then(DateReading::exact).map(iso)
    }

    #[test]
    fn each_layout_reads_as_its_day() {
        for (value, day) in [
            ("2026/01/31", "2026-01-31"),
            ("2026/1/5", "2026-01-05"),
            ("2026-1-5", "2026-01-05"),
            ("31.01.2026", "2026-01-31"),
            ("5.1.2026", "2026-01-05"),
            ("2026-01-31T00:00:00", "2026-01-31"),
            ("2026-01-31 00:00:00", "2026-01-31"),
            ("2026-01-31T08:15", "2026-01-31"),
            ("2026-01-31T08:15:30.250Z", "2026-01-31"),
            ("2026-01-31T08:15:30+01:00", "2026-01-31"),
            (" 2026/01/31 ", "2026-01-31"),
            ("46053", "2026-01-31"),
            ("46053.75", "2026-01-31"),
            ("61", "1900-03-01"),
            ("45351", "2024-02-29"),
            ("2958465", "9999-12-31"),
        ] {
            assert_eq!(exact(value).as_deref(), Some(day), "{value}");
        }
    }

    #[test]
    fn what_is_no_day_or_no_known_layout_is_left_alone() {
        for value in [
            "2026/02/30",
            "30.02.2026",
            "2026-01-31T25",
            "2026-01-31Tnoon",
            "2026-02-30T00:00:00",
            "60",
            "2958466",
            "12",
            "-46053",
            "46053.",
            "1/2/26",
            "1/2/3/2026",
            "31-01-2026",
            "Jan 31, 2026",
            "",
            "٣١.٠١.٢٠٢٦",
        ] {
            assert_eq!(
                read_date(value).and_then(DateReading::exact),
                None,
                "{value}"
            );
        }
        assert_eq!(
            read_date("2/30/2026").and_then(|r| r.date(Some(MonthFirst))),
            None
        );
    }

    #[test]
    fn slash_dates_wait_for_the_order() {
        let r = read_date("01/02/2026").expect("a slash date");
        assert_eq!(r.exact(), None);
        assert_eq!(r.date(None), None);
        assert_eq!(
            r.date(Some(MonthFirst)).map(iso).as_deref(),
            Some("2026-01-02")
        );
        assert_eq!(
            r.date(Some(DayFirst)).map(iso).as_deref(),
            Some("2026-02-01")
        );
    }

    #[test]
    fn a_column_decides_its_order_from_values_over_twelve() {
        let column = |values: &[&str]| {
            let mut c = DateColumn::default();
            for v in values {
                c.note(read_date(v).expect("a date"));
            }
            c.order()
        };
        assert_eq!(
            column(&["01/31/2026", "02/03/2026"]),
            DateOrder::Known(MonthFirst)
        );
        assert_eq!(
            column(&["31/01/2026", "02/03/2026"]),
            DateOrder::Known(DayFirst)
        );
        assert_eq!(column(&["01/02/2026", "12/11/2026"]), DateOrder::Ask);
        assert_eq!(column(&["31/01/2026", "01/31/2026"]), DateOrder::Conflict);
        // Exact layouts say nothing about the slash dates' order.
        assert_eq!(column(&["2026/01/31", "31.01.2026"]), DateOrder::Ask);
    }
}
