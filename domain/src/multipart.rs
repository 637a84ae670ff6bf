//! The upload body written by the app itself, for when it must be transformed before it
//! leaves (gzip-compressed with `Content-Encoding: gzip`, the `gzipRequests` setting).
//! Otherwise the browser writes it from a `FormData`; both have the same two parts,
//! `file` then `params`, as RFC 7578 describes and browsers do.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;

/// A `multipart/form-data` body and the `Content-Type` that names its boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultipartBody {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The two-part body: `file` (named `file_name`, of type `file_type`) and `params`.
/// `random` makes the boundary; a boundary that occurs in the file is replaced, so the
/// body always parses back to exactly these bytes.
pub fn multipart(
    random: [u8; 16],
    file_name: &str,
    file_type: &str,
    file: &[u8],
    params: &str,
) -> MultipartBody {
    let mut boundary = format!("----MassUpdater{}", hex(&random));
    while contains(file, boundary.as_bytes()) || params.contains(&boundary) {
        boundary.push('x');
    }
    let mut bytes = Vec::with_capacity(file.len() + params.len() + 512);
    let mut line = |text: &str| {
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    };
    line(&format!("--{boundary}"));
    line(&format!(
        "Content-Disposition: form-data; name=\"file\"; filename=\"{}\"",
        escape(file_name)
    ));
    line(&format!("Content-Type: {file_type}"));
    line("");
    bytes.extend_from_slice(file);
    bytes.extend_from_slice(b"\r\n");
    let mut line = |text: &str| {
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    };
    line(&format!("--{boundary}"));
    line("Content-Disposition: form-data; name=\"params\"");
    line("");
    line(params);
    line(&format!("--{boundary}--"));
    MultipartBody {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        bytes,
    }
}

/// `bytes` gzip-compressed (deflate level 6, as `gzip -6`).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// As browsers write a file name in a quoted header value: `"` and line breaks are
/// percent-encoded (the WHATWG HTML form-data encoding).
fn escape(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    #[test]
    fn the_body_has_file_then_params_with_crlf_framing() {
        let body = multipart(
            [0xab; 16],
            "a\"b.csv",
            "text/csv",
            b"x,y\r\n1,2\r\n",
            "{\"k\":1}",
        );
        let boundary = "----MassUpdater".to_owned() + &"ab".repeat(16);
        assert_eq!(
            body.content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.csv\"\r\nContent-Type: text/csv\r\n\r\nx,y\r\n1,2\r\n\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{{\"k\":1}}\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body.bytes).unwrap(), expected);
    }

    #[test]
    fn a_boundary_found_in_the_file_is_replaced() {
        let boundary = "----MassUpdater".to_owned() + &"00".repeat(16);
        let file = format!("before {boundary} after");
        let body = multipart([0; 16], "f.csv", "text/csv", file.as_bytes(), "{}");
        assert!(body.content_type.ends_with(&format!("{boundary}x")));
    }

    #[test]
    fn gzip_round_trips() {
        let data = b"Group ID,Currency\r\n".repeat(1000);
        let packed = gzip(&data);
        assert!(packed.len() < data.len() / 10);
        let mut out = Vec::new();
        GzDecoder::new(&packed[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
    }
}
