use crate::state::Workbench;
use leptos::prelude::*;
use mass_updater_domain::wording::repair::editor_label;

/// An "Edit" button beside a flagged cell that opens a small labelled field: Enter
/// writes the value into the repaired file (the file is checked again at once),
/// Escape closes it unchanged.
#[component]
pub fn CellEditor(row: u64, column: usize, column_name: String, value: String) -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let open = RwSignal::new(false);
    let label = editor_label(row, &column_name);
    let button = NodeRef::<leptos::html::Button>::new();
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let on_key = move |e: leptos::ev::KeyboardEvent| match e.key().as_str() {
        "Enter" => {
            e.prevent_default();
            let typed = event_target_value(&e);
            open.set(false);
            workbench.edit_cell(row, column, &typed);
        }
        "Escape" => {
            e.prevent_default();
            close();
        }
        _ => {}
    };
    let field = {
        let label = label.clone();
        move || {
            open.get().then(|| {
                view! {
                    <input
                        type="text"
                        class="cell-editor__field"
                        aria-label=label.clone()
                        value=value.clone()
                        autofocus=true
                        spellcheck="false"
                        on:keydown=on_key
                    />
                }
            })
        }
    };
    view! {
        <span class="cell-editor">
            <button
                type="button"
                class="link-button"
                node_ref=button
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Edit"
                <span class="visually-hidden">{format!(" {label}")}</span>
            </button>
            {field}
        </span>
    }
}
