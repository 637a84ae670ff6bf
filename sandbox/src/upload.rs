//! Checking a `POST /v1/bulk` upload. Every rejection is a distinct invented
//! code (see `codes.rs`) so that a test can tell exactly which rule fired.

use std::io::{Cursor, Read};

use bytes::Bytes;
use md5::{Digest, Md5};

use crate::action::{hex_lower, ActionType};
use crate::codes::{self, Reason};
use crate::multipart::{self, RawPart};

/// Upper bound on the unzipped CSV, so a small zip cannot expand into
/// gigabytes in memory.
pub const MAX_UNZIPPED_BYTES: u64 = 64 * 1024 * 1024;

/// An upload that passed every check.
#[derive(Debug)]
pub struct Upload {
    pub action_type: ActionType,
    pub file_name: String,
    pub file_bytes: Bytes,
    /// The CSV text itself: the file, or the `.csv` inside the zip.
    pub csv_bytes: Bytes,
}

/// The last path component, since browsers and tools may send a full path.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn check(
    content_type: Option<&str>,
    body: Bytes,
    max_file_bytes: u64,
) -> Result<Upload, Reason> {
    let Some(boundary) = multipart::boundary(content_type) else {
        return Err(codes::NOT_MULTIPART.with(&[&content_type.unwrap_or("(none)")]));
    };
    let (parts, error) = multipart::parse(body, boundary).await;
    if let Some(e) = error {
        return Err(codes::MALFORMED_MULTIPART.with(&[&e]));
    }

    let mut file: Option<RawPart> = None;
    let mut params: Option<RawPart> = None;
    for part in parts {
        match part.name.as_deref() {
            Some("file") => {
                if file.is_some() {
                    return Err(codes::DUPLICATE_PART.with(&[&"file"]));
                }
                file = Some(part);
            }
            Some("params") => {
                if params.is_some() {
                    return Err(codes::DUPLICATE_PART.with(&[&"params"]));
                }
                params = Some(part);
            }
            Some(other) => return Err(codes::UNKNOWN_PART.with(&[&other])),
            None => return Err(codes::UNKNOWN_PART.with(&[&"(a part without a name)"])),
        }
    }
    let file = file.ok_or_else(|| codes::MISSING_FILE_PART.reason())?;
    let params = params.ok_or_else(|| codes::MISSING_PARAMS_PART.reason())?;

    // params
    let value: serde_json::Value =
        serde_json::from_slice(&params.bytes).map_err(|e| codes::PARAMS_NOT_JSON.with(&[&e]))?;
    let serde_json::Value::Object(object) = value else {
        return Err(codes::PARAMS_NOT_OBJECT.reason());
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| k.as_str() != "actionType" && k.as_str() != "checksum")
    {
        return Err(codes::PARAMS_UNKNOWN_KEY.with(&[unknown]));
    }
    let action_type = match object.get("actionType") {
        None => return Err(codes::ACTION_TYPE_MISSING.reason()),
        Some(serde_json::Value::String(s)) => ActionType::parse(s)
            .ok_or_else(|| codes::ACTION_TYPE_INVALID.with(&[&format!("'{s}'")]))?,
        Some(other) => return Err(codes::ACTION_TYPE_INVALID.with(&[other])),
    };
    let checksum = match object.get("checksum") {
        None => None,
        Some(serde_json::Value::String(s)) if is_hex32(s) => Some(s.clone()),
        Some(_) => return Err(codes::CHECKSUM_FORMAT.reason()),
    };

    // file
    let file_name = match file.filename.as_deref() {
        Some(n) if !n.trim().is_empty() => n.to_string(),
        _ => return Err(codes::FILE_NO_FILENAME.reason()),
    };
    let size = file.bytes.len() as u64;
    if size > max_file_bytes {
        return Err(codes::FILE_TOO_LARGE.with(&[&size, &max_file_bytes]));
    }
    if size == 0 {
        return Err(codes::FILE_EMPTY.reason());
    }
    let lower = base_name(&file_name).to_ascii_lowercase();
    let is_zip = lower.ends_with(".zip");
    if !is_zip && !lower.ends_with(".csv") {
        return Err(codes::FILE_EXTENSION.with(&[&file_name]));
    }
    if let Some(expected) = checksum {
        let actual = hex_lower(&Md5::digest(&file.bytes));
        if !expected.eq_ignore_ascii_case(&actual) {
            return Err(codes::CHECKSUM_MISMATCH.with(&[&expected, &actual]));
        }
    }

    let csv_bytes = if is_zip {
        unzip_single_csv(&file.bytes)?
    } else {
        check_csv_text(&file.bytes)?;
        file.bytes.clone()
    };
    Ok(Upload {
        action_type,
        file_name,
        file_bytes: file.bytes,
        csv_bytes,
    })
}

/// A plain `.csv` upload must be text: no NUL byte, valid UTF-8 (BOM allowed).
fn check_csv_text(bytes: &[u8]) -> Result<(), Reason> {
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(codes::CSV_HAS_NUL.with(&[&at]));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(codes::CSV_NOT_UTF8.with(&[&e.valid_up_to()]));
    }
    Ok(())
}

/// Entries a zip tool adds that are not content: folders, macOS resource
/// forks and hidden files.
fn is_ignored_entry(name: &str, is_dir: bool) -> bool {
    is_dir
        || name.ends_with('/')
        || name.starts_with("__MACOSX/")
        || base_name(name).starts_with('.')
}

/// The bytes of the single `.csv` inside a zip. The CSV's content is not
/// checked here: a zipped CSV that is not UTF-8 is accepted and the mass
/// action then goes Failed, which gives tests a way to reach that status.
fn unzip_single_csv(bytes: &Bytes) -> Result<Bytes, Reason> {
    // The zip reader is third-party code fed with untrusted bytes; treat a
    // panic inside it like any other unreadable archive.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| unzip_inner(bytes))) {
        Ok(result) => result,
        Err(_) => Err(codes::ZIP_UNREADABLE.with(&[&"the archive structure is invalid"])),
    }
}

fn unzip_inner(bytes: &Bytes) -> Result<Bytes, Reason> {
    let unreadable = |e: zip::result::ZipError| codes::ZIP_UNREADABLE.with(&[&e]);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.clone())).map_err(unreadable)?;
    let mut csvs: Vec<(usize, String)> = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(unreadable)?;
        let name = entry.name().to_string();
        if is_ignored_entry(&name, entry.is_dir()) {
            continue;
        }
        if entry.encrypted() {
            return Err(codes::ZIP_ENCRYPTED.with(&[&name]));
        }
        if base_name(&name).to_ascii_lowercase().ends_with(".csv") {
            csvs.push((index, name));
        }
    }
    let index = match csvs.as_slice() {
        [] => return Err(codes::ZIP_NO_CSV.reason()),
        [(index, _)] => *index,
        many => {
            let names: Vec<&str> = many.iter().map(|(_, n)| n.as_str()).collect();
            return Err(codes::ZIP_MANY_CSV.with(&[&many.len(), &names.join(", ")]));
        }
    };
    let entry = archive.by_index(index).map_err(unreadable)?;
    let mut out = Vec::new();
    entry
        .take(MAX_UNZIPPED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| codes::ZIP_UNREADABLE.with(&[&e]))?;
    if out.len() as u64 > MAX_UNZIPPED_BYTES {
        return Err(codes::ZIP_CSV_TOO_LARGE.with(&[&MAX_UNZIPPED_BYTES]));
    }
    Ok(Bytes::from(out))
}
