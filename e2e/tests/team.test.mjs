// Team mode, through the real gateway (target/debug/mass-updater-gateway, or GATEWAY_BIN)
// in front of the sandbox: two browser contexts are two users, each with the user header
// a sign-on proxy would set. One user's mass action shows in the other's team history
// with the sender's name and is followed to its end by the gateway while the sender's
// tab is closed; the sender sees it once; the filters, the response file of a team job,
// axe and the keyboard. And without a gateway (/api/me answers 404): no team view, no
// error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSandbox } from '../lib/sandbox.mjs';
import { startGateway, USER_HEADER } from '../lib/gateway.mjs';
import { startAppServer } from '../lib/app-server.mjs';
import { CHROMIUM_ARGS, artifacts } from '../lib/harness.mjs';
import { csv } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady } from '../lib/app.mjs';
import { assertNoViolations } from '../lib/axe.mjs';
import { expect } from '../lib/expect.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ANA = 'ana@example.com';
const BO = 'bo@example.com';

let sandbox;
let gateway;
let browser;
const contexts = {};

before(async () => {
  sandbox = await startSandbox();
  gateway = await startGateway({ zuoraUrl: sandbox.url, followIntervalMs: 200 });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  for (const user of [ANA, BO]) {
    contexts[user] = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      extraHTTPHeaders: { [USER_HEADER]: user },
      acceptDownloads: true,
    });
  }
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
  sandbox?.stop();
});

/** A tab of `user` on the gateway, once it has said who is signed in. */
async function openAs(user) {
  const page = await contexts[user].newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.on('console', (m) => { if (m.text().includes('panicked')) page.errors.push(new Error(m.text())); });
  await page.goto(gateway.url);
  await page.locator('.signed-in').waitFor();
  assert.equal(await page.locator('.signed-in').getAttribute('data-user'), user);
  return page;
}

// Rates that pass preflight as ImportFXRate; the note makes each file (and job) distinct.
const rates = (name) => ({
  name,
  buffer: csv([
    ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate', '# Note'],
    ['g1', '2026-11-27', 'USD', 'EUR', '0.92', name],
    ['g1', '2026-11-27', 'USD', 'GBP', '0.79', ''],
    ['', '2026-11-27', 'EUR', 'CHF', '0.95', ''],
    ['g2', '2026-11-27', 'EUR', 'SEK', '11.2', ''],
    ['g3', '2026-11-27', 'EUR', 'NOK', '11.7', ''],
    ['g4', '2026-11-27', 'EUR', 'DKK', '7.46', ''],
  ]),
});

/** Sends `file` from `page`; gives its Idempotency-Key once Zuora has accepted it. */
async function send(page, file) {
  await chooseFile(page, file);
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  await submitButton(page).click();
  const row = page.locator('tr.job', { hasText: file.name });
  await row.locator('.bulk-key').waitFor({ timeout: 20000 });
  return (await row.locator('[data-key=idempotency]').textContent()).trim();
}

const viewSwitch = (page, name) => page.getByRole('group', { name: 'Submissions shown' }).getByRole('button', { name });

async function openTeamHistory(page) {
  await viewSwitch(page, 'Team history').click();
  await page.getByRole('heading', { name: 'Team history' }).waitFor();
}

const teamRow = (page, key) => page.locator(`tr.team-job[data-key="${key}"]`);

async function waitForTeamStatus(row, status, timeoutMs = 30000) {
  await expect(async () => (await row.getAttribute('data-status')) === status, `the team row reads ${status}`, timeoutMs);
}

/** The rows the team history shows, as [sender, file name]. */
async function shownSenders(page) {
  return page.locator('tr.team-job').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('.sender').textContent, r.querySelector('.file-name strong').textContent]));
}

let anaKey;

test("one user's mass action shows in another's team history and ends while the sender's tab is closed", async () => {
  // Slow enough that the mass action is still running when the sender's tab closes.
  await sandbox.configure({ tickMs: 600, rowsPerTick: 1 });
  const ana = await openAs(ANA);
  anaKey = await send(ana, rates('ana-rates.csv'));
  await ana.close();
  const [running] = (await sandbox.massActions()).filter((m) => m.idempotencyKey === anaKey);
  assert.ok(running && !['Completed', 'Stopped', 'Failed'].includes(running.status), `still running when the tab closed: ${running?.status}`);

  const bo = await openAs(BO);
  await openTeamHistory(bo);
  const row = teamRow(bo, anaKey);
  await row.waitFor();
  assert.equal((await row.locator('.sender').textContent()).trim(), ANA);
  assert.equal(await row.locator('[data-badge=here]').count(), 0, "not marked as sent from Bo's browser");
  // The gateway follows it; Bo's open view asks again while it runs.
  await waitForTeamStatus(row, 'Completed');
  assert.match(await row.locator('.job-sentence').textContent(), /^Completed: 6 of 6 rows processed/);
  assert.deepEqual(bo.errors, []);
  await sandbox.configure({ tickMs: 100, rowsPerTick: 5 });
});

test("the sender's own job appears once, marked as sent from this browser", async () => {
  assert.ok(anaKey, 'the first test sent a file');
  const ana = await openAs(ANA);
  assert.equal(await ana.locator(`tr.job:has([data-key=idempotency]:text-is("${anaKey}"))`).count(), 1, 'once in the local list');
  await openTeamHistory(ana);
  const row = teamRow(ana, anaKey);
  await row.waitFor();
  assert.equal(await teamRow(ana, anaKey).count(), 1, 'once in the team history');
  assert.equal(await row.locator('[data-badge=here]').count(), 1, 'marked as sent from this browser');
  // The local list is still there, unchanged, behind the other button.
  await viewSwitch(ana, 'This browser').click();
  assert.equal(await ana.locator('tr.job').count(), 1);
  assert.equal(await ana.getByRole('heading', { name: 'Team history' }).count(), 0);
  assert.deepEqual(ana.errors, []);
  await ana.close();
});

test('the filters show my mass actions or everyone’s, and by status', async () => {
  const bo = await openAs(BO);
  const boKey = await send(bo, rates('bo-rates.csv'));
  await openTeamHistory(bo);
  await teamRow(bo, boKey).waitFor();
  await teamRow(bo, anaKey).waitFor();

  await bo.getByLabel('Sent by').selectOption('me');
  await expect(async () => (await bo.locator('tr.team-job').count()) === 1, 'only Bo’s mass action');
  assert.deepEqual(await shownSenders(bo), [[BO, 'bo-rates.csv']]);

  await bo.getByLabel('Sent by').selectOption('all');
  await expect(async () => (await bo.locator('tr.team-job').count()) === 2, 'everyone’s again');
  assert.deepEqual((await shownSenders(bo)).map(([who]) => who), [BO, ANA], 'newest first');

  await waitForTeamStatus(teamRow(bo, boKey), 'Completed');
  await bo.getByLabel('Status').selectOption('Refused');
  await bo.getByText('No mass actions match these filters.').waitFor();
  await bo.getByLabel('Status').selectOption('Completed');
  await expect(async () => (await bo.locator('tr.team-job').count()) === 2, 'both completed');
  await bo.getByLabel('Status').selectOption('');
  assert.deepEqual(bo.errors, []);
  await bo.close();
});

test("the response file of another user's ended mass action can be fetched and downloaded", async () => {
  const bo = await openAs(BO);
  await openTeamHistory(bo);
  const row = teamRow(bo, anaKey);
  await waitForTeamStatus(row, 'Completed');
  await row.getByRole('button', { name: 'Response file' }).click();
  const view = bo.locator('.response-view');
  await view.waitFor({ timeout: 20000 });
  assert.equal((await view.locator('[data-count=succeeded]').textContent()).trim(), '6');
  const [download] = await Promise.all([
    bo.waitForEvent('download'),
    view.getByRole('button', { name: 'Download response file (.zip)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'ana-rates-response.csv.zip');
  const fetched = (await sandbox.requests()).filter((r) => r.method === 'GET' && r.path.startsWith('/v1/files/'));
  assert.ok(fetched.length > 0, 'fetched from Zuora through the gateway');
  assert.deepEqual(bo.errors, []);
  await bo.close();
});

test('the team view is keyboard operable', async () => {
  const ana = await openAs(ANA);
  const teamButton = viewSwitch(ana, 'Team history');
  await teamButton.focus();
  await ana.keyboard.press('Enter');
  await teamRow(ana, anaKey).waitFor();
  assert.equal(await teamButton.getAttribute('aria-pressed'), 'true');
  // "This browser" comes just before it: Tab on to the filters, then back twice.
  await ana.keyboard.press('Tab');
  assert.equal(await ana.evaluate(() => document.activeElement.tagName), 'SELECT');
  await ana.keyboard.press('Shift+Tab');
  await ana.keyboard.press('Shift+Tab');
  await ana.keyboard.press('Space');
  assert.equal(await viewSwitch(ana, 'This browser').getAttribute('aria-pressed'), 'true');
  assert.equal(await ana.getByRole('heading', { name: 'Team history' }).count(), 0);
  await teamButton.focus();
  await ana.keyboard.press('Space');
  const row = teamRow(ana, anaKey);
  await row.getByRole('button', { name: 'Response file' }).focus();
  await ana.keyboard.press('Enter');
  await ana.locator('.response-view').waitFor({ timeout: 20000 });
  assert.equal(await row.getByRole('button', { name: 'Response file' }).getAttribute('aria-expanded'), 'true');
  assert.deepEqual(ana.errors, []);
  await ana.close();
});

test('the team view has no WCAG violations, light and dark, at 1280 and 360 px', async () => {
  // axe is injected as an inline script, which the gateway's Content-Security-Policy
  // forbids (as it should): this context alone bypasses it.
  const context = await browser.newContext({ extraHTTPHeaders: { [USER_HEADER]: ANA }, bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(gateway.url);
    await viewSwitch(page, 'Team history').click();
    await teamRow(page, anaKey).getByRole('button', { name: 'Response file' }).click();
    await page.locator('.response-view').waitFor({ timeout: 20000 });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await assertNoViolations(page, `team history, ${scheme}, ${width} px`);
        await page.screenshot({ path: path.join(artifacts, `team-${scheme}-${width}.png`), fullPage: true });
      }
    }
  } finally {
    await context.close();
  }
});

test('without a gateway (/api/me answers 404) the app shows no team view and no error', async () => {
  const app = await startAppServer({ distDir: path.join(root, 'dist'), upstream: sandbox.url, token: await sandbox.token() });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = [];
    const asked = [];
    const refused = [];
    const resourceErrors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    page.on('response', (r) => { if (r.status() >= 400) refused.push(new URL(r.url()).pathname); });
    // The browser itself logs each refused request ("Failed to load resource", with
    // its address); any other error on the console is the app's.
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (m.text().startsWith('Failed to load resource')) resourceErrors.push(new URL(m.location().url).pathname);
      else errors.push(m.text());
    });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Choose file' }).waitFor();
    await expect(async () => asked.includes('/api/me'), 'the app asked /api/me');
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('.signed-in').count(), 0);
    assert.equal(await page.locator('.view-switch').count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Team history' }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Submissions' }).count(), 1);
    assert.equal(await page.locator('[role=alert]').count(), 0);
    assert.equal((await page.locator('[role=status][aria-live]').textContent()).trim(), '');
    assert.deepEqual(refused, ['/api/me'], 'the one refused request is /api/me');
    // The browser's own notes of that 404 and of its own request for a favicon.
    assert.deepEqual(resourceErrors.filter((p) => p !== '/favicon.ico'), ['/api/me']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await app.close();
  }
});
