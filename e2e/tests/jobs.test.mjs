// Every mass action followed to its end, and none lost or sent twice: automatic retries
// under one key, reloads, polling, stop, the response file and the resubmit CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { unzipSync, strFromU8 } from 'fflate';
import { startHarness, artifacts } from '../lib/harness.mjs';
import { fxRates, csv } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady, latestRow, waitForState, waitForBadge, dialog } from '../lib/app.mjs';
import { expect } from '../lib/expect.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

async function submit(page, file = { name: 'fx.csv', buffer: fxRates() }, action = 'ImportFXRate') {
  await chooseFile(page, file);
  await waitForReady(page);
  await chooseAction(page, action);
  await submitButton(page).click();
}

const keysOf = (posts) => posts.map((p) => p.headers['idempotency-key']);

// Six rows, predicted by the sandbox's rule: a non-# cell holding FAIL fails its row,
// and a later row with the Group ID of a failed row fails too.
const HEADER = ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate', 'Rate Set Name', '# Note'];
const ROWS = [
  ['g1', '2026-11-27', 'USD', 'EUR', '0.92', '', 'FAIL in a # column is ignored'], // Y
  ['g1', '2026-11-27', 'USD', 'GBP', '0.79', 'FAIL', ''], // N: contains FAIL
  ['g1', '2026-11-27', 'USD', 'JPY', '150.1', '', ''], // N: same Group ID as a failed row
  ['', '2026-11-27', 'EUR', 'CHF', '0.95', '', ''], // Y
  ['g2', '2026-11-27', 'EUR', 'SEK', '11.2', 'xFAILx', ''], // N: contains FAIL
  ['g3', '2026-11-27', 'EUR', 'NOK', '11.7', '', ''], // Y
];
const FAILED = [ROWS[1], ROWS[2], ROWS[4]];
const rates = () => ({ name: 'rates.csv', buffer: csv([HEADER, ...ROWS]) });

test('a dropped connection and a 503 are retried automatically under the same key, making one mass action', async () => {
  const page = await h.freshPage();
  await h.sandbox.fault({ kind: 'drop', method: 'POST', path: '/v1/bulk' });
  await h.sandbox.fault({ kind: 'status', status: 503, method: 'POST', path: '/v1/bulk' });
  await submit(page);
  const row = page.locator('tr.job').first();
  await waitForState(row, 'waiting-to-retry');
  assert.match(await row.locator('.job-sentence').textContent(), /Retrying in \d+ s, attempt 2 of 4\./);
  assert.equal(await row.locator('.badge').textContent(), 'Retrying');
  await latestRow(page);
  assert.ok(['following', 'completed'].includes(await row.getAttribute('data-state')), await row.textContent());

  const posts = await h.sandbox.bulkPosts();
  assert.deepEqual(posts.map((p) => p.fault), ['drop', 'status 503', null]);
  const keys = keysOf(posts);
  assert.ok(keys.every((k) => k === keys[0]), `one key for every attempt: ${keys}`);
  assert.equal(await row.locator('[data-key=idempotency]').textContent(), keys[0]);
  const actions = await h.sandbox.massActions();
  assert.equal(actions.length, 1, 'exactly one mass action');
  assert.equal(actions[0].idempotencyKey, keys[0]);
  assert.equal(await row.locator('.bulk-key').textContent(), actions[0].bulkKey);
  assert.deepEqual(page.errors, []);
});

test('a 500 is not retried; Send again asks first and then uses a new key', async () => {
  const page = await h.freshPage();
  await h.sandbox.fault({ kind: 'status', status: 500, method: 'POST', path: '/v1/bulk' });
  await submit(page);
  const row = await latestRow(page);
  assert.equal(await row.getAttribute('data-state'), 'unknown');
  const text = await row.textContent();
  assert.ok(text.includes('Zuora failed with an internal error (HTTP 500)'), text);
  assert.ok(text.includes('SystemError'), text);
  assert.match(await row.locator('.answer').textContent(), /HTTP status\s*500/);
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal((await h.sandbox.bulkPosts()).length, 1, 'no automatic retry after a 500');
  await page.screenshot({ path: path.join(artifacts, 'jobs-500.png'), fullPage: true });

  // Dismissed: nothing is sent.
  await row.locator('[data-action=send-again]').click();
  const question = await dialog(page).textContent();
  assert.ok(question.includes('Zuora may already have processed “fx.csv”'), question);
  assert.ok(question.includes('starts a new mass action'), question);
  await dialog(page).locator('[data-action=dismiss]').click();
  await dialog(page).waitFor({ state: 'detached' });
  assert.equal((await h.sandbox.bulkPosts()).length, 1);

  // Confirmed: a new job with a new key.
  await row.locator('[data-action=send-again]').click();
  await dialog(page).locator('[data-action=confirm]').click();
  await expect(async () => (await page.locator('tr.job').count()) === 2, 'a second job');
  const again = await latestRow(page);
  assert.ok(['following', 'completed'].includes(await again.getAttribute('data-state')), await again.textContent());
  const keys = keysOf(await h.sandbox.bulkPosts());
  assert.equal(keys.length, 2);
  assert.notEqual(keys[0], keys[1], 'a new Idempotency-Key');
  assert.equal(await again.locator('[data-key=idempotency]').textContent(), keys[1]);
  assert.equal((await h.sandbox.massActions()).length, 1);
  assert.deepEqual(page.errors, []);
});

test('a 429 with Retry-After: 2 is retried no sooner than 2 seconds later', async () => {
  const page = await h.freshPage();
  await h.sandbox.fault({ kind: 'status', status: 429, retryAfter: 2, method: 'POST', path: '/v1/bulk' });
  await submit(page);
  const row = await latestRow(page);
  assert.ok(['following', 'completed'].includes(await row.getAttribute('data-state')), await row.textContent());
  const keys = keysOf(await h.sandbox.bulkPosts());
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1]);
  // The page's own clock: when the 429 arrived, and when the retry left.
  const uploads = await page.evaluate(() =>
    performance.getEntriesByType('resource')
      .filter((e) => e.initiatorType === 'xmlhttprequest' && new URL(e.name).pathname === '/v1/bulk')
      .map((e) => ({ start: e.startTime, end: e.responseEnd })));
  assert.equal(uploads.length, 2);
  const waited = uploads[1].start - uploads[0].end;
  assert.ok(waited >= 2000, `waited ${waited} ms`);
});

test('a job that is processing when the page reloads is still there and reaches Completed', async () => {
  const page = await h.freshPage();
  await h.sandbox.configure({ tickMs: 1000, rowsPerTick: 1 });
  await submit(page, rates());
  const row = page.locator('tr.job').first();
  await waitForBadge(row, 'Processing');
  const bulkKey = await row.locator('.bulk-key').textContent();
  await page.reload();
  const after = page.locator('tr.job').first();
  await after.waitFor();
  assert.equal(await after.locator('.bulk-key').textContent(), bulkKey);
  await waitForState(after, 'completed', 30000);
  assert.equal(await after.locator('.badge').textContent(), 'Completed');
  assert.equal(await after.locator('[data-count=processed]').textContent(), '6 of 6');
  assert.equal((await h.sandbox.massActions()).length, 1);
  assert.deepEqual(page.errors, []);
});

test('a reload while the upload is in flight sends nothing twice, and the same file goes again under its key', async () => {
  const page = await h.freshPage();
  await h.sandbox.fault({ kind: 'delay', ms: 4000, method: 'POST', path: '/v1/bulk' });
  await submit(page);
  await expect(async () => (await h.sandbox.bulkPosts()).length === 1, 'the upload reaches the sandbox');
  await page.reload();
  const row = page.locator('tr.job').first();
  await waitForState(row, 'unknown');
  const track = await row.locator('[data-key=track]').textContent();
  const text = await row.locator('.job-sentence').textContent();
  assert.ok(text.includes(`Look in Zuora for a mass action with track id ${track}`), text);
  await new Promise((r) => setTimeout(r, 4500)); // the delayed request has had its chance

  // The same file again: same key, so Zuora cannot run it twice.
  await chooseFile(page, { name: 'fx.csv', buffer: fxRates() });
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  assert.match(await page.locator('.submit-panel .hint').textContent(), /same Idempotency-Key as the last attempt/);
  await submitButton(page).click();
  // The job goes back to the queue once this tab holds its sending lock, a moment later.
  await expect(async () => (await page.locator('tr.job').first().getAttribute('data-state')) !== 'unknown', 'the job is queued again');
  const done = await latestRow(page);
  assert.ok(['following', 'completed'].includes(await done.getAttribute('data-state')), await done.textContent());
  assert.equal(await page.locator('tr.job').count(), 1, 'the same job went again');
  const keys = keysOf(await h.sandbox.bulkPosts());
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1]);
  assert.equal((await h.sandbox.massActions()).length, 1, 'no duplicate mass action');
  assert.deepEqual(page.errors, []);
});

function parseCsv(text) {
  // The sandbox writes with the csv crate; these rows hold no quotes or commas.
  return text.split('\r\n').filter((l) => l !== '').map((l) => l.split(','));
}

test('a mass action is followed to Completed with the predicted counts; its failed rows are shown and can be resubmitted', async () => {
  const page = await h.freshPage();
  await submit(page, rates());
  const row = page.locator('tr.job').first();
  await waitForState(row, 'completed');
  assert.equal(await row.locator('.badge').textContent(), 'Completed');
  assert.equal(await row.locator('[data-count=processed]').textContent(), '6 of 6');
  assert.equal(await row.locator('[data-count=success]').textContent(), '3');
  assert.equal(await row.locator('[data-count=error]').textContent(), '3');
  assert.equal(await row.locator('progress.job-progress').getAttribute('value'), '6');
  assert.match(await row.locator('.times').textContent(), /Uploaded.*Started.*Ended/s);

  // The response file, as the sandbox serves it.
  const token = await h.sandbox.token();
  const status = await (await fetch(`${h.sandbox.url}/v1/bulk/${await row.locator('.bulk-key').textContent()}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const fileId = new URL(status.outputURL).pathname.split('/').pop();
  const zip = Buffer.from(await (await fetch(`${h.sandbox.url}/v1/files/${fileId}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
  const [entry] = Object.values(unzipSync(new Uint8Array(zip)));
  const [header, ...records] = parseCsv(strFromU8(entry));
  const success = header.indexOf('Success');
  const message = header.indexOf('Error Message');
  const expectedFailed = records
    .map((r, i) => ({ row: String(i + 1), message: r[message], fields: r.slice(0, HEADER.length) }))
    .filter((_, i) => records[i][success] === 'N');
  assert.deepEqual(expectedFailed.map((f) => f.fields), FAILED, 'the sandbox followed its documented rule');

  await row.locator('[data-action=response]').click();
  const view = page.locator('.response-view');
  await view.waitFor();
  assert.equal(await view.locator('[data-count=succeeded]').textContent(), '3');
  assert.equal(await view.locator('[data-count=failed]').textContent(), '3');
  assert.equal(await view.locator('[data-count=not-processed]').textContent(), '0');
  // The third row failed only because the second, of the same group, did: the resubmit
  // file keeps it so that g1 goes again whole, and says so.
  assert.match(await view.locator('[data-group-rows]').textContent(), /^1 of these rows failed only because an earlier row with the same Group ID failed/);
  const shown = await view.locator('tr.failed-row').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(shown, expectedFailed.map((f) => [f.row, f.message, ...f.fields]));
  await page.screenshot({ path: path.join(artifacts, 'jobs-response-file.png'), fullPage: true });

  const [resubmit] = await Promise.all([page.waitForEvent('download'), view.locator('[data-action=download-resubmit]').click()]);
  assert.equal(resubmit.suggestedFilename(), 'rates-resubmit.csv');
  const resubmitted = await readFile(await resubmit.path());
  assert.ok(resubmitted.equals(csv([HEADER, ...FAILED])), `resubmit CSV:\n${resubmitted}`);

  const [zipDownload] = await Promise.all([page.waitForEvent('download'), view.locator('[data-action=download-zip]').click()]);
  assert.equal(zipDownload.suggestedFilename(), 'rates-response.csv.zip');
  assert.ok((await readFile(await zipDownload.path())).equals(zip), 'the response zip as Zuora gave it');
  assert.deepEqual(page.errors, []);
});

test('a mass action stopped while Processing ends Stopped, after a confirmation', async () => {
  const page = await h.freshPage();
  await h.sandbox.configure({ tickMs: 1000, rowsPerTick: 1 });
  await submit(page, rates());
  const row = page.locator('tr.job').first();
  await waitForBadge(row, 'Processing');
  await row.locator('[data-action=stop]').click();
  const question = await dialog(page).textContent();
  assert.ok(question.includes('Stop the mass action for “rates.csv”?'), question);
  assert.ok(question.includes('they are not rolled back'), question);
  await page.screenshot({ path: path.join(artifacts, 'jobs-stop-confirm.png'), fullPage: true });
  await dialog(page).locator('[data-action=confirm]').click();
  await waitForState(row, 'stopped', 30000);
  assert.equal(await row.locator('.badge').textContent(), 'Stopped');
  const puts = (await h.sandbox.requests()).filter((r) => r.method === 'PUT');
  assert.equal(puts.length, 1);
  assert.match(puts[0].path, /^\/v1\/bulk\/[0-9a-f]{32}\/stop$/);
  const [action] = await h.sandbox.massActions();
  assert.equal(action.status, 'Stopped');
  const processed = await row.locator('[data-count=processed]').textContent();
  assert.match(processed, /^\d of 6$/);
  assert.notEqual(processed, '6 of 6');
  assert.equal(await row.locator('[data-action=stop]').count(), 0, 'no Stop once stopped');
  assert.deepEqual(page.errors, []);
});

test('three files at once with the default cap of 2: never more than two uploads in flight', async () => {
  const page = await h.freshPage();
  await h.sandbox.configure({ processingDelayMs: 1500 });
  for (const n of [1, 2, 3]) {
    const buffer = csv([HEADER, [`g${n}`, '2026-11-27', 'USD', 'EUR', '0.92', '', `file ${n}`]]);
    await submit(page, { name: `fx-${n}.csv`, buffer });
  }
  // A job is listed once this tab holds its sending lock: on a loaded machine the third
  // may appear a moment after the first two start.
  await expect(async () => (await page.locator('tr.job[data-state=sending]').count()) === 2
    && (await page.locator('tr.job[data-state=queued]').count()) === 1, 'two are sending, the third waits its turn');
  await page.screenshot({ path: path.join(artifacts, 'jobs-queue.png'), fullPage: true });
  await expect(async () => (await h.sandbox.massActions()).length === 3, 'all three are sent', 20000);
  const inFlight = await h.sandbox.control('GET', 'in-flight');
  assert.ok(inFlight.max <= 2, `at most two in flight, saw ${inFlight.max}`);
  assert.equal(inFlight.max, 2);
});

test('two tabs follow each other live: a job one sends is shown sending, then done, in the other, never "unknown"', async () => {
  const a = await h.freshPage();
  // A second tab on the app, open before either sends anything.
  const b = await h.anotherTab();
  await h.sandbox.configure({ tickMs: 500, rowsPerTick: 1 });
  await h.sandbox.fault({ kind: 'delay', ms: 3000, method: 'POST', path: '/v1/bulk' });

  await submit(a, rates());
  const inA = a.locator('tr.job').first();
  const inB = b.locator('tr.job').first();
  // Tab B shows tab A's job while it is being sent, says where, and offers no Cancel.
  await waitForState(inB, ['queued', 'sending']);
  await b.locator('[data-sent-elsewhere]').waitFor();
  assert.equal(await inB.locator('[data-action=cancel]').count(), 0, 'only tab A can cancel its upload');
  await b.locator('.results').screenshot({ path: path.join(artifacts, 'jobs-other-tab.png') });
  // Every state tab B shows until the job ends: never "unknown", never a second send.
  const seen = new Set();
  await expect(async () => {
    const state = await inB.getAttribute('data-state');
    seen.add(state);
    return state === 'completed';
  }, 'tab B sees the job end without a reload', 30000);
  assert.ok(!seen.has('unknown'), `tab B showed: ${[...seen].join(', ')}`);
  assert.ok(seen.has('following'), `tab B followed the progress: ${[...seen].join(', ')}`);
  await waitForState(inA, 'completed');
  assert.equal(await inB.locator('.bulk-key').textContent(), await inA.locator('.bulk-key').textContent());
  assert.equal(await inB.locator('[data-count=processed]').textContent(), '6 of 6');

  // Tab B sends a file of its own: tab A shows it at once, and neither save drops the other's job.
  await submit(b, { name: 'fx.csv', buffer: fxRates() });
  await expect(async () => (await a.locator('tr.job').count()) === 2, 'tab A lists tab B\'s job');
  await waitForState(a.locator('tr.job').first(), 'completed');
  const keys = async (page) => (await page.locator('tr.job .bulk-key').allTextContents()).sort();
  assert.deepEqual(await keys(a), await keys(b));
  assert.equal((await h.sandbox.bulkPosts()).length, 2, 'each file sent once');
  assert.equal((await h.sandbox.massActions()).length, 2, 'one mass action each');
  await b.reload();
  await expect(async () => (await b.locator('tr.job').count()) === 2, 'both jobs are listed after a reload');
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('a tab closed while sending: the other tab marks its job interrupted, and never sends it', async () => {
  const a = await h.freshPage();
  const b = await h.anotherTab();
  await h.sandbox.fault({ kind: 'delay', ms: 4000, method: 'POST', path: '/v1/bulk' });
  await submit(a);
  const inB = b.locator('tr.job').first();
  await waitForState(inB, ['queued', 'sending']);
  await expect(async () => (await h.sandbox.bulkPosts()).length === 1, 'the upload reaches the sandbox');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await inB.getAttribute('data-state'), 'sending', 'still sending while tab A is open');
  await a.close();
  await waitForState(inB, 'unknown', 10000);
  const track = await inB.locator('[data-key=track]').textContent();
  assert.ok((await inB.locator('.job-sentence').textContent()).includes(track));
  await new Promise((r) => setTimeout(r, 4500)); // the delayed request has had its chance
  assert.equal((await h.sandbox.bulkPosts()).length, 1, 'tab B, without the file, sent nothing');
  assert.deepEqual(b.errors, []);
});

test('the list can be exported, and cleared after a confirmation; it survives a reload until then', async () => {
  const page = await h.freshPage();
  await submit(page);
  const row = page.locator('tr.job').first();
  await waitForState(row, 'completed');
  const key = await row.locator('.bulk-key').textContent();
  await page.reload();
  await page.locator('tr.job').first().waitFor();
  // On a phone each job is a card of labelled lines.
  await page.setViewportSize({ width: 420, height: 900 });
  assert.equal(await page.locator('tr.job td[data-label=Keys]').evaluate((td) => getComputedStyle(td, '::before').content), '"Keys"');
  await page.locator('.results').screenshot({ path: path.join(artifacts, 'jobs-narrow.png') });
  await page.setViewportSize({ width: 1280, height: 900 });

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  assert.equal(json.suggestedFilename(), 'mass-actions.json');
  const exported = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(exported.jobs.length, 1);
  assert.equal(exported.jobs[0].bulkKey, key);
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = (await readFile(await csvDownload.path(), 'utf8')).trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.ok(lines[1].includes(key));

  await page.getByRole('button', { name: 'Clear all' }).click();
  assert.ok((await dialog(page).textContent()).includes('Remove all 1 jobs'));
  await dialog(page).locator('[data-action=confirm]').click();
  await expect(async () => (await page.locator('tr.job').count()) === 0, 'the list is empty');
  await page.reload();
  await page.getByRole('button', { name: 'Choose file' }).waitFor();
  assert.equal(await page.locator('tr.job').count(), 0, 'cleared for good');
  assert.deepEqual(page.errors, []);
});

test('a long list opens on its newest ten jobs and shows the rest on request; export covers every job', async () => {
  // 23 jobs in every state, written by the domain's own transitions (as the app saves them).
  const root = path.resolve(import.meta.dirname, '../..');
  const made = spawnSync('cargo', ['run', '-q', '-p', 'mass-updater-domain', '--example', 'bench_journal', '--', '23', String(Date.now() - 23 * 61_000)], { cwd: root, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const page = await h.freshPage();
  await page.evaluate((text) => localStorage.setItem('mass-updater:journal:v1', text), made.stdout.trim());
  await page.reload();
  const rows = page.locator('tr.job');
  await rows.first().waitFor();
  const more = page.locator('.list-more');
  assert.equal(await rows.count(), 10);
  assert.equal((await more.locator('span').textContent()).trim(), 'Showing 10 of 23 submissions.');
  // Newest first.
  const queued = await page.locator('tr.job td[data-label=Times] time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime'))));
  assert.deepEqual(queued, [...queued].sort((a, b) => b - a));

  await more.getByRole('button', { name: 'Show 10 more' }).click();
  await expect(async () => (await rows.count()) === 20, '20 rows');
  assert.equal((await more.locator('span').textContent()).trim(), 'Showing 20 of 23 submissions.');
  await more.getByRole('button', { name: 'Show 3 more' }).click();
  await expect(async () => (await rows.count()) === 23, 'every row');
  assert.equal(await more.count(), 0, 'nothing left to show');
  // The button that had the focus is gone: the list's heading has it.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Submissions');

  await page.reload();
  await rows.first().waitFor();
  assert.equal(await rows.count(), 10, 'a reload opens on the first page again');
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = (await readFile(await csvDownload.path(), 'utf8')).trim().split('\r\n');
  assert.equal(lines.length, 24, 'a header and all 23 jobs');
  await more.getByRole('button', { name: 'Show all' }).click();
  await expect(async () => (await rows.count()) === 23, 'every row at once');
  // Shown whole, the list stays whole as jobs are added.
  await submit(page);
  await expect(async () => (await rows.count()) === 24, 'the new job and all the others');
  assert.equal(await more.count(), 0);
  assert.deepEqual(page.errors, []);
});

test('after a reload, many followed jobs are polled with their first polls spread and at most four in flight', async () => {
  const page = await h.freshPage();
  await h.sandbox.configure({ tickMs: 60000, rowsPerTick: 1 });
  const n = 8;
  for (let i = 0; i < n; i++) {
    const buffer = csv([HEADER, [`g${i}`, '2026-11-27', 'USD', 'EUR', '0.92', '', `file ${i}`]]);
    await submit(page, { name: `fx-${i}.csv`, buffer });
  }
  await expect(async () => (await page.locator('tr.job[data-state=following]').count()) === n, 'all are followed', 30000);

  // Every status poll is held for 400 ms on its way: polls that overlap are counted.
  let inFlight = 0;
  let most = 0;
  const first = new Map();
  await page.route(/\/v1\/bulk\/[0-9a-f]{32}$/, async (route) => {
    const key = route.request().url().split('/').pop();
    if (!first.has(key)) first.set(key, Date.now());
    inFlight += 1;
    most = Math.max(most, inFlight);
    try {
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 400));
      await route.fulfill({ response });
    } catch { /* the page went away */ } finally {
      inFlight -= 1;
    }
  });
  await page.reload();
  await expect(async () => first.size === n, 'every job is polled after the reload', 20000);
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok(most <= 4, `at most four polls in flight, saw ${most}`);
  assert.ok(most >= 2, `polls overlapped (${most}), so the cap was tested`);
  const times = [...first.values()];
  assert.ok(Math.max(...times) - Math.min(...times) >= 100, `first polls spread over ${Math.max(...times) - Math.min(...times)} ms`);
  await page.unroute(/\/v1\/bulk\/[0-9a-f]{32}$/);
  assert.deepEqual(page.errors, []);
});

test('a hidden tab stops polling and another tab takes its job over to the end', async () => {
  const a = await h.freshPage();
  await h.sandbox.configure({ tickMs: 500, rowsPerTick: 1 });
  await submit(a, rates());
  await waitForState(a.locator('tr.job').first(), 'following');
  // Polls from each tab, counted by the tab's own route.
  const count = { a: 0, b: 0 };
  const counting = (tab) => async (route) => { count[tab] += 1; await route.continue(); };
  await a.route(/\/v1\/bulk\/[0-9a-f]{32}$/, counting('a'));
  // Tab A goes to the background (as when another window is in front of it).
  await a.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await new Promise((r) => setTimeout(r, 2500)); // A's poll in flight, if any, has ended
  const aBefore = count.a;
  const b = await h.anotherTab();
  await b.route(/\/v1\/bulk\/[0-9a-f]{32}$/, counting('b'));
  const inB = b.locator('tr.job').first();
  await waitForState(inB, 'completed', 30000);
  assert.ok(count.b > 0, 'tab B polled');
  assert.equal(count.a, aBefore, 'tab A, hidden, did not poll');
  await waitForState(a.locator('tr.job').first(), 'completed'); // and A shows the end from B's save
  assert.deepEqual([...a.errors, ...b.errors], []);
});
