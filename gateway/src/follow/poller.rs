//! One `GET /v1/bulk/{key}` at a time per key, shared by everyone who asks meanwhile;
//! a status fetched less than [`FRESH_FOR`] ago is answered from the store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::watch;

use super::{StatusSource, UpstreamError, UpstreamReply};
use crate::store::{StatusReply, Store};

/// How long a fetched status is served from the store without asking upstream.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

type Outcome = Option<Result<UpstreamReply, UpstreamError>>;

/// Cheap to clone; every clone shares the same in-flight requests. Make one per process
/// and hand it to both the HTTP side and the [`super::Follower`].
pub struct Poller<S> {
    shared: Arc<Shared<S>>,
}

impl<S> Clone for Poller<S> {
    fn clone(&self) -> Self {
        Poller {
            shared: Arc::clone(&self.shared),
        }
    }
}

struct Shared<S> {
    store: Store,
    source: S,
    fresh_for: Duration,
    in_flight: Mutex<HashMap<String, watch::Receiver<Outcome>>>,
}

impl<S: StatusSource> Poller<S> {
    pub fn new(store: Store, source: S) -> Poller<S> {
        Poller::with_freshness(store, source, FRESH_FOR)
    }

    /// Like [`Poller::new`] with another freshness window (tests).
    pub fn with_freshness(store: Store, source: S, fresh_for: Duration) -> Poller<S> {
        Poller {
            shared: Arc::new(Shared {
                store,
                source,
                fresh_for,
                in_flight: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    /// The status of a mass action: from the store when fresh, else from upstream,
    /// joining a request already under way for the same key. A 200 is recorded; any
    /// other answer is handed back as it came.
    pub async fn poll(&self, bulk_key: &str) -> Result<UpstreamReply, UpstreamError> {
        if let Some(reply) = self.shared.fresh_from_store(bulk_key).await {
            return Ok(reply);
        }
        let mut receiver = self.join_or_start(bulk_key);
        let outcome = receiver.wait_for(Option::is_some).await;
        match outcome {
            Ok(outcome) => outcome.clone().unwrap_or(Err(UpstreamError::Interrupted)),
            Err(_) => Err(UpstreamError::Interrupted),
        }
    }

    /// The request under way for `bulk_key`, or a new one. The request runs in a task
    /// of its own, so a caller that gives up does not cancel it for the others.
    fn join_or_start(&self, bulk_key: &str) -> watch::Receiver<Outcome> {
        let mut in_flight = self
            .shared
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(receiver) = in_flight.get(bulk_key) {
            // A closed channel means its task died without answering: start anew.
            if receiver.has_changed().is_ok() {
                return receiver.clone();
            }
        }
        let (sender, receiver) = watch::channel(None);
        in_flight.insert(bulk_key.to_owned(), receiver.clone());
        let shared = Arc::clone(&self.shared);
        let key = bulk_key.to_owned();
        tokio::spawn(async move {
            let outcome = shared.fetch(&key).await;
            shared
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&key);
            sender.send_replace(Some(outcome));
        });
        receiver
    }
}

impl<S: StatusSource> Shared<S> {
    async fn fresh_from_store(&self, bulk_key: &str) -> Option<UpstreamReply> {
        let stored = match self.store.latest_status(bulk_key).await {
            Ok(stored) => stored?,
            Err(e) => {
                eprintln!("mass-updater-gateway: poller: {e} Asking Zuora instead.");
                return None;
            }
        };
        let age = OffsetDateTime::now_utc() - stored.fetched_at;
        if age.is_negative() || age >= self.fresh_for {
            return None;
        }
        Some(UpstreamReply {
            status: 200,
            content_type: stored.content_type,
            body: stored.body,
        })
    }

    /// Asks upstream and records a 200. A poll that missed the store just before the
    /// previous request for this key recorded its answer finds that answer here.
    async fn fetch(&self, bulk_key: &str) -> Result<UpstreamReply, UpstreamError> {
        if let Some(reply) = self.fresh_from_store(bulk_key).await {
            return Ok(reply);
        }
        let reply = self.source.fetch_status(bulk_key).await?;
        if reply.status == 200 {
            match StatusReply::parse(&reply.body, reply.content_type.clone()) {
                Ok(status) => {
                    if let Err(e) = self.store.record_status(bulk_key, &status).await {
                        eprintln!("mass-updater-gateway: poller: {bulk_key}: {e}");
                    }
                }
                Err(e) => eprintln!("mass-updater-gateway: poller: {bulk_key}: {e}"),
            }
        }
        Ok(reply)
    }
}
