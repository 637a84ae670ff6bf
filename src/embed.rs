//! Mounting the app inside a host page. Hosts do not call this module directly: they
//! import the generated `embed.js` (see README, "Embedding"), which loads the app
//! without mounting it on `<body>` and then calls [`mount`]:
//!
//! ```js
//! import { mount } from "/mass-updater/embed.js";
//! const app = await mount(document.querySelector("#billing-tools"), { apiBase: "/zuora" });
//! // …later
//! app.unmount();
//! ```
//!
//! Any number of instances can live on one page; each has its own state, element ids
//! and listeners, and `unmount` removes the view and stops its timers and listeners.

use crate::config;
use crate::platform::host::HostLink;
use crate::ui::App;
use leptos::prelude::*;
use mass_updater_domain::wording::page;
use std::any::Any;
use wasm_bindgen::prelude::*;

/// Set by `embed.js` before the app starts, so that it does not mount itself on
/// `<body>`.
const EMBEDDED_FLAG: &str = "__massUpdaterEmbedded";

pub fn is_embedded() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &EMBEDDED_FLAG.into())
        .ok()
        .is_some_and(|v| v.is_truthy())
}

/// One mounted instance. Dropping it (or calling `unmount`) removes it.
#[wasm_bindgen]
pub struct MountedApp {
    handle: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl MountedApp {
    /// Removes the app from its element and stops everything it was doing (polling,
    /// timers, listeners). Jobs already in the journal stay there for the next mount.
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

/// Mounts a new instance into `element`. `options` is a plain object of settings
/// (`apiBase`, `maxFileBytes`, `theme`, …: see README, "Configuration"); they win over
/// the page's `<meta>` tags, the element's `data-…` attributes and the configuration
/// file. Invalid values are reported on the console and ignored. Rejects only when
/// `options` is neither an object nor `undefined`/`null`.
#[wasm_bindgen]
pub async fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<MountedApp, JsValue> {
    console_error_panic_hook::set_once();
    let host_values = if options.is_undefined() || options.is_null() {
        serde_json::Map::new()
    } else {
        let text = js_sys::JSON::stringify(&options)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err(js_sys::TypeError::new(page::MOUNT_OPTIONS_NOT_AN_OBJECT).into()),
        }
    };
    let (config, problems) = config::resolve(Some(&element), Some(host_values)).await;
    let host = HostLink::new(element.clone().into(), config.host_origin.value.clone());
    let handle = leptos::mount::mount_to(element, move || {
        view! { <App config problems host embedded=true /> }
    });
    Ok(MountedApp {
        handle: Some(Box::new(handle)),
    })
}
