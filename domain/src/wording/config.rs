//! Configuration: the problems a source's values can have (each one sentence naming the
//! key and the value as written), where a setting came from, and how a setting with no
//! value is shown in the settings panel.

use super::{or_list, quoted};
use crate::config::setting::{ConfigProblem, Source};
use crate::figures;
use std::fmt::{self, Display, Formatter};
use std::ops::RangeInclusive;

/// Where a value came from, as the settings panel and each problem name it.
pub fn source_label(source: Source) -> &'static str {
    match source {
        Source::Default => "built-in default",
        Source::Page => "page",
        Source::File => "configuration file",
        Source::Host => "host",
        Source::User => "settings panel",
    }
}

/// The problem's sentence followed by its source: `… (configuration file)`.
impl Display for ConfigProblem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, source_label(self.source))
    }
}

pub fn unknown_key(key: &str) -> String {
    format!("“{key}” is not a setting this app knows, so it was ignored.")
}

pub fn not_an_object() -> String {
    "The configuration is not a JSON object, so none of it was used.".to_owned()
}

/// `error`: serde_json's report.
pub fn not_json(error: &dyn Display) -> String {
    format!("The configuration is not valid JSON ({error}), so none of it was used.")
}

pub fn not_a_path_or_url(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not a path starting with / or an http(s) URL.")
}

pub fn not_an_origin(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not an origin such as https://portal.example.com (never “*”).")
}

pub fn not_a_byte_count(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not a positive whole number of bytes.")
}

pub fn not_a_count_in(key: &str, shown: &str, range: &RangeInclusive<u64>) -> String {
    format!(
        "{key} “{shown}” is not a whole number from {} to {}.",
        figures::grouped(*range.start()),
        figures::grouped(*range.end())
    )
}

pub fn not_milliseconds_in(key: &str, shown: &str, range: &RangeInclusive<u64>) -> String {
    format!(
        "{key} “{shown}” is not a number of milliseconds between {} and {}.",
        figures::grouped(*range.start()),
        figures::grouped(*range.end())
    )
}

/// The longest wait between two status requests is shorter than the first wait.
pub fn poll_max_below_first(max_ms: u64, first_ms: u64) -> String {
    format!("pollMaxMs ({max_ms} ms) is shorter than pollFirstMs ({first_ms} ms), so both use pollFirstMs.")
}

pub fn not_an_action_type(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not an action type.")
}

/// A list of action types names one that is not.
pub fn names_no_action_type(key: &str, name: &str) -> String {
    format!("{key} names “{name}”, which is not an action type; the list was not used.")
}

pub fn no_action_types(key: &str) -> String {
    format!("{key} is empty; at least one action type must be allowed.")
}

/// `api_name`: the preselected action type, which the allowed ones do not include.
pub fn default_not_allowed(api_name: &str) -> String {
    format!("The default action type {api_name} is not among the allowed action types, so none is preselected.")
}

pub fn not_an_id_list(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not a list of Zuora IDs: use letters, digits and hyphens (at most 64 per ID), separated by commas.")
}

pub fn not_a_version(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not an API version such as 2025-08-12 or 211.0.")
}

pub fn not_text(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not text.")
}

/// `why`: the sentence of the rule the value breaks.
pub fn unusable(key: &str, shown: &str, why: &dyn Display) -> String {
    format!("{key} “{shown}” cannot be used: {why}")
}

pub fn not_a_flag(key: &str, shown: &str) -> String {
    format!("{key} “{shown}” is not true or false.")
}

/// `names`: the values the key accepts.
pub fn not_one_of(key: &str, shown: &str, names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    format!("{key} “{shown}” is not {}.", or_list(&names))
}

/// The configuration file answered, but not with the file.
pub fn file_refused(url: &str, status: u16) -> String {
    format!("The configuration file {url} answered HTTP {status}, so it was not used.")
}

/// The configuration file could not be fetched (`why`: why there was no answer).
pub fn file_not_fetched(url: &str, why: &dyn Display) -> String {
    format!("The configuration file {url} could not be fetched ({why}), so it was not used.")
}

/// An optional setting with no value.
pub fn not_set() -> String {
    "(not set)".to_owned()
}

/// `apiBase` when empty: requests go to the page's own origin.
pub fn page_origin() -> String {
    "(this page's origin)".to_owned()
}

/// No preselected action type.
pub fn none_chosen() -> String {
    "(none)".to_owned()
}

/// `1,000 ms`.
pub fn milliseconds(ms: u64) -> String {
    format!("{} ms", figures::grouped(ms))
}
