//! Handing bytes the app made (a template, a zip, a CSV of failed rows) to the user as a
//! download, through a temporary object URL that is revoked once the click has started.

use super::browser::describe;
use mass_updater_domain::BrowserError;
use wasm_bindgen::JsCast;

/// A `Blob` of `bytes` with the given MIME type.
pub fn blob(bytes: &[u8], mime: &str) -> Result<web_sys::Blob, BrowserError> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(describe)
}

/// A `File` named `name` holding `bytes`, as if the user had picked it.
pub fn file(bytes: &[u8], name: &str, mime: &str) -> Result<web_sys::File, BrowserError> {
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    // SAFETY: the view is read only by the File constructor, which copies the bytes;
    // nothing between its creation and that call allocates in this module's memory (the
    // strings are read by the glue, not copied in), so the view stays valid. The copy
    // through a view is the only one: a `Uint8Array::from` would add a second.
    let array = unsafe { js_sys::Uint8Array::view(bytes) };
    let parts = js_sys::Array::of1(&array);
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).map_err(describe)
}

/// Starts the browser's download of `blob` as `name`.
pub fn save(blob: &web_sys::Blob, name: &str) -> Result<(), BrowserError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| BrowserError {
            detail: "no document".to_owned(),
        })?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(describe)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into()
        .map_err(|e| describe(e.into()))?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The click has already handed the URL to the download; the blob can go.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Saves `bytes` as a download named `name`.
pub fn save_bytes(bytes: &[u8], name: &str, mime: &str) -> Result<(), BrowserError> {
    save(&blob(bytes, mime)?, name)
}
