use super::unique_id;
use crate::state::Jobs;
use leptos::prelude::*;
use mass_updater_domain::Question;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// What opened the dialog, and the group of job buttons it was in (which outlives the
/// buttons themselves).
type Opener = SendWrapper<(web_sys::HtmlElement, Option<web_sys::Element>)>;

/// The in-page confirmation for actions that cannot be undone (stop, send again with a
/// new key, clear all): the domain's sentence, a confirming button named for the action,
/// and Cancel, which has the focus. Escape cancels; Tab stays inside the dialog; once
/// closed, the focus goes back to what opened it, or to `return_to` when that is gone.
#[component]
pub fn ConfirmDialog(return_to: NodeRef<leptos::html::H2>) -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    let opener = StoredValue::new(None::<Opener>);
    Effect::new(move |_| {
        if let Some(button) = cancel_ref.get() {
            // Nothing has moved the focus yet: it is still on what opened the dialog.
            opener.set_value(focused_opener());
            let _ = button.focus();
        }
    });
    Effect::new(move |was_open: Option<bool>| {
        let is_open = jobs.confirm().is_some();
        if was_open == Some(true) && !is_open {
            let opener = opener.try_update_value(Option::take).flatten();
            // After the answer has re-rendered what it changes (a confirmed Stop
            // replaces the job's buttons), so the focus lands on what is there.
            request_animation_frame(move || focus_back(opener, return_to));
        }
        is_open
    });
    let title = unique_id("confirm-title");
    let text = unique_id("confirm-text");

    move || {
        let c = jobs.confirm()?;
        let Question {
            sentence,
            confirm: confirm_label,
        } = jobs.question(&c)?;
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
                    on:keydown=move |ev| match ev.key().as_str() {
                        "Escape" => jobs.confirmed(false),
                        "Tab" => keep_tab_inside(&ev),
                        _ => {}
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

/// The element that has the focus now, and the group of job buttons it is in.
fn focused_opener() -> Option<Opener> {
    let active = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())?;
    let group = active.closest(".job-buttons").ok().flatten();
    Some(SendWrapper::new((active, group)))
}

/// Gives the focus back to what opened the dialog; when its button is gone, to the
/// first of the buttons that replaced it; otherwise to `return_to`.
fn focus_back(opener: Option<Opener>, return_to: NodeRef<leptos::html::H2>) {
    let target = opener.and_then(|o| {
        let (element, group) = o.take();
        if element.is_connected() {
            return Some(element);
        }
        group
            .filter(|g| g.is_connected())
            .and_then(|g| g.query_selector("button").ok().flatten())
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    });
    match target {
        Some(element) => {
            let _ = element.focus();
        }
        None => {
            if let Some(heading) = return_to.try_get_untracked().flatten() {
                let _ = heading.focus();
            }
        }
    }
}

/// A modal dialog keeps the focus: Tab from its last button goes to its first, and
/// Shift+Tab from its first to its last.
fn keep_tab_inside(ev: &web_sys::KeyboardEvent) {
    let Some(dialog) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(buttons) = dialog.query_selector_all("button:not([disabled])") else {
        return;
    };
    let at = |i: u32| {
        buttons
            .get(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let (Some(first), Some(last)) = (at(0), at(buttons.length().saturating_sub(1))) else {
        return;
    };
    let active = document().active_element();
    let (from, to) = if ev.shift_key() {
        (first, last)
    } else {
        (last, first)
    };
    let leaving = active.as_ref().is_none_or(|a| {
        let a: &web_sys::Element = a;
        a == from.unchecked_ref::<web_sys::Element>() || !dialog.contains(Some(a))
    });
    if leaving {
        ev.prevent_default();
        let _ = to.focus();
    }
}
