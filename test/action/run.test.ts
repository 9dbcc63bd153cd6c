import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { buildCiRepos } from '../../fixtures/git/build-ci.mjs';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';

/** The GitHub Action's scan step, run as its composite step runs it, with GitHub-like variables. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUN_SH = path.join(ROOT, 'action', 'run.sh');

const keys = { old: stripeSecretKey(), pr: stripeSecretKey() };
let root: string;
let repos: { origin: string; dev: string; ci: string; shallow: string; commits: { base: string; first: string; head: string; merge: string } };

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-action-'));
  repos = buildCiRepos(root, keys);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Runs action/run.sh in `cwd` for an event, with the action's inputs; returns its outputs too. */
function runAction(cwd: string, eventName: string, payload: unknown, inputs: Record<string, string> = {}) {
  const event = path.join(root, `event-${n}.json`);
  const output = path.join(root, `output-${n}.txt`);
  const sarif = path.join(root, `report-${n++}.sarif`);
  writeFileSync(event, JSON.stringify(payload));
  writeFileSync(output, '');
  const r = spawnSync('bash', [RUN_SH], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: event,
      GITHUB_OUTPUT: output,
      INPUT_SARIF_FILE: sarif,
      INPUT_PATH: '.',
      INPUT_FETCH: 'true',
      INPUT_ANNOTATIONS: 'true',
      ...inputs,
    },
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, sarif, outputs };
}

/** The paths of the SARIF report's results. */
function resultPaths(sarifFile: string): string[] {
  const log = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  return log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
}

const pullRequest = () => ({ pull_request: { number: 1, base: { sha: repos.commits.base }, head: { sha: repos.commits.head } } });
const hasFormat = (name: string) => runCli(['git', '--help']).stdout.includes(`"${name}"`);

describe('the GitHub Action (action/run.sh)', () => {
  it('on a pull request writes SARIF with what the pull request adds, sets its outputs and fails', () => {
    const r = runAction(repos.ci, 'pull_request', pullRequest());
    expect(r.status).toBe(1);
    expect(resultPaths(r.sarif)).toEqual(['src/pay.js']); // not config/.env, which main already held
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': r.sarif });
    expect(r.stdout).toContain('::error title=secretscan::new leaks in this range');
    expect(r.stderr).toContain('GitHub pull request #1: scanning commits');
    expect(`${r.stdout}${r.stderr}`).not.toContain(keys.pr);
  });

  it('passes a push that adds no leak, still writing the SARIF report', () => {
    const r = runAction(repos.ci, 'push', { ref: 'refs/heads/feature', before: repos.commits.base, after: repos.commits.first });
    expect(r.status).toBe(0);
    expect(resultPaths(r.sarif)).toEqual([]);
    expect(r.outputs).toEqual({ 'exit-code': '0', 'sarif-file': r.sarif });
  });

  it('deepens a shallow checkout before scanning, and says so', () => {
    const r = runAction(repos.shallow, 'pull_request', pullRequest());
    expect(r.stdout).toContain('::notice title=secretscan::the checkout is shallow');
    expect(r.status).toBe(1);
    expect(resultPaths(r.sarif)).toEqual(['src/pay.js']);
  });

  it('on pull_request_target fetches the pull request\'s commits the base checkout lacks', () => {
    const dev = new TestRepo(repos.dev, { init: false });
    dev.git('push', '-q', 'origin', `${repos.commits.head}:refs/pull/1/head`);
    const target = path.join(root, 'target');
    spawnSync('git', ['clone', '-q', '--single-branch', '--branch', 'main', pathToFileURL(repos.origin).href, target]);
    expect(spawnSync('git', ['cat-file', '-e', `${repos.commits.head}^{commit}`], { cwd: target }).status).not.toBe(0);
    const r = runAction(target, 'pull_request_target', pullRequest());
    expect(r.status).toBe(1);
    expect(resultPaths(r.sarif)).toEqual(['src/pay.js']);
  });

  it('honours extra args (--exit-code) and fails the step with an error for a bad run', () => {
    expect(runAction(repos.ci, 'pull_request', pullRequest(), { INPUT_ARGS: '--exit-code 3 --max-file-size 5MB' }).status).toBe(3);
    const bad = runAction(repos.ci, 'schedule', {});
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain('::error title=secretscan::the scan did not run to the end');
    expect(bad.stderr).toContain('has no commit range');
    expect(bad.outputs['exit-code']).toBe('2');
  });

  it('hands the baseline, fail-on and extra args to `secretscan git --ci`', () => {
    // A recording stand-in for the CLI: checks run.sh's wiring of inputs to flags, nothing else.
    const recorder = path.join(root, 'record.mjs');
    const calls = path.join(root, 'calls.jsonl');
    writeFileSync(recorder, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(calls)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
    const r = runAction(repos.ci, 'pull_request', pullRequest(), {
      SECRETSCAN_CLI: recorder,
      INPUT_BASELINE: '.secretscan-baseline.json',
      INPUT_FAIL_ON: 'high',
      INPUT_ARGS: '--config ci/rc.yml \n --no-decode\n',
    });
    expect(r.status).toBe(0);
    const [args] = readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    expect(args).toEqual(['git', '.', '--ci', '--baseline', '.secretscan-baseline.json', '--fail-on', 'high', '--config', 'ci/rc.yml', '--no-decode', '--format', 'sarif', '--output', r.sarif]);
  });

  it.skipIf(!hasFormat('github'))('prints workflow annotations on findings (needs --format github)', () => {
    const r = runAction(repos.ci, 'pull_request', pullRequest());
    expect(r.stdout).toMatch(/^::(error|warning|notice) .*src\/pay\.js/m);
    expect(r.stdout).not.toContain('could not print annotations');
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: { run: string; env?: Record<string, string>; 'working-directory'?: string }[] };
  };

  it('is a composite action that builds from its own checkout and runs action/run.sh with every input', () => {
    expect(action.runs.using).toBe('composite');
    const [install, scan] = action.runs.steps;
    expect(install!['working-directory']).toBe('${{ github.action_path }}');
    expect(install!.run).toMatch(/^npm ci\b/);
    expect(scan!.run).toContain('$GITHUB_ACTION_PATH/action/run.sh');
    for (const name of Object.keys(action.inputs)) {
      expect(scan!.env![`INPUT_${name.toUpperCase().replace(/-/g, '_')}`]).toBe(`\${{ inputs.${name} }}`);
    }
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['sarif-file', 'baseline', 'fail-on', 'args']));
    expect(action.outputs['sarif-file']!.value).toBe('${{ steps.scan.outputs.sarif-file }}');
    expect(existsSync(RUN_SH)).toBe(true);
  });
});
