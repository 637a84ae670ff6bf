// What bench/run.mjs, bench/trace.mjs and bench/ab-drop.mjs share: the browser, the
// generated input files, the app's page and hash-wasm's time in it, and the 200-job
// journal of section 5.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_FLAGS } from '../scripts/chromium-flags.mjs';
import { mulberry32 } from '../scripts/mulberry32.mjs';

const root = path.resolve(import.meta.dirname, '..');

// The shared flags, plus what measuring needs.
export const CHROMIUM_ARGS = [
  ...CHROMIUM_FLAGS,
  '--enable-precise-memory-info', // performance.memory without quantisation
  // A collected heap before each memory baseline; JSFLAGS adds V8 flags for a diagnostic
  // run (docs/performance.md: `JSFLAGS=--liftoff-only` with bench/ab-drop.mjs).
  `--js-flags=--expose-gc ${process.env.JSFLAGS ?? ''}`.trim(),
];

/**
 * Headless Chromium with the flags above and a fresh profile. `close` shuts it and then
 * removes the profile (the browser writes to it until it has exited).
 */
export async function launchChromium(prefix) {
  const profile = mkdtempSync(path.join(os.tmpdir(), prefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** The journal the app would have saved after `n` jobs, from the domain's own types. */
export function journalText(n) {
  const base = Date.now() - n * 61_000;
  const r = spawnSync('cargo', ['run', '-q', '-p', 'mass-updater-domain', '--example', 'bench_journal', '--', String(n), String(base)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, CARGO_TARGET_DIR: process.env.BENCH_NATIVE_TARGET ?? path.join(root, 'target') },
  });
  if (r.status !== 0) throw new Error(`bench_journal example: ${r.stderr}`);
  return r.stdout.trim();
}

export const JOURNAL_KEY = 'mass-updater:journal:v1';

// Inputs: deterministic Mass Updater files (UpdateAccountingCode), from a seeded generator.

const OBJECT_TYPES = ['Product Rate Plan Charge', 'Rate Plan Charge', 'Invoice Item', 'Invoice Item Adjustment', 'Credit Memo Item', 'Debit Memo Item'];
const DEFERRED = ['Deferred Revenue', 'Deferred Revenue - Subscriptions', 'Deferred Revenue - Services', 'Unearned Revenue EMEA', 'Deferred Revenue - APAC', '2400 Deferred Revenue'];
const RECOGNIZED = ['Subscription Revenue', 'Services Revenue', '4000 Product Revenue', 'Recognized Revenue - Usage', 'Revenue EMEA', '4100 Support Revenue'];
const HEADER = 'Object Key,Object Type,Deferred Revenue Accounting Code,Recognized Revenue Accounting Code\r\n';

/** The 4 MB file of section 2's first drop (and of bench/ab-drop.mjs). */
export const DROP_4MB = { name: 'accounting-codes-4MB.csv', maxBytes: 4_000_000, seed: 3 };

/** At most `maxBytes` of whole CSV rows (header first), or exactly `exactBytes` if given. */
export function accountingCodesCsv({ maxBytes, exactBytes, seed }) {
  const rand = mulberry32(seed);
  const hex = () => Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const target = exactBytes ?? maxBytes;
  const parts = [HEADER];
  let size = HEADER.length;
  for (;;) {
    // A Zuora object ID: 32 hex digits, tenant prefix first.
    const row = `8a8082c4${hex()}${hex()}${hex()},${pick(OBJECT_TYPES)},${pick(DEFERRED)},${pick(RECOGNIZED)}\r\n`;
    if (size + row.length > target) {
      if (exactBytes !== undefined) parts.push(row.slice(0, target - size));
      break;
    }
    parts.push(row);
    size += row.length;
  }
  return Buffer.from(parts.join(''), 'latin1');
}

/** The app's chunk size, read from the source so the JS libraries use the same one. */
export function appChunkBytes() {
  try {
    const src = readFileSync(path.join(root, 'src/platform/file_reader.rs'), 'utf8');
    const expr = src.match(/\bCHUNK_BYTES\s*:\s*u64\s*=\s*([\d_\s*]+);/)?.[1];
    if (expr) return expr.replaceAll('_', '').split('*').map((x) => Number(x.trim())).reduce((a, b) => a * b, 1);
  } catch { /* fall through */ }
  return 2 * 1024 * 1024;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A fresh page with the app loaded (its hashing worker blocked, if asked, as a strict CSP
 * would). */
export async function openApp(context, url, { blockWorker = false } = {}) {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('bench: page error:', e.message));
  if (blockWorker) await page.route('**/hash-worker.js*', (route) => route.abort());
  await page.goto(url);
  await page.locator('.drop-zone').waitFor();
  await page.waitForFunction(() => window.wasmBindings !== undefined);
  return page;
}

/** Hands the page the `inputs` (`{ file }` each) as disk-backed `File`s. */
export async function giveFiles(page, inputs) {
  await page.evaluate(() => window.__bench.fileInput());
  await page.setInputFiles('#__bench-files', inputs.map((i) => i.file));
  await page.waitForFunction((n) => Object.keys(window.__bench.files).length >= n, inputs.length);
}

/** The app's hashing worker once it is ready, or null if it is not within 5 s. */
export async function hashWorker(page) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const worker = page.workers().find((w) => w.url().includes('/hash-worker.js'));
    if (worker && (await worker.evaluate(() => self.ready).catch(() => false))) return worker;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/** hash-wasm's time for `input` (a file the page holds, with its `md5`) in this page, read
 * in `chunkBytes` reads: one warm-up, then the median of three. */
export async function hashWasmMs(page, input, chunkBytes) {
  await page.addScriptTag({ url: '/__bench/hash-wasm-md5.js' });
  const times = [];
  for (let k = 0; k <= 3; k++) {
    const t = await page.evaluate(([n, c]) => window.__bench.timeMd5('hash-wasm', n, c), [input.name, chunkBytes]);
    if (t.hex !== input.md5) throw new Error(`hash-wasm disagrees on ${input.name}`);
    if (k > 0) times.push(t.ms);
  }
  return median(times);
}
