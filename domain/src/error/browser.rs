//! Failures of the browser's own services: a JavaScript error, the hashing worker, a
//! request with no answer, the team API's replies, storage.

use thiserror::Error;

/// What the browser said when something it was asked failed: its own description
/// (a JavaScript error's name and message), which the app passes on as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct BrowserError {
    pub detail: String,
}

/// Why the hashing worker cannot hash a file; the page then hashes it itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WorkerFailure {
    /// The worker's script address could not be made from the app's.
    NoAddress,
    /// The browser refused to start it, or it failed to load the app.
    CannotStart {
        detail: String,
    },
    /// It stopped with an error.
    Stopped,
    /// It could not be sent the app, a chunk, or the request for the MD5.
    NotSent {
        what: WorkerMessage,
        detail: String,
    },
    /// Its answer is not an MD5.
    BadAnswer {
        answer: String,
    },
    NoAnswer,
    /// It failed while hashing; its own description.
    Failed {
        detail: String,
    },
}

/// What the page sends the hashing worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerMessage {
    App,
    Chunk,
    End,
}

/// A request that got no HTTP answer at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoAnswer {
    /// The request could not be made, or the connection failed (refused, dropped,
    /// blocked); `detail` is the browser's own description.
    Network {
        detail: String,
    },
    TimedOut,
    /// The request ended without an answer and without saying why.
    NoReply,
    /// The user cancelled it, or the app that made it was unmounted.
    Cancelled,
}

/// Why the gateway's team API (`/api/me`, `/api/history`) gave nothing usable. At
/// start-up any of these only means "no team mode": nothing is shown.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TeamReplyError {
    /// No answer at all.
    NoAnswer(NoAnswer),
    /// An HTTP status other than 200 (a 404 where no gateway serves the API), with the
    /// gateway's own sentence when it gave one (`{"error": "…"}`).
    Status {
        status: u16,
        sentence: Option<String>,
    },
    /// A 200 whose body is not the JSON the contract describes; serde_json's report.
    NotJson { detail: String },
    /// `/api/me` named nobody.
    NoUser,
}

/// Why the browser's storage (`localStorage`, `sessionStorage`) could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StorageFailure {
    NoWindow,
    /// The browser does not allow this kind of storage here (settings, some frames).
    NotAllowed {
        session: bool,
    },
    /// Reading or writing failed (storage full, say); the browser's description.
    Browser {
        detail: String,
    },
}
