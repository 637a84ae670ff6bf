//! The CSV preflight pass fed in chunk sizes taken from the input. Besides never
//! panicking, the verdict must not depend on where the chunks were cut: the same bytes
//! fed whole and in the input's chunking give the same `Preflight`.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use mass_updater_domain::preflight::{CsvScan, PreflightPass, ScanOptions};
use mass_updater_domain::{ActionType, FileKind};

fn pass(chosen: Option<ActionType>, pieces: &[&[u8]], reserve: Option<u64>) -> PreflightPass {
    let mut pass = PreflightPass::new(FileKind::Csv, chosen);
    if let Some(total) = reserve {
        pass.reserve_for(total);
    }
    for piece in pieces {
        pass.feed(piece);
    }
    pass
}

/// Small limits, so that oversized records, the field limit, the preview and the
/// retain limit are all reached by short inputs.
fn small_scan(pieces: &[&[u8]]) -> mass_updater_domain::preflight::CsvReport {
    let mut scan = CsvScan::new(ScanOptions {
        preview_rows: 2,
        retain_bytes: 200,
        max_record_bytes: 48,
        max_fields: 6,
        findings_kept: 3,
    });
    for piece in pieces {
        scan.feed(piece, &mut |_| {});
    }
    scan.finish(&mut |_| {})
}

fuzz_target!(|input: &[u8]| {
    let ([action, seed, mode], data) = common::split_settings::<3>(input);
    let chosen = common::chosen(action);
    let cut = common::chunks(data, seed);
    // Each reader builds csv-core's automaton, the dearest step for short inputs, so
    // each input runs one comparison of two passes, chosen by its third byte.
    match mode % 3 {
        0 => {
            let whole = pass(chosen, &[data], None).finish();
            let cut_up = pass(chosen, &cut, Some(data.len() as u64)).finish();
            assert_eq!(whole, cut_up, "the verdict depends on the chunking");
        }
        1 => {
            let whole = small_scan(&[data]);
            let cut_up = small_scan(&cut);
            assert_eq!(whole, cut_up, "the scan depends on the chunking");
        }
        _ => {
            // Checking the rows kept in memory against another action type gives what
            // a fresh pass for that type gives.
            let Ok(mut preflight) = pass(chosen, &cut, None).finish() else {
                return;
            };
            let _ = (preflight.findings().count(), preflight.group_column());
            let Some(other) = common::chosen(mode / 3) else {
                return;
            };
            if preflight.recheck(other) {
                let fresh = pass(Some(other), &[data], None).finish();
                assert_eq!(Ok(preflight), fresh, "a recheck differs from a fresh pass");
            }
        }
    }
});
