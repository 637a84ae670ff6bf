use super::{unique_id, TeamFilters, TeamRow};
use crate::state::Team;
use leptos::prelude::*;
use mass_updater_domain::wording::team::{LOADING_TEAM_HISTORY, NO_TEAM_JOBS};

/// Everyone's mass actions sent through the gateway, newest first, with who sent each,
/// filtered and paged; each ended one with its response file.
#[component]
pub fn TeamHistory() -> impl IntoView {
    let team = expect_context::<Team>();
    let heading = unique_id("team");
    let labelled_by = heading.clone();
    let keys = Memo::new(move |_| team.keys());
    let state = move || match keys.with(|k| k.as_ref().map(Vec::is_empty)) {
        None => Some(view! { <p class="muted" role="status">{LOADING_TEAM_HISTORY}</p> }),
        Some(true) => Some(view! { <p class="muted" role="status">{NO_TEAM_JOBS}</p> }),
        Some(false) => None,
    };
    view! {
        <section class="results team-history" aria-labelledby=labelled_by>
            <h2 id=heading>"Team history"</h2>
            <TeamFilters />
            {move || team.problem().map(|p| view! {
                <p class="notice notice--error" role="alert">{p.to_string()}</p>
            })}
            {state}
            <Show when=move || keys.with(|k| k.as_ref().is_some_and(|k| !k.is_empty()))>
                {team_table(keys)}
            </Show>
            <Show when=move || team.has_more()>
                <p class="list-more">
                    <button type="button" class="button" disabled=move || team.loading() on:click=move |_| team.show_more()>
                        "Show more"
                    </button>
                </p>
            </Show>
        </section>
    }
}

/// One row per mass action, keyed by its Idempotency-Key.
fn team_table(keys: Memo<Option<Vec<String>>>) -> impl IntoView {
    let each = move || keys.get().unwrap_or_default();
    view! {
        <div class="jobs-frame">
            <table class="results-table jobs-table team-table">
                <colgroup>
                    <col class="col-file" />
                    <col class="col-sender" />
                    <col class="col-status" />
                    <col class="col-keys" />
                    <col class="col-actions" />
                </colgroup>
                <thead>
                    <tr>
                        <th scope="col">"File"</th>
                        <th scope="col">"Sent by"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Keys"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each key=|k| k.clone() children=|key| view! { <TeamRow key /> } />
                </tbody>
            </table>
        </div>
    }
}
