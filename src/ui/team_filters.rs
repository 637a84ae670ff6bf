use super::unique_id;
use crate::state::Team;
use leptos::prelude::*;
use mass_updater_domain::team::{HistoryFilter, Person, TeamStatus};
use mass_updater_domain::ActionType;

/// The team history's filters: whose mass actions, in which status, of which action
/// type. Each change asks for the list again, from the newest.
#[component]
pub fn TeamFilters() -> impl IntoView {
    let team = expect_context::<Team>();
    let change = move |edit: &dyn Fn(&mut HistoryFilter)| {
        let mut filter = untrack(|| team.filter());
        edit(&mut filter);
        team.set_filter(filter);
    };
    let statuses = TeamStatus::ALL
        .iter()
        .map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> })
        .collect_view();
    let actions = ActionType::ALL
        .iter()
        .map(|a| view! { <option value=a.api_name()>{a.label()}</option> })
        .collect_view();
    let [who, status, action] = ["who", "status", "action"].map(unique_id);
    view! {
        <div class="team-filters">
            <div class="field">
                <label for=who.clone()>"Sent by"</label>
                <select id=who on:change:target=move |e| {
                    let me = e.target().value() == "me";
                    change(&|f| f.person = if me { Person::Me } else { Person::Everyone });
                }>
                    <option value="all">"Everyone"</option>
                    <option value="me">"Me"</option>
                </select>
            </div>
            <div class="field">
                <label for=status.clone()>"Status"</label>
                <select id=status on:change:target=move |e| {
                    let value = e.target().value();
                    change(&|f| f.status = (!value.is_empty()).then(|| TeamStatus::named(&value)));
                }>
                    <option value="">"Any"</option>
                    {statuses}
                </select>
            </div>
            <div class="field">
                <label for=action.clone()>"Action type"</label>
                <select id=action on:change:target=move |e| {
                    let action = e.target().value().parse::<ActionType>().ok();
                    change(&|f| f.action_type = action);
                }>
                    <option value="">"Any"</option>
                    {actions}
                </select>
            </div>
        </div>
    }
}
