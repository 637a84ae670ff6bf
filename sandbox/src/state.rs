//! Shared state of one running sandbox.
//!
//! One `std::sync::Mutex` guards everything; it is never held across an
//! `.await`, and a poisoned lock is simply taken over (the data stays
//! consistent because every update is a few plain assignments).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, Method, StatusCode};
use bytes::Bytes;
use serde::Serialize;

use crate::action::MassAction;
use crate::config::Config;
use crate::faults::{Fault, FaultRule};
use crate::multipart::RawPart;

/// How many requests the log keeps.
pub const LOG_CAPACITY: usize = 1000;
/// How long an idempotency key is remembered (Zuora: 24 hours).
pub const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Parts up to this size without a filename are shown as text in the log.
pub const LOG_TEXT_LIMIT: usize = 64 * 1024;
/// Raw part bytes kept across the whole log. Beyond it the oldest parts'
/// bytes are let go (their download then answers 404), so a test suite that
/// uploads many 4 MB files does not grow the process without bound.
pub const LOG_BYTES_BUDGET: usize = 256 * 1024 * 1024;

pub struct App {
    startup: Config,
    inner: Mutex<Inner>,
}

pub type SharedApp = Arc<App>;

struct Inner {
    config: Config,
    /// Bumped by every reset, so that guards created before it leave the new
    /// state alone.
    generation: u64,
    actions: Vec<Arc<MassAction>>,
    by_key: HashMap<String, Arc<MassAction>>,
    by_file: HashMap<String, Arc<MassAction>>,
    idempotency: HashMap<String, IdemEntry>,
    faults: VecDeque<FaultRule>,
    log: VecDeque<LogEntry>,
    next_seq: u64,
    next_uid: u64,
    tokens: HashMap<String, Instant>,
    bulk_current: u64,
    bulk_max: u64,
    next_rs_number: u64,
}

impl Inner {
    fn new(config: Config) -> Inner {
        Inner {
            config,
            generation: 0,
            actions: Vec::new(),
            by_key: HashMap::new(),
            by_file: HashMap::new(),
            idempotency: HashMap::new(),
            faults: VecDeque::new(),
            log: VecDeque::new(),
            next_seq: 1,
            next_uid: 1,
            tokens: HashMap::new(),
            bulk_current: 0,
            bulk_max: 0,
            next_rs_number: 0,
        }
    }
}

impl Inner {
    fn trim_log_bytes(&mut self) {
        self.trim_log_bytes_to(LOG_BYTES_BUDGET);
    }

    /// Lets go of the oldest raw part bytes until the log fits `budget`.
    fn trim_log_bytes_to(&mut self, budget: usize) {
        let mut total: usize = self
            .log
            .iter()
            .flat_map(|e| e.parts.iter().flatten())
            .filter_map(|p| p.bytes.as_ref().map(Bytes::len))
            .sum();
        for entry in self.log.iter_mut() {
            if total <= budget {
                break;
            }
            for part in entry.parts.iter_mut().flatten() {
                if let Some(bytes) = part.bytes.take() {
                    total = total.saturating_sub(bytes.len());
                }
            }
        }
    }
}

/// A stored idempotent request.
struct IdemEntry {
    method: Method,
    path: String,
    created: Instant,
    state: IdemState,
}

enum IdemState {
    InFlight,
    Done(StoredResponse),
}

#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: StatusCode,
    pub body: Bytes,
    pub content_type: Option<HeaderValue>,
}

/// What the idempotency store says about an incoming request.
pub enum IdemDecision {
    /// First use of the key: go on, and complete (or drop) the guard.
    Proceed(IdemGuard),
    /// The key is not registered for this method (only POST/PATCH are).
    Ignore,
    Replay(StoredResponse),
    InFlight,
    Mismatch {
        method: Method,
        path: String,
    },
}

/// Keeps a key registered as in flight; releases it if dropped without
/// [`IdemGuard::complete`] (for example when the client disconnects).
pub struct IdemGuard {
    app: SharedApp,
    key: String,
    generation: u64,
    done: bool,
}

impl IdemGuard {
    pub fn complete(mut self, response: StoredResponse) {
        self.done = true;
        let mut inner = self.app.lock();
        if inner.generation != self.generation {
            return;
        }
        if let Some(entry) = inner.idempotency.get_mut(&self.key) {
            entry.state = IdemState::Done(response);
        }
    }
}

impl Drop for IdemGuard {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut inner = self.app.lock();
        if inner.generation != self.generation {
            return;
        }
        if matches!(
            inner.idempotency.get(&self.key).map(|e| &e.state),
            Some(IdemState::InFlight)
        ) {
            inner.idempotency.remove(&self.key);
        }
    }
}

/// Counts a `POST /v1/bulk` request as in flight for as long as it lives.
pub struct BulkInFlight {
    app: SharedApp,
}

impl Drop for BulkInFlight {
    fn drop(&mut self) {
        let mut inner = self.app.lock();
        inner.bulk_current = inner.bulk_current.saturating_sub(1);
    }
}

/// One entry of `/__sandbox/requests`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    #[serde(skip)]
    uid: u64,
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub headers: serde_json::Map<String, serde_json::Value>,
    pub body_size: u64,
    pub body_md5: String,
    /// The `Content-Encoding` request header (trimmed, lower-cased, repeated
    /// values joined with ", "), or `None` when it was not sent.
    pub content_encoding: Option<String>,
    /// Size and MD5 of the body after gunzipping; `None` unless a gzip body
    /// was decoded successfully.
    pub decoded_body_size: Option<u64>,
    pub decoded_body_md5: Option<String>,
    pub fault: Option<String>,
    pub parts: Option<Vec<LoggedPart>>,
    pub response_status: Option<u16>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedPart {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size: usize,
    pub md5: String,
    pub text: Option<String>,
    /// `None` once the bytes were let go to stay within LOG_BYTES_BUDGET.
    #[serde(skip)]
    pub bytes: Option<Bytes>,
}

impl LoggedPart {
    pub fn from_raw(part: &RawPart) -> LoggedPart {
        use md5::{Digest, Md5};
        let text = if part.filename.is_none() && part.bytes.len() <= LOG_TEXT_LIMIT {
            std::str::from_utf8(&part.bytes).ok().map(str::to_string)
        } else {
            None
        };
        LoggedPart {
            name: part.name.clone(),
            filename: part.filename.clone(),
            content_type: part.content_type.clone(),
            size: part.bytes.len(),
            md5: crate::action::hex_lower(&Md5::digest(&part.bytes)),
            text,
            bytes: Some(part.bytes.clone()),
        }
    }
}

/// What the front layer knows about a request when it arrives.
pub struct Arrival {
    pub method: String,
    pub path: String,
    pub headers: serde_json::Map<String, serde_json::Value>,
    pub body_size: u64,
    pub body_md5: String,
    pub content_encoding: Option<String>,
    pub decoded_body_size: Option<u64>,
    pub decoded_body_md5: Option<String>,
    pub parts: Option<Vec<LoggedPart>>,
}

/// Row of `/__sandbox/mass-actions`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionSummary {
    pub bulk_key: String,
    pub action_type: &'static str,
    pub file_name: String,
    pub idempotency_key: Option<String>,
    pub status: &'static str,
    pub total_count: Option<usize>,
}

impl App {
    pub fn new(config: Config) -> SharedApp {
        let config = config.sanitized();
        Arc::new(App {
            startup: config.clone(),
            inner: Mutex::new(Inner::new(config)),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn config(&self) -> Config {
        self.lock().config.clone()
    }

    pub fn update_config(
        &self,
        f: impl FnOnce(&mut Config) -> Result<(), String>,
    ) -> Result<Config, String> {
        let mut inner = self.lock();
        let mut next = inner.config.clone();
        f(&mut next)?;
        inner.config = next.sanitized();
        Ok(inner.config.clone())
    }

    /// Back to the state right after startup. Requests that are in flight
    /// keep counting in `current`, since they really are in flight.
    pub fn reset(&self) {
        let mut inner = self.lock();
        let generation = inner.generation + 1;
        let current = inner.bulk_current;
        *inner = Inner::new(self.startup.clone());
        inner.generation = generation;
        inner.bulk_current = current;
        inner.bulk_max = current;
    }

    // ----- tokens -------------------------------------------------------

    pub fn issue_token(&self, token: String, ttl: Duration) {
        let mut inner = self.lock();
        let now = Instant::now();
        inner.tokens.retain(|_, exp| *exp > now);
        // A huge TTL means "never expires" rather than an overflow.
        let expires = now
            .checked_add(ttl)
            .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 60 * 60));
        inner.tokens.insert(token, expires);
    }

    pub fn token_is_valid(&self, token: &str) -> bool {
        let inner = self.lock();
        if token == inner.config.dev_token {
            return true;
        }
        inner
            .tokens
            .get(token)
            .is_some_and(|exp| *exp > Instant::now())
    }

    // ----- faults -------------------------------------------------------

    pub fn add_fault(&self, rule: FaultRule) -> Vec<FaultRule> {
        let mut inner = self.lock();
        inner.faults.push_back(rule);
        inner.faults.iter().cloned().collect()
    }

    pub fn faults(&self) -> Vec<FaultRule> {
        self.lock().faults.iter().cloned().collect()
    }

    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Consumes one count of the first rule that matches, if any.
    pub fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut inner = self.lock();
        let index = inner.faults.iter().position(|r| r.matches(method, path))?;
        let rule = inner.faults.get_mut(index)?;
        let fault = rule.fault();
        rule.count = rule.count.saturating_sub(1);
        if rule.count == 0 {
            inner.faults.remove(index);
        }
        Some(fault)
    }

    // ----- request log --------------------------------------------------

    /// Records a request as it arrives; returns its private id for later updates.
    pub fn log_arrival(&self, a: Arrival) -> u64 {
        let mut inner = self.lock();
        let uid = inner.next_uid;
        inner.next_uid += 1;
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.log.push_back(LogEntry {
            uid,
            seq,
            method: a.method,
            path: a.path,
            headers: a.headers,
            body_size: a.body_size,
            body_md5: a.body_md5,
            content_encoding: a.content_encoding,
            decoded_body_size: a.decoded_body_size,
            decoded_body_md5: a.decoded_body_md5,
            fault: None,
            parts: a.parts,
            response_status: None,
        });
        while inner.log.len() > LOG_CAPACITY {
            inner.log.pop_front();
        }
        inner.trim_log_bytes();
        uid
    }

    pub fn log_fault(&self, uid: u64, fault: &Fault) {
        let mut inner = self.lock();
        if let Some(e) = inner.log.iter_mut().find(|e| e.uid == uid) {
            e.fault = Some(fault.label());
        }
    }

    pub fn log_response(&self, uid: u64, status: u16) {
        let mut inner = self.lock();
        if let Some(e) = inner.log.iter_mut().find(|e| e.uid == uid) {
            e.response_status = Some(status);
        }
    }

    pub fn requests(&self) -> Vec<LogEntry> {
        self.lock().log.iter().cloned().collect()
    }

    pub fn clear_requests(&self) {
        let mut inner = self.lock();
        inner.log.clear();
        inner.next_seq = 1;
    }

    pub fn request_part(&self, seq: u64, index: usize) -> Option<Bytes> {
        let inner = self.lock();
        let entry = inner.log.iter().find(|e| e.seq == seq)?;
        let part = entry.parts.as_ref()?.get(index)?;
        part.bytes.clone()
    }

    // ----- in-flight counter -------------------------------------------

    pub fn enter_bulk(self: &Arc<Self>) -> BulkInFlight {
        let mut inner = self.lock();
        inner.bulk_current += 1;
        inner.bulk_max = inner.bulk_max.max(inner.bulk_current);
        BulkInFlight { app: self.clone() }
    }

    pub fn in_flight(&self) -> (u64, u64) {
        let inner = self.lock();
        (inner.bulk_current, inner.bulk_max)
    }

    // ----- idempotency --------------------------------------------------

    pub fn idempotency(self: &Arc<Self>, key: &str, method: &Method, path: &str) -> IdemDecision {
        let mut inner = self.lock();
        let now = Instant::now();
        inner
            .idempotency
            .retain(|_, e| now.saturating_duration_since(e.created) < IDEMPOTENCY_TTL);
        if let Some(entry) = inner.idempotency.get(key) {
            if entry.method != *method || entry.path != path {
                return IdemDecision::Mismatch {
                    method: entry.method.clone(),
                    path: entry.path.clone(),
                };
            }
            return match &entry.state {
                IdemState::InFlight => IdemDecision::InFlight,
                IdemState::Done(stored) => IdemDecision::Replay(stored.clone()),
            };
        }
        // Zuora honours the key on POST and PATCH only.
        if *method != Method::POST && *method != Method::PATCH {
            return IdemDecision::Ignore;
        }
        inner.idempotency.insert(
            key.to_string(),
            IdemEntry {
                method: method.clone(),
                path: path.to_string(),
                created: now,
                state: IdemState::InFlight,
            },
        );
        IdemDecision::Proceed(IdemGuard {
            app: self.clone(),
            key: key.to_string(),
            generation: inner.generation,
            done: false,
        })
    }

    // ----- mass actions -------------------------------------------------

    /// Adds an action built by `build`, which may draw revenue schedule
    /// numbers from the shared counter.
    pub fn add_action(&self, build: impl FnOnce(&mut u64) -> MassAction) -> Arc<MassAction> {
        let mut inner = self.lock();
        let action = Arc::new(build(&mut inner.next_rs_number));
        inner.actions.push(action.clone());
        inner.by_key.insert(action.bulk_key.clone(), action.clone());
        inner.by_file.insert(action.file_id.clone(), action.clone());
        action
    }

    pub fn action(&self, key: &str) -> Option<Arc<MassAction>> {
        self.lock().by_key.get(key).cloned()
    }

    pub fn action_by_file(&self, file_id: &str) -> Option<Arc<MassAction>> {
        self.lock().by_file.get(file_id).cloned()
    }

    pub fn summaries(&self) -> Vec<ActionSummary> {
        let actions: Vec<Arc<MassAction>> = self.lock().actions.clone();
        let now = Instant::now();
        actions
            .iter()
            .map(|a| ActionSummary {
                bulk_key: a.bulk_key.clone(),
                action_type: a.action_type.as_str(),
                file_name: a.file_name.clone(),
                idempotency_key: a.idempotency_key.clone(),
                status: a.snapshot(now).status.as_str(),
                total_count: a.sheet.as_ref().map(|s| s.total()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrival(size: usize) -> Arrival {
        let part = RawPart {
            name: Some("file".into()),
            filename: Some("a.csv".into()),
            content_type: None,
            bytes: Bytes::from(vec![b'x'; size]),
        };
        Arrival {
            method: "POST".into(),
            path: "/v1/bulk".into(),
            headers: serde_json::Map::new(),
            body_size: size as u64,
            body_md5: String::new(),
            content_encoding: None,
            decoded_body_size: None,
            decoded_body_md5: None,
            parts: Some(vec![LoggedPart::from_raw(&part)]),
        }
    }

    #[test]
    fn log_lets_go_of_the_oldest_part_bytes_beyond_its_budget() {
        let app = App::new(Config::default());
        for _ in 0..3 {
            app.log_arrival(arrival(10));
        }
        app.lock().trim_log_bytes_to(25);
        assert!(app.request_part(1, 0).is_none(), "oldest let go");
        assert_eq!(app.request_part(2, 0).map(|b| b.len()), Some(10));
        assert_eq!(app.request_part(3, 0).map(|b| b.len()), Some(10));
        // The entry itself (with its size and md5) stays listed.
        assert_eq!(app.requests().len(), 3);
    }

    #[test]
    fn log_keeps_only_the_last_thousand_requests() {
        let app = App::new(Config::default());
        for _ in 0..(LOG_CAPACITY + 5) {
            app.log_arrival(arrival(1));
        }
        let log = app.requests();
        assert_eq!(log.len(), LOG_CAPACITY);
        assert_eq!(log[0].seq, 6);
    }
}
