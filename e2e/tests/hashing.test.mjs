// Who computes the MD5: the hashing worker (hash-worker.js, the app's own module on a
// second thread) when it is ready, the page when the worker cannot start, and the page
// again when the worker fails. Whoever does it, the checksum sent is the file's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from '../lib/harness.mjs';
import { md5, fxRates } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady, latestRow, readyHashWorker } from '../lib/app.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const file = () => ({ name: 'fx-rates.csv', buffer: fxRates() });

/** Submits `f` and checks that the sandbox got its bytes with their MD5 as checksum. */
async function submitAndCheck(page, f) {
  await chooseFile(page, f);
  assert.equal(await waitForReady(page), md5(f.buffer), 'the page shows the file’s MD5');
  await chooseAction(page, 'ImportFXRate');
  await submitButton(page).click();
  const row = await latestRow(page);
  assert.ok(['following', 'completed'].includes(await row.getAttribute('data-state')));
  const [post] = await h.sandbox.bulkPosts();
  assert.equal(post.responseStatus, 200);
  assert.deepEqual(JSON.parse(post.parts[1].text), { actionType: 'ImportFXRate', checksum: md5(f.buffer) });
}

test('the hashing worker computes the MD5 once it is ready', async () => {
  const page = await h.freshPage();
  const worker = await readyHashWorker(page);
  assert.equal(await worker.evaluate(() => self.hashed), 0);
  await submitAndCheck(page, file());
  assert.equal(await worker.evaluate(() => self.hashed), 1, 'the worker hashed the file');
  assert.deepEqual(page.errors, []);
});

test('when the worker cannot start, the page hashes the file itself', async () => {
  const page = await h.freshPage();
  await page.route('**/hash-worker.js*', (route) => route.abort());
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.reload();
  await page.getByRole('button', { name: 'Choose file' }).waitFor();
  await page.waitForTimeout(500); // past the idle moment at which the worker would start
  await submitAndCheck(page, file());
  assert.equal(page.workers().length, 0);
  assert.ok(warnings.some((w) => w.includes('files are hashed on the page')), `a warning says why: ${warnings}`);
  assert.deepEqual(page.errors, []);
});

test('when the worker fails on a file, the page reads it again and hashes it', async () => {
  const page = await h.freshPage();
  // A stand-in worker that starts but cannot hash anything.
  await page.route('**/hash-worker.js*', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `self.ready = true;
      self.onmessage = ({ data }) => self.postMessage(data.module ? { ready: true } : { id: data.id, error: 'NotReadableError' });`,
  }));
  await page.reload();
  await page.getByRole('button', { name: 'Choose file' }).waitFor();
  await readyHashWorker(page);
  await submitAndCheck(page, file());
  assert.deepEqual(page.errors, []);
});
