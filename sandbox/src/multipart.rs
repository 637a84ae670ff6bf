//! Multipart parsing over a body that is already in memory.
//!
//! The body is read in full before parsing (see `front.rs`) so that the
//! request log can keep every part's raw bytes, even for requests that are
//! later rejected, hung or dropped.

use bytes::Bytes;

/// One part as it arrived.
#[derive(Debug, Clone)]
pub struct RawPart {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub fn boundary(content_type: Option<&str>) -> Option<String> {
    multer::parse_boundary(content_type?).ok()
}

/// Every part that could be read, and the error that stopped reading, if any.
pub async fn parse(body: Bytes, boundary: String) -> (Vec<RawPart>, Option<String>) {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().map(str::to_string);
                let filename = field.file_name().map(str::to_string);
                let content_type = field.content_type().map(|m| m.to_string());
                match field.bytes().await {
                    Ok(bytes) => parts.push(RawPart {
                        name,
                        filename,
                        content_type,
                        bytes,
                    }),
                    Err(e) => return (parts, Some(e.to_string())),
                }
            }
            Ok(None) => return (parts, None),
            Err(e) => return (parts, Some(e.to_string())),
        }
    }
}
