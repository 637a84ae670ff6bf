//! Whitespace around a value, and blank rows at the end of the file.
//!
//! A padded value is one the row checks flag as `padded-value`: right once its
//! surrounding whitespace is gone. Text columns may hold spaces on purpose, so their
//! values are not flagged and not trimmed. Blank trailing rows (records whose fields
//! are all empty, and blank lines) are dropped by [`super::writer`] when it reaches the
//! end of the file; blank rows between others stay.

/// The value without its surrounding whitespace.
pub fn trimmed(value: &str) -> String {
    value.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_from_both_ends_only() {
        assert_eq!(trimmed(" 12.5 "), "12.5");
        assert_eq!(trimmed("\t2026-01-31\u{a0}"), "2026-01-31");
        assert_eq!(trimmed("Invoice Item"), "Invoice Item");
    }
}
