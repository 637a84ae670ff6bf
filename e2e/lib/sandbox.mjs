// Starts the zuora-sandbox binary on a free port and wraps its /__sandbox/ controls.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startListening } from '../../scripts/listening.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startSandbox(extraArgs = []) {
  const bin = process.env.SANDBOX_BIN ?? path.join(root, 'target', 'debug', 'zuora-sandbox');
  const { child, url } = await startListening(bin, ['--port', '0', '--tick-ms', '100', '--rows-per-tick', '5', ...extraArgs], { name: 'sandbox', timeoutMs: 20000 });
  return new Sandbox(url, child);
}

class Sandbox {
  constructor(url, child) {
    this.url = url;
    this.child = child;
  }

  async control(method, route, body) {
    const res = await fetch(`${this.url}/__sandbox/${route}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${route}: ${res.status} ${await res.text()}`);
    const type = res.headers.get('content-type') ?? '';
    return type.includes('json') ? res.json() : res.arrayBuffer();
  }

  reset() { return this.control('POST', 'reset'); }
  configure(settings) { return this.control('PUT', 'config', settings); }
  fault(rule) { return this.control('POST', 'faults', rule); }
  requests() { return this.control('GET', 'requests'); }
  massActions() { return this.control('GET', 'mass-actions'); }
  async part(seq, index) { return Buffer.from(await this.control('GET', `requests/${seq}/parts/${index}`)); }

  /** Requests that reached Zuora's API surface (not the OAuth call made by the proxy). */
  async bulkPosts() {
    return (await this.requests()).filter((r) => r.method === 'POST' && r.path.startsWith('/v1/bulk'));
  }

  async token() {
    const form = new URLSearchParams({
      client_id: '5a1b0c2d-0000-4000-8000-5a4db0c0de01',
      client_secret: 'sandbox-dev-secret',
      grant_type: 'client_credentials',
    });
    const res = await fetch(`${this.url}/oauth/token`, { method: 'POST', body: form });
    if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
    return (await res.json()).access_token;
  }

  stop() {
    this.child.kill('SIGTERM');
  }
}
