// Section 6 of BENCHMARKS.md: what the gateway costs and what it saves. Both servers are
// release builds started here on free loopback ports: the sandbox as Zuora, the gateway in
// front of it (SQLite in a temporary directory, a development user).
//
//  - Added latency: the same requests sent straight to the sandbox (with its dev token)
//    and through the gateway (which fetches its own token), interleaved one by one so
//    that both see the same machine load; p50 and p99 of each, and their difference.
//  - Coalescing: 30 simulated tabs poll the same mass actions through the gateway; the
//    sandbox's request log counts the GETs that reached it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startListening } from '../scripts/listening.mjs';

const root = path.resolve(import.meta.dirname, '..');
const release = (name) => path.join(root, 'target', 'release', name);
const DEV_TOKEN = 'sandbox-dev-token';
const CLIENT_ID = '5a1b0c2d-0000-4000-8000-5a4db0c0de01';
const CLIENT_SECRET = 'sandbox-dev-secret';

/** Starts `bin` with `args`; `stop` ends it. */
async function start(bin, args) {
  const { child, url } = await startListening(bin, args, { name: path.basename(bin) });
  return { url, stop: () => child.kill('SIGTERM') };
}

const csv = (rows) => ['Object Type,Object ID,Accounting Code', ...Array.from({ length: rows }, (_, i) => `Invoice Item,2c92c0f9${String(i).padStart(24, '0')},4000 Revenue`)].join('\r\n') + '\r\n';

function uploadForm(rows) {
  const form = new FormData();
  form.append('file', new Blob([csv(rows)], { type: 'text/csv' }), 'bench.csv');
  form.append('params', JSON.stringify({ actionType: 'UpdateAccountingCode' }));
  return form;
}

async function submit(base, headers, rows) {
  const res = await fetch(`${base}/v1/bulk`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': randomUUID() }, body: uploadForm(rows) });
  const body = await res.json();
  if (!res.ok || !body.bulkKey) throw new Error(`POST /v1/bulk: ${res.status} ${JSON.stringify(body)}`);
  return body.bulkKey;
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Interleaved pairs: `direct` and `gateway` are functions returning a promise. */
async function sideBySide(n, direct, gateway) {
  const a = [];
  const b = [];
  for (let i = 0; i < n; i += 1) {
    a.push(await timed(direct));
    b.push(await timed(gateway));
  }
  return { direct: a, gateway: b };
}

async function expectOk(res) {
  if (!res.ok) throw new Error(`${res.url}: ${res.status}`);
  await res.arrayBuffer();
}

async function waitEnded(sandbox, key) {
  for (let i = 0; i < 600; i += 1) {
    const s = await (await fetch(`${sandbox}/v1/bulk/${key}`, { headers: { Authorization: `Bearer ${DEV_TOKEN}` } })).json();
    if (s.status === 'Completed') return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`mass action ${key} did not complete`);
}

/** 30 tabs, each polling every key once a second from a random phase, for `seconds`. */
async function coalescing(sandbox, gateway, keys, tabs, seconds) {
  await fetch(`${sandbox}/__sandbox/requests`, { method: 'DELETE' });
  let browserPolls = 0;
  const until = Date.now() + seconds * 1000;
  const tab = async () => {
    await new Promise((r) => setTimeout(r, Math.random() * 1000));
    while (Date.now() < until) {
      await Promise.all(keys.map(async (key) => {
        browserPolls += 1;
        await expectOk(await fetch(`${gateway}/v1/bulk/${key}`));
      }));
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  await Promise.all(Array.from({ length: tabs }, tab));
  const log = await (await fetch(`${sandbox}/__sandbox/requests`)).json();
  const upstream = log.filter((e) => e.method === 'GET' && keys.some((k) => e.path === `/v1/bulk/${k}`)).length;
  return { tabs, keys: keys.length, seconds, browserPolls, upstream };
}

export async function measureGateway({ log = () => {} } = {}) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-'));
  const secretFile = path.join(work, 'secret');
  writeFileSync(secretFile, CLIENT_SECRET);
  const servers = [];
  try {
    const sandbox = await start(release('zuora-sandbox'), ['--port', '0', '--tick-ms', '100', '--rows-per-tick', '50']);
    servers.push(sandbox);
    const gateway = await start(release('mass-updater-gateway'), [
      '--listen', '127.0.0.1:0', '--dist', path.join(root, 'dist'), '--zuora-url', sandbox.url,
      '--client-id', CLIENT_ID, '--client-secret-file', secretFile,
      '--database', `sqlite://${path.join(work, 'bench.db')}`, '--dev-user', 'bench@example.com',
      '--follow-interval-ms', '1000',
    ]);
    servers.push(gateway);
    const auth = { Authorization: `Bearer ${DEV_TOKEN}` };

    log('gateway: added latency');
    const done = await waitEnded(sandbox.url, await submit(sandbox.url, auth, 20));
    const fileId = new URL(done.outputURL).pathname.split('/').pop();
    // Warm both paths (connections, the gateway's token) before measuring.
    await expectOk(await fetch(`${gateway.url}/v1/files/${fileId}`));
    const files = await sideBySide(
      400,
      async () => expectOk(await fetch(`${sandbox.url}/v1/files/${fileId}`, { headers: auth })),
      async () => expectOk(await fetch(`${gateway.url}/v1/files/${fileId}`)),
    );
    const posts = await sideBySide(100, () => submit(sandbox.url, auth, 20), () => submit(gateway.url, {}, 20));

    log('gateway: 30 tabs polling');
    await fetch(`${sandbox.url}/__sandbox/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tickMs: 1000, rowsPerTick: 1 }) });
    const keys = [];
    for (let i = 0; i < 3; i += 1) keys.push(await submit(gateway.url, {}, 200));
    const polls = await coalescing(sandbox.url, gateway.url, keys, 30, 20);
    return { files, posts, polls };
  } finally {
    for (const s of servers) s.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The Markdown of section 6. */
export function gatewaySection(g, { fmt, table }) {
  const row = (name, pair) => {
    const [d50, d99, g50, g99] = [percentile(pair.direct, 50), percentile(pair.direct, 99), percentile(pair.gateway, 50), percentile(pair.gateway, 99)];
    return [name, `${fmt(d50, 2)} / ${fmt(d99, 2)}`, `${fmt(g50, 2)} / ${fmt(g99, 2)}`, `**${fmt(g50 - d50, 2)} / ${fmt(g99 - d99, 2)}**`, pair.direct.length];
  };
  const latency = table(
    ['Request', 'straight to the sandbox, p50 / p99 ms', 'through the gateway, p50 / p99 ms', 'added, p50 / p99 ms', 'pairs'],
    [
      row('`GET /v1/files/{id}` (a response file of about 1 KB)', g.files),
      row('`POST /v1/bulk` (20 rows; the gateway records it first, then forwards it)', g.posts),
    ],
  );
  const p = g.polls;
  const perKeySecond = p.upstream / (p.keys * p.seconds);
  const polls = table(
    ['Polling through the gateway', 'value'],
    [
      [`polls sent by ${p.tabs} simulated tabs (${p.keys} mass actions, each polled once a second per tab, ${p.seconds} s)`, fmt(p.browserPolls, 0)],
      ['`GET /v1/bulk/{key}` that reached the sandbox (browser polls and the gateway\'s own follower together)', fmt(p.upstream, 0)],
      ['**upstream requests per browser poll**', `**${fmt(p.upstream / p.browserPolls, 3)}**`],
      ['upstream requests per mass action per second', fmt(perKeySecond, 2)],
    ],
    'lr',
  );
  return `## 6. Gateway (team mode)

Release builds of \`mass-updater-gateway\` and \`zuora-sandbox\` on loopback, SQLite store. Each pair sends the same request straight to the sandbox (its dev token) and then through the gateway (its own OAuth token, identity from \`--dev-user\`), one after the other, so both see the same load; a \`POST\` through the gateway is recorded in the store before it is forwarded and its outcome after. Client: Node's \`fetch\` on kept-alive connections.

${latency}

A status younger than one second is answered from the store and concurrent polls of one key share one upstream request, so the number of tabs stops mattering:

${polls}
`;
}
