use super::unique_id;
use crate::platform::{browser, download};
use crate::state::Workbench;
use leptos::prelude::*;
use mass_updater_domain::preflight::template_csv;
use mass_updater_domain::wording::page;
use mass_updater_domain::wording::workbench::{CHOOSE_AN_ACTION_TYPE, TEMPLATES_SAY};
use mass_updater_domain::ActionType;

/// The choice of mass action, and a template for each. It starts empty unless the host
/// configured a default: sending a file as the wrong action type is costly.
#[component]
pub fn ActionTypeField() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let id = unique_id("action-type");
    let allowed = workbench.offered_action_types();
    let options = allowed
        .iter()
        .map(|action| {
            view! {
                <option value=action.api_name()>
                    {format!("{} ({})", action.label(), action.api_name())}
                </option>
            }
        })
        .collect_view();
    let templates = allowed
        .iter()
        .map(|&action| {
            view! {
                <li>
                    <button type="button" class="link-button" on:click=move |_| save_template(action)>
                        {format!("{}.csv", action.api_name())}
                    </button>
                    <span class="muted">{format!(" · {}", action.label())}</span>
                </li>
            }
        })
        .collect_view();

    view! {
        <div class="field">
            <label for=id.clone()>"Action type"</label>
            <select
                id=id
                node_ref=workbench.action_select
                prop:value=move || workbench.action_type().map_or("", ActionType::api_name)
                on:change:target=move |e| {
                    workbench.choose_action(e.target().value().parse::<ActionType>().ok());
                }
            >
                <option value="" disabled>
                    {CHOOSE_AN_ACTION_TYPE}
                </option>
                {options}
            </select>
        </div>
        <details class="templates">
            <summary>"Download a template"</summary>
            <p class="muted">{TEMPLATES_SAY}</p>
            <ul>{templates}</ul>
        </details>
    }
}

fn save_template(action: ActionType) {
    let csv = template_csv(action);
    let name = format!("{}-template.csv", action.api_name());
    if let Err(e) = download::save_bytes(csv.as_bytes(), &name, "text/csv") {
        browser::warn(&page::template_not_saved(&e.to_string()));
    }
}
