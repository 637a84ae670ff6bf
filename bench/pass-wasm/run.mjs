// Runs the pass-wasm build under Node's WASI: node run.mjs WASM FILE [RUNS].
// The file's folder is the only one the module can open.
import { WASI } from 'node:wasi';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const [wasm, file, runs = '9'] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: ['pass-wasm', `/data/${path.basename(file)}`, runs],
  env: process.env,
  preopens: { '/data': path.dirname(path.resolve(file)) },
});
const module = await WebAssembly.compile(await readFile(wasm));
wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
