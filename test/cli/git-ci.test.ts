import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { buildCiRepos } from '../../fixtures/git/build-ci.mjs';
import { jsonReport, runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';

const keys = { old: stripeSecretKey(), pr: stripeSecretKey() };
let root: string;
let repos: { ci: string; shallow: string; commits: { base: string; first: string; head: string; merge: string } };

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-git-ci-'));
  repos = buildCiRepos(root, keys);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function scan(dir: string, args: string[], env: Record<string, string> = {}) {
  const run = runCli(['git', dir, ...args, '--no-config', '-f', 'json', '--show-secrets'], { env });
  return { run, secrets: run.status === 2 ? [] : jsonReport(run).findings.map((f) => f.secret) };
}

function githubEnv(eventName: string, payload: unknown): Record<string, string> {
  const file = path.join(root, `${eventName}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: file };
}

describe('secretscan git --since-commit', () => {
  it('scans the commits after SHA up to HEAD, and not what SHA already held', () => {
    const { run, secrets } = scan(repos.ci, ['--since-commit', repos.commits.base]);
    expect(run.status).toBe(1);
    expect(secrets).toEqual([keys.pr]);
  });

  it('scans nothing, and says so, when SHA is HEAD', () => {
    const { run, secrets } = scan(repos.ci, ['--since-commit', repos.commits.merge]);
    expect(run.status).toBe(0);
    expect(secrets).toEqual([]);
    expect(run.stderr).toContain('nothing to scan');
  });

  it('exits 2 on a commit the shallow clone lacks, telling the user to fetch the history', () => {
    const { run } = scan(repos.shallow, ['--since-commit', repos.commits.base]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`unknown commit "${repos.commits.base}" (this is a shallow clone)`);
    expect(run.stderr).toContain('fetch-depth: 0');
    expect(run.stderr).toContain('git fetch --unshallow');
    expect(run.stderr.trim().split('\n')).toHaveLength(2); // the error and its hint, no stack
  });

  it('exits 2 when the shallow clone holds SHA but not the commits between it and HEAD', () => {
    const cut = path.join(root, 'cut');
    cpSync(repos.shallow, cut, { recursive: true });
    execFileSync('git', ['fetch', '-q', '--no-tags', 'origin', repos.commits.base], { cwd: cut });
    const { run } = scan(cut, ['--since-commit', repos.commits.base]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('but not the history between it and HEAD');
  });

  it('refuses to combine with --range', () => {
    expect(scan(repos.ci, ['--since-commit', repos.commits.base, '--range', 'a..b']).run.status).toBe(2);
  });
});

describe('secretscan git --ci', () => {
  const pr = () => ({ number: 1, base: { sha: repos.commits.base }, head: { sha: repos.commits.head } });

  it('on a GitHub pull request scans the pull request\'s commits and prints the range on stderr', () => {
    const { run, secrets } = scan(repos.ci, ['--ci'], githubEnv('pull_request', { pull_request: pr() }));
    expect(run.status).toBe(1);
    expect(secrets).toEqual([keys.pr]);
    expect(run.stderr).toContain(`secretscan: GitHub pull request #1: scanning commits ${repos.commits.base.slice(0, 12)}..${repos.commits.head.slice(0, 12)}`);
  });

  it('on a GitHub push scans before..after', () => {
    const env = githubEnv('push', { ref: 'refs/heads/feature', before: repos.commits.first, after: repos.commits.head });
    expect(scan(repos.ci, ['--ci'], env).secrets).toEqual([keys.pr]);
    const quiet = githubEnv('push', { ref: 'refs/heads/feature', before: repos.commits.base, after: repos.commits.first });
    expect(scan(repos.ci, ['--ci'], quiet).run.status).toBe(0);
  });

  it('on a new branch scans only what no other remote branch holds', () => {
    const env = githubEnv('push', { ref: 'refs/heads/feature', before: '0'.repeat(40), after: repos.commits.head, repository: { default_branch: 'main' } });
    const { run, secrets } = scan(repos.ci, ['--ci'], env);
    expect(secrets).toEqual([keys.pr]);
    expect(run.stderr).toContain('not on origin/main');
  });

  it('after a forced push whose old tip is gone, falls back to the new-branch range and says so', () => {
    const env = githubEnv('push', { ref: 'refs/heads/feature', before: 'e'.repeat(40), after: repos.commits.head });
    const { run, secrets } = scan(repos.ci, ['--ci'], env);
    expect(secrets).toEqual([keys.pr]);
    expect(run.stderr).toContain('note: the push\'s previous tip eeeeeeeeeeee is not in this clone (a forced push');
  });

  it('on a GitLab merge request scans CI_MERGE_REQUEST_DIFF_BASE_SHA..CI_COMMIT_SHA', () => {
    const env = { GITLAB_CI: 'true', CI_MERGE_REQUEST_DIFF_BASE_SHA: repos.commits.base, CI_COMMIT_SHA: repos.commits.head, CI_MERGE_REQUEST_IID: '4' };
    const { run, secrets } = scan(repos.ci, ['--ci'], env);
    expect(secrets).toEqual([keys.pr]);
    expect(run.stderr).toContain('GitLab merge request !4');
  });

  it('in a shallow clone exits 2 and says to fetch with fetch-depth 0', () => {
    const { run } = scan(repos.shallow, ['--ci'], githubEnv('pull_request', { pull_request: pr() }));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("the pull request's base commit");
    expect(run.stderr).toContain('fetch-depth: 0');
  });

  it('outside a known CI exits 2 and names the variables to set', () => {
    const { run } = scan(repos.ci, ['--ci']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('GITHUB_EVENT_PATH');
    expect(run.stderr).toContain('--since-commit BASE_SHA');
  });
});
