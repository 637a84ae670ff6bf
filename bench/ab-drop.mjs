// A diagnostic, not part of `make bench`: the 4 MB drop of section 2 for two or more
// builds side by side, to tell whether a change helps. On this shared machine one run of
// `make bench` can differ from the next by 20% on the same code, so builds are compared
// in one browser, a fresh page each, alternating build after build, round after round.
// Each page waits for the hashing worker and one second more, drops the file twice
// (first and second drop) and times hash-wasm on it; the ratios are per page, and the
// medians are printed per build. Twenty rounds are about two and a half minutes for two
// builds; fewer have shown a 25% gain that more rounds did not confirm.
//
//   trunk build --release --dist /tmp/a   (one build per change)
//   DISTS=/tmp/a,/tmp/b node bench/ab-drop.mjs        [ROUNDS=20] [FILE=some.csv]
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStaticServer } from './server.mjs';
import {
  accountingCodesCsv, appChunkBytes, DROP_4MB, giveFiles, hashWasmMs, hashWorker, launchChromium, median, openApp,
} from './common.mjs';

const here = import.meta.dirname;
const dists = (process.env.DISTS ?? '').split(',').filter(Boolean);
if (dists.length === 0) throw new Error('DISTS=dir[,dir…]: the release builds to compare');
const rounds = Number(process.env.ROUNDS ?? 20);
const temp = mkdtempSync(path.join(os.tmpdir(), 'mu-ab-'));
const file = process.env.FILE ?? path.join(temp, DROP_4MB.name);
if (!process.env.FILE) writeFileSync(file, accountingCodesCsv(DROP_4MB));
const input = { file, name: path.basename(file), md5: createHash('md5').update(readFileSync(file)).digest('hex') };
const chunkBytes = appChunkBytes(); // hash-wasm reads as the app does

const servers = [];
for (const dist of dists) {
  servers.push(await startStaticServer({
    distDir: dist,
    extra: { '/__bench/hash-wasm-md5.js': path.join(here, 'node_modules/hash-wasm/dist/md5.umd.min.js') },
  }));
}
const { context, close } = await launchChromium('mu-ab-');
await context.addInitScript({ path: path.join(here, 'page.js') });
const results = dists.map(() => []);
try {
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) {
      const page = await openApp(context, server.url);
      await giveFiles(page, [input]);
      if (!(await hashWorker(page))) throw new Error(`${dists[i]}: the hashing worker did not start`);
      await page.waitForTimeout(1000);
      const first = await page.evaluate((n) => window.__bench.dropAndWait(n, 60_000), input.name);
      const second = await page.evaluate((n) => window.__bench.dropAndWait(n, 60_000), input.name);
      if (first.phase === 'timeout' || second.phase === 'timeout') throw new Error(`${dists[i]}: no verdict`);
      const hw = await hashWasmMs(page, input, chunkBytes);
      results[i].push({ first: first.ms, second: second.ms, hw });
      await page.close();
    }
  }
} finally {
  await close();
  for (const server of servers) await server.close();
  rmSync(temp, { recursive: true, force: true });
}
for (const [i, runs] of results.entries()) {
  const m = (f) => median(runs.map(f));
  console.log(
    `${dists[i]}: first drop ${m((r) => r.first).toFixed(1)} ms, ${m((r) => r.first / r.hw).toFixed(2)}x hash-wasm;`,
    `second ${m((r) => r.second).toFixed(1)} ms, ${m((r) => r.second / r.hw).toFixed(2)}x;`,
    `hash-wasm ${m((r) => r.hw).toFixed(1)} ms; ${runs.length} pages`,
  );
}
