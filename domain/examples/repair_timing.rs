//! Times, natively, a plain preflight of a 4,000,000-byte Import FX rates file with
//! 20,000 dates in `M/D/YYYY`, then the repair's survey, its writer (with every offer
//! accepted, and with an empty plan), and the preflight of the repaired file. Each
//! stage runs seven times; the fastest run is shown, which is the least disturbed by
//! other work on the machine. Run:
//! `cargo run --release -p mass-updater-domain --example repair_timing`.

use mass_updater_domain::preflight::PreflightPass;
use mass_updater_domain::repair::{RepairPlan, RepairWriter, Survey, SurveyReport};
use mass_updater_domain::{ActionType, FileKind};
use std::time::{Duration, Instant};

const CHUNK: usize = 4 * 1024 * 1024;
const RUNS: usize = 7;
const ACTION: Option<ActionType> = Some(ActionType::ImportFxRate);

fn file() -> Vec<u8> {
    let mut text = String::from(
        "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate,Rate Set Name\r\n",
    );
    let mut row = 0u64;
    while text.len() < 4_000_000 {
        let date = if row % 4 == 0 && row / 4 < 20_000 {
            format!("{:02}/{:02}/2026", row % 12 + 1, row % 17 + 13)
        } else {
            "2026-01-31".to_owned()
        };
        text.push_str(&format!("{date},USD,EUR,1.{row},Month end set {row}\r\n"));
        row += 1;
    }
    text.into_bytes()
}

/// The fastest of [`RUNS`] runs of `stage`, and its last result.
fn fastest<T>(mut stage: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut result = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let value = stage();
        best = best.min(started.elapsed());
        result = Some(value);
    }
    (best, result.expect("at least one run"))
}

fn preflight(bytes: &[u8]) -> u64 {
    let mut pass = PreflightPass::new(FileKind::Csv, ACTION);
    for chunk in bytes.chunks(CHUNK) {
        pass.feed(chunk);
    }
    pass.finish().map_or(0, |p| p.errors())
}

fn survey(bytes: &[u8]) -> SurveyReport {
    let mut survey = Survey::new(ACTION, &[]);
    for chunk in bytes.chunks(CHUNK) {
        survey.feed(chunk);
    }
    survey.finish()
}

fn write(bytes: &[u8], plan: &RepairPlan) -> (Vec<u8>, usize) {
    let mut writer = RepairWriter::new(ACTION, plan);
    let mut out = Vec::with_capacity(bytes.len());
    for chunk in bytes.chunks(CHUNK) {
        writer.feed(chunk, &mut |b| out.extend_from_slice(b));
    }
    let repaired = writer.finish(&mut |b| out.extend_from_slice(b));
    (out, repaired.changes.len())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let bytes = file();
    let (plain, errors) = fastest(|| preflight(&bytes));
    let (surveyed, report) = fastest(|| survey(&bytes));
    let mut plan = RepairPlan::default();
    for offer in &report.offers {
        let answer = offer.question.as_ref().map(|q| q.answers[0].0);
        let _ = plan.accept(offer, answer);
    }
    let (written, (out, changes)) = fastest(|| write(&bytes, &plan));
    let (copied, (same, _)) = fastest(|| write(&bytes, &RepairPlan::default()));
    assert_eq!(same, bytes, "an empty plan gives back the file");
    let (rechecked, errors_after) = fastest(|| preflight(&out));
    println!(
        "file: {} bytes, {errors} errors; repaired: {} bytes, {changes} changes, {errors_after} errors",
        bytes.len(),
        out.len()
    );
    println!("plain preflight: {:.1} ms", ms(plain));
    println!("survey: {:.1} ms", ms(surveyed));
    println!("writer: {:.1} ms", ms(written));
    println!("writer with an empty plan: {:.1} ms", ms(copied));
    println!("preflight of the repaired file: {:.1} ms", ms(rechecked));
    let repair = written + rechecked;
    println!(
        "writer + re-check: {:.1} ms = {:.2}x the plain preflight",
        ms(repair),
        repair.as_secs_f64() / plain.as_secs_f64()
    );
}
