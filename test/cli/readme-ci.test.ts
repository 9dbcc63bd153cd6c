import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseJunit } from 'junit2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { buildCiRepos } from '../../fixtures/git/build-ci.mjs';
import { CLI, runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';

/** README's "Use in CI" examples, run as written: each is the fenced block after `<!-- tested: NAME -->`. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function snippet(name: string): string {
  const m = new RegExp(`<!-- tested: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(README);
  if (!m) throw new Error(`README.md has no block marked <!-- tested: ${name} -->`);
  return m[1]!;
}

const keys = { old: stripeSecretKey(), pr: stripeSecretKey() };
let root: string;
let bin: string;
let repos: { ci: string; shallow: string; commits: { base: string; first: string; head: string; merge: string } };

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-readme-ci-'));
  repos = buildCiRepos(root, keys);
  // `secretscan` on PATH, as the snippets' install steps leave it.
  bin = path.join(root, 'bin');
  mkdirSync(bin);
  symlinkSync(CLI, path.join(bin, 'secretscan'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs one shell command of a snippet in `cwd` with the variables its CI would set. */
function sh(command: string, cwd: string, env: Record<string, string>) {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const supportsFormat = (name: string) => runCli(['git', '--help']).stdout.includes(`"${name}"`);

describe('README "Use in CI": generic CI', () => {
  const lines = () => snippet('generic-ci').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

  it('is three commands: deepen a shallow clone, --since-commit, --range', () => {
    const commands = lines();
    expect(commands).toHaveLength(3);
    expect(commands[1]).toContain('secretscan git --since-commit "$BASE_SHA"');
    expect(commands[2]).toContain('secretscan git --range "$BASE_SHA..$HEAD_SHA"');
  });

  it('run in a shallow clone, finds what the change adds and only that', () => {
    const work = path.join(root, 'generic');
    cpSync(repos.shallow, work, { recursive: true });
    const env = { BASE_SHA: repos.commits.base, HEAD_SHA: repos.commits.head };
    const [deepen, since, range] = lines().map((c) => sh(c, work, env));
    expect(deepen!.status).toBe(0);
    expect(sh('git rev-parse --is-shallow-repository', work, {}).stdout.trim()).toBe('false');
    expect(since!.status).toBe(1);
    expect(since!.stdout).toContain('src/pay.js');
    expect(since!.stdout).not.toContain('config/.env');
    expect(range!.status).toBe(1);
    const sarif = JSON.parse(readFileSync(path.join(work, 'secretscan.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]!.results).toHaveLength(1);
  });

  it('passes when the change adds no leak', () => {
    const env = { BASE_SHA: repos.commits.base, HEAD_SHA: repos.commits.first };
    expect(sh(lines()[2]!, repos.ci, env).status).toBe(0);
  });
});

describe('README "Use in CI": GitLab CI', () => {
  const job = () => (parseYaml(snippet('gitlab-ci')) as { secretscan: { variables: Record<string, string>; script: string[]; artifacts: { reports: { junit: string } } } }).secretscan;

  it('fetches the whole history and keeps the JUnit report the script writes', () => {
    const j = job();
    expect(j.variables.GIT_DEPTH).toBe('0');
    expect(j.script.join('\n')).toContain(j.artifacts.reports.junit);
  });

  it.skipIf(!supportsFormat('junit'))('its script fails a merge request that adds a key, with a JUnit report naming the file', async () => {
    const work = path.join(root, 'gitlab-mr');
    cpSync(repos.ci, work, { recursive: true });
    const env = { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: repos.commits.base, CI_COMMIT_SHA: repos.commits.head, CI_COMMIT_BEFORE_SHA: '0'.repeat(40), CI_MERGE_REQUEST_IID: '3' };
    const results = job().script.map((c) => sh(c, work, env));
    expect(results.at(-1)!.status).toBe(1);
    const report = await parseJunit(readFileSync(path.join(work, job().artifacts.reports.junit), 'utf8'));
    const text = JSON.stringify(report);
    expect(text).toContain('src/pay.js');
    expect(text).not.toContain('config/.env');
    expect(text).not.toContain(keys.pr);
  });

  it.skipIf(!supportsFormat('junit'))('its script passes a push that adds no leak', () => {
    const work = path.join(root, 'gitlab-push');
    cpSync(repos.ci, work, { recursive: true });
    const env = { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature', CI_COMMIT_BEFORE_SHA: repos.commits.base, CI_COMMIT_SHA: repos.commits.first };
    const results = job().script.map((c) => sh(c, work, env));
    expect(results.every((r) => r.status === 0)).toBe(true);
    expect(existsSync(path.join(work, job().artifacts.reports.junit))).toBe(true);
  });
});

describe('README "Use in CI": GitHub workflow', () => {
  type Step = { id?: string; uses?: string; if?: string; with?: Record<string, string | number> };
  const text = () => snippet('github-workflow');
  const workflow = () => parseYaml(text()) as { permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
  const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };

  it('checks out the whole history, then runs the action with inputs it has', () => {
    const [checkout, scan] = Object.values(workflow().jobs)[0]!.steps;
    expect(checkout!.uses).toMatch(/^actions\/checkout@/);
    expect(checkout!.with!['fetch-depth']).toBe(0);
    expect(Object.keys(scan!.with!).every((k) => k in action.inputs)).toBe(true);
    // The inputs shown commented out are real inputs too.
    const commented = [...text().matchAll(/^\s+# ([a-z-]+): /gm)].map((m) => m[1]!);
    expect(commented).toEqual(['sarif-file', 'baseline', 'fail-on', 'args']);
    expect(commented.every((k) => k in action.inputs)).toBe(true);
  });

  it('uploads the SARIF output to code scanning, with the permission that needs, even when the scan fails', () => {
    const wf = workflow();
    expect(wf.permissions['security-events']).toBe('write');
    const steps = Object.values(wf.jobs)[0]!.steps;
    const scan = steps.find((s) => s.id === 'secretscan')!;
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with!.sarif_file).toBe(`\${{ steps.${scan.id}.outputs.sarif-file }}`);
    expect(upload.if).toContain('always()');
    expect(action.outputs).toHaveProperty('sarif-file');
  });
});
