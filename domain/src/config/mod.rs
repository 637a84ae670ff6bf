//! The app's configuration: one type, documented defaults, and the rule for combining its
//! sources. Later sources win: built-in defaults, then the host page (`<meta>` tags or
//! data attributes), then an optional JSON file, then what the host passes when
//! mounting. A value that is unknown or invalid is reported once, in one sentence, and
//! the value from the earlier source stays; nothing here can fail.

use crate::action_type::ActionType;
use crate::figures;
use crate::intake::DEFAULT_MAX_FILE_BYTES;
use crate::request::{TrackId, DEFAULT_TRACK_ID_PREFIX};
use parse::{parse_api_base, parse_byte_count};
use serde_json::{Map, Value};
use std::fmt;

pub mod parse;

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Default,
    Page,
    File,
    Host,
    /// Changed in the settings panel, for this session.
    User,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Default => "built-in default",
            Source::Page => "page",
            Source::File => "configuration file",
            Source::Host => "host",
            Source::User => "settings panel",
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Setting<T> {
    fn default(value: T) -> Setting<T> {
        Setting {
            value,
            source: Source::Default,
        }
    }
}

/// How requests get their credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// The proxy attaches credentials; the app sends none (the default).
    Proxy,
    /// The user pastes a bearer token for development against a real tenant.
    Token,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Follows `prefers-color-scheme`.
    Auto,
    Light,
    Dark,
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

/// Something in a source that could not be used; the app goes on without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub source: Source,
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.source.label())
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

/// The upper case of the letter after a hyphen. ASCII letters, and the few non-ASCII
/// ones whose upper case is all ASCII (so `entity-ıds` still reaches `entityIds`, as
/// with `char::to_uppercase`), are raised; any other letter is kept as written, which
/// only changes how an unknown key is spelled in its problem. This leaves out the
/// 12 KB Unicode upper-case table from the wasm.
fn upper_case(c: char) -> std::borrow::Cow<'static, str> {
    let ascii = match c {
        '\u{df}' => "SS",   // sharp s
        '\u{131}' => "I",   // dotless i
        '\u{17f}' => "S",   // long s
        '\u{fb00}' => "FF", // ligatures
        '\u{fb01}' => "FI",
        '\u{fb02}' => "FL",
        '\u{fb03}' => "FFI",
        '\u{fb04}' => "FFL",
        '\u{fb05}' | '\u{fb06}' => "ST",
        c => return c.to_ascii_uppercase().to_string().into(),
    };
    ascii.into()
}

/// `api-base` → `apiBase`; camelCase keys pass through.
pub fn key_from_kebab(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.trim().chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push_str(&upper_case(c));
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

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
        if let Some(default) = self.default_action_type.value {
            if !self.action_types.value.contains(&default) {
                problems.push(ConfigProblem {
                    source,
                    key: "defaultActionType".into(),
                    message: format!(
                        "The default action type {} is not among the allowed action types, so none is preselected.",
                        default.api_name()
                    ),
                });
                self.default_action_type = Setting {
                    value: None,
                    source,
                };
            }
        }
        if self.poll_max_ms.value < self.poll_first_ms.value {
            problems.push(ConfigProblem {
                source,
                key: "pollMaxMs".into(),
                message: format!(
                    "pollMaxMs ({} ms) is shorter than pollFirstMs ({} ms), so both use pollFirstMs.",
                    self.poll_max_ms.value, self.poll_first_ms.value
                ),
            });
            self.poll_max_ms = Setting {
                value: self.poll_first_ms.value,
                source,
            };
        }
        problems
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
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(values)) => self.apply(source, &values),
            Ok(_) => vec![ConfigProblem {
                source,
                key: String::new(),
                message: "The configuration is not a JSON object, so none of it was used.".into(),
            }],
            Err(e) => vec![ConfigProblem {
                source,
                key: String::new(),
                message: format!(
                    "The configuration is not valid JSON ({e}), so none of it was used."
                ),
            }],
        }
    }

    fn set(&mut self, source: Source, key: &str, value: &Value) -> Result<(), String> {
        fn put<T>(slot: &mut Setting<T>, source: Source, value: T) -> Result<(), String> {
            *slot = Setting { value, source };
            Ok(())
        }
        let shown = show(value);
        match key {
            "apiBase" => {
                let v = text(value)
                    .and_then(|t| parse_api_base(&t))
                    .ok_or_else(|| {
                        format!(
                            "apiBase “{shown}” is not a path starting with / or an http(s) URL."
                        )
                    })?;
                put(&mut self.api_base, source, v)
            }
            "configUrl" => {
                let v = optional_text(value)
                    .filter(|t| {
                        t.as_deref().is_none_or(|t| {
                            parse_api_base(t).is_some() && !t.contains(char::is_whitespace)
                        })
                    })
                    .ok_or_else(|| {
                        format!(
                            "configUrl “{shown}” is not a path starting with / or an http(s) URL."
                        )
                    })?;
                put(&mut self.config_url, source, v)
            }
            "maxFileBytes" => {
                let v = whole_number(value, parse_byte_count).ok_or_else(|| {
                    format!("maxFileBytes “{shown}” is not a positive whole number of bytes.")
                })?;
                put(&mut self.max_file_bytes, source, v)
            }
            "actionTypes" => {
                let names: Vec<String> = match value {
                    Value::Array(items) => items.iter().filter_map(text).collect(),
                    _ => text(value)
                        .map(|t| t.split(',').map(|s| s.trim().to_owned()).collect())
                        .unwrap_or_default(),
                };
                let mut types = Vec::new();
                for name in names.iter().filter(|n| !n.is_empty()) {
                    let t = name.parse::<ActionType>().map_err(|_| {
                        format!("actionTypes names “{name}”, which is not an action type; the list was not used.")
                    })?;
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
                if types.is_empty() {
                    return Err(
                        "actionTypes is empty; at least one action type must be allowed.".into(),
                    );
                }
                put(&mut self.action_types, source, types)
            }
            "defaultActionType" => {
                let v = match optional_text(value) {
                    Some(None) => None,
                    Some(Some(name)) => Some(name.parse::<ActionType>().map_err(|_| {
                        format!("defaultActionType “{shown}” is not an action type.")
                    })?),
                    None => {
                        return Err(format!(
                            "defaultActionType “{shown}” is not an action type."
                        ))
                    }
                };
                put(&mut self.default_action_type, source, v)
            }
            "entityIds" | "orgIds" => {
                let v = optional_text(value)
                    .filter(|t| t.as_deref().is_none_or(id_list))
                    .ok_or_else(|| {
                        format!("{key} “{shown}” is not a list of Zuora IDs: use letters, digits and hyphens (at most 64 per ID), separated by commas.")
                    })?;
                let slot = if key == "entityIds" {
                    &mut self.entity_ids
                } else {
                    &mut self.org_ids
                };
                put(slot, source, v)
            }
            "zuoraVersion" => {
                let v = optional_text(value)
                    .filter(|t| t.as_deref().is_none_or(version))
                    .ok_or_else(|| {
                        format!("zuoraVersion “{shown}” is not an API version such as 2025-08-12 or 211.0.")
                    })?;
                put(&mut self.zuora_version, source, v)
            }
            "allowAdvancedHeaders" | "gzipRequests" => {
                let v =
                    flag(value).ok_or_else(|| format!("{key} “{shown}” is not true or false."))?;
                let slot = if key == "gzipRequests" {
                    &mut self.gzip_requests
                } else {
                    &mut self.allow_advanced_headers
                };
                put(slot, source, v)
            }
            "trackIdPrefix" => {
                let t =
                    text(value).ok_or_else(|| format!("trackIdPrefix “{shown}” is not text."))?;
                TrackId::check_prefix(&t)
                    .map_err(|e| format!("trackIdPrefix “{shown}” cannot be used: {e}"))?;
                put(&mut self.track_id_prefix, source, t)
            }
            "pollFirstMs" | "pollMaxMs" => {
                let v = whole_number(value, parse_byte_count)
                    .filter(|n| (100..=600_000).contains(n))
                    .ok_or_else(|| {
                        format!("{key} “{shown}” is not a number of milliseconds between 100 and 600,000.")
                    })?;
                let slot = if key == "pollFirstMs" {
                    &mut self.poll_first_ms
                } else {
                    &mut self.poll_max_ms
                };
                put(slot, source, v)
            }
            "uploadConcurrency" => {
                let v = whole_number(value, parse_byte_count)
                    .filter(|n| (1..=6).contains(n))
                    .ok_or_else(|| {
                        format!("uploadConcurrency “{shown}” is not a whole number from 1 to 6.")
                    })?;
                put(&mut self.upload_concurrency, source, v as u32)
            }
            "authMode" => {
                let v = match text(value).as_deref().map(str::trim) {
                    Some("proxy") => AuthMode::Proxy,
                    Some("token") => AuthMode::Token,
                    _ => return Err(format!("authMode “{shown}” is not “proxy” or “token”.")),
                };
                put(&mut self.auth_mode, source, v)
            }
            "theme" => {
                let v = match text(value).as_deref().map(str::trim) {
                    Some("auto") => Theme::Auto,
                    Some("light") => Theme::Light,
                    Some("dark") => Theme::Dark,
                    _ => return Err(format!("theme “{shown}” is not “auto”, “light” or “dark”.")),
                };
                put(&mut self.theme, source, v)
            }
            "hostOrigin" => {
                let v = optional_text(value)
                    .and_then(|t| match t {
                        None => Some(None),
                        Some(t) => parse_origin(&t).map(Some),
                    })
                    .ok_or_else(|| {
                        format!("hostOrigin “{shown}” is not an origin such as https://portal.example.com (never “*”).")
                    })?;
                put(&mut self.host_origin, source, v)
            }
            _ => Err(format!(
                "“{key}” is not a setting this app knows, so it was ignored."
            )),
        }
    }

    /// Every setting as (key, value as shown to people, source), in [`KEYS`] order.
    pub fn describe(&self) -> Vec<(&'static str, String, Source)> {
        fn opt(v: &Option<String>) -> String {
            v.clone().unwrap_or_else(|| "(not set)".into())
        }
        let c = self;
        vec![
            (
                "apiBase",
                if c.api_base.value.is_empty() {
                    "(this page's origin)".into()
                } else {
                    c.api_base.value.clone()
                },
                c.api_base.source,
            ),
            ("configUrl", opt(&c.config_url.value), c.config_url.source),
            (
                "maxFileBytes",
                figures::bytes(c.max_file_bytes.value),
                c.max_file_bytes.source,
            ),
            (
                "actionTypes",
                c.action_types
                    .value
                    .iter()
                    .map(|t| t.api_name())
                    .collect::<Vec<_>>()
                    .join(", "),
                c.action_types.source,
            ),
            (
                "defaultActionType",
                c.default_action_type
                    .value
                    .map_or("(none)".into(), |t| t.api_name().into()),
                c.default_action_type.source,
            ),
            ("entityIds", opt(&c.entity_ids.value), c.entity_ids.source),
            ("orgIds", opt(&c.org_ids.value), c.org_ids.source),
            (
                "zuoraVersion",
                opt(&c.zuora_version.value),
                c.zuora_version.source,
            ),
            (
                "allowAdvancedHeaders",
                c.allow_advanced_headers.value.to_string(),
                c.allow_advanced_headers.source,
            ),
            (
                "trackIdPrefix",
                c.track_id_prefix.value.clone(),
                c.track_id_prefix.source,
            ),
            (
                "pollFirstMs",
                format!("{} ms", figures::grouped(c.poll_first_ms.value)),
                c.poll_first_ms.source,
            ),
            (
                "pollMaxMs",
                format!("{} ms", figures::grouped(c.poll_max_ms.value)),
                c.poll_max_ms.source,
            ),
            (
                "uploadConcurrency",
                c.upload_concurrency.value.to_string(),
                c.upload_concurrency.source,
            ),
            (
                "authMode",
                match c.auth_mode.value {
                    AuthMode::Proxy => "proxy",
                    AuthMode::Token => "token",
                }
                .into(),
                c.auth_mode.source,
            ),
            (
                "theme",
                match c.theme.value {
                    Theme::Auto => "auto",
                    Theme::Light => "light",
                    Theme::Dark => "dark",
                }
                .into(),
                c.theme.source,
            ),
            (
                "hostOrigin",
                opt(&c.host_origin.value),
                c.host_origin.source,
            ),
            (
                "gzipRequests",
                c.gzip_requests.value.to_string(),
                c.gzip_requests.source,
            ),
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

fn show(value: &Value) -> String {
    let s = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    crate::preflight::Finding::clip(&s)
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// `Some(None)` for null or blank text, `Some(Some(t))` for text, `None` otherwise.
fn optional_text(value: &Value) -> Option<Option<String>> {
    match value {
        Value::Null => Some(None),
        Value::String(s) if s.trim().is_empty() => Some(None),
        Value::String(s) => Some(Some(s.trim().to_owned())),
        _ => None,
    }
}

fn whole_number(value: &Value, parse: fn(&str) -> Option<u64>) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().filter(|&n| n > 0),
        Value::String(s) => parse(s),
        _ => None,
    }
}

fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `id` or `id,id,…`: each 1–64 ASCII letters, digits or hyphens (Zuora IDs are 32 hex
/// digits; UUIDs also fit). Spaces after commas are allowed.
fn id_list(value: &str) -> bool {
    value.len() <= 1024
        && value.split(',').all(|id| {
            let id = id.trim();
            (1..=64).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A `Zuora-Version` value: 1–32 ASCII letters, digits, dots or hyphens.
fn version(value: &str) -> bool {
    (1..=32).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// `scheme://host[:port]` with nothing after it; `http` only for loopback hosts.
fn parse_origin(value: &str) -> Option<String> {
    let v = value.trim().trim_end_matches('/');
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))?;
    let host = rest.split(':').next().unwrap_or("");
    let ok = !rest.is_empty()
        && !rest.contains(['/', '?', '#', '@', '*', ' '])
        && !host.is_empty()
        && (v.starts_with("https://") || matches!(host, "localhost" | "127.0.0.1" | "[::1]"));
    ok.then(|| v.to_owned())
}

#[cfg(test)]
mod tests {

    /// Wherever `char::to_uppercase` gives ASCII (so a key could be a known one), the
    /// hyphen rule gives the same; elsewhere the letter is kept.
    #[test]
    fn upper_case_agrees_with_unicode_wherever_it_is_ascii() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let unicode: String = c.to_uppercase().collect();
            let ours = upper_case(c);
            if unicode.is_ascii() {
                assert_eq!(ours, unicode, "{c:?}");
            } else {
                assert_eq!(ours, c.to_string(), "{c:?}");
            }
        }
        assert_eq!(key_from_kebab("entity-\u{131}ds"), "entityIds");
    }
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
    fn origins_are_exact_and_never_a_wildcard() {
        assert_eq!(
            parse_origin("https://portal.example.com/"),
            Some("https://portal.example.com".into())
        );
        assert_eq!(
            parse_origin("http://localhost:8080"),
            Some("http://localhost:8080".into())
        );
        assert_eq!(parse_origin("http://portal.example.com"), None);
        assert_eq!(parse_origin("https://portal.example.com/path"), None);
        assert_eq!(parse_origin("*"), None);
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

    #[test]
    fn kebab_keys_become_camel() {
        assert_eq!(key_from_kebab("api-base"), "apiBase");
        assert_eq!(key_from_kebab("apiBase"), "apiBase");
        assert_eq!(key_from_kebab("upload-concurrency"), "uploadConcurrency");
    }
}
