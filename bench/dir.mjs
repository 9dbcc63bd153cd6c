#!/usr/bin/env node
// Benchmark: `secretscan dir` throughput against a raw read of the same files, in one run.
// Usage: node bench/dir.mjs [TREE_DIR] [SIZE_MB]   (run `npm run build` first)
// Generates the tree when TREE_DIR is empty or missing (default bench/out/tree, 1100 MB).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { generateTree } from './gen-tree.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tree = path.resolve(process.argv[2] ?? path.join(here, 'out', 'tree'));
const sizeMb = Number(process.argv[3] ?? 1100);
const cli = path.join(here, '..', 'bin', 'secretscan.js');

if (!existsSync(tree) || readdirSync(tree).length === 0) {
  console.log(`generating ${sizeMb} MB tree in ${tree} ...`);
  const g = generateTree(tree, sizeMb * 1024 * 1024);
  console.log(`  ${g.files} files, ${(g.bytes / 2 ** 20).toFixed(0)} MB, ${g.planted} planted keys`);
}

function rawRead() {
  const t = performance.now();
  let bytes = 0;
  for (const f of fg.sync('**', { cwd: tree, dot: true, onlyFiles: true, absolute: true })) bytes += readFileSync(f).length;
  return { ms: performance.now() - t, bytes };
}

function secretscan() {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'dir', tree, '--no-config', '--no-fail', '-f', 'json', '-o', '/dev/null', '--quiet'], { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`secretscan failed: ${r.stderr}`);
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  return { ms, rssMb: rssKb / 1024 };
}

rawRead(); // warm the page cache so both measure the same thing: scanning, not the disk
const raw = rawRead();
const runs = [secretscan(), secretscan()];
const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const mbps = (ms) => (raw.bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
console.log(`tree: ${tree} (${(raw.bytes / 2 ** 20).toFixed(0)} MB)`);
console.log(`raw read (fast-glob + readFileSync): ${raw.ms.toFixed(0)} ms, ${mbps(raw.ms)} MB/s`);
console.log(`secretscan dir (best of 2):          ${best.ms.toFixed(0)} ms, ${mbps(best.ms)} MB/s, peak RSS ${best.rssMb.toFixed(0)} MB`);
console.log(`ratio: secretscan runs at ${((raw.ms / best.ms) * 100).toFixed(0)}% of raw-read throughput (target >= 50%)`);
