//! The team's history: every submission and the mass action it became.
//!
//! One code path for SQLite and PostgreSQL through sqlx's `Any` driver: the queries
//! are plain SQL that both understand (`$n` placeholders, `ON CONFLICT`, `RETURNING`),
//! values are only integers and text, and the few places where the two differ (the
//! schema's key column, the row locking of a claim) branch on [`Backend`].

mod claim;
mod cursor;
mod error;
mod history;
mod model;
mod open;
mod outcome;
mod reply;
mod row;
mod status;

pub use cursor::{BadCursor, Cursor};
pub use error::StoreError;
pub use model::{
    HistoryPage, HistoryQuery, Job, NewSubmission, Recorded, StatusReply, StoredStatus,
    UnreadableStatus, HISTORY_LIMIT_DEFAULT, HISTORY_LIMIT_MAX,
};
pub use status::{Status, ENDED_STATUSES};

use sqlx::AnyPool;
use time::OffsetDateTime;

/// The database behind a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The gateway's store: a cloneable handle on a connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool; pending queries finish first.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A time as stored: Unix microseconds, UTC.
pub(crate) fn to_micros(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}

pub(crate) fn from_micros(micros: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
        .map_err(|_| StoreError::Corrupt { what: "a time" })
}

pub(crate) fn now_micros() -> i64 {
    to_micros(OffsetDateTime::now_utc())
}
