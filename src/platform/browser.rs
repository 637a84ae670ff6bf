//! Small facts the browser knows: the time, random bytes, and the page's `<meta>` values.

use mass_updater_domain::BrowserError;
use wasm_bindgen::JsCast;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    // Date.now() is a non-negative integer well inside f64's exact range.
    js_sys::Date::now().max(0.0) as u64
}

/// 16 bytes from `crypto.getRandomValues`, for UUIDs.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Every browser the app supports has Web Crypto; this only keeps a stripped-down
        // embedding alive. Keys stay unique enough to tell submissions apart.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// Every `<meta name="{prefix}…">` of the document, as (name without the prefix,
/// content), in document order.
pub fn metas_with_prefix(prefix: &str) -> Vec<(String, String)> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let Ok(nodes) = document.query_selector_all("meta[name]") else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::HtmlMetaElement>().ok())
        .filter_map(|m| {
            let name = m.name();
            let key = name.strip_prefix(prefix)?.to_owned();
            Some((key, m.content()))
        })
        .collect()
}

/// Writes a warning to the developer console.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// What the browser said of a JavaScript error value: its name and message in one
/// line, or the value itself when it is a string.
pub fn describe(error: wasm_bindgen::JsValue) -> BrowserError {
    let detail = if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        let message = String::from(e.message());
        let name = String::from(e.name());
        if message.is_empty() {
            name
        } else {
            format!("{name}: {message}")
        }
    } else {
        // A thrown value that is neither an Error nor a string says nothing more.
        error.as_string().unwrap_or_else(|| "Error".to_owned())
    };
    BrowserError { detail }
}

/// Resolves after `ms` milliseconds (a `setTimeout`).
pub async fn sleep(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.min(i32::MAX as u64) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the page is hidden (another tab in front, window minimised).
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// A random 32-bit number from `crypto.getRandomValues` (retry jitter).
pub fn random_u32() -> u32 {
    let b = random_bytes();
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// The element's `data-…` attributes as (kebab-case name without `data-`, value).
pub fn data_attributes(element: &web_sys::Element) -> Vec<(String, String)> {
    let names = element.get_attribute_names();
    (0..names.length())
        .filter_map(|i| names.get(i).as_string())
        .filter_map(|name| {
            let key = name.strip_prefix("data-")?.to_owned();
            Some((key, element.get_attribute(&name)?))
        })
        .collect()
}

/// Whether the app runs on a developer's machine (a debug build, or a loopback host),
/// where configuration problems are also shown on the page.
pub fn is_development() -> bool {
    cfg!(debug_assertions)
        || web_sys::window()
            .and_then(|w| w.location().hostname().ok())
            .is_some_and(|h| matches!(h.as_str(), "localhost" | "127.0.0.1" | "[::1]"))
}
