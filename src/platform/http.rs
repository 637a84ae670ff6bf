//! HTTP as the browser does it, with no knowledge of Zuora: `fetch` (through gloo-net)
//! for requests without a body, and XMLHttpRequest for the upload, the one browser API
//! that reports how much of a request body has gone out (fetch cannot). Every request
//! takes an optional `AbortSignal`; every failure to get an answer is a [`NoAnswer`].

use super::browser::describe;
use gloo_net::http::{Headers, Method, RequestBuilder, Response};
use js_sys::Promise;
use mass_updater_domain::{HttpReply, NoAnswer};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ProgressEvent, XmlHttpRequest};

/// `method` (a GET or a PUT, without a body) to `url`, reading the answer as text.
pub async fn fetch_text(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    signal: Option<&AbortSignal>,
) -> Result<HttpReply, NoAnswer> {
    let response = fetch(method, url, headers, signal).await?;
    let body = response.text().await.map_err(gloo_failure)?;
    let header = |name: &str| response.headers().get(name);
    Ok(HttpReply {
        status: response.status(),
        body,
        request_id: header("Zuora-Request-Id"),
        retry_after: header("Retry-After"),
    })
}

/// `GET` of a binary body (a response file), with the status.
pub async fn fetch_bytes(
    url: &str,
    headers: &[(&str, &str)],
    signal: Option<&AbortSignal>,
) -> Result<(u16, Vec<u8>), NoAnswer> {
    let response = fetch(Method::GET, url, headers, signal).await?;
    let bytes = response.binary().await.map_err(gloo_failure)?;
    Ok((response.status(), bytes))
}

async fn fetch(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    signal: Option<&AbortSignal>,
) -> Result<Response, NoAnswer> {
    // The headers are set here, where a value the browser refuses is an error: gloo-net's
    // own `header` would throw instead.
    let raw = web_sys::Headers::new().map_err(network)?;
    for (name, value) in headers {
        raw.set(name, value).map_err(network)?;
    }
    RequestBuilder::new(url)
        .method(method)
        .headers(Headers::from_raw(raw))
        .abort_signal(signal)
        .send()
        .await
        .map_err(gloo_failure)
}

/// An upload in flight; [`Upload::cancel`] aborts it.
#[derive(Clone)]
pub struct Upload {
    xhr: Rc<XmlHttpRequest>,
}

impl Upload {
    pub fn cancel(&self) {
        // Aborting a finished request is a no-op, so this is always safe.
        let _ = self.xhr.abort();
    }
}

/// What an upload sends.
pub enum UploadBody<'a> {
    /// `multipart/form-data` written by the browser, with exactly two parts: `file`
    /// (the `Blob`'s bytes untouched, under `file_name`) and `params`.
    Form {
        file: &'a web_sys::Blob,
        file_name: &'a str,
        params: &'a str,
    },
    /// A body the app wrote itself, sent as it is.
    Raw {
        blob: &'a web_sys::Blob,
        content_type: &'a str,
    },
}

/// Starts `POST {url}` with `body`. `on_progress(sent, total)` is called as the body
/// goes out; `signal`, once aborted, aborts it. Returns the handle that cancels it and
/// the answer to await.
pub fn start_upload(
    url: &str,
    body: UploadBody<'_>,
    headers: &[(&str, &str)],
    on_progress: impl FnMut(f64, f64) + 'static,
    signal: Option<&AbortSignal>,
) -> Result<
    (
        Upload,
        impl std::future::Future<Output = Result<HttpReply, NoAnswer>>,
    ),
    NoAnswer,
> {
    let xhr = XmlHttpRequest::new().map_err(network)?;
    xhr.open("POST", url).map_err(network)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(network)?;
    for (name, value) in headers {
        xhr.set_request_header(name, value).map_err(network)?;
    }
    report_progress(&xhr, on_progress)?;
    let xhr = Rc::new(xhr);
    let done = settled(&xhr);
    send_body(&xhr, body)?;
    let handle = Upload { xhr: xhr.clone() };
    if let Some(signal) = signal {
        abort_with(signal, &handle);
    }
    let answer = async move {
        let outcome = JsFuture::from(done).await;
        match outcome.ok().and_then(|v| v.as_string()).as_deref() {
            Some("load") => Ok(HttpReply {
                status: xhr.status().unwrap_or(0),
                body: xhr.response_text().ok().flatten().unwrap_or_default(),
                request_id: xhr.get_response_header("Zuora-Request-Id").ok().flatten(),
                retry_after: xhr.get_response_header("Retry-After").ok().flatten(),
            }),
            Some("abort") => Err(NoAnswer::Cancelled),
            Some("timeout") => Err(NoAnswer::TimedOut),
            _ => Err(NoAnswer::NoReply),
        }
    };
    Ok((handle, answer))
}

fn report_progress(
    xhr: &XmlHttpRequest,
    mut on_progress: impl FnMut(f64, f64) + 'static,
) -> Result<(), NoAnswer> {
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() {
            on_progress(e.loaded(), e.total());
        }
    });
    xhr.upload()
        .map_err(network)?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    // Owned by the JS garbage collector from here; it goes when the request does.
    progress.forget();
    Ok(())
}

fn send_body(xhr: &XmlHttpRequest, body: UploadBody<'_>) -> Result<(), NoAnswer> {
    match body {
        UploadBody::Form {
            file,
            file_name,
            params,
        } => {
            let form = web_sys::FormData::new().map_err(network)?;
            form.append_with_blob_and_filename("file", file, file_name)
                .map_err(network)?;
            form.append_with_str("params", params).map_err(network)?;
            xhr.send_with_opt_form_data(Some(&form)).map_err(network)
        }
        UploadBody::Raw { blob, content_type } => {
            xhr.set_request_header("Content-Type", content_type)
                .map_err(network)?;
            xhr.send_with_opt_blob(Some(blob)).map_err(network)
        }
    }
}

/// Cancels `upload` when `signal` is aborted (at once if it already is).
fn abort_with(signal: &AbortSignal, upload: &Upload) {
    if signal.aborted() {
        return upload.cancel();
    }
    let upload = upload.clone();
    let abort = Closure::once_into_js(move || upload.cancel());
    let _ = signal.add_event_listener_with_callback("abort", abort.unchecked_ref());
}

/// A promise that resolves with the name of the event that ended the request.
fn settled(xhr: &XmlHttpRequest) -> Promise {
    Promise::new(&mut |resolve, _reject| {
        for event in ["load", "error", "abort", "timeout"] {
            let resolve = resolve.clone();
            let end = Closure::once_into_js(move || {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(event));
            });
            let _ = xhr.add_event_listener_with_callback(event, end.unchecked_ref());
        }
    })
}

fn network(error: JsValue) -> NoAnswer {
    NoAnswer::Network {
        detail: describe(error).detail,
    }
}

/// A fetch that was aborted is [`NoAnswer::Cancelled`]; any other failure is the
/// browser's description of it.
fn gloo_failure(error: gloo_net::Error) -> NoAnswer {
    match error {
        gloo_net::Error::JsError(e) if e.name == "AbortError" => NoAnswer::Cancelled,
        gloo_net::Error::JsError(e) if e.message.is_empty() => NoAnswer::Network { detail: e.name },
        gloo_net::Error::JsError(e) => NoAnswer::Network {
            detail: format!("{}: {}", e.name, e.message),
        },
        gloo_net::Error::GlooError(detail) => NoAnswer::Network { detail },
        // Only JSON reading fails this way, and no answer is read as JSON here.
        other => NoAnswer::Network {
            detail: other.to_string(),
        },
    }
}
