import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { CLI, runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { useTempDirs } from '../support/tree.js';

const tempDir = useTempDirs();

function repoWithCommit(): InstanceType<typeof TestRepo> {
  const r = new TestRepo(tempDir());
  r.commit('Initial', { 'README.md': '# repo\n' });
  return r;
}

/** A repository whose hook was installed by a secretscan that was then deleted: a copy of the built package, with this clone's dependencies. */
function repoWithGoneHook(): InstanceType<typeof TestRepo> {
  const root = path.resolve(path.dirname(CLI), '..');
  const gone = mkdtempSync(path.join(os.tmpdir(), 'secretscan-gone-'));
  for (const part of ['bin', 'dist', 'rules', 'package.json']) cpSync(path.join(root, part), path.join(gone, part), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(gone, 'node_modules'));
  const r = repoWithCommit();
  const install = spawnSync(process.execPath, [path.join(gone, 'bin', 'secretscan.js'), 'hook', 'install'], { cwd: r.dir, encoding: 'utf8' });
  expect(install.status, install.stderr).toBe(0);
  rmSync(gone, { recursive: true, force: true });
  return r;
}

/** `git commit` as a user runs it: hooks enabled. */
function gitCommit(dir: string, message: string) {
  return spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-m', message], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

describe('secretscan hook', () => {
  it('installs a pre-commit hook that blocks a commit adding a key, and lets a clean one through', () => {
    const r = repoWithCommit();
    const install = runCli(['hook', 'install'], { cwd: r.dir });
    expect(install.status).toBe(0);
    const hook = path.join(r.dir, '.git', 'hooks', 'pre-commit');
    expect(statSync(hook).mode & 0o111).not.toBe(0);

    r.write({ '.env': `STRIPE_KEY=${stripeSecretKey()}\n` });
    r.git('add', '.env');
    const blocked = gitCommit(r.dir, 'add env');
    expect(blocked.status).toBe(1);
    expect(blocked.stdout + blocked.stderr).toContain('stripe-live-secret-key');
    expect(blocked.stderr).toContain('commit blocked');
    expect(r.git('rev-list', '--count', 'HEAD')).toBe('1');

    r.git('rm', '-q', '--cached', '.env');
    r.write({ 'notes.md': 'nothing secret\n' });
    r.git('add', 'notes.md');
    expect(gitCommit(r.dir, 'notes').status).toBe(0);
  });

  it('refuses to overwrite a hook it did not install (exit 2), and chains it with --chain', () => {
    const r = repoWithCommit();
    const hook = path.join(r.dir, '.git', 'hooks', 'pre-commit');
    const marker = path.join(r.dir, 'their-hook-ran');
    writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(hook, 0o755);

    const refused = runCli(['hook', 'install'], { cwd: r.dir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('not installed by secretscan');
    expect(refused.stderr).toContain('--chain');
    expect(readFileSync(hook, 'utf8')).toContain('their-hook-ran');

    expect(runCli(['hook', 'install', '--chain'], { cwd: r.dir }).status).toBe(0);
    expect(existsSync(`${hook}.secretscan-chained`)).toBe(true);
    r.write({ 'a.txt': 'a\n' });
    r.git('add', 'a.txt');
    expect(gitCommit(r.dir, 'a').status).toBe(0);
    expect(existsSync(marker)).toBe(true);

    const removed = runCli(['hook', 'uninstall'], { cwd: r.dir });
    expect(removed.status).toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain('their-hook-ran');
    expect(existsSync(`${hook}.secretscan-chained`)).toBe(false);
  });

  it('uninstall leaves alone a hook it did not install', () => {
    const r = repoWithCommit();
    const hook = path.join(r.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    const run = runCli(['hook', 'uninstall'], { cwd: r.dir });
    expect(run.status).toBe(2);
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    expect(runCli(['hook', 'uninstall', '--pre-push'], { cwd: r.dir }).status).toBe(0); // none there: nothing to do
  });

  it('installs into core.hooksPath when it is set', () => {
    const r = repoWithCommit();
    r.git('config', 'core.hooksPath', '.githooks');
    expect(runCli(['hook', 'install', '--pre-push'], { cwd: r.dir }).status).toBe(0);
    const hook = path.join(r.dir, '.githooks', 'pre-push');
    expect(readFileSync(hook, 'utf8')).toContain('git --pre-push');
    expect(existsSync(path.join(r.dir, '.git', 'hooks', 'pre-push'))).toBe(false);
    expect(runCli(['hook', 'uninstall', '--pre-push'], { cwd: r.dir }).status).toBe(0);
    expect(existsSync(hook)).toBe(false);
  });

  it('installs a pre-push hook that blocks a push of a commit holding a key', () => {
    const remote = tempDir();
    new TestRepo(remote, { bare: true });
    const r = repoWithCommit();
    r.git('remote', 'add', 'origin', remote);
    r.git('push', '-q', 'origin', 'main');
    expect(runCli(['hook', 'install', '--pre-push'], { cwd: r.dir }).status).toBe(0);
    r.commit('leak', { 'k.txt': `k=${stripeSecretKey()}\n` });
    const push = spawnSync('git', ['push', 'origin', 'main'], { cwd: r.dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    expect(push.status).not.toBe(0);
    expect(push.stdout + push.stderr).toContain('stripe-live-secret-key');
    expect(push.stderr).toContain('push blocked');
  });

  it('prints a short report when it blocks: one line per finding, what to do, False positive once', () => {
    const r = repoWithCommit();
    expect(runCli(['hook', 'install'], { cwd: r.dir }).status).toBe(0);
    r.write({ '.env': `STRIPE_KEY=${stripeSecretKey()}\nOTHER_STRIPE_KEY=${stripeSecretKey()}\n` });
    r.git('add', '.env');
    const blocked = gitCommit(r.dir, 'add env');
    expect(blocked.status).toBe(1);
    // git sends a hook's stdout to stderr: all four lines arrive there.
    const lines = (blocked.stdout + blocked.stderr).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\.env:1  stripe-live-secret-key  sk_l…\(\d+ chars\)$/);
    expect(lines[1]).toMatch(/^\.env:2  stripe-live-secret-key  sk_l…\(\d+ chars\)$/);
    expect(lines[2]).toMatch(/^secretscan: commit blocked: remove each secret above .* how to revoke each: secretscan git --staged --verbose$/);
    expect(lines[3]).toMatch(/False positive\? .*To commit anyway, once: git commit --no-verify$/);
    expect(blocked.stdout + blocked.stderr).not.toContain('How to revoke');
  });

  it('a hook whose secretscan has gone says so in one line and blocks, unless SECRETSCAN_HOOK_IF_MISSING=pass', () => {
    const r = repoWithGoneHook();

    r.write({ 'a.txt': 'a\n' });
    r.git('add', 'a.txt');
    const blocked = gitCommit(r.dir, 'a');
    expect(blocked.status).toBe(1);
    expect(blocked.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^secretscan: the pre-commit hook cannot find secretscan \(looked for .*secretscan-gone-.*\/bin\/secretscan\.js .*\): reinstall the hook with `secretscan hook install` .*commit blocked/),
    ]);
    expect(blocked.stderr).not.toMatch(/npm|404/);
    expect(r.git('rev-list', '--count', 'HEAD')).toBe('1');

    const passed = spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-m', 'a'], {
      cwd: r.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', SECRETSCAN_HOOK_IF_MISSING: 'pass' },
    });
    expect(passed.status).toBe(0);
    expect(passed.stderr).toContain('cannot find secretscan');
  });

  it("a hook whose secretscan has gone runs the repository's own (node_modules/.bin), and its verdict stands", () => {
    const r = repoWithGoneHook();
    // The project's own secretscan, as npm links it: a script that runs this clone's CLI.
    const local = path.join(r.dir, 'node_modules', '.bin', 'secretscan');
    r.write({ 'node_modules/.bin/secretscan': `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, '.gitignore': 'node_modules/\n' });
    chmodSync(local, 0o755);

    r.write({ '.env': `STRIPE_KEY=${stripeSecretKey()}\n` });
    r.git('add', '.env', '.gitignore');
    const blocked = gitCommit(r.dir, 'add env');
    expect(blocked.status).toBe(1);
    expect(blocked.stdout + blocked.stderr).toContain('stripe');
    expect(blocked.stderr).not.toContain('cannot find secretscan');
    r.git('rm', '--cached', '-q', '.env');
    const clean = gitCommit(r.dir, 'gitignore');
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
  });
});
