//! The one Zuora client: every request the app makes to Zuora goes through it. Each
//! goes to the configured base URL on this origin (the proxy there attaches the
//! credentials), carries the headers every request carries (the optional Zuora headers,
//! and in "token" auth mode the bearer token the user typed), and is aborted when the
//! app instance that made it is unmounted. The requests are those of the reference:
//! `POST /v1/bulk`, `GET /v1/bulk/{key}`, `PUT /v1/bulk/{key}/stop` and the response
//! file at `/v1/files/{id}`.

use super::http::{self, Upload, UploadBody};
use super::storage;
use gloo_net::http::Method;
use leptos::prelude::*;
use mass_updater_domain::config::{AuthMode, Config};
use mass_updater_domain::{output_url_to_proxy_path, HttpReply, NoAnswer, OutputUrlError};
use send_wrapper::SendWrapper;
use web_sys::{AbortController, AbortSignal};

/// Where the token typed in "token" auth mode lives: this tab's session only, never
/// `localStorage`, never logged.
const TOKEN_KEY: &str = "mass-updater:token";

/// Keeps the bearer token for this tab (or forgets it, given `None`).
pub fn set_token(token: Option<&str>) {
    storage::save_session(TOKEN_KEY, token);
}

/// Whether this tab holds a bearer token.
pub fn has_token() -> bool {
    storage::load_session(TOKEN_KEY).is_some()
}

/// The client of one app instance. The configuration is read at each request, so a
/// header changed in Settings applies to the next one.
#[derive(Clone, Copy)]
pub struct Zuora {
    config: StoredValue<Config>,
    /// Aborted when the instance's reactive owner is cleaned up (unmounted).
    signal: StoredValue<Option<SendWrapper<AbortSignal>>>,
}

impl Zuora {
    /// A client for the instance whose configuration is `config`; whatever it has in
    /// flight is aborted when the current reactive owner is cleaned up.
    pub fn new(config: StoredValue<Config>) -> Zuora {
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(|c| SendWrapper::new(c.signal()));
        if let Some(controller) = controller.map(SendWrapper::new) {
            // Without a reason: the fetch then fails with an `AbortError`.
            on_cleanup(move || controller.abort());
        }
        Zuora {
            config,
            signal: StoredValue::new(signal),
        }
    }

    /// The `/v1/bulk` URL on the proxy (as [`Config::bulk_url`] makes it) and the headers
    /// of a request made now; `None` once unmounted.
    fn target(&self) -> Option<(String, Vec<(&'static str, String)>)> {
        self.config
            .try_with_value(|c| (c.bulk_url(), request_headers(c)))
    }

    /// What aborts this instance's requests (and its waits for Web Locks).
    pub fn signal(&self) -> Option<AbortSignal> {
        self.signal
            .try_with_value(|s| s.as_ref().map(|s| (**s).clone()))
            .flatten()
    }

    /// Starts `POST /v1/bulk` with `body` and `headers` besides the usual ones (the
    /// Idempotency-Key, the track id). See [`http::start_upload`].
    pub fn submit(
        &self,
        body: UploadBody<'_>,
        headers: &[(&str, &str)],
        on_progress: impl FnMut(f64, f64) + 'static,
    ) -> Result<
        (
            Upload,
            impl std::future::Future<Output = Result<HttpReply, NoAnswer>>,
        ),
        NoAnswer,
    > {
        let (url, usual) = self.target().ok_or(NoAnswer::Cancelled)?;
        let mut all = headers.to_vec();
        all.extend(usual.iter().map(|(n, v)| (*n, v.as_str())));
        http::start_upload(&url, body, &all, on_progress, self.signal().as_ref())
    }

    /// `GET /v1/bulk/{key}`: the mass action's status and counts.
    pub async fn mass_action(&self, bulk_key: &str) -> Result<HttpReply, NoAnswer> {
        self.fetch_text(Method::GET, &format!("/{bulk_key}")).await
    }

    /// `PUT /v1/bulk/{key}/stop`.
    pub async fn stop(&self, bulk_key: &str) -> Result<HttpReply, NoAnswer> {
        self.fetch_text(Method::PUT, &format!("/{bulk_key}/stop"))
            .await
    }

    /// The response file at Zuora's `outputURL`, fetched through the proxy: the status
    /// and the bytes, or why there is no answer. An address of another form is refused
    /// at once, before anything is sent.
    pub fn response_file(
        &self,
        output_url: &str,
    ) -> Result<
        impl std::future::Future<Output = Result<(u16, Vec<u8>), NoAnswer>> + 'static,
        OutputUrlError,
    > {
        let target = self.target();
        let base = self
            .config
            .try_with_value(|c| c.api_base.value.clone())
            .unwrap_or_default();
        let url = output_url_to_proxy_path(output_url, &base)?;
        let signal = self.signal();
        Ok(async move {
            let (_, headers) = target.ok_or(NoAnswer::Cancelled)?;
            let headers = header_refs(&headers);
            http::fetch_bytes(&url, &headers, signal.as_ref()).await
        })
    }

    /// `GET {apiBase}{path}` without Zuora's headers or the user's token: the gateway's
    /// own API (see [`super::gateway`]), on the same base URL and aborted with the rest.
    pub(super) async fn get_beside(&self, path: &str) -> Result<HttpReply, NoAnswer> {
        let base = self
            .config
            .try_with_value(|c| c.api_base.value.clone())
            .ok_or(NoAnswer::Cancelled)?;
        let signal = self.signal();
        let accept = [("Accept", "application/json")];
        http::fetch_text(
            Method::GET,
            &format!("{base}{path}"),
            &accept,
            signal.as_ref(),
        )
        .await
    }

    /// `method` to `path` under `/v1/bulk`.
    async fn fetch_text(&self, method: Method, path: &str) -> Result<HttpReply, NoAnswer> {
        let (bulk, headers) = self.target().ok_or(NoAnswer::Cancelled)?;
        let headers = header_refs(&headers);
        let signal = self.signal();
        http::fetch_text(method, &format!("{bulk}{path}"), &headers, signal.as_ref()).await
    }
}

/// The headers every request to Zuora carries besides its own: the optional Zuora
/// headers, and in "token" auth mode the bearer token the user typed.
fn request_headers(config: &Config) -> Vec<(&'static str, String)> {
    let mut headers = config.zuora_headers();
    if config.auth_mode.value == AuthMode::Token {
        if let Some(token) = storage::load_session(TOKEN_KEY) {
            headers.push(("Authorization", format!("Bearer {token}")));
        }
    }
    headers
}

fn header_refs<'a>(headers: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    headers.iter().map(|(n, v)| (*n, v.as_str())).collect()
}
