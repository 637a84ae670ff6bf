//! The sandbox in-process on 127.0.0.1:0, a file uploaded to it as the app would, and
//! a `StatusSource` that asks it over real HTTP with its dev token.

use bytes::Bytes;
use mass_updater_gateway::follow::{StatusSource, UpstreamError, UpstreamReply};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use zuora_sandbox::Config;

pub const DEV_TOKEN: &str = "sandbox-dev-token";

/// Seven data rows of the sandbox's own lifecycle tests.
pub const CSV: &str = "Group ID,Object Key,Object Type,#Comment\r\n\
,OK-1,Invoice Item,\r\n\
G1,OK-2,Invoice Item,\r\n\
G1,FAIL-3,Invoice Item,\r\n\
G1,OK-4,Invoice Item,\r\n\
G2,OK-5,Invoice Item,\r\n\
,FAILED-6,Invoice Item,\r\n\
,fail-7,Invoice Item,\r\n";

pub struct Sandbox {
    pub base: String,
    pub client: reqwest::Client,
}

impl Sandbox {
    /// A sandbox whose mass actions end within a few ticks of `tick_ms`.
    pub async fn start(tick_ms: u64) -> Sandbox {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let config = Config {
            tick_ms,
            rows_per_tick: 3,
            ..Config::default()
        };
        tokio::spawn(zuora_sandbox::serve(listener, config));
        Sandbox {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
        }
    }

    /// Uploads the test file and returns the mass action's bulk key.
    pub async fn upload(&self, file_name: &str) -> String {
        let form = Form::new()
            .part(
                "file",
                Part::bytes(CSV.as_bytes().to_vec())
                    .file_name(file_name.to_owned())
                    .mime_str("text/csv")
                    .expect("mime"),
            )
            .text("params", r#"{"actionType":"UpdateAccountingCode"}"#);
        let reply: Value = self
            .client
            .post(format!("{}/v1/bulk", self.base))
            .bearer_auth(DEV_TOKEN)
            .multipart(form)
            .send()
            .await
            .expect("upload")
            .json()
            .await
            .expect("json");
        reply["bulkKey"].as_str().expect("a bulk key").to_owned()
    }

    /// The sandbox's request log.
    pub async fn requests(&self) -> Vec<Value> {
        let log: Value = self
            .client
            .get(format!("{}/__sandbox/requests", self.base))
            .send()
            .await
            .expect("request log")
            .json()
            .await
            .expect("json");
        log.as_array().cloned().unwrap_or_default()
    }

    /// The `GET /v1/bulk/{key}` requests in the log.
    pub async fn status_gets(&self, key: &str) -> Vec<Value> {
        let path = format!("/v1/bulk/{key}");
        self.requests()
            .await
            .into_iter()
            .filter(|r| r["method"] == "GET" && r["path"] == path.as_str())
            .collect()
    }

    pub async fn add_fault(&self, rule: Value) {
        let status = self
            .client
            .post(format!("{}/__sandbox/faults", self.base))
            .json(&rule)
            .send()
            .await
            .expect("fault")
            .status();
        assert!(status.is_success(), "fault rule accepted");
    }

    pub fn source(&self, agent: &str) -> SandboxSource {
        SandboxSource {
            base: self.base.clone(),
            client: reqwest::Client::builder()
                .user_agent(agent.to_owned())
                .build()
                .expect("client"),
        }
    }
}

/// Asks the sandbox for statuses; its user agent tells its requests apart in the log.
pub struct SandboxSource {
    base: String,
    client: reqwest::Client,
}

impl StatusSource for SandboxSource {
    async fn fetch_status(&self, bulk_key: &str) -> Result<UpstreamReply, UpstreamError> {
        let unreachable = |e: reqwest::Error| UpstreamError::Unreachable {
            detail: e.to_string(),
        };
        let response = self
            .client
            .get(format!("{}/v1/bulk/{bulk_key}", self.base))
            .bearer_auth(DEV_TOKEN)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body: Bytes = response.bytes().await.map_err(unreachable)?;
        Ok(UpstreamReply {
            status,
            content_type,
            body,
        })
    }
}
