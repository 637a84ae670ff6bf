//! `mass-updater-gateway`: team mode. One process serves the built app, holds the Zuora
//! credentials, forwards the four Mass Updater calls the app makes and keeps the team's
//! history of mass actions. See `gateway/README.md`.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

pub mod api;
pub mod config;
pub mod csp;
pub mod follow;
pub mod history_query;
pub mod identity;
pub mod proxy;
pub mod refusal;
pub mod routes;
pub mod state;
pub mod static_files;
pub mod status_source;
pub mod store;
pub mod submit;
pub mod token;
pub mod transport;
pub mod upload;
pub mod upstream;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;

pub use config::{Args, Config, ConfigError};
use state::AppState;

/// Why the gateway could not start; `Display` is one sentence.
#[derive(Debug)]
pub enum StartError {
    Csp(csp::CspError),
    Store(store::StoreError),
    Client(String),
    Serve(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Csp(e) => e.fmt(f),
            StartError::Store(e) => e.fmt(f),
            StartError::Client(cause) => {
                write!(f, "The HTTP client for Zuora could not be made: {cause}.")
            }
            StartError::Serve(e) => write!(f, "The gateway stopped serving: {e}."),
        }
    }
}

impl std::error::Error for StartError {}

/// A gateway ready to serve: its state loaded, its store open, its follower running.
pub struct Gateway {
    router: Router,
    follower: FollowerTask,
}

/// Stops the follower when the gateway stops (or is never served).
struct FollowerTask(tokio::task::JoinHandle<()>);

impl Drop for FollowerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Gateway {
    pub async fn start(config: Config) -> Result<Gateway, StartError> {
        let csp = csp::load(&config.dist, &config.frame_ancestors).map_err(StartError::Csp)?;
        let zuora = upstream::Zuora::new(&config).map_err(|e| StartError::Client(e.to_string()))?;
        let store = store::Store::open(&config.database)
            .await
            .map_err(StartError::Store)?;
        let poller = follow::Poller::new(store, zuora.clone());
        let follower = follow::Follower::spawn(
            poller.clone(),
            config.instance_id.clone(),
            config.follow_interval,
        );
        let state = AppState::new(config, zuora, poller);
        Ok(Gateway {
            router: routes::router(state, csp),
            follower: FollowerTask(follower),
        })
    }

    /// Serves on `listener` until `shutdown` completes.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        let _follower = self.follower;
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(StartError::Serve)
    }
}

/// Starts a gateway with `config` and serves on `listener` until `shutdown` completes.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    Gateway::start(config)
        .await?
        .serve(listener, shutdown)
        .await
}
