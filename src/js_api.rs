//! The app's JavaScript API for hosts: what a page embedding the app can call without
//! going through the UI. Trunk puts these exports on `window.wasmBindings` once the
//! app has started.
//!
//! ```js
//! const md5 = await window.wasmBindings.md5File(file); // "9e107d9d372bb6826bd81d3542a419d6"
//! const zip = await window.wasmBindings.zipCsv(file); // Uint8Array, a one-entry .zip
//! ```
//!
//! The benchmark (`make bench`, see `bench/`) measures the app's hashing through this
//! function, so it must stay exactly the path the app itself takes when a file is
//! handed over: [`md5_of_file`], this thread reading the file in chunks while the
//! hashing worker (`platform::hash_worker`) hashes them, or this thread doing both when
//! there is no worker.

use crate::platform::file_reader::zip_in_chunks;
use crate::platform::md5::md5_of_file;
use std::ops::ControlFlow;
use wasm_bindgen::prelude::*;

/// The MD5 of a `File` as 32 lowercase hex characters, computed the way the app checks
/// a file: read in chunks of [`CHUNK_BYTES`] (never held whole in memory) and hashed by
/// the hashing worker as they come, once it is ready. Rejects with the browser's
/// description of the error when the file cannot be read.
///
/// [`CHUNK_BYTES`]: crate::platform::file_reader::CHUNK_BYTES
#[wasm_bindgen(js_name = md5File)]
pub async fn md5_file(file: web_sys::File) -> Result<String, JsValue> {
    md5_of_file(&file)
        .await
        .map(|sum| sum.to_string())
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
}

/// `file` compressed into a one-entry ZIP (Deflate, default level) holding it under its
/// own name, the way the app's **Compress** does it for an oversized CSV:
/// [`zip_in_chunks`], the same function the UI calls (without the UI's early stop once
/// the archive passes the size limit). Rejects with the reason when
/// the file cannot be read or packed.
#[wasm_bindgen(js_name = zipCsv)]
pub async fn zip_csv(file: web_sys::File) -> Result<js_sys::Uint8Array, JsValue> {
    let error = |e: &dyn std::fmt::Display| JsValue::from(js_sys::Error::new(&e.to_string()));
    let (packer, read) = zip_in_chunks(&file, &file.name(), |_| ControlFlow::Continue(())).await;
    read.map_err(|e| error(&e))?;
    let zip = packer.finish().map_err(|e| error(&e))?;
    Ok(js_sys::Uint8Array::from(&zip[..]))
}
