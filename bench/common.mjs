// What bench/run.mjs and bench/trace.mjs share: the browser's flags and the 200-job
// journal of section 5.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

// Chromium flags as in e2e/lib/harness.mjs (which runs as root), plus what measuring needs.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-precise-memory-info', // performance.memory without quantisation
  '--js-flags=--expose-gc', // a collected heap before each memory baseline
];

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
