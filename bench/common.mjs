// What bench/run.mjs and bench/trace.mjs share: the browser and the 200-job journal of
// section 5.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_FLAGS } from '../scripts/chromium-flags.mjs';

const root = path.resolve(import.meta.dirname, '..');

// The shared flags, plus what measuring needs.
export const CHROMIUM_ARGS = [
  ...CHROMIUM_FLAGS,
  '--enable-precise-memory-info', // performance.memory without quantisation
  '--js-flags=--expose-gc', // a collected heap before each memory baseline
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
