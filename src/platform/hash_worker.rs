//! MD5 on a second thread, so that a dropped file is hashed while this thread checks its
//! rows: the two halves of "drop to verdict" run side by side instead of one after the
//! other.
//!
//! The worker (`hash-worker.js`, a module worker) runs this same WebAssembly module: it
//! is sent the wasm-bindgen glue's URL and the already compiled `WebAssembly.Module`,
//! instantiates it (the app does not start there: there is no window) and says it is
//! ready. No second bundle is needed. The page reads a file once: each chunk, once
//! copied for the page's checks, is transferred (not copied) to the worker, which
//! hashes it with the app's own [`Md5Stream`] while the page checks the same bytes.
//!
//! Everything here degrades to hashing on the page: a browser or a Content-Security-
//! Policy that refuses the worker, a worker that is not ready yet, or one that fails
//! (the caller then hashes the file itself, see [`Hashing::answer`]).

use super::browser::describe;
use super::file_reader::release;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use mass_updater_domain::wording::page;
use mass_updater_domain::{BrowserError, Checksum, Md5Stream, WorkerFailure, WorkerMessage};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

#[wasm_bindgen]
extern "C" {
    /// The URL of the wasm-bindgen glue this module was loaded with.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
    static WORKER: RefCell<Option<Rc<Shared>>> = const { RefCell::new(None) };
}

/// Where the worker is: only a `Ready` one is asked to hash, and one given up stays so.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Starting,
    Ready,
    GivenUp,
}

/// The page's side of the worker.
struct Shared {
    worker: Worker,
    state: Cell<State>,
    next_id: Cell<u32>,
    /// The `resolve` of each request still unanswered, by id.
    waiting: RefCell<HashMap<u32, Function>>,
}

impl Shared {
    /// The worker is of no further use: every request still waiting is answered with
    /// `why`, and later files are hashed on the page.
    fn give_up(&self, why: WorkerFailure) {
        if self.state.replace(State::GivenUp) == State::GivenUp {
            return;
        }
        self.worker.terminate();
        warn(&why);
        let answer = Object::new();
        let _ = Reflect::set(&answer, &"error".into(), &why.to_string().into());
        for (_, resolve) in self.waiting.borrow_mut().drain() {
            let _ = resolve.call1(&JsValue::NULL, &answer);
        }
    }

    /// Takes one message from the worker: it is ready, it could not start, or it
    /// answers a request.
    fn on_message(&self, data: JsValue) {
        let field = |key: &str| {
            Reflect::get(&data, &key.into())
                .ok()
                .filter(|v| !v.is_undefined())
        };
        if field("ready").is_some() {
            if self.state.get() == State::Starting {
                self.state.set(State::Ready);
            }
        } else if let Some(why) = field("failed") {
            let detail = why.as_string().unwrap_or_default();
            self.give_up(WorkerFailure::CannotStart { detail });
        } else if let Some(id) = field("id").and_then(|id| id.as_f64()) {
            let resolve = self.waiting.borrow_mut().remove(&(id as u32));
            if let Some(resolve) = resolve {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        }
    }
}

/// Starts the worker, once per page; later calls do nothing. Call it when the page is
/// idle: the worker instantiates the module on its own thread, and files handed over
/// before it is ready are hashed on the page.
pub fn start() {
    if STARTED.replace(true) {
        return;
    }
    let glue = GLUE_URL.with(String::clone);
    let worker = match spawn(&glue) {
        Ok(worker) => worker,
        Err(why) => return warn(&why),
    };
    let shared = Rc::new(Shared {
        worker,
        state: Cell::new(State::Starting),
        next_id: Cell::new(0),
        waiting: RefCell::new(HashMap::new()),
    });
    listen(&shared);
    let hello = Object::new();
    let _ = Reflect::set(&hello, &"glue".into(), &glue.into());
    let _ = Reflect::set(&hello, &"module".into(), &wasm_bindgen::module());
    if let Err(e) = shared.worker.post_message(&hello) {
        return shared.give_up(WorkerFailure::NotSent {
            what: WorkerMessage::App,
            detail: describe(e).detail,
        });
    }
    WORKER.with_borrow_mut(|w| *w = Some(shared));
}

/// The worker, started from `hash-worker.js` next to the glue at `glue`.
fn spawn(glue: &str) -> Result<Worker, WorkerFailure> {
    let url = worker_url(glue).ok_or(WorkerFailure::NoAddress)?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    // Throws for a script on another origin (an app embedded from elsewhere).
    Worker::new_with_options(&url, &options).map_err(|e| WorkerFailure::CannotStart {
        detail: describe(e).detail,
    })
}

/// Hears the worker's messages and errors for as long as the page lives.
fn listen(shared: &Rc<Shared>) {
    let on_message = {
        let shared = Rc::clone(shared);
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            shared.on_message(event.data());
        })
    };
    let on_error = {
        let shared = Rc::clone(shared);
        Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            shared.give_up(WorkerFailure::Stopped);
        })
    };
    let worker = &shared.worker;
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    // The handlers live as long as the page, like the worker.
    on_message.forget();
    on_error.forget();
}

/// Says on the console why files are hashed on the page (once: the worker is started
/// once per page and given up at most once).
fn warn(why: &WorkerFailure) {
    web_sys::console::warn_1(&page::hashed_on_page(why).into());
}

/// `hash-worker.js`, which the build copies next to the glue (index.html), asked for
/// with the glue's name so that a cached copy never outlives the build it belongs to.
fn worker_url(glue: &str) -> Option<String> {
    let build = glue.rsplit('/').next().unwrap_or_default();
    let url = web_sys::Url::new_with_base("hash-worker.js", glue).ok()?;
    url.search_params().set("build", build);
    Some(url.href())
}

/// The worker's side of one file's MD5, for hash-worker.js: fed the chunks the page
/// sends, in order. Internal to the app, not part of its API for hosts.
#[wasm_bindgen(js_name = Md5Hasher)]
#[derive(Default)]
pub struct WorkerMd5(Md5Stream);

#[wasm_bindgen(js_class = Md5Hasher)]
impl WorkerMd5 {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WorkerMd5 {
        WorkerMd5::default()
    }

    pub fn update(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    /// The MD5 as 32 lowercase hex characters.
    pub fn finish(self) -> String {
        self.0.finish().to_string()
    }
}

/// A file being hashed by the worker: the page reads it once and sends each chunk on
/// as it reads it ([`Hashing::send`]); the worker's answer comes after the last one.
/// Dropped unfinished (the read stopped), it tells the worker to forget the file.
pub struct Hashing {
    shared: Rc<Shared>,
    id: u32,
    answer: JsFuture,
    /// Why a chunk could not be sent, if one could not: the answer is then this error.
    failed: Option<WorkerFailure>,
    ended: bool,
}

/// Starts hashing a file in the worker. `None` when there is no worker ready: hash on
/// the page instead.
pub fn begin() -> Option<Hashing> {
    let shared = WORKER.with_borrow(|w| w.clone())?;
    if shared.state.get() != State::Ready {
        return None;
    }
    let id = shared.next_id.get();
    shared.next_id.set(id.wrapping_add(1));
    let mut resolver = None;
    let promise = Promise::new(&mut |resolve, _| resolver = Some(resolve));
    shared.waiting.borrow_mut().insert(id, resolver?);
    Some(Hashing {
        shared,
        id,
        answer: JsFuture::from(promise),
        failed: None,
        ended: false,
    })
}

impl Hashing {
    fn post(
        &self,
        field: &str,
        value: &JsValue,
        transfer: Option<&ArrayBuffer>,
    ) -> Result<(), BrowserError> {
        let message = Object::new();
        let _ = Reflect::set(&message, &"id".into(), &self.id.into());
        let _ = Reflect::set(&message, &field.into(), value);
        match transfer {
            Some(buffer) => self
                .shared
                .worker
                .post_message_with_transfer(&message, &Array::of1(buffer)),
            None => self.shared.worker.post_message(&message),
        }
        .map_err(describe)
    }

    /// Sends the file's next chunk. Its buffer is transferred, not copied: the page no
    /// longer holds it. A chunk that cannot be sent is let go, and the answer will say
    /// why.
    pub fn send(&mut self, chunk: &ArrayBuffer) {
        if self.failed.is_some() || self.shared.state.get() != State::Ready {
            return release(chunk);
        }
        if let Err(why) = self.post("chunk", chunk, Some(chunk)) {
            self.failed = Some(WorkerFailure::NotSent {
                what: WorkerMessage::Chunk,
                detail: why.detail,
            });
            release(chunk);
        }
    }

    /// Sends bytes of this thread's memory as the file's next chunk (a copy: a file
    /// the page is making, hashed while it is made).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.send(&Uint8Array::from(bytes).buffer());
        }
    }

    /// The worker's MD5 of every chunk sent, or why there is none (a chunk could not be
    /// sent, or the worker failed); either way the caller may hash the file itself.
    pub async fn answer(mut self) -> Result<Checksum, WorkerFailure> {
        // On these two errors `self` is dropped unended, which tells the worker to
        // forget the chunks it has.
        if let Some(why) = self.failed.take() {
            return Err(why);
        }
        if let Err(why) = self.post("end", &JsValue::TRUE, None) {
            return Err(WorkerFailure::NotSent {
                what: WorkerMessage::End,
                detail: why.detail,
            });
        }
        self.ended = true;
        let data = (&mut self.answer)
            .await
            .map_err(|e| WorkerFailure::Failed {
                detail: describe(e).detail,
            })?;
        let field = |key: &str| {
            Reflect::get(&data, &key.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        match (field("md5"), field("error")) {
            (Some(md5), _) => Checksum::parse(&md5).ok_or(WorkerFailure::BadAnswer { answer: md5 }),
            (None, Some(detail)) => Err(WorkerFailure::Failed { detail }),
            (None, None) => Err(WorkerFailure::NoAnswer),
        }
    }
}

impl Drop for Hashing {
    fn drop(&mut self) {
        if !self.ended {
            self.shared.waiting.borrow_mut().remove(&self.id);
            let _ = self.post("cancel", &JsValue::TRUE, None);
        }
    }
}
