#!/usr/bin/env node
// Prints the Content-Security-Policy for a release build (dist/index.html), as an nginx
// `add_header` line or as the bare header value.
//
// Trunk injects one inline <script type="module"> that imports the wasm-bindgen glue and
// starts the app. Rather than allowing inline scripts ('unsafe-inline'), the policy
// lists the SHA-256 of each inline <script> and <style> in the page, so it has to be
// computed for every build: the script names the content-hashed files.
//
//   node scripts/csp.mjs                              # nginx line for dist/index.html
//   node scripts/csp.mjs --out /etc/nginx/mass-updater/csp.conf
//   node scripts/csp.mjs --header                     # just the policy
//   node scripts/csp.mjs --frame-ancestors "'self' https://portal.example.com"
//   node scripts/csp.mjs --dist path/to/dist
//
// It fails (exit 1) when the page has something no hash can allow without
// 'unsafe-hashes' (an inline event handler or style="" attribute), or a script or
// preload without subresource integrity.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SHA-256 CSP sources of every inline <script> and <style> element in `html`. */
export function inlineHashes(html) {
  const hashes = { script: [], style: [] };
  for (const [, tag, attrs, body] of html.matchAll(/<(script|style)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi)) {
    if (tag.toLowerCase() === 'script' && /\bsrc\s*=/i.test(attrs)) continue;
    // The HTML parser turns CRLF and CR into LF before the browser hashes the text.
    const text = body.replace(/\r\n?/g, '\n');
    const digest = createHash('sha256').update(text, 'utf8').digest('base64');
    hashes[tag.toLowerCase()].push(`'sha256-${digest}'`);
  }
  return hashes;
}

/** Attributes a hash cannot allow: inline event handlers and style="" attributes. */
export function inlineAttributes(html) {
  return [...html.matchAll(/<[a-z][^>]*?\s(on[a-z]+|style)\s*=/gi)].map((m) => m[1]);
}

/** Scripts, module preloads and preloads that lack an integrity attribute. */
export function missingIntegrity(html) {
  const tags = [
    ...html.matchAll(/<script\b[^>]*\bsrc\s*=[^>]*>/gi),
    ...html.matchAll(/<link\b[^>]*\brel\s*=\s*["']?(?:modulepreload|preload|stylesheet)\b[^>]*>/gi),
  ].map((m) => m[0]);
  return tags.filter((t) => !/\bintegrity\s*=\s*["']sha(256|384|512)-/i.test(t));
}

/** The origin of an absolute `mass-updater:api-base`, which connect-src must then allow. */
export function apiOrigin(html) {
  const meta = html.match(/<meta\s+name=["']mass-updater:api-base["']\s+content=["']([^"']*)["']/i);
  const base = meta?.[1]?.trim() ?? '';
  return /^https:\/\//i.test(base) ? new URL(base).origin : null;
}

/** The policy, directive by directive (see README.md, "Production"). */
export function policy(html, { frameAncestors = "'none'" } = {}) {
  if (/["';,\r\n]/.test(frameAncestors.replace(/'(self|none)'/g, ''))) {
    throw new Error(`frame-ancestors: not a list of sources: ${frameAncestors}`);
  }
  const { script, style } = inlineHashes(html);
  const api = apiOrigin(html);
  const directives = [
    ["default-src", "'none'"],
    ['script-src', "'self'", "'wasm-unsafe-eval'", ...script],
    ['style-src', "'self'", ...style],
    ['img-src', "'self'"],
    ['connect-src', "'self'", ...(api ? [api] : [])],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['object-src', "'none'"],
    ['frame-ancestors', frameAncestors],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

export function nginxLine(csp) {
  return `add_header Content-Security-Policy "${csp}" always;\n`;
}

function main(argv) {
  const opts = { dist: 'dist', frameAncestors: "'none'", header: false, out: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dist') opts.dist = argv[++i];
    else if (arg === '--frame-ancestors') opts.frameAncestors = argv[++i];
    else if (arg === '--out') opts.out = argv[++i];
    else if (arg === '--header') opts.header = true;
    else throw new Error(`unknown argument ${arg} (see the top of scripts/csp.mjs)`);
  }
  const file = path.join(opts.dist, 'index.html');
  const html = readFileSync(file, 'utf8');
  const problems = [
    ...inlineAttributes(html).map((a) => `${file}: an inline ${a}="" attribute needs 'unsafe-hashes'; move it to a file`),
    ...missingIntegrity(html).map((t) => `${file}: no subresource integrity on ${t}`),
  ];
  if (problems.length) throw new Error(problems.join('\n'));
  const csp = policy(html, opts);
  const text = opts.header ? `${csp}\n` : nginxLine(csp);
  if (opts.out) writeFileSync(opts.out, text);
  else process.stdout.write(text);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`csp: ${e.message}`);
    process.exit(1);
  }
}
