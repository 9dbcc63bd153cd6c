import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { jsonReport, type CliRun } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { FakeForge, type ForgeRepoSpec } from '../support/fake-forge.js';
import { GitHttpServer } from '../support/git-server.js';
import { runCliAsync } from '../support/registry.js';

// An organisation audit: 22 fixture repositories behind a fake GitHub and GitLab API (paginated,
// one rate-limit answer), cloned over loopback smart HTTP with the token, one merged report.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-org-'));
const TOKEN = 'loopback-token-0123456789';
const shared = stripeSecretKey();
const keys: string[] = [];
let forge: FakeForge;
let git: GitHttpServer;
let api: string;

beforeAll(async () => {
  const served = path.join(scratch, 'served');
  mkdirSync(served);
  for (let i = 0; i < 22; i++) {
    const key = stripeSecretKey();
    keys.push(key);
    const repo = new TestRepo(path.join(scratch, 'work', `r${i}`));
    repo.commit('init', { 'app.env': `STRIPE_KEY=${key}\n`, ...(i < 2 ? { 'shared.env': `STRIPE_SHARED=${shared}\n` } : {}) });
    repo.git('clone', '-q', '--bare', repo.dir, path.join(served, `r${i}.git`));
  }
  git = new GitHttpServer(served, { user: 'x-access-token', password: TOKEN });
  const gitUrl = await git.start();
  const repos: ForgeRepoSpec[] = keys.map((_, i) => ({ name: `acme/r${i}`, cloneUrl: `${gitUrl}/r${i}.git`, fork: i === 20, archived: i === 21 }));
  repos.push({ name: 'acme/gone', cloneUrl: `${gitUrl}/gone.git` });
  forge = new FakeForge({ acme: repos, 'acme/team': repos.slice(0, 3) });
  api = await forge.start();
});
afterAll(async () => {
  await forge?.close();
  await git?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function secrets(run: CliRun): string[] {
  return jsonReport(run).findings.map((f) => f.secret!).sort();
}

describe('secretscan git --github-org', () => {
  let run: CliRun;
  let tmp: string;
  beforeAll(async () => {
    tmp = path.join(scratch, 'tmp-github');
    mkdirSync(tmp);
    forge.rateLimitOnce = true;
    run = await runCliAsync(['git', '--github-org', 'acme', '--api-url', api, '--no-config', '-f', 'json', '--show-secrets', '--parallel', '4'], { GITHUB_TOKEN: TOKEN, TMPDIR: tmp });
  });

  it('scans every page of repositories, but forks and archived ones by default, in one report', () => {
    expect(secrets(run)).toEqual([...keys.slice(0, 20), shared].sort());
    expect(forge.requests.filter((r) => r.url.startsWith('/orgs/acme/repos')).length).toBe(4); // 3 pages + one rate-limited retry
  });

  it('waits out a short rate limit instead of failing', () => {
    expect(run.stderr).toMatch(/GitHub API rate limit: waiting \d+ s/);
  });

  it('names the repository of each place, and a secret in two repositories is one leak', () => {
    const report = jsonReport(run) as ReturnType<typeof jsonReport> & { findings: { locations: { origin?: { repository?: string } }[] }[] };
    const both = report.findings.find((f) => f.secret === shared)!;
    expect(both.locations.map((l) => l.path).sort()).toEqual(['acme/r0/shared.env', 'acme/r1/shared.env']);
    const one = report.findings.find((f) => f.secret === keys[5])!;
    expect(one.locations[0]!.path).toBe('acme/r5/app.env');
    expect((one.locations[0] as { origin?: { repository?: string } }).origin?.repository).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/r5\.git$/);
  });

  it('lists a repository that could not be cloned as skipped with the reason, and exits 1 for the leaks', () => {
    const gone = jsonReport(run).skipped.find((s) => s.path === 'acme/gone');
    expect(gone?.reason).toBe('not-cloned');
    expect(gone?.detail).toMatch(/cannot clone http:\/\/127\.0\.0\.1:\d+\/gone\.git/);
    expect(run.status).toBe(1);
  });

  it('sends the token to the API and to git, and never prints it; removes every clone', () => {
    expect(forge.requests.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(git.seenAuth).toContain(`Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--include-forks --include-archived adds them', async () => {
    const r = await runCliAsync(['git', '--github-org', 'acme', '--api-url', api, '--no-config', '-f', 'json', '--show-secrets', '--include-forks', '--include-archived'], { GITHUB_TOKEN: TOKEN });
    expect(secrets(r)).toEqual([...keys, shared].sort());
  });

  it('without a token the clones are refused and every repository is reported as not scanned: exit 2', async () => {
    const r = await runCliAsync(['git', '--github-org', 'acme', '--api-url', api, '--no-config', '-f', 'json'], {});
    expect(r.status).toBe(2);
    expect(jsonReport(r).skipped.filter((s) => s.reason === 'not-cloned')).toHaveLength(21);
  });

  it('an unknown organisation and a bad API URL are one-line errors', async () => {
    const r = await runCliAsync(['git', '--github-org', 'nobody', '--api-url', api, '--no-config'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^secretscan: error: GitHub API \/orgs\/nobody\/repos: not found/);
    const bad = await runCliAsync(['git', '--github-org', 'acme', '--api-url', 'ftp://x', '--no-config'], {});
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--api-url "ftp:\/\/x" is not an http\(s\) URL/);
  });
});

describe('secretscan git --gitlab-group', () => {
  it('scans the group\'s projects with GITLAB_TOKEN sent as PRIVATE-TOKEN', async () => {
    const r = await runCliAsync(['git', '--gitlab-group', 'acme/team', '--api-url', `${api}/api/v4`, '--no-config', '-f', 'json', '--show-secrets'], { GITLAB_TOKEN: TOKEN });
    // GitLab clones authenticate as oauth2:TOKEN; the loopback server wants x-access-token, so they are refused.
    expect(r.status).toBe(2);
    expect(jsonReport(r).skipped.filter((s) => s.reason === 'not-cloned').map((s) => s.path)).toEqual(['acme/r0', 'acme/r1', 'acme/r2']);
    expect(forge.requests.some((q) => q.url.startsWith('/api/v4/groups/acme%2Fteam/projects') && q.auth === TOKEN)).toBe(true);
    expect(git.seenAuth).toContain(`Basic ${Buffer.from(`oauth2:${TOKEN}`).toString('base64')}`);
  });
});
