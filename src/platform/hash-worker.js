// The app's MD5 on a second thread (see hash_worker.rs), so that a file is hashed while
// the page checks its rows. It runs the app's own WebAssembly module: the page sends
// its wasm-bindgen glue's URL and its compiled module once, and this instance says
// "ready" (the app does not start here: there is no window). The page then sends each
// file as it reads it, { id, chunk } after { id, chunk } (an ArrayBuffer, transferred),
// and { id, end: true } after the last: answered with { id, md5 } or { id, error }.
// { id, cancel: true } means the page stopped reading that file. After an error the
// page has its answer: that file's later chunks are dropped unhashed.
// `self.ready`, `self.hashed` (answers given), `self.chunks` (chunks received) and
// `self.open()` (files begun, neither answered nor cancelled) let tests see what it did.
let app;
const files = new Map(); // id → the app's Md5Hasher of that file so far
const failed = new Set(); // ids answered with an error whose end or cancel is to come
self.ready = false;
self.hashed = 0;
self.chunks = 0;
self.open = () => files.size;

self.onmessage = async ({ data }) => {
  if (data.module) {
    try {
      app = await import(data.glue);
      await app.default({ module_or_path: data.module });
      self.ready = true;
      self.postMessage({ ready: true });
    } catch (e) {
      self.postMessage({ failed: String(e?.message ?? e) });
    }
    return;
  }
  const { id } = data;
  if (failed.has(id)) {
    if (!data.chunk) failed.delete(id);
    return;
  }
  let md5 = files.get(id);
  try {
    if (data.chunk) {
      self.chunks += 1;
      if (!md5) files.set(id, (md5 = new app.Md5Hasher()));
      md5.update(new Uint8Array(data.chunk));
    } else if (data.end) {
      files.delete(id);
      const hex = (md5 ?? new app.Md5Hasher()).finish();
      self.hashed += 1;
      self.postMessage({ id, md5: hex });
    } else if (data.cancel) {
      files.delete(id);
      md5?.free();
    }
  } catch (e) {
    files.delete(id);
    if (data.chunk) {
      failed.add(id);
      md5?.free();
    }
    self.postMessage({ id, error: String(e?.message ?? e) });
  }
};
