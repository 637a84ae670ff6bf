//! Web Locks (`navigator.locks`): named locks shared by every tab of the app's origin,
//! released by the browser when the tab holding one closes or reloads. The job list
//! holds one per job it is sending or following, and waits for the locks of the jobs
//! other tabs hold (see `state/jobs/tabs.rs`).

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind its unstable-API flag).
    type LockManager;

    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, options: &Object, callback: &JsValue) -> Promise;
}

/// A lock this tab holds; the browser gives it to the next in line once this is dropped.
pub struct Held(Function);

impl Drop for Held {
    fn drop(&mut self) {
        // Settles the promise the lock's callback returned, which releases the lock.
        let _ = self.0.call0(&JsValue::UNDEFINED);
    }
}

/// A request in line for a lock.
pub struct Pending(JsFuture);

impl Pending {
    /// The lock, once this tab's turn comes; `None` if the request was aborted (the app
    /// was unmounted) or failed.
    pub async fn granted(self) -> Option<Held> {
        let release = self.0.await.ok()?;
        release.dyn_into::<Function>().ok().map(Held)
    }
}

fn manager() -> Option<LockManager> {
    let navigator = Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// Asks for the exclusive lock `name`. The request joins the line at once, before
/// anything the caller does next, and leaves it when `signal` aborts. `None` where the
/// browser has no Web Locks (an insecure context, an old browser).
pub fn request(name: &str, signal: Option<&AbortSignal>) -> Option<Pending> {
    let manager = manager()?;
    let (mut grant, mut refuse) = (None, None);
    let granted = Promise::new(&mut |resolve, reject| {
        grant = Some(resolve);
        refuse = Some(reject);
    });
    let (grant, refuse) = (grant?, refuse?);
    let callback = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        // Held until the promise returned here settles: its resolver goes to Rust.
        let mut release = None;
        let hold = Promise::new(&mut |resolve, _| release = Some(resolve));
        if let Some(release) = release {
            let _ = grant.call1(&JsValue::UNDEFINED, &release);
        }
        hold
    });
    let options = Object::new();
    if let Some(signal) = signal {
        let _ = Reflect::set(&options, &JsValue::from_str("signal"), signal);
    }
    let asked = manager.request(name, &options, &callback);
    // An aborted or refused request rejects: the wait ends with nothing.
    let then = Reflect::get(&asked, &JsValue::from_str("then")).ok()?;
    let then: Function = then.dyn_into().ok()?;
    let _ = then.call2(&asked, &JsValue::UNDEFINED, &refuse);
    Some(Pending(JsFuture::from(granted)))
}
