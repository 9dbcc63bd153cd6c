#!/usr/bin/env node
// Measures how well randomness signals separate generated secrets from the values generic rules
// meet in real code. Usage: node bench/randomness.mjs [TREE] [MAX_FILES]   (run `npm run build` first)
//   positives: every key kind of the labelled corpus (fixtures/corpus/keys.mjs), plus short
//              random passwords, 40 draws each;
//   negatives: the distinct values found after a credential word and `=`/`:` in TREE (default
//              /work/noise/node_modules, third-party code: nearly none of them is a secret).
// Prints, per signal and threshold, the share of positives kept and of negatives still passing.
import { readFileSync, statSync } from 'node:fs';
import fg from 'fast-glob';
import { KINDS } from '../fixtures/corpus/keys.mjs';
import { ALNUM, createRandom } from '../fixtures/corpus/random.mjs';
import { charsetOf, maxEntropy, shannonEntropy } from '../dist/detect/entropy.js';
import { tokensPerChar } from '../dist/detect/randomness.js';

const tree = process.argv[2] ?? '/work/noise/node_modules';
const maxFiles = Number(process.argv[3] ?? 40000);

function positives() {
  const rng = createRandom('randomness-bench');
  const out = [];
  for (const kind of Object.values(KINDS)) {
    for (let i = 0; i < 40; i++) {
      const v = kind.generate(rng);
      const s = typeof v === 'string' ? v : v.secret;
      if (typeof s === 'string' && s.length >= 8 && !s.includes('\n') && s.length <= 200) out.push(s);
    }
  }
  for (let i = 0; i < 400; i++) out.push(rng.chars(ALNUM, rng.int(8, 14)));
  return out;
}

const CANDIDATE = /(?:password|passwd|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|credentials?)[a-z0-9_.-]{0,20}["'\]]{0,2}[ \t]*(?:=>|:=|[:=])[ \t]*["'`]?([^\s"'`,;{}\[\]<>&]{8,200})/gi;

function negatives() {
  const files = fg.sync('**/*', { cwd: tree, absolute: true, dot: true, onlyFiles: true, followSymbolicLinks: false });
  const values = new Set();
  for (const file of files.slice(0, maxFiles)) {
    let text;
    try {
      if (statSync(file).size > 4 * 2 ** 20) continue;
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const m of text.matchAll(CANDIDATE)) values.add(m[1]);
  }
  return [...values];
}

let cl100k = null;
try {
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks = (await import('js-tiktoken/ranks/cl100k_base')).default;
  const started = performance.now();
  const encoder = new Tiktoken(ranks);
  console.log(`cl100k_base loaded in ${(performance.now() - started).toFixed(0)} ms`);
  cl100k = (s) => encoder.encode(s).length / s.length;
} catch {
  console.log('js-tiktoken not installed: the cl100k_base row is left out');
}

const signals = {
  'shannon relative': { fn: (s) => shannonEntropy(s) / maxEntropy(s.length, charsetOf(s)), thresholds: [0.6, 0.7, 0.8, 0.85, 0.9] },
  'subword tokens/char': { fn: tokensPerChar, thresholds: [0.35, 0.4, 0.45, 0.5, 0.55, 0.6] },
  ...(cl100k ? { 'cl100k tokens/char': { fn: cl100k, thresholds: [0.35, 0.4, 0.45, 0.5, 0.55, 0.6] } } : {}),
};

const pos = positives();
const neg = negatives();
console.log(`positives ${pos.length} (generated keys and passwords), negatives ${neg.length} (distinct values in ${tree})`);
for (const [name, { fn, thresholds }] of Object.entries(signals)) {
  const started = performance.now();
  const p = pos.map(fn);
  const n = neg.map(fn);
  const us = ((performance.now() - started) * 1000) / (pos.length + neg.length);
  console.log(`\n${name}  (${us.toFixed(1)} µs/value)`);
  for (const t of thresholds) {
    const kept = p.filter((x) => x >= t).length / p.length;
    const passed = n.filter((x) => x >= t).length / n.length;
    console.log(`  >= ${t.toFixed(2)}  positives kept ${(100 * kept).toFixed(1)}%  negatives passing ${(100 * passed).toFixed(1)}%`);
  }
}
