//! How configuration written by people (in a page's `<meta>` tags and data attributes,
//! a JSON file, or what a host passes) is read: keys in either spelling, and each value
//! strictly, so a typo is reported instead of silently changing behaviour. Each reader
//! gives `None` for a value it cannot use; [`super::Config`] says why.

use serde_json::Value;

/// The base URL of the proxy in front of Zuora: empty (the page's own origin), a path
/// starting with `/`, or an `http(s)://` URL. Trailing slashes are dropped so
/// `{base}/v1/bulk` never has a double slash.
pub fn parse_api_base(value: &str) -> Option<String> {
    let v = value.trim();
    let ok = v.is_empty()
        || (v.starts_with('/') && !v.starts_with("//"))
        || v.starts_with("https://")
        || v.starts_with("http://");
    ok.then(|| v.trim_end_matches('/').to_owned())
}

/// A positive whole number of bytes; `_` and `,` may group digits ("4,000,000").
pub fn parse_byte_count(value: &str) -> Option<u64> {
    let digits: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, '_' | ','))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok().filter(|&n| n > 0)
}

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

/// A value as the user wrote it, for quoting in a problem (clipped like any quoted text).
pub(super) fn show(value: &Value) -> String {
    let s = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    crate::preflight::Finding::clip(&s)
}

pub(super) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// `Some(None)` for null or blank text, `Some(Some(t))` for text, `None` otherwise.
pub(super) fn optional_text(value: &Value) -> Option<Option<String>> {
    match value {
        Value::Null => Some(None),
        Value::String(s) if s.trim().is_empty() => Some(None),
        Value::String(s) => Some(Some(s.trim().to_owned())),
        _ => None,
    }
}

/// A positive JSON number, or text that `parse` reads.
pub(super) fn whole_number(value: &Value, parse: fn(&str) -> Option<u64>) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().filter(|&n| n > 0),
        Value::String(s) => parse(s),
        _ => None,
    }
}

/// `true` or `false`, as JSON or as text.
pub(super) fn flag(value: &Value) -> Option<bool> {
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
fn is_id_list(value: &str) -> bool {
    value.len() <= 1024
        && value.split(',').all(|id| {
            let id = id.trim();
            (1..=64).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A `Zuora-Version` value: 1–32 ASCII letters, digits, dots or hyphens.
fn is_version(value: &str) -> bool {
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

/// `configUrl`: like `apiBase` but never blank inside; `Some(None)` when not set.
pub(super) fn config_url(value: &Value) -> Option<Option<String>> {
    optional_text(value).filter(|t| {
        t.as_deref()
            .is_none_or(|t| parse_api_base(t).is_some() && !t.contains(char::is_whitespace))
    })
}

/// `hostOrigin`: an origin ([`parse_origin`]); `Some(None)` when not set.
pub(super) fn host_origin(value: &Value) -> Option<Option<String>> {
    optional_text(value).and_then(|t| match t {
        None => Some(None),
        Some(t) => parse_origin(&t).map(Some),
    })
}

/// `entityIds` or `orgIds`: a list of Zuora IDs; `Some(None)` when not set.
pub(super) fn id_list(value: &Value) -> Option<Option<String>> {
    optional_text(value).filter(|t| t.as_deref().is_none_or(is_id_list))
}

/// `zuoraVersion`; `Some(None)` when not set.
pub(super) fn version(value: &Value) -> Option<Option<String>> {
    optional_text(value).filter(|t| t.as_deref().is_none_or(is_version))
}

/// The names in a JSON list of texts, or in one text separated by commas; blank names
/// are left out.
pub(super) fn names(value: &Value) -> Vec<String> {
    let names: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        _ => text(value)
            .map(|t| t.split(',').map(|s| s.trim().to_owned()).collect())
            .unwrap_or_default(),
    };
    names.into_iter().filter(|n| !n.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_base_accepts_origin_paths_and_urls() {
        assert_eq!(parse_api_base(""), Some(String::new()));
        assert_eq!(parse_api_base(" /zuora/ "), Some("/zuora".into()));
        assert_eq!(parse_api_base("/"), Some(String::new()));
        assert_eq!(
            parse_api_base("https://portal.example/zuora/"),
            Some("https://portal.example/zuora".into())
        );
        assert_eq!(parse_api_base("rest.zuora.com"), None);
        assert_eq!(parse_api_base("//evil.example"), None);
        assert_eq!(parse_api_base("javascript:alert(1)"), None);
    }

    #[test]
    fn byte_counts_are_positive_whole_numbers() {
        assert_eq!(parse_byte_count("4000000"), Some(4_000_000));
        assert_eq!(parse_byte_count("4,000,000"), Some(4_000_000));
        assert_eq!(parse_byte_count("4_000_000"), Some(4_000_000));
        assert_eq!(parse_byte_count("0"), None);
        assert_eq!(parse_byte_count("-5"), None);
        assert_eq!(parse_byte_count("4 MB"), None);
        assert_eq!(parse_byte_count(""), None);
        assert_eq!(parse_byte_count("99999999999999999999999"), None);
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

    #[test]
    fn kebab_keys_become_camel() {
        assert_eq!(key_from_kebab("api-base"), "apiBase");
        assert_eq!(key_from_kebab("apiBase"), "apiBase");
        assert_eq!(key_from_kebab("upload-concurrency"), "uploadConcurrency");
    }
}
