use crate::state::workbench::Repairing;
use crate::state::Workbench;
use leptos::prelude::*;
use mass_updater_domain::repair::{HeaderProposal, RepairKind, RepairOffer};
use mass_updater_domain::wording::repair::{
    answer_label, confirm_mapping, edits_not_applied, offer_label, proposal, question,
    recoded_list, summary,
};

/// The repairs offered for the file in the form (one "Fix" button per kind and column,
/// a question first where a column reads two ways, header mappings to confirm), and,
/// once something was changed, what the repaired file is, its downloads and undo.
#[component]
pub fn RepairPanel() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    move || {
        workbench.with_repairing(|r| {
            let r = r?;
            let offers = r
                .report
                .as_ref()
                .is_some_and(|report| !report.offers.is_empty() || !report.proposals.is_empty());
            (offers || r.repaired.is_some() || r.problem.is_some()).then(|| panel(workbench, r))
        })
    }
}

fn panel(workbench: Workbench, r: &Repairing) -> impl IntoView {
    let report = r.report.clone();
    let offers = report.as_ref().map(|report| {
        report
            .offers
            .iter()
            .map(|offer| offer_item(workbench, offer.clone()))
            .collect_view()
    });
    let proposals = report.as_ref().map(|report| {
        report
            .proposals
            .iter()
            .map(|p| proposal_item(workbench, p.clone()))
            .collect_view()
    });
    let recoded = report.as_ref().and_then(|report| {
        let encoding = report.offers.iter().find(|o| o.kind == RepairKind::Encoding)?;
        let values = encoding.count;
        let rows = report
            .recoded
            .iter()
            .map(|v| view! { <tr><td>{v.row}</td><td>{v.before.clone()}</td><td>{v.after.clone()}</td></tr> })
            .collect_view();
        Some(view! {
            <p>{recoded_list(values, report.recoded.len())}</p>
            <table class="recoded">
                <thead><tr><th scope="col">"Row"</th><th scope="col">"As read now"</th><th scope="col">"As Windows-1252"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })
    });
    view! {
        <section class="repairs">
            <h3>"Repairs"</h3>
            {r.problem.as_ref().map(|p| view! { <p class="notice notice--error" role="alert">{p.to_string()}</p> })}
            {r.repaired.clone().map(|done| repaired_view(workbench, summary(&done)))}
            {r.repaired.as_ref().and_then(|done| edits_not_applied(&done.edits_not_applied))
                .map(|said| view! { <p class="notice notice--error">{said}</p> })}
            <ul class="repairs__offers">{offers}{proposals}</ul>
            {recoded}
        </section>
    }
}

/// One offer: its Fix button, or its question and one Fix button per answer.
fn offer_item(workbench: Workbench, offer: RepairOffer) -> impl IntoView {
    let kind = offer.kind.code();
    let Some(q) = offer.question.clone() else {
        let label = offer_label(&offer);
        return view! {
            <li class="repair" data-kind=kind>
                <button type="button" class="button" on:click=move |_| workbench.accept_repair(&offer, None)>
                    {label}
                </button>
            </li>
        }
        .into_any();
    };
    let asked = question(&offer, &q);
    let answers = q
        .answers
        .iter()
        .map(|(decision, after)| {
            let (offer, decision) = (offer.clone(), *decision);
            let label = answer_label(&offer, decision, after, &q.value);
            view! {
                <button type="button" class="button" on:click=move |_| workbench.accept_repair(&offer, Some(decision))>
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <li class="repair repair--question" data-kind=offer.kind.code()>
            <p>{asked}</p>
            <p class="repair__answers">{answers}</p>
        </li>
    }
    .into_any()
}

/// A header mapping the user confirms with one click.
fn proposal_item(workbench: Workbench, p: HeaderProposal) -> impl IntoView {
    let (said, label) = (proposal(&p), confirm_mapping(&p));
    view! {
        <li class="repair" data-kind="header">
            <p>{said}</p>
            <button type="button" class="button" on:click=move |_| workbench.map_header(p.column, p.expected)>
                {label}
            </button>
        </li>
    }
}

/// What the repaired file is, with its downloads and undo.
fn repaired_view(workbench: Workbench, said: String) -> impl IntoView {
    view! {
        <p class="repairs__summary" data-repaired="">{said}</p>
        <p class="repairs__actions">
            <button type="button" class="button" on:click=move |_| workbench.download_repaired()>
                "Download the repaired file"
            </button>
            <button type="button" class="button" on:click=move |_| workbench.download_changes()>
                "Download the list of changes"
            </button>
            <button type="button" class="button button--quiet" on:click=move |_| workbench.undo_last_repair()>
                "Undo the last change"
            </button>
            <button type="button" class="button button--quiet" on:click=move |_| workbench.undo_all_repairs()>
                "Undo all changes"
            </button>
        </p>
    }
}
