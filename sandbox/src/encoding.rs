//! `Content-Encoding` on request bodies.
//!
//! Zuora documents `Content-Encoding: gzip` for request payloads (the
//! reference's wording is about JSON; whether it applies to multipart is
//! unknown). The sandbox accepts it on every `/v1/*` and `/oauth/*` request:
//! the front layer gunzips the body here and everything after it (request
//! log, multipart parsing, size checks, checksum, idempotency) sees the
//! decoded bytes, exactly as if they had been sent plain.
//!
//! Decoding uses `flate2` (pure-Rust `miniz_oxide` backend). tower-http's
//! `RequestDecompressionLayer` was not used: it answers errors in its own
//! shape rather than Zuora's, it has no bound on the decoded size of its
//! own, and it would hide the raw body from the request log.

use std::io::Read;

use axum::http::{header, HeaderMap};
use bytes::Bytes;
use flate2::read::MultiGzDecoder;

/// What the request's `Content-Encoding` header asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coding {
    /// No header, or `identity`: the body is used as sent.
    Identity,
    /// `gzip` or `x-gzip` (RFC 9110 §8.4.1.3), in any case.
    Gzip,
    /// Anything else, including a list such as `gzip, br` and a header sent
    /// twice. Holds the value as sent (lines joined with ", ").
    Unsupported(String),
}

/// The header value as logged: trimmed, lower-cased, repeated lines joined
/// with ", ". `None` when the header was not sent.
pub fn header_value(headers: &HeaderMap) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

pub fn coding(headers: &HeaderMap) -> Coding {
    match header_value(headers).as_deref() {
        None | Some("identity") => Coding::Identity,
        Some("gzip" | "x-gzip") => Coding::Gzip,
        Some(other) => Coding::Unsupported(other.to_string()),
    }
}

/// Why a gzip body could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GunzipError {
    /// Not a gzip stream, truncated, a bad CRC, or trailing bytes that are
    /// not another gzip member.
    Invalid(String),
    /// It decodes to more than the limit; decoding stopped at limit + 1.
    TooLarge,
}

/// Gunzips `body`, reading at most `limit + 1` decoded bytes, so a gzip bomb
/// costs at most `limit` bytes of memory and the time to inflate them.
///
/// Concatenated gzip members are one stream (RFC 1952 §2.2, as `gzip -d`
/// reads them). An empty body decodes to an empty body.
pub fn gunzip(body: &[u8], limit: u64) -> Result<Bytes, GunzipError> {
    if body.is_empty() {
        return Ok(Bytes::new());
    }
    // The decoder is fed untrusted bytes; a panic inside it is treated like
    // any other undecodable body.
    let run = std::panic::catch_unwind(|| {
        let mut out = Vec::new();
        let read = MultiGzDecoder::new(body)
            .take(limit.saturating_add(1))
            .read_to_end(&mut out);
        read.map(|_| out)
    });
    match run {
        Ok(Ok(out)) if out.len() as u64 > limit => Err(GunzipError::TooLarge),
        Ok(Ok(out)) => Ok(Bytes::from(out)),
        Ok(Err(e)) => Err(GunzipError::Invalid(e.to_string())),
        Err(_) => Err(GunzipError::Invalid(
            "the gzip stream is malformed".to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use axum::http::HeaderValue;

    use super::*;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::CONTENT_ENCODING, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn codings() {
        assert_eq!(coding(&headers(&[])), Coding::Identity);
        assert_eq!(coding(&headers(&["identity"])), Coding::Identity);
        assert_eq!(coding(&headers(&[" GZip "])), Coding::Gzip);
        assert_eq!(coding(&headers(&["x-gzip"])), Coding::Gzip);
        assert_eq!(coding(&headers(&["br"])), Coding::Unsupported("br".into()));
        assert_eq!(
            coding(&headers(&["gzip", "gzip"])),
            Coding::Unsupported("gzip, gzip".into())
        );
        assert_eq!(
            coding(&headers(&["gzip, deflate"])),
            Coding::Unsupported("gzip, deflate".into())
        );
        assert_eq!(coding(&headers(&[""])), Coding::Unsupported(String::new()));
    }

    #[test]
    fn round_trip_and_members() {
        assert_eq!(gunzip(&gz(b"hello"), 100).unwrap(), &b"hello"[..]);
        let mut two = gz(b"hel");
        two.extend(gz(b"lo"));
        assert_eq!(gunzip(&two, 100).unwrap(), &b"hello"[..]);
        assert_eq!(gunzip(b"", 100).unwrap(), &b""[..]);
    }

    #[test]
    fn limit_is_inclusive() {
        assert_eq!(gunzip(&gz(&[7; 100]), 100).unwrap().len(), 100);
        assert_eq!(gunzip(&gz(&[7; 101]), 100), Err(GunzipError::TooLarge));
    }

    #[test]
    fn broken_streams_are_invalid() {
        let good = gz(b"hello world");
        let bad = |b: &[u8]| matches!(gunzip(b, 1000), Err(GunzipError::Invalid(_)));
        assert!(bad(b"hello world"), "not gzip at all");
        assert!(bad(&good[..good.len() - 3]), "truncated");
        let mut crc = good.clone();
        let n = crc.len();
        crc[n - 6] ^= 0xff;
        assert!(bad(&crc), "bad crc");
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"junk");
        assert!(bad(&trailing), "trailing bytes");
    }
}
