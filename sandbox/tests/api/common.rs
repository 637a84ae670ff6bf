//! Shared helpers: start a sandbox in-process on 127.0.0.1:0 and talk to it
//! over HTTP, exactly as the app does.

use std::io::Write;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use zuora_sandbox::Config;

pub const DEV_TOKEN: &str = "sandbox-dev-token";

pub struct Sandbox {
    pub base: String,
    pub client: Client,
}

/// A clock fast enough for tests but slow enough that a busy machine still
/// sees `Pending` right after an upload.
pub fn fast_config() -> Config {
    Config {
        tick_ms: 400,
        rows_per_tick: 2,
        ..Config::default()
    }
}

impl Sandbox {
    pub async fn start() -> Sandbox {
        Sandbox::start_with(fast_config()).await
    }

    pub async fn start_with(config: Config) -> Sandbox {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(zuora_sandbox::serve(listener, config));
        Sandbox {
            base: format!("http://{addr}"),
            client: Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `POST /v1/bulk` with the dev token and the given form.
    pub async fn post_form(&self, form: Form) -> Response {
        self.client
            .post(self.url("/v1/bulk"))
            .bearer_auth(DEV_TOKEN)
            .multipart(form)
            .send()
            .await
            .expect("send")
    }

    /// Uploads a file with `{"actionType": action}` and returns the bulk key.
    pub async fn upload(&self, file_name: &str, bytes: &[u8], action: &str) -> String {
        let response = self.post_form(form(file_name, bytes, action)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["success"], true);
        let key = body["bulkKey"].as_str().expect("bulkKey").to_string();
        assert_hex(&key, 32);
        key
    }

    /// `GET {path}` with the dev token.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(DEV_TOKEN)
            .send()
            .await
            .expect("send")
    }

    /// The body of `GET {path}` (a logged part, a mass action's file).
    pub async fn get_bytes(&self, path: &str) -> Vec<u8> {
        self.get(path).await.bytes().await.expect("bytes").to_vec()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        self.get(path).await.json().await.expect("json")
    }

    pub async fn status(&self, key: &str) -> Value {
        self.get_json(&format!("/v1/bulk/{key}")).await
    }

    pub async fn stop(&self, key: &str) -> Response {
        self.client
            .put(self.url(&format!("/v1/bulk/{key}/stop")))
            .bearer_auth(DEV_TOKEN)
            .send()
            .await
            .expect("send")
    }

    /// Polls the mass action until `done` holds, returning every observation.
    pub async fn poll_until(&self, key: &str, done: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        loop {
            let s = self.status(key).await;
            let finished = done(&s);
            seen.push(s);
            if finished {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out; last: {:?}",
                seen.last()
            );
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    }

    pub async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.client.request(method, self.url(path));
        if let Some(b) = body {
            request = request.json(&b);
        }
        let response = request.send().await.expect("send");
        response.json().await.expect("json")
    }

    pub async fn put_config(&self, body: Value) -> Value {
        self.control(reqwest::Method::PUT, "/__sandbox/config", Some(body))
            .await
    }

    pub async fn add_fault(&self, body: Value) {
        let response = self
            .client
            .post(self.url("/__sandbox/faults"))
            .json(&body)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::OK, "fault rule accepted");
    }

    pub async fn requests(&self) -> Vec<Value> {
        let v = self
            .control(reqwest::Method::GET, "/__sandbox/requests", None)
            .await;
        v.as_array().cloned().unwrap_or_default()
    }

    pub async fn mass_actions(&self) -> Vec<Value> {
        let v = self
            .control(reqwest::Method::GET, "/__sandbox/mass-actions", None)
            .await;
        v.as_array().cloned().unwrap_or_default()
    }

    pub async fn in_flight(&self) -> (u64, u64) {
        let v = self
            .control(reqwest::Method::GET, "/__sandbox/in-flight", None)
            .await;
        (
            v["current"].as_u64().expect("current"),
            v["max"].as_u64().expect("max"),
        )
    }

    /// Downloads the response zip of a finished action and returns the name
    /// of its single entry and the parsed CSV rows (header first).
    pub async fn response_file(&self, status: &Value) -> (String, Vec<Vec<String>>) {
        let url = status["outputURL"].as_str().expect("outputURL");
        let id = url.rsplit('/').next().expect("file id");
        assert_eq!(
            url,
            format!("https://rest.sandbox.zuora.invalid/v1/files/{id}")
        );
        assert_hex(id, 32);
        let response = self
            .client
            .get(self.url(&format!("/v1/files/{id}")))
            .bearer_auth(DEV_TOKEN)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "application/zip;charset=UTF-8"
        );
        let bytes = response.bytes().await.expect("bytes");
        assert_eq!(
            status["outputSize"].as_u64(),
            Some(bytes.len() as u64),
            "outputSize is the zip's size"
        );
        unzip_csv(&bytes)
    }
}

pub fn unzip_csv(bytes: &[u8]) -> (String, Vec<Vec<String>>) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    assert_eq!(archive.len(), 1, "one entry");
    let mut entry = archive.by_index(0).expect("entry");
    let name = entry.name().to_string();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).expect("utf-8 csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    (name, rows)
}

/// A form with a file part and a params part.
pub fn form(file_name: &str, bytes: &[u8], action: &str) -> Form {
    Form::new()
        .part(
            "file",
            Part::bytes(bytes.to_vec())
                .file_name(file_name.to_string())
                .mime_str("text/csv")
                .expect("mime"),
        )
        .text("params", format!("{{\"actionType\":\"{action}\"}}"))
}

pub fn form_with_params(file_name: &str, bytes: &[u8], params: &str) -> Form {
    Form::new()
        .part(
            "file",
            Part::bytes(bytes.to_vec()).file_name(file_name.to_string()),
        )
        .text("params", params.to_string())
}

pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn assert_hex(s: &str, len: usize) {
    assert_eq!(s.len(), len, "{s}");
    assert!(
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{s} is lowercase hex"
    );
}

/// Checks the Zuora 4XX shape and returns the single reason's message.
pub async fn assert_zuora_error(response: Response, status: StatusCode, code: &str) -> String {
    assert_eq!(response.status(), status);
    let request_id = response
        .headers()
        .get("zuora-request-id")
        .expect("Zuora-Request-Id")
        .to_str()
        .expect("ascii")
        .to_string();
    assert_eq!(request_id.len(), 36);
    assert!(uuid::Uuid::parse_str(&request_id).is_ok());
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["success"], false, "{body}");
    let process_id = body["processId"].as_str().expect("processId");
    assert_eq!(process_id.len(), 16);
    assert!(process_id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
    assert_eq!(body["requestId"], request_id.as_str());
    let reasons = body["reasons"].as_array().expect("reasons");
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0]["code"], code, "{body}");
    reasons[0]["message"].as_str().expect("message").to_string()
}

/// Builds a zip in memory from (name, bytes) entries.
pub fn make_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        if name.ends_with('/') {
            zip.add_directory(
                name.trim_end_matches('/'),
                zip::write::SimpleFileOptions::default(),
            )
            .expect("dir");
            continue;
        }
        zip.start_file(
            *name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// Sets the "encrypted" flag on every entry of a stored zip, which is what a
/// password-protected zip looks like to a reader that checks the flag.
pub fn mark_encrypted(mut zip: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 4 <= zip.len() {
        let sig = &zip[i..i + 4];
        if sig == [0x50, 0x4b, 0x03, 0x04] {
            zip[i + 6] |= 1;
        } else if sig == [0x50, 0x4b, 0x01, 0x02] {
            zip[i + 8] |= 1;
        }
        i += 1;
    }
    zip
}

/// The CSV used by the lifecycle tests, and what the failure rule predicts.
/// Rows (in order) and expected outcomes:
/// 1 Y (FAIL only in a # column), 2 Y, 3 N (contains FAIL),
/// 4 N (same Group ID as row 3), 5 Y, 6 N (FAILED contains FAIL),
/// 7 Y (lower-case "fail" does not count).
pub const LIFECYCLE_CSV: &str = "Group ID,Object Key,Object Type,#Comment\r\n\
,OK-1,Invoice Item,FAIL is ignored here\r\n\
G1,OK-2,Invoice Item,\r\n\
G1,FAIL-3,Invoice Item,\r\n\
\r\n\
G1,OK-4,Invoice Item,\r\n\
G2,OK-5,Invoice Item,\r\n\
,FAILED-6,Invoice Item,\r\n\
,fail-7,Invoice Item,\r\n";

pub const LIFECYCLE_OUTCOMES: [bool; 7] = [true, true, false, false, true, false, true];
