// Who computes the MD5: the hashing worker (hash-worker.js, the app's own module on a
// second thread) when it is ready, the page when the worker cannot start, and the page
// again when the worker fails. Whoever does it, the checksum sent is the file's. The
// page reads a file once and hands each chunk on to the worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHarness } from '../lib/harness.mjs';
import { md5, fxRates } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady, latestRow, readyHashWorker, recordPhases, phases } from '../lib/app.mjs';
import { expect } from '../lib/expect.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const file = () => ({ name: 'fx-rates.csv', buffer: fxRates() });
const CHUNK = 4 * 1024 * 1024; // the app's CHUNK_BYTES

/** ImportFXRate rows, `bytes` long or a little more: a file of several chunks. */
function fxFile(bytes) {
  const lines = ['Group ID,Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate'];
  let size = lines[0].length + 2;
  for (let i = 0; size < bytes; i++) {
    const line = `g${Math.floor(i / 3)},2026-11-27,USD,EUR,0.${1000 + (i % 9000)}`;
    lines.push(line);
    size += line.length + 2;
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

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

test('the hashing worker computes the MD5 from the chunks the page reads', async () => {
  const page = await h.freshPage();
  const worker = await readyHashWorker(page);
  assert.equal(await worker.evaluate(() => self.hashed), 0);
  // Three chunks, the last short, so their order matters (over the size limit: checked
  // and hashed, not sent).
  const big = { name: 'fx-rates.csv', buffer: fxFile(2.5 * CHUNK) };
  await recordPhases(page);
  await chooseFile(page, big);
  assert.equal(await waitForReady(page), md5(big.buffer), 'the page shows the big file’s MD5');
  assert.deepEqual(await phases(page), ['reading', 'ready'], 'its progress was shown while it was read');
  assert.equal(await worker.evaluate(() => self.hashed), 1, 'the worker hashed the big file');
  assert.equal(await worker.evaluate(() => self.chunks), 3, 'every chunk, once');
  // One within the limit (one chunk) is sent with the worker's MD5.
  const f = { name: 'fx-rates.csv', buffer: fxFile(3_500_000) };
  await submitAndCheck(page, f);
  assert.equal(await worker.evaluate(() => self.hashed), 2, 'the worker hashed the file sent');
  assert.equal(await worker.evaluate(() => self.chunks), 4);
  assert.deepEqual(page.errors, []);
});

test('a file read in one go goes straight to its verdict, and the next one replaces it at once', async () => {
  const page = await h.freshPage();
  await readyHashWorker(page);
  await recordPhases(page);
  const first = { name: 'fx-rates.csv', buffer: fxFile(100_000) };
  await chooseFile(page, first);
  assert.equal(await waitForReady(page), md5(first.buffer));
  // Checked within 150 ms, so no progress line flashed before the verdict.
  assert.deepEqual(await phases(page, true), ['ready']);
  // The first file's verdict (and its Submit) goes as soon as the second is chosen.
  const second = { name: 'more-rates.csv', buffer: fxFile(200_000) };
  await chooseFile(page, second);
  await expect(async () => (await phases(page)).includes('ready'), 'the second verdict');
  assert.deepEqual(await phases(page), ['reading', 'ready']);
  assert.equal(await waitForReady(page), md5(second.buffer));
  assert.deepEqual(page.errors, []);
});

test('a file replaced while it is read is dropped by the worker too', async () => {
  const page = await h.freshPage();
  const worker = await readyHashWorker(page);
  // Read from disk, as a user's file is: big enough to be mid-read when the next comes.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mu-hashing-'));
  const big = path.join(dir, 'fx-big.csv');
  const bigBytes = fxFile(16 * CHUNK);
  writeFileSync(big, bigBytes);
  try {
    await page.locator('input[type=file]').setInputFiles(big);
    await expect(async () => (await worker.evaluate(() => self.chunks)) > 0, 'the big file’s first chunk reached the worker', 10000);
    const small = file();
    await chooseFile(page, small);
    assert.equal(await waitForReady(page), md5(small.buffer), 'the page shows the second file’s MD5');
    assert.equal(await worker.evaluate(() => self.hashed), 1, 'only the second file was answered');
    const chunks = await worker.evaluate(() => self.chunks);
    assert.ok(chunks < Math.ceil(bigBytes.length / CHUNK) + 1, `the big file was not read to its end (${chunks} chunks in all)`);
    assert.equal(await worker.evaluate(() => self.open()), 0, 'the worker let go of the big file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(page.errors, []);
});

/** `n` bytes of a fixed pattern, and the app's md5File of the same bytes as a File
 *  made in the page. */
const pattern = (n) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 31) % 251));
const md5FileInPage = (page, n) =>
  page.evaluate((n) => window.wasmBindings.md5File(new File([Uint8Array.from({ length: n }, (_, i) => (i * 31) % 251)], 'p.csv')), n);

test('after an error on a file, the worker drops that file’s later chunks', async () => {
  const page = await h.freshPage();
  const worker = await readyHashWorker(page);
  const seen = await worker.evaluate(async () => {
    const answers = [];
    const post = self.postMessage;
    self.postMessage = (m) => answers.push(m);
    const id = 1e6; // not one the page gave out
    try {
      await self.onmessage({ data: { id, chunk: -1 } }); // not a buffer: the hasher throws
      await self.onmessage({ data: { id, chunk: new ArrayBuffer(64) } });
      const open = self.open();
      await self.onmessage({ data: { id, end: true } });
      await self.onmessage({ data: { id, chunk: new ArrayBuffer(64) } }); // the id is free again
      await self.onmessage({ data: { id, end: true } });
      return { answers, open };
    } finally {
      self.postMessage = post;
    }
  });
  assert.equal(seen.answers.length, 2, JSON.stringify(seen.answers));
  assert.match(seen.answers[0].error, /./, 'the bad chunk is answered with an error');
  assert.equal(seen.open, 0, 'the chunk after the error was not hashed');
  assert.equal(seen.answers[1].md5, md5(Buffer.alloc(64)), 'a later file under the same id is hashed');
  assert.deepEqual(page.errors, []);
});

test('md5File reads on the page and has the worker hash the chunks', async () => {
  const page = await h.freshPage();
  const worker = await readyHashWorker(page);
  const n = 3 * CHUNK + 12_345;
  assert.equal(await md5FileInPage(page, n), md5(pattern(n)));
  assert.equal(await worker.evaluate(() => self.chunks), 4, 'the worker hashed its four chunks');
  assert.equal(await worker.evaluate(() => self.open()), 0);
  assert.equal(await md5FileInPage(page, 0), md5(Buffer.alloc(0)), 'an empty file too');
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
  const n = 2 * CHUNK + 1;
  assert.equal(await md5FileInPage(page, n), md5(pattern(n)), 'md5File too');
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
