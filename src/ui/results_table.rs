use super::{unique_id, ConfirmDialog, JobRow, Jobs};
use leptos::prelude::*;

/// Every job this browser remembers, newest first, each followed to its end, with the
/// list's own tools: export and clear.
#[component]
pub fn ResultsTable() -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    // Newest first; keyed by id, so a row is built once and updates in place.
    let ids = move || {
        jobs.journal.with(|j| {
            let mut list: Vec<_> = j
                .jobs
                .iter()
                .map(|job| (job.created_ms, job.id.clone()))
                .collect();
            list.sort_by_key(|(created, _)| std::cmp::Reverse(*created));
            list.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    };
    let empty = move || jobs.journal.with(|j| j.jobs.is_empty());
    let heading = unique_id("results");
    let labelled_by = heading.clone();
    let clear_blocked = move || jobs.any_sending();
    // Where the focus goes when what had it is gone (a confirmed Clear all, say).
    let heading_ref = NodeRef::<leptos::html::H2>::new();
    provide_context(ListHeading(heading_ref));

    view! {
        <section class="results" aria-labelledby=labelled_by>
            <h2 id=heading node_ref=heading_ref tabindex="-1">"Submissions"</h2>
            {move || jobs.load_problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
            {move || jobs.save_problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
            <Show when=move || !empty() fallback=|| view! { <p class="muted">"Nothing sent yet."</p> }>
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
                        title=move || clear_blocked().then_some("Available once no file is being sent.")
                        on:click=move |_| jobs.ask(super::jobs::Confirmation::ClearAll)
                    >
                        "Clear all"
                    </button>
                </div>
                <div class="table-scroll">
                    <table class="results-table jobs-table">
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
                            <For each=ids key=|id| id.clone() children=|id| view! { <JobRow id /> } />
                        </tbody>
                    </table>
                </div>
            </Show>
            <ConfirmDialog return_to=heading_ref />
        </section>
    }
}

/// The list's heading, where the focus goes when the row that had it is removed.
#[derive(Clone, Copy)]
pub struct ListHeading(pub NodeRef<leptos::html::H2>);
