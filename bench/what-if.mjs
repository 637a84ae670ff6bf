// A diagnostic, not part of `make bench`: would another way of sharing a 4 MB drop's work
// between threads reach the verdict sooner on this machine? It does not run the app. It
// reads the bench's 4 MB file from a real `File`, as the app does, and stands in for the
// app's CPU work with a calibrated loop: the checking pass (CHECK ms per MiB on the page,
// default 6, from traces of the app's first drops: 17-28 ms for this file) and the MD5
// (HASH ms per MiB in a worker, default 3.5: 12-17 ms). The loop counts iterations, not
// time, so a thread that shares a core with another takes longer, as real work does.
//
//   today        the page reads the file at once, transfers it to the hashing worker
//                and checks it while the worker hashes (the app's design)
//   split        as today, but a second worker checks the second half of the rows
//                (what splitting the checking pass across threads would give at best:
//                no cut-finding or merging is counted)
//   hasher-checks  as today, but the hashing worker also checks the last rows after
//                hashing, as many as evens out the two threads' work (the same best
//                case, without a third thread)
//   worker-read  the hashing worker reads the file in 1 MiB pieces and passes each to
//                the page before hashing it, so the page only checks
//
// Designs alternate in fresh pages of one browser, round after round; the medians and
// their ratio to "today" are printed. Nothing here is tied to this machine's two cores:
// on a larger one the same command says whether the split starts to pay.
//
//   node bench/what-if.mjs          [ROUNDS=20] [CHECK=6] [HASH=3.5]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStaticServer } from './server.mjs';
import { accountingCodesCsv, DROP_4MB, giveFiles, launchChromium, median } from './common.mjs';

const here = import.meta.dirname;
const rounds = Number(process.env.ROUNDS ?? 20);
const cost = { check: Number(process.env.CHECK ?? 6), hash: Number(process.env.HASH ?? 3.5) };
const designs = ['today', 'split', 'hasher-checks', 'worker-read'];

const temp = mkdtempSync(path.join(os.tmpdir(), 'mu-what-if-'));
const file = path.join(temp, DROP_4MB.name);
writeFileSync(file, accountingCodesCsv(DROP_4MB));
writeFileSync(path.join(temp, 'index.html'), '<!doctype html><title>what if</title>');
const server = await startStaticServer({ distDir: temp });
const { context, close } = await launchChromium('mu-what-if-');
await context.addInitScript({ path: path.join(here, 'page.js') });

// Runs in the page: one design, from the moment the file is asked for until the page
// has checked every byte and has the worker's digest.
async function run([design, cost, name]) {
  const file = window.__bench.files[name];
  const MiB = 1 << 20;
  const loop = (n) => {
    let x = 1;
    for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) | 0;
    return x;
  };
  const msFor = (n) => {
    const t = performance.now();
    loop(n);
    return performance.now() - t;
  };
  // Iterations per ms on this page, measured over about 20 ms.
  let perMs = 1e6 / msFor(1e6);
  perMs = (20 * perMs) / msFor(20 * perMs);
  const workFor = (ms) => loop(ms * perMs);
  // As the app does with each chunk it is given: a copy into its own memory.
  const takeIn = (buffer) => new Uint8Array(buffer.byteLength).set(new Uint8Array(buffer));

  // A worker that, for { ms, bytes }, takes the bytes in and works `ms`; answers { done }
  // to { end }; and for { read } reads the file in pieces, taking each in and passing it
  // on before working `msPerMiB` on it.
  const source = `const loop = ${loop};
    const workFor = (ms) => loop(ms * ${perMs});
    const takeIn = ${takeIn};
    self.onmessage = async ({ data }) => {
      if (data.end) return self.postMessage({ done: true });
      if (data.ms) {
        if (data.bytes) takeIn(data.bytes);
        return workFor(data.ms);
      }
      const { file, piece, msPerMiB } = data.read;
      let next = file.slice(0, piece).arrayBuffer();
      for (let at = 0; at < file.size; at += piece) {
        const bytes = await next;
        const end = at + piece;
        if (end < file.size) next = file.slice(end, end + piece).arrayBuffer();
        const ms = (msPerMiB * bytes.byteLength) / ${MiB};
        takeIn(bytes);
        self.postMessage({ bytes }, [bytes]);
        workFor(ms);
      }
      self.postMessage({ done: true });
    };`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const hasher = new Worker(url);
  const helper = new Worker(url);
  const done = (worker, onBytes) =>
    new Promise((resolve) => {
      worker.onmessage = ({ data }) => (data.done ? resolve() : onBytes(data.bytes));
    });
  // Both workers started and their loop compiled, as the app's worker is by a drop.
  hasher.postMessage({ ms: 30 });
  helper.postMessage({ ms: 30 });
  await new Promise((r) => setTimeout(r, 300));

  const start = performance.now();
  if (design === 'worker-read') {
    const read = done(hasher, (bytes) => {
      takeIn(bytes);
      workFor((cost.check * bytes.byteLength) / MiB);
    });
    hasher.postMessage({ read: { file, piece: MiB, msPerMiB: cost.hash } });
    await read;
  } else {
    const buffer = await file.slice(0, file.size).arrayBuffer();
    const mib = buffer.byteLength / MiB;
    takeIn(buffer);
    // The share of the checks that leaves the page: half to a second worker, or as
    // much as evens out the two threads when the hashing worker checks after hashing.
    let moved = 0;
    let helped = Promise.resolve();
    if (design === 'split') {
      moved = 0.5;
      const half = buffer.slice(buffer.byteLength / 2);
      helped = done(helper);
      helper.postMessage({ ms: moved * cost.check * mib, bytes: half }, [half]);
      helper.postMessage({ end: true });
    } else if (design === 'hasher-checks') {
      moved = (cost.check - cost.hash) / (2 * cost.check);
    }
    const hashed = done(hasher);
    const hasherMs = cost.hash * mib + (design === 'hasher-checks' ? moved * cost.check * mib : 0);
    hasher.postMessage({ ms: hasherMs, bytes: buffer }, [buffer]);
    hasher.postMessage({ end: true });
    workFor((1 - moved) * cost.check * mib);
    await Promise.all([hashed, helped]);
  }
  const ms = performance.now() - start;
  hasher.terminate();
  helper.terminate();
  URL.revokeObjectURL(url);
  return ms;
}

const times = Object.fromEntries(designs.map((d) => [d, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const design of designs) {
      const page = await context.newPage();
      await page.goto(server.url);
      await giveFiles(page, [{ file }]);
      times[design].push(await page.evaluate(run, [design, cost, DROP_4MB.name]));
      await page.close();
    }
  }
} finally {
  await close();
  await server.close();
  rmSync(temp, { recursive: true, force: true });
}
const today = median(times.today);
console.log(
  `checks ${cost.check} ms/MiB on the page, MD5 ${cost.hash} ms/MiB in a worker;`,
  `${rounds} pages each`,
);
for (const design of designs) {
  const ms = median(times[design]);
  const ratio = (ms / today).toFixed(2);
  console.log(`${design.padEnd(14)} ${ms.toFixed(1).padStart(6)} ms  ${ratio}x today`);
}
