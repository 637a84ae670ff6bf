use leptos::ev;
use leptos::html;
use leptos::prelude::*;

/// The file in a paste event, if it carries one; the event is then handled here.
pub fn pasted_file(event: &web_sys::ClipboardEvent) -> Option<web_sys::File> {
    let file = event.clipboard_data()?.files()?.get(0)?;
    event.prevent_default();
    Some(file)
}

/// Where a file comes in: dropped on the region, chosen with a real button (so the
/// keyboard works), or pasted anywhere on the page. When `scoped` (the app is embedded
/// in a host page), pastes on the page are left to the host; the app's root handles
/// pastes inside it.
#[component]
pub fn DropZone(on_file: Callback<web_sys::File>, #[prop(optional)] scoped: bool) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    // Drag events fire for every child the pointer crosses; counting enters and leaves
    // keeps the highlight steady instead of flickering.
    let depth = RwSignal::new(0i32);

    let take_first = move |files: Option<web_sys::FileList>| {
        if let Some(file) = files.and_then(|f| f.get(0)) {
            on_file.run(file);
        }
    };

    if !scoped {
        let paste = window_event_listener(ev::paste, move |event| {
            if let Some(file) = pasted_file(&event) {
                on_file.run(file);
            }
        });
        on_cleanup(move || paste.remove());
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
                take_first(e.data_transfer().and_then(|t| t.files()));
            }
        >
            <p class="drop-zone__text">"Drop a .csv file, or a .zip holding one .csv, here — or paste it."</p>
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
                class="visually-hidden"
                tabindex="-1"
                aria-hidden="true"
                on:change=move |e| {
                    let target = event_target::<web_sys::HtmlInputElement>(&e);
                    take_first(target.files());
                    // Cleared so that choosing the same file again is noticed.
                    target.set_value("");
                }
            />
        </div>
    }
}
