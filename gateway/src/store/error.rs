//! Every failure of the store, each with one plain sentence.

use std::fmt;

#[derive(Debug)]
pub enum StoreError {
    /// The URL names no database this gateway can use.
    UnsupportedUrl,
    /// The database could not be reached or opened.
    Open(sqlx::Error),
    /// The embedded migrations could not be applied.
    Migrate(sqlx::migrate::MigrateError),
    /// A query failed.
    Database(sqlx::Error),
    /// No submission was recorded under this Idempotency-Key.
    UnknownSubmission { idempotency_key: String },
    /// A stored value could not be read back.
    Corrupt { what: &'static str },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::UnsupportedUrl => f.write_str(
                "The store URL must start with sqlite: or postgres:// (or postgresql://).",
            ),
            StoreError::Open(e) => write!(f, "The store could not be opened: {e}."),
            StoreError::Migrate(e) => write!(f, "The store's tables could not be set up: {e}."),
            StoreError::Database(e) => write!(f, "The store did not answer as expected: {e}."),
            StoreError::UnknownSubmission { idempotency_key } => write!(
                f,
                "No submission is recorded under the Idempotency-Key {idempotency_key}."
            ),
            StoreError::Corrupt { what } => {
                write!(f, "The store holds {what} that cannot be read back.")
            }
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Open(e) | StoreError::Database(e) => Some(e),
            StoreError::Migrate(e) => Some(e),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}
