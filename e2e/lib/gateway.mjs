// Starts the team-mode gateway binary (mass-updater-gateway) in front of a sandbox, on a
// free loopback port, with a temporary SQLite database and its client secret in a
// temporary file; it serves the release build (dist/, with the csp.txt the build writes).
import { mkdtemp, writeFile, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startListening } from '../../scripts/listening.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CLIENT_ID = '5a1b0c2d-0000-4000-8000-5a4db0c0de01';
export const CLIENT_SECRET = 'sandbox-dev-secret';
/** The header a sign-on proxy would set; the tests' browser contexts set it themselves. */
export const USER_HEADER = 'X-Forwarded-Email';

export async function startGateway({ zuoraUrl, distDir = path.join(root, 'dist'), followIntervalMs = 200, extraArgs = [] }) {
  const bin = process.env.GATEWAY_BIN ?? path.join(root, 'target', 'debug', 'mass-updater-gateway');
  try {
    await access(path.join(distDir, 'csp.txt'));
  } catch {
    throw new Error(`${distDir}/csp.txt is missing: run node scripts/csp.mjs --header --dist ${distDir} --out ${distDir}/csp.txt`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'mu-gateway-'));
  const secretFile = path.join(dir, 'client-secret');
  await writeFile(secretFile, `${CLIENT_SECRET}\n`, { mode: 0o600 });
  const args = [
    '--listen', '127.0.0.1:0',
    '--dist', distDir,
    '--zuora-url', zuoraUrl,
    '--client-id', CLIENT_ID,
    '--client-secret-file', secretFile,
    '--database', `sqlite://${path.join(dir, 'team.db')}`,
    '--user-header', USER_HEADER,
    '--trusted-proxy', '127.0.0.1/32',
    '--follow-interval-ms', String(followIntervalMs),
    ...extraArgs,
  ];
  const { child, url, stderr } = await startListening(bin, args, { name: 'gateway' });
  return {
    url,
    /** What the gateway wrote on stderr so far (for a failed assertion's message). */
    log: stderr,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
