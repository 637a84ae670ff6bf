// Repairing a file in the browser: one-click fixes grouped by kind, a question where a
// column reads two ways, an edit in place, the repaired file sent with its own MD5, the
// list of changes, and undo back to the original.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { startHarness, artifacts } from '../lib/harness.mjs';
import { md5, zipOf } from '../lib/files.mjs';
import { unzipSync } from 'fflate';
import { chooseFile, chooseAction, submitButton, waitForReady, latestRow } from '../lib/app.mjs';
import { expect } from '../lib/expect.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const HEADER = 'Group ID,Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate';
const lines = (...rows) => Buffer.from([HEADER, ...rows].join('\r\n') + '\r\n');

/** The Fix button whose name begins with `start`. */
const fix = (page, start) => page.getByRole('button', { name: new RegExp(`^${start}`) });

/** Clicks a Fix button and waits for the repaired file's verdict. */
async function click(page, button) {
  const before = await page.locator('[data-fact=md5]').textContent();
  await button.click();
  await expect(async () => (await page.locator('[data-fact=md5]').textContent().catch(() => before)) !== before, 'the repaired file is checked');
  await waitForReady(page);
}

async function sentFile() {
  const [post] = await h.sandbox.bulkPosts();
  return { bytes: await h.sandbox.part(post.seq, 0), params: JSON.parse(post.parts[1].text), posts: (await h.sandbox.bulkPosts()).length };
}

test('Excel dates, formatted rates and a mis-cased currency: three clicks make the file sendable, and exactly the repaired bytes go with their MD5', async () => {
  const page = await h.freshPage();
  const original = lines('g1,01/31/2026,usd,EUR,"1,234.50"', 'g2,12/25/2026,USD,GBP,0.79');
  await chooseFile(page, { name: 'rates.csv', buffer: original });
  assert.equal(await waitForReady(page), md5(original));
  await chooseAction(page, 'ImportFXRate');
  await page.locator('.repairs .repair').first().waitFor();
  await page.screenshot({ path: path.join(artifacts, 'repair-offers.png'), fullPage: true });

  await click(page, fix(page, 'Fix 2 dates'));
  await click(page, fix(page, 'Fix 1 number'));
  await click(page, fix(page, 'Fix the spelling of 1 value'));
  assert.equal(await page.locator('.preflight').getAttribute('data-errors'), '0', await page.locator('.preflight').textContent());
  const expected = lines('g1,2026-01-31,USD,EUR,"1234.50"', 'g2,2026-12-25,USD,GBP,0.79');
  assert.equal(await page.locator('[data-fact=md5]').textContent(), md5(expected), 'the summary shows the repaired file\'s MD5');
  assert.match(await page.locator('[data-repaired]').textContent(), /4 cells repaired\. The original is unchanged\./);

  // The list of changes: one row per cell, with the repair that made it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the list of changes' }).click()]);
  assert.equal(download.suggestedFilename(), 'rates-changes.csv');
  const changes = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
  assert.equal(changes.length, 5, changes.join('\n'));
  for (const [before, after] of [['01/31/2026', '2026-01-31'], ['12/25/2026', '2026-12-25'], ['usd', 'USD'], ['"1,234.50"', '1234.50']]) {
    assert.ok(changes.some((l) => l.includes(`${before},${after}`)), `${before} → ${after} in\n${changes.join('\n')}`);
  }

  await submitButton(page).click();
  await latestRow(page);
  const sent = await sentFile();
  assert.equal(sent.posts, 1);
  assert.equal(sent.bytes.toString(), expected.toString());
  assert.ok(sent.bytes.equals(expected), 'byte-identical to the repaired file');
  assert.deepEqual(sent.params, { actionType: 'ImportFXRate', checksum: md5(expected) });
  assert.deepEqual(page.errors, []);
});

test('a column whose dates read two ways asks first and converts nothing until told; undo goes back to the original bytes', async () => {
  const page = await h.freshPage();
  const original = lines('g1,01/02/2026,USD,EUR,0.9', 'g2,03/04/2026,USD,GBP,0.79');
  await chooseFile(page, { name: 'ambiguous.csv', buffer: original });
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  const question = page.locator('.repair--question');
  await question.waitFor();
  assert.match(await question.textContent(), /read two ways.*Which comes first in this file, the month or the day\? Nothing is changed until you say\./);
  assert.equal(await page.locator('[data-fact=md5]').textContent(), md5(original), 'nothing converted yet');
  await page.screenshot({ path: path.join(artifacts, 'repair-question.png'), fullPage: true });
  await click(page, fix(page, 'Fix 2 dates in “Provider Exchange Rate Date”, day first'));
  const dayFirst = lines('g1,2026-02-01,USD,EUR,0.9', 'g2,2026-04-03,USD,GBP,0.79');
  assert.equal(await page.locator('[data-fact=md5]').textContent(), md5(dayFirst));

  await click(page, page.getByRole('button', { name: 'Undo all changes' }));
  assert.equal(await page.locator('[data-fact=md5]').textContent(), md5(original), 'the original, byte for byte');
  assert.equal(await page.locator('[data-repaired]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a cell edited in place is re-checked at once and sent', async () => {
  const page = await h.freshPage();
  const original = lines('g1,2026-01-31,USD,EUR,abc', 'g2,2026-01-31,USD,GBP,0.79');
  await chooseFile(page, { name: 'edit.csv', buffer: original });
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  // The flagged cell in the preview has the same editor as its finding.
  await page.locator('.preview-table td.cell--error .cell-editor button').click();
  const field = page.getByRole('textbox', { name: 'Row 2, column “Exchange Rate”' });
  await field.waitFor();
  await field.press('Escape');
  await page.locator('.finding .cell-editor button').first().click();
  await field.waitFor();
  await page.screenshot({ path: path.join(artifacts, 'repair-editor.png'), fullPage: true });
  // Escape closes it unchanged.
  await field.press('Escape');
  assert.equal(await field.count(), 0);
  await page.locator('.finding .cell-editor button').first().click();
  await field.fill('0.92');
  const before = await page.locator('[data-fact=md5]').textContent();
  await field.press('Enter');
  await expect(async () => (await page.locator('[data-fact=md5]').textContent().catch(() => before)) !== before, 'the edited file is checked');
  await waitForReady(page);
  assert.equal(await page.locator('.preflight').getAttribute('data-errors'), '0');
  const expected = lines('g1,2026-01-31,USD,EUR,0.92', 'g2,2026-01-31,USD,GBP,0.79');
  await submitButton(page).click();
  await latestRow(page);
  const sent = await sentFile();
  assert.ok(sent.bytes.equals(expected), sent.bytes.toString());
  assert.equal(sent.params.checksum, md5(expected));
  assert.deepEqual(page.errors, []);
});

test('a Windows-1252 file shows the values whose characters change, and is sent as UTF-8', async () => {
  const page = await h.freshPage();
  const header = HEADER + ',Rate Set Name';
  const latin = (text) => Buffer.from(text, 'latin1');
  const original = Buffer.concat([latin(`${header}\r\ng1,2026-01-31,USD,EUR,0.92,M\u00fcller\r\n`)]);
  await chooseFile(page, { name: 'excel.csv', buffer: original });
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  const table = page.locator('.repairs table.recoded');
  await table.waitFor();
  assert.match(await table.textContent(), /Müller/);
  await click(page, fix(page, 'Fix the encoding'));
  assert.equal(await page.locator('.preflight').getAttribute('data-errors'), '0');
  await submitButton(page).click();
  await latestRow(page);
  const sent = await sentFile();
  assert.equal(sent.bytes.toString('utf8'), `${header}\r\ng1,2026-01-31,USD,EUR,0.92,Müller\r\n`);
  assert.deepEqual(page.errors, []);
});

test('a .zip is repaired into a new .zip holding the repaired CSV under the same entry name', async () => {
  const page = await h.freshPage();
  const inner = lines('g1,01/31/2026,USD,EUR,0.92');
  await chooseFile(page, { name: 'rates.zip', buffer: zipOf('month-end/rates.csv', inner) });
  await waitForReady(page);
  await chooseAction(page, 'ImportFXRate');
  await click(page, fix(page, 'Fix 1 date'));
  assert.equal(await page.locator('.preflight').getAttribute('data-errors'), '0');
  await submitButton(page).click();
  await latestRow(page);
  const sent = await sentFile();
  const entries = unzipSync(new Uint8Array(sent.bytes));
  assert.deepEqual(Object.keys(entries), ['month-end/rates.csv']);
  assert.equal(Buffer.from(entries['month-end/rates.csv']).toString(), lines('g1,2026-01-31,USD,EUR,0.92').toString());
  assert.equal(sent.params.checksum, md5(sent.bytes));
  assert.deepEqual(page.errors, []);
});

test('a file too large to keep is read again for the writer; a file handed over while a repair is written stays in the form', async () => {
  const page = await h.freshPage();
  await chooseAction(page, 'ImportFXRate');
  // About 15 MB of FX rates whose dates are all M/D/YYYY: over the size at which the
  // survey keeps the bytes (one read), so the writer reads the file again in chunks, and
  // long enough to write that another file can come in meanwhile.
  const text = (date) => {
    const rows = [HEADER + ',# Note'];
    for (let i = 0; i < 80_000; i++) rows.push(`g${i},${date(13 + (i % 16))},USD,EUR,0.${9000 + (i % 999)},${'x'.repeat(160)}`);
    return Buffer.from(rows.join('\r\n') + '\r\n');
  };
  const original = text((day) => `01/${day}/2026`);
  const expected = text((day) => `2026-01-${day}`);
  assert.ok(original.length > 4 * 1024 * 1024, `${original.length} bytes`);
  await chooseFile(page, { name: 'big-rates.csv', buffer: original });
  const dates = fix(page, 'Fix 80,000 dates');
  await dates.waitFor({ timeout: 60_000 });

  // Another file comes in while the repaired one is being written: it stays.
  const small = lines('g1,2026-01-31,USD,EUR,0.92');
  await dates.click();
  await chooseFile(page, { name: 'small.csv', buffer: small });
  assert.equal(await waitForReady(page), md5(small));
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('.file-name').textContent(), 'small.csv');
  assert.equal(await page.locator('[data-fact=md5]').textContent(), md5(small));

  // The same large file again, repaired to the end: the writer's chunks make exactly
  // the file expected.
  await chooseFile(page, { name: 'big-rates.csv', buffer: original });
  await dates.waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-fact=md5]').textContent(), md5(original));
  await dates.click();
  await expect(async () => (await page.locator('[data-fact=md5]').textContent().catch(() => '')) === md5(expected), 'the repaired file is checked', 60_000);
  assert.equal(await page.locator('.preflight').getAttribute('data-errors'), '0');
  assert.match(await page.locator('[data-repaired]').textContent(), /80,000 cells repaired/);
  assert.deepEqual(page.errors, []);
});

test('Submit waits while a repaired file is being written, then sends it', async () => {
  const page = await h.freshPage();
  await chooseAction(page, 'MPU');
  // About 3.9 MB of payments whose currencies are in small letters: a warning only, so
  // Submit is open for the file as it is, and the repair takes a moment to write.
  const rows = ['Payment Amount,Currency,Payment Date,Payment Method ID,Payment Comment'];
  for (let i = 0; i < 20_000; i++) rows.push(`100.00,usd,2026-02-16,pm${i},${'c'.repeat(160)}`);
  const original = Buffer.from(rows.join('\r\n') + '\r\n');
  const expected = Buffer.from(original.toString().replaceAll(',usd,', ',USD,'));
  await chooseFile(page, { name: 'payments.csv', buffer: original });
  assert.equal(await waitForReady(page), md5(original));
  const spelling = fix(page, 'Fix the spelling of 20,000 values');
  await spelling.waitFor({ timeout: 30_000 });
  assert.equal(await submitButton(page).isEnabled(), true, 'a file with warnings only can be sent as it is');

  // From the click until the repaired file's verdict, Submit is never open.
  const seen = await page.evaluate(async ([before]) => {
    const submit = [...document.querySelectorAll('button')].find((b) => b.textContent.startsWith('Submit'));
    const fixButton = [...document.querySelectorAll('button')].find((b) => b.textContent.startsWith('Fix the spelling'));
    const states = [];
    const done = () => document.querySelector('[data-fact=md5]')?.textContent !== before;
    await new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        states.push(submit.isConnected && !submit.disabled);
        if (done()) { mo.disconnect(); resolve(); }
      });
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      fixButton.click();
    });
    return states;
  }, [md5(original)]);
  assert.ok(seen.includes(false), `Submit never closed while writing: ${seen}`);
  assert.ok(seen.slice(0, -1).every((open) => !open), `Submit open while writing: ${seen}`);
  assert.equal(await page.locator('[data-fact=md5]').textContent(), md5(expected));
  await expect(() => submitButton(page).isEnabled(), 'Submit opens for the repaired file');
  await submitButton(page).click();
  await latestRow(page);
  const sent = await sentFile();
  assert.ok(sent.bytes.equals(expected), 'the repaired bytes are sent');
  assert.equal(sent.params.checksum, md5(expected));
  assert.deepEqual(page.errors, []);
});
