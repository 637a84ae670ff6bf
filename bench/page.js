// Runs in the page before the app (Playwright's addInitScript), on every load. It only
// observes; the comparison libraries (hash-wasm, spark-md5) are added later, by run.mjs,
// and only for the MD5 section.
(() => {
  const bench = (window.__bench = {
    longtasks: [],
    wasm: null,
    appStartedAt: null,
    firstRenderAt: null,
    files: {},
  });

  // Every main-thread task over 50 ms (the browser reports nothing shorter).
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no longtask support: reported as "n/a" */ }

  // Trunk fires this once the wasm module is instantiated and the app mounted; its detail
  // carries the raw wasm exports, among them the linear memory.
  addEventListener('TrunkApplicationStarted', (e) => {
    bench.wasm = e.detail?.wasm ?? null;
    bench.appStartedAt = performance.now();
  });

  // First render: the moment the app's drop zone is in the document.
  const seen = () => {
    if (bench.firstRenderAt === null && document.querySelector('.drop-zone')) {
      bench.firstRenderAt = performance.now();
      return true;
    }
    return false;
  };
  const mo = new MutationObserver(() => { if (seen()) mo.disconnect(); });
  mo.observe(document, { subtree: true, childList: true });

  bench.wasmMemoryBytes = () =>
    bench.wasm?.memory?.buffer?.byteLength ?? window.wasmBindings?.wasmMemoryBytes?.() ?? null;
  bench.heapBytes = () => performance.memory?.usedJSHeapSize ?? null;

  // A file input of the benchmark's own, outside the app, to get disk-backed `File`s.
  bench.fileInput = () => {
    let input = document.getElementById('__bench-files');
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.id = '__bench-files';
      input.hidden = true;
      input.addEventListener('change', () => {
        for (const f of input.files) bench.files[f.name] = f;
      });
      document.documentElement.appendChild(input);
    }
    return input;
  };

  bench.readChunks = async (file, chunkBytes, each) => {
    // As the app reads (platform/file_reader.rs): the next chunk is asked for before
    // the current one is hashed, so reading and hashing overlap for every row alike.
    const ask = (start) => (start < file.size ? [Math.min(start + chunkBytes, file.size), file.slice(start, Math.min(start + chunkBytes, file.size)).arrayBuffer()] : null);
    for (let pending = ask(0); pending; ) {
      const [end, promise] = pending;
      const buffer = await promise;
      pending = ask(end);
      each(buffer);
    }
  };

  // MD5 of a File, three ways. The JS libraries read the file exactly as the app does:
  // Blob.slice + arrayBuffer in chunks of the app's CHUNK_BYTES, one read ahead.
  bench.md5 = {
    app: (file) => window.wasmBindings.md5File(file),
    'hash-wasm': async (file, chunkBytes) => {
      const h = await window.hashwasm.createMD5();
      h.init();
      await bench.readChunks(file, chunkBytes, (b) => h.update(new Uint8Array(b)));
      return h.digest('hex');
    },
    'spark-md5': async (file, chunkBytes) => {
      const s = new window.SparkMD5.ArrayBuffer();
      await bench.readChunks(file, chunkBytes, (b) => s.append(b));
      return s.end();
    },
  };
  bench.timeMd5 = async (impl, name, chunkBytes) => {
    const file = bench.files[name];
    const t0 = performance.now();
    const hex = await bench.md5[impl](file, chunkBytes);
    return { ms: performance.now() - t0, hex };
  };

  const settle = () => new Promise((r) => setTimeout(r, 50));

  // Drop a file on the app's drop zone as a user would, and wait for its verdict: any
  // phase of `.file-summary[data-phase]` other than "reading". Samples memory meanwhile.
  bench.dropAndWait = async (name, timeoutMs) => {
    const file = bench.files[name];
    const zone = document.querySelector('.drop-zone');
    if (!file || !zone) throw new Error(`no ${file ? 'drop zone' : 'file ' + name}`);
    if (typeof gc === 'function') { gc(); gc(); }
    await settle();
    const base = { heap: bench.heapBytes(), wasm: bench.wasmMemoryBytes() };
    const peak = { ...base };
    const sample = () => {
      const heap = bench.heapBytes();
      const wasm = bench.wasmMemoryBytes();
      if (heap !== null && heap > peak.heap) peak.heap = heap;
      if (wasm !== null && wasm > peak.wasm) peak.wasm = wasm;
    };
    const sampler = setInterval(sample, 10);
    const phases = [];
    // On a second drop the previous verdict is still shown until the app re-renders.
    const previous = document.querySelector('.file-summary[data-phase]');
    let t0;
    const verdict = await new Promise((resolve) => {
      let finished = false;
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      const finish = (phase) => {
        if (finished) return;
        finished = true;
        const ms = performance.now() - t0;
        clearTimeout(timer);
        mo.disconnect();
        resolve({ ms, phase, end: performance.now() });
      };
      const check = () => {
        sample();
        const phase = document.querySelector('.file-summary[data-phase]')?.dataset.phase;
        if (phase && phases[phases.length - 1] !== phase) phases.push(phase);
        const fresh = phases.includes('reading') || document.querySelector('.file-summary[data-phase]') !== previous;
        if (phase && phase !== 'reading' && fresh) finish(phase);
      };
      const mo = new MutationObserver(check);
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      t0 = performance.now();
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      check();
    });
    clearInterval(sampler);
    sample();
    await settle(); // longtask entries arrive after the task ends
    await settle();
    const during = bench.longtasks.filter((t) => t.start + t.duration >= t0 && t.start <= verdict.end);
    const summary = document.querySelector('.file-summary[data-phase]');
    return {
      ms: verdict.ms,
      phase: verdict.phase,
      phases,
      detail: summary?.querySelector('.refusal')?.textContent?.trim() ?? null,
      md5: summary?.querySelector('[data-fact=md5]')?.textContent?.trim() ?? null,
      base,
      peak,
      longtasks: during.length,
      longestTaskMs: during.reduce((m, t) => Math.max(m, t.duration), 0),
      longtaskSupported: PerformanceObserver.supportedEntryTypes?.includes('longtask') ?? false,
    };
  };

  // Section 5, the job list. `rowsAt`: when the list first holds `bench.expectRows` rows,
  // or its first page of them (set by run.mjs before the app loads; the observer above fires once per batch of
  // DOM changes, so counting costs one query per batch, not per row).
  bench.rowsAt = null;
  bench.rowsPaintedAt = null;
  const rowsMo = new MutationObserver(() => {
    const want = window.__benchExpectRows;
    if (!want || bench.rowsAt !== null) return;
    // The app shows a long list a page at a time: its first page is complete when the
    // "Show more" line is there.
    const rows = document.querySelectorAll('tr.job').length;
    if (rows >= want || (rows > 0 && document.querySelector('.list-more'))) {
      bench.rowsAt = performance.now();
      rowsMo.disconnect();
      // The frame that shows them: the next animation frame, then the task after it.
      requestAnimationFrame(() => setTimeout(() => { bench.rowsPaintedAt = performance.now(); }, 0));
    }
  });
  rowsMo.observe(document, { subtree: true, childList: true });

  // Main-thread time of one status update, by a probe around the poll's answer: the app
  // reads each GET /v1/bulk/{key} answer with Response.text(); when that promise settles,
  // `t0`; the app's continuation (parse, journal update and save, re-render) then runs in
  // the same task's microtasks; a MessageChannel task queued at `t0` runs after them
  // (`t1`: script), then forces style and layout (`t2`).
  bench.updates = [];
  const text = Response.prototype.text;
  Response.prototype.text = function () {
    const p = text.call(this);
    if (!/\/v1\/bulk\/[^/]+$/.test(new URL(this.url, location.href).pathname)) return p;
    return p.then((body) => {
      const t0 = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const t1 = performance.now();
        void document.body.offsetHeight;
        const t2 = performance.now();
        bench.updates.push({ at: t0, script: t1 - t0, layout: t2 - t1, total: t2 - t0 });
        channel.port1.close();
      };
      channel.port2.postMessage(0);
      return body;
    });
  };

  // In-browser compression, once the app exports it (backed by preflight::ZipPacker).
  bench.zipAvailable = () => typeof window.wasmBindings?.zipCsv === 'function';
  // The last archive, base64, for run.mjs to check with unzip.
  bench.lastZipBase64 = () => {
    const bytes = bench.lastZip;
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  bench.timeZip = async (name) => {
    const file = bench.files[name];
    const t0 = performance.now();
    const out = await window.wasmBindings.zipCsv(file);
    const ms = performance.now() - t0;
    const size = out?.size ?? out?.byteLength ?? out?.length ?? null;
    bench.lastZip = out;
    return { ms, size, type: Object.prototype.toString.call(out) };
  };
})();
