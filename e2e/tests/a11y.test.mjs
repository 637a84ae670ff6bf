// Accessibility (WCAG 2.2 AA): axe-core finds nothing in each main state of the app, in
// light and dark, at desktop width and at 360 px; the whole job can be done with the
// keyboard alone, with a visible focus indicator at every stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHarness, artifacts } from '../lib/harness.mjs';
import { csv, fxRates, codesWithMistakes } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady, waitForState, waitForBadge, dialog } from '../lib/app.mjs';
import { assertNoViolations } from '../lib/axe.mjs';
import { expect } from '../lib/expect.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `a11y-${name}.png`), fullPage: true });

/** Runs axe in light, then dark; screenshots both. */
async function checkBothSchemes(page, state, name) {
  await page.emulateMedia({ colorScheme: 'light' });
  await assertNoViolations(page, `${state}, light`);
  await shot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await assertNoViolations(page, `${state}, dark`);
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function atNarrowWidth(page, state, name) {
  await page.setViewportSize({ width: 360, height: 800 });
  await assertNoViolations(page, `${state}, 360 px`);
  await shot(page, `${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
}


// Files that pass preflight as ImportFXRate; the note keeps each file (and so each job) apart.
const HEADER = ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate', 'Rate Set Name', '# Note'];
const rates = (name, failing = false) => ({
  name,
  buffer: csv([
    HEADER,
    ['g1', '2026-11-27', 'USD', 'EUR', '0.92', '', name],
    ['g1', '2026-11-27', 'USD', 'GBP', '0.79', failing ? 'FAIL' : '', ''],
    ['', '2026-11-27', 'EUR', 'CHF', '0.95', '', ''],
    ['g2', '2026-11-27', 'EUR', 'SEK', '11.2', '', ''],
    ['g3', '2026-11-27', 'EUR', 'NOK', '11.7', '', ''],
    ['g4', '2026-11-27', 'EUR', 'DKK', '7.46', '', ''],
  ]),
});

async function submit(page, file) {
  await chooseFile(page, file);
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  await submitButton(page).click();
  const row = page.locator('tr.job', { hasText: file.name });
  await row.waitFor();
  return row;
}

test('the empty app has no WCAG violations, light and dark', async () => {
  const page = await h.freshPage();
  await checkBothSchemes(page, 'empty', 'empty');
  await atNarrowWidth(page, 'empty', 'empty');
  assert.deepEqual(page.errors, []);
});

test('a file with errors, warnings and marked preview cells has no WCAG violations', async () => {
  const page = await h.freshPage();
  await chooseFile(page, { name: 'codes.csv', buffer: codesWithMistakes() });
  await page.locator('.file-summary[data-phase=findings]').waitFor();
  await chooseAction(page, 'UpdateAccountingCode');
  await expect(async () => (await page.locator('[data-fact=checked-as]').textContent()).startsWith('Update accounting codes'), 'checked as the chosen type');
  assert.ok(await page.locator('.finding[data-severity=error]').count() > 0, 'errors are listed');
  assert.ok(await page.locator('.preview-table .cell--error').count() > 0, 'cells are marked');
  // Templates open too: their buttons are part of this state.
  await page.locator('.templates summary').click();
  await checkBothSchemes(page, 'file with findings', 'findings');
  await atNarrowWidth(page, 'file with findings', 'findings');
  assert.deepEqual(page.errors, []);
});

test('a file that only warns, and the suggestion of its action type, have no WCAG violations', async () => {
  const page = await h.freshPage();
  await chooseFile(page, { name: 'to-delete.csv', buffer: csv([['Revenue Schedule Number', 'Extra'], ['RS-00000256', 'x']]) });
  await page.locator('.file-summary--ready').waitFor();
  await page.locator('.suggestion').waitFor();
  await checkBothSchemes(page, 'suggestion', 'suggestion');
});

/** An FX-rate file of about `bytes` that compresses well. */
function bigFxFile(bytes) {
  const lines = ['Group ID,Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate,#Note'];
  let size = lines[0].length + 2;
  for (let i = 0; size < bytes; i++) {
    const line = `g${Math.floor(i / 3)},2026-11-27,USD,EUR,0.${1000 + (i % 9000)},monthly close`;
    lines.push(line);
    size += line.length + 2;
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

test('the offer to compress or split an oversized CSV, and its result, have no WCAG violations', async () => {
  const page = await h.freshPage();
  await chooseFile(page, { name: 'fx-big.csv', buffer: bigFxFile(4_500_000) });
  await page.locator('.file-summary--ready').waitFor({ timeout: 120_000 });
  await chooseAction(page, 'ImportFXRate');
  await page.getByRole('button', { name: 'Compress into a .zip' }).waitFor();
  await checkBothSchemes(page, 'oversized offer', 'too-big');
  await page.getByRole('button', { name: 'Compress into a .zip' }).click();
  await page.locator('[data-fact=packed-md5]').waitFor({ timeout: 60_000 });
  await assertNoViolations(page, 'oversized, compressed');
  assert.deepEqual(page.errors, []);
});

test('an upload in flight, with its progress and Cancel, has no WCAG violations', async () => {
  const page = await h.freshPage();
  await h.sandbox.fault({ kind: 'hang', method: 'POST', path: '/v1/bulk' });
  const row = await submit(page, rates('in-flight.csv'));
  await waitForState(row, 'sending');
  await row.locator('[data-action=cancel]').waitFor();
  await checkBothSchemes(page, 'submitting', 'submitting');
  await row.locator('[data-action=cancel]').click();
  await waitForState(row, 'cancelled');
  assert.deepEqual(page.errors, []);
});

test('the list with a job in every status, the response file and the confirmation open has no WCAG violations', async () => {
  const page = await h.freshPage();
  // Completed, with failed rows to show in its response file.
  const done = await submit(page, rates('completed.csv', true));
  await waitForState(done, 'completed');

  // Stopped while Processing, after the confirmation (checked while it is open).
  await h.sandbox.configure({ tickMs: 1000, rowsPerTick: 1 });
  const stopped = await submit(page, rates('stopped.csv'));
  await waitForBadge(stopped, 'Processing');
  await stopped.locator('[data-action=stop]').click();
  await dialog(page).waitFor();
  await checkBothSchemes(page, 'confirmation open', 'confirm');
  await atNarrowWidth(page, 'confirmation open', 'confirm');
  await dialog(page).locator('[data-action=confirm]').click();
  await waitForState(stopped, 'stopped', 30_000);

  // Refused (a 4xx), unknown (a 500), cancelled.
  await h.sandbox.fault({ kind: 'status', status: 422, method: 'POST', path: '/v1/bulk' });
  await waitForState(await submit(page, rates('refused.csv')), 'refused');
  await h.sandbox.fault({ kind: 'status', status: 500, method: 'POST', path: '/v1/bulk' });
  await waitForState(await submit(page, rates('unknown.csv')), 'unknown');
  await h.sandbox.fault({ kind: 'hang', method: 'POST', path: '/v1/bulk' });
  const cancelled = await submit(page, rates('cancelled.csv'));
  await waitForState(cancelled, 'sending');
  await cancelled.locator('[data-action=cancel]').click();
  await waitForState(cancelled, 'cancelled');

  // Followed while Zuora processes it.
  await h.sandbox.configure({ tickMs: 3000, rowsPerTick: 1 });
  const processing = await submit(page, rates('processing.csv'));
  await waitForBadge(processing, 'Processing', 15_000);

  // Waiting to retry a 503 (it takes one of the two upload slots), sending (hung), and
  // queued behind them.
  await h.sandbox.fault({ kind: 'status', status: 503, retryAfter: 120, method: 'POST', path: '/v1/bulk' });
  await waitForState(await submit(page, rates('retrying.csv')), 'waiting-to-retry');
  await h.sandbox.fault({ kind: 'hang', method: 'POST', path: '/v1/bulk' });
  const sending = await submit(page, rates('sending.csv'));
  await waitForState(sending, 'sending');
  const queued = await submit(page, rates('queued.csv'));
  await waitForState(queued, 'queued');

  await done.locator('[data-action=response]').click();
  await page.locator('.response-view tr.failed-row').first().waitFor();

  const states = await page.locator('tr.job').evaluateAll((rows) => rows.map((r) => r.dataset.state));
  for (const s of ['queued', 'sending', 'waiting-to-retry', 'following', 'completed', 'stopped', 'refused', 'unknown', 'cancelled']) {
    assert.ok(states.includes(s), `${s} in ${states}`);
  }
  // Every status is named in words, not only by colour.
  const badges = await page.locator('tr.job .badge').allTextContents();
  for (const b of badges) assert.match(b, /\w/);

  await checkBothSchemes(page, 'every status', 'statuses');
  await atNarrowWidth(page, 'every status', 'statuses');
  assert.deepEqual(page.errors, []);
});

test('the settings panel open has no WCAG violations', async () => {
  const page = await h.freshPage();
  await page.locator('details.settings > summary').click();
  await page.locator('.settings-table').waitFor();
  await checkBothSchemes(page, 'settings open', 'settings');
});

test('the example host page embedding the app has no WCAG violations, in every theme', async () => {
  const page = await h.freshPage();
  await page.goto(`${h.appUrl}/embed-example.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.locator('#mass-updater .mass-updater').waitFor();
  await assertNoViolations(page, 'embedded, auto (light system)');
  await shot(page, 'embed-light');
  for (const theme of ['dark', 'brand', 'light']) {
    await page.locator('#theme').selectOption(theme);
    await expect(async () => (await page.locator('#mass-updater .mass-updater').count()) === 1, 'remounted');
    await page.locator('#mass-updater').getByRole('button', { name: 'Choose file' }).waitFor();
    await assertNoViolations(page, `embedded, ${theme} theme`);
    await shot(page, `embed-${theme}`);
  }
  // A second instance on the same page: ids must stay unique.
  await page.locator('#second').click();
  await page.locator('#second-instance .mass-updater').waitFor();
  await page.emulateMedia({ colorScheme: 'dark' });
  await assertNoViolations(page, 'embedded, two instances, dark system');
  await shot(page, 'embed-two-dark');
  await page.setViewportSize({ width: 360, height: 800 });
  await assertNoViolations(page, 'embedded, 360 px');
  await shot(page, 'embed-360');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(page.errors, []);
});

// ---- Keyboard only ----

/** The focused element and whether its focus indicator can be seen. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      name: (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80),
      action: el.dataset.action ?? null,
      focusVisible: el.matches(':focus-visible'),
      indicator: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none',
    };
  });
}

/** Presses Tab (or Shift+Tab) until `wanted` holds for the focused element, checking each stop. */
async function tabTo(page, wanted, what, { back = false, max = 80 } = {}) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (!f) continue; // left the document for the browser's UI
    stops.push(`${f.tag} “${f.name}”`);
    assert.ok(f.focusVisible, `:focus-visible holds on ${f.tag} “${f.name}”`);
    assert.ok(f.indicator, `a focus indicator is drawn on ${f.tag} “${f.name}”`);
    if (wanted(f)) return stops;
  }
  throw new Error(`no ${what} within ${max} tab stops:\n${stops.join('\n')}`);
}

async function assertFocusShown(page, what) {
  // A closing dialog hands the focus back on the next animation frame (after the answer
  // has re-rendered what it changes), which on a loaded machine can come after the
  // dialog has left the document: wait for it, a little.
  await page
    .waitForFunction(() => document.activeElement && document.activeElement !== document.body, null, { timeout: 2000 })
    .catch(() => {});
  const f = await focused(page);
  assert.ok(f, `${what}: something has the focus`);
  assert.ok(f.focusVisible && f.indicator, `${what}: the focus on ${f.tag} “${f.name}” is visible`);
  return f;
}

async function chooseByKeyboard(page, file, { back = false } = {}) {
  // Listen before the first key press. Playwright asks Chromium to intercept file choosers
  // only once a listener exists; an Enter that overtakes that request opens a real chooser
  // instead, and a chooser already open keeps later Enters from opening one (the race in
  // puppeteer#6040; CI failed on it with three Enters in a row). The tab stops below give the
  // request time to land.
  const chosen = page.waitForEvent('filechooser', { timeout: 10_000 });
  chosen.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  await tabTo(page, (f) => f.name === 'Choose file', 'Choose file button', { back });
  await page.keyboard.press('Enter');
  const chooser = await chosen;
  await chooser.setFiles({ mimeType: 'text/csv', ...file });
  await waitForReady(page);
  // The action type chosen for an earlier file stays chosen; otherwise it is suggested.
  if (await page.locator('.suggestion').count()) {
    await tabTo(page, (f) => f.name === 'Use ImportFXRate', 'suggested action type');
    await page.keyboard.press('Enter');
    // The button that was pressed is gone; the focus must not be lost with it.
    assert.equal((await assertFocusShown(page, 'after accepting the suggestion')).tag, 'select');
  }
  assert.equal(await page.getByLabel('Action type').inputValue(), 'ImportFXRate');
  await tabTo(page, (f) => f.name === 'Submit mass action', 'Submit');
  await page.keyboard.press('Enter');
}

test('the whole job can be done with the keyboard alone, with visible focus at every stop', async () => {
  const page = await h.freshPage();
  assert.equal((await focused(page)), null, 'nothing focused at first');

  await chooseByKeyboard(page, rates('keyboard.csv', true));
  const first = page.locator('tr.job', { hasText: 'keyboard.csv' });
  await waitForState(first, 'completed');
  await tabTo(page, (f) => f.action === 'response', 'Response file button');
  await page.keyboard.press('Enter');
  await page.locator('.response-view tr.failed-row').first().waitFor();
  await tabTo(page, (f) => f.action === 'download-resubmit', 'resubmit download');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(download.suggestedFilename(), 'keyboard-resubmit.csv');

  // A second file, stopped while Processing through the confirmation.
  await h.sandbox.configure({ tickMs: 1000, rowsPerTick: 1 });
  await chooseByKeyboard(page, rates('keyboard-stop.csv'), { back: true });
  const second = page.locator('tr.job', { hasText: 'keyboard-stop.csv' });
  await waitForBadge(second, 'Processing');
  await tabTo(page, (f) => f.action === 'stop', 'Stop button');
  await page.keyboard.press('Enter');
  await dialog(page).waitFor();
  const inDialog = await assertFocusShown(page, 'the confirmation opens');
  assert.equal(inDialog.action, 'dismiss', 'Cancel has the focus');
  // The focus stays inside the dialog.
  await page.keyboard.press('Tab');
  assert.equal((await assertFocusShown(page, 'Tab in the dialog')).action, 'confirm');
  await page.keyboard.press('Tab');
  assert.equal((await assertFocusShown(page, 'Tab again in the dialog')).action, 'dismiss');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await assertFocusShown(page, 'Shift+Tab in the dialog')).action, 'confirm');
  await page.keyboard.press('Enter');
  await dialog(page).waitFor({ state: 'detached' });
  await assertFocusShown(page, 'after the confirmation closes');
  await waitForState(second, 'stopped', 30_000);

  // Escape closes a confirmation without doing anything.
  await tabTo(page, (f) => f.name === 'Clear all', 'Clear all', { back: true });
  await page.keyboard.press('Enter');
  await dialog(page).waitFor();
  await page.keyboard.press('Escape');
  await dialog(page).waitFor({ state: 'detached' });
  assert.equal((await assertFocusShown(page, 'after Escape')).name, 'Clear all', 'the focus returns to what opened it');
  assert.equal(await page.locator('tr.job').count(), 2);

  // Settings open with the keyboard.
  await tabTo(page, (f) => f.tag === 'summary' && f.name === 'Settings', 'Settings');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('details.settings').evaluate((d) => d.open), true);
  await shot(page, 'keyboard-end');
  assert.deepEqual(page.errors, []);
});

test('the focus order follows the page from top to bottom', async () => {
  const page = await h.freshPage();
  await chooseFile(page, { name: 'fx.csv', buffer: fxRates() });
  await waitForReady(page);
  // Every stop, in order, down to Settings: each below (or beside) the one before.
  const positions = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) break;
    const { top } = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return { top: r.top + window.scrollY };
    });
    positions.push({ ...f, top });
    assert.ok(f.focusVisible && f.indicator, `visible focus on ${f.tag} “${f.name}”`);
    if (f.tag === 'summary' && f.name === 'Settings') break;
  }
  for (let i = 1; i < positions.length; i++) {
    assert.ok(positions[i].top >= positions[i - 1].top - 2, `focus moves down the page: ${positions[i - 1].name} → ${positions[i].name}`);
  }
  assert.equal(positions[0].name, 'Choose file', 'the first stop is Choose file');
  assert.equal(positions.at(-1).name, 'Settings');
});
