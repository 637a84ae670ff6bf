//! The one way the app talks to the server: `fetch` against the configured base URL.

use super::browser::describe;
use mass_updater_domain::HttpReply;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A failure to get any HTTP answer at all (connection refused or dropped, CORS, abort).
#[derive(Clone, Debug)]
pub struct NoAnswer(pub String);

/// `POST {url}` with a `multipart/form-data` body of exactly two parts: `file` (the
/// browser sends the `File`'s bytes untouched, under `file_name`) and `params` (text).
pub async fn post_file(
    url: &str,
    file: &web_sys::File,
    file_name: &str,
    params: &str,
    headers: &[(&str, &str)],
) -> Result<HttpReply, NoAnswer> {
    let form = web_sys::FormData::new().map_err(no_answer)?;
    form.append_with_blob_and_filename("file", file, file_name)
        .map_err(no_answer)?;
    form.append_with_str("params", params).map_err(no_answer)?;

    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(no_answer)?;
    let request_headers = request.headers();
    request_headers
        .set("Accept", "application/json")
        .map_err(no_answer)?;
    for (name, value) in headers {
        request_headers.set(name, value).map_err(no_answer)?;
    }
    send(&request).await
}

async fn send(request: &web_sys::Request) -> Result<HttpReply, NoAnswer> {
    let window = web_sys::window().ok_or_else(|| NoAnswer("no browser window".into()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(request))
        .await
        .map_err(no_answer)?
        .dyn_into()
        .map_err(no_answer)?;
    let request_id = response.headers().get("Zuora-Request-Id").ok().flatten();
    let text = response.text().map_err(no_answer)?;
    let body = JsFuture::from(text)
        .await
        .map_err(no_answer)?
        .as_string()
        .unwrap_or_default();
    Ok(HttpReply {
        status: response.status(),
        body,
        request_id,
    })
}

fn no_answer(error: wasm_bindgen::JsValue) -> NoAnswer {
    NoAnswer(describe(error))
}
