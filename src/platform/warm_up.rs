//! Work done at the page's idle moments so that the first file handed over does not
//! pay for it: starting the hashing worker, running the checks over each action type's
//! template (the browser compiles and optimises the checking code then), and setting
//! aside the memory a file at the size limit takes.

use super::hash_worker;
use leptos::prelude::request_idle_callback;
use mass_updater_domain::ActionType;

/// Starts the warm-up: the hashing worker at the first idle moment (it instantiates on
/// its own thread), then the checks, one action type per idle moment, then `memory`
/// bytes set aside.
pub fn start(memory: usize) {
    request_idle_callback(hash_worker::start);
    warm_up_from(0, memory);
}

/// Runs the checks over each action type's template, from the `next`th on, one per idle
/// moment: about a quarter of a megabyte each, a few milliseconds each. Then, at one
/// more, sets `memory` bytes aside.
fn warm_up_from(next: usize, memory: usize) {
    match ActionType::ALL.get(next) {
        Some(&action) => request_idle_callback(move || {
            // A quarter megabyte per action type gives V8 enough rows to optimise the
            // checking code (docs/performance.md, "Choices in the code").
            let bytes = 256 * 1024;
            mass_updater_domain::preflight::check::warm_up(action, bytes);
            warm_up_from(next + 1, memory);
        }),
        None => request_idle_callback(move || set_memory_aside(memory)),
    }
}

/// Grows the module's memory by `bytes` and writes to every page of it once, then gives
/// it back to the allocator, which hands it out again to what comes next. WebAssembly
/// memory never shrinks, so the first file would take this memory anyway; taking it at
/// an idle moment spares that file the growing and the first writes, which shows in its
/// time to the verdict (docs/performance.md). Without the memory, nothing happens: the
/// file will grow it as before.
fn set_memory_aside(bytes: usize) {
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_ok() {
        // One write per page of the system's memory (4 KiB) is enough for it to back the
        // page; writing every byte takes far longer.
        for page in block.spare_capacity_mut().chunks_mut(4096) {
            page[0].write(1);
        }
        std::hint::black_box(block.spare_capacity_mut());
    }
}
