//! What the history keeps of a `POST /v1/bulk` body, read from the buffered body before
//! it is forwarded: the file part's name, size and MD5 (of its bytes as received, after
//! undoing a gzip `Content-Encoding`), and `params.actionType`.

use std::convert::Infallible;
use std::io::Read;

use axum::http::{header, HeaderMap};
use bytes::Bytes;
use md5::{Digest, Md5};
use serde::Deserialize;

/// The largest `params` part read (it is a small JSON object).
const MAX_PARAMS_BYTES: usize = 64 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadFacts {
    pub file_name: String,
    pub file_size: i64,
    /// 32 lowercase hex digits.
    pub md5: String,
    /// As sent; empty when `params` or its `actionType` is missing (Zuora refuses it).
    pub action_type: String,
}

/// Why an upload body cannot be read; `Display` is a sentence's cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadError {
    Encoding(String),
    BadGzip(String),
    TooLarge { limit: u64 },
    NotMultipart,
    Broken(String),
    NoFile,
}

impl std::fmt::Display for UploadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UploadError::Encoding(coding) => write!(
                f,
                "the Content-Encoding {coding:?} is not supported; send it plain or gzip-encoded"
            ),
            UploadError::BadGzip(cause) => {
                write!(f, "the gzip-encoded body could not be decoded ({cause})")
            }
            UploadError::TooLarge { limit } => {
                write!(f, "the decoded body is over the limit of {limit} bytes")
            }
            UploadError::NotMultipart => {
                f.write_str("the body must be multipart/form-data with a boundary")
            }
            UploadError::Broken(cause) => write!(f, "the multipart body is broken ({cause})"),
            UploadError::NoFile => {
                f.write_str("the multipart body has no file part with a file name")
            }
        }
    }
}

impl std::error::Error for UploadError {}

#[derive(Deserialize)]
struct Params {
    #[serde(rename = "actionType")]
    action_type: Option<serde_json::Value>,
}

/// Reads the upload in `body`, decoded to at most `limit` bytes.
pub async fn read_upload(
    headers: &HeaderMap,
    body: &Bytes,
    limit: u64,
) -> Result<UploadFacts, UploadError> {
    let decoded = decode(headers, body, limit)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or(UploadError::NotMultipart)?;
    let boundary = multer::parse_boundary(content_type).map_err(|_| UploadError::NotMultipart)?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(decoded) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut file: Option<(String, i64, String)> = None;
    let mut action_type = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("file") if file.is_none() => {
                let name = field
                    .file_name()
                    .map(str::to_owned)
                    .ok_or(UploadError::NoFile)?;
                let mut hash = Md5::new();
                let mut size: i64 = 0;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    hash.update(&chunk);
                    size = size.saturating_add(i64::try_from(chunk.len()).unwrap_or(i64::MAX));
                }
                file = Some((name, size, hex(&hash.finalize())));
            }
            Some("params") if action_type.is_none() => {
                let text = field.bytes().await.map_err(broken)?;
                action_type = Some(read_action_type(&text));
            }
            _ => {}
        }
    }
    let (file_name, file_size, md5) = file.ok_or(UploadError::NoFile)?;
    Ok(UploadFacts {
        file_name,
        file_size,
        md5,
        action_type: action_type.unwrap_or_default(),
    })
}

fn broken(e: multer::Error) -> UploadError {
    UploadError::Broken(e.to_string())
}

fn read_action_type(params: &[u8]) -> String {
    if params.len() > MAX_PARAMS_BYTES {
        return String::new();
    }
    match serde_json::from_slice::<Params>(params)
        .ok()
        .and_then(|p| p.action_type)
    {
        Some(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

/// The body as the multipart parser must see it: gunzipped when so encoded.
fn decode(headers: &HeaderMap, body: &Bytes, limit: u64) -> Result<Bytes, UploadError> {
    let codings: Vec<String> = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    match codings.as_slice() {
        [] => Ok(body.clone()),
        [one] if one == "identity" => Ok(body.clone()),
        [one] if one == "gzip" || one == "x-gzip" => gunzip(body, limit),
        _ => Err(UploadError::Encoding(codings.join(", "))),
    }
}

fn gunzip(body: &Bytes, limit: u64) -> Result<Bytes, UploadError> {
    let mut decoded = Vec::new();
    flate2::read::MultiGzDecoder::new(&body[..])
        .take(limit.saturating_add(1))
        .read_to_end(&mut decoded)
        .map_err(|e| UploadError::BadGzip(e.to_string()))?;
    if decoded.len() as u64 > limit {
        return Err(UploadError::TooLarge { limit });
    }
    Ok(Bytes::from(decoded))
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use std::io::Write;

    const BOUNDARY: &str = "XyZ";

    fn body(file: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n");
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{\"actionType\":\"MPU\"}\r\n--XyZ--\r\n");
        body
    }

    fn headers(encoding: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("multipart/form-data; boundary={BOUNDARY}");
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(&value).unwrap());
        if let Some(e) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_str(e).unwrap());
        }
        headers
    }

    #[tokio::test]
    async fn reads_name_size_md5_and_action_type() {
        let facts = read_upload(&headers(None), &Bytes::from(body(b"a,b\r\n")), 1 << 20)
            .await
            .unwrap();
        assert_eq!(facts.file_name, "a.csv");
        assert_eq!(facts.file_size, 5);
        assert_eq!(facts.md5, hex(&Md5::digest(b"a,b\r\n")));
        assert_eq!(facts.action_type, "MPU");
    }

    #[tokio::test]
    async fn a_gzip_body_is_read_decoded_and_within_the_limit() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&body(&[b'x'; 5000])).unwrap();
        let gz = Bytes::from(encoder.finish().unwrap());
        let facts = read_upload(&headers(Some("gzip")), &gz, 1 << 20)
            .await
            .unwrap();
        assert_eq!(facts.file_size, 5000);
        let too_big = read_upload(&headers(Some("gzip")), &gz, 1000).await;
        assert_eq!(too_big, Err(UploadError::TooLarge { limit: 1000 }));
        let other = read_upload(&headers(Some("br")), &gz, 1 << 20).await;
        assert_eq!(other, Err(UploadError::Encoding("br".into())));
    }

    #[tokio::test]
    async fn a_body_without_a_file_is_refused() {
        let only_params =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{}\r\n--XyZ--\r\n";
        let result = read_upload(&headers(None), &Bytes::from_static(only_params), 1 << 20).await;
        assert_eq!(result, Err(UploadError::NoFile));
        let mut plain = HeaderMap::new();
        plain.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv"));
        let result = read_upload(&plain, &Bytes::from_static(b"a,b"), 1 << 20).await;
        assert_eq!(result, Err(UploadError::NotMultipart));
    }
}
