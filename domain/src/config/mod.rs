//! The app's configuration: one type, documented defaults, and the rule for combining its
//! sources. Later sources win: built-in defaults, then the host page (`<meta>` tags or
//! data attributes), then an optional JSON file, then what the host passes when
//! mounting. A value that is unknown or invalid is reported once, in one sentence, and
//! the value from the earlier source stays; nothing here can fail.

pub mod parse;
mod set;
pub mod setting;

use crate::action_type::ActionType;
use crate::figures;
use crate::intake::DEFAULT_MAX_FILE_BYTES;
use crate::request::DEFAULT_TRACK_ID_PREFIX;
use crate::wording::config as wording;
use serde_json::{Map, Value};

pub use parse::key_from_kebab;
pub use setting::{ConfigProblem, Setting, Source};

/// How requests get their credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// The proxy attaches credentials; the app sends none (the default).
    Proxy,
    /// The user pastes a bearer token for development against a real tenant.
    Token,
}

impl AuthMode {
    /// The value as written in configuration: `proxy` or `token`.
    pub fn name(self) -> &'static str {
        match self {
            AuthMode::Proxy => "proxy",
            AuthMode::Token => "token",
        }
    }

    fn from_name(name: &str) -> Option<AuthMode> {
        [AuthMode::Proxy, AuthMode::Token]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Follows `prefers-color-scheme`.
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// The value as written in configuration: `auto`, `light` or `dark`.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn from_name(name: &str) -> Option<Theme> {
        [Theme::Auto, Theme::Light, Theme::Dark]
            .into_iter()
            .find(|t| t.name() == name)
    }
}

/// Every setting, with its effective value and source. Field docs give the key used in
/// JSON and by hosts (`camelCase`); in `<meta name="mass-updater:…">` tags and
/// `data-…` attributes the same key is written in kebab-case (`api-base`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `apiBase`: base URL of the proxy in front of Zuora, without a trailing slash;
    /// empty means the page's own origin. Default: empty.
    pub api_base: Setting<String>,
    /// `configUrl`: a JSON file with more settings, fetched at start. Default: none.
    pub config_url: Setting<Option<String>>,
    /// `maxFileBytes`: largest file sent. Default: 4,000,000.
    pub max_file_bytes: Setting<u64>,
    /// `actionTypes`: the action types offered (API names). Default: all six.
    pub action_types: Setting<Vec<ActionType>>,
    /// `defaultActionType`: preselected action type. Default: none (the user chooses).
    pub default_action_type: Setting<Option<ActionType>>,
    /// `entityIds`: the `Zuora-Entity-Ids` header. Default: not sent.
    pub entity_ids: Setting<Option<String>>,
    /// `orgIds`: the `Zuora-Org-Ids` header (comma-separated). Default: not sent.
    pub org_ids: Setting<Option<String>>,
    /// `zuoraVersion`: the `Zuora-Version` header. Default: not sent.
    pub zuora_version: Setting<Option<String>>,
    /// `allowAdvancedHeaders`: whether the settings panel may change the three headers
    /// above. Default: false.
    pub allow_advanced_headers: Setting<bool>,
    /// `trackIdPrefix`: prefix of every `Zuora-Track-Id`. Default: `mass-updater-`.
    pub track_id_prefix: Setting<String>,
    /// `pollFirstMs`: first wait before asking for a mass action's status. Default 1000.
    pub poll_first_ms: Setting<u64>,
    /// `pollMaxMs`: longest wait between two status requests. Default 15000.
    pub poll_max_ms: Setting<u64>,
    /// `uploadConcurrency`: files sent at the same time, 1 to 6. Default 2.
    pub upload_concurrency: Setting<u32>,
    /// `authMode`: `proxy` or `token`. Default `proxy`.
    pub auth_mode: Setting<AuthMode>,
    /// `theme`: `auto`, `light` or `dark`. Default `auto`.
    pub theme: Setting<Theme>,
    /// `hostOrigin`: the origin that receives `postMessage` events when the app runs in
    /// an iframe, such as `https://portal.example.com`. Never `*`. Default: none (no
    /// messages are posted).
    pub host_origin: Setting<Option<String>>,
    /// `gzipRequests`: send the upload body gzip-compressed. Default false.
    pub gzip_requests: Setting<bool>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            api_base: Setting::default(String::new()),
            config_url: Setting::default(None),
            max_file_bytes: Setting::default(DEFAULT_MAX_FILE_BYTES),
            action_types: Setting::default(ActionType::ALL.to_vec()),
            default_action_type: Setting::default(None),
            entity_ids: Setting::default(None),
            org_ids: Setting::default(None),
            zuora_version: Setting::default(None),
            allow_advanced_headers: Setting::default(false),
            track_id_prefix: Setting::default(DEFAULT_TRACK_ID_PREFIX.to_owned()),
            poll_first_ms: Setting::default(1_000),
            poll_max_ms: Setting::default(15_000),
            upload_concurrency: Setting::default(2),
            auth_mode: Setting::default(AuthMode::Proxy),
            theme: Setting::default(Theme::Auto),
            host_origin: Setting::default(None),
            gzip_requests: Setting::default(false),
        }
    }
}

/// The keys, in the order the settings panel lists them.
pub const KEYS: [&str; 17] = [
    "apiBase",
    "configUrl",
    "maxFileBytes",
    "actionTypes",
    "defaultActionType",
    "entityIds",
    "orgIds",
    "zuoraVersion",
    "allowAdvancedHeaders",
    "trackIdPrefix",
    "pollFirstMs",
    "pollMaxMs",
    "uploadConcurrency",
    "authMode",
    "theme",
    "hostOrigin",
    "gzipRequests",
];

/// The waits between status requests that `pollFirstMs` and `pollMaxMs` accept.
pub const POLL_MS_RANGE: std::ops::RangeInclusive<u64> = 100..=600_000;
/// The files sent at the same time that `uploadConcurrency` accepts.
pub const CONCURRENCY_RANGE: std::ops::RangeInclusive<u64> = 1..=6;

impl Config {
    /// Applies one source's values over this configuration. Returns what could not be
    /// used, one problem per key.
    pub fn apply(&mut self, source: Source, values: &Map<String, Value>) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        for (key, value) in values {
            if let Err(message) = self.set(source, key, value) {
                problems.push(ConfigProblem {
                    source,
                    key: key.clone(),
                    message,
                });
            }
        }
        // Checks across keys, after the whole source is in.
        problems.extend(self.check_default_action_type(source));
        problems.extend(self.check_poll_waits(source));
        problems
    }

    /// A preselected action type that is not allowed is dropped.
    fn check_default_action_type(&mut self, source: Source) -> Option<ConfigProblem> {
        let default = self.default_action_type.value?;
        if self.action_types.value.contains(&default) {
            return None;
        }
        self.default_action_type = Setting {
            value: None,
            source,
        };
        Some(ConfigProblem {
            source,
            key: "defaultActionType".into(),
            message: wording::default_not_allowed(default.api_name()),
        })
    }

    /// A longest wait shorter than the first becomes the first.
    fn check_poll_waits(&mut self, source: Source) -> Option<ConfigProblem> {
        let (first, max) = (self.poll_first_ms.value, self.poll_max_ms.value);
        if max >= first {
            return None;
        }
        self.poll_max_ms = Setting {
            value: first,
            source,
        };
        Some(ConfigProblem {
            source,
            key: "pollMaxMs".into(),
            message: wording::poll_max_below_first(max, first),
        })
    }

    /// Applies `<meta>` or data-attribute pairs, whose values are all text and whose
    /// keys may be kebab-case.
    pub fn apply_text(
        &mut self,
        source: Source,
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Vec<ConfigProblem> {
        let values = pairs
            .into_iter()
            .map(|(k, v)| (key_from_kebab(&k), Value::String(v)))
            .collect();
        self.apply(source, &values)
    }

    /// Applies a JSON document that must be an object.
    pub fn apply_json(&mut self, source: Source, text: &str) -> Vec<ConfigProblem> {
        let message = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(values)) => return self.apply(source, &values),
            Ok(_) => wording::not_an_object(),
            Err(e) => wording::not_json(&e),
        };
        vec![ConfigProblem {
            source,
            key: String::new(),
            message,
        }]
    }

    /// Every setting as (key, value as shown to people, source), in [`KEYS`] order.
    pub fn describe(&self) -> Vec<(&'static str, String, Source)> {
        let c = self;
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(wording::not_set);
        vec![
            row("apiBase", &c.api_base, |v| {
                if v.is_empty() {
                    wording::page_origin()
                } else {
                    v.clone()
                }
            }),
            row("configUrl", &c.config_url, opt),
            row("maxFileBytes", &c.max_file_bytes, |v| figures::bytes(*v)),
            row("actionTypes", &c.action_types, |v| {
                let names: Vec<&str> = v.iter().map(|t| t.api_name()).collect();
                names.join(", ")
            }),
            row("defaultActionType", &c.default_action_type, |v| {
                v.map_or_else(wording::none_chosen, |t| t.api_name().into())
            }),
            row("entityIds", &c.entity_ids, opt),
            row("orgIds", &c.org_ids, opt),
            row("zuoraVersion", &c.zuora_version, opt),
            row(
                "allowAdvancedHeaders",
                &c.allow_advanced_headers,
                bool::to_string,
            ),
            row("trackIdPrefix", &c.track_id_prefix, String::clone),
            row("pollFirstMs", &c.poll_first_ms, |v| {
                wording::milliseconds(*v)
            }),
            row("pollMaxMs", &c.poll_max_ms, |v| wording::milliseconds(*v)),
            row("uploadConcurrency", &c.upload_concurrency, u32::to_string),
            row("authMode", &c.auth_mode, |v| v.name().to_owned()),
            row("theme", &c.theme, |v| v.name().to_owned()),
            row("hostOrigin", &c.host_origin, opt),
            row("gzipRequests", &c.gzip_requests, bool::to_string),
        ]
    }

    pub fn bulk_url(&self) -> String {
        format!("{}/v1/bulk", self.api_base.value)
    }

    /// The optional Zuora headers every request carries, when set.
    pub fn zuora_headers(&self) -> Vec<(&'static str, String)> {
        [
            ("Zuora-Entity-Ids", &self.entity_ids.value),
            ("Zuora-Org-Ids", &self.org_ids.value),
            ("Zuora-Version", &self.zuora_version.value),
        ]
        .into_iter()
        .filter_map(|(name, v)| v.clone().map(|v| (name, v)))
        .collect()
    }
}

/// One line of [`Config::describe`].
fn row<T>(
    key: &'static str,
    setting: &Setting<T>,
    show: impl Fn(&T) -> String,
) -> (&'static str, String, Source) {
    (key, show(&setting.value), setting.source)
}

#[cfg(test)]
mod tests {

    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn later_sources_win_and_remember_where_they_came_from() {
        let mut c = Config::default();
        assert!(c
            .apply_text(
                Source::Page,
                [
                    ("api-base".into(), "/page".into()),
                    ("max-file-bytes".into(), "1,000".into())
                ]
            )
            .is_empty());
        assert!(c
            .apply_json(
                Source::File,
                r#"{"apiBase": "/file/", "uploadConcurrency": 3}"#
            )
            .is_empty());
        assert!(c
            .apply(
                Source::Host,
                &obj(json!({"apiBase": "https://portal.example/zuora"}))
            )
            .is_empty());
        assert_eq!(c.api_base.value, "https://portal.example/zuora");
        assert_eq!(c.api_base.source, Source::Host);
        assert_eq!(
            (c.max_file_bytes.value, c.max_file_bytes.source),
            (1000, Source::Page)
        );
        assert_eq!(
            (c.upload_concurrency.value, c.upload_concurrency.source),
            (3, Source::File)
        );
        assert_eq!(c.theme.source, Source::Default);
        assert_eq!(c.bulk_url(), "https://portal.example/zuora/v1/bulk");
    }

    #[test]
    fn invalid_values_are_reported_and_the_earlier_value_stays() {
        let mut c = Config::default();
        let problems = c.apply(
            Source::Host,
            &obj(json!({
                "apiBase": "rest.zuora.com",
                "maxFileBytes": -1,
                "uploadConcurrency": 40,
                "authMode": "basic",
                "hostOrigin": "*",
                "actionTypes": ["MPU", "Nope"],
                "colour": "red",
                "trackIdPrefix": "bad:prefix",
                "entityIds": "a\nb"
            })),
        );
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        for key in [
            "apiBase",
            "maxFileBytes",
            "uploadConcurrency",
            "authMode",
            "hostOrigin",
            "actionTypes",
            "colour",
            "trackIdPrefix",
            "entityIds",
        ] {
            assert!(keys.contains(&key), "{key} not reported: {problems:?}");
        }
        assert_eq!(c, Config::default());
        assert!(problems.iter().all(|p| p.message.ends_with('.')));
    }

    #[test]
    fn cross_checks_fall_back_sensibly() {
        let mut c = Config::default();
        let problems = c.apply(
            Source::Host,
            &obj(json!({"actionTypes": "MPU, ImportFXRate", "defaultActionType": "UpdateAccountingCode", "pollFirstMs": 5000, "pollMaxMs": 1000})),
        );
        assert_eq!(
            c.action_types.value,
            vec![ActionType::Mpu, ActionType::ImportFxRate]
        );
        assert_eq!(c.default_action_type.value, None);
        assert_eq!(c.poll_max_ms.value, 5000);
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn bad_json_is_one_problem() {
        let mut c = Config::default();
        assert_eq!(c.apply_json(Source::File, "{").len(), 1);
        assert_eq!(c.apply_json(Source::File, "[1]").len(), 1);
        assert_eq!(c, Config::default());
    }

    #[test]
    fn header_values_must_have_their_shape() {
        let mut c = Config::default();
        let ok = c.apply(
            Source::User,
            &obj(json!({"entityIds": "8a8082c45b1c4b8c015b1d3a5f6b7c8d", "orgIds": "org-1, org-2", "zuoraVersion": "211.0"})),
        );
        assert!(ok.is_empty(), "{ok:?}");
        for (key, bad) in [
            ("entityIds", "a;b"),
            ("entityIds", "x\r\nSet-Cookie: y"),
            ("orgIds", "org 1"),
            ("orgIds", "a,,b"),
            ("zuoraVersion", "2025/08/12"),
            ("zuoraVersion", "v 2"),
        ] {
            let problems = c.apply(Source::User, &obj(json!({ key: bad })));
            assert_eq!(problems.len(), 1, "{key}={bad:?}");
        }
        assert_eq!(
            c.org_ids.value.as_deref(),
            Some("org-1, org-2"),
            "bad values leave the good ones"
        );
        // Blank clears a header.
        assert!(c
            .apply(Source::User, &obj(json!({"orgIds": ""})))
            .is_empty());
        assert_eq!(c.org_ids.value, None);
    }

    #[test]
    fn headers_are_sent_only_when_set() {
        let mut c = Config::default();
        assert!(c.zuora_headers().is_empty());
        c.apply(
            Source::Host,
            &obj(json!({"entityIds": "e-1", "zuoraVersion": "2025-08-12"})),
        );
        assert_eq!(
            c.zuora_headers(),
            vec![
                ("Zuora-Entity-Ids", "e-1".to_owned()),
                ("Zuora-Version", "2025-08-12".to_owned())
            ]
        );
    }

    #[test]
    fn describe_lists_every_key_once() {
        let keys: Vec<_> = Config::default()
            .describe()
            .into_iter()
            .map(|(k, _, _)| k)
            .collect();
        assert_eq!(keys, KEYS.to_vec());
    }
}
