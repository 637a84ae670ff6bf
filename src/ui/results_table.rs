use super::focus::ListHeading;
use super::{unique_id, ConfirmDialog, JobRow};
use crate::state::{Announcer, Jobs};
use leptos::prelude::*;
use mass_updater_domain::wording::jobs::{show_more, showing, CLEAR_ALL_WAITS, NOTHING_SENT_YET};
use mass_updater_domain::Confirmation;

/// How many rows the list shows at first, and adds per "Show more": a long list is built
/// a page at a time, so it opens quickly and a new count re-lays out few rows. Export
/// and Clear all always cover every job.
const PAGE: usize = 10;

/// Every job this browser remembers, newest first, each followed to its end, with the
/// list's own tools: export and clear.
#[component]
pub fn ResultsTable() -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    let empty = move || jobs.count() == 0;
    let shown = RwSignal::new(PAGE);
    let heading = unique_id("results");
    let labelled_by = heading.clone();
    // Where the focus goes when what had it is gone (a confirmed Clear all, say).
    let heading_ref = NodeRef::<leptos::html::H2>::new();
    provide_context(ListHeading(heading_ref));

    view! {
        <section class="results" aria-labelledby=labelled_by>
            <h2 id=heading node_ref=heading_ref tabindex="-1">"Submissions"</h2>
            {list_notices(jobs)}
            <Show when=move || !empty() fallback=|| view! { <p class="muted">{NOTHING_SENT_YET}</p> }>
                {jobs_toolbar(jobs)}
                {jobs_table(jobs, shown)}
                {more_jobs(jobs, shown, heading_ref)}
            </Show>
            <ConfirmDialog return_to=heading_ref />
        </section>
    }
}

/// Why the saved list could not be read or saved, and jobs another tab shows.
fn list_notices(jobs: Jobs) -> impl IntoView {
    let problem = |p: mass_updater_domain::JournalProblem| {
        view! { <p class="notice notice--error" role="alert">{p.to_string()}</p> }
    };
    view! {
        {move || jobs.load_problem().map(problem)}
        {move || jobs.save_problem().map(problem)}
    }
}

/// Export and Clear all, which always cover the whole list.
fn jobs_toolbar(jobs: Jobs) -> impl IntoView {
    let clear_blocked = move || jobs.any_sending();
    view! {
        <div class="jobs-toolbar" role="toolbar" aria-label="Job list">
            <button type="button" class="button" on:click=move |_| jobs.export_csv()>
                "Export CSV"
            </button>
            <button type="button" class="button" on:click=move |_| jobs.export_json()>
                "Export JSON"
            </button>
            <button
                type="button"
                class="button"
                disabled=clear_blocked
                title=move || clear_blocked().then_some(CLEAR_ALL_WAITS)
                on:click=move |_| jobs.ask(Confirmation::ClearAll)
            >
                "Clear all"
            </button>
        </div>
    }
}

/// The first `shown` jobs, newest first, one row each.
fn jobs_table(jobs: Jobs, shown: RwSignal<usize>) -> impl IntoView {
    let visible = move || jobs.newest(shown.get());
    view! {
        <div class="jobs-frame">
            <table class="results-table jobs-table">
                <colgroup>
                    <col class="col-file" />
                    <col class="col-status" />
                    <col class="col-progress" />
                    <col class="col-times" />
                    <col class="col-keys" />
                    <col class="col-actions" />
                </colgroup>
                <thead>
                    <tr>
                        <th scope="col">"File"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Progress"</th>
                        <th scope="col">"Times"</th>
                        <th scope="col">"Keys"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=visible key=|id| id.clone() children=|id| view! { <JobRow id /> } />
                </tbody>
            </table>
        </div>
    }
}

/// How many jobs are shown, and the buttons that show more or all of them.
fn more_jobs(
    jobs: Jobs,
    shown: RwSignal<usize>,
    heading: NodeRef<leptos::html::H2>,
) -> impl IntoView {
    let announcer = expect_context::<Announcer>();
    let total = move || jobs.count();
    let hidden = move || total().saturating_sub(shown.get());
    let show = move |n: usize| {
        let all = total();
        // Once all are shown, jobs sent later are shown too.
        shown.set(if n >= all { usize::MAX } else { n.max(PAGE) });
        if n >= all {
            // The buttons are gone with nothing left to show: keep the focus in the list.
            if let Some(h) = heading.get_untracked() {
                let _ = h.focus();
            }
        }
        announcer.say(showing(n, all));
    };
    view! {
        <Show when=move || hidden() != 0>
            <p class="list-more">
                <span>{move || showing(shown.get(), total())}</span>
                <button type="button" class="button" on:click=move |_| show(shown.get_untracked() + PAGE)>
                    {move || show_more(hidden().min(PAGE))}
                </button>
                <button type="button" class="button button--quiet" on:click=move |_| show(usize::MAX)>
                    "Show all"
                </button>
            </p>
        </Show>
    }
}
