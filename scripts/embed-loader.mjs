// Trunk post-build hook: writes `embed.js`, the stable entry point through which a host
// page loads the app (its other files have content hashes in their names), and copies
// the example host page next to it. Runs in Trunk's staging directory.
import { readFile, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this from Trunk (see Trunk.toml)');
const html = await readFile(path.join(staging, 'index.html'), 'utf8');

function asset(pattern, what) {
  const m = html.match(pattern);
  if (!m) throw new Error(`embed-loader: no ${what} in index.html`);
  return m[1];
}
const integrity = (name) => {
  const tag = html.match(new RegExp(`<link[^>]*href="/?${name.replace(/[.]/g, '\\.')}"[^>]*>`));
  return tag?.[0].match(/integrity="([^"]+)"/)?.[1] ?? null;
};
const js = asset(/href="\/?(mass-updater-[0-9a-f]+\.js)"/, 'app script');
const wasm = asset(/href="\/?(mass-updater-[0-9a-f]+_bg\.wasm)"/, 'wasm module');
const css = asset(/href="\/?(main-[0-9a-f]+\.css)"/, 'stylesheet');

const loader = `// Generated at build time by scripts/embed-loader.mjs. The stable way for a host page
// to load the Zuora Mass Updater app and mount it into its own element:
//
//   import { mount } from './embed.js';
//   const app = await mount(element, { apiBase: '/zuora' });
//   app.unmount();
const files = ${JSON.stringify({ js, wasm, css, integrity: { js: integrity(js), wasm: integrity(wasm), css: integrity(css) } }, null, 2)};
const here = (name) => new URL(name, import.meta.url).href;
let started;

/** Loads the app once (stylesheet, script, wasm), without mounting it anywhere. */
export function load() {
  started ??= (async () => {
    globalThis.__massUpdaterEmbedded = true;
    if (!document.querySelector('link[data-mass-updater]')) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = here(files.css);
      if (files.integrity.css) link.integrity = files.integrity.css;
      link.dataset.massUpdater = '';
      document.head.append(link);
    }
    const app = await import(here(files.js));
    const wasm = fetch(here(files.wasm), files.integrity.wasm ? { integrity: files.integrity.wasm } : {});
    await app.default({ module_or_path: wasm });
    return app;
  })();
  return started;
}

/** Mounts a new instance into \`element\` with \`options\` (see README, "Embedding"). */
export async function mount(element, options = {}) {
  const app = await load();
  return app.mount(element, options);
}
`;
await writeFile(path.join(staging, 'embed.js'), loader);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
for (const name of ['embed-example.html', 'embed-example.js', 'embed-example.css']) {
  await copyFile(path.join(root, 'examples', name), path.join(staging, name));
}
