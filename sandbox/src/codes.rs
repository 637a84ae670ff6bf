//! Every error code and message text the sandbox sends, in one place.
//!
//! Zuora does not publish the codes that `/v1/bulk` returns for a bad upload,
//! so almost all of these are invented. They follow Zuora's documented scheme:
//! a 6-digit resource code (500000–679999) followed by a 2-digit category
//! (10 permission, 11 authentication, 20 invalid value, 21 unknown field,
//! 22 missing required field, 30 business rule, 40 not found, 45 unsupported
//! method, 50 locking/conflict, 60 internal, 61 temporary, 70 limit,
//! 90 malformed JSON).
//!
//! Resource codes used here:
//! - 500000: requests that carry no payload (Zuora's own convention).
//! - 660100–660199: the multipart upload to `POST /v1/bulk`.
//! - 660200–660299: operations on an existing mass action.
//! - 660300–660399: request headers (track id, idempotency key).
//! - 679901: faults injected through `/__sandbox/faults`.
//!
//! Message texts may contain `{}` placeholders, filled in order by
//! [`Code::with`].

use std::fmt::Display;

/// One `reasons[]` entry: an 8-digit code (sent as a JSON string) and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub message: &'static str,
}

/// A code with its message filled in, ready to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: &'static str,
    pub message: String,
}

impl Code {
    /// The reason with the message text as written (no placeholders filled).
    pub fn reason(self) -> Reason {
        Reason {
            code: self.code,
            message: self.message.to_string(),
        }
    }

    /// The reason with each `{}` in the message replaced by the next argument.
    pub fn with(self, args: &[&dyn Display]) -> Reason {
        let mut out = String::with_capacity(self.message.len() + 32);
        let mut rest = self.message;
        let mut args = args.iter();
        while let Some(at) = rest.find("{}") {
            out.push_str(&rest[..at]);
            match args.next() {
                Some(arg) => out.push_str(&arg.to_string()),
                None => out.push_str("{}"),
            }
            rest = &rest[at + 2..];
        }
        out.push_str(rest);
        Reason {
            code: self.code,
            message: out,
        }
    }
}

const fn code(code: &'static str, message: &'static str) -> Code {
    Code { code, message }
}

// ---------------------------------------------------------------------------
// Authentication. 90000011 is Zuora's documented "invalid credentials" code;
// only the message texts are ours.
// ---------------------------------------------------------------------------

/// Documented code; invented message: no `Authorization: Bearer` header at all.
pub const AUTH_MISSING: Code = code(
    "90000011",
    "Authentication required: send Authorization: Bearer <access token>.",
);
/// Documented code; invented message: a token we never issued, or one that expired.
pub const AUTH_INVALID: Code = code(
    "90000011",
    "The bearer token is not valid or has expired; request a new one from /oauth/token.",
);

// ---------------------------------------------------------------------------
// POST /v1/bulk: the multipart upload.
// ---------------------------------------------------------------------------

// invented: body is not multipart/form-data or has no boundary.
pub const NOT_MULTIPART: Code = code(
    "66010120",
    "The request body must be multipart/form-data with a boundary (Content-Type was: {}).",
);
// invented: the multipart framing is broken.
pub const MALFORMED_MULTIPART: Code = code("66010220", "The multipart body could not be read: {}.");
// invented: no part named `file`.
pub const MISSING_FILE_PART: Code = code(
    "66010322",
    "The multipart body has no 'file' part; send the CSV or zip as a part named file.",
);
// invented: no part named `params`.
pub const MISSING_PARAMS_PART: Code = code(
    "66010422",
    "The multipart body has no 'params' part; send a JSON object such as {\"actionType\":\"UpdateAccountingCode\"} as a part named params.",
);
// invented: a part other than `file` or `params`.
pub const UNKNOWN_PART: Code = code(
    "66010521",
    "Unexpected multipart part '{}': only 'file' and 'params' are accepted.",
);
// invented: `file` or `params` sent twice.
pub const DUPLICATE_PART: Code = code(
    "66010620",
    "The multipart body has more than one '{}' part; send it exactly once.",
);
// invented: `params` is not JSON (or not UTF-8).
pub const PARAMS_NOT_JSON: Code = code("66010790", "The 'params' part is not valid JSON: {}.");
// invented: `params` is JSON but not an object.
pub const PARAMS_NOT_OBJECT: Code = code(
    "66010820",
    "The 'params' part must be a JSON object, for example {\"actionType\":\"MPU\"}.",
);
// invented: `params.actionType` absent.
pub const ACTION_TYPE_MISSING: Code = code("66010922", "params.actionType is required.");
// invented: `params.actionType` not one of the six exact names.
pub const ACTION_TYPE_INVALID: Code = code(
    "66011020",
    "params.actionType {} is not one of UpdateAccountingCode, CreateRevenueSchedule, UpdateRevenueSchedule, DeleteRevenueSchedule, ImportFXRate, MPU (exact spelling).",
);
// invented: a key in `params` other than actionType and checksum.
pub const PARAMS_UNKNOWN_KEY: Code = code(
    "66011121",
    "params has an unknown key '{}': only actionType and checksum are accepted.",
);
// invented: `params.checksum` is not 32 hex characters.
pub const CHECKSUM_FORMAT: Code = code(
    "66011220",
    "params.checksum must be a string of 32 hexadecimal characters (the MD5 of the file).",
);
// invented: `params.checksum` differs from the MD5 of the file part.
pub const CHECKSUM_MISMATCH: Code = code(
    "66011320",
    "params.checksum {} does not match the MD5 of the uploaded file, which is {}.",
);
// invented: the `file` part has no (or an empty) filename.
pub const FILE_NO_FILENAME: Code = code(
    "66011422",
    "The 'file' part has no filename; send it as a file with a .csv or .zip name.",
);
// invented: the file is larger than the configured limit (4 MB by default).
pub const FILE_TOO_LARGE: Code = code(
    "66011520",
    "The file is {} bytes, which is over the limit of {} bytes.",
);
// invented: the file has zero bytes.
pub const FILE_EMPTY: Code = code("66011620", "The file is empty (0 bytes).");
// invented: the file name ends in neither .csv nor .zip.
pub const FILE_EXTENSION: Code = code("66011720", "The file name '{}' must end in .csv or .zip.");
// invented: a .csv with a NUL byte (usually a spreadsheet saved in a binary format).
pub const CSV_HAS_NUL: Code = code(
    "66011820",
    "The CSV file contains a NUL byte at offset {}; save it as a plain-text CSV.",
);
// invented: a .csv that is not UTF-8.
pub const CSV_NOT_UTF8: Code = code(
    "66011920",
    "The CSV file is not valid UTF-8 (first bad byte at offset {}); save it as CSV UTF-8.",
);
// invented: a .zip the archive reader cannot open.
pub const ZIP_UNREADABLE: Code = code("66012020", "The zip file could not be read: {}.");
// invented: a .zip with an encrypted entry.
pub const ZIP_ENCRYPTED: Code = code(
    "66012120",
    "The zip entry '{}' is encrypted; upload a zip without a password.",
);
// invented: a .zip with no .csv entry.
pub const ZIP_NO_CSV: Code = code(
    "66012220",
    "The zip file contains no .csv file; it must contain exactly one.",
);
// invented: a .zip with several .csv entries.
pub const ZIP_MANY_CSV: Code = code(
    "66012320",
    "The zip file contains {} .csv files ({}); it must contain exactly one.",
);
// invented: the .csv inside the zip unpacks to something huge (zip bomb guard).
pub const ZIP_CSV_TOO_LARGE: Code = code(
    "66012420",
    "The .csv inside the zip unpacks to more than {} bytes.",
);
// invented: the whole request body is over --max-body-bytes (HTTP 413).
pub const BODY_TOO_LARGE: Code = code(
    "66012520",
    "The request body is {} bytes, which is over the limit of {} bytes.",
);
// invented: the request body stream broke off while being read.
pub const BODY_UNREADABLE: Code = code("66012620", "The request body could not be read: {}.");
// invented: a Content-Encoding other than gzip (HTTP 415, with Accept-Encoding: gzip).
pub const ENCODING_UNSUPPORTED: Code = code(
    "66012720",
    "The Content-Encoding '{}' is not supported; send the body unencoded or with Content-Encoding: gzip.",
);
// invented: Content-Encoding: gzip, but the body is not a valid gzip stream.
pub const GZIP_INVALID: Code = code(
    "66012820",
    "The request body is marked Content-Encoding: gzip but could not be decoded: {}.",
);
// invented: a gzip body that decodes past --max-body-bytes (HTTP 413, gzip bomb guard).
pub const GZIP_TOO_LARGE: Code = code(
    "66012920",
    "The gzip-encoded request body decodes to more than {} bytes, the limit for a request body; decoding was stopped there.",
);

// ---------------------------------------------------------------------------
// Existing mass actions and files.
// ---------------------------------------------------------------------------

// invented: unknown bulk key (resource 500000: the request has no payload).
pub const BULK_NOT_FOUND: Code = code("50000040", "No mass action has the key '{}'.");
// invented: unknown file id, or a file that does not exist (yet).
pub const FILE_NOT_FOUND: Code = code("50000040", "No file has the id '{}'.");
// invented: a path under /v1 or /oauth that the sandbox does not serve.
pub const ROUTE_NOT_FOUND: Code = code("50000040", "There is no resource at {}.");
// invented: a known path with the wrong HTTP method.
pub const METHOD_NOT_ALLOWED: Code = code(
    "50000045",
    "The method {} is not supported on {}; allowed: {}.",
);
// invented: stop on a mass action that is not Pending or Processing.
pub const STOP_NOT_ALLOWED: Code = code(
    "66020130",
    "The mass action is {}; only a Pending or Processing mass action can be stopped.",
);

// ---------------------------------------------------------------------------
// Request headers.
// ---------------------------------------------------------------------------

// invented: a Zuora-Track-Id that breaks the documented rules.
pub const TRACK_ID_INVALID: Code = code(
    "66030120",
    "The Zuora-Track-Id header is invalid ({}): it must be at most 64 printable US-ASCII characters without : ; \" or '.",
);
// invented: an Idempotency-Key over 255 characters.
pub const IDEMPOTENCY_KEY_TOO_LONG: Code = code(
    "66030220",
    "The Idempotency-Key header is {} characters long; the limit is 255.",
);
// invented: an empty Idempotency-Key, or one that is not printable US-ASCII.
pub const IDEMPOTENCY_KEY_INVALID: Code = code(
    "66030320",
    "The Idempotency-Key header must be 1 to 255 printable US-ASCII characters.",
);
// invented: the first request with this key is still being handled (HTTP 409).
pub const IDEMPOTENCY_IN_FLIGHT: Code = code(
    "66030450",
    "A request with this Idempotency-Key is still being processed; retry after it finishes.",
);
// invented: the key was first used on another method or path (HTTP 422).
pub const IDEMPOTENCY_MISMATCH: Code = code(
    "66030530",
    "This Idempotency-Key was first used with {} {}; it cannot be reused with {} {}.",
);

// ---------------------------------------------------------------------------
// Injected faults (/__sandbox/faults, kind "status"). These stand for a
// proxy, rate limiter or overloaded server in front of Zuora.
// ---------------------------------------------------------------------------

/// Documented code; invented message: an injected 401.
pub const FAULT_401: Code = code(
    "90000011",
    "Authentication failed (fault injected by the sandbox).",
);
// invented: injected 403.
pub const FAULT_403: Code = code(
    "67990110",
    "Permission denied (fault injected by the sandbox).",
);
// invented: injected 404.
pub const FAULT_404: Code = code("67990140", "Not found (fault injected by the sandbox).");
// invented: injected 405.
pub const FAULT_405: Code = code(
    "67990145",
    "Method not supported (fault injected by the sandbox).",
);
// invented: injected 409.
pub const FAULT_409: Code = code("67990150", "Conflict (fault injected by the sandbox).");
// invented: injected 422.
pub const FAULT_422: Code = code(
    "67990130",
    "Request cannot be processed (fault injected by the sandbox).",
);
// invented: injected 429; sent with Retry-After when the rule has retryAfter.
pub const FAULT_429: Code = code(
    "67990170",
    "Too many concurrent requests; retry after the Retry-After interval (fault injected by the sandbox).",
);
// invented: any other injected 4xx (400, 408, 413, ...).
pub const FAULT_OTHER_4XX: Code = code(
    "67990120",
    "The request was rejected with HTTP {} (fault injected by the sandbox).",
);
// invented: an injected 5xx other than 500/502/503/504.
pub const FAULT_OTHER_5XX: Code = code(
    "67990161",
    "Temporary error HTTP {}; retry later (fault injected by the sandbox).",
);

// ---------------------------------------------------------------------------
// Zuora's documented 500 body (not invented).
// ---------------------------------------------------------------------------

pub const SYSTEM_ERROR_CODE: &str = "SystemError";
pub const SYSTEM_ERROR_MESSAGE: &str = "internal server error";

// ---------------------------------------------------------------------------
// POST /oauth/token errors. These use the OAuth 2.0 (RFC 6749 §5.2) shape
// `{"error": ..., "error_description": ...}` rather than Zuora codes, so they
// carry no 8-digit code; the texts are gathered here all the same.
// ---------------------------------------------------------------------------

pub const OAUTH_NOT_FORM: &str =
    "Send the credentials as an application/x-www-form-urlencoded body.";
pub const OAUTH_BAD_FORM: &str = "The form body could not be decoded.";
pub const OAUTH_HAS_AUTHORIZATION: &str =
    "Do not send an Authorization header to /oauth/token; put client_id and client_secret in the body.";
pub const OAUTH_DUPLICATE_PARAM: &str = "A form parameter appears more than once: ";
pub const OAUTH_CLIENT_ID_MISSING: &str = "client_id is required.";
pub const OAUTH_CLIENT_ID_LENGTH: &str = "client_id must be exactly 36 characters; got ";
pub const OAUTH_CLIENT_SECRET_MISSING: &str = "client_secret is required.";
pub const OAUTH_CLIENT_SECRET_LENGTH: &str = "client_secret must be at most 42 characters; got ";
pub const OAUTH_GRANT_TYPE_MISSING: &str = "grant_type is required.";
pub const OAUTH_GRANT_TYPE_UNSUPPORTED: &str = "grant_type must be client_credentials; got ";
pub const OAUTH_BAD_CLIENT: &str = "Unknown client_id or wrong client_secret.";

// ---------------------------------------------------------------------------
// Per-row messages in the response file.
// ---------------------------------------------------------------------------

/// The sandbox's deterministic failure rule (see README).
pub const ROW_FAIL_RULE: &str = "Sandbox rule: the row contains FAIL";
/// Zuora's documented text for a row skipped because of its Group ID.
pub const ROW_FAIL_GROUP: &str = "A previous row with the same Group ID failed";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_fills_placeholders_in_order() {
        let r = FILE_TOO_LARGE.with(&[&5, &4]);
        assert_eq!(
            r.message,
            "The file is 5 bytes, which is over the limit of 4 bytes."
        );
        assert_eq!(r.code, "66011520");
    }

    #[test]
    fn every_invented_code_follows_the_scheme() {
        let all = [
            AUTH_MISSING,
            NOT_MULTIPART,
            MALFORMED_MULTIPART,
            MISSING_FILE_PART,
            MISSING_PARAMS_PART,
            UNKNOWN_PART,
            DUPLICATE_PART,
            PARAMS_NOT_JSON,
            PARAMS_NOT_OBJECT,
            ACTION_TYPE_MISSING,
            ACTION_TYPE_INVALID,
            PARAMS_UNKNOWN_KEY,
            CHECKSUM_FORMAT,
            CHECKSUM_MISMATCH,
            FILE_NO_FILENAME,
            FILE_TOO_LARGE,
            FILE_EMPTY,
            FILE_EXTENSION,
            CSV_HAS_NUL,
            CSV_NOT_UTF8,
            ZIP_UNREADABLE,
            ZIP_ENCRYPTED,
            ZIP_NO_CSV,
            ZIP_MANY_CSV,
            ZIP_CSV_TOO_LARGE,
            BODY_TOO_LARGE,
            BODY_UNREADABLE,
            ENCODING_UNSUPPORTED,
            GZIP_INVALID,
            GZIP_TOO_LARGE,
            BULK_NOT_FOUND,
            METHOD_NOT_ALLOWED,
            STOP_NOT_ALLOWED,
            TRACK_ID_INVALID,
            IDEMPOTENCY_KEY_TOO_LONG,
            IDEMPOTENCY_KEY_INVALID,
            IDEMPOTENCY_IN_FLIGHT,
            IDEMPOTENCY_MISMATCH,
            FAULT_403,
            FAULT_404,
            FAULT_405,
            FAULT_409,
            FAULT_422,
            FAULT_429,
            FAULT_OTHER_4XX,
            FAULT_OTHER_5XX,
        ];
        for c in all {
            assert_eq!(c.code.len(), 8, "{}", c.code);
            assert!(c.code.bytes().all(|b| b.is_ascii_digit()), "{}", c.code);
            if c.code == "90000011" {
                continue;
            }
            let resource: u32 = c.code[..6].parse().unwrap_or(0);
            assert!((500_000..=679_999).contains(&resource), "{}", c.code);
            let category = &c.code[6..];
            assert!(
                ["10", "11", "20", "21", "22", "30", "40", "45", "50", "60", "61", "70", "90"]
                    .contains(&category),
                "{}",
                c.code
            );
        }
    }
}
