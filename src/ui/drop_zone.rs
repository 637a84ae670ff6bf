use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use mass_updater_domain::wording::page;

/// The files of a `FileList`, in order.
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// The files in a paste event; when there are any, the event is handled here.
pub fn pasted_files(event: &web_sys::ClipboardEvent) -> Vec<web_sys::File> {
    let files = files_of(event.clipboard_data().and_then(|d| d.files()));
    if !files.is_empty() {
        event.prevent_default();
    }
    files
}

/// Where a file comes in: dropped on the region, chosen with a real button (so the
/// keyboard works), or pasted anywhere on the page. When `scoped` (the app is embedded
/// in a host page), pastes on the page are left to the host; the app's root handles
/// pastes inside it.
#[component]
pub fn DropZone(
    on_files: Callback<Vec<web_sys::File>>,
    #[prop(optional)] scoped: bool,
) -> impl IntoView {
    // Drag events fire for every child the pointer crosses; counting enters and leaves
    // keeps the highlight steady instead of flickering.
    let depth = RwSignal::new(0i32);

    let take = move |list: Option<web_sys::FileList>| {
        let files = files_of(list);
        if !files.is_empty() {
            on_files.run(files);
        }
    };

    if !scoped {
        take_pastes_on_the_page(on_files);
    }

    view! {
        <div
            class="drop-zone"
            class=("drop-zone--over", move || depth.get() > 0)
            on:dragenter=move |e| {
                e.prevent_default();
                depth.update(|d| *d += 1);
            }
            on:dragover=move |e| {
                e.prevent_default();
                if let Some(t) = e.data_transfer() {
                    t.set_drop_effect("copy");
                }
            }
            on:dragleave=move |_| depth.update(|d| *d = (*d - 1).max(0))
            on:drop=move |e| {
                e.prevent_default();
                depth.set(0);
                take(e.data_transfer().and_then(|t| t.files()));
            }
        >
            <p class="drop-zone__text">{page::DROP_HERE}</p>
            {choose_file(on_files)}
        </div>
    }
}

/// Files pasted anywhere on the page go to `on_files`, until the app is unmounted.
fn take_pastes_on_the_page(on_files: Callback<Vec<web_sys::File>>) {
    let paste = window_event_listener(ev::paste, move |event| {
        let files = pasted_files(&event);
        if !files.is_empty() {
            on_files.run(files);
        }
    });
    on_cleanup(move || paste.remove());
}

/// A real button that opens the browser's file chooser (so the keyboard works).
fn choose_file(on_files: Callback<Vec<web_sys::File>>) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    view! {
        <button
            type="button"
            class="button"
            on:click=move |_| {
                if let Some(input) = input.get() {
                    input.click();
                }
            }
        >
            "Choose file"
        </button>
        <input
            node_ref=input
            type="file"
            accept=".csv,.zip"
            multiple
            class="visually-hidden"
            tabindex="-1"
            aria-hidden="true"
            on:change=move |e| {
                let target = event_target::<web_sys::HtmlInputElement>(&e);
                let files = files_of(target.files());
                if !files.is_empty() {
                    on_files.run(files);
                }
                // Cleared so that choosing the same file again is noticed.
                target.set_value("");
            }
        />
    }
}
