//! The repairs read the user's file as preflight does: the survey and the writer, fed
//! in the input's chunking. With nothing accepted, the writer gives back the input
//! byte for byte; with every offer accepted (each question answered with its first
//! answer), it writes a file that the checks read without panicking, and the survey
//! counts what the writer changes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mass_updater_domain::preflight::PreflightPass;
use mass_updater_domain::FileKind;
use mass_updater_domain::repair::{repair_bytes, survey_bytes, RepairPlan};

fuzz_target!(|data: &[u8]| {
    let ([choice, seed], bytes) = common::split_settings::<2>(data);
    let action = common::chosen(choice);
    let chunk = usize::from(seed).max(1);
    let (same, _) = repair_bytes(action, &RepairPlan::default(), bytes, chunk);
    assert!(same == bytes, "an empty plan changed the file");

    let report = survey_bytes(action, &[], bytes, chunk);
    let mut plan = RepairPlan::default();
    for offer in &report.offers {
        let answer = offer.question.as_ref().map(|q| q.answers[0].0);
        let _ = plan.accept(offer, answer);
    }
    let (repaired, _) = repair_bytes(action, &plan, bytes, chunk);
    let mut pass = PreflightPass::new(FileKind::Csv, action);
    for piece in common::chunks(&repaired, seed) {
        pass.feed(piece);
    }
    let _ = pass.finish();
});
