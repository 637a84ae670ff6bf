//! Configuration as people write it: a JSON file (or what a host passes) and the
//! `<meta>` or data-attribute pairs, in either key spelling, applied over each other.
//! The input is a JSON document, then after a NUL byte `key=value` lines.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mass_updater_domain::config::parse::{parse_api_base, parse_byte_count};
use mass_updater_domain::config::{key_from_kebab, Config, Source};

fuzz_target!(|input: &[u8]| {
    let text = String::from_utf8_lossy(input);
    let (json, pairs) = text.split_once('\0').unwrap_or((&text, ""));
    let pairs: Vec<(String, String)> = pairs
        .lines()
        .map(|line| {
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();

    let mut config = Config::default();
    for problem in config.apply_text(Source::Page, pairs.iter().cloned()) {
        let _ = problem.to_string();
    }
    for problem in config.apply_json(Source::File, json) {
        let _ = problem.to_string();
    }
    for problem in config.apply_json(Source::Host, json) {
        let _ = problem.to_string();
    }
    let _ = config.describe();
    let _ = config.bulk_url();
    let _ = config.zuora_headers();
    // What the cross-key checks promise.
    assert!(config.poll_max_ms.value >= config.poll_first_ms.value);

    for (key, value) in &pairs {
        let _ = key_from_kebab(key);
        let _ = parse_api_base(value);
        let _ = parse_byte_count(value);
    }
});
