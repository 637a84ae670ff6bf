// Preflight in the browser: a file's problems are found and placed before anything is
// sent; templates pass their own checks; an oversized CSV is compressed or split so that
// every file sent fits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { unzipSync, zipSync } from 'fflate';
import { startHarness, artifacts } from '../lib/harness.mjs';
import { md5, csv, codesWithMistakes } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton } from '../lib/app.mjs';
import { expect } from '../lib/expect.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const ACTION_TYPES = ['UpdateAccountingCode', 'CreateRevenueSchedule', 'UpdateRevenueSchedule', 'DeleteRevenueSchedule', 'ImportFXRate', 'MPU'];

/** Waits for the verdict and returns the phase (ready, findings or refused). */
async function verdict(page) {
  const summary = page.locator('.file-summary[data-phase]:not([data-phase=reading])');
  await summary.waitFor({ timeout: 120_000 });
  return summary.getAttribute('data-phase');
}

async function findingCodes(page) {
  return page.locator('.finding').evaluateAll((items) => items.map((li) => li.dataset.code));
}

async function nothingSent() {
  const apiCalls = (await h.sandbox.requests()).filter((r) => r.path.startsWith('/v1/'));
  assert.equal(apiCalls.length, 0, 'the sandbox received nothing');
}

test('a file with mistakes is explained cell by cell and cannot be sent', async () => {
  const page = await h.freshPage();
  const buffer = codesWithMistakes();
  await chooseFile(page, { name: 'codes.csv', buffer });
  assert.equal(await verdict(page), 'findings');
  await chooseAction(page, 'UpdateAccountingCode');
  await expect(async () => (await page.locator('[data-fact=checked-as]').textContent()).startsWith('Update accounting codes (UpdateAccountingCode)'), 'checked as the chosen type');

  const codes = await findingCodes(page);
  for (const code of ['ragged-row', 'enum-case', 'missing-value']) assert.ok(codes.includes(code), `${code} in ${codes}`);
  const messages = await page.locator('.finding__message').allTextContents();
  assert.ok(messages.some((m) => m.includes('Row 3') && m.includes('Object Type') && m.includes('Invoice Item')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('Row 5') && m.includes('5 values') && m.includes('4 columns')), messages.join('\n'));

  // Marked cells say so in text, not only in colour.
  const marked = page.locator('.preview-table .cell--error');
  assert.ok(await marked.count() >= 3);
  assert.ok((await marked.first().textContent()).includes('✗'));
  assert.ok((await marked.first().textContent()).includes('Error:'), 'a screen reader hears the error');

  // Each finding in the preview links to its cell.
  const link = page.locator('.finding', { hasText: 'Row 3' }).getByRole('link');
  const target = (await link.getAttribute('href')).slice(1);
  await link.click();
  assert.equal(await page.evaluate(() => location.hash.slice(1)), target);
  assert.equal(await page.locator(`#${target}`).textContent().then((t) => t.includes('invoice item')), true);

  assert.ok(await submitButton(page).isDisabled());
  assert.match(await page.locator('.submit-panel .hint').textContent(), /Fix the 3 errors/);
  await page.screenshot({ path: path.join(artifacts, 'preflight-findings.png'), fullPage: true });
  await nothingSent();
  assert.deepEqual(page.errors, []);
});

test('the action type is suggested from the header and only used once the user agrees', async () => {
  const page = await h.freshPage();
  const buffer = csv([['Revenue Schedule Number'], ['RS-00000256']]);
  await chooseFile(page, { name: 'to-delete.csv', buffer });
  assert.equal(await verdict(page), 'ready');
  assert.equal(await page.getByLabel('Action type').inputValue(), '', 'nothing chosen for the user');
  assert.match(await page.locator('.suggestion').textContent(), /looks like “Delete revenue schedules” \(DeleteRevenueSchedule\)/);
  assert.ok(await submitButton(page).isDisabled());
  await page.getByRole('button', { name: 'Use DeleteRevenueSchedule' }).click();
  assert.equal(await page.getByLabel('Action type').inputValue(), 'DeleteRevenueSchedule');
  await expect(async () => submitButton(page).isEnabled(), 'submit enabled once confirmed');
  assert.equal(await page.locator('.suggestion').count(), 0);
});

test('changing the action type re-checks the same rows without reading the file again', async () => {
  const page = await h.freshPage();
  const buffer = csv([['Revenue Schedule Number'], ['RS-00000256']]);
  await chooseFile(page, { name: 'rs.csv', buffer });
  await verdict(page);
  await chooseAction(page, 'MPU');
  await expect(async () => (await findingCodes(page)).includes('missing-column'), 'MPU columns are missing');
  assert.ok(await submitButton(page).isDisabled());
  await chooseAction(page, 'DeleteRevenueSchedule');
  await expect(async () => (await page.locator('.finding').count()) === 0, 'no findings for the right type');
  assert.ok(await submitButton(page).isEnabled());
});

test('every template downloads and passes its own checks', async () => {
  const page = await h.freshPage();
  await page.locator('.templates summary').click();
  for (const action of ACTION_TYPES) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `${action}.csv` }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${action}-template.csv`);
    const buffer = await readFile(await download.path());
    await chooseAction(page, action);
    await chooseFile(page, { name: `${action}.csv`, buffer });
    assert.equal(await verdict(page), 'ready', `${action} template has findings: ${await findingCodes(page)}`);
    assert.equal(await page.locator('.preflight').getAttribute('data-warnings'), '0', action);
    assert.equal(await page.locator('[data-fact=rows]').textContent(), '1');
  }
});

test('text saved in a Windows encoding is caught with its row', async () => {
  const page = await h.freshPage();
  const buffer = Buffer.concat([
    Buffer.from('Revenue Schedule Number\r\nRS-1\r\nRS-'),
    Buffer.from([0xe9]), // “é” in Windows-1252
    Buffer.from('\r\n'),
  ]);
  await chooseFile(page, { name: 'latin.csv', buffer });
  assert.equal(await verdict(page), 'findings');
  const message = await page.locator('.finding[data-code=invalid-utf8] .finding__message').textContent();
  assert.match(message, /Row 3/);
  assert.match(message, /CSV UTF-8/);
});

test('a zip with two CSV files is refused, naming both', async () => {
  const page = await h.freshPage();
  const buffer = Buffer.from(zipSync({ 'a.csv': csv([['Revenue Schedule Number'], ['RS-1']]), 'b.csv': csv([['x'], ['y']]) }));
  await chooseFile(page, { name: 'two.zip', buffer });
  assert.equal(await verdict(page), 'refused');
  const text = await page.locator('.file-summary--refused').textContent();
  assert.ok(text.includes('“a.csv”') && text.includes('“b.csv”'), text);
  await nothingSent();
});

/** An FX-rate file of about `bytes`, groups of three rows; `noise` makes it compress badly. */
function bigFxFile(bytes, noise) {
  const lines = ['Group ID,Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate,#Note'];
  let size = lines[0].length + 2;
  let seed = 42;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  for (let i = 0; size < bytes; i++) {
    const note = noise ? Array.from({ length: 6 }, () => rand().toString(36)).join('') : 'monthly close';
    const line = `g${Math.floor(i / 3)},2026-11-27,USD,EUR,0.${1000 + (i % 9000)},${note}`;
    lines.push(line);
    size += line.length + 2;
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

test('an oversized CSV is compressed in the browser and the zip is what is sent', async () => {
  const page = await h.freshPage();
  const buffer = bigFxFile(4_500_000, false);
  await chooseFile(page, { name: 'fx-big.csv', buffer });
  assert.equal(await verdict(page), 'ready');
  await chooseAction(page, 'ImportFXRate');
  assert.ok(await submitButton(page).isDisabled(), 'not sendable as it is');
  await page.getByRole('button', { name: 'Compress into a .zip' }).click();
  const packedMd5 = (await page.locator('[data-fact=packed-md5]').textContent({ timeout: 60_000 })).trim();
  await submitButton(page).click();
  // The sandbox logs a request when it arrives and its status once answered.
  await expect(async () => (await h.sandbox.bulkPosts()).some((p) => p.responseStatus === 200), 'one answered request', 30_000);
  assert.equal((await h.sandbox.bulkPosts()).length, 1, 'one request');
  const [post] = await h.sandbox.bulkPosts();
  const zip = await h.sandbox.part(post.seq, 0);
  assert.equal(post.parts[0].filename, 'fx-big.zip');
  assert.equal(md5(zip), packedMd5, 'the checksum shown is that of the zip sent');
  assert.deepEqual(JSON.parse(post.parts[1].text), { actionType: 'ImportFXRate', checksum: packedMd5 });
  const entries = unzipSync(new Uint8Array(zip));
  assert.deepEqual(Object.keys(entries), ['fx-big.csv']);
  assert.ok(Buffer.from(entries['fx-big.csv']).equals(buffer), 'the zip holds the original bytes');
  assert.ok(zip.length <= 4_000_000);
});

test('a CSV too big even compressed is split into parts that each fit and keep groups whole', async () => {
  const page = await h.freshPage();
  const buffer = bigFxFile(11_000_000, true);
  await chooseFile(page, { name: 'fx-huge.csv', buffer });
  assert.equal(await verdict(page), 'ready');
  await chooseAction(page, 'ImportFXRate');
  await page.getByRole('button', { name: 'Compress into a .zip' }).click();
  await page.getByRole('button', { name: 'Split into several files' }).click({ timeout: 60_000 });
  await page.locator('.parts li').first().waitFor({ timeout: 120_000 });
  const count = await page.locator('.parts li').count();
  assert.ok(count >= 2, `${count} parts`);
  await page.screenshot({ path: path.join(artifacts, 'preflight-split.png'), fullPage: true });
  await submitButton(page).click();
  // The sandbox logs a request's status once its answer has gone out.
  await expect(async () => {
    const answered = (await h.sandbox.bulkPosts()).filter((p) => p.responseStatus === 200);
    return answered.length === count;
  }, `${count} accepted requests`, 60_000);
  assert.equal((await h.sandbox.massActions()).length, count, `${count} mass actions`);

  const posts = await h.sandbox.bulkPosts();
  const [header, ...originalRows] = buffer.toString('utf8').trimEnd().split('\r\n');
  const received = [];
  for (const post of posts.sort((a, b) => a.parts[0].filename.localeCompare(b.parts[0].filename))) {
    const bytes = await h.sandbox.part(post.seq, 0);
    assert.ok(bytes.length <= 4_000_000, `${post.parts[0].filename} fits`);
    assert.equal(JSON.parse(post.parts[1].text).checksum, md5(bytes));
    const [text] = Object.values(unzipSync(new Uint8Array(bytes))).map((b) => Buffer.from(b).toString('utf8'));
    const [partHeader, ...rows] = text.trimEnd().split('\r\n');
    assert.equal(partHeader, header, 'every part has the header row');
    received.push(rows);
  }
  assert.deepEqual(received.flat(), originalRows, 'together the parts hold every row, in order');
  for (let i = 1; i < received.length; i++) {
    const group = (row) => row.split(',')[0];
    assert.notEqual(group(received[i - 1].at(-1)), group(received[i][0]), 'no group is cut between parts');
  }
});

test('several files handed over together are checked one after another, each its own job', async () => {
  const page = await h.freshPage();
  const files = ['one', 'two', 'three'].map((n) => ({
    name: `fx-${n}.csv`,
    mimeType: 'text/csv',
    buffer: csv([['Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate', '#File'], ['2026-11-27', 'USD', 'EUR', '0.92', n]]),
  }));
  await page.locator('input[type=file]').setInputFiles(files);
  assert.equal(await verdict(page), 'ready');
  assert.equal(await page.locator('.file-summary .file-name').first().textContent(), 'fx-one.csv');
  assert.match(await page.locator('.waiting').textContent(), /2 more files waiting.*fx-two\.csv, fx-three\.csv/);
  await chooseAction(page, 'ImportFXRate');
  for (const next of ['fx-two.csv', 'fx-three.csv']) {
    await submitButton(page).click();
    await expect(async () => (await page.locator('.file-summary[data-phase=ready] .file-name').first().textContent()) === next, `${next} is checked next`);
  }
  assert.equal(await page.locator('.waiting').count(), 0);
  await submitButton(page).click();
  await expect(async () => (await page.locator('tr.job').count()) === 3, 'three jobs');
  await expect(async () => (await h.sandbox.bulkPosts()).filter((p) => p.responseStatus === 200).length === 3, 'three accepted uploads', 30_000);
  const names = (await h.sandbox.bulkPosts()).map((p) => p.parts[0].filename).sort();
  assert.deepEqual(names, ['fx-one.csv', 'fx-three.csv', 'fx-two.csv']);
});

test('nothing from a file, its name or a server answer is ever run as HTML', async () => {
  const page = await h.freshPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const name = '<img src=x onerror=alert(1)>.csv';
  const buffer = csv([
    ['Revenue Schedule Number', '<img src=x onerror=alert(2)>'],
    ['<script>alert(3)</script>', '<b onmouseover=alert(4)>bold</b>'],
  ]);
  await chooseFile(page, { name, buffer });
  await verdict(page);
  assert.equal(await page.locator('.file-summary .file-name').first().textContent(), name, 'the name shows as text');
  assert.ok((await page.locator('.preview-table').textContent()).includes('<script>alert(3)</script>'));
  const findings = await page.locator('.finding__message').allTextContents();
  assert.ok(findings.some((m) => m.includes('<img src=x onerror=alert(2)>')), findings.join('\n'));

  // A server answer with markup in its reasons.
  await page.route('**/v1/bulk', (r) => r.fulfill({
    status: 400,
    contentType: 'application/json',
    body: JSON.stringify({ success: false, processId: 'P1', reasons: [{ code: 50000040, message: '<img src=x onerror=alert(5)> bad' }] }),
  }));
  await chooseAction(page, 'DeleteRevenueSchedule');
  await submitButton(page).click();
  const row = page.locator('tr.job').first();
  await expect(async () => (await row.textContent()).includes('<img src=x onerror=alert(5)> bad'), 'the reason shows as text');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.mass-updater img, .mass-updater script, .mass-updater b').count(), 0, 'no element came from the data');
  assert.deepEqual(dialogs, [], 'nothing ran');
  assert.deepEqual(page.errors, []);
});

test('many findings: the first 20 are listed, the rest of those kept on request, and every one is counted', async () => {
  const page = await h.freshPage();
  // 260 rows, each with an impossible date: 260 errors, of which the app keeps 200.
  const header = ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate', 'Rate Set Name'];
  const rows = Array.from({ length: 260 }, (_, i) => [`g${i}`, '2026-02-30', 'USD', 'EUR', '0.92', '']);
  await chooseFile(page, { name: 'dates.csv', buffer: csv([header, ...rows]) });
  assert.equal(await verdict(page), 'findings');
  await chooseAction(page, 'ImportFXRate');
  await expect(async () => (await page.locator('.findings summary').textContent()) === 'Findings (260)', 'every finding counted');
  const items = page.locator('.findings__list > li.finding');
  assert.equal(await items.count(), 20);
  const more = page.locator('.findings').getByRole('button', { name: 'List 180 more' });
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await more.click();
  await expect(async () => (await items.count()) === 200, 'all 200 kept findings listed');
  const fewer = page.locator('.findings').getByRole('button', { name: 'List only the first 20' });
  assert.equal(await fewer.getAttribute('aria-expanded'), 'true');
  assert.ok(await fewer.evaluate((b) => b === document.activeElement), 'the focus stays on the button');
  assert.equal(await items.nth(199).locator('.finding__message').textContent(), 'Row 201, “Provider Exchange Rate Date”: “2026-02-30” is not a real date; use YYYY-MM-DD.');
  assert.ok((await page.locator('.findings').textContent()).includes('60 more are counted but not listed'));
  await fewer.click();
  await expect(async () => (await items.count()) === 20, 'back to the first 20');
  await nothingSent();
  assert.deepEqual(page.errors, []);
});
