#!/usr/bin/env node
// The shape of a Rust source tree, checked from its text: no import circle between its
// files, (where a tree has a line limit) no file longer than the limit, no function
// longer than FUNCTION_LIMIT lines of code (tests aside; clippy's too_many_lines does the
// same but cannot see a Leptos #[component]'s body), and no sentence written outside a
// `wording/` folder (the house rule: every sentence a user reads is written in
// domain/src/wording/; see its module documentation).
//
//   node scripts/check-tree.mjs [--max-lines=N] DIR...   exits 1 on any failure
//
// DIR is a crate's source folder (domain/src, src). The line limit applies to the trees
// named in LINE_LIMITS, or to every DIR given with --max-lines.
//
// The file graph: each `.rs` file is the module its path names (`a/b.rs` and `a/b/mod.rs`
// are `crate::a::b`; `lib.rs` is the crate; an inline `mod x { … }` is part of its
// file). A file depends on the file that defines what it names: in `use` declarations,
// in `crate::…`, `super::…` and `self::…` paths in code, in paths through a name it
// imported or a child module (`use crate::wording;` … `wording::jobs::job_sentence`),
// and in string literals that are such a path (serde's `with = "crate::…"`). Neither
// `mod x;` nor importing a module by itself is a dependency (the paths through it
// are), and a `pub use` is one only when the file's own code uses what it brings in.
//
// A path is resolved to the file that defines its item: for `crate::a::b::X`, the
// longest prefix that is a module file (`a/b.rs`), then, when that file re-exports X
// (`pub use c::X`, or a glob), the file the re-export names, followed to the end. So a
// folder's `mod.rs` that re-exports its children, and children that name each other
// through `super::X`, form no circle; a child that uses an item *defined* in `mod.rs`
// does, and is reported. Comments (doc links included), strings and
// `#[cfg(test)] mod … { … }` blocks are left out: tests may reach anywhere.
//
// A circle is a strongly connected component of more than one file; each is reported
// with the references that make it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether a string literal reads as a sentence: two words or more that end as a
 * sentence ends (`.`, `?`, `!`, `…`), or that hold one sentence's end before another's
 * start. Labels ("Export CSV", "2. Choose the action"), identifiers and format strings
 * of names (`{}.zip`) do not.
 */
export function looksLikeSentence(text) {
  const s = text.replace(/\\n/g, ' ').trimEnd();
  const words = s.match(/[A-Za-z]{2,}/g) ?? [];
  return words.length >= 2 && (/[.?!…]$/.test(s) || /[a-z][.?!] [A-Z]/.test(s));
}

/** Most lines of code (not blank, not comment) in one function's body, tests aside. */
export const FUNCTION_LIMIT = 60;

/** Each function in blanked code (tests already blanked) whose body is over `limit`. */
export function longFunctions(code, limit) {
  const found = [];
  const fnRe = /(?<![\w$])fn\s+(\w+)/g;
  let m;
  while ((m = fnRe.exec(code))) {
    const rest = code.slice(m.index);
    const stop = rest.search(/[{;]/);
    if (stop === -1 || rest[stop] === ';') continue;
    const open = m.index + stop;
    const close = closingBrace(code, open);
    if (close === -1) continue;
    const lines = code.slice(open + 1, close).split('\n').filter((l) => l.trim() !== '').length;
    if (lines > limit) found.push({ name: m[1], line: code.slice(0, m.index).split('\n').length, lines });
  }
  return found;
}

/** Trees whose files must stay within a number of lines (tests not counted). */
export const LINE_LIMITS = { src: 400 };

const ITEM_KINDS = 'fn|struct|enum|const|static|type|trait|mod|union';

/**
 * The text with comments and the insides of string and char literals turned into
 * spaces (newlines kept, so offsets and line numbers still match), and the literals'
 * contents with their offsets.
 */
export function blank(text) {
  const out = text.split('');
  const strings = [];
  const wipe = (from, to) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n') out[i] = ' ';
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      wipe(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text[j] === '/' && text[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (text[j] === '*' && text[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      wipe(i, j);
      i = j;
    } else if ((c === 'r' || c === 'b') && !/\w/.test(text[i - 1] ?? ' ') && /^(?:br?|r)#*"/.test(text.slice(i, i + 260))) {
      // r"…", r#"…"#, b"…", br#"…"#
      const m = /^(br|r|b)(#*)"/.exec(text.slice(i, i + 260));
      const raw = m[1] !== 'b';
      const hashes = m[2];
      const start = i + m[0].length;
      let j = start;
      if (raw) {
        const close = '"' + hashes;
        j = text.indexOf(close, start);
        if (j === -1) j = n;
        strings.push({ at: start, text: text.slice(start, j) });
        wipe(start, j);
        i = j + close.length;
      } else {
        while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        strings.push({ at: start, text: text.slice(start, j) });
        wipe(start, j);
        i = j + 1;
      }
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      strings.push({ at: i + 1, text: text.slice(i + 1, j) });
      wipe(i + 1, j);
      i = j + 1;
    } else if (c === "'") {
      // A char literal ('x', '\n', '\u{1F}', '"'), or else a lifetime or label.
      const m = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/u.exec(text.slice(i, i + 16));
      if (m) {
        wipe(i + 1, i + m[0].length - 1);
        i += m[0].length;
      } else i++;
    } else i++;
  }
  return { code: out.join(''), strings };
}

/** Offset of the `}` closing the `{` at `open` in blanked code, or -1. */
function closingBrace(code, open) {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The `#[cfg(test)] mod tests { … }` blocks (any visibility, other attributes between)
 * as [from, to] offsets in blanked code.
 */
export function testBlocks(code) {
  const blocks = [];
  const re = /#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+\w+\s*\{/g;
  let m;
  while ((m = re.exec(code))) {
    const close = closingBrace(code, m.index + m[0].length - 1);
    const to = close === -1 ? code.length : close + 1;
    blocks.push([m.index, to]);
    re.lastIndex = to;
  }
  return blocks;
}

/** Splits a `use` tree (`a::{b, c::{d as e}, *}`) into paths of segments. */
export function useTreePaths(tree) {
  const paths = [];
  const walk = (prefix, text) => {
    text = text.trim();
    if (!text) return;
    const brace = text.indexOf('{');
    if (brace === -1) {
      const name = text.replace(/\s+as\s+\w+$/, '').trim();
      const segs = name.split('::').map((s) => s.trim()).filter(Boolean);
      const rename = /\s+as\s+(\w+)$/.exec(text);
      paths.push({ segs: [...prefix, ...segs], alias: rename ? rename[1] : null });
      return;
    }
    const head = text.slice(0, brace).replace(/::\s*$/, '');
    const headSegs = head.split('::').map((s) => s.trim()).filter(Boolean);
    const inner = text.slice(brace + 1, text.lastIndexOf('}'));
    let depth = 0;
    let start = 0;
    for (let i = 0; i <= inner.length; i++) {
      const ch = inner[i];
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      else if ((ch === ',' && depth === 0) || i === inner.length) {
        walk([...prefix, ...headSegs], inner.slice(start, i));
        start = i + 1;
      }
    }
  };
  walk([], tree);
  // `a::{self, b}` names `a` itself.
  return paths.map((p) => {
    if (p.segs.at(-1) === 'self') return { ...p, segs: p.segs.slice(0, -1) };
    return p;
  });
}

/** The module path of a file, relative to its tree: `a/b.rs`, `a/b/mod.rs` → [a, b]. */
function modulePath(rel) {
  const parts = rel.split(path.sep).join('/').replace(/\.rs$/, '').split('/');
  const last = parts.at(-1);
  if (last === 'mod' || ((last === 'lib' || last === 'main') && parts.length === 1)) parts.pop();
  return parts;
}

function rustFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return rustFiles(full, base);
    return name.endsWith('.rs') ? [path.relative(base, full)] : [];
  });
}

/** Reads a tree into files with their module paths, code without tests, and references. */
export function readTree(root) {
  const rels = rustFiles(root).sort();
  const files = new Map();
  const modules = new Map();
  for (const rel of rels) {
    const text = readFileSync(path.join(root, rel), 'utf8');
    const mod = modulePath(rel);
    const { code: blanked, strings } = blank(text);
    const tests = testBlocks(blanked);
    const inTests = (at) => tests.some(([a, b]) => at >= a && at < b);
    let code = blanked;
    for (const [a, b] of tests) code = code.slice(0, a) + code.slice(a, b).replace(/[^\n]/g, ' ') + code.slice(b);
    const testLines = tests.reduce((sum, [a, b]) => sum + text.slice(a, b).split('\n').length, 0);
    const lines = text.replace(/\n$/, '').split('\n').length;
    const file = { rel, mod, code, lines, codeLines: lines - testLines, uses: [], paths: [] };
    file.longFunctions = longFunctions(code, FUNCTION_LIMIT);
    const wording = rel.split(path.sep).includes('wording');
    file.sentences = wording
      ? []
      : strings
          .filter((s) => !inTests(s.at) && looksLikeSentence(s.text))
          .map((s) => ({ line: text.slice(0, s.at).split('\n').length, text: s.text }));
    // A binary root next to lib.rs is a crate of its own: it only reaches the library
    // by its crate name, so it takes no module path here.
    const key = mod.join('::');
    if (!(rel === 'main.rs' && rels.includes('lib.rs'))) modules.set(key, file);
    files.set(rel, file);

    // Inline modules (`mod wording { … }`): paths inside them start from their module.
    const inline = [];
    const inlineRe = /(?<![\w$])mod\s+(\w+)\s*\{/g;
    let m;
    while ((m = inlineRe.exec(code))) {
      const open = m.index + m[0].length - 1;
      inline.push({ name: m[1], from: open, to: closingBrace(code, open) });
    }
    const modAt = (at) => [...mod, ...inline.filter((b) => at > b.from && at < b.to).map((b) => b.name)];
    const lineAt = (at) => text.slice(0, at).split('\n').length;

    const useRe = /(?<![\w$])(pub(?:\s*\([^)]*\))?\s+)?use\s+([^;]+);/g;
    while ((m = useRe.exec(code))) {
      const at = m.index;
      // Only a file's own `pub use` re-exports (not one inside an inline module).
      const pub = Boolean(m[1]) && modAt(at).length === mod.length;
      for (const p of useTreePaths(m[2])) file.uses.push({ ...p, pub, mod: modAt(at), line: lineAt(at) });
    }
    const exprCode = code.replace(useRe, (s) => s.replace(/[^\n]/g, ' '));
    // What the file's own code names (for `usedInCode`): not its `mod x;` lines.
    file.exprCode = exprCode.replace(/(?<![\w$])(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+\w+\s*;/g, '');
    const pathRe = /(?<![\w$:])((?:crate|super|self)(?:\s*::\s*\w+)+)/g;
    while ((m = pathRe.exec(exprCode))) {
      file.paths.push({ segs: m[1].split('::').map((s) => s.trim()), mod: modAt(m.index), line: lineAt(m.index) });
    }
    for (const s of strings) {
      if (inTests(s.at) || !/^(?:crate|super|self)(?:::\w+)+$/.test(s.text)) continue;
      file.paths.push({ segs: s.text.split('::'), mod: modAt(s.at), line: lineAt(s.at) });
    }
    // `name::…` where `name` is imported (`use crate::wording;` then
    // `wording::jobs::job_sentence`) or a child module: resolved in `graph`.
    const namedRe = /(?<![\w$:])([A-Za-z_]\w*(?:\s*::\s*\w+)+)/g;
    file.named = [];
    while ((m = namedRe.exec(exprCode))) {
      const segs = m[1].split('::').map((s) => s.trim());
      if (['crate', 'super', 'self'].includes(segs[0])) continue;
      file.named.push({ segs, mod: modAt(m.index), line: lineAt(m.index) });
    }
  }
  return { files, modules };
}

/** `segs` as written in the file of module `mod`, made absolute; null when external. */
function absolute(segs, mod, modules) {
  const [first, ...rest] = segs;
  if (first === 'crate') return rest;
  if (first === 'self') return [...mod, ...rest];
  if (first === 'super') {
    let base = mod.slice(0, -1);
    let tail = rest;
    while (tail[0] === 'super') {
      base = base.slice(0, -1);
      tail = tail.slice(1);
    }
    return [...base, ...tail];
  }
  // Uniform paths: a child module of this one.
  if (modules.has([...mod, first].join('::'))) return [...mod, ...segs];
  return null;
}

function defines(file, name) {
  return new RegExp(`\\b(?:${ITEM_KINDS})\\s+${name}\\b|macro_rules!\\s*${name}\\b`).test(file.code);
}

/** The file that defines what the absolute path `segs` names. */
export function resolve(segs, tree, depth = 0) {
  const { modules } = tree;
  let k = segs.length;
  while (k > 0 && !modules.has(segs.slice(0, k).join('::'))) k--;
  const file = modules.get(segs.slice(0, k).join('::'));
  if (!file) return null;
  const name = segs[k];
  if (name === undefined || name === '*' || depth > 16) return file;
  const exports = file.uses.filter((u) => u.pub);
  const named = exports.find((u) => (u.alias ?? u.segs.at(-1)) === name && u.segs.at(-1) !== '*');
  if (named) {
    const target = absolute(named.segs, file.mod, modules);
    if (target) return resolve([...target, ...segs.slice(k + 1)], tree, depth + 1) ?? file;
    return file;
  }
  if (defines(file, name)) return file;
  for (const glob of exports.filter((u) => u.segs.at(-1) === '*')) {
    const target = absolute(glob.segs.slice(0, -1), file.mod, modules);
    const found = target && resolve([...target, name, ...segs.slice(k + 1)], tree, depth + 1);
    if (found && defines(found, name)) return found;
  }
  return file;
}

/**
 * Whether the file's own code uses what a `pub use` brings in. A re-export that the
 * file only passes on (a folder's `mod.rs` listing its children's items) is no
 * dependency of the file: whoever names the item through it depends on the file that
 * defines it (see `resolve`).
 */
function usedInCode(file, ref) {
  const name = ref.alias ?? ref.segs.at(-1);
  if (name === '*') return true;
  return new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(file.exprCode);
}

/** Edges `from → to` with the references that make each. */
export function graph(tree) {
  const edges = new Map();
  for (const file of tree.files.values()) {
    const out = new Map();
    const imported = new Map();
    for (const use of file.uses) {
      const abs = absolute(use.segs, use.mod, tree.modules);
      const name = use.alias ?? use.segs.at(-1);
      if (abs && name !== '*') imported.set(name, abs);
    }
    const named = file.named.flatMap((ref) => {
      const [first, ...rest] = ref.segs;
      if (imported.has(first)) return [{ ...ref, abs: [...imported.get(first), ...rest] }];
      const child = [...ref.mod, first];
      return tree.modules.has(child.join('::')) ? [{ ...ref, abs: [...child, ...rest] }] : [];
    });
    for (const ref of [...file.uses, ...file.paths, ...named]) {
      if (ref.pub && !usedInCode(file, ref)) continue;
      const abs = ref.abs ?? absolute(ref.segs, ref.mod, tree.modules);
      if (!abs) continue;
      // Importing a module is no dependency by itself: the paths through it are.
      if (file.uses.includes(ref) && tree.modules.has(abs.join('::'))) continue;
      const target = resolve(abs, tree);
      if (!target || target === file) continue;
      if (!out.has(target.rel)) out.set(target.rel, []);
      out.get(target.rel).push(`${file.rel}:${ref.line} ${ref.segs.join('::')}`);
    }
    edges.set(file.rel, out);
  }
  return edges;
}

/** Strongly connected components (Tarjan), only those of more than one file. */
export function circles(edges) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/** Checks one tree; returns the failures as lines of text. */
export function checkTree(root, maxLines) {
  const tree = readTree(root);
  const edges = graph(tree);
  const failures = [];
  for (const component of circles(edges)) {
    failures.push(`import circle between ${component.length} files in ${root}: ${component.join(', ')}`);
    for (const from of component) {
      for (const [to, refs] of edges.get(from)) {
        if (!component.includes(to)) continue;
        failures.push(`  ${from} → ${to}: ${refs.slice(0, 3).join('; ')}${refs.length > 3 ? ` (+${refs.length - 3})` : ''}`);
      }
    }
  }
  for (const file of tree.files.values()) {
    for (const f of file.longFunctions) {
      failures.push(`${path.join(root, file.rel)}:${f.line}: fn ${f.name} has ${f.lines} lines of code, over ${FUNCTION_LIMIT}`);
    }
    for (const s of file.sentences) {
      failures.push(`${path.join(root, file.rel)}:${s.line}: a sentence outside wording/: "${s.text.slice(0, 80)}"`);
    }
  }
  if (maxLines) {
    for (const file of tree.files.values()) {
      if (file.codeLines > maxLines) {
        failures.push(`${path.join(root, file.rel)}: ${file.codeLines} lines without its tests, over ${maxLines}`);
      }
    }
  }
  return { failures, files: tree.files.size, edges: [...edges.values()].reduce((s, o) => s + o.size, 0) };
}

function main(args) {
  const option = args.find((a) => a.startsWith('--max-lines='));
  const dirs = args.filter((a) => !a.startsWith('--'));
  if (dirs.length === 0) {
    console.error('usage: node scripts/check-tree.mjs [--max-lines=N] DIR...');
    return 2;
  }
  let failed = false;
  for (const dir of dirs) {
    const limit = option ? Number(option.split('=')[1]) : LINE_LIMITS[path.normalize(dir).replace(/\/$/, '')];
    const { failures, files, edges } = checkTree(dir, limit);
    for (const f of failures) console.error(f);
    failed ||= failures.length > 0;
    console.log(`${dir}: ${files} files, ${edges} file dependencies, ${failures.length ? 'FAILED' : 'no import circle, no sentence outside wording/'}${limit ? `, line limit ${limit}` : ''}`);
  }
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
