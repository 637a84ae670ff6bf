//! The keyset cursor of `history`: the (submitted_at, id) of the last job of a page,
//! written as one opaque token.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub(crate) submitted_at: i64,
    pub(crate) id: i64,
}

/// A `before` value that is not a cursor this gateway gave out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadCursor;

impl fmt::Display for BadCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("The before value is not a cursor from a previous page's next.")
    }
}

impl std::error::Error for BadCursor {}

const PREFIX: &str = "h1.";

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{:x}.{:x}", self.submitted_at, self.id)
    }
}

impl FromStr for Cursor {
    type Err = BadCursor;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.strip_prefix(PREFIX).ok_or(BadCursor)?;
        let (at, id) = rest.split_once('.').ok_or(BadCursor)?;
        let hex = |t: &str| {
            if t.is_empty() || t.len() > 16 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(BadCursor);
            }
            u64::from_str_radix(t, 16)
                .ok()
                .and_then(|n| i64::try_from(n).ok())
                .ok_or(BadCursor)
        };
        Ok(Cursor {
            submitted_at: hex(at)?,
            id: hex(id)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_what_it_wrote() {
        let c = Cursor {
            submitted_at: 1_796_409_000_123_456,
            id: 42,
        };
        assert_eq!(c.to_string().parse::<Cursor>(), Ok(c));
    }

    #[test]
    fn anything_else_is_a_bad_cursor() {
        for s in [
            "",
            "h1.",
            "h1.1",
            "h1..1",
            "h1.g.1",
            "x.1.2",
            "h1.-1.2",
            "h1.ffffffffffffffff.1",
        ] {
            assert_eq!(s.parse::<Cursor>(), Err(BadCursor), "{s}");
        }
    }
}
