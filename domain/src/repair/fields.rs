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
