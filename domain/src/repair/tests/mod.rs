//! The repair end to end: survey, plan and writer on whole files, checked by preflight.

use super::*;
use crate::intake::FileKind;
use crate::preflight::{Preflight, PreflightPass};
use crate::ActionType;

mod properties;

const FX: ActionType = ActionType::ImportFxRate;

fn preflight(action: ActionType, bytes: &[u8]) -> Preflight {
    let mut pass = PreflightPass::new(FileKind::Csv, Some(action));
    pass.feed(bytes);
    pass.finish().expect("a CSV")
}

fn codes(p: &Preflight) -> Vec<&'static str> {
    p.findings().map(|f| f.code).collect()
}

/// Accepts every offer, answering questions with `answer_first` (month first, point)
/// or the other answer.
fn accept_all(report: &SurveyReport, answer_first: bool) -> RepairPlan {
    let mut plan = RepairPlan::default();
    for offer in &report.offers {
        let answer = offer
            .question
            .as_ref()
            .map(|q| q.answers[usize::from(!answer_first)].0);
        plan.accept(offer, answer).expect("accepted");
    }
    plan
}

fn offer(report: &SurveyReport, kind: RepairKind) -> &RepairOffer {
    report
        .offers
        .iter()
        .find(|o| o.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} offer in {:?}", report.offers))
}

#[test]
fn downloads_are_named_after_the_original() {
    assert_eq!(repaired_file_name("fx.csv"), "fx-repaired.csv");
    assert_eq!(repaired_file_name("C:\\in\\fx.ZIP"), "fx-repaired.zip");
    assert_eq!(changes_file_name("dir/fx.zip"), "fx-changes.csv");
}

#[test]
fn an_edited_row_is_rechecked_on_its_own() {
    let header = [
        "Provider Exchange Rate Date",
        "Currency (From)",
        "Currency (To)",
        "Exchange Rate",
    ];
    let bad = recheck_row(FX, &header, 5, &["01/31/2026", "USD", "EUR", "1"]);
    let found: Vec<_> = bad
        .kept()
        .iter()
        .map(|f| (f.code, f.row, f.column))
        .collect();
    assert_eq!(found, vec![("bad-date", Some(5), Some(0))]);
    assert!(recheck_row(FX, &header, 5, &["2026-01-31", "USD", "EUR", "1"]).is_empty());
}

#[test]
fn an_excel_fx_file_becomes_clean_and_each_change_is_listed() {
    let file =
        "\u{feff}Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\r\n\
                01/31/2026,usd,EUR,\"100,000.50\"\r\n\
                02/01/2026,USD,eur,\" 0.92 \"\r\n\
                46054,USD,CNY,6.5\r\n";
    let before = preflight(FX, file.as_bytes());
    assert!(before.has_errors());
    let report = survey_bytes(Some(FX), &[], file.as_bytes(), 7);
    let dates = offer(&report, RepairKind::Dates);
    assert_eq!((dates.count, dates.question.is_some()), (3, false));
    assert_eq!(dates.decided, Some(Decision::Order(DayMonth::MonthFirst)));
    assert_eq!(
        dates.sample,
        Some(("46054".to_owned(), "2026-02-01".to_owned()))
    );
    assert_eq!(offer(&report, RepairKind::Numbers).count, 1);
    assert_eq!(offer(&report, RepairKind::Whitespace).count, 1);
    let enums: u64 = report
        .offers
        .iter()
        .filter(|o| o.kind == RepairKind::Enums)
        .map(|o| o.count)
        .sum();
    assert_eq!(enums, 2);
    let plan = accept_all(&report, true);
    let (out, done) = repair_bytes(Some(FX), &plan, file.as_bytes(), 5);
    let after = preflight(FX, &out);
    assert_eq!(
        codes(&after),
        Vec::<&str>::new(),
        "{}",
        String::from_utf8_lossy(&out)
    );
    assert_eq!(
        String::from_utf8(out).expect("UTF-8"),
        "\u{feff}Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\r\n\
         2026-01-31,USD,EUR,\"100000.50\"\r\n\
         2026-02-01,USD,EUR,\"0.92\"\r\n\
         2026-02-01,USD,CNY,6.5\r\n"
    );
    assert_eq!(done.changes.len(), 7);
    let csv = String::from_utf8(changes_csv(&done).expect("written")).expect("UTF-8");
    assert!(csv.starts_with("row,column,old value,new value,repair\n2,Provider Exchange Rate Date,01/31/2026,2026-01-31,dates\n"), "{csv}");
    assert!(
        csv.contains("3,Exchange Rate, 0.92 ,0.92,whitespace\n"),
        "{csv}"
    );
}

#[test]
fn an_ambiguous_date_column_asks_and_converts_nothing_until_told() {
    let file = "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\n\
                01/02/2026,USD,EUR,1\n\
                03/04/2026,USD,EUR,1\n";
    let report = survey_bytes(Some(FX), &[], file.as_bytes(), 64);
    let dates = offer(&report, RepairKind::Dates);
    assert!(dates.needs_answer());
    let question = dates.question.as_ref().expect("a question");
    assert_eq!(question.value, "01/02/2026");
    assert_eq!(
        question.answers[0],
        (
            Decision::Order(DayMonth::MonthFirst),
            "2026-01-02".to_owned()
        )
    );
    assert_eq!(
        question.answers[1],
        (Decision::Order(DayMonth::DayFirst), "2026-02-01".to_owned())
    );
    let mut plan = RepairPlan::default();
    assert_eq!(
        plan.accept(dates, None),
        Err(crate::error::RepairError::AnswerNeeded)
    );
    let wrong = Some(Decision::Mark(DecimalMark::Comma));
    assert_eq!(
        plan.accept(dates, wrong),
        Err(crate::error::RepairError::AnswerDoesNotFit)
    );
    let (out, done) = repair_bytes(Some(FX), &plan, file.as_bytes(), 64);
    assert_eq!(out, file.as_bytes());
    assert!(done.changes.is_empty());
    for (answer, first, second) in [
        (DayMonth::MonthFirst, "2026-01-02", "2026-03-04"),
        (DayMonth::DayFirst, "2026-02-01", "2026-04-03"),
    ] {
        let mut plan = RepairPlan::default();
        plan.accept(dates, Some(Decision::Order(answer)))
            .expect("answered");
        let (out, _) = repair_bytes(Some(FX), &plan, file.as_bytes(), 3);
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(
            text.contains(&format!("\n{first},")) && text.contains(&format!("\n{second},")),
            "{text}"
        );
    }
}

#[test]
fn a_column_with_both_orders_converts_only_its_exact_dates() {
    let file = "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\n\
                31/01/2026,USD,EUR,1\n01/31/2026,USD,EUR,1\n2026/01/31,USD,EUR,1\n";
    let report = survey_bytes(Some(FX), &[], file.as_bytes(), 64);
    let dates = offer(&report, RepairKind::Dates);
    assert_eq!((dates.count, dates.needs_answer()), (1, false));
    let (out, _) = repair_bytes(Some(FX), &accept_all(&report, true), file.as_bytes(), 64);
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(
        text.contains("\n31/01/2026,")
            && text.contains("\n01/31/2026,")
            && text.contains("\n2026-01-31,")
    );
}

#[test]
fn an_ambiguous_number_column_asks_for_the_decimal_mark() {
    let file = "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\n\
                2026-01-31,USD,EUR,\"1,234\"\n";
    let report = survey_bytes(Some(FX), &[], file.as_bytes(), 64);
    let numbers = offer(&report, RepairKind::Numbers);
    let question = numbers.question.as_ref().expect("asks");
    assert_eq!(question.answers[0].1, "1234");
    assert_eq!(question.answers[1].1, "1.234");
    let (out, _) = repair_bytes(Some(FX), &accept_all(&report, false), file.as_bytes(), 64);
    assert!(String::from_utf8(out)
        .expect("UTF-8")
        .ends_with(",\"1.234\"\n"));
}

#[test]
fn a_windows_1252_file_is_read_into_utf8_and_its_changed_values_listed() {
    let file = b"Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate,Rate Set Name\r\n\
                 2026-01-31,USD,EUR,1,M\xfcller \x80\r\n\
                 2026-01-31,USD,EUR,1,plain\r\n";
    assert!(codes(&preflight(FX, file)).contains(&"invalid-utf8"));
    let report = survey_bytes(Some(FX), &[], file, 4);
    let encoding = offer(&report, RepairKind::Encoding);
    assert_eq!(encoding.count, 1);
    assert_eq!(report.recoded.len(), 1);
    let recoded = &report.recoded[0];
    assert_eq!(
        (recoded.row, recoded.column, recoded.after.as_str()),
        (2, 4, "Müller €")
    );
    assert_eq!(recoded.before, "M\u{fffd}ller \u{fffd}");
    let (out, done) = repair_bytes(Some(FX), &accept_all(&report, true), file, 4);
    assert_eq!(codes(&preflight(FX, &out)), Vec::<&str>::new());
    assert!(String::from_utf8(out)
        .expect("UTF-8")
        .contains(",Müller €\r\n2026-01-31,USD,EUR,1,plain\r\n"));
    assert_eq!(done.changes.len(), 1);
    // Without the repair, the record stays exactly as it was.
    let (out, _) = repair_bytes(Some(FX), &RepairPlan::default(), file, 4);
    assert_eq!(out, file);
}

#[test]
fn blank_rows_at_the_end_go_and_those_between_rows_stay() {
    let file = "Revenue Schedule Number\r\nRS-1\r\n\r\n\r\nRS-2\r\n\r\n\"\"\r\n\n";
    let action = ActionType::DeleteRevenueSchedule;
    let report = survey_bytes(Some(action), &[], file.as_bytes(), 3);
    assert_eq!(offer(&report, RepairKind::BlankRows).count, 3);
    for chunk in [1, 2, 5, 100] {
        let (out, done) = repair_bytes(
            Some(action),
            &accept_all(&report, true),
            file.as_bytes(),
            chunk,
        );
        assert_eq!(
            out, b"Revenue Schedule Number\r\nRS-1\r\n\r\n\r\nRS-2\r\n",
            "chunk {chunk}"
        );
        assert_eq!(done.rows_dropped, 3);
        assert_eq!(done.changes.len(), 1, "one blank record, two blank lines");
    }
}

#[test]
fn a_confirmed_header_mapping_renames_the_column_and_its_values_are_checked() {
    let file = "Provider Exchange Rate Date,Currency (From),Currency (To),Rate\n2026-01-31,USD,EUR,\"1,234.5\"\n";
    let report = survey_bytes(Some(FX), &[], file.as_bytes(), 64);
    let proposal = &report.proposals[0];
    assert_eq!((proposal.expected, proposal.column), ("Exchange Rate", 3));
    assert!(
        report.offers.is_empty(),
        "the rate is not known until mapped"
    );
    let mut plan = RepairPlan::default();
    plan.map_header(proposal.column, proposal.expected);
    let report = survey_bytes(Some(FX), &plan.header_mappings(), file.as_bytes(), 64);
    assert!(report.proposals.is_empty());
    plan.accept(offer(&report, RepairKind::Numbers), None)
        .expect("accepted");
    let (out, done) = repair_bytes(Some(FX), &plan, file.as_bytes(), 64);
    assert_eq!(
        String::from_utf8(out).expect("UTF-8"),
        "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\n2026-01-31,USD,EUR,\"1234.5\"\n"
    );
    assert_eq!(done.changes[0].reason, ChangeReason::Header);
    assert_eq!(
        done.changes[1].reason,
        ChangeReason::Repair(RepairKind::Numbers)
    );
}

#[test]
fn edits_apply_to_any_cell_and_undo_takes_them_back() {
    let file = "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\n2026-01-31,USD,EUR,oops\n";
    let mut plan = RepairPlan::default();
    plan.edit(2, 3, "1.5");
    plan.edit(2, 2, "a, \"b\"");
    let (out, done) = repair_bytes(Some(FX), &plan, file.as_bytes(), 64);
    assert!(String::from_utf8(out)
        .expect("UTF-8")
        .ends_with("\n2026-01-31,USD,\"a, \"\"b\"\"\",1.5\n"));
    assert_eq!(done.changes.len(), 2);
    assert!(done.edits_not_applied.is_empty());
    assert!(plan.undo_last());
    let (out, _) = repair_bytes(Some(FX), &plan, file.as_bytes(), 64);
    assert!(String::from_utf8(out)
        .expect("UTF-8")
        .ends_with("\n2026-01-31,USD,EUR,1.5\n"));
    plan.edit(2, 3, "2");
    plan.edit(2, 3, "3");
    assert!(plan.undo_last());
    assert_eq!(plan.edits().get(&(2, 3)).map(String::as_str), Some("2"));
    // An edit no cell takes is said, not dropped silently; one that keeps the value is
    // taken.
    let mut other = plan.clone();
    other.edit(2, 9, "x");
    other.edit(7, 0, "x");
    other.edit(2, 1, "USD");
    let (_, done) = repair_bytes(Some(FX), &other, file.as_bytes(), 64);
    assert_eq!(done.edits_not_applied, vec![(2, 9), (7, 0)]);
    plan.undo_all();
    assert!(plan.is_empty());
    assert!(!plan.undo_last());
    let (out, _) = repair_bytes(Some(FX), &plan, file.as_bytes(), 64);
    assert_eq!(out, file.as_bytes());
}
