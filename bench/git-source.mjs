#!/usr/bin/env node
// Benchmark of the history readers alone (no matching): times `git log --raw` walked by itself,
// then GitHistorySource.chunks() drained (walk + cat-file streaming + changed regions), with the
// process's peak RSS, so that the share of reading in `secretscan git` can be told from matching.
// Usage: npm run build && node bench/git-source.mjs [REPO] [--walk-only|--chunks-only]
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = (m) => path.join(here, '..', 'dist', 'sources', m);
const { openRepo } = await import(dist('git-repo.js'));
const { walkHistory } = await import(dist('git-log.js'));
const { GitHistorySource } = await import(dist('git-history.js'));

const args = process.argv.slice(2);
const repo = await openRepo(path.resolve(args.find((a) => !a.startsWith('--')) ?? '.'));
const only = args.find((a) => a.startsWith('--'));
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

if (only !== '--chunks-only') {
  const t = performance.now();
  let changes = 0;
  const commits = await walkHistory(repo, ['--all'], new AbortController().signal, { commit() {}, change() { changes++; } });
  console.log(`walk (git log --raw, parsed): ${s(performance.now() - t)}  ${commits} commits, ${changes} changes`);
}
if (only !== '--walk-only') {
  const t = performance.now();
  const source = new GitHistorySource(repo, { revisions: ['--all'], maxBytes: 100 * 1024 * 1024, wholeBlobs: false, pathAllowed: () => false });
  let chunks = 0;
  let bytes = 0;
  for await (const c of source.chunks()) {
    chunks++;
    bytes += c.parts ? c.parts.reduce((n, p) => n + p.bytes.length, 0) : c.bytes.length;
  }
  console.log(`chunks (walk + cat-file + regions): ${s(performance.now() - t)}  ${chunks} chunks, ${(bytes / 1e6).toFixed(0)} MB to match, ${(source.bytesRead / 1e6).toFixed(0)} MB read, ${source.blobsRead} blobs`);
}
const u = process.resourceUsage();
console.log(`peak RSS ${(u.maxRSS / 1024).toFixed(0)} MB, CPU of this process ${((u.userCPUTime + u.systemCPUTime) / 1e6).toFixed(1)} s (git's children not counted)`);
