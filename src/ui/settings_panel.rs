use super::unique_id;
use crate::state::Settings;
use leptos::prelude::*;
use mass_updater_domain::config::ConfigProblem;
use mass_updater_domain::wording::config::source_label;
use mass_updater_domain::wording::page;

/// The effective configuration and where each value came from, the problems found in
/// it, the advanced Zuora headers when the host allows changing them, and the bearer
/// token field in "token" auth mode.
#[component]
pub fn SettingsPanel(problems: Vec<ConfigProblem>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let rows = move || {
        settings
            .describe()
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

    view! {
        <details class="settings">
            <summary>"Settings"</summary>
            {problem_list}
            {settings.headers_changeable().then(|| view! { {zuora_headers(settings)} })}
            {settings.token_mode().then(|| view! { {bearer_token(settings)} })}
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

/// The Zuora headers a user may change, when the host allows it.
fn zuora_headers(settings: Settings) -> impl IntoView {
    view! {
        <h3>"Zuora headers"</h3>
        <p class="muted">{page::HEADERS_NOTE}</p>
        {header_field(settings, "entityIds", "Zuora-Entity-Ids")}
        {header_field(settings, "orgIds", "Zuora-Org-Ids (comma-separated)")}
        {header_field(settings, "zuoraVersion", "Zuora-Version")}
    }
}

/// One Zuora header's field; a value that cannot be used is reported on the field and
/// the earlier one stays.
fn header_field(settings: Settings, key: &'static str, label: &'static str) -> impl IntoView {
    let id = unique_id(key);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                autocomplete="off"
                spellcheck="false"
                value=settings.header(key).unwrap_or_default()
                on:change:target=move |e| {
                    let problem = settings.set_header(key, e.target().value());
                    match problem {
                        Some(p) => {
                            e.target().set_custom_validity(&p.message);
                            e.target().report_validity();
                        }
                        None => e.target().set_custom_validity(""),
                    }
                }
            />
        </div>
    }
}

/// The bearer token field of "token" auth mode.
fn bearer_token(settings: Settings) -> impl IntoView {
    let id = unique_id("token");
    let status = move || {
        if settings.token_set() {
            page::TOKEN_SET
        } else {
            page::NO_TOKEN
        }
    };
    view! {
        <h3>"Bearer token"</h3>
        <p class="muted">{page::TOKEN_NOTE}</p>
        <div class="field">
            <label for=id.clone()>"Token"</label>
            <input
                id=id
                type="password"
                autocomplete="off"
                spellcheck="false"
                on:change:target=move |e| {
                    settings.set_token(&e.target().value());
                    e.target().set_value("");
                }
            />
        </div>
        <p role="status">{status}</p>
    }
}
