//! Small facts the browser knows: the time, random bytes, and the page's `<meta>` values.

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

/// A one-line description of a JavaScript error value.
pub fn describe(error: wasm_bindgen::JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        let message = String::from(e.message());
        let name = String::from(e.name());
        if message.is_empty() {
            name
        } else {
            format!("{name}: {message}")
        }
    } else {
        error
            .as_string()
            .unwrap_or_else(|| "unknown error".to_owned())
    }
}
