use super::Workbench;
use crate::config::TOKEN_KEY;
use crate::platform::storage;
use leptos::prelude::*;
use mass_updater_domain::config::{AuthMode, ConfigProblem, Source};
use mass_updater_domain::wording::config::source_label;

/// The effective configuration and where each value came from, the problems found in
/// it, the advanced Zuora headers when the host allows changing them, and the bearer
/// token field in "token" auth mode.
#[component]
pub fn SettingsPanel(problems: Vec<ConfigProblem>) -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let config = workbench.config;
    // Re-rendered when the user changes a header below.
    let version = RwSignal::new(0u32);

    let rows = move || {
        version.track();
        config.with_value(|c| {
            c.describe()
                .into_iter()
                .map(|(key, value, source)| {
                    view! {
                        <tr>
                            <th scope="row"><code>{key}</code></th>
                            <td class="setting-value">{value}</td>
                            <td>{source_label(source)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let problem_list = (!problems.is_empty()).then(|| {
        let items = problems
            .iter()
            .map(|p| view! { <li>{p.to_string()}</li> })
            .collect_view();
        view! {
            <h3>"Values that could not be used"</h3>
            <ul class="config-problems">{items}</ul>
        }
    });

    let advanced = config.with_value(|c| c.allow_advanced_headers.value).then(|| {
        let field = move |key: &'static str, label: &'static str, current: Option<String>| {
            let id = super::unique_id(key);
            view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    <input
                        id=id
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        value=current.unwrap_or_default()
                        on:change:target=move |e| {
                            let value = e.target().value();
                            let mut values = serde_json::Map::new();
                            values.insert(key.to_owned(), serde_json::Value::String(value));
                            let problems = config.try_update_value(|c| c.apply(Source::User, &values));
                            if let Some(p) = problems.and_then(|p| p.into_iter().next()) {
                                e.target().set_custom_validity(&p.message);
                                e.target().report_validity();
                            } else {
                                e.target().set_custom_validity("");
                            }
                            version.update(|v| *v += 1);
                        }
                    />
                </div>
            }
        };
        let (entity, org, zuora_version) = config.with_value(|c| {
            (
                c.entity_ids.value.clone(),
                c.org_ids.value.clone(),
                c.zuora_version.value.clone(),
            )
        });
        view! {
            <h3>"Zuora headers"</h3>
            <p class="muted">"Sent with every request when set. Leave blank to send none."</p>
            {field("entityIds", "Zuora-Entity-Ids", entity)}
            {field("orgIds", "Zuora-Org-Ids (comma-separated)", org)}
            {field("zuoraVersion", "Zuora-Version", zuora_version)}
        }
    });

    let token = (config.with_value(|c| c.auth_mode.value) == AuthMode::Token).then(|| {
        let id = super::unique_id("token");
        let saved = storage::load_session(TOKEN_KEY).is_some();
        let status = RwSignal::new(if saved { "A token is set for this tab." } else { "No token set." });
        view! {
            <h3>"Bearer token"</h3>
            <p class="muted">
                "For development against a real tenant only. The token stays in this tab (session storage), is never saved for later, never logged, and is sent as the Authorization header."
            </p>
            <div class="field">
                <label for=id.clone()>"Token"</label>
                <input
                    id=id
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    on:change:target=move |e| {
                        let value = e.target().value();
                        let value = value.trim();
                        storage::save_session(TOKEN_KEY, (!value.is_empty()).then_some(value));
                        e.target().set_value("");
                        status.set(if value.is_empty() { "No token set." } else { "A token is set for this tab." });
                    }
                />
            </div>
            <p role="status">{move || status.get()}</p>
        }
    });

    view! {
        <details class="settings">
            <summary>"Settings"</summary>
            {problem_list}
            {advanced}
            {token}
            <h3>"Effective configuration"</h3>
            <div class="table-scroll">
                <table class="settings-table">
                    <thead>
                        <tr>
                            <th scope="col">"Setting"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">"From"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}
