use super::{unique_id, Jobs};
use leptos::prelude::*;

/// The in-page confirmation for actions that cannot be undone (stop, send again with a
/// new key, clear all): the domain's sentence, a confirming button named for the action,
/// and Cancel, which has the focus. Escape cancels.
#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = cancel_ref.get() {
            let _ = button.focus();
        }
    });
    let title = unique_id("confirm-title");
    let text = unique_id("confirm-text");

    move || {
        let c = jobs.confirm.get()?;
        let (sentence, confirm_label) = jobs.question(&c);
        let (title_id, text_id) = (title.clone(), text.clone());
        let (labelled_by, described_by) = (title.clone(), text.clone());
        Some(view! {
            <div class="confirm-backdrop">
                <div
                    class="confirm-dialog"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby=labelled_by
                    aria-describedby=described_by
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            jobs.confirmed(false);
                        }
                    }
                >
                    <h3 id=title_id>"Please confirm"</h3>
                    <p id=text_id>{sentence}</p>
                    <div class="job-buttons">
                        <button type="button" class="button button--primary" data-action="confirm" on:click=move |_| jobs.confirmed(true)>
                            {confirm_label}
                        </button>
                        <button type="button" class="button" data-action="dismiss" node_ref=cancel_ref on:click=move |_| jobs.confirmed(false)>
                            "Cancel"
                        </button>
                    </div>
                </div>
            </div>
        })
    }
}
