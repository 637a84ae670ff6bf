//! Zuora Mass Updater in the browser: check a file, send it through the proxy on this
//! origin, keep the bulk key.
//!
//! `domain` (the `mass-updater-domain` crate) decides, [`platform`] does the I/O,
//! [`ui`] shows.

pub mod config;
mod js_api;
pub mod platform;
pub mod ui;

pub use config::Config;
pub use ui::App;

/// Mounts the app at the end of `<body>`.
pub fn mount_to_body() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| leptos::view! { <App /> });
}
