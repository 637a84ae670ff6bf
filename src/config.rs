//! Where the app's configuration comes from in the browser. The type, its defaults and
//! the precedence rule live in `mass_updater_domain::config`; this module reads the
//! sources in order (later wins): the page's `<meta name="mass-updater:…">` tags and the
//! mount element's `data-…` attributes (kebab-case keys, such as `api-base`), then the
//! JSON file at `configUrl` if one is set, then what the host passed to `mount`.
//! Problems go to the console and are kept for the settings panel.

use crate::platform::{browser, http};
use gloo_net::http::Method;
use mass_updater_domain::config::ConfigProblem;
pub use mass_updater_domain::config::{AuthMode, Config, Source};
use mass_updater_domain::wording::{config as config_words, page};
use serde_json::{Map, Value};

const META_PREFIX: &str = "mass-updater:";

/// The effective configuration and everything that could not be used.
pub async fn resolve(
    element: Option<&web_sys::Element>,
    host: Option<Map<String, Value>>,
) -> (Config, Vec<ConfigProblem>) {
    let mut config = Config::default();
    let mut problems = config.apply_text(Source::Page, browser::metas_with_prefix(META_PREFIX));
    if let Some(element) = element {
        problems.extend(config.apply_text(Source::Page, browser::data_attributes(element)));
    }
    // A host may name the file itself; its other values still win over the file's.
    let url = host
        .as_ref()
        .and_then(|h| h.get("configUrl"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| config.config_url.value.clone());
    if let Some(url) = url {
        problems.extend(load_file(&mut config, &url).await);
    }
    if let Some(host) = host {
        problems.extend(config.apply(Source::Host, &host));
    }
    for p in &problems {
        browser::warn(&page::configuration_problem(&p.to_string()));
    }
    (config, problems)
}

async fn load_file(config: &mut Config, url: &str) -> Vec<ConfigProblem> {
    let problem = |message: String| {
        vec![ConfigProblem {
            source: Source::File,
            key: "configUrl".into(),
            message,
        }]
    };
    let accept = [("Accept", "application/json")];
    match http::fetch_text(Method::GET, url, &accept, None).await {
        Ok(reply) if reply.status == 200 => config.apply_json(Source::File, &reply.body),
        Ok(reply) => problem(config_words::file_refused(url, reply.status)),
        Err(why) => problem(config_words::file_not_fetched(url, &why)),
    }
}
