// A user's actions at random moments, seeded and reproducible: files of one and of
// several reads handed over (alone or several at once), the action type chosen and
// changed (the select, or the "Use …" suggestion), Compress, Split, Submit (once or
// with a double click), Skip, a job's Cancel, reload; with random waits between steps
// (0 included), so that steps land while a file is still being read or prepared.
//
// After every step: the select shows what the user last chose, and Submit was never
// enabled, at any moment since the last step, for a file that is not ready for the
// chosen action (the probe in e2e/lib/random.mjs notes every such moment). At random
// points the test waits until the form is quiet (bounded) and checks everything the
// form shows against its model: file, MD5, phase, “Checked as”, errors for the chosen
// action, what will be sent, the waiting files, and Submit enabled exactly when the
// model says the file is ready. At the end: every submitted file reached the sandbox
// once, as the mass action the user chose, with the MD5 the page showed; none twice,
// none unasked; no page error, no Rust panic, no console error.
//
//   make e2e-random SEED=123 STEPS=2000      (or, from e2e/:
//   RANDOM_SEED=123 RANDOM_STEPS=2000 node --test tests/random.test.mjs)
//
// A failure prints the seed, the steps so far and what the form showed; the same seed
// and count replay the same steps with the same waits, as long as the app's timing
// lets each click land as before (a step's choices depend on what the model expects,
// and a click on a button not there yet is a no-op). RANDOM_RUNS=10 runs ten seeds
// from RANDOM_SEED on in one browser; RANDOM_TOLERATE=D1,D2,D3,D4 recognises those known
// defects (listed below), gets past them as a user would, and goes on looking for
// others; RANDOM_LOG=1 prints every step of a passing run.
//
// Which action types each kind of file passes is not written here: `calibrate` asks the
// app once per run, slowly (each file read to its verdict before anything is chosen),
// and the model expects the same answers at any speed.
//
// Some runs start with a configured default action type (a meta tag added to the page),
// and a `fault` step makes the sandbox answer the next upload 503 or 429, or drop it.
//
// Console errors: only the browser's own line for an upload the sandbox fails on
// purpose (FAULT_CONSOLE_ERRORS, and only once a fault was set); nothing else. Cancel
// and reload abort uploads without the browser logging an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { startHarness, artifacts } from '../lib/harness.mjs';
import { Rng, families, FileShop, installProbe, md5 } from '../lib/random.mjs';

const LIMIT = 4_000_000;
const ACTIONS = ['UpdateAccountingCode', 'CreateRevenueSchedule', 'UpdateRevenueSchedule', 'DeleteRevenueSchedule', 'ImportFXRate', 'MPU'];
const DEFAULT_SEED = 20261127;
/** Attempts of an upload before the app gives up (RetryPolicy::default in domain/src/retry.rs). */
const MAX_ATTEMPTS = 4;
const DEFAULT_STEPS = 300;
const SEED = Number(process.env.RANDOM_SEED || DEFAULT_SEED);
const STEPS = Number(process.env.RANDOM_STEPS || DEFAULT_STEPS);
/** Seeds SEED, SEED+1, … each on a fresh page, in one browser (for hunting). */
const RUNS = Number(process.env.RANDOM_RUNS || 1);
/** Defects (D1 to D4, listed below, fixed) to recognise and get past as a user would,
 *  should one come back, so that a long run can look for others: RANDOM_TOLERATE=D1,D2. */
const tolerated = new Set((process.env.RANDOM_TOLERATE ?? '').split(',').filter(Boolean));
/** Longest wait for the form to become quiet after a step (a 12.5 MB file is read,
 *  compressed or split in a few seconds; a loaded machine may take longer). */
const SETTLE_MS = Number(process.env.RANDOM_SETTLE_MS ?? 60_000);
/** Console errors a run provokes on purpose: the browser's line for an upload answered
 *  503 or 429, or dropped, by a sandbox fault (the `fault` step). Allowed only once a
 *  fault has been set; nothing else is. */
const FAULT_CONSOLE_ERRORS = [
  /^Failed to load resource: the server responded with a status of (503|429) /,
  /^Failed to load resource: net::ERR_(EMPTY_RESPONSE|CONNECTION_CLOSED|CONNECTION_RESET)$/,
];

// Defects this test is written against, all fixed in src/state/workbench/, each with its
// own deterministic test below; RANDOM_TOLERATE still recognises them should one return:
// - D1 (issue 17): an action type chosen while the file is still being read was lost
//   ("Checked as …, as suggested, until you choose"; Submit stayed disabled);
// - D2: a file handed over while the previous one was being split kept Submit disabled
//   ("Wait until the file has been prepared.");
// - D3: a one-read file submitted within 150 ms of its hand-over came back to the form as
//   being checked, for good;
// - D4: a new action type for a file with more than 16 MiB of cell text (read again)
//   threw away its zip or its parts.

let h;
let templates;
let fams;
let shop;
/** The app's own answers, asked slowly: per family, which actions find errors. */
let table;
/** Per action type, the option's text ("Import foreign exchange rates (ImportFXRate)"). */
let optionText;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  h = await startHarness();
  const page = await openPage();
  optionText = Object.fromEntries(await page.locator('section.step select option').evaluateAll(
    (options) => options.filter((o) => o.value).map((o) => [o.value, o.textContent.trim()])));
  templates = await downloadTemplates(page);
  fams = families(templates);
  shop = new FileShop(fams, LIMIT);
  table = await calibrate(page);
});

after(async () => {
  shop?.remove();
  await h?.close();
});

/** A fresh page (empty job list, reset sandbox) with the probe installed; with
 *  `defaultAction`, the page configures it (`mass-updater:default-action-type`). */
async function openPage({ defaultAction = '' } = {}) {
  const page = await h.freshPage();
  await page.addInitScript(installProbe);
  if (defaultAction) {
    await page.route(`${h.appUrl}/`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<meta name="mass-updater:api-base"', `<meta name="mass-updater:default-action-type" content="${defaultAction}" />\n    <meta name="mass-updater:api-base"`);
      await route.fulfill({ response, body });
    });
  }
  page.consoleErrors = [];
  page.faultsSet = false;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (page.faultsSet && FAULT_CONSOLE_ERRORS.some((re) => re.test(m.text()))) return;
    // The app asks /api/me at start; only a team-mode gateway serves it, and the
    // browser notes this server's 404 on the console.
    if (new URL(m.location().url || 'about:blank').pathname === '/api/me') return;
    page.consoleErrors.push(m.text());
  });
  await page.reload();
  await page.getByRole('button', { name: 'Choose file' }).waitFor();
  // Uploads stay in flight a little, so that Cancel finds some.
  await h.sandbox.configure({ processingDelayMs: 300 });
  return page;
}

async function downloadTemplates(page) {
  await page.locator('.templates summary').click();
  const out = {};
  for (const action of ACTIONS) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `${action}.csv` }).click(),
    ]);
    out[action] = (await readFile(await download.path())).toString('utf8');
  }
  await page.locator('.templates summary').click();
  return out;
}

const snap = (page) => page.evaluate(() => window.__probe.snap());
const act = (page, what, arg) => page.evaluate(([w, a]) => window.__probe.act(w, a), [what, arg]);
const handOver = (page, files) => page.locator('input[type=file]').setInputFiles(files.map((f) => f.path));

/** Waits for `name`'s verdict (any phase but reading). */
async function verdictOf(page, name, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await snap(page);
    if (s.name === name && s.phase && s.phase !== 'reading') return s;
    if (Date.now() > deadline) throw new Error(`no verdict for ${name}: ${JSON.stringify(s)}`);
    await sleep(20);
  }
}

/**
 * For each family: the action type the app detects, the errors found with no action
 * chosen, and for each action type whether errors are found. Each file is read to its
 * verdict before anything is chosen, then each action is chosen in turn and its verdict
 * awaited: the slow way, which works today.
 */
async function calibrate(page) {
  const out = {};
  for (const id of Object.keys(fams)) {
    await page.reload();
    await page.getByRole('button', { name: 'Choose file' }).waitFor();
    const file = shop.small(id, 7);
    await handOver(page, [file]);
    const first = await verdictOf(page, file.name);
    const detected = (first.detected.match(/\((\w+)\)$/) || [])[1] ?? null;
    const entry = { detected, unchosen: Number(first.errors) > 0, errors: {} };
    for (const action of ACTIONS) {
      await page.getByLabel('Action type').selectOption(action);
      const deadline = Date.now() + 10_000;
      let s;
      while ((s = await snap(page)).checkedAs !== optionText[action]) {
        if (Date.now() > deadline) throw new Error(`calibration: ${id} never checked as ${action}: ${JSON.stringify(s)}`);
        await sleep(20);
      }
      entry.errors[action] = Number(s.errors) > 0;
    }
    out[id] = entry;
  }
  await page.reload();
  await page.getByRole('button', { name: 'Choose file' }).waitFor();
  return out;
}

/** Whether the app should find errors in `file` checked as `action` ('' = none chosen). */
function hasErrors(file, action) {
  const entry = table[file.family];
  return action ? entry.errors[action] : entry.unchosen;
}

const stem = (name) => (name.lastIndexOf('.') > 0 ? name.slice(0, name.lastIndexOf('.')) : name);

/** Why Submit must not be enabled in snapshot `s` (empty when it may be). */
function enabledProblems(s) {
  const problems = [];
  if (s.phase !== 'ready') problems.push(`the file summary is ${s.phase ?? 'absent'}`);
  if (!s.select) problems.push('no action type is chosen');
  else if (s.checkedAs !== s.selectText) problems.push(`“Checked as” reads “${s.checkedAs}” while “${s.selectText}” is chosen`);
  if (s.errors !== '0') problems.push(`the page shows ${s.errors} errors`);
  if (s.busy) problems.push('the file is still being prepared');
  if (s.tooBig && !s.packedMd5 && !s.parts.length) problems.push('the file is over the limit and neither compressed nor split');
  const file = shop.byName.get(s.name);
  if (!file) problems.push(`no file named ${s.name} was handed over`);
  else {
    if (file.refused) problems.push('the file was refused');
    else if (s.select && hasErrors(file, s.select)) problems.push(`${file.family} has errors as ${s.select} (calibration)`);
    if (file.over && !s.tooBig) problems.push('the file is over the limit but no compress/split panel shows');
  }
  return problems;
}

/** One run of `steps` random steps from `seed` on a fresh page. */
async function run(seed, steps) {
  const rng = new Rng(seed);
  // Some runs start from a configured action type instead of an empty select.
  const defaultAction = rng.chance(0.3) ? rng.pick(ACTIONS) : '';
  const page = await openPage({ defaultAction });
  if (defaultAction) await page.getByLabel('Action type').waitFor();
  const log = [];
  const model = { chosen: defaultAction, current: null, waiting: [], uploads: [], settledReady: false };
  /** Known defects met and worked around (only those listed in RANDOM_TOLERATE). */
  const seen = {};
  let step = 0;
  let lastSnap = null;

  const fail = async (what) => {
    const s = await snap(page).catch(() => null);
    const shot = path.join(artifacts, `random-${seed}-step-${step}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    const shown = log.length > 400 ? ['…', ...log.slice(-400)] : log;
    throw new Error([
      `random test failed at step ${step} of ${steps} (seed ${seed}): ${what}`,
      `replay: RANDOM_SEED=${seed} RANDOM_STEPS=${step} node --test tests/random.test.mjs   (from e2e/)`,
      `model: ${JSON.stringify({ chosen: model.chosen, current: model.current && describe(model.current), waiting: model.waiting.map((f) => f.name) })}`,
      `page now: ${JSON.stringify(s)}`,
      `screenshot: ${shot}`,
      'steps:',
      ...shown,
    ].join('\n'));
  };
  const note = (line) => log.push(`#${step} ${line}`);
  note(`start: ${defaultAction ? `${defaultAction} configured as the default action type` : 'no default action type'}`);

  const describe = (f) => `${f.name} (${f.refused ? 'refused' : f.family}, ${f.size} B${f.over ? `, over the limit, ${f.compressible ? 'compressible' : 'incompressible'}` : ''}${f.rereads ? ', read again for a new action type' : ''}, plan ${f.plan})`;

  /** Checks every moment Submit was enabled since the last look, and the select. */
  async function quickChecks() {
    const seen = await page.evaluate(() => window.__probe.take());
    for (const s of seen) {
      const problems = enabledProblems(s);
      if (problems.length) await fail(`Submit was enabled at ${s.t} ms while ${problems.join('; ')}\n  form then: ${JSON.stringify(s)}`);
    }
    const s = await snap(page);
    if (s.select !== model.chosen) await fail(`the action select shows “${s.select}”, the user chose “${model.chosen}”`);
    if (page.errors.length) await fail(`page error: ${page.errors.map((e) => e.message ?? e).join('\n')}`);
    if (page.consoleErrors.length) await fail(`console error: ${page.consoleErrors.join('\n')}`);
    lastSnap = s;
    return s;
  }

  /** Waits until the form is quiet, then checks all it shows against the model. */
  async function settleAndCheck(retry = 0) {
    const began = Date.now();
    const want = model.current?.name ?? null;
    let s;
    for (;;) {
      s = await page.evaluate(() => ({ ...window.__probe.snap(), quiet: window.__probe.quietFor() }));
      const working = s.phase === 'reading' || s.busy;
      const arrived = want === null ? s.phase === null : s.name === want && s.phase !== null && s.phase !== 'reading';
      if (!working && arrived && s.quiet >= 300) break;
      // D3 shows as a sent file being read again, for good; D2 (when the new file is
      // over the limit too) as a progress bar that never moves: no need to wait a minute.
      if (tolerated.has('D3') && s.phase === 'reading' && s.name !== want && s.quiet >= 2000 && model.uploads.some((u) => u.name === s.name)) break;
      if (tolerated.has('D2') && s.busy && s.phase !== 'reading' && s.quiet >= 3000) break;
      if (Date.now() - began > SETTLE_MS) {
        await fail(`the form did not settle within ${SETTLE_MS} ms (waiting for ${want ?? 'an empty form'}; ${working ? 'still working' : 'showing something else'})`);
      }
      await sleep(40);
    }
    await quickChecks();
    const took = Date.now() - began;
    const f = model.current;
    const expected = [];
    const check = (ok, what) => { if (!ok) expected.push(what); };
    check(s.select === model.chosen, `the select shows “${s.select}”, the user chose “${model.chosen}”`);
    check(JSON.stringify(s.waiting) === JSON.stringify(model.waiting.map((w) => w.name)), `waiting files ${JSON.stringify(s.waiting)}, expected ${JSON.stringify(model.waiting.map((w) => w.name))}`);
    let ready = false;
    if (!f) {
      check(s.phase === null, `the form shows ${s.name} (${s.phase}), expected no file`);
    } else if (f.refused) {
      check(s.phase === 'refused', `${f.name} shows as ${s.phase}, expected refused`);
    } else {
      const errors = hasErrors(f, model.chosen);
      check(s.phase === (errors ? 'findings' : 'ready'), `${f.name} shows as ${s.phase}, expected ${errors ? 'findings' : 'ready'} (checked as ${model.chosen || 'the suggestion'})`);
      check((Number(s.errors) > 0) === errors, `${f.name}: the page shows ${s.errors} errors as ${model.chosen || 'suggested'}, the app's own answer (calibration) is ${errors ? 'some' : 'none'}`);
      check(s.md5 === f.md5, `${f.name}: MD5 shown ${s.md5}, the file's is ${f.md5}`);
      const detected = table[f.family].detected;
      const checkedAs = model.chosen
        ? optionText[model.chosen]
        : detected ? `${optionText[detected]}, as suggested, until you choose` : 'Not yet: choose an action type';
      check(s.checkedAs === checkedAs, `“Checked as” reads “${s.checkedAs}”, expected “${checkedAs}”`);
      check(s.tooBig === f.over, `${f.name}: the compress/split panel ${s.tooBig ? 'shows' : 'does not show'}, the file is ${f.size} bytes`);
      if (f.over) {
        const plan = { tooBig: s.compress !== null && s.split !== null && !s.packedMd5 && !s.parts.length, packed: !!s.packedMd5, packTooBig: s.packTooBig && s.split !== null, split: s.parts.length > 0 };
        check(plan[f.plan], `${f.name}: expected plan ${f.plan}, the panel shows ${JSON.stringify({ compress: s.compress, split: s.split, packedMd5: s.packedMd5, parts: s.parts.length, packTooBig: s.packTooBig, cannotFit: s.cannotFit })}`);
      }
      ready = !!model.chosen && !errors && (!f.over || f.plan === 'packed' || f.plan === 'split');
      // The suggestion, only while the choice differs from what the header suggests.
      const suggest = detected && detected !== model.chosen;
      check(s.suggestion === (suggest ? `Use ${detected}` : null), `the suggestion button reads “${s.suggestion}”, expected ${suggest ? `“Use ${detected}”` : 'none'} (chosen “${model.chosen}”)`);
      if (suggest && s.suggestionText) {
        const lead = model.chosen ? 'The columns look more like' : 'This file looks like';
        check(s.suggestionText.startsWith(lead), `the suggestion reads “${s.suggestionText}”, expected it to start “${lead}” (chosen “${model.chosen}”)`);
      }
      // What Submit will send, as the hint says it.
      if (ready && s.submit) {
        const what = s.parts.length > 1 ? `${s.parts.length} files` : `“${s.parts[0]?.name ?? (s.packedMd5 ? `${stem(f.name)}.zip` : f.name)}”`;
        const label = optionText[model.chosen].replace(/ \(\w+\)$/, '');
        const sends = `Sends ${what} to Zuora as “${label}” (${model.chosen}).`;
        check(s.hint.startsWith(sends), `the hint reads “${s.hint}”, expected “${sends}”`);
      }
    }
    check(!s.busy, `“${s.busyWhat}” shows, but has not moved for ${s.quiet} ms`);
    check(s.submit === ready, `Submit is ${s.submit ? 'enabled' : 'disabled'} (hint: “${s.hint}”), expected ${ready ? 'enabled' : 'disabled'} for ${f ? describe(f) : 'no file'} as “${model.chosen}”`);
    if (expected.length) {
      const known = knownDefect(s, f);
      if (!known || retry > 2) await fail(`after settling (${took} ms): ${expected.join('; ')}`);
      seen[known] = (seen[known] ?? 0) + 1;
      note(`  known defect ${known} (tolerated): ${expected.join('; ')}`);
      await workAround(known);
      return settleAndCheck(retry + 1);
    }
    model.settledReady = ready;
    note(`  settled in ${took} ms: ${f ? `${f.name} ${s.phase}` : 'no file'}, Submit ${s.submit ? 'enabled' : 'disabled'}`);
  }

  /** Which tolerated known defect (RANDOM_TOLERATE) explains what settled form `s` shows. */
  function knownDefect(s, f) {
    if (tolerated.has('D1') && f && !f.refused && model.chosen && s.name === f.name && s.phase !== 'reading' && s.checkedAs !== optionText[model.chosen]) return 'D1';
    if (tolerated.has('D2') && s.hint === 'Wait until the file has been prepared.' && (!s.busy || s.quiet >= 3000)) return 'D2';
    if (tolerated.has('D3') && s.phase === 'reading' && s.name !== f?.name && model.uploads.some((u) => u.name === s.name)) return 'D3';
    if (tolerated.has('D4') && f?.rereads && f.plan !== 'tooBig' && s.name === f.name && s.compress !== null && !s.packedMd5 && !s.parts.length) return 'D4';
    return null;
  }

  /** What a user would do to get past a known defect (its issue names it for D1). */
  async function workAround(known) {
    if (known === 'D4') {
      // The zip or parts are gone: the user starts again from Compress or Split.
      model.current.plan = 'tooBig';
      note('  work-around: none; the file is over the limit again');
    } else if (known === 'D1') {
      // Another action type and back.
      const other = ACTIONS.find((a) => a !== model.chosen);
      await page.getByLabel('Action type').selectOption(other);
      await page.getByLabel('Action type').selectOption(model.chosen);
      note('  work-around: chose another action type and back');
    } else {
      // Hand over the file again (D2), or any file (D3): a new file resets the form.
      const file = model.current ?? shop.small('fx4', 3);
      file.plan = file.over ? 'tooBig' : 'asIs';
      await handOver(page, [file]);
      model.current = file;
      note(`  work-around: handed over ${file.name}${known === 'D2' ? ' again' : ''}`);
    }
  }

  /** A file (or several) to hand over, as the step picks. */
  function pickFiles() {
    const one = () => rng.weighted([
      [40, () => shop.small(rng.pick(['fx4', ...ACTIONS.map((a) => `tpl-${a}`)]), rng.range(1, 40))],
      [6, () => shop.small('fx4-ragged', rng.range(3, 20))],
      [3, () => shop.refused(rng.pick(['empty', 'txt']))],
      [12, () => shop.large('fx4', 12_500_000, 500_000)], // the issue's file
      [3, () => shop.large('fx4', 22_500_000, 900_000)], // read again for each new action type
      [10, () => shop.large(`tpl-${rng.pick(ACTIONS)}`, 6_500_000)],
      [8, () => shop.large('fx-noisy', 8_500_000)],
      [3, () => shop.large('fx4-ragged', 5_000_000)],
    ])();
    if (rng.chance(0.15)) return Array.from({ length: rng.range(2, 4) }, one);
    return [one()];
  }

  const waiting = () => rng.weighted([[30, 0], [35, rng.range(1, 60)], [35, rng.range(60, 400)]]);

  for (step = 1; step <= steps; step++) {
    const f = model.current;
    // The model's guess whether the file could go now (Submit then gets more likely,
    // as a user who sees it ready would press it).
    const likelyReady = !!f && !f.refused && !!model.chosen && !hasErrors(f, model.chosen) && (!f.over || f.plan === 'packed' || f.plan === 'split');
    const kind = rng.weighted([
      [f ? 14 : 24, 'hand'],
      [16, 'choose'],
      [f && !f.refused ? 6 : 1, 'use'],
      [f?.over && f.plan === 'tooBig' ? 12 : 1, 'compress'],
      [f?.over && (f.plan === 'tooBig' || f.plan === 'packTooBig') ? 8 : 1, 'split'],
      [likelyReady ? 30 : 8, 'submit'],
      [model.waiting.length ? 10 : 0, 'skip'],
      [model.uploads.some((u) => !u.cancelled && step - u.step < 6) ? 8 : 1, 'cancel'],
      [1, 'reload'],
      [2, 'fault'],
      [12, 'settle'],
    ]);
    const wait = kind === 'settle' ? 0 : waiting();
    // Decided before the wait, so that the same seed always draws the same numbers.
    const files = kind === 'hand' ? pickFiles() : null;
    const action = kind === 'choose'
      ? (f && !f.refused && rng.chance(0.6) ? table[f.family].detected ?? rng.pick(ACTIONS) : rng.pick(ACTIONS))
      : null;
    let how = kind === 'submit' ? rng.weighted([[70, 'submit'], [15, 'submit-twice'], [15, 'dblclick']]) : null;
    const where = kind === 'cancel' ? rng.float() : null;
    const fault = kind === 'fault' ? rng.pick([{ kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfter: 1 }, { kind: 'drop' }]) : null;
    if (wait) await sleep(wait);
    const at = `+${wait}ms`;

    switch (kind) {
      case 'hand': {
        await handOver(page, files);
        note(`${at} hand over ${files.map(describeNew).join(', ')}`);
        model.current = files[0];
        for (const file of files) file.plan = file.over ? 'tooBig' : 'asIs';
        model.waiting.push(...files.slice(1));
        break;
      }
      case 'choose': {
        await page.getByLabel('Action type').selectOption(action);
        note(`${at} choose ${action}`);
        model.chosen = action;
        break;
      }
      case 'use': {
        const r = await act(page, 'use');
        const api = r.clicked ? r.detail.replace(/^Use /, '') : null;
        note(`${at} use the suggestion: ${r.clicked ? api : 'none shown'} (${r.s.name ?? 'no file'} ${r.s.phase ?? ''})`);
        if (r.clicked) model.chosen = api;
        break;
      }
      case 'compress':
      case 'split': {
        const r = await act(page, kind);
        note(`${at} ${kind}: ${r.clicked ? 'clicked' : r.s[kind] === false ? 'disabled' : 'not offered'} (${r.s.name ?? 'no file'} ${r.s.phase ?? ''})`);
        if (r.clicked) {
          const target = model.current;
          if (!target || target.name !== r.s.name) await fail(`${kind} was offered for ${r.s.name}, the model's file is ${target?.name}`);
          target.plan = kind === 'split' ? 'split' : target.compressible ? 'packed' : 'packTooBig';
        }
        break;
      }
      case 'submit': {
        let r;
        // A real double click only where the form is known to be ready and nothing
        // waits (else the second click could rightly send the next file).
        if (how === 'dblclick' && (!model.settledReady || model.waiting.length || lastSnap?.submit !== true)) how = 'submit';
        if (how === 'dblclick') {
          const s = await snap(page);
          await page.getByRole('button', { name: /^Submit/ }).dblclick({ force: true, timeout: 5000 });
          r = { s, clicked: s.submit };
        } else {
          r = await act(page, how);
        }
        note(`${at} ${how}: ${r.clicked ? `sent ${r.s.name} as ${r.s.select}` : `disabled (“${r.s.hint}”)`}`);
        if (!r.clicked) break;
        const problems = enabledProblems(r.s);
        if (problems.length) await fail(`Submit was enabled when clicked while ${problems.join('; ')}\n  form then: ${JSON.stringify(r.s)}`);
        const file = model.current;
        if (!file || file.name !== r.s.name) await fail(`Submit sent ${r.s.name}, the model's file is ${file?.name}`);
        const base = { action: r.s.select, from: file, cancelled: false, interrupted: false, step };
        if (r.s.parts.length) {
          for (const p of r.s.parts) model.uploads.push({ ...base, name: p.name, md5: p.md5, kind: 'part' });
        } else if (r.s.packedMd5) {
          model.uploads.push({ ...base, name: `${stem(file.name)}.zip`, md5: r.s.packedMd5, kind: 'zip' });
        } else {
          if (r.s.md5 !== file.md5) await fail(`${file.name} was sent with the MD5 ${r.s.md5} shown; its MD5 is ${file.md5}`);
          model.uploads.push({ ...base, name: file.name, md5: r.s.md5, kind: 'file' });
        }
        model.current = model.waiting.shift() ?? null;
        break;
      }
      case 'skip': {
        const r = await act(page, 'skip');
        note(`${at} skip: ${r.clicked ? `${r.s.name ?? 'the file'} left for ${r.s.waiting[0]}` : 'not offered'}`);
        if (r.clicked) model.current = model.waiting.shift() ?? null;
        else if (model.waiting.length) await fail(`“Skip this file” is not offered while ${model.waiting.length} files wait`);
        break;
      }
      case 'cancel': {
        const r = await act(page, 'cancel', where);
        note(`${at} cancel: ${r.clicked ? `${r.detail.name} (was ${r.detail.state})` : 'no job to cancel'}`);
        if (r.clicked) {
          const u = model.uploads.find((x) => x.name === r.detail.name);
          if (!u) await fail(`a job for ${r.detail.name} could be cancelled, but no such file was submitted`);
          u.cancelled = true;
        }
        break;
      }
      case 'reload': {
        // What reached Zuora by now is there once; the rest may or may not arrive.
        const arrived = new Set((await h.sandbox.massActions()).map((a) => a.fileName));
        for (const u of model.uploads) if (!arrived.has(u.name)) u.interrupted = true;
        await page.reload();
        await page.getByRole('button', { name: 'Choose file' }).waitFor();
        note(`${at} reload`);
        model.current = null;
        model.waiting = [];
        model.chosen = defaultAction;
        break;
      }
      case 'fault': {
        // The next upload is answered 503 or 429, or dropped: retried under its key.
        page.faultsSet = true;
        await h.sandbox.fault({ ...fault, method: 'POST', path: '/v1/bulk' });
        note(`${at} the next upload meets ${fault.kind === 'drop' ? 'a dropped connection' : `HTTP ${fault.status}`}`);
        break;
      }
      case 'settle':
        await settleAndCheck();
        break;
    }
    if (kind !== 'settle') {
      model.settledReady = false;
      await quickChecks();
    }
  }

  step = 'end';
  await settleAndCheck();
  await checkJobs(page, model, fail, note);
  if (Object.keys(seen).length) note(`known defects worked around: ${Object.entries(seen).map(([d, n]) => `${d} ×${n}`).join(', ')}`);
  await page.close();
  return log;
}

function describeNew(f) {
  return `${f.name}${f.refused ? ' (refused)' : f.over ? ` (${(f.size / 1e6).toFixed(1)} MB)` : ''}`;
}

/** Every submitted file reached the sandbox once, with the MD5 shown; nothing else did. */
async function checkJobs(page, model, fail, note) {
  const all = page.getByRole('button', { name: 'Show all' });
  if (await all.count()) await all.click();
  const deadline = Date.now() + 60_000;
  let rows;
  for (;;) {
    rows = await page.locator('tr.job').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.querySelector('.file-name strong').textContent,
      state: tr.dataset.state,
      key: tr.querySelector('[data-key=idempotency]')?.textContent ?? null,
    })));
    if (!rows.some((r) => ['queued', 'sending', 'waiting-to-retry'].includes(r.state))) break;
    if (Date.now() > deadline) await fail(`jobs still sending after 60 s: ${JSON.stringify(rows.filter((r) => ['queued', 'sending', 'waiting-to-retry'].includes(r.state)))}`);
    await sleep(100);
  }
  const actions = await h.sandbox.massActions();
  const posts = await h.sandbox.bulkPosts();
  const problems = [];
  const expectedNames = new Set(model.uploads.map((u) => u.name));
  for (const a of actions) if (!expectedNames.has(a.fileName)) problems.push(`Zuora got ${a.fileName}, which was never submitted`);
  // (A request cut off by a `drop` fault may have been logged without its parts.)
  for (const p of posts) if (p.parts && !expectedNames.has(p.parts[0]?.filename)) problems.push(`a request carried ${p.parts[0]?.filename}, which was never submitted`);
  for (const u of model.uploads) {
    const mine = actions.filter((a) => a.fileName === u.name);
    const jobRows = rows.filter((r) => r.name === u.name);
    // Its requests: those that carried it, and any cut off under its job's key.
    const sent = posts.filter((p) => p.parts?.[0]?.filename === u.name || (jobRows.length === 1 && p.headers['idempotency-key'] === jobRows[0].key));
    // Every attempt (all four) met a sandbox fault (the `fault` step), and the app gave up:
    // nothing reached Zuora, and the job must not say otherwise.
    const gaveUp = !u.cancelled && !u.interrupted && sent.length >= MAX_ATTEMPTS && sent.every((p) => p.fault) && jobRows.length === 1 && ['unknown', 'refused', 'failed'].includes(jobRows[0].state);
    if (gaveUp) note(`  ${u.name}: ${sent.map((p) => p.fault).join(', ')}; the job is ${jobRows[0].state}`);
    const certain = !u.cancelled && !u.interrupted && !gaveUp;
    if (certain ? mine.length !== 1 : mine.length > 1) problems.push(`${u.name} (step ${u.step}${u.cancelled ? ', cancelled' : ''}${u.interrupted ? ', cut off by a reload' : ''}) made ${mine.length} mass actions`);
    if (gaveUp && mine.length) problems.push(`${u.name}: every request met a fault, yet Zuora has it`);
    if (jobRows.length !== 1) problems.push(`${u.name} has ${jobRows.length} job rows`);
    else if (u.cancelled && jobRows[0].state !== 'cancelled') problems.push(`${u.name} was cancelled but its job is ${jobRows[0].state}`);
    else if (certain && !['following', 'completed'].includes(jobRows[0].state)) problems.push(`${u.name}'s job is ${jobRows[0].state}`);
    if (gaveUp) u.gaveUp = true;
    if (new Set(sent.map((p) => p.headers['idempotency-key'])).size > 1) problems.push(`${u.name} went under several Idempotency-Keys`);
    for (const p of sent) {
      if (!p.parts) continue;
      if (p.parts.length !== 2) { problems.push(`${u.name}: a request with ${p.parts.length} parts`); continue; }
      if (p.parts[0].md5 !== u.md5) problems.push(`${u.name}: the sandbox received bytes with MD5 ${p.parts[0].md5}, the page showed ${u.md5}`);
      const params = JSON.parse(p.parts[1].text);
      if (params.checksum !== u.md5 || params.actionType !== u.action) problems.push(`${u.name}: params ${p.parts[1].text}, expected ${u.action} with ${u.md5}`);
    }
    if (mine.length === 1) {
      if (mine[0].actionType !== u.action) problems.push(`${u.name} became a ${mine[0].actionType} mass action, the user chose ${u.action}`);
      if (u.kind === 'zip') {
        // The zip holds the original bytes.
        const csv = Buffer.from(await h.sandbox.control('GET', `mass-actions/${mine[0].bulkKey}/csv`));
        if (md5(csv) !== u.from.md5) problems.push(`${u.name} does not hold ${u.from.name}'s bytes`);
      }
    }
  }
  for (const r of rows) if (!expectedNames.has(r.name)) problems.push(`a job for ${r.name}, which was never submitted`);
  if (problems.length) await fail(`jobs: ${problems.join('; ')}`);
  const count = (what) => model.uploads.filter((u) => u[what]).length;
  note(`end: ${model.uploads.length} files submitted, ${actions.length} mass actions, ${posts.length} requests, ${count('cancelled')} cancelled, ${count('interrupted')} cut off by a reload, ${count('gaveUp')} given up after faults`);
}

// ---------------------------------------------------------------------------------------

// D1 (issue 17), deterministic: the choice lands while the big file is provably still
// being read: the page changes the select in the same task in which it sees the reading
// phase appear (a MutationObserver armed before the hand-over).
async function armChoiceWhileReading(page, action) {
  await page.evaluate((value) => {
    window.__choseWhileReading = false;
    const observer = new MutationObserver(() => {
      const summary = document.querySelector('.file-summary[data-phase]');
      if (!summary || summary.dataset.phase !== 'reading') return;
      observer.disconnect();
      const select = document.querySelector('section.step select');
      select.value = value;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
      window.__choseWhileReading = document.querySelector('.file-summary[data-phase]').dataset.phase === 'reading';
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  }, action);
}

async function assertChoseWhileReading(page) {
  assert.ok(await page.evaluate(() => window.__choseWhileReading), 'the action type was chosen while the file was being read');
}

test('an action type chosen while a 12.5 MB file is still being read counts, and the zip can be sent', async () => {
  const page = await openPage();
  const file = shop.large('fx4', 12_500_000, 500_000);
  await armChoiceWhileReading(page, 'ImportFXRate');
  await handOver(page, [file]);
  const s = await verdictOf(page, file.name);
  await assertChoseWhileReading(page);
  assert.equal(s.select, 'ImportFXRate');
  assert.equal(s.md5, file.md5);
  assert.equal(s.checkedAs, optionText.ImportFXRate, '“Checked as” names the chosen action type');
  await page.getByRole('button', { name: 'Compress into a .zip' }).click();
  const packed = (await page.locator('[data-fact=packed-md5]').textContent({ timeout: 60_000 })).trim();
  const submit = page.getByRole('button', { name: /^Submit/ });
  await submit.waitFor();
  const deadline = Date.now() + 10_000;
  while (await submit.isDisabled()) {
    assert.ok(Date.now() < deadline, `Submit stays disabled: “${await page.locator('.submit-panel .hint').textContent()}”`);
    await sleep(50);
  }
  await submit.click();
  const deadline2 = Date.now() + 30_000;
  while (!(await h.sandbox.bulkPosts()).some((p) => p.responseStatus === 200)) {
    assert.ok(Date.now() < deadline2, 'the zip reaches the sandbox');
    await sleep(100);
  }
  const posts = await h.sandbox.bulkPosts();
  assert.equal(posts.length, 1);
  assert.equal(posts[0].parts[0].md5, packed);
  assert.deepEqual(JSON.parse(posts[0].parts[1].text), { actionType: 'ImportFXRate', checksum: packed });
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.consoleErrors, []);
});

test('another action type chosen while a file is still being read is the one its rows are checked against', async () => {
  const page = await openPage();
  const file = shop.large('fx4', 12_500_000, 500_000);
  await armChoiceWhileReading(page, 'MPU');
  await handOver(page, [file]);
  const s = await verdictOf(page, file.name);
  await assertChoseWhileReading(page);
  assert.equal(s.select, 'MPU');
  assert.equal(s.checkedAs, optionText.MPU, '“Checked as” names the chosen action type');
  assert.equal(s.phase, 'findings', 'FX rows are not MPU rows');
  assert.ok(!s.submit);
});

/** Drops `file` on the page, from inside the page, when `when` (a function of the
 *  document, as source text) first holds: at an exact moment of the app's work. */
async function armDrop(page, when, file) {
  const text = (await readFile(file.path)).toString('utf8');
  await page.evaluate(([whenSource, name, text]) => {
    const when = new Function('document', `return (${whenSource})(document)`);
    window.__dropped = false;
    const observer = new MutationObserver(() => {
      if (!when(document)) return;
      observer.disconnect();
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      document.querySelector('.drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      window.__dropped = true;
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }, [when.toString(), file.name, text]);
}

/** Waits until Submit is enabled; fails with the hint when it stays disabled. */
async function submitEnabledSoon(page, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let s;
  while (!(s = await snap(page)).submit) {
    assert.ok(Date.now() < deadline, `${what}: Submit stays disabled: “${s.hint}” (${JSON.stringify(s)})`);
    await sleep(50);
  }
  return s;
}

// D2: a split in progress when the next file comes keeps Submit disabled for that file.
test('a file handed over while the previous one is being split can be sent', async () => {
  const page = await openPage();
  const big = shop.large('fx4', 12_500_000, 500_000);
  await handOver(page, [big]);
  await verdictOf(page, big.name);
  await page.getByLabel('Action type').selectOption('DeleteRevenueSchedule');
  const small = shop.small('tpl-DeleteRevenueSchedule', 3);
  // Once planning has read its first part of the big file.
  await armDrop(page, (d) => {
    const label = d.querySelector('.too-big label');
    const bar = d.querySelector('.too-big progress');
    return !!label && label.textContent.startsWith('Planning the split') && Number(bar.value) > 0;
  }, small);
  await page.getByRole('button', { name: 'Split into several files' }).click();
  const s = await verdictOf(page, small.name);
  assert.ok(await page.evaluate(() => window.__dropped));
  assert.equal(s.phase, 'ready');
  assert.equal(s.checkedAs, optionText.DeleteRevenueSchedule);
  await submitEnabledSoon(page, small.name);
  await page.getByRole('button', { name: /^Submit/ }).click();
  const deadline = Date.now() + 20_000;
  while (!(await h.sandbox.bulkPosts()).some((p) => p.responseStatus === 200)) {
    assert.ok(Date.now() < deadline, 'the file reaches the sandbox');
    await sleep(100);
  }
  const posts = await h.sandbox.bulkPosts();
  assert.deepEqual(posts.map((p) => [p.parts[0].filename, p.parts[0].md5]), [[small.name, small.md5]]);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.consoleErrors, []);
});

// D3: a one-read file submitted within 150 ms of its hand-over comes back to the form
// as "Checking and computing MD5…", for good.
test('a small file sent as soon as it is checked leaves the form for good', async () => {
  const page = await openPage();
  await page.getByLabel('Action type').selectOption('DeleteRevenueSchedule');
  const file = shop.small('tpl-DeleteRevenueSchedule', 3);
  await page.evaluate((name) => {
    window.__sent = null;
    document.addEventListener('change', (e) => { if (e.target.type === 'file') window.__handed = performance.now(); }, true);
    const observer = new MutationObserver(() => {
      const s = window.__probe.snap();
      if (s.submit && s.name === name) {
        observer.disconnect();
        [...document.querySelectorAll('.submit-panel button')][0].click();
        window.__sent = performance.now() - window.__handed;
      }
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }, file.name);
  await handOver(page, [file]);
  const deadline = Date.now() + 10_000;
  let after;
  while ((after = await page.evaluate(() => window.__sent)) === null) {
    assert.ok(Date.now() < deadline, 'Submit was enabled');
    await sleep(20);
  }
  assert.ok(after < 150, `sent ${after} ms after the hand-over, within the 150 ms the app waits before showing progress`);
  await sleep(500);
  const s = await snap(page);
  assert.equal(s.phase, null, `the sent file is not in the form again (it shows ${s.name}: ${s.phase}, “${s.hint}”)`);
  assert.equal(s.hint, 'Choose a file first.');
  assert.equal((await h.sandbox.bulkPosts()).length, 1);
});

/** Waits until the form shows `name` checked as `action`, read again if it must be. */
async function checkedAs(page, name, action, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let s;
  while (!((s = await snap(page)).name === name && s.phase !== 'reading' && s.checkedAs === optionText[action])) {
    assert.ok(Date.now() < deadline, `${name} is never checked as ${action}: ${JSON.stringify(s)}`);
    await sleep(30);
  }
  return s;
}

// D1 again, through the re-read: a file with more than 16 MiB of cell text is read again
// for each new action type; another change during that read is lost the same way.
test('an action type changed while the file is read again for the previous change counts', async () => {
  const page = await openPage();
  const file = shop.large('fx4', 22_500_000, 900_000);
  assert.ok(file.rereads);
  await handOver(page, [file]);
  await verdictOf(page, file.name);
  await armChoiceWhileReading(page, 'ImportFXRate');
  await page.getByLabel('Action type').selectOption('MPU');
  await sleep(100);
  const s = await verdictOf(page, file.name);
  await assertChoseWhileReading(page);
  assert.equal(s.select, 'ImportFXRate');
  assert.equal(s.checkedAs, optionText.ImportFXRate, '“Checked as” names the chosen action type');
  assert.equal(s.phase, 'ready');
});

// D4: the zip of a file read again for a new action type is lost, though the bytes it
// holds have not changed.
test('a zip made of a file with more than 16 MiB of cell text outlives a change of action type', async () => {
  const page = await openPage();
  const file = shop.large('fx4', 22_500_000, 900_000);
  await handOver(page, [file]);
  await verdictOf(page, file.name);
  await page.getByLabel('Action type').selectOption('ImportFXRate');
  await checkedAs(page, file.name, 'ImportFXRate');
  await page.getByRole('button', { name: 'Compress into a .zip' }).click();
  const packed = (await page.locator('[data-fact=packed-md5]').textContent({ timeout: 60_000 })).trim();
  await page.getByLabel('Action type').selectOption('MPU');
  await sleep(100);
  await checkedAs(page, file.name, 'MPU');
  await page.getByLabel('Action type').selectOption('ImportFXRate');
  await sleep(100);
  const s = await checkedAs(page, file.name, 'ImportFXRate');
  assert.equal(s.packedMd5, packed, `the zip is still what will be sent (the panel shows ${JSON.stringify({ compress: s.compress, split: s.split, hint: s.hint })})`);
  await submitEnabledSoon(page, file.name);
});

// The randomized run: a fixed seed in `make test`, any seed and count on the command line.
test(`random steps: seed ${SEED}${RUNS > 1 ? ` to ${SEED + RUNS - 1}` : ''}, ${STEPS} steps`, async (t) => {
  for (let seed = SEED; seed < SEED + RUNS; seed++) {
    const one = async () => {
      const began = Date.now();
      const log = await run(seed, STEPS);
      console.log(`seed ${seed}: ${STEPS} steps in ${((Date.now() - began) / 1000).toFixed(1)} s; ${log.filter((l) => l.startsWith('#end end') || l.includes('known defects')).join('; ')}`);
      if (process.env.RANDOM_LOG) console.log(log.join('\n'));
    };
    if (RUNS === 1) await one();
    else await t.test(`seed ${seed}`, one);
  }
});
