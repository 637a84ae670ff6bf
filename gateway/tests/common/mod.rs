//! Helpers of the gateway's store and follow tests: a database per test (a SQLite file
//! in a temporary directory, or a database of its own on the private PostgreSQL cluster
//! of scripts/with-postgres.sh), and an in-process sandbox.
#![allow(dead_code)]

pub mod sandbox;

use mass_updater_gateway::store::{NewSubmission, Store};
use sqlx::migrate::MigrateDatabase;
use std::path::PathBuf;
use time::OffsetDateTime;

/// A database of a test's own; a SQLite one is deleted when this is dropped.
pub struct TestDb {
    pub url: String,
    dir: Option<PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("gateway-store-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        TestDb {
            url: format!("sqlite://{}", dir.join("store.db").display()),
            dir: Some(dir),
        }
    }

    /// A fresh database on the cluster named by GATEWAY_TEST_POSTGRES_URL.
    pub async fn postgres() -> TestDb {
        let Ok(base) = std::env::var("GATEWAY_TEST_POSTGRES_URL") else {
            panic!(
                "GATEWAY_TEST_POSTGRES_URL is not set: run the tests through \
                 scripts/with-postgres.sh (e.g. scripts/with-postgres.sh cargo test -p mass-updater-gateway)."
            );
        };
        let (server, _db) = base.rsplit_once('/').expect("a URL ending in /database");
        let name = format!("gw_{}", uuid::Uuid::new_v4().simple());
        let url = format!("{server}/{name}");
        sqlx::any::install_default_drivers();
        sqlx::Any::create_database(&url)
            .await
            .expect("create the test's database");
        TestDb { url, dir: None }
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.url).await.expect("open the store")
    }
}

/// Defines, for each async fn `name(TestDb)`, the tests `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name($crate::common::TestDb::sqlite()).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name($crate::common::TestDb::postgres().await).await
            }
        }
    )*};
}

/// A submission as the HTTP side would record it.
pub fn submission(key: &str, by: &str, at: OffsetDateTime, action_type: &str) -> NewSubmission {
    NewSubmission {
        idempotency_key: key.to_owned(),
        submitted_by: by.to_owned(),
        submitted_at: at,
        file_name: format!("{key}.csv"),
        file_size: 1234,
        md5: "0123456789abcdef0123456789abcdef".to_owned(),
        action_type: action_type.to_owned(),
        track_id: Some(format!("track-{key}")),
    }
}

pub fn at(unix_seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix_seconds).expect("a time")
}
