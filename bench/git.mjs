#!/usr/bin/env node
// Benchmark: `secretscan git` (full history, all refs) against `git log -p --all --full-history`
// on the same repository in the same run: the patch generation that a patch-based scanner cannot
// avoid, before it matches a single byte.
// Usage: node bench/git.mjs [REPO] [--against OTHER/bin/secretscan.js] [--rounds N] [-- extra secretscan args]
//   (run `npm run build` first). --against: also time another build, in alternating order round
//   after round, each against the git log -p of its round; --rounds N: N rounds (default 1), then
//   the median ratio of each build. On a shared machine, compare two builds only this way.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'bin', 'secretscan.js');
const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const own = dashes >= 0 ? argv.slice(0, dashes) : argv;
const extra = dashes >= 0 ? argv.slice(dashes + 1) : [];
const option = (name) => {
  const at = own.indexOf(name);
  return at >= 0 ? own.splice(at, 2)[1] : undefined;
};
const against = option('--against');
const rounds = Number(option('--rounds') ?? 1);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('--rounds takes a whole number, 1 or more');
  process.exit(2);
}
if (against !== undefined && !existsSync(against)) {
  console.error(`--against: no such file: ${against}`);
  process.exit(2);
}
const repo = path.resolve(own[0] ?? '.');
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();

/** Runs a command with stdout to /dev/null; wall time, and peak RSS (largest process) when /usr/bin/time exists. */
function measure(cmd, args, cwd) {
  const devnull = openSync('/dev/null', 'w');
  const t = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', '%M', cmd, ...args], { cwd, stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8' })
    : spawnSync(cmd, args, { cwd, stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t;
  const lines = (r.stderr ?? '').trim().split('\n');
  const rssKb = timeBin ? Number(lines.pop()) : NaN;
  return { ms, rssMb: rssKb / 1024, status: r.status, stderr: lines.join('\n') };
}

const commits = git('rev-list', '--all', '--count');
const objects = git('count-objects', '-vH').split('\n').filter((l) => /^(count|size-pack|in-pack)/.test(l)).join(', ');
console.log(`repository: ${repo}\n  ${commits} commits (all refs), ${objects}`);

// A partial clone lacks some blobs; git log -p stops at the first one. Give git log an overlay
// repository (the same objects through alternates) where each missing blob is replaced by the
// empty blob, so that it can run to the end. secretscan runs on the repository itself.
let logRepo = repo;
let overlay = null;
const missing = execFileSync('git', ['rev-list', '--all', '--objects', '--missing=print'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 })
  .split('\n')
  .filter((l) => l.startsWith('?'))
  .map((l) => l.slice(1));
if (missing.length > 0) {
  overlay = mkdtempSync(path.join(os.tmpdir(), 'secretscan-bench-'));
  execFileSync('git', ['init', '-q', '--bare', overlay]);
  const gitDir = git('rev-parse', '--absolute-git-dir');
  writeFileSync(path.join(overlay, 'objects', 'info', 'alternates'), `${path.join(gitDir, 'objects')}\n`);
  const refs = execFileSync('git', ['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 });
  writeFileSync(path.join(overlay, 'packed-refs'), refs);
  execFileSync('git', ['symbolic-ref', 'HEAD', git('symbolic-ref', '-q', 'HEAD') || 'refs/heads/main'], { cwd: overlay });
  const empty = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: overlay, input: '', encoding: 'utf8' }).trim();
  for (const oid of missing) execFileSync('git', ['update-ref', `refs/replace/${oid}`, empty], { cwd: overlay });
  logRepo = overlay;
  console.log(`  partial clone: ${missing.length} blobs missing (git log -p reads the empty blob in their place; secretscan lists them as skipped)`);
}

// Warm the page cache, so that both runs measure work, not the disk.
execFileSync('git', ['cat-file', '--batch-all-objects', '--batch-check'], { cwd: repo, stdio: 'ignore', maxBuffer: 1 << 30 });

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const rss = (mb) => (Number.isFinite(mb) ? `, peak RSS ${mb.toFixed(0)} MB` : '');
const builds = [{ name: 'secretscan', cli, ratios: [] }, ...(against ? [{ name: `against (${against})`, cli: path.resolve(against), ratios: [] }] : [])];
for (let round = 0; round < rounds; round++) {
  if (rounds > 1) console.log(`round ${round + 1} of ${rounds}`);
  const log = measure('git', ['log', '-p', '--all', '--full-history'], logRepo);
  if (log.status !== 0) console.log(`  git log -p failed: ${log.stderr.split('\n')[0]}`);
  console.log(`git log -p --all --full-history > /dev/null: ${s(log.ms)}${rss(log.rssMb)}`);
  // The other build first every second round: load that comes and goes hits both alike.
  for (const b of round % 2 === 0 ? builds : [...builds].reverse()) {
    const scan = measure(process.execPath, [b.cli, 'git', repo, '--no-config', '--no-fail', '-f', 'json', '--quiet', ...extra], repo);
    if (scan.status !== 0) throw new Error(`${b.name} failed: ${scan.stderr}`);
    b.ratios.push(scan.ms / log.ms);
    const name = b.name === 'secretscan' ? 'secretscan git (full history, all refs):' : `${b.name}:`;
    console.log(`${name.padEnd(44)}${s(scan.ms)}${rss(scan.rssMb)}  ${extra.join(' ')}`);
    console.log(`ratio: ${b.name === 'secretscan' ? 'secretscan' : 'it'} takes ${((scan.ms / log.ms) * 100).toFixed(0)}% of git log -p's time (target <= 50%, peak memory < 1 GB)`);
  }
}
if (overlay) rmSync(overlay, { recursive: true, force: true });
if (rounds > 1 || against) {
  const median = (xs) => {
    const sorted = xs.slice().sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  for (const b of builds) console.log(`${b.name}: median ${(median(b.ratios) * 100).toFixed(0)}% of git log -p over ${b.ratios.length} round(s) (${b.ratios.map((r) => (r * 100).toFixed(0)).join(', ')})`);
}
