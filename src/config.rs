//! Where the app's configuration comes from in the browser. The type, its defaults and
//! the precedence rule live in `mass_updater_domain::config`; this module reads the
//! sources: `<meta name="mass-updater:…">` tags of the page (kebab-case keys, such as
//! `mass-updater:api-base`). Problems go to the console and are kept for the settings
//! panel.

use crate::platform::browser;
use mass_updater_domain::config::ConfigProblem;
pub use mass_updater_domain::config::{Config, Source};

const META_PREFIX: &str = "mass-updater:";

/// The defaults overlaid with the page's `<meta>` tags.
pub fn from_page() -> (Config, Vec<ConfigProblem>) {
    let mut config = Config::default();
    let pairs = browser::metas_with_prefix(META_PREFIX);
    let problems = config.apply_text(Source::Page, pairs);
    for p in &problems {
        browser::warn(&format!("Mass Updater configuration: {p}"));
    }
    (config, problems)
}
