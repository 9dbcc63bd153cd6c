#!/usr/bin/env node
// Noise on real third-party code: installs a pinned list of popular npm packages (bench/noise-packages.json)
// and scans it, and optionally a git history, then prints findings per 100 MB and lists each one (redacted).
// Usage: node bench/noise.mjs [--modules DIR] [--git REPO]   (run `npm run build` first; `npm run eval:noise`)
//   --modules DIR  an installed node_modules to scan instead of installing into bench/out/noise/
//   --git REPO     also scan the whole history of this repository (`secretscan git REPO`)
// Targets (issue 10): <= 1 finding per 100 MB of third-party code, <= 5 in a whole history
// (private keys listed apart: test suites carry real test keys).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'bin', 'secretscan.js');
const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

function install() {
  const dir = path.join(here, 'out', 'noise');
  const modules = path.join(dir, 'node_modules');
  if (existsSync(modules)) return modules;
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(here, 'noise-packages.json'), path.join(dir, 'package.json'));
  console.log(`installing the pinned packages into ${dir} (once) ...`);
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  return modules;
}

function scan(kind, target) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [cli, kind, target, '-f', 'json', '--no-config', '--no-fail', '-q'], {
    encoding: 'utf8',
    maxBuffer: 1024 * 2 ** 20,
  });
  if (run.status !== 0) {
    console.error(`scan failed (exit ${run.status}): ${run.stderr}`);
    process.exit(2);
  }
  return { report: JSON.parse(run.stdout), seconds: (Date.now() - started) / 1000 };
}

function list(report, label) {
  const keys = report.findings.filter((f) => f.provider === 'private-key');
  const others = report.findings.filter((f) => f.provider !== 'private-key');
  const mb = report.summary.bytes / 2 ** 20;
  console.log(`\n${label}: ${report.summary.files} files, ${mb.toFixed(0)} MB`);
  console.log(`  findings: ${others.length} (${((100 * others.length) / mb).toFixed(2)} per 100 MB), private keys apart: ${keys.length}`);
  for (const f of others) {
    const at = f.locations[0];
    const where = `${at.path}:${at.line}${at.origin?.commit ? ` @${at.origin.commit.slice(0, 10)}` : ''}`;
    console.log(`  ${f.ruleId.padEnd(30)} ${f.redacted.padEnd(24)} ${where}${f.locations.length > 1 ? ` (+${f.locations.length - 1})` : ''}`);
  }
  if (keys.length) console.log(`  private keys (distinct paths): ${[...new Set(keys.map((f) => f.locations[0].path))].join(", ")}`);
  return others.length;
}

const modules = option('--modules') ?? install();
const third = scan('dir', modules);
list(third.report, `third-party code (${modules}, ${third.seconds.toFixed(1)} s)`);
const repo = option('--git');
if (repo) {
  const history = scan('git', repo);
  list(history.report, `git history of ${repo} (${history.seconds.toFixed(1)} s)`);
}
