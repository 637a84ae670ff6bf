// Serves the release build (dist/) and forwards /v1/ to the sandbox with a bearer token
// attached: the same job a portal's gateway or nginx does in production.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export async function startAppServer({ distDir, upstream, token }) {
  const target = new URL(upstream);
  let bearer = token;
  const server = http.createServer(async (req, res) => {
    // One connection per request: Chromium silently re-sends a request whose reused
    // keep-alive connection is dropped, which would hide the app's handling of a
    // network failure from the tests.
    res.shouldKeepAlive = false;
    if (req.url.startsWith('/v1/')) return forward(req, res);
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(distDir, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(distDir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });

  function forward(req, res) {
    const headers = { ...req.headers, host: target.host, authorization: `Bearer ${bearer}` };
    const upstreamReq = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (upstreamRes) => {
        // Zuora's 401 challenge is for the proxy's credentials, not the user's: passed
        // through, it makes the browser hold the request for a login prompt.
        const { 'www-authenticate': _challenge, ...passed } = upstreamRes.headers;
        res.writeHead(upstreamRes.statusCode, passed);
        upstreamRes.pipe(res);
      },
    );
    // When the upstream drops the connection, drop ours too, so the browser sees the
    // same network failure (nginx would answer 502 instead; the app handles both).
    upstreamReq.on('error', () => req.socket.destroy());
    req.on('aborted', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    setToken: (t) => { bearer = t; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
