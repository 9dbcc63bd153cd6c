#!/usr/bin/env node
// Benchmark: the matching engine alone (no file walk, no workers, one thread) over a tree held in
// memory: the keyword prefilter pass and the whole detector, for this build and optionally another.
// Usage: node bench/match.mjs [TREE_DIR | --chunks DIR] [--other DIST_DIR] [--other-env NAME=VALUE] [--rounds N]
// (run `npm run build` first). --chunks: what a history scan matches instead of a tree, as written
// by bench/history-chunks.mjs (commit messages matched as plain text, as the workers do). --other-env runs the other side with that variable set (e.g.
// SECRETSCAN_NO_WASM=1: this build's JavaScript prefilter loop), on this build unless --other.
// TREE_DIR defaults to bench/out/tree (made by bench/dir.mjs). Each round runs in a fresh process
// (two builds cannot share one: each loads its own re2 addon); rounds of the two sides alternate
// (A B A B) so that load on a shared machine hits both. Times are CPU time of the process (less
// disturbed than wall time by other work on the machine); medians and minimums are printed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fg from 'fast-glob';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const child = option('--child', null);
const otherEnv = option('--other-env', null);
const other = option('--other', otherEnv ? '' : null);
const rounds = Number(option('--rounds', 3));
const chunks = option('--chunks', null);
const tree = path.resolve(chunks ?? args[0] ?? path.join(here, 'out', 'tree'));

/** The inputs: the files of the tree, or the history chunks (path null: a commit message). */
function inputs() {
  if (chunks) {
    const all = readFileSync(path.join(tree, 'chunks.bin'));
    const index = JSON.parse(readFileSync(path.join(tree, 'chunks.json'), 'utf8'));
    let at = 0;
    return index.map(([p, n]) => ({ path: p === '' ? null : p, buf: all.subarray(at, (at += n)) }));
  }
  return fg.sync('**', { cwd: tree, dot: true, onlyFiles: true }).sort().map((f) => ({ path: f, buf: readFileSync(path.join(tree, f)) }));
}

async function measure(dist) {
  const { Detector } = await import(pathToFileURL(path.join(dist, 'detect', 'detector.js')).href);
  const { scanBytes } = await import(pathToFileURL(path.join(dist, 'detect', 'file-scan.js')).href);
  // What a matching worker runs on each chunk: a commit message (no path) as plain text.
  const { scanChunk } = await import(pathToFileURL(path.join(dist, 'detect', 'pool.js')).href);
  const bundle = JSON.parse(readFileSync(path.join(dist, 'builtin-rules.json'), 'utf8'));
  const detector = new Detector({ rules: bundle.rules, placeholders: bundle.placeholders });
  const items = inputs();
  const files = items.map((i) => i.path);
  const bufs = items.map((i) => i.buf);
  const cpuMs = (t) => {
    const u = process.cpuUsage(t);
    return (u.user + u.system) / 1000;
  };
  let t = process.cpuUsage();
  for (const buf of bufs) detector.prefilter.run(buf, undefined);
  const prefilter = cpuMs(t);
  t = process.cpuUsage();
  let found = 0;
  for (let i = 0; i < bufs.length; i++) found += (chunks ? scanChunk(detector, bufs[i], files[i] ?? undefined, files[i] === null) : scanBytes(detector, bufs[i], files[i])).matches.length;
  const scan = cpuMs(t);
  // The prefilter again, now that the whole scan has also run it on decoded spans and credential files.
  t = process.cpuUsage();
  for (const buf of bufs) detector.prefilter.run(buf, undefined);
  const prefilterAfter = cpuMs(t);
  return { prefilterAfter, rules: bundle.rules.length, files: files.length, bytes: bufs.reduce((n, b) => n + b.length, 0), prefilter, scan, found };
}

if (child) {
  process.stdout.write(JSON.stringify(await measure(child)));
} else {
  const self = path.join(here, '..', 'dist');
  const dists = [self, ...(other !== null ? [other ? path.resolve(other) : self] : [])];
  const envs = [process.env, { ...process.env, ...(otherEnv ? Object.fromEntries([otherEnv.split('=')]) : {}) }];
  const names = dists.map((d, i) => (i === 1 && otherEnv ? `${d} with ${otherEnv}` : d));
  const runs = dists.map(() => []);
  for (let r = 0; r < rounds; r++) {
    dists.forEach((dist, i) => {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...(chunks ? ['--chunks', tree] : [tree]), '--child', dist], { encoding: 'utf8', maxBuffer: 1 << 20, env: envs[i] });
      runs[i].push(JSON.parse(out));
    });
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const first = runs[0][0];
  const mbps = (ms) => (first.bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
  console.log(`${chunks ? 'history chunks' : 'tree'}: ${tree} (${first.files} ${chunks ? 'chunks' : 'files'}, ${(first.bytes / 2 ** 20).toFixed(0)} MB), ${rounds} alternating rounds, CPU ms median (min)`);
  const scans = dists.map((dist, i) => {
    const pre = median(runs[i].map((t) => t.prefilter));
    const scan = median(runs[i].map((t) => t.scan));
    const min = (k) => Math.min(...runs[i].map((t) => t[k])).toFixed(0);
    const after = median(runs[i].map((t) => t.prefilterAfter));
    console.log(`${names[i]} (${runs[i][0].rules} rules): prefilter ${pre.toFixed(0)} (${min('prefilter')}) ms, ${mbps(pre)} MB/s, after the scan ${after.toFixed(0)} (${min('prefilterAfter')}) ms; whole scan ${scan.toFixed(0)} (${min('scan')}) ms, ${mbps(scan)} MB/s; ${runs[i][0].found} matches`);
    return scan;
  });
  if (scans.length === 2) console.log(`whole scan, this build / other: ${(scans[0] / scans[1]).toFixed(2)}`);
}
