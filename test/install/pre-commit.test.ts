import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeSecretKey } from '../support/fake-keys.js';
import { re2Mirror } from '../support/re2-mirror.js';

/**
 * This repository's .pre-commit-hooks.yaml through the pre-commit framework itself, Debian 12's
 * 3.0.4 in CI (.ci/run installs it): a project whose .pre-commit-config.yaml names this repository
 * (by path, at its HEAD commit) as the hook's `repo:`. pre-commit clones it, installs it with npm
 * (dependencies from npm's cache, re2's addon from this clone: see re2Mirror) and runs the hook.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
let tmp: string;
let project: string;
let env: Record<string, string>;

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 900_000, stdio: ['ignore', 'pipe', 'pipe'], env });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const git = (...args: string[]) => run('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], project);

beforeAll(() => {
  if (!hasPreCommit) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'secretscan-pre-commit-'));
  project = path.join(tmp, 'project');
  mkdirSync(project);
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    // A machine whose registry traffic passes a TLS-inspecting proxy trusts it through this.
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    PRE_COMMIT_HOME: path.join(tmp, 'cache'),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    GIT_CONFIG_NOSYSTEM: '1',
    ...re2Mirror(path.join(tmp, 're2-mirror')),
  };
  const rev = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(project, '.pre-commit-config.yaml'), `repos:\n  - repo: ${ROOT}\n    rev: ${rev}\n    hooks:\n      - id: secretscan\n`);
  writeFileSync(path.join(project, 'README.md'), '# project\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial');
}, 900_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasPreCommit)('the pre-commit framework hook (.pre-commit-hooks.yaml)', () => {
  it('is a manifest this pre-commit accepts', () => {
    const r = run('pre-commit', ['validate-manifest', path.join(ROOT, '.pre-commit-hooks.yaml')], ROOT);
    expect(r.status, r.out).toBe(0);
  });

  it('installs secretscan from the repository and blocks staged changes that add a key', () => {
    writeFileSync(path.join(project, '.env'), `STRIPE_SECRET_KEY=${stripeSecretKey()}\n`);
    git('add', '.env');
    const blocked = run('pre-commit', ['run'], project);
    expect(blocked.status, blocked.out).toBe(1);
    expect(blocked.out).toMatch(/\.env:1 {2}stripe-live-secret-key {2}sk_l…/);
    expect(blocked.out).toContain('commit blocked');
    expect(blocked.out).toMatch(/secretscan \(secrets in staged changes\)\.+Failed/);
  }, 900_000);

  it('passes staged changes without a key', () => {
    git('rm', '-q', '--cached', '.env');
    writeFileSync(path.join(project, 'notes.md'), 'nothing secret\n');
    git('add', 'notes.md');
    const clean = run('pre-commit', ['run'], project);
    expect(clean.status, clean.out).toBe(0);
    expect(clean.out).toMatch(/secretscan \(secrets in staged changes\)\.+Passed/);
  }, 300_000);
});
