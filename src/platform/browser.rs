//! Small facts the browser knows: the time, random bytes, and `<meta>` values.

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

/// The `content` of `<meta name="{name}">` in the document, if present.
pub fn meta_content(name: &str) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let selector = format!("meta[name=\"{name}\"]");
    let element = document.query_selector(&selector).ok().flatten()?;
    element
        .dyn_into::<web_sys::HtmlMetaElement>()
        .ok()
        .map(|m| m.content())
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
