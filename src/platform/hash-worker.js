// The app's MD5 on a second thread (see hash_worker.rs), so that a file is hashed while
// the page checks its rows. It runs the app's own WebAssembly module: the page sends
// its wasm-bindgen glue's URL and its compiled module once, and this instance says
// "ready" (the app does not start here: there is no window). Each { id, file } is
// then answered with { id, md5 } or { id, error }, computed by the app's md5File.
// `self.ready` and `self.hashed` (answers given) let tests see that the worker did it.
let app;
self.ready = false;
self.hashed = 0;

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
  try {
    const md5 = await app.md5File(data.file);
    self.hashed += 1;
    self.postMessage({ id: data.id, md5 });
  } catch (e) {
    self.postMessage({ id: data.id, error: String(e?.message ?? e) });
  }
};
