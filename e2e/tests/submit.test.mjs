// The whole path: a file goes in, the sandbox receives exactly what the user chose, the
// page shows the bulk key; and files that must not be sent are not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHarness, artifacts } from '../lib/harness.mjs';
import { md5, fxRates, zipOf, csv } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady, latestRow, waitForState } from '../lib/app.mjs';
import { expect } from '../lib/expect.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function assertValidTrackId(id) {
  assert.ok(id && id.length <= 64, `track id ${id} at most 64 chars`);
  assert.match(id, /^[\x21-\x7e]+$/);
  assert.doesNotMatch(id, /[:;"']/);
}

// Accepted: Zuora gave a bulk key, and the job is followed (or already done).
function assertAccepted(state, text) {
  assert.ok(['following', 'completed'].includes(state), `${state}: ${text}`);
}

async function submitAndCheckReceived(page, file, actionType) {
  await chooseFile(page, file);
  const shownMd5 = await waitForReady(page);
  assert.equal(shownMd5, md5(file.buffer), 'the page shows the MD5 of the file');
  await chooseAction(page, actionType);
  await submitButton(page).click();
  const row = await latestRow(page);
  assertAccepted(await row.getAttribute('data-state'), await row.textContent());

  const posts = await h.sandbox.bulkPosts();
  assert.equal(posts.length, 1, 'exactly one request');
  const [post] = posts;
  assert.deepEqual(post.parts.map((p) => p.name), ['file', 'params'], 'exactly two parts, file then params');
  const [filePart, paramsPart] = post.parts;
  assert.equal(filePart.filename, file.name);
  assert.equal(filePart.size, file.buffer.length);
  assert.equal(filePart.md5, md5(file.buffer));
  assert.ok((await h.sandbox.part(post.seq, 0)).equals(file.buffer), 'byte-identical file');
  assert.equal(paramsPart.filename, null, 'params is a text field');
  assert.deepEqual(JSON.parse(paramsPart.text), { actionType, checksum: md5(file.buffer) });

  const idempotencyKey = post.headers['idempotency-key'];
  assert.match(idempotencyKey, UUID_V4);
  const trackId = post.headers['zuora-track-id'];
  assertValidTrackId(trackId);
  assert.equal(post.responseStatus, 200);

  const [action] = await h.sandbox.massActions();
  assert.equal(action.actionType, actionType);
  assert.equal(await row.locator('.bulk-key').textContent(), action.bulkKey, 'the page shows the bulk key');
  assert.equal(await row.locator('[data-key=idempotency]').textContent(), idempotencyKey, 'key shown');
  assert.equal(await row.locator('[data-key=track]').textContent(), trackId, 'track id shown');
  return { page, row, post };
}

test('a valid CSV is sent byte for byte and its bulk key is shown', async () => {
  const page = await h.freshPage();
  const file = { name: 'fx-rates.csv', buffer: fxRates() };
  await submitAndCheckReceived(page, file, 'ImportFXRate');
  assert.equal(await page.locator('.file-summary--ready').count(), 0, 'the sent file leaves the form');
  const bulkKey = await page.locator('.bulk-key').textContent();
  const sentence = await page.locator('tr.job .job-sentence').textContent();
  assert.ok(sentence.includes(`Zuora accepted the file (bulk key ${bulkKey})`) || sentence.startsWith('Completed:'), sentence);
  await page.screenshot({ path: path.join(artifacts, 'submitted-csv.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('a zip holding one CSV is sent byte for byte and its bulk key is shown', async () => {
  const page = await h.freshPage();
  const file = { name: 'Delete-Schedules.ZIP', buffer: zipOf('delete.csv', csv([['Revenue Schedule Number'], ['RS-00000256']])) };
  await submitAndCheckReceived(page, file, 'DeleteRevenueSchedule');
  assert.deepEqual(page.errors, []);
});

async function assertRefused(page, file, sentence) {
  await chooseFile(page, file);
  const refusal = page.locator('.file-summary--refused');
  await refusal.waitFor();
  const text = await refusal.textContent();
  assert.ok(text.includes(sentence), `expected “${sentence}” in: ${text}`);
  assert.ok(await submitButton(page).isDisabled(), 'submit stays disabled');
  await chooseAction(page, 'MPU');
  assert.ok(await submitButton(page).isDisabled(), 'even with an action type chosen');
  const apiCalls = (await h.sandbox.requests()).filter((r) => r.path.startsWith('/v1/'));
  assert.equal(apiCalls.length, 0, 'the sandbox received nothing');
}

test('an oversized zip is refused, stating both figures, and nothing is sent', async () => {
  const page = await h.freshPage();
  const buffer = Buffer.alloc(4_000_001, 'a');
  await assertRefused(page, { name: 'big.zip', buffer }, '“big.zip” is too large: 4,000,001 bytes; the limit is 4,000,000 bytes.');
  await page.screenshot({ path: path.join(artifacts, 'refused-oversized.png'), fullPage: true });
});

test('a .txt file is refused and nothing is sent', async () => {
  const page = await h.freshPage();
  await assertRefused(page, { name: 'notes.txt', buffer: Buffer.from('hello') }, 'is not a .csv or .zip file');
});

test('an empty file is refused and nothing is sent', async () => {
  const page = await h.freshPage();
  await assertRefused(page, { name: 'empty.csv', buffer: Buffer.alloc(0) }, '“empty.csv” is empty (0 bytes)');
});

test('a .zip that is not a ZIP archive is refused and nothing is sent', async () => {
  const page = await h.freshPage();
  await assertRefused(page, { name: 'fake.zip', buffer: fxRates() }, 'does not start with the ZIP signature');
});

async function readyToSubmit(page) {
  await chooseFile(page, { name: 'fx.csv', buffer: fxRates() });
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
}

test('a 500 from Zuora shows its reasons and the HTTP status', async () => {
  const page = await h.freshPage();
  await h.sandbox.fault({ kind: 'status', status: 500, path: '/v1/bulk' });
  await readyToSubmit(page);
  await submitButton(page).click();
  const row = await latestRow(page);
  const text = await row.textContent();
  assert.equal(await row.getAttribute('data-state'), 'unknown');
  assert.ok(text.includes('Zuora failed with an internal error (HTTP 500)'), text);
  assert.ok(text.includes('SystemError'), text);
  assert.ok(text.includes('internal server error'), text);
  assert.match(await row.locator('.answer').textContent(), /HTTP status\s*500/);
  // The file is kept with the job, so the user can decide what to do.
  assert.ok(await row.locator('[data-action=send-again]').isEnabled(), 'Send again is offered');
  await readyToSubmit(page);
  assert.match(await page.locator('.submit-panel .hint').textContent(), /ended with HTTP 500 and Zuora may have processed it\. Check Zuora before sending it again\./);
  await page.screenshot({ path: path.join(artifacts, 'failed-500.png'), fullPage: true });
});

test('a refusal by Zuora shows its code, message and request id', async () => {
  const page = await h.freshPage();
  await chooseFile(page, { name: 'fx.csv', buffer: fxRates() });
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  // The sandbox only accepts files up to its own limit; shrink it so Zuora says no.
  await h.sandbox.configure({ maxFileBytes: 10 });
  await submitButton(page).click();
  const row = await latestRow(page);
  const text = await row.textContent();
  assert.equal(await row.getAttribute('data-state'), 'refused');
  assert.match(text, /Zuora refused the request \(HTTP 4\d\d\)/);
  const [post] = await h.sandbox.bulkPosts();
  assert.match(text, /\d{8}/, 'an 8-digit Zuora code is shown');
  assert.ok(text.includes('Zuora-Request-Id'), text);
  assert.equal(post.responseStatus >= 400, true);
});

test('a bad gateway and a dropped connection each get their own message, and are retried under one key', async () => {
  const page = await h.freshPage();
  await h.sandbox.fault({ kind: 'status', status: 502, path: '/v1/bulk' });
  await h.sandbox.fault({ kind: 'drop', path: '/v1/bulk' });
  await readyToSubmit(page);
  await submitButton(page).click();
  const row = page.locator('tr.job').first();
  await expect(async () => (await row.locator('.job-sentence').textContent()).includes('The proxy in front of Zuora answered HTTP 502'), 'the 502 is explained');
  await expect(async () => (await row.locator('.job-sentence').textContent()).includes('The request did not reach Zuora'), 'the dropped connection is explained');
  assertAccepted(await (await latestRow(page)).getAttribute('data-state'), await row.textContent());

  const keys = (await h.sandbox.bulkPosts()).map((p) => p.headers['idempotency-key']);
  assert.equal(keys.length, 3);
  assert.ok(keys.every((k) => k === keys[0]), 'an unknown outcome is retried under the same Idempotency-Key');
  assert.equal((await h.sandbox.massActions()).length, 1);
});

test('a double click sends one request', async () => {
  const page = await h.freshPage();
  await h.sandbox.configure({ processingDelayMs: 400 });
  await readyToSubmit(page);
  await submitButton(page).dblclick();
  assert.ok(await submitButton(page).isDisabled(), 'the file has left the form');
  await waitForState(page.locator('tr.job').first(), 'sending');
  const row = await latestRow(page);
  assertAccepted(await row.getAttribute('data-state'), await row.textContent());
  assert.equal(await page.locator('tr.job').count(), 1, 'one job');
  assert.equal((await h.sandbox.bulkPosts()).length, 1);
  assert.equal((await h.sandbox.massActions()).length, 1);
});

test('the keyboard alone can choose a file and submit it', async () => {
  const page = await h.freshPage();
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Choose file');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles({ name: 'fx.csv', mimeType: 'text/csv', buffer: fxRates() });
  await waitForReady(page);
  // The first stop after the file is the suggested action type.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Use ImportFXRate');
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('Action type').inputValue(), 'ImportFXRate');
  // Onwards, past the findings and the preview, to Submit.
  let stops = 0;
  while ((await page.evaluate(() => document.activeElement.textContent.trim())) !== 'Submit mass action') {
    assert.ok(++stops < 12, 'Submit is reachable with a few presses of Tab');
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  const row = await latestRow(page);
  assertAccepted(await row.getAttribute('data-state'), await row.textContent());
});

test('a file dropped on the page is checked like a chosen one', async () => {
  const page = await h.freshPage();
  const buffer = fxRates();
  const transfer = await page.evaluateHandle((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'dropped.csv', { type: 'application/vnd.ms-excel' }));
    return dt;
  }, [...buffer]);
  await page.dispatchEvent('.drop-zone', 'drop', { dataTransfer: transfer });
  assert.equal(await waitForReady(page), md5(buffer));
});
