//! Reading a `File` (or any `Blob`) in fixed-size chunks with `Blob.slice`, so a large
//! file is never held whole in memory and each chunk is handed over as it arrives.

use super::browser::{describe, sleep};
use js_sys::{ArrayBuffer, Uint8Array};
use mass_updater_domain::preflight::ZipPacker;
use mass_updater_domain::BrowserError;
use std::ops::ControlFlow;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The read size for checking and hashing a file (a drop, `md5File`). Each read of a
/// `Blob` has a cost beyond its bytes, and the page's thread takes each read's data in
/// between its checks, so few large reads beat many small ones (docs/performance.md,
/// "Choices in the code"). A file within Zuora's 4 MB limit is read at once. Memory
/// stays flat: two chunks at most, one being checked and the next being read.
pub const CHUNK_BYTES: u64 = 4 * 1024 * 1024;

/// The read size where each chunk is deflated on this thread (Compress, `zipCsv`, a
/// split's parts): small enough that deflating one chunk keeps the page responsive,
/// where a chunk of [`CHUNK_BYTES`] would block it (docs/performance.md).
pub const PACK_CHUNK_BYTES: u64 = 1024 * 1024;

/// Calls `each` with consecutive chunks of `blob` until the end or until it says `Break`.
/// The next chunk is asked for before `each` sees the current one, so the browser
/// reads it while this one is hashed and checked. Errors are the browser's own
/// description of why the read failed.
pub async fn read_in_chunks(
    blob: &web_sys::Blob,
    chunk_bytes: u64,
    mut each: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> Result<(), BrowserError> {
    read_and_pass_on(blob, chunk_bytes, &mut each, &mut release).await
}

/// [`read_in_chunks`] for bytes already in memory: `each` gets them in chunks of
/// `chunk_bytes`, and the page gets a turn between chunks as it does between reads.
pub async fn pass_in_chunks(
    bytes: &[u8],
    chunk_bytes: u64,
    mut each: impl FnMut(&[u8]) -> ControlFlow<()>,
) {
    let size = usize::try_from(chunk_bytes).unwrap_or(usize::MAX).max(1);
    for (i, chunk) in bytes.chunks(size).enumerate() {
        if i > 0 {
            sleep(0).await;
        }
        if each(chunk).is_break() {
            return;
        }
    }
}

/// The reading loop over copies: each chunk's `ArrayBuffer`, once copied for `each`,
/// goes to `pass_on` before `each` runs; `pass_on` must take the buffer (transfer it)
/// or [`release`] it. Not generic: the one reading loop serves every caller.
pub(super) async fn read_and_pass_on(
    blob: &web_sys::Blob,
    chunk_bytes: u64,
    each: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    pass_on: &mut dyn FnMut(&ArrayBuffer),
) -> Result<(), BrowserError> {
    let mut buffer = Vec::new();
    read_buffers(blob, chunk_bytes, &mut |array| {
        let bytes = Uint8Array::new(&array);
        let len = bytes.length() as usize;
        // Copied into spare capacity: no zero-filling of a megabyte first.
        buffer.clear();
        buffer.reserve(len);
        let chunk = bytes.copy_to_uninit(&mut buffer.spare_capacity_mut()[..len]);
        pass_on(&array);
        each(chunk)
    })
    .await
}

/// The reading loop itself: `each` gets consecutive chunks of `blob` as the browser
/// gives them (an `ArrayBuffer` each, one read ahead), until the end or `Break`.
pub(super) async fn read_buffers(
    blob: &web_sys::Blob,
    chunk_bytes: u64,
    each: &mut dyn FnMut(ArrayBuffer) -> ControlFlow<()>,
) -> Result<(), BrowserError> {
    let size = blob.size();
    let step = chunk_bytes.max(1) as f64;
    // The read of [start, start + step), as a promise of its ArrayBuffer.
    let ask = |start: f64| -> Result<Option<(f64, js_sys::Promise)>, BrowserError> {
        if start >= size {
            return Ok(None);
        }
        let end = (start + step).min(size);
        let piece = blob.slice_with_f64_and_f64(start, end).map_err(describe)?;
        Ok(Some((end, piece.array_buffer())))
    };
    let mut pending = ask(0.0)?;
    while let Some((end, promise)) = pending.take() {
        let array: ArrayBuffer = JsFuture::from(promise)
            .await
            .map_err(describe)?
            .unchecked_into();
        pending = ask(end)?;
        let empty = array.byte_length() == 0;
        if each(array).is_break() {
            return Ok(());
        }
        if empty {
            // The file shrank under us; the caller sees the short count.
            break;
        }
    }
    Ok(())
}

/// Compresses `blob` into a one-entry ZIP named `entry_name`, reading it with
/// [`read_in_chunks`] in [`PACK_CHUNK_BYTES`] and feeding a [`ZipPacker`]: the app's
/// compress path (the UI's Compress and `zipCsv` both run it). `each` sees the packer
/// after every chunk and may stop early. Gives the packer (to `finish`, or to ask how
/// far it got) and how the read went.
pub async fn zip_in_chunks(
    blob: &web_sys::Blob,
    entry_name: &str,
    mut each: impl FnMut(&ZipPacker) -> ControlFlow<()>,
) -> (ZipPacker, Result<(), BrowserError>) {
    let mut packer = ZipPacker::new(entry_name);
    let read = read_in_chunks(blob, PACK_CHUNK_BYTES, |chunk| {
        packer.feed(chunk);
        each(&packer)
    })
    .await;
    (packer, read)
}

/// Gives a chunk's `ArrayBuffer` back at once (`transfer(0)` detaches it and frees its
/// bytes) instead of leaving it to the garbage collector, which lets a large file's
/// chunks pile up (tens of MiB) before collecting. Where `transfer` is missing, the
/// collector does it as before.
pub fn release(array: &ArrayBuffer) {
    let transfer = js_sys::Reflect::get(array, &"transfer".into());
    if let Ok(transfer) = transfer.and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = transfer.call1(array, &0.into());
    }
}

/// The whole of `blob` in memory; only for files already known to be small (a file
/// within the upload limit).
pub async fn read_all(blob: &web_sys::Blob) -> Result<Vec<u8>, BrowserError> {
    let array = JsFuture::from(blob.array_buffer())
        .await
        .map_err(describe)?;
    Ok(Uint8Array::new(&array).to_vec())
}
