//! Shared helpers: the sandbox and the gateway started in-process on 127.0.0.1:0, a
//! small built app (dist/ with the CSP that scripts/csp.mjs writes), and the built
//! binary for the process-level tests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use mass_updater_gateway::config::{Config, Secret, Timeouts};
use mass_updater_gateway::identity::Identity;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const CLIENT_ID: &str = "5a1b0c2d-0000-4000-8000-5a4db0c0de01";
pub const USER: &str = "ann@example.com";

pub const CSV: &str =
    "Group ID,Object Key,Object Type\r\n,OK-1,Invoice Item\r\n,OK-2,Invoice Item\r\n";

/// Stops a server started in-process when dropped.
pub struct Running {
    pub base: String,
    _stop: oneshot::Sender<()>,
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A distinctive secret, different for every test, so finding it anywhere is a leak.
pub fn random_secret() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    format!("S{}", &(a + &b)[..39])
}

pub fn sandbox_config(secret: &str) -> zuora_sandbox::Config {
    zuora_sandbox::Config {
        tick_ms: 100,
        rows_per_tick: 1,
        client_secret: secret.to_owned(),
        ..zuora_sandbox::Config::default()
    }
}

pub async fn start_sandbox(config: zuora_sandbox::Config) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(zuora_sandbox::serve_with_shutdown(
        listener,
        config,
        async {
            let _ = stopped.await;
        },
    ));
    Running {
        base: format!("http://{addr}"),
        _stop: stop,
    }
}

/// A small build: an inline module script (so the CSP has a hash), a content-hashed
/// script big enough to be compressed, a wasm file, a favicon, and `csp.txt` written by
/// scripts/csp.mjs exactly as the build hook writes it.
pub fn fixture_dist() -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Mass Updater</title>\
<script type=\"module\">import init from '/app-1a2b3c4d5e.js'; init();</script></head>\
<body></body></html>\n";
    std::fs::write(dir.path().join("index.html"), index).expect("index");
    let script = "export default function init() { return 1; }\n".repeat(64);
    std::fs::write(dir.path().join("app-1a2b3c4d5e.js"), script).expect("js");
    std::fs::write(
        dir.path().join("app-1a2b3c4d5e_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .expect("wasm");
    std::fs::write(dir.path().join("favicon.ico"), [0u8, 0, 1, 0]).expect("ico");
    let out = dir.path().join("csp.txt");
    run_csp(dir.path(), &["--out", out.to_str().expect("utf-8 path")]);
    dir
}

/// Runs scripts/csp.mjs on `dist` with `extra` arguments; its stdout.
pub fn run_csp(dist: &Path, extra: &[&str]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/csp.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg("--header")
        .arg("--dist")
        .arg(dist)
        .args(extra)
        .output()
        .expect("node runs scripts/csp.mjs");
    assert!(
        output.status.success(),
        "csp.mjs: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

pub fn config(zuora: &str, dist: &Path, secret: &str, identity: Identity) -> Config {
    Config {
        dist: dist.to_owned(),
        zuora_url: zuora.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: Secret::new(secret),
        database: "sqlite::memory:".to_owned(),
        identity,
        follow_interval: Duration::from_millis(100),
        instance_id: "test".to_owned(),
        max_file_bytes: 4_000_000,
        frame_ancestors: "'self'".to_owned(),
        timeouts: Timeouts::default(),
    }
}

pub fn dev_identity() -> Identity {
    Identity::new(None, vec![], Some(USER.to_owned())).expect("identity")
}

pub async fn start_gateway(config: Config) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let gateway = mass_updater_gateway::Gateway::start(config)
        .await
        .expect("gateway starts");
    tokio::spawn(gateway.serve(listener, async {
        let _ = stopped.await;
    }));
    Running {
        base: format!("http://{addr}"),
        _stop: stop,
    }
}

/// A sandbox with a fresh secret, a fixture build, and a gateway in front of both.
pub struct Pair {
    pub sandbox: Running,
    pub gateway: Running,
    pub secret: String,
    pub dist: TempDir,
    pub client: reqwest::Client,
}

pub async fn pair() -> Pair {
    pair_with(|_| {}, |_| {}).await
}

pub async fn pair_with(
    sandbox: impl FnOnce(&mut zuora_sandbox::Config),
    gateway: impl FnOnce(&mut Config),
) -> Pair {
    let secret = random_secret();
    let mut sandbox_settings = sandbox_config(&secret);
    sandbox(&mut sandbox_settings);
    let sandbox = start_sandbox(sandbox_settings).await;
    let dist = fixture_dist();
    let mut settings = config(&sandbox.base, dist.path(), &secret, dev_identity());
    gateway(&mut settings);
    let gateway = start_gateway(settings).await;
    Pair {
        sandbox,
        gateway,
        secret,
        dist,
        client: reqwest::Client::new(),
    }
}

impl Pair {
    /// The sandbox's request log.
    pub async fn requests(&self) -> Vec<Value> {
        let log: Value = self
            .client
            .get(self.sandbox.url("/__sandbox/requests"))
            .send()
            .await
            .expect("log")
            .json()
            .await
            .expect("log json");
        log.as_array().cloned().unwrap_or_default()
    }

    /// How many requests reached the sandbox with this method and path prefix.
    pub async fn count(&self, method: &str, path_prefix: &str) -> usize {
        self.requests()
            .await
            .iter()
            .filter(|r| {
                r["method"] == method
                    && r["path"]
                        .as_str()
                        .is_some_and(|p| p.starts_with(path_prefix))
            })
            .count()
    }

    pub async fn fault(&self, rule: Value) {
        let response = self
            .client
            .post(self.sandbox.url("/__sandbox/faults"))
            .json(&rule)
            .send()
            .await
            .expect("fault");
        assert_eq!(response.status(), 200, "fault rule accepted");
    }

    /// Uploads `CSV` through the gateway with this key; the answer.
    pub async fn upload(&self, key: &str) -> reqwest::Response {
        self.client
            .post(self.gateway.url("/v1/bulk"))
            .header("Idempotency-Key", key)
            .multipart(form(
                "accounting.csv",
                CSV.as_bytes(),
                "UpdateAccountingCode",
            ))
            .send()
            .await
            .expect("upload")
    }
}

pub fn form(file_name: &str, bytes: &[u8], action: &str) -> Form {
    Form::new()
        .part(
            "file",
            Part::bytes(bytes.to_vec())
                .file_name(file_name.to_owned())
                .mime_str("text/csv")
                .expect("mime"),
        )
        .text("params", format!("{{\"actionType\":\"{action}\"}}"))
}

/// The Zuora-shaped refusal's first reason code, after checking the shape.
pub async fn zuora_code(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["success"], false);
    assert!(body["processId"].is_string() && body["requestId"].is_string());
    let message = body["reasons"][0]["message"].as_str().expect("message");
    assert!(message.ends_with('.'), "one sentence: {message}");
    body["reasons"][0]["code"]
        .as_str()
        .expect("code")
        .to_owned()
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mass-updater-gateway"))
}

/// The built binary with these arguments, stdout and stderr piped.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command
        .args(args)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Pair {
    /// `GET /api/history` with this query; the parsed answer.
    pub async fn history(&self, query: &str) -> Value {
        let response = self
            .client
            .get(self.gateway.url(&format!("/api/history{query}")))
            .send()
            .await
            .expect("history");
        assert_eq!(response.status(), 200, "history{query}");
        response.json().await.expect("history json")
    }

    /// The history job recorded under this Idempotency-Key.
    pub async fn job(&self, key: &str) -> Option<Value> {
        job_in(&self.history("?limit=200").await, key)
    }

    /// Waits until the job under `key` satisfies `done`; panics with the last state
    /// after `DEADLINE` (a bound for a broken build, not a measurement).
    pub async fn wait_for_job(&self, key: &str, done: impl Fn(&Value) -> bool) -> Value {
        wait_for_job_at(&self.client, &self.gateway.base, key, done).await
    }
}

pub const DEADLINE: Duration = Duration::from_secs(60);

pub fn job_in(history: &Value, key: &str) -> Option<Value> {
    history["jobs"]
        .as_array()?
        .iter()
        .find(|j| j["idempotencyKey"] == key)
        .cloned()
}

pub async fn wait_for_job_at(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let start = std::time::Instant::now();
    let mut last = Value::Null;
    while start.elapsed() < DEADLINE {
        if let Ok(response) = client
            .get(format!("{base}/api/history?limit=200"))
            .send()
            .await
        {
            if let Ok(history) = response.json::<Value>().await {
                last = job_in(&history, key).unwrap_or(Value::Null);
                if done(&last) {
                    return last;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the job {key} never got there; last seen: {last}");
}
