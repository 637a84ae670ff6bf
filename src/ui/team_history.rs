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
    let note = move || match team.count() {
        None => LOADING_TEAM_HISTORY,
        Some(0) => NO_TEAM_JOBS,
        Some(_) => "",
    };
    view! {
        <section class="results team-history" aria-labelledby=labelled_by>
            <h2 id=heading>"Team history"</h2>
            <TeamFilters />
            {move || team.problem().map(|p| view! {
                <p class="notice notice--error" role="alert">{p.to_string()}</p>
            })}
            <p class="muted" hidden=move || note().is_empty()>{note}</p>
            <div class="jobs-frame" hidden=move || team.count().unwrap_or(0) == 0>
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
                        <For each=move || team.jobs() key=|job| job.row_key() children=|job| view! { <TeamRow job /> } />
                    </tbody>
                </table>
            </div>
            <p class="list-more" hidden=move || !team.has_more()>
                <button type="button" class="button" disabled=move || team.loading() on:click=move |_| team.show_more()>
                    "Show more"
                </button>
            </p>
        </section>
    }
}
