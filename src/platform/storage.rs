//! `localStorage` and `sessionStorage`, as text. Both can be missing (storage disabled,
//! some embedded contexts) or full; every failure is a sentence, never a panic.

use super::browser::describe;

fn local() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .ok_or("no browser window")?
        .local_storage()
        .map_err(describe)?
        .ok_or_else(|| "this browser does not allow local storage here".to_owned())
}

fn session() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .ok_or("no browser window")?
        .session_storage()
        .map_err(describe)?
        .ok_or_else(|| "this browser does not allow session storage here".to_owned())
}

/// The text stored under `key` in `localStorage`, if any.
pub fn load(key: &str) -> Result<Option<String>, String> {
    local()?.get_item(key).map_err(describe)
}

/// Stores `value` under `key` in `localStorage`; fails when storage is full or off.
pub fn save(key: &str, value: &str) -> Result<(), String> {
    local()?.set_item(key, value).map_err(describe)
}

/// The text stored under `key` in `sessionStorage` (gone when the tab closes).
pub fn load_session(key: &str) -> Option<String> {
    session().ok()?.get_item(key).ok().flatten()
}

pub fn save_session(key: &str, value: Option<&str>) {
    if let Ok(s) = session() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}
