// The documented production setup, for real: Debian's nginx runs deploy/nginx/mass-updater.conf
// (only its site-specific lines rewritten: port, dist/ path, upstream), with the CSP that
// scripts/csp.mjs computes for this build and a token written by
// deploy/nginx/zuora-token-refresh.sh from the sandbox's /oauth/token. Headless Chromium
// then loads and uses the app through it, and any CSP violation fails the test.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, writeFile, copyFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSandbox } from '../lib/sandbox.mjs';
import { CHROMIUM_ARGS, artifacts } from '../lib/harness.mjs';
import { csv, md5 } from '../lib/files.mjs';
import { chooseFile, chooseAction, submitButton, waitForReady, latestRow, readyHashWorker } from '../lib/app.mjs';
import { missingIntegrity } from '../../scripts/csp.mjs';
import { expect } from '../lib/expect.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(root, 'dist');
const deployDir = path.join(root, 'deploy', 'nginx');
const SANDBOX_CLIENT_ID = '5a1b0c2d-0000-4000-8000-5a4db0c0de01';
const SANDBOX_CLIENT_SECRET = 'sandbox-dev-secret';

const nginxBin = [process.env.NGINX, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']
  .find((p) => p && existsSync(p));

/** A free TCP port on 127.0.0.1 (released again at once, for nginx to take). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Replaces `from` in `text`, insisting it occurs exactly `times` times, so that an edit of
 * the example configuration fails this test loudly instead of being silently skipped. */
function replaceExactly(text, from, to, times = 1) {
  const found = text.split(from).length - 1;
  assert.equal(found, times, `deploy/nginx/mass-updater.conf: expected ${times}× ${JSON.stringify(from)}, found ${found}`);
  return text.split(from).join(to);
}

/** The example server block with its SITE: lines pointed at this machine. */
function siteConfig(example, { port, upstream }) {
  let conf = example;
  conf = replaceExactly(conf, 'listen 443 ssl http2;', `listen 127.0.0.1:${port};`);
  conf = replaceExactly(conf, 'listen [::]:443 ssl http2;', '');
  conf = conf.replace(/^\s*ssl_certificate(_key)?\s.*$/gm, '');
  conf = replaceExactly(conf, 'root /srv/mass-updater/dist;', `root ${dist};`);
  conf = replaceExactly(conf, 'proxy_pass https://rest.zuora.com;', `proxy_pass ${upstream};`);
  return conf;
}

/** A plain HTTP request, so that headers (Content-Encoding included) are seen as sent. */
function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function startNginx({ upstream }) {
  const tmp = await mkdtemp(path.join(tmpdir(), 'mu-nginx-'));
  const confDir = path.join(tmp, 'conf');
  const includes = path.join(confDir, 'mass-updater');
  await mkdir(includes, { recursive: true });
  await copyFile(path.join(deployDir, 'security-headers.conf'), path.join(includes, 'security-headers.conf'));

  // The deployment steps from README.md, "Production".
  execFileSync(process.execPath, [path.join(root, 'scripts', 'csp.mjs'), '--dist', dist, '--out', path.join(includes, 'csp.conf')]);
  const secretFile = path.join(tmp, 'client-secret');
  await writeFile(secretFile, SANDBOX_CLIENT_SECRET, { mode: 0o600 });
  execFileSync('bash', [path.join(deployDir, 'zuora-token-refresh.sh')], {
    env: {
      ...process.env,
      ZUORA_OAUTH_URL: `${upstream}/oauth/token`,
      ZUORA_CLIENT_ID: SANDBOX_CLIENT_ID,
      ZUORA_CLIENT_SECRET_FILE: secretFile,
      TOKEN_FILE: path.join(includes, 'token.conf'),
      RELOAD: '',
    },
  });
  const tokenLine = await readFile(path.join(includes, 'token.conf'), 'utf8');
  const token = tokenLine.match(/^set \$zuora_token "([^"]+)";$/m)?.[1];
  assert.ok(token, `token.conf holds a token: ${tokenLine}`);

  const port = await freePort();
  const example = await readFile(path.join(deployDir, 'mass-updater.conf'), 'utf8');
  await writeFile(path.join(confDir, 'mass-updater.conf'), siteConfig(example, { port, upstream }));
  // One process, in the foreground, everything under tmp: not the system service.
  // (master_process off also keeps it from switching to www-data, which could not
  // write to the private temporary directory.)
  await writeFile(path.join(confDir, 'nginx.conf'), `
daemon off;
master_process off;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log info;
events { worker_connections 128; }
http {
  access_log ${tmp}/access.log;
  client_body_temp_path ${tmp}/client_body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  include mass-updater.conf;
}
`);
  const args = ['-p', `${tmp}/`, '-e', `${tmp}/error.log`, '-c', path.join(confDir, 'nginx.conf')];
  execFileSync(nginxBin, ['-t', '-q', ...args], { stdio: 'pipe' });
  const child = spawn(nginxBin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${Buffer.concat(stderr)}\n${await readFile(`${tmp}/error.log`, 'utf8').catch(() => '')}`);
    try {
      await request(`${url}/index.html`);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}: ${e.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    token,
    /** Lines of nginx's access log for answers with status `status`. */
    async logged(status) {
      const log = await readFile(`${tmp}/access.log`, 'utf8').catch(() => '');
      return log.split('\n').filter((l) => l.includes(`" ${status} `));
    },
    async stop() {
      child.kill('SIGQUIT');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

describe('behind the example nginx configuration, under its CSP', { skip: nginxBin ? false : 'nginx is not installed and could not be (scripts/setup.sh installs it with apt-get)' }, () => {
  let sandbox, nginx, context, userDataDir, indexHtml;

  before(async () => {
    indexHtml = await readFile(path.join(dist, 'index.html'), 'utf8');
    sandbox = await startSandbox();
    nginx = await startNginx({ upstream: sandbox.url });
    userDataDir = await mkdtemp(path.join(tmpdir(), 'mu-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    await mkdir(artifacts, { recursive: true });
  });

  after(async () => {
    await context?.close();
    await nginx?.stop();
    sandbox?.stop();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  /** A new tab on the app that records every CSP violation and console message. */
  async function openApp({ rewritePolicy } = {}) {
    for (const p of context.pages()) await p.close();
    const page = await context.newPage();
    if (rewritePolicy) {
      await page.route(`${nginx.url}/`, async (route) => {
        const res = await route.fetch();
        const headers = { ...res.headers(), 'content-security-policy': rewritePolicy(res.headers()['content-security-policy']) };
        await route.fulfill({ response: res, headers });
      });
    }
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
      });
    });
    page.consoleMessages = [];
    page.on('console', (m) => page.consoleMessages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => page.consoleMessages.push(`pageerror: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) page.consoleMessages.push(`http ${r.status()}: ${new URL(r.url()).pathname}`); });
    const response = await page.goto(`${nginx.url}/`);
    page.violations = () => page.evaluate(() => window.__cspViolations);
    if (rewritePolicy) return { page, response };
    await page.getByRole('button', { name: 'Choose file' }).waitFor();
    return { page, response };
  }

  test('every script and preload in dist/index.html keeps subresource integrity', () => {
    assert.deepEqual(missingIntegrity(indexHtml), []);
    const withIntegrity = indexHtml.match(/<(script|link)\b[^>]*\bintegrity="sha384-/g) ?? [];
    assert.ok(withIntegrity.length >= 2, `the .js and .wasm preloads carry integrity (found ${withIntegrity.length})`);
  });

  test('the page and the hashed files carry the right type, compression and cache headers', async () => {
    const page = await request(`${nginx.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.equal(page.headers['content-encoding'], 'gzip');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.ok(page.headers['permissions-policy']);
    const csp = page.headers['content-security-policy'];
    assert.ok(csp, 'a Content-Security-Policy header');
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);

    const names = [...indexHtml.matchAll(/href="\/([^"]+\.(wasm|js|css))"/g)].map((m) => m[1]);
    const types = { wasm: 'application/wasm', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
    assert.deepEqual([...new Set(names.map((n) => n.split('.').pop()))].sort(), ['css', 'js', 'wasm']);
    for (const name of new Set(names)) {
      const ext = name.split('.').pop();
      const zipped = await request(`${nginx.url}/${name}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(zipped.status, 200, name);
      assert.equal(zipped.headers['content-type'], types[ext], name);
      assert.equal(zipped.headers['cache-control'], 'public, max-age=31536000, immutable', name);
      // gzip_min_length 1024: a file smaller than that is not worth compressing.
      const { size } = await stat(path.join(dist, name));
      if (size >= 1024) {
        assert.equal(zipped.headers['content-encoding'], 'gzip', name);
        assert.equal(zipped.headers.vary, 'Accept-Encoding', name);
      } else {
        assert.equal(zipped.headers['content-encoding'], undefined, name);
      }
      assert.equal(zipped.headers['x-content-type-options'], 'nosniff', name);
      const plain = await request(`${nginx.url}/${name}`);
      assert.equal(plain.headers['content-encoding'], undefined, `${name} uncompressed when not asked for`);
    }
  });

  test('the proxy forwards only the app\'s routes and turns away cross-site requests', async () => {
    await sandbox.control('DELETE', 'requests');
    assert.equal((await request(`${nginx.url}/v1/accounts/A-1`)).status, 404, 'other Zuora routes are not exposed');
    assert.equal((await request(`${nginx.url}/v1/bulk`, { method: 'DELETE' })).status, 403, 'only GET, POST, PUT');
    const crossSite = await request(`${nginx.url}/v1/bulk`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--\r\n',
    });
    assert.equal(crossSite.status, 403, 'a cross-site POST does not ride on the proxy\'s token');
    assert.deepEqual(await sandbox.requests(), [], 'none of them reached Zuora');
  });

  test('the app starts and submits a file through nginx with no CSP violation', async () => {
    await sandbox.control('DELETE', 'requests');
    const { page, response } = await openApp();
    assert.ok((await response.headerValue('content-security-policy'))?.includes("'wasm-unsafe-eval'"));

    const file = { name: 'delete-schedules.csv', buffer: csv([['Revenue Schedule Number'], ['RS-00000256']]) };
    await chooseFile(page, file);
    await waitForReady(page);
    await chooseAction(page, 'DeleteRevenueSchedule');
    await submitButton(page).click();
    const row = await latestRow(page);
    assert.ok(['following', 'completed'].includes(await row.getAttribute('data-state')), await row.textContent());
    await page.screenshot({ path: path.join(artifacts, 'deploy-nginx-csp.png'), fullPage: true });

    const posts = await sandbox.bulkPosts();
    assert.equal(posts.length, 1, 'one POST /v1/bulk reached the sandbox');
    const [post] = posts;
    assert.equal(post.responseStatus, 200);
    assert.equal(post.headers.authorization, `Bearer ${nginx.token}`, 'nginx attached the token');
    assert.ok(post.headers['idempotency-key'], 'Idempotency-Key passed through');
    assert.ok(post.headers['zuora-track-id'], 'Zuora-Track-Id passed through');
    assert.match(post.headers['accept-encoding'] ?? '', /gzip/, 'the browser\'s Accept-Encoding passed through');
    assert.equal(post.headers.origin, undefined, 'Origin is not forwarded');
    assert.equal(post.headers.cookie, undefined, 'cookies are not forwarded');

    assert.deepEqual(await page.violations(), [], 'no CSP violation');
    // These messages are expected and have nothing to do with the policy: the bundle has
    // no favicon; the app asks /api/me at start, which only a team-mode gateway serves
    // (nginx answers 404, and the app carries on without team mode); and Chromium does
    // not check `integrity` on a `preload as=fetch` (the .wasm;
    // https://crbug.com/981419), says so, and loads it anyway.
    const browser404s = (await nginx.logged(404)).filter((l) => l.includes('HeadlessChrome'));
    assert.ok(browser404s.every((l) => l.includes('"GET /favicon.ico ') || l.includes('"GET /api/me ')),
      `only the favicon and /api/me are missing: ${browser404s}`);
    const noisy = page.consoleMessages.filter((m) => /^(error|warning|pageerror)/.test(m)).filter((m) =>
      !(m.startsWith('error: Failed to load resource: the server responded with a status of 404') && browser404s.length > 0) &&
      !m.includes('`integrity` attribute is currently ignored for preload destinations'));
    assert.deepEqual(noisy, [], 'nothing else on the console');
  });

  test('the hashing worker starts and hashes under the CSP', async () => {
    const { page } = await openApp();
    const worker = await readyHashWorker(page);
    const file = { name: 'delete-schedules.csv', buffer: csv([['Revenue Schedule Number'], ['RS-00000256']]) };
    await chooseFile(page, file);
    assert.equal(await waitForReady(page), md5(file.buffer));
    assert.equal(await worker.evaluate(() => self.hashed), 1, 'the worker hashed the file');
    assert.deepEqual(await page.violations(), [], 'no CSP violation');
  });

  test('a 401 from Zuora reaches the app without its WWW-Authenticate challenge', async () => {
    await sandbox.control('DELETE', 'requests');
    // The sandbox does send the challenge, as Zuora does…
    await sandbox.fault({ kind: 'status', status: 401, method: 'POST', path: '/v1/bulk', count: 2 });
    const direct = await request(`${sandbox.url}/v1/bulk`, { method: 'POST' });
    assert.equal(direct.status, 401);
    assert.ok(direct.headers['www-authenticate'], 'the sandbox challenges');
    // …and nginx removes it, so the browser does not hold the request for a login prompt.
    const { page } = await openApp();
    await chooseFile(page, { name: 'delete-schedules.csv', buffer: csv([['Revenue Schedule Number'], ['RS-00000256']]) });
    await waitForReady(page);
    await chooseAction(page, 'DeleteRevenueSchedule');
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/bulk'));
    await submitButton(page).click();
    const res = await answer;
    assert.equal(res.status(), 401);
    assert.equal(await res.headerValue('www-authenticate'), null, 'no challenge through nginx');
    const row = await latestRow(page);
    assert.notEqual(await row.getAttribute('data-state'), 'accepted');
    assert.match(await row.textContent(), /401/, 'the app reports the 401');
    assert.deepEqual(await page.violations(), [], 'no CSP violation');
  });

  test('the violation check bites: without the loader hash or wasm-unsafe-eval the app does not start', async () => {
    for (const [what, rewrite, directive] of [
      ['the loader hash', (csp) => csp.replace(/ 'sha256-[^']+'/, ''), 'script-src-elem'],
      ["'wasm-unsafe-eval'", (csp) => csp.replace(" 'wasm-unsafe-eval'", ''), 'script-src'],
    ]) {
      const { page } = await openApp({ rewritePolicy: rewrite });
      await expect(async () => (await page.violations()).length > 0, `a violation is reported without ${what}`);
      const violations = await page.violations();
      assert.ok(violations.some((v) => v.startsWith(`${directive} `)), `${what}: ${violations}`);
      assert.equal(await page.getByRole('button', { name: 'Choose file' }).count(), 0, `no app without ${what}`);
    }
  });
});
