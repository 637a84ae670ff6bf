//! An in-memory stand-in for Zuora's Mass Updater API, for development and
//! end-to-end tests. See `sandbox/README.md` for the contract.
//!
//! [`serve`] runs it on a listener the caller has bound (port 0 works), so
//! tests can start it in-process.

mod action;
pub mod codes;
mod config;
mod control;
mod encoding;
mod faults;
mod front;
mod multipart;
mod respond;
mod state;
mod upload;
mod zuora;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::middleware;
use axum::routing::{any, get, post, put};
use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

pub use config::{Config, CountsAs};
use front::{Ctx, KillSwitch};
use state::{App, SharedApp};

/// Builds the whole application: the Zuora routes behind the front layer,
/// and the `/__sandbox` controls beside them.
fn router(app: SharedApp) -> Router {
    fn not_allowed(
        allowed: &'static str,
    ) -> impl Fn(Extension<Ctx>, Method, Uri) -> std::future::Ready<axum::response::Response>
           + Clone
           + Send
           + Sync
           + 'static {
        move |Extension(ctx), method, uri| {
            std::future::ready(zuora::method_not_allowed(&ctx, &method, &uri, allowed))
        }
    }

    let zuora_routes = Router::new()
        .route(
            "/oauth/token",
            post(zuora::token).fallback(not_allowed("POST")),
        )
        .route(
            "/v1/bulk",
            post(zuora::bulk_post).fallback(not_allowed("POST")),
        )
        .route(
            "/v1/bulk/{key}",
            get(zuora::bulk_get).fallback(not_allowed("GET")),
        )
        .route(
            "/v1/bulk/{key}/stop",
            put(zuora::bulk_stop).fallback(not_allowed("PUT")),
        )
        .route(
            "/v1/files/{id}",
            get(zuora::file_get).fallback(not_allowed("GET")),
        )
        .route("/v1", any(zuora::not_found))
        .route("/v1/{*rest}", any(zuora::not_found))
        .route("/oauth/{*rest}", any(zuora::not_found))
        .layer(middleware::from_fn_with_state(app.clone(), front::front));

    let control_routes = Router::new()
        .route("/__sandbox/health", get(control::health))
        .route("/__sandbox/reset", post(control::reset))
        .route(
            "/__sandbox/config",
            get(control::get_config).put(control::put_config),
        )
        .route(
            "/__sandbox/faults",
            get(control::list_faults)
                .post(control::add_fault)
                .delete(control::clear_faults),
        )
        .route(
            "/__sandbox/requests",
            get(control::list_requests).delete(control::clear_requests),
        )
        .route(
            "/__sandbox/requests/{seq}/parts/{index}",
            get(control::request_part),
        )
        .route("/__sandbox/mass-actions", get(control::mass_actions))
        .route(
            "/__sandbox/mass-actions/{key}/csv",
            get(control::action_csv),
        )
        .route(
            "/__sandbox/mass-actions/{key}/file",
            get(control::action_file),
        )
        .route("/__sandbox/in-flight", get(control::in_flight))
        .fallback(control::not_found);

    zuora_routes.merge(control_routes).with_state(app)
}

/// Runs the sandbox on `listener` until the process ends.
pub async fn serve(listener: TcpListener, config: Config) -> std::io::Result<()> {
    serve_with_shutdown(listener, config, std::future::pending()).await
}

/// Like [`serve`], but stops accepting and returns once `shutdown` completes.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let app = router(App::new(config));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => return Ok(()),
        };
        let (stream, _peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // Usually out of file descriptors or a connection reset
                // before accept; keep serving the others.
                eprintln!("zuora-sandbox: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(stream, app.clone()));
    }
}

/// Serves one connection. Our own connection loop (rather than `axum::serve`)
/// exists for the `drop` fault: the handler fires the kill switch, and this
/// task drops the connection, closing the socket without a response.
async fn serve_connection(stream: tokio::net::TcpStream, app: Router) {
    let kill = Arc::new(Notify::new());
    let switch = KillSwitch(kill.clone());
    let service = hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(switch.clone());
        app.clone().oneshot(request)
    });
    // No header-read timer: idle keep-alive connections stay open, so a
    // browser reusing one never races against the server closing it.
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(e) = result {
                // Clients going away mid-request are normal in tests.
                if !e.is_incomplete_message() && !e.is_canceled() {
                    eprintln!("zuora-sandbox: connection error: {e}");
                }
            }
        }
        () = kill.notified() => {}
    }
}
