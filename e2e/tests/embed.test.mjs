// Configuration, embedding and the host page: sources and their precedence, mount and
// unmount, several instances, host events (DOM and postMessage), token mode and gzip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { startHarness, artifacts } from '../lib/harness.mjs';
import { fxRates, md5 } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, latestRow, readyHashWorker } from '../lib/app.mjs';
import { expect } from '../lib/expect.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

/** Serves `html` at `path` of the app's origin, for this page only. */
async function servePage(page, route, html) {
  await page.route(`**${route}`, (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
}

/** A host page that mounts the app into #a (and #b) with the given options. */
function hostPage({ a = {}, b = null, meta = '', dataset = '' } = {}) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Host</title>${meta}</head>
<body><main><h1>Host</h1><div id="a" ${dataset}></div><div id="b"></div></main>
<script type="module">
  import { mount } from '/embed.js';
  window.events = [];
  for (const name of ['file-accepted', 'file-rejected', 'submitted', 'status-changed', 'completed', 'failed']) {
    document.addEventListener('mass-updater:' + name, (e) => window.events.push({ type: e.type, target: e.target.id, detail: e.detail }));
  }
  window.apps = { a: await mount(document.getElementById('a'), ${JSON.stringify(a)}) };
  ${b ? `window.apps.b = await mount(document.getElementById('b'), ${JSON.stringify(b)});` : ''}
  document.body.dataset.ready = 'true';
</script></body></html>`;
}

async function openHost(page, options) {
  await servePage(page, '/host.html', hostPage(options));
  await page.goto(`${h.appUrl}/host.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}

async function settings(page, root) {
  await page.locator(`${root} details.settings > summary`).click();
  return page.locator(`${root} .settings-table tbody tr`).evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.cells[0].textContent, { value: r.cells[1].textContent, from: r.cells[2].textContent }])));
}

test('settings come from the page, a JSON file and the host, later winning, and say where from', async () => {
  const page = await h.freshPage();
  await servePage(page, '/settings.json', '');
  await page.route('**/settings.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ uploadConcurrency: 3, trackIdPrefix: 'from-file-', theme: 'dark', colour: 'red' }) }));
  await openHost(page, {
    meta: '<meta name="mass-updater:max-file-bytes" content="5000000"><meta name="mass-updater:config-url" content="/settings.json">',
    dataset: 'data-track-id-prefix="from-data-" data-poll-first-ms="2000"',
    a: { theme: 'light', uploadConcurrency: 40 },
  });
  const s = await settings(page, '#a');
  assert.deepEqual(s.maxFileBytes, { value: '5,000,000 bytes', from: 'page' });
  assert.deepEqual(s.pollFirstMs, { value: '2,000 ms', from: 'page' });
  assert.deepEqual(s.trackIdPrefix, { value: 'from-file-', from: 'configuration file' }, 'the file wins over the page');
  assert.deepEqual(s.theme, { value: 'light', from: 'host' }, 'the host wins over the file');
  assert.deepEqual(s.uploadConcurrency, { value: '3', from: 'configuration file' }, 'an invalid host value leaves the earlier one');
  assert.deepEqual(s.apiBase.from, 'built-in default');
  const problems = await page.locator('#a .config-problems li').allTextContents();
  assert.ok(problems.some((p) => p.includes('uploadConcurrency “40”')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('“colour” is not a setting')), problems.join('\n'));
  assert.ok(await page.locator('#a .mass-updater--light').count() === 1);
});

test('two instances on one page keep their own state, events name their element, and unmount cleans up', async () => {
  const page = await h.freshPage();
  await openHost(page, { a: {}, b: { theme: 'dark' } });
  assert.equal(await page.locator('.mass-updater').count(), 2);
  const worker = await readyHashWorker(page);
  const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => e.id).filter((id) => id.startsWith('mu-')));
  assert.equal(new Set(ids).size, ids.length, 'element ids are unique across instances');

  await page.locator('#b input[type=file]').setInputFiles({ name: 'fx.csv', mimeType: 'text/csv', buffer: fxRates() });
  await page.locator('#b .file-summary[data-phase=ready]').waitFor();
  assert.equal(await page.locator('#a .file-summary').count(), 0, 'the other instance is untouched');
  const accepted = await page.evaluate(() => window.events.filter((e) => e.type === 'mass-updater:file-accepted'));
  assert.equal(accepted.length, 1);
  assert.equal(accepted[0].target, 'b');
  assert.equal(accepted[0].detail.md5, md5(fxRates()));
  assert.equal(accepted[0].detail.detectedActionType, 'ImportFXRate');

  // A paste inside one instance goes to that one only.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Revenue Schedule Number\r\nRS-1\r\n'], 'pasted.csv', { type: 'text/csv' }));
    document.querySelector('#a .drop-zone button').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  });
  await page.locator('#a .file-summary[data-phase=ready]').waitFor();
  assert.equal(await page.locator('#b .file-name').first().textContent(), 'fx.csv');
  assert.equal(page.workers().length, 1, 'one hashing worker for the page');
  assert.equal(await worker.evaluate(() => self.hashed), 2, 'it hashed both instances’ files');

  await page.evaluate(() => window.apps.a.unmount());
  assert.equal(await page.locator('#a').innerHTML(), '', 'the view is gone');
  // The other instance still works.
  await page.locator('#b').getByRole('button', { name: 'Use ImportFXRate' }).click();
  await page.locator('#b').getByRole('button', { name: 'Submit mass action' }).click();
  await expect(async () => (await page.evaluate(() => window.events.some((e) => e.type === 'mass-updater:submitted'))), 'submitted event');
  const submitted = await page.evaluate(() => window.events.find((e) => e.type === 'mass-updater:submitted'));
  const [action] = await h.sandbox.massActions();
  assert.equal(submitted.detail.bulkKey, action.bulkKey);
  assert.equal(submitted.target, 'b');
  await expect(async () => (await page.evaluate(() => window.events.some((e) => e.type === 'mass-updater:completed'))), 'completed event', 30000);
  const completed = await page.evaluate(() => window.events.find((e) => e.type === 'mass-updater:completed'));
  assert.equal(completed.detail.status, 'completed');
  assert.deepEqual(page.errors, []);
});

test('inside an iframe, events are posted to the configured origin only', async () => {
  const page = await h.freshPage();
  const frameHost = (origin) => hostPage({ a: { hostOrigin: origin } });
  await servePage(page, '/framed-good.html', frameHost(h.appUrl));
  await servePage(page, '/framed-other.html', frameHost('https://portal.example.com'));
  await servePage(page, '/outer.html', `<!DOCTYPE html><html lang="en"><head><title>Outer</title></head><body>
<iframe id="good" title="good" src="/framed-good.html"></iframe><iframe id="other" title="other" src="/framed-other.html"></iframe>
<script>window.messages = []; addEventListener('message', (e) => window.messages.push({ from: e.source === document.getElementById('good').contentWindow ? 'good' : 'other', data: e.data }));</script>
</body></html>`);
  await page.goto(`${h.appUrl}/outer.html`);
  for (const id of ['good', 'other']) {
    const frame = page.frameLocator(`#${id}`);
    await frame.locator('input[type=file]').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: fxRates() });
    await frame.locator('.file-summary[data-phase=ready]').waitFor();
  }
  await expect(async () => (await page.evaluate(() => window.messages.length)) > 0, 'a message arrives');
  await page.waitForTimeout(300);
  const messages = await page.evaluate(() => window.messages);
  assert.deepEqual(messages.map((m) => m.from), ['good'], 'the frame configured for another origin posts nothing here');
  assert.equal(messages[0].data.type, 'mass-updater:file-accepted');
  assert.equal(messages[0].data.detail.fileName, 'good.csv');
});

test('the example host page mounts the app, switches its theme and logs its events', async () => {
  const page = await h.freshPage();
  await page.goto(`${h.appUrl}/embed-example.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.locator('#theme').selectOption('dark');
  await page.locator('#mass-updater .mass-updater--dark').waitFor();
  const background = await page.locator('#mass-updater .mass-updater').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(background, 'rgb(13, 17, 23)', 'dark colours');
  await page.locator('#mass-updater input[type=file]').setInputFiles({ name: 'fx.csv', mimeType: 'text/csv', buffer: fxRates() });
  await expect(async () => (await page.locator('#event-log li').count()) > 0, 'an event is logged');
  assert.match(await page.locator('#event-log li').first().textContent(), /mass-updater:file-accepted/);
  await page.screenshot({ path: path.join(artifacts, 'embed-example-dark.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('token mode sends the typed token, which stays in this tab only', async () => {
  const page = await h.freshPage();
  await openHost(page, { a: { authMode: 'token' } });
  await page.locator('#a details.settings > summary').click();
  const field = page.getByLabel('Token');
  assert.equal(await field.getAttribute('type'), 'password');
  await field.fill('dev-token-123');
  await field.press('Enter');
  await field.blur();
  await expect(async () => (await page.locator('#a .settings [role=status]').textContent()).includes('A token is set'), 'token noted');
  assert.equal(await field.inputValue(), '', 'the field does not keep showing it');
  const seen = [];
  page.on('request', (r) => { if (r.url().includes('/v1/bulk')) seen.push(r.headers().authorization); });
  await chooseFile(page, { name: 'fx.csv', buffer: fxRates() });
  await page.getByRole('button', { name: 'Use ImportFXRate' }).click();
  await submitButton(page).click();
  await latestRow(page);
  assert.equal(seen[0], 'Bearer dev-token-123');
  const stored = await page.evaluate(() => ({ local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage) }));
  assert.ok(!stored.local.includes('dev-token-123'), 'never in localStorage');
  assert.ok(stored.session.includes('dev-token-123'));
});

test('with gzipRequests the upload body goes gzip-compressed and arrives intact', async () => {
  const page = await h.freshPage();
  await page.route(`${h.appUrl}/`, async (r) => {
    const res = await r.fetch();
    const html = (await res.text()).replace('<head>', '<head><meta name="mass-updater:gzip-requests" content="true">');
    await r.fulfill({ response: res, body: html });
  });
  await page.reload();
  const buffer = fxRates();
  await chooseFile(page, { name: 'fx.csv', buffer });
  await chooseAction(page, 'ImportFXRate');
  await submitButton(page).click();
  const row = await latestRow(page);
  assert.ok(['following', 'completed'].includes(await row.getAttribute('data-state')), await row.textContent());
  const [post] = await h.sandbox.bulkPosts();
  assert.equal(post.contentEncoding, 'gzip');
  assert.ok(post.bodySize < post.decodedBodySize, 'smaller on the wire');
  assert.deepEqual(post.parts.map((p) => p.name), ['file', 'params']);
  assert.equal(post.parts[0].filename, 'fx.csv');
  assert.ok((await h.sandbox.part(post.seq, 0)).equals(buffer), 'the file arrives byte for byte');
  assert.deepEqual(JSON.parse(post.parts[1].text), { actionType: 'ImportFXRate', checksum: md5(buffer) });
});
