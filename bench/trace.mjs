// A diagnostic, not part of `make bench`: where the main thread's time goes with a
// 200-job list, as Chromium's own trace events (summed per event name; nested events
// count in their parents too). After `trunk build --release`:
//   node bench/trace.mjs            ten status updates, per update
//   SHOW_ALL=1 node bench/trace.mjs the same with every row shown
//   LOAD=1 node bench/trace.mjs     loading the app with the list
//   DROP=file.csv node bench/trace.mjs  dropping a file (twice: first, then warm)
//   CSS='…' node bench/trace.mjs    with extra CSS injected, to try a rule
//   PROFILE=1 DIST=/tmp/d node …    also a CPU profile by function (self time); build
//                                   DIST with data-wasm-opt="0" to keep wasm names
import path from 'node:path';
import { startStaticServer } from './server.mjs';
import { journalText, JOURNAL_KEY, launchChromium } from './common.mjs';

const root = path.resolve(import.meta.dirname, '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const journal = journalText(200);
const jobs = JSON.parse(journal).jobs;
const server = await startStaticServer({ distDir: process.env.DIST ?? path.join(root, 'dist'), extra: {} });
const { context, close: closeChromium } = await launchChromium('mu-trace-');

async function traced(cdp, work) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'toplevel'] } });
  if (process.env.PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  await work();
  if (process.env.PROFILE) {
    const { profile } = await cdp.send('Profiler.stop');
    const self = {};
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas;
    const up = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) up.set(c, n.id);
    // PROFILE_UNDER: self time only of samples beneath a function matching it.
    const under = process.env.PROFILE_UNDER ? new RegExp(process.env.PROFILE_UNDER) : null;
    const beneath = (id) => {
      for (let at = id; at !== undefined; at = up.get(at)) if (under.test(byId.get(at).callFrame.functionName)) return true;
      return false;
    };
    profile.samples.forEach((id, i) => {
      if (under && !beneath(id)) return;
      const f = byId.get(id).callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}`;
      self[name] = (self[name] ?? 0) + (dt[i] ?? 0) / 1000;
    });
    // Inclusive time of every function whose name matches PROFILE_MATCH.
    if (process.env.PROFILE_MATCH) {
      const re = new RegExp(process.env.PROFILE_MATCH);
      const parent = new Map();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      const incl = {};
      profile.samples.forEach((id, i) => {
        const seen = new Set();
        for (let at = id; at !== undefined; at = parent.get(at)) {
          const f = byId.get(at).callFrame.functionName;
          if (re.test(f) && !seen.has(f)) {
            seen.add(f);
            incl[f] = (incl[f] ?? 0) + (dt[i] ?? 0) / 1000;
          }
        }
      });
      console.log('CPU profile, inclusive time:');
      for (const [name, ms] of Object.entries(incl).sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name.slice(0, 150)}`);
    }
    // PROFILE_TREE: the call tree beneath the first function matching it, inclusive ms.
    if (process.env.PROFILE_TREE) {
      const re = new RegExp(process.env.PROFILE_TREE);
      const total = new Map();
      profile.samples.forEach((id, i) => {
        for (let at = id; at !== undefined; at = up.get(at)) total.set(at, (total.get(at) ?? 0) + (dt[i] ?? 0) / 1000);
      });
      const show = (id, depth) => {
        const n = byId.get(id);
        const ms = total.get(id) ?? 0;
        if (ms < Number(process.env.PROFILE_MIN ?? 1.5) || depth > 12) return;
        console.log(`${'  '.repeat(depth)}${ms.toFixed(1)} ${n.callFrame.functionName.slice(0, 110)}`);
        for (const c of [...(n.children ?? [])].sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0))) show(c, depth + 1);
      };
      for (const n of profile.nodes) if (re.test(n.callFrame.functionName) && !re.test(byId.get(up.get(n.id))?.callFrame.functionName ?? '')) show(n.id, 0);
    }
    console.log('CPU profile, self time:');
    for (const [name, ms] of Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name.slice(0, 150)}`);
  }
  await cdp.send('Tracing.end');
  await complete;
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const sums = {};
  for (const e of events) {
    if (e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)) sums[e.name] = (sums[e.name] ?? 0) + (e.dur ?? 0) / 1000;
  }
  return Object.entries(sums).sort((a, b) => b[1] - a[1]).slice(0, 30);
}

try {
  const page = await context.newPage();
  const held = [];
  await page.route('**/v1/bulk/*', (r) => (r.request().method() === 'GET' ? held.push(r) : r.fulfill({ status: 404, body: '' })));
  // A drop is traced with an empty journal, as make bench drops files: polls for a
  // list of jobs would run in the same moments.
  await page.addInitScript(([t, key]) => {
    localStorage.clear();
    if (t) localStorage.setItem(key, t);
  }, [process.env.DROP ? null : journal, JOURNAL_KEY]);
  const cdp = await context.newCDPSession(page);
  if (process.env.DROP) {
    await page.addInitScript({ path: path.join(import.meta.dirname, 'page.js') });
    await page.goto(server.url);
    await page.locator('.drop-zone').waitFor();
    await page.evaluate(() => window.__bench.fileInput());
    await page.setInputFiles('#__bench-files', [process.env.DROP]);
    const name = path.basename(process.env.DROP);
    await page.waitForFunction((n) => window.__bench.files[n] !== undefined, name);
    for (const which of ['first drop', 'second drop']) {
      let ms;
      const sums = await traced(cdp, async () => {
        ms = (await page.evaluate((n) => window.__bench.dropAndWait(n, 120_000), name)).ms;
      });
      console.log(`${which}: ${ms.toFixed(1)} ms`);
      for (const [event, t] of sums.slice(0, 12)) console.log(`${t.toFixed(1).padStart(8)} ms  ${event}`);
    }
  } else if (process.env.LOAD) {
    const sums = await traced(cdp, async () => {
      await page.goto(server.url);
      await page.locator('tr.job').first().waitFor();
      await sleep(1500);
    });
    for (const [name, ms] of sums) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
  } else {
    await page.goto(server.url);
    await page.locator('tr.job').first().waitFor();
    // Clicked from script, so no mouse pointer rests over the list.
    if (process.env.SHOW_ALL) await page.evaluate(() => [...document.querySelectorAll('.list-more button')].find((b) => b.textContent.trim() === 'Show all').click());
    if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
    const shown = new Set(await page.evaluate(() => [...document.querySelectorAll('tr.job .bulk-key')].map((c) => c.textContent)));
    await sleep(1500);
    const n = 10;
    const sums = await traced(cdp, async () => {
      for (let k = 0; k < n; k++) {
        let at;
        while ((at = held.findIndex((r) => shown.has(r.request().url().split('/').pop()))) < 0) await sleep(20);
        const [route] = held.splice(at, 1);
        const job = jobs.find((j) => j.bulkKey === route.request().url().split('/').pop());
        const total = job?.progress?.totalCount ?? 10_000;
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ actionType: 'UpdateAccountingCode', status: 'Processing', success: true, totalCount: total, processedCount: Math.ceil(total / 2) + k, successCount: 1, errorCount: 0 }) });
        await sleep(250);
      }
    });
    for (const [name, ms] of sums) console.log(`${(ms / n).toFixed(2).padStart(8)} ms/update  ${name}`);
  }
} finally {
  await closeChromium();
  await server.close();
}
