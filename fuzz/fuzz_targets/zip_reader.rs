//! The ZIP reader: the archive's one CSV found, unpacked within limits taken from the
//! input, and scanned; and the ZIP path of the preflight pass, fed in chunks.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use mass_updater_domain::preflight::{
    scan_zip, PreflightPass, ScanOptions, UnpackLimits, ZipEntry,
};
use mass_updater_domain::FileKind;

fuzz_target!(|input: &[u8]| {
    let ([action, seed, limit], archive) = common::split_settings::<3>(input);

    let whole = {
        let mut pass = PreflightPass::new(FileKind::Zip, common::chosen(action));
        pass.feed(archive);
        pass.finish()
    };
    let cut = {
        let mut pass = PreflightPass::new(FileKind::Zip, common::chosen(action));
        pass.reserve_for(archive.len() as u64);
        for piece in common::chunks(archive, seed) {
            pass.feed(piece);
        }
        pass.finish()
    };
    assert_eq!(whole, cut, "the verdict depends on the chunking");

    // Limits small enough for the fuzzer to pass them.
    let limits = UnpackLimits {
        max_bytes: 1 << (limit % 24),
        max_ratio: u64::from(limit % 8) + 1,
        ratio_floor: u64::from(limit) * 16,
    };
    if let Ok(entry) = ZipEntry::find(archive) {
        let allowed = limits.allowed(entry.packed);
        let mut seen = 0u64;
        let unpacked = entry.unpack(archive, limits, &mut |piece| seen += piece.len() as u64);
        assert!(
            seen <= allowed,
            "unpacked {seen} bytes past the limit {allowed}"
        );
        if let Ok(total) = unpacked {
            assert_eq!(total, seen);
        }
    }
    let _ = scan_zip(archive, limits, ScanOptions::default(), &mut |_| {});
});
