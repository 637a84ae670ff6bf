//! The settings of one app instance as the Settings panel shows and changes them: the
//! effective configuration and where each value came from, the Zuora headers a user may
//! change (when the host allows it), and the bearer token in "token" auth mode.

use crate::platform::zuora;
use leptos::prelude::*;
use mass_updater_domain::config::{AuthMode, Config, ConfigProblem, Source};

#[derive(Clone, Copy)]
pub struct Settings {
    config: StoredValue<Config>,
    /// Bumped whenever a value changes, so that what shows the values follows.
    version: RwSignal<u32>,
    token_set: RwSignal<bool>,
}

impl Settings {
    pub fn new(config: StoredValue<Config>) -> Settings {
        Settings {
            config,
            version: RwSignal::new(0),
            token_set: RwSignal::new(zuora::has_token()),
        }
    }

    /// Every effective value: key, value as shown, and where it came from. Tracked.
    pub fn describe(&self) -> Vec<(&'static str, String, Source)> {
        self.version.track();
        self.config.with_value(Config::describe)
    }

    /// Whether the user may change the Zuora headers here.
    pub fn headers_changeable(&self) -> bool {
        self.config.with_value(|c| c.allow_advanced_headers.value)
    }

    /// The current value of a setting a user may change (`entityIds`, `orgIds`,
    /// `zuoraVersion`).
    pub fn header(&self, key: &str) -> Option<String> {
        self.config.with_value(|c| match key {
            "entityIds" => c.entity_ids.value.clone(),
            "orgIds" => c.org_ids.value.clone(),
            "zuoraVersion" => c.zuora_version.value.clone(),
            _ => None,
        })
    }

    /// Sets a Zuora header as the user typed it (blank: not sent); gives the problem
    /// when the value cannot be used, and the earlier value stays.
    pub fn set_header(&self, key: &str, value: String) -> Option<ConfigProblem> {
        let mut values = serde_json::Map::new();
        values.insert(key.to_owned(), serde_json::Value::String(value));
        let problems = self
            .config
            .try_update_value(|c| c.apply(Source::User, &values));
        self.version.update(|v| *v += 1);
        problems.and_then(|p| p.into_iter().next())
    }

    /// Whether requests carry a bearer token the user types ("token" auth mode).
    pub fn token_mode(&self) -> bool {
        self.config.with_value(|c| c.auth_mode.value) == AuthMode::Token
    }

    /// Whether this tab holds a bearer token. Tracked.
    pub fn token_set(&self) -> bool {
        self.token_set.get()
    }

    /// Keeps `token` for this tab (a blank one forgets it).
    pub fn set_token(&self, token: &str) {
        let token = token.trim();
        zuora::set_token((!token.is_empty()).then_some(token));
        self.token_set.set(!token.is_empty());
    }
}
