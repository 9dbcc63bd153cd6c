#!/usr/bin/env node
// Benchmark: start-up cost of the commands a developer feels on every commit, each next to
// `node -e ''` (the floor: Node itself starting) measured in the same run. Min and median of RUNS.
// Usage: node bench/startup.mjs [RUNS] [--against OTHER/bin/secretscan.js] [--installed]
//   (run `npm run build` first; default 15 runs, at least 10). --against times another build (main's,
//   say) in the same run, each of its runs next to one of this build's, so that both see the same load.
//   --installed times a copy of each build laid out as npm installs it (bin, dist, rules and
//   package.json, no .git beside them: the rule bundle is trusted without checking the rule files),
//   as a user's hook runs it, instead of the checkout itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const against = againstAt >= 0 ? path.resolve(args.splice(againstAt, 2)[1] ?? '') : null;
const installedAt = args.indexOf('--installed');
const installed = installedAt >= 0 && args.splice(installedAt, 1).length > 0;
if (args.length > 1 || (args[0] !== undefined && !/^\d+$/.test(args[0]))) {
  console.error('usage: node bench/startup.mjs [RUNS] [--against OTHER/bin/secretscan.js] [--installed]');
  process.exit(2);
}
const runs = Math.max(10, Number(args[0] ?? 15));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-bench-startup-'));

/** A copy of the build whose command is `cli`, as npm lays out an installed package (see --installed). */
function installedCopy(cli, name) {
  const from = path.dirname(path.dirname(cli));
  const to = path.join(scratch, 'installed', name, 'node_modules', 'secretscan');
  for (const part of ['bin', 'dist', 'rules', 'package.json']) cpSync(path.join(from, part), path.join(to, part), { recursive: true });
  if (existsSync(path.join(from, 'node_modules'))) symlinkSync(path.join(from, 'node_modules'), path.join(to, 'node_modules'));
  return path.join(to, 'bin', 'secretscan.js');
}

/** The builds timed: this one, and the one --against names. */
const builds = [{ name: 'this', cli: path.join(here, '..', 'bin', 'secretscan.js') }, ...(against ? [{ name: 'other', cli: against }] : [])];
if (installed) for (const b of builds) b.cli = installedCopy(b.cli, b.name);

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b.invalid', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b.invalid' };
const git = (cwd, ...a) => execFileSync('git', a, { cwd, env: gitEnv, stdio: 'ignore' });

/** One timed run (ms); exit codes 0 and 1 (findings) are fine. */
function once({ cmd, args: a, cwd, before }) {
  before?.();
  const t = performance.now();
  const r = spawnSync(cmd, a, { cwd, env: gitEnv, stdio: 'ignore' });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${a.join(' ')} exited ${r.status}`);
  return ms;
}

/** Wall times (ms, sorted) of each job, after one warm-up run each; the jobs' runs alternate. */
function times(...jobs) {
  const out = jobs.map(() => []);
  for (let i = -1; i < runs; i++) {
    jobs.forEach((job, j) => {
      const ms = once(job);
      if (i >= 0) out[j].push(ms);
    });
  }
  return out.map((ms) => ms.sort((a, b) => a - b));
}

const median = (ms) => ms[Math.floor(ms.length / 2)];

function row(name, ms, floor) {
  console.log(`${name.padEnd(44)} min ${ms[0].toFixed(0).padStart(5)} ms  median ${median(ms).toFixed(0).padStart(5)} ms  ${(median(ms) / floor).toFixed(1)}x node`);
}

/** A command timed on every build: one row each, alternating runs. */
function compare(name, job, floor) {
  const results = times(...builds.map((b) => job(b)));
  builds.forEach((b, i) => row(builds.length > 1 ? `${name} [${b.name}]` : name, results[i], floor));
  if (builds.length > 1) console.log(`${''.padEnd(44)} this/other: min ${(results[0][0] / results[1][0]).toFixed(2)}, median ${(median(results[0]) / median(results[1])).toFixed(2)}`);
  return results;
}

try {
  const dir = path.join(scratch, 'one');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'app.js'), 'const x = 1;\n');
  /** A repository with one commit, and `stage` run in it to stage what the scan is to see. */
  const stagedRepo = (name, stage) => {
    const repo = path.join(scratch, name);
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'README.md'), '# repo\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    stage(repo);
    git(repo, 'add', '.');
    return repo;
  };
  /** A repository per build, one small file staged; its own hook installed later. */
  const repos = builds.map((b) => stagedRepo(`repo-${b.name}`, (repo) => writeFileSync(path.join(repo, 'app.js'), 'const x = 1;\n')));
  const repoOf = (b) => repos[builds.indexOf(b)];
  // A commit as people make them: several files of code staged (this project's own detector sources).
  const sources = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'detect');
  const code = readdirSync(sources).filter((f) => f.endsWith('.ts')).sort().slice(0, 8);
  const codeBytes = code.reduce((n, f) => n + statSync(path.join(sources, f)).size, 0);
  const bigRepos = builds.map((b) => stagedRepo(`repo8-${b.name}`, (repo) => code.forEach((f) => copyFileSync(path.join(sources, f), path.join(repo, f)))));

  const [node] = times({ cmd: process.execPath, args: ['-e', ''], cwd: scratch });
  const floor = median(node);
  console.log(`${runs} runs each, after one warm-up (${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}: other jobs may be running)`);
  for (const b of builds) console.log(`  ${b.name}: ${b.cli}`);
  row("node -e ''", node, floor);
  compare('secretscan --version', (b) => ({ cmd: process.execPath, args: [b.cli, '--version'], cwd: scratch }), floor);
  compare('secretscan dir (1 file)', (b) => ({ cmd: process.execPath, args: [b.cli, 'dir', dir, '--no-config'], cwd: scratch }), floor);
  // The same inside a work tree: git is asked what .gitignore excludes (`secretscan dir .` in a project).
  compare('secretscan dir (a repository, 2 files)', (b) => ({ cmd: process.execPath, args: [b.cli, 'dir', repoOf(b), '--no-config'], cwd: scratch }), floor);
  compare('secretscan git --staged (1 file)', (b) => ({ cmd: process.execPath, args: [b.cli, 'git', '--staged', '--no-config'], cwd: repoOf(b) }), floor);
  compare(`secretscan git --staged (${code.length} files, ${Math.round(codeBytes / 1024)} KB)`, (b) => ({ cmd: process.execPath, args: [b.cli, 'git', '--staged', '--no-config'], cwd: bigRepos[builds.indexOf(b)] }), floor);

  // The hook as git runs it: a real commit of one staged file, the hook installed by each build.
  for (const b of builds) execFileSync(process.execPath, [b.cli, 'hook', 'install'], { cwd: repoOf(b), env: gitEnv, stdio: 'ignore' });
  let n = 0;
  const stage = (repo) => () => {
    writeFileSync(path.join(repo, 'app.js'), `const x = ${n++};\n`);
    git(repo, 'add', 'app.js');
  };
  const withHook = compare('git commit (hook)', (b) => ({ cmd: 'git', args: ['commit', '-qm', 'c'], cwd: repoOf(b), before: stage(repoOf(b)) }), floor);
  const [noHook] = times({ cmd: 'git', args: ['commit', '-qm', 'c', '--no-verify'], cwd: repos[0], before: stage(repos[0]) });
  row('git commit --no-verify', noHook, floor);
  builds.forEach((b, i) => console.log(`hook cost [${b.name}]: median ${(median(withHook[i]) - median(noHook)).toFixed(0)} ms over a commit without it`));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
