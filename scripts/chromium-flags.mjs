// The flags headless Chromium needs on these machines (it runs as root, in a container,
// with no network beyond the registries): one list for the end-to-end tests
// (e2e/lib/harness.mjs) and the benchmark (bench/common.mjs), which adds its own.
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
