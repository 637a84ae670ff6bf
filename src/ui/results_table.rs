use super::focus::ListHeading;
use super::{unique_id, ConfirmDialog, JobRow};
use crate::state::{Announcer, Jobs};
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::wording::jobs::jobs_elsewhere_sentence;
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
    let announcer = expect_context::<Announcer>();
    let empty = move || jobs.order().with(Vec::is_empty);
    let shown = RwSignal::new(PAGE);
    let visible = move || {
        let n = shown.get();
        jobs.order()
            .with(|o| o.iter().take(n).cloned().collect::<Vec<_>>())
    };
    let total = move || jobs.order().with(Vec::len);
    let hidden = move || total().saturating_sub(shown.get());
    let heading = unique_id("results");
    let labelled_by = heading.clone();
    let clear_blocked = move || jobs.any_sending();
    // Where the focus goes when what had it is gone (a confirmed Clear all, say).
    let heading_ref = NodeRef::<leptos::html::H2>::new();
    provide_context(ListHeading(heading_ref));
    let show = move |n: usize| {
        let all = total();
        // Once all are shown, jobs sent later are shown too.
        shown.set(if n >= all { usize::MAX } else { n.max(PAGE) });
        if n >= all {
            // The buttons are gone with nothing left to show: keep the focus in the list.
            if let Some(h) = heading_ref.get_untracked() {
                let _ = h.focus();
            }
            announcer.say(format!(
                "Showing all {} submissions.",
                figures::grouped(all as u64)
            ));
        } else {
            announcer.say(format!(
                "Showing {} of {} submissions.",
                figures::grouped(n as u64),
                figures::grouped(all as u64)
            ));
        }
    };

    view! {
        <section class="results" aria-labelledby=labelled_by>
            <h2 id=heading node_ref=heading_ref tabindex="-1">"Submissions"</h2>
            {move || jobs.load_problem().get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
            {move || jobs.save_problem().get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
            {move || match jobs.elsewhere().get() {
                0 => None,
                n => Some(view! { <p class="notice" role="status">{jobs_elsewhere_sentence(n)}</p> }),
            }}
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
                        on:click=move |_| jobs.ask(Confirmation::ClearAll)
                    >
                        "Clear all"
                    </button>
                </div>
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
                <Show when=move || hidden() != 0>
                    <p class="list-more">
                        <span>
                            "Showing " {move || figures::grouped(shown.get() as u64)} " of "
                            {move || figures::grouped(total() as u64)} " submissions."
                        </span>
                        <button type="button" class="button" on:click=move |_| show(shown.get_untracked() + PAGE)>
                            {move || format!("Show {} more", hidden().min(PAGE))}
                        </button>
                        <button type="button" class="button button--quiet" on:click=move |_| show(usize::MAX)>
                            "Show all"
                        </button>
                    </p>
                </Show>
            </Show>
            <ConfirmDialog return_to=heading_ref />
        </section>
    }
}
