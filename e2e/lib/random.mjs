// What the randomized test (tests/random.test.mjs) needs besides the harness: a seeded
// random source, the files it hands over (built once per run, then linked under a fresh
// name for every hand-over, so each is its own file to the app and to the sandbox), and a
// probe in the page that notes what the form shows at every moment Submit is enabled.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, linkSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { mulberry32 } from '../../scripts/mulberry32.mjs';


export class Rng {
  constructor(seed) { this.next = mulberry32(seed); }
  float() { return this.next(); }
  /** 0 ≤ n < max */
  int(max) { return Math.floor(this.next() * max); }
  /** lo ≤ n ≤ hi */
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  chance(p) { return this.next() < p; }
  pick(list) { return list[this.int(list.length)]; }
  /** `entries`: [weight, value] pairs; weights of 0 are never picked. */
  weighted(entries) {
    const total = entries.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of entries) {
      if (w <= 0) continue;
      if ((x -= w) < 0) return v;
    }
    return entries.filter(([w]) => w > 0).at(-1)[1];
  }
}

export const md5 = (buf) => createHash('md5').update(buf).digest('hex');

/** One CSV line into its fields (RFC 4180 quoting). */
export function parseCsvLine(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (line[i + 1] === '"') { field += '"'; i++; }
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; }
    else field += c;
  }
  fields.push(field);
  return fields;
}

const csvField = (v) => (/[",\r\n]/.test(v) || v.trim() !== v ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (fields) => fields.map(csvField).join(',');

/** Bytes of a CSV: the header, then `rows` rows from `row(i)`, CRLF line ends. */
function buildCsv(header, rows, row) {
  const lines = [csvLine(header)];
  for (let i = 0; i < rows; i++) lines.push(csvLine(row(i)));
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

/** Rows needed for about `bytes` of CSV, from a sample of the rows. */
function rowsFor(header, row, bytes) {
  const sample = buildCsv(header, 100, row).length - csvLine(header).length;
  return Math.max(1, Math.round(((bytes - csvLine(header).length) * 100) / sample));
}

const FX4 = ['Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate'];

/**
 * The kinds of file the test hands over. Each family has one header and a way to make
 * its rows; which action types its rows pass is not written here but measured once per
 * run (see `calibrate` in the test), so the model follows the app's rules as they are.
 * `ragged`: one row has a value too many, an error for every action type.
 */
export function families(templates) {
  const fams = {};
  for (const [action, text] of Object.entries(templates)) {
    const [headerLine, exampleLine] = text.split('\r\n');
    const header = parseCsvLine(headerLine);
    const example = parseCsvLine(exampleLine);
    const group = header.indexOf('Group ID');
    fams[`tpl-${action}`] = {
      id: `tpl-${action}`,
      stem: action.toLowerCase(),
      header,
      // Groups of three rows, so a split has places to cut.
      row: (i) => (group < 0 ? example : example.map((v, c) => (c === group ? `g${Math.floor(i / 3)}` : v))),
    };
  }
  fams.fx4 = {
    id: 'fx4',
    stem: 'fx-rates',
    header: FX4,
    // 25 bytes a row: 500,000 rows make the 12.5 MB file.
    row: (i) => ['2026-11-27', 'USD', 'EUR', `0.9${i % 10}`],
  };
  fams['fx4-ragged'] = {
    id: 'fx4-ragged',
    stem: 'fx-ragged',
    header: FX4,
    row: (i, rows) => (i === Math.floor(rows / 2) ? ['2026-11-27', 'USD', 'EUR', '0.91', 'one too many'] : fams.fx4.row(i)),
  };
  // Random text in a # column (ignored by the checks) makes a file that compresses
  // badly: too big even as a .zip, so only a split makes it fit.
  const noise = mulberry32(7);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  fams['fx-noisy'] = {
    id: 'fx-noisy',
    stem: 'fx-noisy',
    header: ['Group ID', ...FX4, '#Note'],
    row: (i) => {
      let note = '';
      for (let k = 0; k < 96; k++) note += alphabet[Math.floor(noise() * 64)];
      return [`g${Math.floor(i / 3)}`, '2026-11-27', 'USD', 'EUR', `0.${1000 + (i % 9000)}`, note];
    },
  };
  return fams;
}

/**
 * Makes the files of a run in a temporary directory: small ones afresh for each
 * hand-over, large ones once (then hard-linked under a new name for each hand-over,
 * which costs nothing).
 */
export class FileShop {
  constructor(fams, limit) {
    this.fams = fams;
    this.limit = limit;
    this.dir = mkdtempSync(path.join(tmpdir(), 'mu-random-'));
    mkdirSync(path.join(this.dir, 'cache'));
    mkdirSync(path.join(this.dir, 'hand'));
    this.cache = new Map();
    this.count = 0;
    /** Every file handed over, by name. */
    this.byName = new Map();
  }

  fresh(stem, ext) {
    this.count += 1;
    return `${stem}-${String(this.count).padStart(4, '0')}${ext}`;
  }

  register(file) {
    this.byName.set(file.name, file);
    return file;
  }

  /** A CSV of `rows` rows of `family`, within one read. */
  small(family, rows) {
    const fam = this.fams[family];
    const buffer = buildCsv(fam.header, rows, (i) => fam.row(i, rows));
    const name = this.fresh(fam.stem, '.csv');
    const file = path.join(this.dir, 'hand', name);
    writeFileSync(file, buffer);
    return this.register({ name, path: file, family, size: buffer.length, md5: md5(buffer), rows, over: buffer.length > this.limit, compressible: true, refused: false });
  }

  /** A file the app refuses at once (empty, or not a .csv or .zip). */
  refused(kind) {
    const name = this.fresh(kind === 'empty' ? 'empty' : 'notes', kind === 'empty' ? '.csv' : '.txt');
    const buffer = kind === 'empty' ? Buffer.alloc(0) : Buffer.from('not a mass action file\n');
    const file = path.join(this.dir, 'hand', name);
    writeFileSync(file, buffer);
    return this.register({ name, path: file, family: null, size: buffer.length, md5: md5(buffer), rows: 0, over: false, compressible: true, refused: true });
  }

  /** A CSV of about `bytes` of `family` (several reads), built once per run. */
  large(family, bytes, rows) {
    const key = `${family}-${bytes}`;
    let base = this.cache.get(key);
    if (!base) {
      const fam = this.fams[family];
      const n = rows ?? rowsFor(fam.header, (i) => fam.row(i, 1e9), bytes);
      const buffer = buildCsv(fam.header, n, (i) => fam.row(i, n));
      const packed = deflateRawSync(buffer).length;
      // Clear of the limit either way, so the model knows what Compress gives.
      const compressible = packed < this.limit * 0.6;
      if (!compressible && packed < this.limit * 1.2) throw new Error(`${key} packs to ${packed} bytes, too near the limit`);
      // Cell text beyond 16 MiB is not kept (DEFAULT_RETAIN_BYTES): a change of action
      // type then reads the file again. (No quoted values in these families.)
      const cells = buffer.length - (n + 1) * (fam.header.length + 1);
      const retainBytes = 16 * 1024 * 1024;
      if (Math.abs(cells - retainBytes) < retainBytes * 0.05) throw new Error(`${key}: ${cells} bytes of cell text, too near 16 MiB`);
      const file = path.join(this.dir, 'cache', `${key}.csv`);
      writeFileSync(file, buffer);
      base = { path: file, size: buffer.length, md5: md5(buffer), rows: n, compressible, rereads: cells > retainBytes };
      this.cache.set(key, base);
    }
    const fam = this.fams[family];
    const name = this.fresh(`${fam.stem}-${(base.size / 1e6).toFixed(1)}mb`, '.csv');
    const file = path.join(this.dir, 'hand', name);
    linkSync(base.path, file);
    return this.register({ name, path: file, family, size: base.size, md5: base.md5, rows: base.rows, over: base.size > this.limit, compressible: base.compressible, rereads: base.rereads, refused: false, cachedFrom: base.path });
  }

  remove() { rmSync(this.dir, { recursive: true, force: true }); }
}

/**
 * Installed in the page before the app (page.addInitScript, so again after every
 * reload): `window.__probe`.
 * - `snap()`: what the form shows now (file, phase, select, verdict, plan, Submit).
 * - Every change inside the form (the three `section.step`s) schedules a snapshot for
 *   the next task, when a user's input could land; those with Submit enabled are kept
 *   (`take()` hands them over), so a Submit enabled for a moment is seen too.
 * - `quietFor()`: milliseconds since the form last changed.
 * - `act(what, arg)`: looks and clicks in one task (Submit, Compress, Split, Use …,
 *   Skip, Cancel), so what was seen is what was clicked.
 */
export function installProbe() {
  const probe = { last: performance.now(), enabled: [], seen: 0 };
  window.__probe = probe;
  const q = (s) => document.querySelector(s);
  const text = (el) => (el ? el.textContent.trim() : null);
  const inForm = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return !!(el && el.closest && el.closest('section.step'));
  };
  const submitButton = () => [...document.querySelectorAll('.submit-panel button')].find((b) => b.textContent.trim().startsWith('Submit'));
  const tooBigButton = (label) => [...document.querySelectorAll('.too-big button')].find((b) => b.textContent.trim() === label);
  probe.snap = () => {
    const submit = submitButton();
    const summary = q('.file-summary[data-phase]');
    const select = q('section.step select');
    const waiting = text(q('.waiting p'));
    const compress = tooBigButton('Compress into a .zip');
    const split = tooBigButton('Split into several files');
    return {
      t: Math.round(performance.now()),
      submit: submit ? !submit.disabled : null,
      hint: text(q('.submit-panel .hint')),
      phase: summary ? summary.dataset.phase : null,
      name: summary ? text(summary.querySelector('.file-name')) : null,
      md5: text(q('.file-summary [data-fact=md5]')),
      select: select ? select.value : null,
      selectText: select && select.selectedOptions[0] && select.value ? text(select.selectedOptions[0]) : null,
      checkedAs: text(q('[data-fact=checked-as]')),
      detected: text(q('[data-fact=detected]')),
      errors: q('.preflight') ? q('.preflight').dataset.errors : null,
      tooBig: !!q('.too-big'),
      busy: !!q('.too-big progress'),
      busyWhat: text(q('.too-big label')),
      busyDone: q('.too-big progress') ? Number(q('.too-big progress').value) : null,
      compress: compress ? !compress.disabled : null,
      split: split ? !split.disabled : null,
      packTooBig: !!q('.too-big') && q('.too-big').textContent.includes('Even compressed'),
      cannotFit: text(q('.too-big .refusal')),
      packedMd5: text(q('[data-fact=packed-md5]')),
      parts: [...document.querySelectorAll('.too-big .parts li')].map((li) => ({ name: text(li.querySelector('.file-name')), md5: text(li.querySelector('code')) })),
      suggestion: text(q('.suggestion button')),
      suggestionText: text(q('.suggestion')),
      waiting: waiting ? (waiting.match(/submitted: (.*)\. Skip this file$/) || [null, waiting])[1].split(', ') : [],
      refusal: text(q('.file-summary--refused .refusal')),
    };
  };
  let scheduled = false;
  const later = () => {
    scheduled = false;
    const s = probe.snap();
    probe.seen += 1;
    if (s.submit) {
      const key = JSON.stringify({ ...s, t: 0 });
      if (probe.lastKey !== key) probe.enabled.push(s);
      probe.lastKey = key;
    } else probe.lastKey = null;
  };
  const changed = () => {
    probe.last = performance.now();
    if (!scheduled) {
      scheduled = true;
      setTimeout(later, 0);
    }
  };
  new MutationObserver((records) => { if (records.some((r) => inForm(r.target))) changed(); })
    .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener('change', changed, true);
  probe.quietFor = () => Math.round(performance.now() - probe.last);
  probe.take = () => probe.enabled.splice(0);
  probe.act = (what, arg) => {
    const s = probe.snap();
    let button = null;
    let detail = null;
    if (what === 'submit' || what === 'submit-twice') button = submitButton();
    else if (what === 'compress') button = tooBigButton('Compress into a .zip');
    else if (what === 'split') button = tooBigButton('Split into several files');
    else if (what === 'use') button = q('.suggestion button');
    else if (what === 'skip') button = q('.waiting button');
    else if (what === 'cancel') {
      const all = [...document.querySelectorAll('tr.job [data-action=cancel]')];
      button = all[Math.floor(arg * all.length)] || null;
      const row = button && button.closest('tr.job');
      detail = row ? { name: text(row.querySelector('.file-name strong')), state: row.dataset.state } : null;
    }
    if (!button || button.disabled) return { s, clicked: false, detail };
    if (what === 'use') detail = text(button);
    button.click();
    if (what === 'submit-twice') button.click();
    return { s, clicked: true, detail };
  };
}
