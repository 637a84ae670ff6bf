// Starts a server binary that prints "… listening on http://ADDR" once bound (the
// sandbox and the gateway both do), for the end-to-end tests and the benchmark.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Spawns `bin` with `args` and resolves with `{ child, url, stderr }` once it prints
 * its "listening on" line; rejects with what it wrote on stderr if it exits first or
 * says nothing within `timeoutMs`. `stderr()` is everything it has written so far.
 */
export function startListening(bin, args, { name = bin, timeoutMs = 30_000 } = {}) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  child.stderr.on('data', (d) => chunks.push(d));
  const stderr = () => Buffer.concat(chunks).toString();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${stderr()}`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${stderr()}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr });
      }
    });
  });
}
