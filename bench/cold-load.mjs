// Section 7 of `make bench`: the cold load to an interactive app over a throttled
// connection (10 Mbit/s each way, 40 ms round trip, Chromium's DevTools network
// emulation), first visit (empty cache) and repeat visit (the same profile, so the HTTP
// cache and V8's compiled-code cache are warm). The files are served as production
// serves them (deploy/nginx): gzip for text and wasm, hashed files immutable, the page
// and the unhashed scripts revalidated by ETag.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { launchChromium, median } from './common.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
export const THROTTLE = { mbitPerSecond: 10, rttMs: 40 };
const RUNS = Number(process.env.COLD_RUNS ?? 5);

/** dist/ in memory, each file with its gzip body, ETag and caching header. */
function files(distDir) {
  const out = new Map();
  for (const name of readdirSync(distDir)) {
    const ext = path.extname(name);
    if (!TYPES[ext]) continue;
    const body = readFileSync(path.join(distDir, name));
    const hashed = /-[0-9a-f]{16}(_bg)?\.(wasm|js|css)$/.test(name);
    out.set(`/${name}`, {
      type: TYPES[ext],
      body,
      gzip: gzipSync(body, { level: 6 }),
      etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`,
      cache: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  out.set('/', out.get('/index.html'));
  return out;
}

function serve(distDir) {
  const all = files(distDir);
  const server = http.createServer((req, res) => {
    const f = all.get(new URL(req.url, 'http://x').pathname);
    if (!f) return res.writeHead(404).end();
    const headers = { 'content-type': f.type, 'cache-control': f.cache, etag: f.etag, vary: 'accept-encoding' };
    if (req.headers['if-none-match'] === f.etag) return res.writeHead(304, headers).end();
    const gz = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gz) headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers).end(gz ? f.gzip : f.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  })));
}

/** One load of `url` in a new page: ms from navigation start to the drop zone's button, and bytes received. */
async function load(context, url, { clearCache }) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (clearCache) await cdp.send('Network.clearBrowserCache');
  const bytesPerSecond = (THROTTLE.mbitPerSecond * 1_000_000) / 8;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: THROTTLE.rttMs,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: bytesPerSecond,
  });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(url);
  await page.getByRole('button', { name: 'Choose file' }).waitFor({ timeout: 60_000 });
  const ms = await page.evaluate(() => window.__bench?.firstRenderAt ?? performance.now());
  await cdp.detach();
  await page.close();
  return { ms, bytes };
}

export async function measureColdLoad({ distDir, initScript, log = () => {} }) {
  const server = await serve(distDir);
  const { context, close } = await launchChromium('mu-bench-cold-');
  if (initScript) await context.addInitScript({ path: initScript });
  const first = [];
  const repeat = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      first.push(await load(context, server.url, { clearCache: true }));
      repeat.push(await load(context, server.url, { clearCache: false }));
    }
  } finally {
    await close();
    await server.close();
  }
  const sum = (rs) => ({
    ms: median(rs.map((r) => r.ms)),
    min: Math.min(...rs.map((r) => r.ms)),
    max: Math.max(...rs.map((r) => r.ms)),
    bytes: median(rs.map((r) => r.bytes)),
  });
  const result = { runs: RUNS, first: sum(first), repeat: sum(repeat) };
  log(`    first visit ${result.first.ms.toFixed(0)} ms, repeat ${result.repeat.ms.toFixed(0)} ms`);
  return result;
}

export function coldLoadSection(c, { fmt, table, fmtBytes }) {
  const row = (name, r) => [name, `**${fmt(r.ms, 0)}**`, `${fmt(r.min, 0)}–${fmt(r.max, 0)}`, fmtBytes(r.bytes)];
  return `## 7. Cold load on a throttled connection

From navigation start to the app's drop zone in the document (its "Choose file" button is then ready to use), over Chromium's network emulation at ${THROTTLE.mbitPerSecond} Mbit/s each way with ${THROTTLE.rttMs} ms added round trip. The files are served as in production: gzip (level 6), hashed files \`immutable\`, the page and unhashed scripts revalidated by ETag. First visit: the browser's cache cleared before the load. Repeat visit: the next load in the same profile (cached files; V8 may reuse its compiled code). Median of ${c.runs} alternating pairs; bytes are what came over the network (headers included).

${table(['Visit', 'to interactive, ms', 'range ms', 'bytes received'], [row('first visit', c.first), row('repeat visit', c.repeat)])}
`;
}
