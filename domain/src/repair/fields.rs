//! A record's values as text, as the reader parsed them: borrowed when the record is
//! UTF-8 (no copy), read as Windows-1252 when it is not and that repair applies.

use super::encoding;
use crate::preflight::csv::record_reader::Record;
use std::borrow::Cow;

/// The values of `r`, and whether they were read as Windows-1252; `None` for a record
/// that is not UTF-8 when `windows_1252` is not set.
pub(crate) fn record_values<'r>(
    r: &'r Record,
    windows_1252: bool,
) -> Option<(Vec<Cow<'r, str>>, bool)> {
    match std::str::from_utf8(r.bytes) {
        Ok(text) => {
            let mut values = Vec::with_capacity(r.ends.len());
            let mut start = 0;
            for &end in r.ends {
                values.push(Cow::Borrowed(text.get(start..end).unwrap_or("")));
                start = end + r.gap;
            }
            Some((values, false))
        }
        Err(_) if windows_1252 => {
            let values = (0..r.ends.len())
                .map(|i| Cow::Owned(encoding::decode(r.field(i).unwrap_or_default())))
                .collect();
            Some((values, true))
        }
        Err(_) => None,
    }
}

/// Value `i` of `r`, whose field bytes are the UTF-8 text `fields`.
pub(crate) fn field<'a>(r: &Record, fields: &'a str, i: usize) -> Option<&'a str> {
    let end = *r.ends.get(i)?;
    let start = match i {
        0 => 0,
        _ => r.ends.get(i - 1)? + r.gap,
    };
    fields.get(start..end)
}

/// Every value of `r` is empty (`fields` is its field bytes, separators between them
/// when it was read as written).
pub(crate) fn is_blank(r: &Record, fields: &str) -> bool {
    fields.len() == r.gap * r.ends.len().saturating_sub(1)
}
