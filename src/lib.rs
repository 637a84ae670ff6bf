//! Zuora Mass Updater in the browser: check a file, send it through the proxy on this
//! origin, follow the mass action to its end.
//!
//! `domain` (the `mass-updater-domain` crate) decides, [`platform`] does the I/O,
//! [`state`] holds what the screen shows and wires the two, [`ui`] shows. [`embed`] and [`js_api`] are what host pages call.

// Functions stay short (clippy.toml sets the limit); tests aside.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

pub mod config;
pub mod embed;
mod js_api;
pub mod platform;
pub mod state;
pub mod ui;

pub use config::Config;
use leptos::prelude::IntoAny;
pub use ui::App;

/// Runs the app on its own page: configuration from the page (and the file it names),
/// mounted at the end of `<body>`. A page that loads the app through `embed.js` mounts
/// it itself instead (see [`embed`]).
pub fn start_standalone() {
    console_error_panic_hook::set_once();
    // No page: this instance is the hashing worker's (platform::hash_worker).
    if web_sys::window().is_none() || embed::is_embedded() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        let (config, problems) = config::resolve(None, None).await;
        let link = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
            .map(|b| platform::host::HostLink::new(b.into(), config.host_origin.value.clone()));
        leptos::mount::mount_to_body(move || match link {
            Some(host) => leptos::view! { <App config problems host /> }.into_any(),
            None => leptos::view! { <App config problems /> }.into_any(),
        });
    });
}
