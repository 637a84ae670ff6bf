//! Runtime configuration, read when the app starts so one build serves every
//! environment.
//!
//! Source: `<meta>` tags in the page that hosts the app:
//!
//! | meta name                       | meaning                               | default          |
//! |---------------------------------|---------------------------------------|------------------|
//! | `mass-updater:api-base`         | base URL of the proxy in front of Zuora | the page's origin |
//! | `mass-updater:max-file-bytes`   | largest file accepted, in bytes       | 4000000          |
//! | `mass-updater:track-id-prefix`  | prefix of every `Zuora-Track-Id`      | `mass-updater-`  |
//!
//! An invalid value is reported on the console and replaced by its default.

use crate::platform::browser;
use mass_updater_domain::request::DEFAULT_TRACK_ID_PREFIX;
use mass_updater_domain::settings::{parse_api_base, parse_byte_count};
use mass_updater_domain::{TrackId, DEFAULT_MAX_FILE_BYTES};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Without a trailing slash; empty means the page's own origin.
    pub api_base: String,
    pub max_file_bytes: u64,
    pub track_id_prefix: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base: String::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            track_id_prefix: DEFAULT_TRACK_ID_PREFIX.to_owned(),
        }
    }
}

impl Config {
    pub fn from_page() -> Config {
        let mut config = Config::default();
        if let Some(v) = browser::meta_content("mass-updater:api-base") {
            match parse_api_base(&v) {
                Some(base) => config.api_base = base,
                None => browser::warn(&format!(
                    "mass-updater:api-base {v:?} is not a path starting with / or an http(s) URL; using the page's origin."
                )),
            }
        }
        if let Some(v) = browser::meta_content("mass-updater:max-file-bytes") {
            match parse_byte_count(&v) {
                Some(n) => config.max_file_bytes = n,
                None => browser::warn(&format!(
                    "mass-updater:max-file-bytes {v:?} is not a positive whole number of bytes; using {DEFAULT_MAX_FILE_BYTES}."
                )),
            }
        }
        if let Some(v) = browser::meta_content("mass-updater:track-id-prefix") {
            match TrackId::check_prefix(&v) {
                Ok(()) => config.track_id_prefix = v,
                Err(e) => browser::warn(&format!(
                    "mass-updater:track-id-prefix {v:?} cannot be used ({e}); using {DEFAULT_TRACK_ID_PREFIX:?}."
                )),
            }
        }
        config
    }

    pub fn bulk_url(&self) -> String {
        format!("{}/v1/bulk", self.api_base)
    }
}
