import type { GitOrigin } from '../../src/types.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { buildHistoryRepo } from '../../fixtures/git/build-history.mjs';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { jsonReport, runCli, type JsonReport } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';

/** The history fixture (fixtures/git/build-history.mjs) with fresh fake keys, built once. */
const KEY_NAMES = ['deleted', 'renamed', 'side', 'tagged', 'merged', 'message', 'binary', 'large', 'latin1', 'atHead'] as const;
type KeyName = (typeof KEY_NAMES)[number];
const keys = Object.fromEntries(KEY_NAMES.map((n) => [n, stripeSecretKey()])) as Record<KeyName, string>;
let root: string;
let repo: { dir: string; commits: Record<string, string>; latin1Path: string };

type Loc = JsonReport['findings'][number]['locations'][number] & { origin?: GitOrigin };

function scan(args: string[], cwd?: string) {
  const run = runCli(['git', ...args, '--no-config', '--max-file-size', '1MB', '-f', 'json', '--show-secrets'], { cwd });
  return { run, report: jsonReport(run) };
}

/** The locations where the report found `secret`. */
function where(report: JsonReport, secret: string): Loc[] {
  return report.findings.filter((f) => f.secret === secret).flatMap((f) => f.locations as Loc[]);
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-git-'));
  repo = buildHistoryRepo(path.join(root, 'repo'), keys);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('secretscan git (whole history)', () => {
  let report: JsonReport;
  let status: number | null;
  beforeAll(() => {
    const r = scan([repo.dir]);
    report = r.report;
    status = r.run.status;
  });

  it('fails the run when history leaks a key', () => {
    expect(status).toBe(1);
  });

  it('reports a key deleted in a later commit at the commit that added it, as gone from HEAD', () => {
    const [loc, ...more] = where(report, keys.deleted);
    expect(more).toEqual([]);
    expect(loc).toMatchObject({ path: 'config/.env', line: 2, column: 12 });
    expect(loc!.origin).toMatchObject({
      commit: repo.commits.deleted,
      author: 'Bob Builder',
      email: 'bob@example.invalid',
      subject: 'Add payment config',
      path: 'config/.env',
      inHead: false,
      commits: 1,
    });
    expect(loc!.origin!.date).toMatch(/^2024-01-0\dT12:00:00/);
  });

  it('reports a renamed file once, at its first commit and path', () => {
    const locs = where(report, keys.renamed);
    expect(locs).toHaveLength(1);
    expect(locs[0]).toMatchObject({ path: 'old/settings.py', line: 2 });
    expect(locs[0]!.origin).toMatchObject({ commit: repo.commits.renamed, inHead: true, commits: 2 });
  });

  it('says a key is still at HEAD when a later version of the file still holds it', () => {
    const locs = where(report, keys.atHead);
    expect(locs).toHaveLength(1);
    expect(locs[0]).toMatchObject({ path: 'src/client.js', line: 1 });
    // Where HEAD holds it now: a comment was added above it since.
    expect(locs[0]!.origin).toMatchObject({ commit: repo.commits.atHead, inHead: true, headPath: 'src/client.js', headLine: 2 });
  });

  it('in text, names the line where HEAD holds the key, and says how to accept a history finding', () => {
    const run = runCli(['git', repo.dir, '--no-config', '--max-file-size', '1MB']);
    expect(run.stdout).toMatch(new RegExp(`introduced in ${repo.commits.atHead.slice(0, 12)} .*; still at HEAD in src/client\\.js:2`));
    expect(run.stdout).toMatch(/still at HEAD in new\/settings\.py:2/);
    expect(run.stdout).toContain('False positive? History cannot be edited by a comment: accept it with a baseline from the history scan (secretscan baseline create --git');
    expect(run.stdout).not.toContain('secretscan:allow');
  });

  it('finds keys on an unmerged branch, behind a tag only, and added by a merge commit', () => {
    expect(where(report, keys.side)[0]?.origin).toMatchObject({ commit: repo.commits.side, path: 'feature.txt', inHead: false });
    expect(where(report, keys.tagged)[0]?.origin).toMatchObject({ commit: repo.commits.tagged, path: 'experiment.cfg' });
    expect(where(report, keys.merged)[0]?.origin).toMatchObject({ commit: repo.commits.merged, subject: 'Merge topic', inHead: true });
  });

  it('finds a key in a commit message', () => {
    const [loc] = where(report, keys.message);
    expect(loc).toMatchObject({ path: '<commit message>', line: 3 });
    expect(loc!.origin).toMatchObject({ commit: repo.commits.message, subject: 'Rotate the payment key' });
  });

  it('reads a path that is not UTF-8', () => {
    expect(where(report, keys.latin1)[0]).toMatchObject({ path: repo.latin1Path });
  });

  it('skips binary and too-large blobs and lists them with their commit', () => {
    expect(where(report, keys.binary)).toEqual([]);
    expect(where(report, keys.large)).toEqual([]);
    const short = repo.commits.assets!.slice(0, 12);
    expect(report.skipped).toEqual(
      expect.arrayContaining([
        { path: `assets/logo.png@${short}`, reason: 'binary' },
        expect.objectContaining({ path: `data/large.txt@${short}`, reason: 'too-large' }),
      ]),
    );
  });

  it('finds the same keys with --whole-blobs', () => {
    const whole = scan([repo.dir, '--whole-blobs']).report;
    const secrets = (r: JsonReport) => r.findings.map((f) => f.secret).sort();
    expect(secrets(whole)).toEqual(secrets(report));
  });

  it('says in the text report which commit added a key and that it is only in history', () => {
    const run = runCli(['git', repo.dir, '--no-config', '--max-file-size', '1MB']);
    expect(run.stdout).toContain(`introduced in ${repo.commits.deleted!.slice(0, 12)} by Bob Builder <bob@example.invalid> on 2024-01-03 "Add payment config"; removed from HEAD (still in history)`);
    expect(run.stdout).toContain('git filter-repo');
    expect(run.stdout).not.toContain(keys.deleted);
  });
});

describe('secretscan git: part of the history', () => {
  it('scans only the commits of a range', () => {
    const { report } = scan([repo.dir, '--range', `main..feature`]);
    expect(report.findings.map((f) => f.secret)).toEqual([keys.side]);
  });

  it('scans a range from the initial commit without reporting what came before it', () => {
    const { report } = scan([repo.dir, '--range', `${repo.commits.deletedGone}..${repo.commits.atHeadEdit}`]);
    expect(report.findings.map((f) => f.secret).sort()).toEqual([keys.renamed, keys.atHead].sort());
  });

  it('scans one branch: no side branch, no tag', () => {
    const { report } = scan([repo.dir, '--branch', 'main']);
    const found = report.findings.map((f) => f.secret);
    expect(found).toContain(keys.merged);
    expect(found).not.toContain(keys.side);
    expect(found).not.toContain(keys.tagged);
  });

  it('scans commits since a date', () => {
    const { report } = scan([repo.dir, '--since', '2024-01-10']);
    const found = report.findings.map((f) => f.secret);
    expect(found).toContain(keys.merged);
    expect(found).not.toContain(keys.deleted);
  });

  it('exits 2 with one line for a bad range, a bad branch, a missing folder and a folder outside git', () => {
    for (const args of [[repo.dir, '--range', 'nope..main'], [repo.dir, '--branch', 'no-such-branch'], [path.join(root, 'missing')], [os.tmpdir()]]) {
      const run = runCli(['git', ...args, '--no-config']);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^secretscan: error: /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('secretscan git: other kinds of clone', () => {
  it('scans a bare clone like the repository itself', () => {
    const bare = path.join(root, 'bare.git');
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare]);
    const { report } = scan([bare]);
    const found = report.findings.map((f) => f.secret);
    expect(found).toEqual(expect.arrayContaining([keys.deleted, keys.side, keys.merged, keys.message]));
  });

  it('scans what a shallow clone holds and says the history is partial', () => {
    const shallow = path.join(root, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${repo.dir}`, shallow]);
    const { run, report } = scan([shallow]);
    expect(run.stderr).toContain('shallow clone');
    const found = report.findings.map((f) => f.secret);
    expect(found).toContain(keys.merged);
    expect(found).toContain(keys.renamed); // still in HEAD's tree, so in the one commit there is
    expect(found).not.toContain(keys.deleted);
  });

  it('scans every stash entry, not only the newest', () => {
    const stashed = new TestRepo(path.join(root, 'stashed'));
    stashed.commit('Initial', { 'a.txt': 'a\n' });
    const older = stripeSecretKey();
    const newer = stripeSecretKey();
    stashed.write({ 'a.txt': `a ${older}\n` });
    stashed.git('stash', '-q');
    stashed.write({ 'a.txt': `a ${newer}\n` });
    stashed.git('stash', '-q');
    const found = scan([stashed.dir]).report.findings.map((f) => f.secret);
    expect(found.sort()).toEqual([older, newer].sort());
  });

  it('in a long file changed at both ends, finds each key at the commit and line that added it', () => {
    const long = new TestRepo(path.join(root, 'long'));
    const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `// line ${from + i} of a long source file\n`).join('');
    const [old, top, bottom] = [stripeSecretKey(), stripeSecretKey(), stripeSecretKey()];
    const first = long.commit('Initial', { 'src/long.c': `${lines(0, 1000)}key = "${old}"\n${lines(1000, 2000)}` });
    // Both ends change: the stretch between is matched in the first version only.
    const second = long.commit('Edit both ends', { 'src/long.c': `key = "${top}"\n${lines(0, 1000)}key = "${old}"\n${lines(1000, 1990)}key = "${bottom}"\n${lines(1990, 2000)}` });
    const { report } = scan([long.dir]);
    expect(where(report, old)).toMatchObject([{ path: 'src/long.c', line: 1001, origin: { commit: first } }]);
    expect(where(report, top)).toMatchObject([{ path: 'src/long.c', line: 1, origin: { commit: second } }]);
    expect(where(report, bottom)).toMatchObject([{ path: 'src/long.c', line: 1993, origin: { commit: second } }]);
  });

  it('scans an empty repository without complaint', () => {
    const empty = path.join(root, 'empty');
    execFileSync('git', ['init', '-q', empty]);
    const { run, report } = scan([empty]);
    expect(run.status).toBe(0);
    expect(report.findings).toEqual([]);
  });
});

describe('secretscan git: commit subjects quoted in reports', () => {
  it('never prints a key pasted in a commit subject, in any shard, format or with a baseline', () => {
    const pasted = new TestRepo(path.join(root, 'pasted'));
    const inFile = stripeSecretKey();
    const inSubject = stripeSecretKey();
    pasted.commit(`add config, old key was ${inSubject}`, { 'a.env': `STRIPE=${inFile}\n` });
    pasted.commit(`rotate ${inFile} out`, { 'b.env': `STRIPE=${inFile}\n` });
    const runs = [
      ...['json', 'text', 'sarif'].map((f) => runCli(['git', pasted.dir, '--no-config', '-f', f])),
      ...['1/2', '2/2', '1/3', '2/3', '3/3'].map((s) => runCli(['git', pasted.dir, '--no-config', '-f', 'json', '--shard', s])),
    ];
    for (const run of runs) {
      expect(run.status, run.stderr).not.toBe(2);
      expect(run.stdout + run.stderr).not.toContain(inFile);
      expect(run.stdout + run.stderr).not.toContain(inSubject);
    }
    expect(jsonReport(runs[0]!).findings.flatMap((f) => f.locations.map((l) => (l as { origin?: { subject?: string } }).origin?.subject))).toContain(
      `add config, old key was ${inSubject.slice(0, 4)}…(${inSubject.length} chars)`,
    );
  });
});

describe('secretscan git: what is asked of git before the rules load', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const repo = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-early-'));
    dirs.push(dir);
    const r = new TestRepo(dir);
    r.commit('Initial', { 'a.txt': 'a\n' });
    r.write({ 'bad.yml': 'disable-rules: [no-such-rule]\n' });
    return r;
  };

  it('--pre-push with a bad config exits at once, without waiting for its input to end', async () => {
    // git's pre-push input is read only once the config and rules are known good.
    const r = repo();
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../support/cli.js');
    const child = spawn(process.execPath, [CLI, 'git', '--pre-push', '--config', 'bad.yml', '.'], { cwd: r.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null | 'still running'>((resolve) => {
      const timer = setTimeout(() => resolve('still running'), 10_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    child.stdin.end(); // the input never ended before this
    if (code === 'still running') child.kill();
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/disable-rules: no rule has the id "no-such-rule"/);
  }, 20_000);

  it('prints no note about the revisions it chose after a config error (--since-commit, --ci)', () => {
    const r = repo();
    const sinceCommit = runCli(['git', '--config', 'bad.yml', '--since-commit', 'HEAD', '.'], { cwd: r.dir });
    expect(sinceCommit.status).toBe(2);
    expect(sinceCommit.stderr).toMatch(/no-such-rule/);
    expect(sinceCommit.stderr).not.toMatch(/note: --since-commit/);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: r.dir, encoding: 'utf8' }).trim();
    const ci = runCli(['git', '--ci', '--config', 'bad.yml', '.'], { cwd: r.dir, env: { GITLAB_CI: 'true', CI_COMMIT_SHA: head, CI_COMMIT_BEFORE_SHA: head } });
    expect(ci.status).toBe(2);
    expect(ci.stderr).toMatch(/no-such-rule/);
    expect(ci.stderr).not.toMatch(/GitLab pipeline/);
  });
});
