import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, jsonReport, runCli } from '../support/cli.js';
import { BASE62, githubToken, password, randomChars } from '../support/fake-keys.js';
import { FakeProvider, runCliAsync } from '../revoke/fake-provider.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

// `--confidence` and the config key `confidence` through the built CLI.
const tempDir = useTempDirs();
const token = githubToken();

type Reported = { ruleId: string; confidence: string; locations: { path: string }[] };
const found = (stdout: string) => (jsonReport({ status: 0, stdout, stderr: '' }).findings as unknown as Reported[]).map((f) => `${f.locations[0]!.path} ${f.confidence}`).sort();

/** A generic password in the app (medium), one in a test folder (low), and a GitHub token in a fixture (high). */
function tree(extra: Record<string, string> = {}): string {
  const dir = tempDir();
  writeTree(dir, {
    'app/.env': `DB_PASSWORD=${password(24)}\n`,
    'test/app.env': `API_SECRET=${password(24)}\n`,
    'test/fixtures/gh.env': `GITHUB_TOKEN=${token}\n`,
    ...extra,
  });
  return dir;
}

describe('secretscan --confidence', () => {
  it('reports medium and high by default, and counts the low ones as suppressed', () => {
    const run = runCli(['dir', tree(), '--no-config', '-f', 'json']);
    expect(run.status, run.stderr).toBe(1);
    expect(found(run.stdout)).toEqual(['app/.env medium', 'test/fixtures/gh.env high']);
    expect(jsonReport(run).suppressed).toEqual({ 'below-confidence': 1 });
  });

  it('shows every finding with --confidence low, and only high ones with --confidence high', () => {
    const dir = tree();
    expect(found(runCli(['dir', dir, '--no-config', '-f', 'json', '--confidence', 'low']).stdout)).toEqual(['app/.env medium', 'test/app.env low', 'test/fixtures/gh.env high']);
    const high = runCli(['dir', dir, '--no-config', '-f', 'json', '--confidence', 'high']);
    expect(found(high.stdout)).toEqual(['test/fixtures/gh.env high']);
    expect(jsonReport(high).suppressed).toEqual({ 'below-confidence': 2 });
  });

  it('does not fail the run on findings it does not show', () => {
    const dir = tempDir();
    writeTree(dir, { 'tests/db.env': `DB_PASSWORD=${password(24)}\n` });
    const run = runCli(['dir', dir, '--no-config']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Not shown: 1 leak below the confidence asked for (--confidence low shows every one)');
    expect(run.stdout).toContain('no leaks found');
    expect(runCli(['dir', dir, '--no-config', '--confidence', 'low']).status).toBe(1);
  });

  it('takes the threshold from the config key `confidence`, and the flag over it', () => {
    const dir = tree({ '.secretscanrc': 'confidence: low\n' });
    expect(found(runCli(['dir', dir, '-f', 'json']).stdout)).toHaveLength(3);
    expect(found(runCli(['dir', dir, '-f', 'json', '--confidence', 'high']).stdout)).toEqual(['test/fixtures/gh.env high']);
  });

  it('refuses a level that does not exist, on the command line or in the config (exit 2)', () => {
    const dir = tree();
    for (const command of [['dir', dir], ['stdin'], ['git', dir], ['image', 'x.tar'], ['merge', 'x.json']]) {
      expectOneLineError(runCli([...command, '--no-config', '--confidence', 'certain']), /confidence.*"certain"/i);
    }
    writeTree(dir, { '.secretscanrc': 'confidence: sure\n' });
    expectOneLineError(runCli(['dir', dir]), /\.secretscanrc.*confidence/);
  });

  it('applies to standard input, whose label is its path', () => {
    const input = `API_SECRET=${password(24)}\n`;
    expect(found(runCli(['stdin', '--no-config', '-f', 'json', '--label', 'spec/x.env'], { input }).stdout)).toEqual([]);
    expect(found(runCli(['stdin', '--no-config', '-f', 'json', '--label', 'spec/x.env', '--confidence', 'low'], { input }).stdout)).toEqual(['spec/x.env low']);
    expect(found(runCli(['stdin', '--no-config', '-f', 'json', '--label', 'app.env'], { input }).stdout)).toEqual(['app.env medium']);
  });

  it('lists each rule\'s base confidence in `secretscan rules`', () => {
    const rules = JSON.parse(runCli(['rules', '--no-config', '--format', 'json']).stdout) as { id: string; confidence: string }[];
    const of = (id: string) => rules.find((r) => r.id === id)?.confidence;
    expect([of('github-personal-access-token'), of('generic-secret-assignment'), of('heroku-api-key')]).toEqual(['high', 'medium', 'medium']);
    // Grouped by provider (secretscan rules): id, severity, base confidence, name.
    expect(runCli(['rules', '--no-config']).stdout).toMatch(/^  generic-secret-assignment +medium +medium +Secret assigned to a credential-named variable$/m);
  });

  it('applies to git history, by the path in each commit', () => {
    const dir = tree();
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'leaks');
    expect(found(runCli(['git', dir, '--no-config', '-f', 'json']).stdout)).toEqual(['app/.env medium', 'test/fixtures/gh.env high']);
    expect(found(runCli(['git', dir, '--no-config', '-f', 'json', '--confidence', 'low']).stdout)).toHaveLength(3);
  });

  it('survives merge: reports read back keep each confidence, and merge applies its own threshold', () => {
    const dir = tree();
    const reports = [1, 2].map((k) => {
      const out = path.join(tempDir(), `shard-${k}.json`);
      const run = runCli(['dir', dir, '--no-config', '-f', 'json', '--confidence', 'low', '--shard', `${k}/2`, '-o', out, '--quiet']);
      expect(run.stderr).toBe('');
      return out;
    });
    expect(reports.flatMap((r) => found(readFileSync(r, 'utf8'))).sort()).toHaveLength(3);
    expect(found(runCli(['merge', ...reports, '--no-config', '-f', 'json', '--confidence', 'low']).stdout)).toEqual(['app/.env medium', 'test/app.env low', 'test/fixtures/gh.env high']);
    const merged = runCli(['merge', ...reports, '--no-config', '-f', 'json']);
    expect(found(merged.stdout)).toEqual(['app/.env medium', 'test/fixtures/gh.env high']);
    expect(jsonReport(merged).suppressed).toEqual({ 'below-confidence': 1 });
  });

  it('leaves baselines alone: baseline create records every confidence, so --confidence low shows nothing accepted', () => {
    const dir = tree();
    const file = path.join(tempDir(), 'baseline.json');
    const created = runCli(['baseline', 'create', dir, '--no-config', '-o', file, '--quiet']);
    expect(created.status, created.stderr).toBe(0);
    const run = runCli(['dir', dir, '--no-config', '-f', 'json', '--confidence', 'low', '--baseline', file]);
    expect(run.status, run.stderr).toBe(0);
    expect(found(run.stdout)).toEqual([]);
    expect(jsonReport(run).suppressed).toEqual({ baseline: 3 });
  });

  it('raises a key its provider confirms live (--verify) to high, so that no threshold hides it', async () => {
    const key = `acme_${randomChars(BASE62, 32)}`;
    const fake = await new FakeProvider((r) => (r.headers.authorization === `Bearer ${key}` ? { status: 200, body: '{}' } : { status: 401 })).start();
    try {
      const dir = tempDir();
      // A rule of the user's own that says its matches are weak evidence.
      const rule =
        'rules:\n  - provider: acme\n    name: Acme\n    references: []\n    revocation: {urgency: rotate, summary: Rotate it., url: null, steps: [Rotate it.], api: null, after: [Check logs.]}\n' +
        "    rules:\n      - id: acme-key\n        name: Acme key\n        severity: high\n        confidence: low\n        keywords: [acme_]\n        pattern: '\\b(acme_[0-9A-Za-z]{32})\\b'\n" +
        '        verify: {endpoint: acme, request: GET https://api.acme.example/me, auth: bearer, answers: [{status: 200, state: live}, {status: 401, state: revoked}]}\n' +
        `verify:\n  endpoints:\n    acme: ${fake.url('/me')}\n`;
      writeTree(dir, { '.secretscanrc': rule, 'app.env': `ACME=${key}\n` });
      expect(found(runCli(['dir', dir, '-f', 'json', '--confidence', 'high']).stdout)).toEqual([]);
      const verified = await runCliAsync(['dir', dir, '-f', 'json', '--confidence', 'high', '--verify']);
      expect(found(verified.stdout)).toEqual(['app.env high']);
    } finally {
      await fake.stop();
    }
  });
});
