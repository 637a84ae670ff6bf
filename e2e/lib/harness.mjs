// One sandbox, one app server and one headless Chromium per test file; a fresh page and
// a reset sandbox per test.
import { chromium } from 'playwright-core';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from './sandbox.mjs';
import { startAppServer } from './app-server.mjs';
import { CHROMIUM_FLAGS } from '../../scripts/chromium-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = path.join(root, 'e2e', 'artifacts');

export const CHROMIUM_ARGS = CHROMIUM_FLAGS;

export async function startHarness() {
  const sandbox = await startSandbox();
  const app = await startAppServer({
    distDir: path.join(root, 'dist'),
    upstream: sandbox.url,
    token: await sandbox.token(),
  });
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'mu-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  await mkdir(artifacts, { recursive: true });

  /** A new tab on the app whose `errors` collect its page errors and Rust panics. */
  async function openTab() {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    // A Rust panic reaches the console through the panic hook; failed HTTP requests
    // also log errors there, and those are expected in some tests.
    page.on('console', (m) => { if (m.text().includes('panicked')) errors.push(new Error(m.text())); });
    page.errors = errors;
    await page.goto(app.url);
    return page;
  }

  return {
    sandbox,
    appUrl: app.url,
    /** Another tab on the app, next to those open (the same storage, no reset). */
    async anotherTab() {
      const page = await openTab();
      await page.getByRole('button', { name: 'Choose file' }).waitFor();
      return page;
    },
    /** A new tab on the app, after resetting the sandbox. */
    async freshPage() {
      // The pages of the test before go first, so that nothing they still send lands
      // after the reset and counts in this test.
      for (const p of context.pages()) await p.close();
      await sandbox.reset(); // this also revokes issued tokens
      app.setToken(await sandbox.token());
      const page = await openTab();
      // One browser profile serves the whole file, so the job list saved by an earlier
      // test would still be there: start each test from an empty one.
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await page.getByRole('button', { name: 'Choose file' }).waitFor();
      return page;
    },
    async close() {
      await context.close();
      await app.close();
      sandbox.stop();
    },
  };
}
