//! The one CSV inside an uploaded ZIP archive: finding it, refusing what Zuora (or this
//! app) cannot read, and unpacking it as a stream of pieces for [`CsvScan`].
//!
//! Uploaded archives are at most the upload limit (4 MB by default), so the archive
//! itself is held in memory and its central directory read with `rawzip`; entries are
//! inflated with flate2 and their size and CRC-32 checked by rawzip's verifier. The
//! entry is never held whole: it is inflated in pieces of [`PIECE_BYTES`], each handed
//! on and forgotten, and unpacking stops at the expansion limit (see [`UnpackLimits`]).

use super::csv::{CsvReport, CsvScan, RowEvent, ScanOptions};
use crate::error::ArchiveError;
use rawzip::{CompressionMethod, ZipArchive, ZipArchiveEntryWayfinder, ZipSliceArchive};
use std::io::Read;

/// Size of the pieces handed on while unpacking.
pub const PIECE_BYTES: usize = 64 * 1024;

/// Most bytes one entry may unpack to: 256 MiB. Zuora's 4 MB limit applies to the
/// upload, so a zip may legitimately hold a CSV many times that (CSV compresses 5–15×);
/// 256 MiB is over 60× the limit and still scans in a few seconds, which bounds the time
/// a hostile archive can cost (memory is bounded by streaming regardless).
pub const DEFAULT_MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Most an entry may expand relative to its packed size. Deflate tops out near 1032×;
/// text CSV rarely exceeds 20×, so 100× only stops archives built to expand.
pub const DEFAULT_MAX_RATIO: u64 = 100;

/// Below this many unpacked bytes the ratio is not applied: tiny or very repetitive
/// files can exceed 100× harmlessly.
pub const DEFAULT_RATIO_FLOOR_BYTES: u64 = 1024 * 1024;

/// Names listed in a "no .csv found" message.
const LISTED_NAMES: usize = 5;

/// How far an entry may expand before unpacking stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnpackLimits {
    pub max_bytes: u64,
    pub max_ratio: u64,
    pub ratio_floor: u64,
}

impl Default for UnpackLimits {
    fn default() -> UnpackLimits {
        UnpackLimits {
            max_bytes: DEFAULT_MAX_UNPACKED_BYTES,
            max_ratio: DEFAULT_MAX_RATIO,
            ratio_floor: DEFAULT_RATIO_FLOOR_BYTES,
        }
    }
}

impl UnpackLimits {
    /// Unpacked bytes allowed for an entry of `packed` bytes.
    pub fn allowed(&self, packed: u64) -> u64 {
        packed
            .saturating_mul(self.max_ratio)
            .max(self.ratio_floor)
            .min(self.max_bytes)
    }
}

/// The CSV entry of an archive, as its central directory describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipEntry {
    wayfinder: ZipArchiveEntryWayfinder,
    deflated: bool,
    /// The entry's full name inside the archive (it may include folders).
    pub name: String,
    /// Packed size, as stored (never more than the archive's own size).
    pub packed: u64,
    /// Unpacked size the archive claims; only a hint, unpacking counts for itself.
    pub declared: u64,
}

impl ZipEntry {
    /// The single `.csv` entry of `archive`, ignoring folders, `__MACOSX/` and dot-files
    /// (macOS and Windows add these); refuses encrypted entries and any compression
    /// other than Stored or Deflate.
    pub fn find(archive: &[u8]) -> Result<ZipEntry, ArchiveError> {
        let zip = open(archive)?;
        let mut csvs = Vec::new();
        let mut others = Vec::new();
        let mut entries = zip.entries();
        while let Some(entry) = entries.next_entry().map_err(unreadable)? {
            // Names are shown as they are; a name that is not UTF-8 (old tools write
            // code page 437) keeps its ASCII, which is all the checks below look at.
            let name = String::from_utf8_lossy(entry.file_path().as_ref()).into_owned();
            if ignored(&name) {
                continue;
            }
            if is_csv(&name) {
                csvs.push((entry, name));
            } else {
                others.push(name);
            }
        }
        let (file, name) = match csvs.len() {
            1 => csvs.swap_remove(0),
            0 => {
                let more = others.len().saturating_sub(LISTED_NAMES);
                others.truncate(LISTED_NAMES);
                return Err(ArchiveError::NoCsv {
                    found: others,
                    more,
                });
            }
            _ => {
                return Err(ArchiveError::SeveralCsv {
                    names: csvs.into_iter().map(|(_, n)| n).collect(),
                })
            }
        };
        if file.flags().is_encrypted() {
            return Err(ArchiveError::Encrypted { entry: name });
        }
        let method = file.compression_method();
        if method != CompressionMethod::STORE && method != CompressionMethod::DEFLATE {
            return Err(ArchiveError::UnsupportedMethod {
                entry: name,
                method: method
                    .name()
                    .map_or_else(|| format!("method {}", method.as_u16()), str::to_owned),
            });
        }
        Ok(ZipEntry {
            wayfinder: file.wayfinder(),
            deflated: method == CompressionMethod::DEFLATE,
            packed: file.compressed_size_hint().min(archive.len() as u64),
            declared: file.uncompressed_size_hint(),
            name,
        })
    }

    /// Inflates the entry, handing on pieces of at most [`PIECE_BYTES`]; returns the
    /// unpacked size. Stops with [`ArchiveError::ExpandsTooMuch`] as soon as the limit
    /// is passed (or at once if the archive declares more), and with
    /// [`ArchiveError::Damaged`] on bad data or a checksum mismatch.
    pub fn unpack(
        &self,
        archive: &[u8],
        limits: UnpackLimits,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<u64, ArchiveError> {
        let allowed = limits.allowed(self.packed);
        let too_much = || ArchiveError::ExpandsTooMuch {
            entry: self.name.clone(),
            packed: self.packed,
            limit: allowed,
        };
        if self.declared > allowed {
            return Err(too_much());
        }
        let damaged = |e: &dyn std::fmt::Display| ArchiveError::Damaged {
            entry: self.name.clone(),
            detail: e.to_string(),
        };
        let zip = open(archive)?;
        let entry = zip.get_entry(self.wayfinder).map_err(|e| damaged(&e))?;
        let data = entry.data();
        let mut file: Box<dyn Read + '_> = if self.deflated {
            Box::new(entry.verifying_reader(flate2::bufread::DeflateDecoder::new(data)))
        } else {
            Box::new(entry.verifying_reader(data))
        };
        let mut piece = vec![0u8; PIECE_BYTES];
        let mut total: u64 = 0;
        loop {
            let n = match file.read(&mut piece) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(damaged(&e)),
            };
            total += n as u64;
            if total > allowed {
                return Err(too_much());
            }
            sink(piece.get(..n).unwrap_or_default());
        }
    }
}

/// Finds the CSV in `archive`, unpacks it into a [`CsvScan`] and returns the entry and
/// the scan's report. Row events reach `rows` as with a plain CSV.
pub fn scan_zip(
    archive: &[u8],
    limits: UnpackLimits,
    options: ScanOptions,
    rows: &mut dyn FnMut(RowEvent),
) -> Result<(ZipEntry, CsvReport), ArchiveError> {
    let entry = ZipEntry::find(archive)?;
    let mut scan = CsvScan::new(options);
    entry.unpack(archive, limits, &mut |piece| scan.feed(piece, rows))?;
    Ok((entry, scan.finish(rows)))
}

fn open(archive: &[u8]) -> Result<ZipSliceArchive<&[u8]>, ArchiveError> {
    ZipArchive::from_slice(archive).map_err(unreadable)
}

fn unreadable(e: rawzip::Error) -> ArchiveError {
    ArchiveError::Unreadable {
        detail: e.to_string(),
    }
}

/// Folders, macOS resource forks (`__MACOSX/`, `._name`) and other dot-files.
fn ignored(name: &str) -> bool {
    if name.ends_with('/') || name.ends_with('\\') {
        return true;
    }
    let mut parts = name.split(['/', '\\']);
    let base = parts.next_back().unwrap_or_default();
    base.is_empty() || base.starts_with('.') || name.split(['/', '\\']).any(|p| p == "__MACOSX")
}

fn is_csv(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.len() > 4
        && base
            .get(base.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".csv"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            if name.ends_with('/') {
                w.add_directory(*name, SimpleFileOptions::default())
                    .unwrap();
            } else {
                w.start_file(*name, SimpleFileOptions::default()).unwrap();
                w.write_all(data).unwrap();
            }
        }
        w.finish().unwrap().into_inner()
    }

    /// A one-entry archive written by hand, so that flags, method and sizes can be
    /// whatever a test needs.
    fn raw_zip(name: &str, method: u16, flags: u16, data: &[u8], size: u32, crc: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let common = |out: &mut Vec<u8>| {
            out.extend(20u16.to_le_bytes()); // version needed
            out.extend(flags.to_le_bytes());
            out.extend(method.to_le_bytes());
            out.extend([0, 0, 0x21, 0]); // time, date (1980-01-01)
            out.extend(crc.to_le_bytes());
            out.extend((data.len() as u32).to_le_bytes());
            out.extend(size.to_le_bytes());
            out.extend((name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes()); // extra length
        };
        out.extend(b"PK\x03\x04");
        common(&mut out);
        out.extend(name.as_bytes());
        out.extend(data);
        let cd_start = out.len() as u32;
        out.extend(b"PK\x01\x02");
        out.extend(20u16.to_le_bytes()); // version made by
        common(&mut out);
        out.extend([0u8; 6]); // comment length, disk, internal attributes
        out.extend(0u32.to_le_bytes()); // external attributes
        out.extend(0u32.to_le_bytes()); // local header offset
        out.extend(name.as_bytes());
        let cd_len = out.len() as u32 - cd_start;
        out.extend(b"PK\x05\x06");
        out.extend([0u8; 4]);
        out.extend(1u16.to_le_bytes());
        out.extend(1u16.to_le_bytes());
        out.extend(cd_len.to_le_bytes());
        out.extend(cd_start.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    fn unpack_all(archive: &[u8]) -> Result<(ZipEntry, Vec<u8>), ArchiveError> {
        let entry = ZipEntry::find(archive)?;
        let mut out = Vec::new();
        entry.unpack(archive, UnpackLimits::default(), &mut |p| {
            out.extend_from_slice(p)
        })?;
        Ok((entry, out))
    }

    const CSV: &[u8] = b"Revenue Schedule Number\r\nRS-00000256\r\n";

    #[test]
    fn the_one_csv_is_found_and_unpacked() {
        let archive = zip_of(&[("Delete.CSV", CSV)]);
        let (entry, data) = unpack_all(&archive).unwrap();
        assert_eq!(entry.name, "Delete.CSV");
        assert_eq!(data, CSV);
        let (_, report) = scan_zip(
            &archive,
            UnpackLimits::default(),
            ScanOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(report.data_rows, 1);
        assert!(report.findings.is_empty());
    }

    #[test]
    fn folders_macos_forks_and_dot_files_are_ignored() {
        let archive = zip_of(&[
            ("export/", b""),
            ("__MACOSX/", b""),
            ("__MACOSX/export/._data.csv", b"junk"),
            ("export/.hidden.csv", b"junk"),
            (".DS_Store", b"junk"),
            ("export/data.csv", CSV),
        ]);
        let (entry, data) = unpack_all(&archive).unwrap();
        assert_eq!(entry.name, "export/data.csv");
        assert_eq!(data, CSV);
    }

    #[test]
    fn an_archive_without_a_csv_lists_what_it_holds() {
        let archive = zip_of(&[("a.xlsx", b"x"), ("notes.txt", b"y"), ("dir/", b"")]);
        assert_eq!(
            ZipEntry::find(&archive).unwrap_err(),
            ArchiveError::NoCsv {
                found: vec!["a.xlsx".into(), "notes.txt".into()],
                more: 0
            }
        );
        let many: Vec<(String, &[u8])> = (0..8).map(|i| (format!("f{i}.txt"), &b"x"[..])).collect();
        let many: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        match ZipEntry::find(&zip_of(&many)).unwrap_err() {
            ArchiveError::NoCsv { found, more } => assert_eq!((found.len(), more), (5, 3)),
            e => panic!("{e:?}"),
        }
        assert!(ZipEntry::find(&zip_of(&[]))
            .unwrap_err()
            .to_string()
            .contains("holds no files"));
    }

    #[test]
    fn two_csvs_are_named() {
        let archive = zip_of(&[("a.csv", CSV), ("b.csv", CSV)]);
        assert_eq!(
            ZipEntry::find(&archive).unwrap_err(),
            ArchiveError::SeveralCsv {
                names: vec!["a.csv".into(), "b.csv".into()]
            }
        );
    }

    #[test]
    fn an_encrypted_entry_is_refused() {
        let crc = crc32(CSV);
        let archive = raw_zip("a.csv", 0, 1, CSV, CSV.len() as u32, crc);
        assert_eq!(
            ZipEntry::find(&archive).unwrap_err(),
            ArchiveError::Encrypted {
                entry: "a.csv".into()
            }
        );
        // The same archive without the flag is fine: the test builds valid archives.
        let plain = raw_zip("a.csv", 0, 0, CSV, CSV.len() as u32, crc);
        assert_eq!(unpack_all(&plain).unwrap().1, CSV);
    }

    #[test]
    fn an_unsupported_compression_method_is_named() {
        let archive = raw_zip("a.csv", 12, 0, CSV, CSV.len() as u32, crc32(CSV));
        match ZipEntry::find(&archive).unwrap_err() {
            ArchiveError::UnsupportedMethod { entry, .. } => assert_eq!(entry, "a.csv"),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_corrupt_archive_is_refused() {
        let archive = zip_of(&[("a.csv", CSV)]);
        let cut = &archive[..archive.len() - 10];
        assert!(matches!(
            ZipEntry::find(cut),
            Err(ArchiveError::Unreadable { .. })
        ));
        assert!(matches!(
            ZipEntry::find(b"PK\x03\x04 not really a zip"),
            Err(ArchiveError::Unreadable { .. })
        ));
        // A wrong checksum is found while unpacking.
        let bad = raw_zip("a.csv", 0, 0, CSV, CSV.len() as u32, 0xDEAD_BEEF);
        assert!(matches!(
            unpack_all(&bad),
            Err(ArchiveError::Damaged { .. })
        ));
        // So is deflate data that is not deflate.
        let bad = raw_zip("a.csv", 8, 0, b"\xFF\xFF\xFF\xFF", 100, 0);
        assert!(matches!(
            unpack_all(&bad),
            Err(ArchiveError::Damaged { .. })
        ));
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        crc.sum()
    }

    /// Deflate data for `copies` MiB of zeros, built from one compressed MiB repeated
    /// (each sync-flushed block stands alone), so the test never holds the zeros.
    fn zeros_deflate(copies: usize) -> Vec<u8> {
        let mut c = flate2::Compress::new(flate2::Compression::best(), false);
        let zeros = vec![0u8; 1024 * 1024];
        let mut block = Vec::with_capacity(8192);
        c.compress_vec(&zeros, &mut block, flate2::FlushCompress::Sync)
            .unwrap();
        let mut out = block.repeat(copies);
        out.extend([0x03, 0x00]); // a final, empty fixed-Huffman block
        out
    }

    #[test]
    fn a_zip_bomb_is_refused_before_unpacking() {
        // 200 MiB of zeros in about 200 KB: refused from its declared size alone.
        let data = zeros_deflate(200);
        let archive = raw_zip("bomb.csv", 8, 0, &data, 200 * 1024 * 1024, 0);
        let entry = ZipEntry::find(&archive).unwrap();
        assert!(entry.packed < 1_000_000, "{}", entry.packed);
        let mut called = false;
        let err = entry
            .unpack(&archive, UnpackLimits::default(), &mut |_| called = true)
            .unwrap_err();
        assert!(
            matches!(err, ArchiveError::ExpandsTooMuch { .. }),
            "{err:?}"
        );
        assert!(!called);
        assert!(err.to_string().contains("ZIP bomb"), "{err}");
    }

    /// An archive whose directory declares a 4 GiB entry (the most a plain ZIP header
    /// holds) around a few real bytes: refused from the declaration, before anything
    /// is set aside or unpacked, by the upload's checks and the response file's alike.
    #[test]
    fn a_forged_4_gib_entry_size_is_refused_unread() {
        let archive = raw_zip("forged.csv", 0, 0, CSV, u32::MAX, crc32(CSV));
        let entry = ZipEntry::find(&archive).unwrap();
        assert_eq!(entry.declared, u64::from(u32::MAX));
        let mut called = false;
        let err = entry
            .unpack(&archive, UnpackLimits::default(), &mut |_| called = true)
            .unwrap_err();
        assert!(!called);
        assert!(
            matches!(err, ArchiveError::ExpandsTooMuch { .. }),
            "{err:?}"
        );

        let mut pass = crate::preflight::PreflightPass::new(crate::FileKind::Zip, None);
        pass.reserve_for(u64::MAX);
        pass.feed(&archive);
        assert!(matches!(
            pass.finish(),
            Err(ArchiveError::ExpandsTooMuch { .. })
        ));
        assert_eq!(
            crate::response_file::ResponseSummary::from_zip(&archive),
            Err(crate::ResponseFileError::CsvTooLarge {
                limit: crate::response_file::MAX_RESPONSE_CSV_BYTES
            })
        );
    }

    #[test]
    fn a_zip_bomb_that_lies_about_its_size_stops_early_in_small_pieces() {
        let data = zeros_deflate(200);
        let archive = raw_zip("bomb.csv", 8, 0, &data, 1000, 0);
        let entry = ZipEntry::find(&archive).unwrap();
        let limits = UnpackLimits::default();
        let allowed = limits.allowed(entry.packed);
        let (mut seen, mut biggest) = (0u64, 0usize);
        let err = entry
            .unpack(&archive, limits, &mut |p| {
                seen += p.len() as u64;
                biggest = biggest.max(p.len());
            })
            .unwrap_err();
        // The size check may stop it at the declared size; our own count is the backstop.
        assert!(
            matches!(
                err,
                ArchiveError::Damaged { .. } | ArchiveError::ExpandsTooMuch { .. }
            ),
            "{err:?}"
        );
        assert!(seen <= allowed, "{seen} > {allowed}");
        assert!(biggest <= PIECE_BYTES);
    }

    #[test]
    fn the_ratio_is_not_applied_below_the_floor() {
        let limits = UnpackLimits::default();
        assert_eq!(limits.allowed(10), DEFAULT_RATIO_FLOOR_BYTES);
        assert_eq!(limits.allowed(100_000), 10_000_000);
        assert_eq!(limits.allowed(4_000_000), DEFAULT_MAX_UNPACKED_BYTES);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(data: Vec<u8>) {
            let mut archive = b"PK\x03\x04".to_vec();
            archive.extend(data);
            let _ = scan_zip(&archive, UnpackLimits::default(), ScanOptions::default(), &mut |_| {});
        }

        #[test]
        fn a_damaged_real_archive_never_panics(at in 0usize..200, byte: u8) {
            let mut archive = zip_of(&[("a.csv", CSV), ("b.txt", b"hello")]);
            if let Some(b) = archive.get_mut(at) {
                *b = byte;
            }
            let _ = scan_zip(&archive, UnpackLimits::default(), ScanOptions::default(), &mut |_| {});
        }
    }
}
