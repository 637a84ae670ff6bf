//! Times, natively, a plain preflight of a 4,000,000-byte Import FX rates file with
//! 20,000 dates in `M/D/YYYY`, then the repair's survey, its writer, and the preflight
//! of the repaired file. Run: `cargo run --release -p mass-updater-domain --example
//! repair_timing`.

use mass_updater_domain::preflight::PreflightPass;
use mass_updater_domain::repair::{RepairPlan, RepairWriter, Survey};
use mass_updater_domain::{ActionType, FileKind};
use std::time::Instant;

const CHUNK: usize = 4 * 1024 * 1024;

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
    text.truncate(text.rfind("\r\n").map_or(0, |i| i + 2));
    text.into_bytes()
}

fn preflight(bytes: &[u8]) -> u64 {
    let mut pass = PreflightPass::new(FileKind::Csv, Some(ActionType::ImportFxRate));
    for chunk in bytes.chunks(CHUNK) {
        pass.feed(chunk);
    }
    pass.finish().map_or(0, |p| p.errors())
}

fn main() {
    let bytes = file();
    let action = Some(ActionType::ImportFxRate);
    let started = Instant::now();
    let errors = preflight(&bytes);
    let plain = started.elapsed();

    let started = Instant::now();
    let mut survey = Survey::new(action, &[]);
    for chunk in bytes.chunks(CHUNK) {
        survey.feed(chunk);
    }
    let report = survey.finish();
    let surveyed = started.elapsed();

    let mut plan = RepairPlan::default();
    for offer in &report.offers {
        let answer = offer.question.as_ref().map(|q| q.answers[0].0);
        let _ = plan.accept(offer, answer);
    }
    let started = Instant::now();
    let mut writer = RepairWriter::new(action, &plan);
    let mut out = Vec::with_capacity(bytes.len());
    for chunk in bytes.chunks(CHUNK) {
        writer.feed(chunk, &mut |b| out.extend_from_slice(b));
    }
    let repaired = writer.finish(&mut |b| out.extend_from_slice(b));
    let written = started.elapsed();

    let started = Instant::now();
    let mut copy = RepairWriter::new(action, &RepairPlan::default());
    let mut same = Vec::with_capacity(bytes.len());
    for chunk in bytes.chunks(CHUNK) {
        copy.feed(chunk, &mut |b| same.extend_from_slice(b));
    }
    copy.finish(&mut |b| same.extend_from_slice(b));
    let copied = started.elapsed();
    assert_eq!(same, bytes);

    let started = Instant::now();
    let errors_after = preflight(&out);
    let rechecked = started.elapsed();

    println!(
        "file: {} bytes, {} errors; repaired: {} bytes, {} changes, {} errors",
        bytes.len(),
        errors,
        out.len(),
        repaired.changes.len(),
        errors_after
    );
    println!("plain preflight: {:.1} ms", plain.as_secs_f64() * 1e3);
    println!("survey: {:.1} ms", surveyed.as_secs_f64() * 1e3);
    println!("writer: {:.1} ms", written.as_secs_f64() * 1e3);
    println!(
        "writer with an empty plan: {:.1} ms",
        copied.as_secs_f64() * 1e3
    );
    println!(
        "preflight of the repaired file: {:.1} ms",
        rechecked.as_secs_f64() * 1e3
    );
    let repair = written + rechecked;
    println!(
        "repair + re-check: {:.1} ms = {:.2}x the plain preflight",
        repair.as_secs_f64() * 1e3,
        repair.as_secs_f64() / plain.as_secs_f64()
    );
}
