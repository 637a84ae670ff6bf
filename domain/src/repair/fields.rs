//! A record's values as text, as the reader parsed them: borrowed when the record is
//! UTF-8 (no copy), read as Windows-1252 when it is not and that repair applies.

use super::encoding;
use super::sorted::SortedMap;
use crate::preflight::csv::record_reader::Record;
use crate::preflight::rules::rows::known_columns;
use crate::preflight::ColumnSpec;
use crate::ActionType;
use std::borrow::Cow;

/// The header's names with the user's confirmed `mappings` applied, and for each
/// column the spec the row checks of `action` know it by.
pub(crate) type HeaderRead = (Vec<String>, Vec<Option<&'static ColumnSpec>>);

/// Reads the header as the survey and the writer both do (see [`HeaderRead`]).
pub(crate) fn read_header(
    values: &[Cow<str>],
    mappings: &SortedMap<usize, String>,
    action: Option<ActionType>,
) -> HeaderRead {
    let names: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| mappings.get(&i).cloned().unwrap_or_else(|| v.to_string()))
        .collect();
    let mut specs = vec![None; names.len()];
    if let Some(action) = action {
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        for (index, spec) in known_columns(action, &refs) {
            if let Some(slot) = specs.get_mut(index) {
                *slot = Some(spec);
            }
        }
    }
    (names, specs)
}

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
