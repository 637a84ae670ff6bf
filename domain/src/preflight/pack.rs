//! Packing a CSV into a one-entry ZIP archive (Deflate, default level), fed in chunks.
//! The UI offers this when a .csv is over the upload limit: Zuora accepts a .zip holding
//! one .csv, and the limit applies to the upload, so the zip is what gets sent (and its
//! MD5 is taken over the zip's bytes).
//!
//! Memory is the packed output plus the compressor's window; the CSV is never held. At
//! the end the archive is assembled around a copy of the packed output, so for a moment
//! it takes twice the packed size (a few MB for anything that fits the upload limit).

use crate::error::PackError;
use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use rawzip::{CompressionMethod, DataDescriptorOutput, ZipArchiveWriter};
use std::io::Write;

/// A one-entry ZIP archive being written: the entry is deflated as it is fed, and the
/// archive (headers, the deflated bytes, the directory) is assembled by `rawzip` at the
/// end, when the CRC-32 and sizes are known.
pub struct ZipPacker {
    entry: String,
    deflate: DeflateEncoder<Vec<u8>>,
    crc: Crc,
    fed: u64,
    failure: Option<String>,
}

impl ZipPacker {
    /// An archive holding one file named `entry_name` (for example `"Delete.csv"`).
    pub fn new(entry_name: &str) -> ZipPacker {
        ZipPacker {
            entry: entry_name.to_owned(),
            deflate: DeflateEncoder::new(Vec::new(), Compression::default()),
            crc: Crc::new(),
            fed: 0,
            failure: None,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        if self.failure.is_some() {
            return;
        }
        match self.deflate.write_all(bytes) {
            Ok(()) => {
                self.crc.update(bytes);
                self.fed += bytes.len() as u64;
            }
            Err(e) => self.failure = Some(e.to_string()),
        }
    }

    /// Bytes fed so far.
    pub fn fed(&self) -> u64 {
        self.fed
    }

    /// Packed bytes written so far. Lags the input by what the compressor still holds
    /// (up to a few tens of KiB), and leaves out the archive's headers, so it is a lower
    /// bound: the UI may stop early once it passes the limit.
    pub fn packed_so_far(&self) -> u64 {
        self.deflate.get_ref().len() as u64
    }

    /// The finished archive.
    pub fn finish(self) -> Result<Vec<u8>, PackError> {
        let fail = |detail: String| PackError::Failed {
            entry: self.entry.clone(),
            detail,
        };
        if let Some(detail) = self.failure.clone() {
            return Err(fail(detail));
        }
        let deflated = self.deflate.finish().map_err(|e| fail(e.to_string()))?;
        archive_of(&self.entry, &deflated, self.crc.sum(), self.fed)
            .map_err(|e| fail(e.to_string()))
    }
}

/// A one-entry archive around `deflated`, the Deflate stream of `size` bytes whose
/// CRC-32 is `crc`.
fn archive_of(name: &str, deflated: &[u8], crc: u32, size: u64) -> Result<Vec<u8>, rawzip::Error> {
    let mut archive = ZipArchiveWriter::new(Vec::with_capacity(deflated.len() + 256));
    let (mut entry, _) = archive
        .new_file(name)
        .compression_method(CompressionMethod::DEFLATE)
        .unix_permissions(0o644)
        .start()?;
    entry.write_all(deflated)?;
    entry.finish(DataDescriptorOutput::new(crc, size))?;
    archive.finish()
}

/// Packs `csv` whole; for tests and small inputs.
pub fn pack(entry_name: &str, csv: &[u8]) -> Result<Vec<u8>, PackError> {
    let mut packer = ZipPacker::new(entry_name);
    packer.feed(csv);
    packer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::zip_entry::{UnpackLimits, ZipEntry};

    fn sample(rows: usize) -> Vec<u8> {
        let mut csv = b"Revenue Schedule Number,Amount\r\n".to_vec();
        for i in 0..rows {
            csv.extend(format!("RS-{i:08},{}.00\r\n", i % 1000).as_bytes());
        }
        csv
    }

    #[test]
    fn a_packed_csv_round_trips_through_the_zip_crate() {
        let csv = sample(20_000);
        let mut packer = ZipPacker::new("Delete.csv");
        for chunk in csv.chunks(7777) {
            packer.feed(chunk);
        }
        assert_eq!(packer.fed(), csv.len() as u64);
        let zip = packer.finish().unwrap();
        assert!(zip.len() * 4 < csv.len(), "{} vs {}", zip.len(), csv.len());
        let entry = ZipEntry::find(&zip).unwrap();
        assert_eq!(entry.name, "Delete.csv");
        let mut out = Vec::new();
        entry
            .unpack(&zip, UnpackLimits::default(), &mut |p| {
                out.extend_from_slice(p)
            })
            .unwrap();
        assert_eq!(out, csv);
    }

    #[test]
    fn an_empty_csv_still_makes_a_valid_archive() {
        let zip = pack("empty.csv", b"").unwrap();
        assert_eq!(ZipEntry::find(&zip).unwrap().declared, 0);
    }

    /// Standard tools accept the archive: `unzip -t`, else Python's zipfile; skipped
    /// (with a note) where neither exists.
    #[test]
    fn a_packed_csv_passes_standard_unzip() {
        use std::process::Command;
        let csv = sample(5000);
        let zip = pack("Delete.csv", &csv).unwrap();
        let dir = std::env::temp_dir().join(format!("pack-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("Delete.zip");
        std::fs::write(&path, &zip).unwrap();
        let unzip = Command::new("unzip").arg("-t").arg(&path).output();
        let python = || {
            Command::new("python3")
                .arg("-c")
                .arg(
                    "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
                     assert z.testzip() is None; assert z.namelist() == ['Delete.csv']; \
                     sys.stdout.write(str(len(z.read('Delete.csv'))))",
                )
                .arg(&path)
                .output()
        };
        match (unzip, python()) {
            (Ok(out), _) if out.status.code().is_some() => {
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success(), "{text}");
                assert!(text.contains("No errors detected"), "{text}");
            }
            (_, Ok(out)) if out.status.code().is_some() => {
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_eq!(String::from_utf8_lossy(&out.stdout), csv.len().to_string());
            }
            _ => eprintln!("neither unzip nor python3 found; standard-tool check skipped"),
        }
        if let Ok(out) = python() {
            if out.status.code().is_some() {
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
