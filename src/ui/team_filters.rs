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
    let people = vec![("all", "Everyone".to_owned()), ("me", "Me".to_owned())];
    let mut statuses = vec![("", "Any".to_owned())];
    statuses.extend(
        TeamStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.as_str().to_owned())),
    );
    let mut actions = vec![("", "Any".to_owned())];
    actions.extend(
        ActionType::ALL
            .iter()
            .map(|a| (a.api_name(), a.label().to_owned())),
    );
    view! {
        <div class="team-filters">
            {filter_select(team, "Sent by", people, |f, v| {
                f.person = if v == "me" { Person::Me } else { Person::Everyone };
            })}
            {filter_select(team, "Status", statuses, |f, v| {
                f.status = (!v.is_empty()).then(|| TeamStatus::named(v));
            })}
            {filter_select(team, "Action type", actions, |f, v| f.action_type = v.parse().ok())}
        </div>
    }
}

/// A labelled select of `options` (value, name); a choice is applied to the filter by
/// `apply`. A plain function, so every select shares one copy of its code.
fn filter_select(
    team: Team,
    label: &'static str,
    options: Vec<(&'static str, String)>,
    apply: fn(&mut HistoryFilter, &str),
) -> impl IntoView {
    let id = unique_id("team-filter");
    let options = options
        .into_iter()
        .map(|(value, name)| view! { <option value=value>{name}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id on:change:target=move |e| {
                let mut filter = untrack(|| team.filter());
                apply(&mut filter, &e.target().value());
                team.set_filter(filter);
            }>
                {options}
            </select>
        </div>
    }
}
