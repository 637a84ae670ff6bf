//! Opening the store: the pool, SQLite's settings, the embedded migrations.

use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::migrate::{MigrateDatabase, Migrator};
use sqlx::{Any, Executor};

use super::{Backend, Store, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a SQLite writer waits for another one before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

impl Store {
    /// Opens `sqlite://path` (created if missing), `sqlite::memory:` or
    /// `postgres://…`, and brings its tables up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = backend_of(url)?;
        let memory = backend == Backend::Sqlite && url.contains(":memory:");
        if backend == Backend::Sqlite && !memory {
            let exists = Any::database_exists(url).await.map_err(StoreError::Open)?;
            if !exists {
                Any::create_database(url).await.map_err(StoreError::Open)?;
            }
        }
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        if memory {
            // Each connection to :memory: is a database of its own: keep exactly one.
            options = options
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        } else {
            options = options.max_connections(8);
        }
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(sqlite_settings().as_str()).await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(url).await.map_err(StoreError::Open)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.map_err(StoreError::Migrate)?;
        Ok(Store { pool, backend })
    }
}

fn sqlite_settings() -> String {
    format!(
        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; \
         PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
    )
}

fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}
