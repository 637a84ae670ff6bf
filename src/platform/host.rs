//! Telling the host page what happened: a DOM `CustomEvent` on the element the app is
//! mounted in (it bubbles, so a listener on any ancestor hears it), and, when the app
//! runs inside an iframe and the host configured its origin, the same message through
//! `postMessage` to exactly that origin (never `*`).

use serde_json::Value;
use wasm_bindgen::JsValue;

/// Every event name starts with this, so hosts can tell the app's events apart.
pub const PREFIX: &str = "mass-updater:";

/// Where events go.
#[derive(Clone)]
pub struct HostLink {
    element: web_sys::EventTarget,
    origin: Option<String>,
}

impl HostLink {
    pub fn new(element: web_sys::EventTarget, origin: Option<String>) -> HostLink {
        HostLink { element, origin }
    }

    /// Sends `mass-updater:{name}` with `detail`. Failing to deliver is not the user's
    /// problem, so it is ignored.
    pub fn emit(&self, name: &str, detail: &Value) {
        let detail_js = js_sys::JSON::parse(&detail.to_string()).unwrap_or(JsValue::NULL);
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail_js);
        let event_name = format!("{PREFIX}{name}");
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(&event_name, &init) {
            let _ = self.element.dispatch_event(&event);
        }
        if let Some(origin) = &self.origin {
            post_to_parent(origin, &event_name, &detail_js);
        }
    }
}

fn post_to_parent(origin: &str, name: &str, detail: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    // Not in a frame: the parent is the window itself.
    if JsValue::from(&parent) == JsValue::from(&window) {
        return;
    }
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &name.into());
    let _ = js_sys::Reflect::set(&message, &"detail".into(), detail);
    let _ = parent.post_message(&message, origin);
}
