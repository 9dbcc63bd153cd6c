#!/usr/bin/env node
// Noise of a few rule files alone, on real third-party code: loads only the rule files named on the
// command line (no generic rules, no other provider), scans every regular file up to 256 MB under DIR
// (large data files such as package lists hold names shaped like keys) and prints each match,
// redacted, with the count per rule. Quicker than bench/noise.mjs when a change
// touches a handful of providers: the keywords of a few rules skip almost every file.
// Usage: node bench/noise-rules.mjs DIR RULE_FILE...   (run `npm run build` first)
import { lstatSync, openSync, readdirSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { Detector, loadRuleFile, redactSecret } = await import(path.join(here, '..', 'dist', 'index.js'));
const { loadPlaceholderPatterns } = await import(path.join(here, '..', 'dist', 'rules', 'load.js'));

const [dir, ...files] = process.argv.slice(2);
if (!dir || files.length === 0) {
  console.error('usage: node bench/noise-rules.mjs DIR RULE_FILE...');
  process.exit(2);
}
const rules = files.flatMap((f) => loadRuleFile(path.resolve(f)));
const detector = new Detector({ rules, placeholders: loadPlaceholderPatterns() });
const MAX = 256 * 2 ** 20;
let buf = Buffer.alloc(2 * 2 ** 20);
const perRule = new Map(rules.map((r) => [r.id, 0]));
let scanned = 0;
let bytes = 0;
const started = performance.now();

function walk(d) {
  let names;
  try {
    names = readdirSync(d);
  } catch {
    return;
  }
  for (const name of names) {
    const p = path.join(d, name);
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(p);
    else if (st.isFile() && st.size > 0 && st.size <= MAX) scanFile(p, st.size);
  }
}

function scanFile(p, size) {
  if (size > buf.length) buf = Buffer.alloc(size);
  const fd = openSync(p, 'r');
  let n = 0;
  try {
    n = readSync(fd, buf, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  scanned++;
  bytes += n;
  for (const m of detector.scan(buf.subarray(0, n), p)) {
    perRule.set(m.ruleId, (perRule.get(m.ruleId) ?? 0) + 1);
    console.log(`${m.ruleId}\t${path.relative(dir, p)}:${m.line ?? ''}\t${redactSecret(m.secret)}`);
  }
}

walk(path.resolve(dir));
const total = [...perRule.values()].reduce((a, b) => a + b, 0);
console.log(`\n${rules.length} rules, ${scanned} files, ${(bytes / 2 ** 20).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s: ${total} matches`);
for (const [id, n] of perRule) if (n) console.log(`  ${id}: ${n}`);
