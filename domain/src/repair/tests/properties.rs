//! Properties of the repairs over generated files: an empty plan gives back the bytes,
//! a repair changes flagged cells only, and what it repaired is not found again.

use super::*;
use crate::preflight::csv::record_reader::tests::csvish;
use proptest::prelude::*;

/// Cells of an FX file: right, damaged in a way a repair fixes, or wrong otherwise.
fn fx_cell(column: usize) -> BoxedStrategy<String> {
    let pick = |values: &'static [&'static str]| {
        prop::sample::select(values).prop_map(str::to_owned).boxed()
    };
    match column {
        0 => pick(&[
            "2026-01-31",
            "01/31/2026",
            "02/03/2026",
            "31.01.2026",
            "2026/01/31",
            "46053",
            " 2026-01-31",
            "2026-01-31 00:00:00",
            "soon",
            "",
            "31/01/2026",
        ]),
        1 | 2 => pick(&["USD", "usd", "Eur", " USD", "dollars", ""]),
        3 => pick(&[
            "6.5",
            "1,234.50",
            "\"1,234\"",
            "€ 12",
            " 12.5 ",
            "1 234,50",
            "12,5",
            "n/a",
            "1e5",
            "",
        ]),
        // Rate Set Name: any text, never flagged, so never changed.
        _ => pick(&[
            " padded ",
            "01/31/2026",
            "\"1,234.50\"",
            "usd",
            "46053",
            "external",
            "",
        ]),
    }
}

fn fx_file() -> impl Strategy<Value = (String, bool, bool)> {
    let row = (fx_cell(0), fx_cell(1), fx_cell(2), fx_cell(3), fx_cell(4));
    (
        prop::collection::vec(row, 1..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(rows, crlf, bom)| {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(
                "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate,Rate Set Name",
            );
            text.push_str(end);
            for (a, b, c, d, e) in rows {
                let d = if d.contains(',') && !d.starts_with('"') {
                    format!("\"{d}\"")
                } else {
                    d
                };
                text.push_str(&format!("{a},{b},{c},{d},{e}{end}"));
            }
            (text, crlf, bom)
        })
}

/// Every cell of a CSV, by (row, column).
fn cells(bytes: &[u8]) -> std::collections::BTreeMap<(u64, usize), String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = std::collections::BTreeMap::new();
    for (r, record) in reader.records().enumerate() {
        for (c, value) in record.expect("CSV").iter().enumerate() {
            out.insert(
                (r as u64 + 1, c),
                value.trim_start_matches('\u{feff}').to_owned(),
            );
        }
    }
    out
}

proptest! {
    /// Writing with an empty plan gives back the very bytes, however they are cut.
    #[test]
    fn an_empty_plan_gives_back_the_original_bytes(data in csvish(), chunk in 1usize..40, fx in any::<bool>()) {
        let action = fx.then_some(FX);
        let (out, done) = repair_bytes(action, &RepairPlan::default(), &data, chunk);
        prop_assert_eq!(&out, &data);
        prop_assert!(done.changes.is_empty());
        prop_assert_eq!(done.bytes_written, data.len() as u64);
    }

    /// Every offer accepted: only flagged cells change, each into a value the checks
    /// pass; the other cells are the same; and the survey counted what the writer did.
    #[test]
    fn repairs_change_flagged_cells_only_and_clear_their_findings(
        (file, _crlf, _bom) in fx_file(), chunk in 1usize..64, first in any::<bool>()
    ) {
        let before = preflight(FX, file.as_bytes());
        let flagged: std::collections::BTreeSet<(u64, usize)> = before
            .findings()
            .filter_map(|f| Some((f.row?, f.column?)))
            .collect();
        let report = survey_bytes(Some(FX), &[], file.as_bytes(), chunk);
        let plan = accept_all(&report, first);
        let (out, done) = repair_bytes(Some(FX), &plan, file.as_bytes(), chunk);
        let after = preflight(FX, &out);
        let still: std::collections::BTreeSet<(u64, usize)> = after
            .findings()
            .filter_map(|f| Some((f.row?, f.column?)))
            .collect();
        for change in &done.changes {
            let cell = (change.row, change.column.expect("a cell"));
            prop_assert!(flagged.contains(&cell), "{:?} was not flagged", change);
            prop_assert!(!still.contains(&cell), "{:?} still flagged: {:?}", change, codes(&after));
        }
        let (old, new) = (cells(file.as_bytes()), cells(&out));
        for (cell, value) in &old {
            if !done.changes.iter().any(|c| (c.row, c.column) == (cell.0, Some(cell.1))) {
                prop_assert_eq!(Some(value), new.get(cell));
            }
        }
        let offered: u64 = report.offers.iter().map(|o| o.count).sum();
        prop_assert_eq!(offered, done.changes.len() as u64);
        for code in ["padded-value", "enum-case", "currency-case"] {
            prop_assert!(!codes(&after).contains(&code), "{}", code);
        }
    }
}

/// Rows of an FX file whose every damaged cell is one a repair reads.
fn repairable_fx_file() -> impl Strategy<Value = String> {
    let pick = |values: &'static [&'static str]| prop::sample::select(values);
    let dates = pick(&[
        "2026-01-31",
        "01/02/2026",
        "03/04/2026",
        "31.01.2026",
        "2026/01/31",
        "46053",
        " 2026-01-31",
        "2026-01-31T10:00:00",
    ]);
    let currencies = pick(&["USD", "usd", "Eur", " USD", "cny "]);
    let rates = pick(&[
        "6.5",
        "\"1,234.50\"",
        "\"1,234\"",
        "€ 12",
        " 12.5 ",
        "\"100,000.50\"",
        "$7",
    ]);
    let row = (dates, currencies.clone(), currencies, rates);
    prop::collection::vec(row, 1..15).prop_map(|rows| {
        let mut text =
            "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\r\n"
                .to_owned();
        for (a, b, c, d) in rows {
            text.push_str(&format!("{a},{b},{c},{d}\r\n"));
        }
        text
    })
}

proptest! {
    /// Repair, then check: no finding is left of any repaired kind, whichever answers
    /// the questions got.
    #[test]
    fn repair_then_check_finds_nothing_of_the_repaired_kinds(
        file in repairable_fx_file(), chunk in 1usize..64, first in any::<bool>()
    ) {
        let report = survey_bytes(Some(FX), &[], file.as_bytes(), chunk);
        let (out, done) = repair_bytes(Some(FX), &accept_all(&report, first), file.as_bytes(), chunk);
        let after = preflight(FX, &out);
        prop_assert_eq!(codes(&after), Vec::<&str>::new(), "{}", String::from_utf8_lossy(&out));
        let offered: u64 = report.offers.iter().map(|o| o.count).sum();
        prop_assert_eq!(offered, done.changes.len() as u64);
    }
}
