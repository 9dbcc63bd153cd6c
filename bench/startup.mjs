#!/usr/bin/env node
// Benchmark: start-up cost of the commands a developer feels on every commit, each next to
// `node -e ''` (the floor: Node itself starting) measured in the same run. Min and median of RUNS.
// Usage: node bench/startup.mjs [RUNS]   (run `npm run build` first; default 15 runs)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'bin', 'secretscan.js');
const runs = Math.max(10, Number(process.argv[2] ?? 15));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-bench-startup-'));

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b.invalid', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b.invalid' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: gitEnv, stdio: 'ignore' });

/** Wall times (ms) of `runs` runs of cmd, after one warm-up run. */
function times(cmd, args, cwd, before) {
  const out = [];
  for (let i = -1; i < runs; i++) {
    before?.();
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd, env: gitEnv, stdio: 'ignore' });
    const ms = performance.now() - t;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    if (i >= 0) out.push(ms);
  }
  return out.sort((a, b) => a - b);
}

function row(name, ms, floor) {
  const min = ms[0];
  const median = ms[Math.floor(ms.length / 2)];
  console.log(`${name.padEnd(34)} min ${min.toFixed(0).padStart(5)} ms  median ${median.toFixed(0).padStart(5)} ms  ${(median / floor).toFixed(1)}x node`);
}

try {
  const dir = path.join(scratch, 'one');
  const repo = path.join(scratch, 'repo');
  execFileSync('mkdir', ['-p', dir, repo]);
  writeFileSync(path.join(dir, 'app.js'), 'const x = 1;\n');
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'README.md'), '# repo\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
  writeFileSync(path.join(repo, 'app.js'), 'const x = 1;\n');
  git(repo, 'add', 'app.js');

  const node = times(process.execPath, ['-e', ''], scratch);
  const floor = node[Math.floor(node.length / 2)];
  console.log(`${runs} runs each, after one warm-up (2 cores; other jobs may be running)`);
  row("node -e ''", node, floor);
  row('secretscan --version', times(process.execPath, [cli, '--version'], scratch), floor);
  row('secretscan dir (1 file)', times(process.execPath, [cli, 'dir', dir, '--no-config'], scratch), floor);
  row('secretscan git --staged (1 file)', times(process.execPath, [cli, 'git', '--staged', '--no-config'], repo), floor);

  // The hook as git runs it: a real commit of one staged file, the hook installed by secretscan.
  execFileSync(process.execPath, [cli, 'hook', 'install'], { cwd: repo, env: gitEnv, stdio: 'ignore' });
  let n = 0;
  const stage = () => {
    writeFileSync(path.join(repo, 'app.js'), `const x = ${n++};\n`);
    git(repo, 'add', 'app.js');
  };
  const withHook = times('git', ['commit', '-qm', 'c'], repo, stage);
  const noHook = times('git', ['commit', '-qm', 'c', '--no-verify'], repo, stage);
  row('git commit (hook)', withHook, floor);
  row('git commit --no-verify', noHook, floor);
  console.log(`hook cost: median ${(withHook[Math.floor(runs / 2)] - noHook[Math.floor(runs / 2)]).toFixed(0)} ms over a commit without it`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
