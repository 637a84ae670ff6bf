// Screenshots of team mode (the team history through the real gateway), light and dark,
// at 360 px and 1280 px wide, for docs/screenshots/. Not a test: run after a release build
// and `cargo build -p mass-updater-gateway` when the look changes, and commit the images:
//   cd e2e && node team-screenshots.mjs
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSandbox } from './lib/sandbox.mjs';
import { startGateway, USER_HEADER } from './lib/gateway.mjs';
import { CHROMIUM_ARGS } from './lib/harness.mjs';
import { csv } from './lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady } from './lib/app.mjs';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
await mkdir(out, { recursive: true });
const sandbox = await startSandbox();
const gateway = await startGateway({ zuoraUrl: sandbox.url });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const as = (user) => browser.newContext({ extraHTTPHeaders: { [USER_HEADER]: user }, viewport: { width: 1280, height: 900 } });

const rates = (name, failing) => ({
  name,
  buffer: csv([
    ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate', 'Rate Set Name'],
    ['g1', '2026-11-27', 'USD', 'EUR', '0.92', ''],
    ['g1', '2026-11-27', 'USD', 'GBP', '0.79', failing ? 'FAIL' : ''],
    ['g2', '2026-11-27', 'EUR', 'SEK', '11.2', ''],
  ]),
});

async function send(page, file) {
  await chooseFile(page, file);
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  await submitButton(page).click();
  await page.locator('tr.job', { hasText: file.name }).locator('.bulk-key').waitFor({ timeout: 20000 });
}

try {
  const ana = await (await as('ana.lopez@example.com')).newPage();
  await ana.goto(gateway.url);
  await send(ana, rates('november-rates.csv', true));
  const bo = await (await as('bo.nguyen@example.com')).newPage();
  await bo.goto(gateway.url);
  await sandbox.configure({ tickMs: 60000 });
  await send(bo, rates('december-rates.csv', false));
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 360]) {
      await bo.setViewportSize({ width, height: 900 });
      await bo.emulateMedia({ colorScheme: scheme });
      await bo.reload();
      await bo.getByRole('button', { name: 'Team history' }).click();
      const ended = bo.locator('tr.team-job[data-status=Completed]');
      await ended.waitFor({ timeout: 30000 });
      await ended.getByRole('button', { name: 'Response file' }).click();
      await bo.locator('.response-view').waitFor();
      await bo.waitForTimeout(400);
      const file = path.join(out, `team-${scheme}-${width}.png`);
      await bo.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
  }
} finally {
  await browser.close();
  await gateway.stop();
  sandbox.stop();
}
