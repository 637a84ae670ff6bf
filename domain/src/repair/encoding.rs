//! Windows-1252, the encoding Excel uses for "CSV (Comma delimited)" on Western
//! systems, read into UTF-8. Bytes below 0x80 are ASCII and 0xA0 to 0xFF are the
//! Latin-1 characters of the same number, so the table holds only 0x80 to 0x9F; the
//! five bytes Windows-1252 leaves undefined map to the control characters of the same
//! number, as the WHATWG Encoding Standard (and so every browser) reads them. A test
//! holds the table to `encoding_rs`, which is not shipped: the whole of it would weigh
//! far more in the WebAssembly than these 32 entries.

/// Characters of bytes 0x80 to 0x9F.
const HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// One byte of Windows-1252 as a character.
pub fn char_of(byte: u8) -> char {
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// `bytes` read as Windows-1252. Every byte is a character, so this never fails.
pub fn decode(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char_of(b)).collect()
}

/// `bytes` as text: UTF-8 if they are, else Windows-1252 when `windows_1252` is set,
/// else `None` (a record that is not UTF-8 is then left exactly as it is).
pub fn text(bytes: &[u8], windows_1252: bool) -> Option<std::borrow::Cow<'_, str>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.into()),
        Err(_) if windows_1252 => Some(decode(bytes).into()),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_reads_as_encoding_rs_reads_it() {
        for byte in 0..=255u8 {
            let one = [byte];
            let (theirs, _, _) = encoding_rs::WINDOWS_1252.decode(&one);
            assert_eq!(decode(&[byte]), theirs, "byte {byte:#04x}");
        }
    }

    #[test]
    fn excel_text_becomes_utf8() {
        assert_eq!(decode(b"M\xfcller \x80 caf\xe9"), "Müller € café");
        assert_eq!(text(b"caf\xe9", false), None);
        assert_eq!(text(b"caf\xe9", true).as_deref(), Some("café"));
        assert_eq!(text("café".as_bytes(), true).as_deref(), Some("café"));
    }
}
