//! The MD5 of the bytes that are sent, in the form Zuora's `params.checksum` takes:
//! 32 lowercase hexadecimal characters.

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An MD5 digest written as 32 lowercase hex characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Checksum(String);

impl TryFrom<String> for Checksum {
    type Error = &'static str;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Checksum::parse(&text).ok_or("not 32 hexadecimal characters")
    }
}

impl From<Checksum> for String {
    fn from(sum: Checksum) -> String {
        sum.0
    }
}

impl Checksum {
    /// Accepts exactly 32 hex digits, in either case, and keeps them lowercase.
    pub fn parse(text: &str) -> Option<Checksum> {
        (text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Checksum(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// MD5 computed over chunks as they arrive, so a file is never held whole in memory.
#[derive(Clone, Default)]
pub struct Md5Stream(Md5);

impl Md5Stream {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    pub fn finish(self) -> Checksum {
        let digest = self.0.finalize();
        let mut hex = String::with_capacity(32);
        for byte in digest {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        Checksum(hex)
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The MD5 of a whole buffer (tests and small inputs).
pub fn md5_of(bytes: &[u8]) -> Checksum {
    let mut s = Md5Stream::new();
    s.update(bytes);
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_the_rfc_1321_test_vectors() {
        assert_eq!(md5_of(b"").as_str(), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_of(b"abc").as_str(), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            md5_of(b"The quick brown fox jumps over the lazy dog").as_str(),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }

    #[test]
    fn parse_accepts_only_32_hex_digits_and_lowercases() {
        let upper = "9E107D9D372BB6826BD81D3542A419D6";
        assert_eq!(
            Checksum::parse(upper).unwrap().as_str(),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
        assert!(Checksum::parse("9e107d9d372bb6826bd81d3542a419d").is_none());
        assert!(Checksum::parse("9e107d9d372bb6826bd81d3542a419dg").is_none());
        assert!(Checksum::parse("").is_none());
    }

    proptest! {
        #[test]
        fn any_chunking_gives_the_same_digest(data: Vec<u8>, cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
            let mut s = Md5Stream::new();
            let mut rest = &data[..];
            for cut in cuts {
                let at = if rest.is_empty() { 0 } else { cut % rest.len() };
                let (head, tail) = rest.split_at(at);
                s.update(head);
                rest = tail;
            }
            s.update(rest);
            prop_assert_eq!(s.finish(), md5_of(&data));
        }
    }
}
