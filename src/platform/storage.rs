//! `localStorage` and `sessionStorage`, as text. Both can be missing (storage disabled,
//! some embedded contexts) or full; every failure is a [`StorageFailure`], never a panic.

use super::browser::describe;
use mass_updater_domain::StorageFailure;

fn storage(session: bool) -> Result<web_sys::Storage, StorageFailure> {
    let window = web_sys::window().ok_or(StorageFailure::NoWindow)?;
    let storage = if session {
        window.session_storage()
    } else {
        window.local_storage()
    };
    storage
        .map_err(browser_failure)?
        .ok_or(StorageFailure::NotAllowed { session })
}

fn browser_failure(error: wasm_bindgen::JsValue) -> StorageFailure {
    StorageFailure::Browser {
        detail: describe(error).detail,
    }
}

/// The text stored under `key` in `localStorage`, if any.
pub fn load(key: &str) -> Result<Option<String>, StorageFailure> {
    storage(false)?.get_item(key).map_err(browser_failure)
}

/// Stores `value` under `key` in `localStorage`; fails when storage is full or off.
pub fn save(key: &str, value: &str) -> Result<(), StorageFailure> {
    storage(false)?
        .set_item(key, value)
        .map_err(browser_failure)
}

/// The text stored under `key` in `sessionStorage` (gone when the tab closes).
pub fn load_session(key: &str) -> Option<String> {
    storage(true).ok()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key` in `sessionStorage`, or removes it given `None`.
pub fn save_session(key: &str, value: Option<&str>) {
    if let Ok(s) = storage(true) {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}
