//! How configuration values written by people (in a page's `<meta>` tags, a JSON file,
//! or what a host passes) are read: strictly, so a typo is reported instead of silently changing
//! behaviour.

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
}
