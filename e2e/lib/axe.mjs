// axe-core in the page: inject its source, run it, and describe what it found so a failed
// assertion names each rule, why it matters and where.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
let source;

/** The WCAG 2.2 AA rule set the suite holds the app to. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function inject(page) {
  source ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: source });
  }
}

/** Runs axe on the whole document with `tags`; returns its violations. */
export async function axeViolations(page, tags = WCAG_TAGS, include) {
  await inject(page);
  return page.evaluate(async ({ tags, include }) => {
    const context = include ? { include: [include] } : document;
    const result = await window.axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, { tags, include });
}

export function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`).join('\n')}`)
    .join('\n');
}

/**
 * Asserts that the page has no WCAG 2.2 AA violations. Best-practice findings are
 * logged (and returned) but do not fail the test.
 */
export async function assertNoViolations(page, state, { include } = {}) {
  const violations = await axeViolations(page, WCAG_TAGS, include);
  const advice = await axeViolations(page, ['best-practice'], include);
  if (advice.length) console.log(`[axe best-practice] ${state}:\n${describeViolations(advice)}`);
  assert.equal(violations.length, 0, `axe found WCAG violations in “${state}”:\n${describeViolations(violations)}`);
  return advice;
}
