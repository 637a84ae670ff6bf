//! The page's fixed text: the masthead, the drop zone, the settings panel's notes, and
//! what the app writes on the developer console.

use crate::error::WorkerFailure;

pub const TAGLINE: &str =
    "Check a mass action file in your browser, send it to Zuora, and follow it to the end.";
pub const DROP_HERE: &str =
    "Drop .csv files, or .zip files each holding one .csv, here — or paste them.";
pub const CONFIG_NOTICE: &str = "Some configuration values could not be used; defaults apply instead (shown in development only):";
pub const HEADERS_NOTE: &str = "Sent with every request when set. Leave blank to send none.";
pub const TOKEN_NOTE: &str = "For development against a real tenant only. The token stays in this tab (session storage), is never saved for later, never logged, and is sent as the Authorization header.";
pub const TOKEN_SET: &str = "A token is set for this tab.";
pub const NO_TOKEN: &str = "No token set.";

/// On the console, for each configuration problem.
pub fn configuration_problem(problem: &str) -> String {
    format!("Mass Updater configuration: {problem}")
}

/// On the console, once: why files are hashed on the page instead of in the worker.
pub fn hashed_on_page(why: &WorkerFailure) -> String {
    format!("Mass Updater: files are hashed on the page ({why}).")
}

/// On the console, when a download could not be started.
pub fn download_failed(name: &str, detail: &str) -> String {
    format!("download of {name} failed: {detail}")
}

/// On the console, when a template could not be saved.
pub fn template_not_saved(detail: &str) -> String {
    format!("The template could not be saved: {detail}")
}

/// The error `mount` rejects with when its options are not an object.
pub const MOUNT_OPTIONS_NOT_AN_OBJECT: &str =
    "mount(element, options): options must be a plain object of settings";
