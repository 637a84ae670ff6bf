//! Setting one key of the configuration from one source: each value read, checked
//! and kept with where it came from, or refused with one sentence.

use super::parse::{self, parse_api_base, parse_byte_count};
use super::{AuthMode, Config, Setting, Source, Theme, CONCURRENCY_RANGE, POLL_MS_RANGE};
use crate::action_type::ActionType;
use crate::request::TrackId;
use crate::wording::config as wording;
use serde_json::Value;

impl Config {
    /// Sets one key from `source`, or says in one sentence why its value cannot be used.
    pub(super) fn set(&mut self, source: Source, key: &str, value: &Value) -> Result<(), String> {
        let shown = parse::show(value);
        match key {
            "apiBase" | "configUrl" | "hostOrigin" => self.set_address(source, key, value, &shown),
            "maxFileBytes" | "pollFirstMs" | "pollMaxMs" | "uploadConcurrency" => {
                self.set_number(source, key, value, &shown)
            }
            "actionTypes" | "defaultActionType" => {
                self.set_action_types(source, key, value, &shown)
            }
            "entityIds" | "orgIds" | "zuoraVersion" | "trackIdPrefix" => {
                self.set_header(source, key, value, &shown)
            }
            "allowAdvancedHeaders" | "gzipRequests" | "authMode" | "theme" => {
                self.set_choice(source, key, value, &shown)
            }
            _ => Err(wording::unknown_key(key)),
        }
    }

    /// `apiBase`, `configUrl` or `hostOrigin`.
    fn set_address(
        &mut self,
        source: Source,
        key: &str,
        value: &Value,
        shown: &str,
    ) -> Result<(), String> {
        match key {
            "apiBase" => {
                let v = parse::text(value)
                    .and_then(|t| parse_api_base(&t))
                    .ok_or_else(|| wording::not_a_path_or_url(key, shown))?;
                put(&mut self.api_base, source, v)
            }
            "configUrl" => {
                let v = parse::config_url(value)
                    .ok_or_else(|| wording::not_a_path_or_url(key, shown))?;
                put(&mut self.config_url, source, v)
            }
            _ => {
                let v =
                    parse::host_origin(value).ok_or_else(|| wording::not_an_origin(key, shown))?;
                put(&mut self.host_origin, source, v)
            }
        }
    }

    /// `maxFileBytes`, `pollFirstMs`, `pollMaxMs` or `uploadConcurrency`.
    fn set_number(
        &mut self,
        source: Source,
        key: &str,
        value: &Value,
        shown: &str,
    ) -> Result<(), String> {
        let number = parse::whole_number(value, parse_byte_count);
        match key {
            "maxFileBytes" => {
                let v = number.ok_or_else(|| wording::not_a_byte_count(key, shown))?;
                put(&mut self.max_file_bytes, source, v)
            }
            "uploadConcurrency" => {
                let v = number
                    .filter(|n| CONCURRENCY_RANGE.contains(n))
                    .ok_or_else(|| wording::not_a_count_in(key, shown, &CONCURRENCY_RANGE))?;
                put(&mut self.upload_concurrency, source, v as u32)
            }
            _ => {
                let v = number
                    .filter(|n| POLL_MS_RANGE.contains(n))
                    .ok_or_else(|| wording::not_milliseconds_in(key, shown, &POLL_MS_RANGE))?;
                let slot = if key == "pollFirstMs" {
                    &mut self.poll_first_ms
                } else {
                    &mut self.poll_max_ms
                };
                put(slot, source, v)
            }
        }
    }

    /// `actionTypes` (a JSON list or comma-separated names) or `defaultActionType`.
    fn set_action_types(
        &mut self,
        source: Source,
        key: &str,
        value: &Value,
        shown: &str,
    ) -> Result<(), String> {
        if key == "defaultActionType" {
            let v = match parse::optional_text(value) {
                Some(None) => None,
                Some(Some(name)) => Some(
                    name.parse::<ActionType>()
                        .map_err(|_| wording::not_an_action_type(key, shown))?,
                ),
                None => return Err(wording::not_an_action_type(key, shown)),
            };
            return put(&mut self.default_action_type, source, v);
        }
        let mut types = Vec::new();
        for name in parse::names(value) {
            let t = name
                .parse::<ActionType>()
                .map_err(|_| wording::names_no_action_type(key, &name))?;
            if !types.contains(&t) {
                types.push(t);
            }
        }
        if types.is_empty() {
            return Err(wording::no_action_types(key));
        }
        put(&mut self.action_types, source, types)
    }

    /// `entityIds`, `orgIds`, `zuoraVersion` or `trackIdPrefix`.
    fn set_header(
        &mut self,
        source: Source,
        key: &str,
        value: &Value,
        shown: &str,
    ) -> Result<(), String> {
        match key {
            "entityIds" | "orgIds" => {
                let v = parse::id_list(value).ok_or_else(|| wording::not_an_id_list(key, shown))?;
                let slot = if key == "entityIds" {
                    &mut self.entity_ids
                } else {
                    &mut self.org_ids
                };
                put(slot, source, v)
            }
            "zuoraVersion" => {
                let v = parse::version(value).ok_or_else(|| wording::not_a_version(key, shown))?;
                put(&mut self.zuora_version, source, v)
            }
            _ => {
                let t = parse::text(value).ok_or_else(|| wording::not_text(key, shown))?;
                TrackId::check_prefix(&t).map_err(|e| wording::unusable(key, shown, &e))?;
                put(&mut self.track_id_prefix, source, t)
            }
        }
    }

    /// `allowAdvancedHeaders`, `gzipRequests`, `authMode` or `theme`.
    fn set_choice(
        &mut self,
        source: Source,
        key: &str,
        value: &Value,
        shown: &str,
    ) -> Result<(), String> {
        let name = parse::text(value);
        let name = name.as_deref().map(str::trim);
        match key {
            "authMode" => {
                let v = name.and_then(AuthMode::from_name).ok_or_else(|| {
                    wording::not_one_of(
                        key,
                        shown,
                        &[AuthMode::Proxy.name(), AuthMode::Token.name()],
                    )
                })?;
                put(&mut self.auth_mode, source, v)
            }
            "theme" => {
                let v = name.and_then(Theme::from_name).ok_or_else(|| {
                    wording::not_one_of(
                        key,
                        shown,
                        &[Theme::Auto.name(), Theme::Light.name(), Theme::Dark.name()],
                    )
                })?;
                put(&mut self.theme, source, v)
            }
            _ => {
                let v = parse::flag(value).ok_or_else(|| wording::not_a_flag(key, shown))?;
                let slot = if key == "gzipRequests" {
                    &mut self.gzip_requests
                } else {
                    &mut self.allow_advanced_headers
                };
                put(slot, source, v)
            }
        }
    }
}

fn put<T>(slot: &mut Setting<T>, source: Source, value: T) -> Result<(), String> {
    *slot = Setting { value, source };
    Ok(())
}
