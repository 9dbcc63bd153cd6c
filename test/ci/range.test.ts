import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCiRange, detectCiRange } from '../../src/ci/detect.js';
import type { RepoLookup } from '../../src/ci/range.js';
import { UserError } from '../../src/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-ci-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (c: string) => c.repeat(40);
const BASE = sha('a');
const HEAD = sha('b');
const MERGE = sha('c');
const GONE = sha('d');
const ZERO = sha('0');

/** A clone holding `commits` and the remote-tracking branches `remotes`. */
function clone(commits: string[], remotes: string[] = []): RepoLookup {
  return { hasCommit: async (s) => commits.includes(s), remoteBranches: async () => remotes, shallow: false, hasMergeBase: async () => true };
}

let eventCount = 0;
function github(eventName: string, payload: unknown, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const file = path.join(dir, `event-${eventCount++}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: file, ...extra };
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

describe('GitHub Actions', () => {
  const pr = { number: 7, base: { sha: BASE }, head: { sha: HEAD } };

  it('scans a pull request as base.sha..head.sha, not the merge commit GitHub checks out', async () => {
    const r = await detectCiRange(github('pull_request', { pull_request: pr }), clone([BASE, HEAD, MERGE]));
    expect(r.revisions).toEqual([`${BASE}..${HEAD}`]);
    expect(r.subject).toBe('GitHub pull request #7');
    expect(describeCiRange(r)).toBe(`secretscan: GitHub pull request #7: scanning commits ${BASE.slice(0, 12)}..${HEAD.slice(0, 12)}\n`);
  });

  it('scans pull_request_target the same way, and says how to fetch the head the base checkout lacks', async () => {
    const env = github('pull_request_target', { pull_request: pr });
    expect((await detectCiRange(env, clone([BASE, HEAD]))).revisions).toEqual([`${BASE}..${HEAD}`]);
    const e = await failure(detectCiRange(env, clone([BASE])));
    expect(e.message).toContain(`the pull request's head commit ${HEAD.slice(0, 12)} is not in this clone`);
    expect(e.hint).toContain('git fetch origin pull/7/head');
  });

  it('tells a shallow checkout to fetch with fetch-depth 0 when the base is missing', async () => {
    const e = await failure(detectCiRange(github('pull_request', { pull_request: pr }), clone([HEAD, MERGE])));
    expect(e.message).toContain("the pull request's base commit");
    expect(e.hint).toContain('fetch-depth: 0');
    expect(e.hint).toContain(`git fetch origin ${BASE}`);
  });

  it('refuses a shallow clone that holds both ends but not the commits between them', async () => {
    const cut: RepoLookup = { ...clone([BASE, HEAD]), shallow: true, hasMergeBase: async () => false };
    const e = await failure(detectCiRange(github('pull_request', { pull_request: pr }), cut));
    expect(e.message).toContain('not the history between them');
    expect(e.hint).toContain('fetch-depth: 0');
    const whole: RepoLookup = { ...clone([BASE, HEAD]), shallow: true, hasMergeBase: async () => true };
    expect((await detectCiRange(github('pull_request', { pull_request: pr }), whole)).revisions).toEqual([`${BASE}..${HEAD}`]);
  });

  it('scans a push as before..after', async () => {
    const env = github('push', { ref: 'refs/heads/main', before: BASE, after: HEAD });
    const r = await detectCiRange(env, clone([BASE, HEAD]));
    expect(r).toMatchObject({ subject: 'GitHub push to main', revisions: [`${BASE}..${HEAD}`], notes: [] });
  });

  it('scans a new branch for the commits no other remote branch holds (its own remote-tracking ref left out)', async () => {
    const env = github('push', { ref: 'refs/heads/feature/x', before: ZERO, after: HEAD, repository: { default_branch: 'main' } });
    const remotes = ['refs/remotes/origin/main', 'refs/remotes/origin/feature/x', 'refs/remotes/origin/release'];
    const r = await detectCiRange(env, clone([HEAD], remotes));
    expect(r.revisions).toEqual([HEAD, '--not', 'refs/remotes/origin/main', 'refs/remotes/origin/release']);
    expect(r.notes[0]).toMatch(/new ref/);
    expect(describeCiRange(r)).toContain('not on origin/main, origin/release');
  });

  it('scans all history of a new branch when the clone has no other remote branch, and says how to narrow it', async () => {
    const env = github('push', { ref: 'refs/heads/feature', before: ZERO, after: HEAD, repository: { default_branch: 'main' } });
    const r = await detectCiRange(env, clone([HEAD], ['refs/remotes/origin/feature']));
    expect(r.revisions).toEqual([HEAD]);
    expect(r.notes.join(' ')).toContain('git fetch origin main');
  });

  it('falls back to the new-branch range after a forced push whose old tip is gone, and says so', async () => {
    const env = github('push', { ref: 'refs/heads/main', before: GONE, after: HEAD });
    const r = await detectCiRange(env, clone([HEAD], ['refs/remotes/origin/main', 'refs/remotes/origin/dev']));
    expect(r.revisions).toEqual([HEAD, '--not', 'refs/remotes/origin/dev']);
    expect(r.notes[0]).toContain(`previous tip ${GONE.slice(0, 12)} is not in this clone (a forced push`);
    expect(describeCiRange(r)).toContain('  note: the push\'s previous tip');
  });

  it('scans nothing for a deleted branch', async () => {
    const r = await detectCiRange(github('push', { ref: 'refs/heads/old', before: BASE, after: ZERO }), clone([BASE]));
    expect(r.revisions).toBeNull();
    expect(describeCiRange(r)).toContain('scanning nothing');
  });

  it('scans a merge queue group as base_sha..head_sha', async () => {
    const env = github('merge_group', { merge_group: { base_sha: BASE, head_sha: HEAD } });
    expect((await detectCiRange(env, clone([BASE, HEAD]))).revisions).toEqual([`${BASE}..${HEAD}`]);
  });

  it('refuses events without a range, and bad or missing event files, with what to do', async () => {
    const e = await failure(detectCiRange(github('schedule', {}), clone([])));
    expect(e.message).toContain('"schedule" has no commit range');
    expect(e.hint).toContain('--since-commit');
    expect((await failure(detectCiRange({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' }, clone([])))).message).toContain('GITHUB_EVENT_PATH is not set');
    const missing = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path.join(dir, 'none.json') };
    expect((await failure(detectCiRange(missing, clone([])))).message).toContain('cannot read the GitHub event file');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[1, 2');
    expect((await failure(detectCiRange({ ...missing, GITHUB_EVENT_PATH: bad }, clone([])))).message).toContain('is not a JSON object');
    expect((await failure(detectCiRange(github('pull_request', { pull_request: {} }), clone([])))).message).toContain('pull_request.base.sha');
  });
});

describe('GitLab CI', () => {
  const gitlab = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ GITLAB_CI: 'true', CI_DEFAULT_BRANCH: 'main', ...vars });

  it('scans a merge request as CI_MERGE_REQUEST_DIFF_BASE_SHA..CI_COMMIT_SHA', async () => {
    const env = gitlab({ CI_MERGE_REQUEST_DIFF_BASE_SHA: BASE, CI_COMMIT_SHA: HEAD, CI_MERGE_REQUEST_IID: '12', CI_COMMIT_BEFORE_SHA: ZERO });
    const r = await detectCiRange(env, clone([BASE, HEAD]));
    expect(r).toMatchObject({ subject: 'GitLab merge request !12', revisions: [`${BASE}..${HEAD}`] });
  });

  it('scans the source branch tip, not GitLab\'s merge commit, in a merged-results pipeline', async () => {
    const env = gitlab({ CI_MERGE_REQUEST_DIFF_BASE_SHA: BASE, CI_COMMIT_SHA: MERGE, CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: HEAD });
    expect((await detectCiRange(env, clone([BASE, HEAD, MERGE]))).revisions).toEqual([`${BASE}..${HEAD}`]);
  });

  it('scans a push as CI_COMMIT_BEFORE_SHA..CI_COMMIT_SHA', async () => {
    const env = gitlab({ CI_COMMIT_BEFORE_SHA: BASE, CI_COMMIT_SHA: HEAD, CI_COMMIT_BRANCH: 'main' });
    expect(await detectCiRange(env, clone([BASE, HEAD]))).toMatchObject({ subject: 'GitLab pipeline for branch main', revisions: [`${BASE}..${HEAD}`] });
  });

  it('scans a new branch (all-zero before) for the commits no other remote branch holds', async () => {
    const env = gitlab({ CI_COMMIT_BEFORE_SHA: ZERO, CI_COMMIT_SHA: HEAD, CI_COMMIT_BRANCH: 'topic' });
    const r = await detectCiRange(env, clone([HEAD], ['refs/remotes/origin/topic', 'refs/remotes/origin/main']));
    expect(r.revisions).toEqual([HEAD, '--not', 'refs/remotes/origin/main']);
  });

  it('falls back after a forced push, and tells a shallow clone to set GIT_DEPTH: 0 when the base is missing', async () => {
    const forced = await detectCiRange(gitlab({ CI_COMMIT_BEFORE_SHA: GONE, CI_COMMIT_SHA: HEAD, CI_COMMIT_BRANCH: 'main' }), clone([HEAD], ['refs/remotes/origin/main']));
    expect(forced.revisions).toEqual([HEAD]);
    expect(forced.notes.join(' ')).toContain('forced push');
    const e = await failure(detectCiRange(gitlab({ CI_MERGE_REQUEST_DIFF_BASE_SHA: BASE, CI_COMMIT_SHA: HEAD }), clone([HEAD])));
    expect(e.hint).toContain('GIT_DEPTH: 0');
  });
});

describe('outside a known CI', () => {
  it('says which variables to set, or to name the range', async () => {
    const e = await failure(detectCiRange({ CI: 'true' }, clone([])));
    expect(e.message).toContain('GITHUB_ACTIONS and GITLAB_CI are unset');
    expect(e.hint).toContain('GITHUB_EVENT_PATH');
    expect(e.hint).toContain('CI_MERGE_REQUEST_DIFF_BASE_SHA');
    expect(e.hint).toContain('--since-commit BASE_SHA or --range BASE..HEAD');
  });
});
