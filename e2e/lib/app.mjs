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

export async function latestRow(page) {
  const row = page.locator('tr.submission').first();
  await row.waitFor();
  await expect(async () => (await row.getAttribute('data-state')) !== 'sending', 'the answer arrives');
  return row;
}
