//! How fast one file goes through the app's checking pass natively (intake with MD5,
//! CSV scan, row rules), in the release profile (size-optimised, as the wasm is):
//!
//! cargo run -q --release -p mass-updater-domain --example preflight_speed -- FILE [RUNS]
//!
//! A diagnostic for `make bench`'s drop-to-verdict figure, which adds the browser's
//! reading, WebAssembly's own cost and the page's rendering. Under
//! `valgrind --tool=callgrind` it counts instructions, which a shared machine's noise
//! does not blur.
//!
//! `NO_MD5=1` leaves the MD5 out, as the page does when its hashing worker computes it;
//! `NO_CHECK=1` leaves the row checks out.

use mass_updater_domain::preflight::PreflightPass;
use mass_updater_domain::{FileKind, Intake, Md5Stream};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: preflight_speed FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut intake = Intake::start(&path, bytes.len() as u64, u64::MAX).expect("a .csv name");
        let mut pass = PreflightPass::new(FileKind::Csv, None);
        pass.reserve_for(bytes.len() as u64);
        let (md5, check) = (
            std::env::var("NO_MD5").is_err(),
            std::env::var("NO_CHECK").is_err(),
        );
        if !md5 {
            // As the page does when the hashing worker computes the MD5.
            intake.hash_elsewhere();
        }
        for chunk in bytes.chunks(1024 * 1024) {
            intake.feed(chunk).expect("readable");
            if check {
                pass.feed(chunk);
            }
        }
        let accepted = if md5 {
            intake.finish()
        } else {
            intake.finish_with(Md5Stream::new().finish())
        }
        .expect("accepted");
        let preflight = pass.finish().expect("a CSV");
        times.push(start.elapsed().as_secs_f64());
        if times.len() == 1 {
            eprintln!(
                "{}: {} rows, {} errors, {} warnings, MD5 {}",
                path,
                preflight.csv.data_rows,
                preflight.errors(),
                preflight.warnings(),
                accepted.checksum
            );
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "median of {runs}: {:.1} ms, {:.0} MB/s",
        median * 1e3,
        bytes.len() as f64 / median / 1e6
    );
}
