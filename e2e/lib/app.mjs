// What a user does on the page, in the user's terms.
import { expect } from './expect.mjs';

export async function chooseFile(page, file) {
  await page.locator('input[type=file]').setInputFiles({ mimeType: 'application/octet-stream', ...file });
}

export async function chooseAction(page, apiName) {
  await page.getByLabel('Action type').selectOption(apiName);
}

export const submitButton = (page) => page.getByRole('button', { name: /^Submit/ });

export async function waitForReady(page) {
  await page.locator('.file-summary--ready').waitFor();
  return (await page.locator('[data-fact=md5]').textContent()).trim();
}

/** States in which a job is still waiting for Zuora's answer to its upload. */
const SENDING = ['queued', 'sending', 'waiting-to-retry'];

/** The newest job, once its upload has its final answer (a bulk key, or none). */
export async function latestRow(page, timeoutMs = 20000) {
  const row = page.locator('tr.job').first();
  await row.waitFor();
  await expect(async () => !SENDING.includes(await row.getAttribute('data-state')), 'the answer arrives', timeoutMs);
  return row;
}

/** Waits until `row` is in one of `states` (its data-state). */
export async function waitForState(row, states, timeoutMs = 20000) {
  const wanted = [states].flat();
  await expect(async () => wanted.includes(await row.getAttribute('data-state')), `the job is ${wanted.join(' or ')}`, timeoutMs);
}

/** Waits until the row's badge reads `label`. */
export async function waitForBadge(row, label, timeoutMs = 20000) {
  await expect(async () => (await row.locator('.badge').first().textContent()) === label, `the badge reads ${label}`, timeoutMs);
}

/** The in-page confirmation dialog. */
export const dialog = (page) => page.getByRole('alertdialog');

/** The app's hashing worker, once it has said it is ready (hash-worker.js). */
export async function readyHashWorker(page, timeoutMs = 20000) {
  let worker;
  await expect(async () => {
    worker = page.workers().find((w) => w.url().includes('/hash-worker.js'));
    return worker !== undefined && (await worker.evaluate(() => self.ready));
  }, 'the hashing worker is ready', timeoutMs);
  return worker;
}

/** Starts noting each phase the file summary shows (`data-phase`), in order, as the
 * page changes it; `phases(page)` reads the list, `phases(page, true)` empties it. */
export async function recordPhases(page) {
  await page.evaluate(() => {
    window.__phases = [];
    const note = () => {
      const phase = document.querySelector('.file-summary[data-phase]')?.dataset.phase;
      if (phase && window.__phases.at(-1) !== phase) window.__phases.push(phase);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  });
}

export async function phases(page, clear = false) {
  return page.evaluate((clear) => {
    const seen = window.__phases;
    if (clear) window.__phases = [];
    return seen;
  }, clear);
}
