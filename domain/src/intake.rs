//! Deciding whether a file may be sent at all: its kind by extension *and* content (never
//! by the browser's MIME type), its size against the limit, and its MD5, all from one
//! pass over its bytes in chunks.

use crate::checksum::{Checksum, Md5Stream};
use crate::error::{IntakeError, Lookalike};
use crate::wording;

/// Zuora says "4 MB" without defining it; 4,000,000 bytes is the stricter reading, so a
/// file we accept is never too large for Zuora.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 4_000_000;

/// The two containers Zuora accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Zip,
}

impl FileKind {
    /// From the extension alone, case-insensitively.
    pub fn from_name(name: &str) -> Option<FileKind> {
        let ext = name.rsplit_once('.')?.1;
        if ext.eq_ignore_ascii_case("csv") {
            Some(FileKind::Csv)
        } else if ext.eq_ignore_ascii_case("zip") {
            Some(FileKind::Zip)
        } else {
            None
        }
    }
}

/// A file that passed every check, with the checksum of its exact bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedFile {
    pub name: String,
    pub size: u64,
    pub kind: FileKind,
    pub checksum: Checksum,
}

/// The checks of one file, fed its bytes chunk by chunk.
///
/// `start` decides what can be decided from the name and size; `feed` inspects content
/// and hashes; `finish` gives the verdict. A `feed` error means: stop reading, the file
/// is refused.
pub struct Intake {
    name: String,
    size: u64,
    kind: FileKind,
    read: u64,
    head: Vec<u8>,
    first_zero: Option<u64>,
    /// `None` once the hashing is left to someone else ([`Intake::hash_elsewhere`]).
    md5: Option<Md5Stream>,
}

/// Bytes needed to recognise the signatures below.
const HEAD_LEN: usize = 8;

impl Intake {
    pub fn start(name: &str, size: u64, limit: u64) -> Result<Intake, IntakeError> {
        let name = name.to_owned();
        let Some(kind) = FileKind::from_name(&name) else {
            return Err(IntakeError::UnsupportedExtension { name });
        };
        if size == 0 {
            return Err(IntakeError::Empty { name });
        }
        // An oversized .csv is still read: preflight checks it, and it can be
        // compressed or split to fit. A .zip cannot be made smaller.
        if kind == FileKind::Zip && size > limit {
            return Err(IntakeError::TooLarge { name, size, limit });
        }
        Ok(Intake {
            name,
            size,
            kind,
            read: 0,
            head: Vec::with_capacity(HEAD_LEN),
            first_zero: None,
            md5: Some(Md5Stream::new()),
        })
    }

    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// Leaves the MD5 to someone else (the app hashes in a worker while this thread
    /// checks): `feed` then only inspects and counts, and the verdict comes from
    /// [`Intake::finish_with`] and the checksum of the same bytes.
    pub fn hash_elsewhere(&mut self) {
        self.md5 = None;
    }

    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), IntakeError> {
        if self.head.len() < HEAD_LEN {
            let take = (HEAD_LEN - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
            if self.head.len() == HEAD_LEN {
                self.check_head()?;
            }
        }
        if self.kind == FileKind::Csv && self.first_zero.is_none() {
            if let Some(at) = memchr::memchr(0, chunk) {
                self.first_zero = Some(self.read + at as u64);
            }
        }
        if let Some(md5) = &mut self.md5 {
            md5.update(chunk);
        }
        self.read += chunk.len() as u64;
        // The signature speaks first (it names what the file really is), so a zero byte
        // is only reported once the head has been judged.
        if self.head.len() == HEAD_LEN {
            self.check_zero()?;
        }
        Ok(())
    }

    /// The verdict, with the MD5 of the bytes fed.
    pub fn finish(mut self) -> Result<AcceptedFile, IntakeError> {
        match self.md5.take() {
            Some(md5) => self.verdict(md5.finish()),
            None => Err(IntakeError::Unreadable {
                name: self.name,
                detail: wording::errors::md5_never_given(),
            }),
        }
    }

    /// The verdict of an intake that left hashing to someone else, with the
    /// `checksum` they computed over the same bytes.
    pub fn finish_with(self, checksum: Checksum) -> Result<AcceptedFile, IntakeError> {
        self.verdict(checksum)
    }

    fn verdict(self, checksum: Checksum) -> Result<AcceptedFile, IntakeError> {
        if self.read != self.size {
            return Err(IntakeError::ChangedWhileReading {
                name: self.name,
                expected: self.size,
                read: self.read,
            });
        }
        if self.head.len() < HEAD_LEN {
            self.check_head()?;
        }
        self.check_zero()?;
        Ok(AcceptedFile {
            name: self.name,
            size: self.size,
            kind: self.kind,
            checksum,
        })
    }

    fn check_zero(&self) -> Result<(), IntakeError> {
        match self.first_zero {
            Some(offset) => Err(IntakeError::BinaryCsv {
                name: self.name.clone(),
                offset,
            }),
            None => Ok(()),
        }
    }

    fn check_head(&self) -> Result<(), IntakeError> {
        let head = &self.head[..];
        match self.kind {
            FileKind::Zip => {
                // A local file header, or the end record of an archive with no entries
                // (which later checks reject for holding no .csv).
                if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
                    Ok(())
                } else {
                    Err(IntakeError::NotAZip {
                        name: self.name.clone(),
                    })
                }
            }
            FileKind::Csv => match disguise(head) {
                Some(looks_like) => Err(IntakeError::DisguisedCsv {
                    name: self.name.clone(),
                    looks_like,
                }),
                None => Ok(()),
            },
        }
    }
}

/// Formats people commonly save under a `.csv` name by mistake, by their first bytes.
fn disguise(head: &[u8]) -> Option<Lookalike> {
    const SIGNATURES: [(&[u8], Lookalike); 7] = [
        (b"PK\x03\x04", Lookalike::ExcelOrZip),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Lookalike::OldExcel),
        (b"%PDF", Lookalike::Pdf),
        (b"\x1F\x8B", Lookalike::Gzip),
        (b"\xFF\xFE", Lookalike::Utf16),
        (b"\xFE\xFF", Lookalike::Utf16),
        (b"{\\rtf", Lookalike::RichText),
    ];
    SIGNATURES
        .iter()
        .find(|(sig, _)| head.starts_with(sig))
        .map(|(_, what)| *what)
}

/// A file name without its extension: `fx.csv` → `fx`; a name that is only an
/// extension (`.csv`) or has none stays whole.
pub fn file_stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stem_drops_only_the_last_extension() {
        assert_eq!(file_stem("fx.csv"), "fx");
        assert_eq!(file_stem("rates.2026.csv"), "rates.2026");
        assert_eq!(file_stem(".csv"), ".csv");
        assert_eq!(file_stem("README"), "README");
    }
    use crate::checksum::md5_of;
    use proptest::prelude::*;

    const LIMIT: u64 = DEFAULT_MAX_FILE_BYTES;

    fn check(name: &str, bytes: &[u8], chunk: usize) -> Result<AcceptedFile, IntakeError> {
        let mut intake = Intake::start(name, bytes.len() as u64, LIMIT)?;
        for piece in bytes.chunks(chunk.max(1)) {
            intake.feed(piece)?;
        }
        intake.finish()
    }

    #[test]
    fn a_plain_csv_is_accepted_with_its_md5() {
        let csv = b"Revenue Schedule Number\nRS-00000256\n";
        let ok = check("Delete.CSV", csv, 5).unwrap();
        assert_eq!(ok.kind, FileKind::Csv);
        assert_eq!(ok.size, csv.len() as u64);
        assert_eq!(ok.checksum, md5_of(csv));
    }

    #[test]
    fn hashing_left_elsewhere_takes_the_given_checksum_and_still_checks_everything() {
        let csv = b"Revenue Schedule Number\nRS-00000256\n";
        let given = md5_of(b"computed by the worker");
        let mut intake = Intake::start("a.csv", csv.len() as u64, LIMIT).unwrap();
        intake.hash_elsewhere();
        intake.feed(csv).unwrap();
        assert_eq!(intake.finish_with(given.clone()).unwrap().checksum, given);

        // The other checks still speak: here, a file that grew while it was read.
        let mut intake = Intake::start("a.csv", 3, LIMIT).unwrap();
        intake.hash_elsewhere();
        intake.feed(csv).unwrap();
        assert!(matches!(
            intake.finish_with(given.clone()),
            Err(IntakeError::ChangedWhileReading { .. })
        ));

        // Asking this intake for its own MD5 after all is an error, not a wrong digest.
        let mut intake = Intake::start("a.csv", csv.len() as u64, LIMIT).unwrap();
        intake.hash_elsewhere();
        intake.feed(csv).unwrap();
        let error = intake.finish().unwrap_err();
        assert!(matches!(error, IntakeError::Unreadable { .. }), "{error}");
    }

    #[test]
    fn extension_is_case_insensitive_and_must_be_csv_or_zip() {
        assert_eq!(FileKind::from_name("a.Csv"), Some(FileKind::Csv));
        assert_eq!(FileKind::from_name("a.ZIP"), Some(FileKind::Zip));
        assert_eq!(FileKind::from_name("a.csv.txt"), None);
        assert_eq!(FileKind::from_name("csv"), None);
        assert_eq!(FileKind::from_name("a.xlsx"), None);
        assert!(matches!(
            Intake::start("notes.txt", 10, LIMIT),
            Err(IntakeError::UnsupportedExtension { .. })
        ));
    }

    #[test]
    fn empty_file_is_refused() {
        assert_eq!(
            Intake::start("a.csv", 0, LIMIT).err(),
            Some(IntakeError::Empty {
                name: "a.csv".into()
            })
        );
    }

    #[test]
    fn oversized_zip_is_refused_before_reading_but_an_oversized_csv_is_read() {
        let err = Intake::start("big.zip", 4_203_110, LIMIT).err();
        assert_eq!(
            err,
            Some(IntakeError::TooLarge {
                name: "big.zip".into(),
                size: 4_203_110,
                limit: 4_000_000
            })
        );
        assert!(Intake::start("edge.zip", LIMIT, LIMIT).is_ok());
        assert!(Intake::start("big.csv", 4_203_110, LIMIT).is_ok());
    }

    #[test]
    fn zip_without_signature_is_refused() {
        assert_eq!(
            check("a.zip", b"Group ID,Object Key\n", 3).err(),
            Some(IntakeError::NotAZip {
                name: "a.zip".into()
            })
        );
        assert_eq!(
            check("a.zip", b"PK", 1).err(),
            Some(IntakeError::NotAZip {
                name: "a.zip".into()
            })
        );
        assert!(check("a.zip", b"PK\x03\x04rest-of-archive", 2).is_ok());
    }

    #[test]
    fn xlsx_renamed_to_csv_is_named_for_what_it_is() {
        let err = check("book.csv", b"PK\x03\x04\x14\x00\x06\x00", 64)
            .err()
            .unwrap();
        assert!(
            matches!(err, IntakeError::DisguisedCsv { looks_like, .. } if looks_like == Lookalike::ExcelOrZip)
        );
    }

    #[test]
    fn utf16_csv_is_refused_with_advice() {
        let err = check("u16.csv", b"\xFF\xFEa\x00b\x00", 64).err().unwrap();
        assert!(err.to_string().contains("UTF-16"), "{err}");
    }

    #[test]
    fn a_zero_byte_anywhere_makes_a_csv_binary() {
        let mut data = b"Object Key,Object Type\n".repeat(100);
        data[1234] = 0;
        assert_eq!(
            check("x.csv", &data, 100).err(),
            Some(IntakeError::BinaryCsv {
                name: "x.csv".into(),
                offset: 1234
            })
        );
    }

    #[test]
    fn a_file_that_shrinks_or_grows_while_read_is_refused() {
        let mut intake = Intake::start("a.csv", 10, LIMIT).unwrap();
        intake.feed(b"abc").unwrap();
        assert!(matches!(
            intake.finish(),
            Err(IntakeError::ChangedWhileReading {
                read: 3,
                expected: 10,
                ..
            })
        ));
    }

    proptest! {
        #[test]
        fn verdict_and_checksum_do_not_depend_on_chunk_size(
            text in "[ -~\n]{1,300}", chunk in 1usize..64
        ) {
            let whole = check("t.csv", text.as_bytes(), usize::MAX);
            let chunked = check("t.csv", text.as_bytes(), chunk);
            prop_assert_eq!(whole, chunked);
        }

        #[test]
        fn any_bytes_get_the_same_verdict_however_they_are_chunked(
            data: Vec<u8>, chunk in 1usize..32, zip: bool
        ) {
            let name = if zip { "f.zip" } else { "f.csv" };
            prop_assert_eq!(check(name, &data, chunk), check(name, &data, usize::MAX));
        }
    }
}
