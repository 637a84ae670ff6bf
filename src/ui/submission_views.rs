use super::{ResultsTable, TeamHistory};
use crate::state::Team;
use leptos::prelude::*;

/// This browser's submissions and, where a team-mode gateway names the user, a toggle
/// to the team history beside them. Without a gateway this is the job list alone, as
/// it always was. The job list stays mounted while hidden, so it keeps its place.
#[component]
pub fn SubmissionViews() -> impl IntoView {
    let team = expect_context::<Team>();
    let team_mode = move || team.user().is_some();
    let showing_team = move || team.is_open();
    view! {
        <Show when=team_mode>
            <div class="view-switch" role="group" aria-label="Submissions shown">
                <button
                    type="button"
                    class="button"
                    aria-pressed=move || (!showing_team()).to_string()
                    on:click=move |_| team.show(false)
                >
                    "This browser"
                </button>
                <button
                    type="button"
                    class="button"
                    aria-pressed=move || showing_team().to_string()
                    on:click=move |_| team.show(true)
                >
                    "Team history"
                </button>
            </div>
        </Show>
        <div class="view" hidden=showing_team>
            <ResultsTable />
        </div>
        <Show when=showing_team>
            <TeamHistory />
        </Show>
    }
}
