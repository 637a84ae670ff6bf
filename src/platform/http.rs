//! The ways the app talks to the server, always at the configured base URL on its own
//! origin: an upload with progress and cancel (XMLHttpRequest, the one browser API that
//! reports upload progress), and small `fetch` calls for everything else.

use super::browser::describe;
use js_sys::{Promise, Uint8Array};
use mass_updater_domain::HttpReply;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ProgressEvent, XmlHttpRequest};

/// A failure to get any HTTP answer at all (connection refused or dropped, CORS, abort).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoAnswer {
    /// The request could not be made or no answer came back; the browser's description.
    Network(String),
    /// The user cancelled it.
    Cancelled,
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
/// goes out. Returns the handle that cancels it and the answer to await.
pub fn start_upload(
    url: &str,
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
    let xhr = XmlHttpRequest::new().map_err(network)?;
    xhr.open("POST", url).map_err(network)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(network)?;
    for (name, value) in headers {
        xhr.set_request_header(name, value).map_err(network)?;
    }
    let mut on_progress = on_progress;
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

    let xhr = Rc::new(xhr);
    let done = settled(&xhr);
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
            xhr.send_with_opt_form_data(Some(&form)).map_err(network)?;
        }
        UploadBody::Raw { blob, content_type } => {
            xhr.set_request_header("Content-Type", content_type)
                .map_err(network)?;
            xhr.send_with_opt_blob(Some(blob)).map_err(network)?;
        }
    }
    let handle = Upload { xhr: xhr.clone() };
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
            Some("timeout") => Err(NoAnswer::Network("the request timed out".into())),
            _ => Err(NoAnswer::Network("no answer came back".into())),
        }
    };
    Ok((handle, answer))
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

/// `GET` or `PUT` without a body, reading the answer as text.
pub async fn call(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
) -> Result<HttpReply, NoAnswer> {
    let response = fetch(method, url, headers).await?;
    let text = response.text().map_err(network)?;
    let body = JsFuture::from(text)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    Ok(answer_of(&response, body))
}

/// `GET` of a binary body (a response file), with the status.
pub async fn get_bytes(url: &str, headers: &[(&str, &str)]) -> Result<(u16, Vec<u8>), NoAnswer> {
    let response = fetch("GET", url, headers).await?;
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    Ok((response.status(), Uint8Array::new(&buffer).to_vec()))
}

async fn fetch(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
) -> Result<web_sys::Response, NoAnswer> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(network)?;
    for (name, value) in headers {
        request.headers().set(name, value).map_err(network)?;
    }
    let window = web_sys::window().ok_or_else(|| NoAnswer::Network("no browser window".into()))?;
    JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(network)
}

fn answer_of(response: &web_sys::Response, body: String) -> HttpReply {
    let header = |name: &str| response.headers().get(name).ok().flatten();
    HttpReply {
        status: response.status(),
        body,
        request_id: header("Zuora-Request-Id"),
        retry_after: header("Retry-After"),
    }
}

/// Owned headers as the borrowed pairs the calls above take.
pub fn header_refs<'a>(headers: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    headers.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

fn network(error: JsValue) -> NoAnswer {
    NoAnswer::Network(describe(error))
}
