//! A file's MD5, computed while it is read: the page reads the file once, in chunks,
//! and hands each chunk both to its own consumer (the checks) and to the hashing worker
//! ([`super::hash_worker`]), which hashes it on its own thread meanwhile. Without a
//! worker, or should it fail, the page hashes the file itself.

use super::file_reader::{read_and_pass_on, read_buffers, read_in_chunks, release, CHUNK_BYTES};
use super::hash_worker::{self, Hashing};
use js_sys::ArrayBuffer;
use mass_updater_domain::{BrowserError, Checksum, Md5Stream};
use std::ops::ControlFlow;

/// Reads `blob` once in chunks of [`CHUNK_BYTES`]: each chunk, once copied for `each`,
/// is also sent to the hashing worker (when `hashing` is given) before `each` runs, so
/// the worker hashes the chunk while `each` checks it. Finish with
/// [`worker_md5_or_rehash`].
pub async fn read_while_hashing(
    blob: &web_sys::Blob,
    mut hashing: Option<&mut Hashing>,
    mut each: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> Result<(), BrowserError> {
    let mut pass_on = |array: &ArrayBuffer| match &mut hashing {
        Some(hashing) => hashing.send(array),
        None => release(array),
    };
    read_and_pass_on(blob, CHUNK_BYTES, &mut each, &mut pass_on).await
}

/// The MD5 of `blob`, the app's way: this thread reads it in chunks and the hashing
/// worker, when one is ready, hashes each chunk meanwhile (two threads, one read).
/// Without a worker, or should it fail, this thread hashes it itself
/// ([`md5_on_page`]).
pub async fn md5_of_file(blob: &web_sys::Blob) -> Result<Checksum, BrowserError> {
    let Some(mut hashing) = hash_worker::begin() else {
        return md5_on_page(blob).await;
    };
    // Nothing on this thread needs the bytes: each chunk goes to the worker uncopied.
    read_buffers(blob, CHUNK_BYTES, &mut |array| {
        hashing.send(&array);
        ControlFlow::Continue(())
    })
    .await?;
    worker_md5_or_rehash(blob, hashing).await
}

/// The worker's MD5 of `blob`, whose chunks it has all been sent; should it have
/// failed, `blob` is read once more and hashed on this thread.
pub async fn worker_md5_or_rehash(
    blob: &web_sys::Blob,
    hashing: Hashing,
) -> Result<Checksum, BrowserError> {
    match hashing.answer().await {
        Ok(checksum) => Ok(checksum),
        Err(_) => md5_on_page(blob).await,
    }
}

/// The MD5 of `blob`, read with [`read_in_chunks`] into an [`Md5Stream`] on this
/// thread: without the hashing worker, or after it failed.
pub async fn md5_on_page(blob: &web_sys::Blob) -> Result<Checksum, BrowserError> {
    let mut md5 = Md5Stream::new();
    read_in_chunks(blob, CHUNK_BYTES, |chunk| {
        md5.update(chunk);
        ControlFlow::Continue(())
    })
    .await?;
    Ok(md5.finish())
}
