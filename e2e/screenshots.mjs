// Screenshots of the app's main states, light and dark, at 360 px and 1280 px wide, for
// docs/screenshots/ (linked from the README). Not a test: run `make screenshots` after a
// release build when the look changes, and commit the images.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startHarness } from './lib/harness.mjs';
import { csv, fxRates, codesWithMistakes } from './lib/files.mjs';
import { chooseFile, chooseAction, submitButton, latestRow } from './lib/app.mjs';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
await mkdir(out, { recursive: true });
const h = await startHarness();

const findings = () => ({ name: 'codes.csv', buffer: codesWithMistakes() });

const states = {
  async empty() {},
  async findings(page) {
    await chooseFile(page, findings());
    await page.locator('.file-summary[data-phase=findings]').waitFor();
  },
  async repairs(page) {
    const rows = [
      ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate'],
      ['g1', '01/31/2026', 'usd', 'EUR', '"1,234.50"'],
      ['g2', '12/25/2026', 'USD', 'GBP', '0.79'],
      ['g3', '2026-12-25', 'USD', 'JPY', '"1,5"'],
    ];
    await chooseFile(page, { name: 'rates.csv', buffer: csv(rows) });
    await chooseAction(page, 'ImportFXRate');
    await page.locator('.repairs .repair').first().waitFor();
  },
  async editor(page) {
    const rows = [
      ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate'],
      ['g1', '2026-01-31', 'USD', 'EUR', 'abc'],
    ];
    await chooseFile(page, { name: 'rates.csv', buffer: csv(rows) });
    await chooseAction(page, 'ImportFXRate');
    await page.locator('.finding .cell-editor button').first().click();
    await page.locator('.cell-editor__field').fill('0.92');
  },
  async jobs(page) {
    const rows = [
      ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate', 'Rate Set Name'],
      ['g1', '2026-11-27', 'USD', 'EUR', '0.92', ''],
      ['g1', '2026-11-27', 'USD', 'GBP', '0.79', 'FAIL'],
      ['g2', '2026-11-27', 'EUR', 'SEK', '11.2', ''],
    ];
    await chooseFile(page, { name: 'rates.csv', buffer: csv(rows) });
    await chooseAction(page, 'ImportFXRate');
    await submitButton(page).click();
    const row = await latestRow(page);
    await row.getByRole('button', { name: 'Response file' }).waitFor({ timeout: 30000 });
    await row.getByRole('button', { name: 'Response file' }).click();
    await page.locator('.response-view').waitFor();
    await h.sandbox.fault({ kind: 'status', status: 500, path: '/v1/bulk' });
    await chooseFile(page, { name: 'fx.csv', buffer: fxRates() });
    await submitButton(page).click();
    await latestRow(page);
  },
  async settings(page) {
    await page.locator('details.settings > summary').click();
    await page.locator('details.settings').scrollIntoViewIfNeeded();
  },
};

for (const [state, act] of Object.entries(states)) {
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 360]) {
      const page = await h.freshPage();
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await act(page);
      await page.waitForTimeout(400);
      const file = path.join(out, `${state}-${scheme}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
  }
}
await h.close();
