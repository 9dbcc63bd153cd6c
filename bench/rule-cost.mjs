#!/usr/bin/env node
// Where matching time goes, rule by rule: runs the built detector on one thread over a tree held in
// memory (no walk, no workers), once to warm it up (RE2 builds its automata as text comes), then
// again with every rule's search timed. Prints the whole pass's CPU time, the keyword pass's share,
// and per rule (the costliest first): time, searches, bytes searched and, from RE2's own calls,
// how many searches found a match and what those cost. A match costs far more than a miss: RE2
// runs again over the matched text to place the capture groups.
// Usage: node bench/rule-cost.mjs [TREE_DIR] [MB] [--top N]   (run `npm run build` first)
//   TREE_DIR defaults to bench/out/tree (made by bench/dir.mjs); MB (default 400) caps the bytes
//   read into memory; files over 8 MiB are left out (a scan reads those in windows).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fg from 'fast-glob';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
if (args.length > 2 || !Number.isInteger(top) || top < 1 || (args[1] !== undefined && !(Number(args[1]) > 0))) {
  console.error('usage: node bench/rule-cost.mjs [TREE_DIR] [MB] [--top N]');
  process.exit(2);
}
const tree = path.resolve(args[0] ?? path.join(here, 'out', 'tree'));
const limit = Number(args[1] ?? 400) * 2 ** 20;
const dist = path.join(here, '..', 'dist');
const load = (rel) => import(pathToFileURL(path.join(dist, rel)).href);

const { Detector } = await load('detect/detector.js');
const { scanBytes } = await load('detect/file-scan.js');
const { default: RE2 } = await import('re2');
const bundle = JSON.parse(readFileSync(path.join(dist, 'builtin-rules.json'), 'latin1'));
const detector = new Detector({ rules: bundle.rules, placeholders: bundle.placeholders, prefilterTable: bundle.prefilter, largeInput: true });
detector.prepare();

let files;
try {
  files = fg.sync('**', { cwd: tree, dot: true, onlyFiles: true, ignore: ['**/.git/**'] }).sort();
} catch (e) {
  console.error(`cannot list ${tree}: ${e.message}`);
  process.exit(2);
}
const bufs = [];
let total = 0;
for (const f of files) {
  const abs = path.join(tree, f);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > 8 * 2 ** 20) continue;
  bufs.push({ path: f, bytes: readFileSync(abs) });
  total += st.size;
  if (total >= limit) break;
}
if (bufs.length === 0) {
  console.error(`no files to read under ${tree}`);
  process.exit(2);
}
const cpuMs = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const pass = () => {
  for (const b of bufs) scanBytes(detector, b.bytes, b.path);
};

// Warm-up: the same pass, untimed.
pass();
let t = process.cpuUsage();
for (const b of bufs) detector.prefilter.run(b.bytes, b.path);
const keywordMs = cpuMs(t);
t = process.cpuUsage();
pass();
const wholeMs = cpuMs(t);

// The timed pass: each rule's searches (Detector.matchRule), and RE2's calls inside them.
const perRule = new Map();
let current = null;
const matchRule = Detector.prototype.matchRule;
Detector.prototype.matchRule = function (rule, order, buf, from, to, ...rest) {
  const id = rule.spec.id;
  const entry = perRule.get(id) ?? { ns: 0n, searches: 0, bytes: 0, matchNs: 0n, matches: 0, fallback: Boolean(rule.spec.fallback), scope: rule.spec.scope ?? 'buffer' };
  perRule.set(id, entry);
  const outer = current;
  current = entry;
  const start = process.hrtime.bigint();
  try {
    return matchRule.call(this, rule, order, buf, from, to, ...rest);
  } finally {
    entry.ns += process.hrtime.bigint() - start;
    entry.searches++;
    entry.bytes += to - from;
    current = outer;
  }
};
const exec = RE2.prototype.exec;
RE2.prototype.exec = function (input) {
  if (!current) return exec.call(this, input);
  const start = process.hrtime.bigint();
  const m = exec.call(this, input);
  if (m) {
    current.matchNs += process.hrtime.bigint() - start;
    current.matches++;
  }
  return m;
};
const timedStart = process.hrtime.bigint();
pass();
const timedMs = Number(process.hrtime.bigint() - timedStart) / 1e6;
Detector.prototype.matchRule = matchRule;
RE2.prototype.exec = exec;

const mb = (n) => (n / 2 ** 20).toFixed(1);
const ms = (ns) => Number(ns) / 1e6;
const rows = [...perRule].sort((a, b) => Number(b[1].ns - a[1].ns));
const rulesMs = rows.reduce((n, [, e]) => n + ms(e.ns), 0);
console.log(`tree: ${tree} (${bufs.length} files, ${mb(total)} MB in memory), ${bundle.rules.length} rules, one thread, after a warm-up pass`);
console.log(`whole pass ${wholeMs.toFixed(0)} ms CPU (${(total / 2 ** 20 / (wholeMs / 1000)).toFixed(0)} MB/s); keyword pass alone ${keywordMs.toFixed(0)} ms (${((100 * keywordMs) / wholeMs).toFixed(0)}%)`);
console.log(`timed pass ${timedMs.toFixed(0)} ms wall, of which rules' searches ${rulesMs.toFixed(0)} ms over ${rows.length} rules (timing adds its own cost)`);
console.log(`${'ms'.padStart(8)} ${'searches'.padStart(9)} ${'MB'.padStart(7)} ${'matches'.padStart(8)} ${'ms in matches'.padStart(14)}  rule`);
for (const [id, e] of rows.slice(0, top)) {
  const kind = `${e.scope}${e.fallback ? ', generic' : ''}`;
  console.log(`${ms(e.ns).toFixed(0).padStart(8)} ${String(e.searches).padStart(9)} ${mb(e.bytes).padStart(7)} ${String(e.matches).padStart(8)} ${ms(e.matchNs).toFixed(0).padStart(14)}  ${id} (${kind})`);
}
