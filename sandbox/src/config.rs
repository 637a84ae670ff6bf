//! Settings of a running sandbox.

use serde::{Deserialize, Serialize};

/// How `GET /v1/bulk/{key}` writes the four count fields. Zuora's schema says
/// string while its sample shows numbers; the sandbox can do either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CountsAs {
    Number,
    String,
}

/// Longest accepted tick: one day.
pub const MAX_TICK_MS: u64 = 24 * 60 * 60 * 1000;

/// Everything the sandbox can be told at startup. `Default` gives the same
/// values as the command-line defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Length of one tick of a mass action's clock.
    pub tick_ms: u64,
    /// Data rows processed per tick while `Processing`.
    pub rows_per_tick: u64,
    /// Largest accepted `file` part (Zuora documents 4 MB).
    pub max_file_bytes: u64,
    /// Largest accepted request body; beyond it the answer is 413.
    pub max_body_bytes: u64,
    /// Sleep inside `POST /v1/bulk` before validating, to hold requests in flight.
    pub processing_delay_ms: u64,
    pub counts_as: CountsAs,
    /// Scheme and host put in front of `/v1/files/{id}` in `outputURL`.
    pub files_base: String,
    /// A bearer token that is always accepted, so `make dev` needs no OAuth step.
    pub dev_token: String,
    pub client_id: String,
    pub client_secret: String,
    /// `expires_in` of issued tokens, and how long they are accepted.
    pub token_ttl_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tick_ms: 1000,
            rows_per_tick: 5,
            max_file_bytes: 4_000_000,
            max_body_bytes: 67_108_864,
            processing_delay_ms: 0,
            counts_as: CountsAs::Number,
            files_base: "https://rest.sandbox.zuora.invalid".to_string(),
            dev_token: "sandbox-dev-token".to_string(),
            client_id: "5a1b0c2d-0000-4000-8000-5a4db0c0de01".to_string(),
            client_secret: "sandbox-dev-secret".to_string(),
            token_ttl_secs: 3599,
        }
    }
}

impl Config {
    /// A zero tick or zero rows per tick would stall the clock (or divide by
    /// zero), so both are raised to at least 1; a tick is capped at one day
    /// so that time arithmetic cannot overflow.
    pub(crate) fn sanitized(mut self) -> Self {
        self.tick_ms = self.tick_ms.clamp(1, MAX_TICK_MS);
        self.rows_per_tick = self.rows_per_tick.max(1);
        self.files_base = self.files_base.trim_end_matches('/').to_string();
        self
    }
}

/// The effective configuration as shown by `/__sandbox/config` (camelCase).
/// Credentials are included on purpose: they are development values.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConfigView {
    tick_ms: u64,
    rows_per_tick: u64,
    processing_delay_ms: u64,
    counts_as: CountsAs,
    max_file_bytes: u64,
    max_body_bytes: u64,
    files_base: String,
    dev_token: String,
    client_id: String,
    client_secret: String,
    token_ttl_secs: u64,
}

impl From<&Config> for ConfigView {
    fn from(c: &Config) -> Self {
        ConfigView {
            tick_ms: c.tick_ms,
            rows_per_tick: c.rows_per_tick,
            processing_delay_ms: c.processing_delay_ms,
            counts_as: c.counts_as,
            max_file_bytes: c.max_file_bytes,
            max_body_bytes: c.max_body_bytes,
            files_base: c.files_base.clone(),
            dev_token: c.dev_token.clone(),
            client_id: c.client_id.clone(),
            client_secret: c.client_secret.clone(),
            token_ttl_secs: c.token_ttl_secs,
        }
    }
}

/// Body of `PUT /__sandbox/config`: only the fields present are changed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    tick_ms: Option<u64>,
    rows_per_tick: Option<u64>,
    processing_delay_ms: Option<u64>,
    counts_as: Option<CountsAs>,
    max_file_bytes: Option<u64>,
}

impl ConfigPatch {
    pub(crate) fn apply(self, config: &mut Config) -> Result<(), String> {
        if let Some(t) = self.tick_ms {
            if !(1..=MAX_TICK_MS).contains(&t) {
                return Err(format!("tickMs must be 1..={MAX_TICK_MS}"));
            }
        }
        if self.rows_per_tick == Some(0) {
            return Err("rowsPerTick must be at least 1".to_string());
        }
        if let Some(v) = self.tick_ms {
            config.tick_ms = v;
        }
        if let Some(v) = self.rows_per_tick {
            config.rows_per_tick = v;
        }
        if let Some(v) = self.processing_delay_ms {
            config.processing_delay_ms = v;
        }
        if let Some(v) = self.counts_as {
            config.counts_as = v;
        }
        if let Some(v) = self.max_file_bytes {
            config.max_file_bytes = v;
        }
        Ok(())
    }
}
