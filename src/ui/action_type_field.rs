use super::{unique_id, Workbench};
use leptos::prelude::*;
use mass_updater_domain::ActionType;

/// The choice of mass action. It starts empty on purpose: sending a file as the wrong
/// action type is costly, so nobody gets one by default.
#[component]
pub fn ActionTypeField() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let id = unique_id("action-type");
    let options = ActionType::ALL
        .into_iter()
        .map(|action| {
            view! {
                <option value=action.api_name()>
                    {format!("{} ({})", action.label(), action.api_name())}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="field">
            <label for=id.clone()>"Action type"</label>
            <select
                id=id
                on:change:target=move |e| {
                    workbench.action_type.set(e.target().value().parse::<ActionType>().ok());
                }
            >
                <option value="" selected disabled>
                    "Choose an action type…"
                </option>
                {options}
            </select>
        </div>
    }
}
