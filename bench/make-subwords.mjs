#!/usr/bin/env node
// Writes rules/_subwords.txt: the alphabetic pieces (3+ letters) of the cl100k_base BPE vocabulary,
// most frequent first, which src/detect/randomness.ts uses to count how many tokens a value needs.
// Usage: node bench/make-subwords.mjs [COUNT]   (needs the dev dependency js-tiktoken)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

const count = Number(process.argv[2] ?? 20000);
const encoder = new Tiktoken(cl100k);
const pieces = [];
const seen = new Set();
// Ranks are merge order: a lower rank is a more frequent piece of text.
for (let rank = 0; rank < 100256 && pieces.length < count; rank++) {
  let text;
  try {
    text = encoder.decode([rank]);
  } catch {
    continue;
  }
  text = text.replace(/^ /, '');
  if (!/^[!-~]{2,16}$/.test(text) || seen.has(text)) continue;
  seen.add(text);
  pieces.push(text);
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'rules', '_subwords.txt');
const lines = [];
for (let i = 0; i < pieces.length; i += 40) lines.push(pieces.slice(i, i + 40).join(' '));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${pieces.length} pieces to ${out}`);
