//! Browser tests: components mounted into a fresh element in headless Chromium, real
//! `File`s, real DOM events.

use leptos::prelude::*;
use mass_updater::platform::file_reader::{read_in_chunks, CHUNK_BYTES};
use mass_updater::ui::DropZone;
use mass_updater::{App, Config};
use mass_updater_domain::checksum::md5_of;
use mass_updater_domain::Md5Stream;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn fresh_container() -> web_sys::HtmlElement {
    let el: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn file(name: &str, bytes: &[u8]) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::FilePropertyBag::new();
    // A misleading MIME type, as Windows gives: the app must not care.
    options.set_type("application/vnd.ms-excel");
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).unwrap()
}

fn transfer_of(f: &web_sys::File) -> web_sys::DataTransfer {
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(f).unwrap();
    transfer
}

/// Lets pending promises, effects and timers run.
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

async fn wait_for_text(root: &web_sys::Element, needle: &str) -> String {
    for _ in 0..200 {
        let text = root.text_content().unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        pause(10).await;
    }
    panic!(
        "timed out waiting for {needle:?}; page says: {}",
        root.text_content().unwrap_or_default()
    );
}

fn mount_drop_zone() -> (web_sys::HtmlElement, Arc<Mutex<Vec<String>>>) {
    let container = fresh_container();
    let received = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = received.clone();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let on_files = Callback::new(move |files: Vec<web_sys::File>| {
            sink.lock().unwrap().extend(files.iter().map(|f| f.name()))
        });
        view! { <DropZone on_files /> }
    });
    handle.forget();
    (container, received)
}

#[wasm_bindgen_test]
async fn dropping_a_file_hands_it_over() {
    let (container, received) = mount_drop_zone();
    let zone = container.query_selector(".drop-zone").unwrap().unwrap();

    let init = web_sys::DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer_of(&file("rates.csv", b"a,b\n1,2\n"))));
    let enter = web_sys::DragEvent::new_with_event_init_dict("dragenter", &init).unwrap();
    zone.dispatch_event(&enter).unwrap();
    pause(0).await;
    assert!(
        zone.class_list().contains("drop-zone--over"),
        "highlight while dragging"
    );

    let drop = web_sys::DragEvent::new_with_event_init_dict("drop", &init).unwrap();
    let not_cancelled = zone.dispatch_event(&drop).unwrap();
    pause(0).await;

    assert!(
        !not_cancelled,
        "the drop's default (opening the file) must be prevented"
    );
    assert_eq!(*received.lock().unwrap(), vec!["rates.csv".to_owned()]);
    assert!(
        !zone.class_list().contains("drop-zone--over"),
        "highlight ends on drop"
    );
}

#[wasm_bindgen_test]
async fn pasting_a_file_hands_it_over() {
    let (_container, received) = mount_drop_zone();
    let init = web_sys::ClipboardEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_clipboard_data(Some(&transfer_of(&file("pasted.zip", b"PK\x03\x04"))));
    let paste = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap();
    document().body().unwrap().dispatch_event(&paste).unwrap();
    pause(0).await;
    assert_eq!(*received.lock().unwrap(), vec!["pasted.zip".to_owned()]);
}

#[wasm_bindgen_test]
async fn choose_file_is_a_real_button_wired_to_a_real_file_input() {
    let (container, received) = mount_drop_zone();
    let button: web_sys::HtmlButtonElement = container
        .query_selector("button")
        .unwrap()
        .expect("a <button> to choose a file")
        .unchecked_into();
    assert_eq!(button.type_(), "button");
    assert_eq!(
        button.text_content().unwrap_or_default().trim(),
        "Choose file"
    );

    let input: web_sys::HtmlInputElement = container
        .query_selector("input[type=file]")
        .unwrap()
        .expect("an <input type=file>")
        .unchecked_into();
    assert_eq!(input.accept(), ".csv,.zip");

    // The button opens the input's picker (in the browser, a click on the input).
    let clicks = Arc::new(Mutex::new(0));
    let counter = clicks.clone();
    let on_click = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        move |e: web_sys::Event| {
            e.prevent_default(); // no real dialog in a headless test
            *counter.lock().unwrap() += 1;
        },
    );
    input
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
        .unwrap();
    on_click.forget();
    button.click();
    assert_eq!(*clicks.lock().unwrap(), 1);

    // What the picker does when the user chooses a file.
    input.set_files(Some(
        &transfer_of(&file("Picked.CSV", b"x\n")).files().unwrap(),
    ));
    let change = web_sys::Event::new_with_event_init_dict("change", &{
        let i = web_sys::EventInit::new();
        i.set_bubbles(true);
        i
    })
    .unwrap();
    input.dispatch_event(&change).unwrap();
    pause(0).await;
    assert_eq!(*received.lock().unwrap(), vec!["Picked.CSV".to_owned()]);
    assert_eq!(
        input.value(),
        "",
        "cleared so the same file can be chosen again"
    );
}

async fn md5_by_chunks(f: &web_sys::File, chunk: u64) -> (String, usize) {
    let mut md5 = Md5Stream::new();
    let mut chunks = 0;
    read_in_chunks(f, chunk, |bytes| {
        md5.update(bytes);
        chunks += 1;
        ControlFlow::Continue(())
    })
    .await
    .unwrap();
    (md5.finish().to_string(), chunks)
}

#[wasm_bindgen_test]
async fn hashing_a_real_file_in_chunks_gives_the_known_md5() {
    let f = file("fox.csv", b"The quick brown fox jumps over the lazy dog");
    let (digest, chunks) = md5_by_chunks(&f, 7).await;
    assert_eq!(digest, "9e107d9d372bb6826bd81d3542a419d6");
    assert_eq!(chunks, 7, "43 bytes in 7-byte slices");
}

#[wasm_bindgen_test]
async fn hashing_a_multi_chunk_file_matches_hashing_it_whole() {
    let data: Vec<u8> = (0..(CHUNK_BYTES as usize * 2 + 12345))
        .map(|i| (i * 31 % 251) as u8)
        .collect();
    let f = file("big.csv", &data);
    let (digest, chunks) = md5_by_chunks(&f, CHUNK_BYTES).await;
    assert_eq!(chunks, 3);
    assert_eq!(digest, md5_of(&data).to_string());
}

fn mount_app(config: Config) -> web_sys::HtmlElement {
    let container = fresh_container();
    leptos::mount::mount_to(container.clone(), move || view! { <App config /> }).forget();
    container
}

async fn drop_on(container: &web_sys::HtmlElement, f: &web_sys::File) {
    let zone = container.query_selector(".drop-zone").unwrap().unwrap();
    let init = web_sys::DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer_of(f)));
    zone.dispatch_event(&web_sys::DragEvent::new_with_event_init_dict("drop", &init).unwrap())
        .unwrap();
    pause(0).await;
}

fn submit_button(container: &web_sys::HtmlElement) -> web_sys::HtmlButtonElement {
    container
        .query_selector(".button--primary")
        .unwrap()
        .unwrap()
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn a_dropped_csv_shows_name_exact_size_and_md5_and_enables_submit_once_an_action_is_chosen() {
    let container = mount_app(Config::default());
    let data = b"Revenue Schedule Number\nRS-00000256\n";
    drop_on(&container, &file("delete.csv", data)).await;
    let text = wait_for_text(&container, "Checked").await;
    assert!(text.contains("delete.csv"));
    assert!(text.contains(&format!("{} bytes", data.len())));
    let md5 = container
        .query_selector("[data-fact=md5]")
        .unwrap()
        .unwrap();
    assert_eq!(md5.text_content().unwrap(), md5_of(data).to_string());

    let submit = submit_button(&container);
    assert!(submit.disabled(), "no action type chosen yet");
    assert!(text.contains("Choose an action type"), "{text}");

    let select: web_sys::HtmlSelectElement = container
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let label = container
        .query_selector(&format!("label[for='{}']", select.id()))
        .unwrap()
        .expect("the select has a label");
    assert_eq!(label.text_content().unwrap(), "Action type");
    let values: Vec<String> = (0..select.length())
        .filter_map(|i| select.item(i))
        .map(|o| o.unchecked_into::<web_sys::HtmlOptionElement>().value())
        .filter(|v| !v.is_empty())
        .collect();
    assert_eq!(
        values,
        [
            "UpdateAccountingCode",
            "CreateRevenueSchedule",
            "UpdateRevenueSchedule",
            "DeleteRevenueSchedule",
            "ImportFXRate",
            "MPU"
        ]
    );
    select.set_value("DeleteRevenueSchedule");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    pause(0).await;
    assert!(!submit.disabled());
    assert!(submit.text_content().unwrap().starts_with("Submit"));
}

#[wasm_bindgen_test]
async fn a_txt_file_is_refused_in_one_sentence() {
    let container = mount_app(Config::default());
    drop_on(&container, &file("notes.txt", b"hello")).await;
    let text = wait_for_text(&container, "Refused").await;
    assert!(
        text.contains("“notes.txt” is not a .csv or .zip file."),
        "{text}"
    );
    assert!(submit_button(&container).disabled());
}

#[wasm_bindgen_test]
async fn an_oversized_zip_is_refused_with_both_figures_and_an_oversized_csv_can_be_made_to_fit() {
    let mut config = Config::default();
    let problems = config.apply_text(
        mass_updater::config::Source::Host,
        [("max-file-bytes".to_owned(), "10".to_owned())],
    );
    assert!(problems.is_empty(), "{problems:?}");
    let container = mount_app(config);
    drop_on(&container, &file("big.zip", b"PK\x03\x04 and more")).await;
    let text = wait_for_text(&container, "Refused").await;
    assert!(
        text.contains("“big.zip” is too large: 13 bytes; the limit is 10 bytes."),
        "{text}"
    );

    drop_on(
        &container,
        &file("big.csv", b"Revenue Schedule Number\nRS-1\n"),
    )
    .await;
    let text = wait_for_text(&container, "Compress into a .zip").await;
    assert!(text.contains("Split into several files"), "{text}");
    assert!(
        text.contains("This file is 29 bytes; Zuora takes at most 10 bytes."),
        "{text}"
    );
    assert!(submit_button(&container).disabled());
}

#[wasm_bindgen_test]
async fn an_xlsx_renamed_to_csv_is_refused_for_what_it_is() {
    let container = mount_app(Config::default());
    drop_on(
        &container,
        &file("book.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00"),
    )
    .await;
    let text = wait_for_text(&container, "Refused").await;
    assert!(text.contains("Excel workbook (.xlsx)"), "{text}");
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn a_job_cut_off_by_a_reload_is_shown_as_unknown_with_its_track_id_and_unmounting_ends_its_timers(
) {
    use mass_updater_domain::{
        AcceptedFile, ActionType, FileKind, IdempotencyKey, Job, JobId, Journal, TrackId,
        JOURNAL_STORAGE_KEY,
    };
    let accepted = AcceptedFile {
        name: "fx.csv".into(),
        size: 3,
        kind: FileKind::Csv,
        checksum: md5_of(b"abc"),
    };
    let key = IdempotencyKey::from_random_bytes([7; 16]);
    let track = TrackId::for_submission("mass-updater-", &key);
    let mut job = Job::new(
        JobId::from_random_bytes([8; 16]),
        &accepted,
        ActionType::ImportFxRate,
        key,
        track.clone(),
        1_000,
    );
    job.start_attempt(1_001).unwrap();
    let mut journal = Journal::new();
    journal.upsert(job);
    local_storage()
        .set_item(JOURNAL_STORAGE_KEY, &journal.save())
        .unwrap();

    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), || {
        view! { <App config=Config::default() /> }
    });
    let text = wait_for_text(&container, "Look in Zuora for a mass action with track id").await;
    assert!(text.contains(track.as_str()), "{text}");
    assert!(text.contains("Outcome unknown"), "{text}");
    let saved = local_storage()
        .get_item(JOURNAL_STORAGE_KEY)
        .unwrap()
        .unwrap();
    assert!(
        saved.contains(r#""state":"unknown""#),
        "the recovery is saved: {saved}"
    );

    // Unmounted: the once-a-second clock wakes up to a disposed list and ends quietly.
    drop(handle);
    pause(1_500).await;
    assert!(container.query_selector("tr.job").unwrap().is_none());
    local_storage().remove_item(JOURNAL_STORAGE_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn configuration_sources_follow_their_precedence_and_bad_values_are_reported() {
    use mass_updater::config::{resolve, Source};
    let document = web_sys::window().unwrap().document().unwrap();
    let meta = document.create_element("meta").unwrap();
    meta.set_attribute("name", "mass-updater:max-file-bytes")
        .unwrap();
    meta.set_attribute("content", "5000").unwrap();
    document.head().unwrap().append_child(&meta).unwrap();
    let element = fresh_container();
    element
        .set_attribute("data-track-id-prefix", "from-data-")
        .unwrap();
    element
        .set_attribute("data-upload-concurrency", "9")
        .unwrap();
    let host: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(r#"{"maxFileBytes": 7000, "entityIds": "bad id"}"#).unwrap();

    let (config, problems) = resolve(Some(&element), Some(host)).await;
    meta.remove();
    assert_eq!(config.max_file_bytes.value, 7000, "the host wins");
    assert_eq!(config.max_file_bytes.source, Source::Host);
    assert_eq!(config.track_id_prefix.value, "from-data-");
    assert_eq!(config.track_id_prefix.source, Source::Page);
    assert_eq!(config.upload_concurrency.value, 2, "9 is out of range");
    assert_eq!(
        config.entity_ids.value, None,
        "a bad header value is not used"
    );
    let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["uploadConcurrency", "entityIds"], "{problems:?}");
}

/// Records every `mass-updater:{name}` event reaching `element` as its JSON detail.
fn listen(element: &web_sys::HtmlElement, name: &str) -> Arc<Mutex<Vec<String>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let listener = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::CustomEvent)>::new(
        move |e: web_sys::CustomEvent| {
            let detail = js_sys::JSON::stringify(&e.detail()).unwrap();
            sink.lock().unwrap().push(String::from(detail));
        },
    );
    element
        .add_event_listener_with_callback(
            &format!("mass-updater:{name}"),
            listener.as_ref().unchecked_ref(),
        )
        .unwrap();
    listener.forget();
    seen
}

#[wasm_bindgen_test]
async fn two_mounted_instances_keep_apart_report_to_their_own_element_and_unmount_cleanly() {
    let (a, b) = (fresh_container(), fresh_container());
    let mut app_a = mass_updater::embed::mount(a.clone(), JsValue::UNDEFINED)
        .await
        .unwrap();
    let options =
        js_sys::JSON::parse(r#"{"theme": "dark", "hostOrigin": "https://portal.example.com"}"#)
            .unwrap();
    let _app_b = mass_updater::embed::mount(b.clone(), options)
        .await
        .unwrap();
    let (rejected_a, rejected_b) = (listen(&a, "file-rejected"), listen(&b, "file-rejected"));
    pause(0).await;
    assert!(b.query_selector(".mass-updater--dark").unwrap().is_some());
    assert!(a.query_selector(".mass-updater--dark").unwrap().is_none());

    drop_on(&b, &file("notes.txt", b"hello")).await;
    wait_for_text(&b, "Refused").await;
    assert!(
        rejected_a.lock().unwrap().is_empty(),
        "the other instance heard nothing"
    );
    let events = rejected_b.lock().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert!(
        events[0].contains(r#""fileName":"notes.txt""#),
        "{events:?}"
    );
    assert!(a.text_content().unwrap().contains("No file chosen yet."));

    app_a.unmount();
    pause(0).await;
    assert_eq!(a.inner_html(), "", "the view is gone");
    // Its timers wake up to a disposed instance and end without touching the page.
    pause(1_200).await;
    assert_eq!(a.inner_html(), "");
    assert!(
        b.text_content().unwrap().contains("notes.txt"),
        "the other one lives on"
    );
}

#[wasm_bindgen_test]
async fn mount_refuses_options_that_are_not_an_object() {
    let element = fresh_container();
    let error = mass_updater::embed::mount(element.clone(), JsValue::from_str("dark"))
        .await
        .err()
        .expect("a string is refused");
    let message = js_sys::Error::from(error).message();
    assert!(String::from(message).contains("plain object"));
    assert_eq!(element.inner_html(), "");
}

#[wasm_bindgen_test]
async fn the_live_region_reads_the_last_of_a_burst_once_quiet_and_repeats_a_repeated_message() {
    use mass_updater::state::Announcer;
    use mass_updater::ui::LiveRegion;
    let container = fresh_container();
    let announcer = StoredValue::new(None::<Announcer>);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        let a = Announcer::default();
        provide_context(a);
        announcer.set_value(Some(a));
        view! { <LiveRegion /> }
    });
    let a = announcer.get_value().unwrap();
    let region = container.query_selector("[role=status]").unwrap().unwrap();
    let text = || region.text_content().unwrap_or_default();

    for n in 1..=5 {
        a.say(format!("Status {n}"));
        pause(50).await;
    }
    assert_eq!(text(), "", "nothing is read while messages keep coming");
    pause(400).await;
    assert_eq!(text(), "Status 5", "the latest, once quiet");

    a.say("Status 5");
    pause(400).await;
    let again = text();
    assert_ne!(
        again, "Status 5",
        "a repeat changes the text, so it is read again"
    );
    assert_eq!(again.trim_end_matches('\u{a0}'), "Status 5");
    a.say("Status 5");
    pause(400).await;
    assert_eq!(text(), "Status 5");
}
