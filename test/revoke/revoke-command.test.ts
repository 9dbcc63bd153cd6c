import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fake } from '../../fixtures/fake-keys.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { CLI, runCli } from '../support/cli.js';
import { awsAccessKeyId, githubToken } from '../support/fake-keys.js';
import { FakeProvider, runCliAsync, type Answer, type Received } from './fake-provider.js';

const accepted: Answer = { status: 202, body: '' };
const slackRevoked: Answer = { status: 200, body: '{"ok":true,"revoked":true}' };

let dir: string;
let github: FakeProvider;
let slack: FakeProvider;
let githubAnswer: (r: Received, n: number) => Answer;
let slackAnswer: (r: Received, n: number) => Answer;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'secretscan-revoke-'));
  githubAnswer = () => accepted;
  slackAnswer = () => slackRevoked;
  github = await new FakeProvider((r, n) => githubAnswer(r, n)).start();
  slack = await new FakeProvider((r, n) => slackAnswer(r, n)).start();
  writeFileSync(
    path.join(dir, 'revoke.yml'),
    `verify:\n  endpoints:\n    github-revoke: ${github.url('/credentials/revoke')}\n    slack-revoke: ${slack.url('/api/auth.revoke')}\n`,
  );
});

afterEach(async () => {
  await github.stop();
  await slack.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A project folder holding one GitHub token, one Slack bot token and one AWS key id. */
function leakyProject(): { root: string; ghp: string; xoxb: string } {
  const root = path.join(dir, 'project');
  const ghp = githubToken();
  const xoxb = fake.slackBot() as string;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root);
  writeFileSync(path.join(root, 'deploy.sh'), `export GITHUB_TOKEN=${ghp}\nexport SLACK_TOKEN=${xoxb}\nexport AWS_ACCESS_KEY_ID=${awsAccessKeyId()}\n`);
  return { root, ghp, xoxb };
}

const config = () => ['--config', path.join(dir, 'revoke.yml')];

describe('secretscan revoke', () => {
  it('scans a folder, revokes the GitHub and Slack tokens through their APIs, and points to the guidance for the rest', async () => {
    const { root, ghp, xoxb } = leakyProject();
    const run = await runCliAsync(['revoke', root, '--yes', ...config()]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    expect(github.received).toHaveLength(1);
    const [g] = github.received;
    expect(g!.method).toBe('POST');
    expect(g!.path).toBe('/credentials/revoke');
    expect(JSON.parse(g!.body)).toEqual({ credentials: [ghp] });
    expect(g!.headers.authorization).toBeUndefined(); // GitHub answers 403 to authenticated calls
    expect(g!.headers['x-github-api-version']).toBe('2022-11-28');

    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]!.method).toBe('POST');
    expect(slack.received[0]!.headers.authorization).toBe(`Bearer ${xoxb}`);

    expect(run.stdout).toMatch(/Will revoke 2 tokens/);
    expect(run.stdout).toMatch(/^revoked +GitHub personal access token.*deploy\.sh:1\): GitHub accepted it/m);
    expect(run.stdout).toMatch(/^revoked +Slack bot token .*deploy\.sh:2\): Slack revoked it/m);
    expect(run.stdout).toMatch(/cannot revoke; revoke by hand[\s\S]*AWS access key ID[\s\S]*→ https:\/\/console\.aws\.amazon\.com\/iam/);
    expect(run.stdout).toMatch(/2 revoked, 0 already invalid, 0 failed\./);
    // Listed redacted, never in full.
    expect(run.stdout).not.toContain(ghp);
    expect(run.stdout).not.toContain(xoxb);
  });

  it('without a terminal and without --yes, lists what it would revoke, sends nothing and exits 2 with a hint', async () => {
    const { root, ghp } = leakyProject();
    const run = await runCliAsync(['revoke', root, ...config()]);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/Will revoke 2 tokens/);
    expect(run.stdout).not.toContain(ghp);
    expect(run.stderr).toMatch(/standard input is not a terminal/);
    expect(run.stderr).toMatch(/--yes/);
    expect(github.received).toHaveLength(0);
    expect(slack.received).toHaveLength(0);
  });

  it('refuses a redacted report and says how to write one with secrets', () => {
    const { root } = leakyProject();
    const report = path.join(dir, 'redacted.json');
    runCli(['dir', root, '--format', 'json', '--output', report, '--no-config']);
    const run = runCli(['revoke', '--report', report, '--yes', ...config()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/redacted report/);
    expect(run.stderr).toMatch(/--show-secrets/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('revokes the findings of a report written with --show-secrets', async () => {
    const { root, ghp } = leakyProject();
    const report = path.join(dir, 'full.json');
    runCli(['dir', root, '--format', 'json', '--show-secrets', '--output', report, '--no-config']);
    const run = await runCliAsync(['revoke', '--report', report, '--yes', ...config()]);
    expect(run.status).toBe(0);
    expect(JSON.parse(github.received[0]!.body)).toEqual({ credentials: [ghp] });
    expect(slack.received).toHaveLength(1);
  });

  it('reports a Slack token that is already dead, and a GitHub refusal (422) as failed with exit 1', async () => {
    const { root } = leakyProject();
    githubAnswer = () => ({ status: 422, body: '{"message":"Validation Failed"}' });
    slackAnswer = () => ({ status: 200, body: '{"ok":false,"error":"token_revoked"}' });
    const run = await runCliAsync(['revoke', root, '--yes', ...config()]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^failed +GitHub personal access token.*422/m);
    expect(run.stdout).toMatch(/^already-invalid +Slack bot token .*token_revoked/m);
    expect(run.stdout).toMatch(/0 revoked, 1 already invalid, 1 failed\./);
  });

  it('waits out a 429 with Retry-After and tries again; gives up on a provider that keeps failing with 5xx', async () => {
    const { root } = leakyProject();
    githubAnswer = (_r, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: '' } : accepted);
    slackAnswer = () => ({ status: 503, body: '' });
    const started = Date.now();
    const run = await runCliAsync(['revoke', root, '--yes', ...config()]);
    expect(github.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(run.stdout).toMatch(/^revoked +GitHub/m);
    expect(slack.received).toHaveLength(3);
    expect(run.stdout).toMatch(/^failed +Slack bot token .*HTTP 503/m);
    expect(run.status).toBe(1);
  }, 30_000);

  it('reports a long Retry-After instead of sitting it out', async () => {
    const { root } = leakyProject();
    slackAnswer = () => ({ status: 429, headers: { 'retry-after': '3600' }, body: '' });
    const run = await runCliAsync(['revoke', root, '--yes', ...config()]);
    expect(slack.received).toHaveLength(1);
    expect(run.stdout).toMatch(/^failed +Slack bot token .*rate limited \(HTTP 429, retry after 3600 s\)/m);
  });

  it('sends GitHub at most 1000 tokens per request', async () => {
    const tokens = Array.from({ length: 1001 }, () => githubToken());
    const report = path.join(dir, 'many.json');
    const findings = tokens.map((secret) => ({
      ruleId: 'github-personal-access-token',
      ruleName: 'GitHub personal access token',
      provider: 'github',
      secret,
      redacted: 'ghp_…(40 chars)',
      locations: [{ path: 'a.txt', line: 1 }],
    }));
    writeFileSync(report, JSON.stringify({ version: 1, findings }));
    const run = await runCliAsync(['revoke', '--report', report, '--yes', ...config()]);
    expect(run.status).toBe(0);
    expect(github.received.map((r) => (JSON.parse(r.body) as { credentials: string[] }).credentials.length)).toEqual([1000, 1]);
    expect(run.stdout).toMatch(/1001 revoked/);
  });

  it('says so when nothing can be revoked, and exits 0', async () => {
    const root = path.join(dir, 'clean');
    mkdirSync(root);
    writeFileSync(path.join(root, 'a.txt'), 'nothing here\n');
    const run = await runCliAsync(['revoke', root, ...config()]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/No token that secretscan can revoke/);
  });

  it('rejects an endpoint override that is not a URL, naming the config key', () => {
    writeFileSync(path.join(dir, 'bad.yml'), 'verify:\n  endpoints:\n    github-revoke: not a url\n');
    const run = runCli(['revoke', dir, '--yes', '--config', path.join(dir, 'bad.yml')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/verify\.endpoints\.github-revoke/);
  });
});

describe('secretscan revoke with a provider added by a rule file', () => {
  it("revokes through the rule's revoke: block: form body, header auth, its answers table", async () => {
    const acme = await new FakeProvider((r) => (r.body.includes('acme_dead') ? { status: 410, body: '{"code":"gone"}' } : { status: 200, body: '{"revoked":true}' })).start();
    try {
      const root = path.join(dir, 'acme');
      mkdirSync(root);
      const live = 'acme_qzvxkwrtplmnbcdfghjt';
      writeFileSync(path.join(root, 'app.env'), `ACME_KEY=${live}\nACME_OLD=acme_deadxkwrtplmnbcdfghj\n`);
      writeFileSync(
        path.join(dir, 'acme.yml'),
        [
          'provider: acme',
          'name: Acme',
          'revocation: { urgency: rotate, summary: Rotate it., steps: [Rotate.], after: [Check logs.] }',
          'rules:',
          '  - id: acme-key',
          '    name: Acme key',
          '    severity: high',
          '    keywords: [acme_]',
          "    pattern: '\\b(acme_[a-z]{20})\\b'",
          '    revoke:',
          '      endpoint: acme-revoke',
          '      request: POST https://api.acme.example/v1/revoke',
          '      auth: header:x-acme-key',
          "      body: { form: { token: '{secret}', reason: leaked } }",
          '      answers:',
          "        - { status: 200, json: { revoked: true }, outcome: revoked, detail: 'Acme revoked it' }",
          "        - { status: 410, outcome: already-invalid, detail: 'Acme says {code}' }",
        ].join('\n'),
      );
      writeFileSync(path.join(dir, 'acme-config.yml'), `rules: [./acme.yml]\nverify:\n  endpoints:\n    acme-revoke: ${acme.url('/v1/revoke')}\n`);
      const run = await runCliAsync(['revoke', root, '--yes', '--config', path.join(dir, 'acme-config.yml')]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(acme.received).toHaveLength(2);
      expect(acme.received[0]!.path).toBe('/v1/revoke');
      expect(acme.received[0]!.headers['x-acme-key']).toBe(live);
      expect(acme.received[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(acme.received[0]!.body).toBe(`token=${live}&reason=leaked`);
      expect(run.stdout).toMatch(/^revoked +Acme key .*app\.env:1\): Acme revoked it$/m);
      expect(run.stdout).toMatch(/^already-invalid +Acme key .*app\.env:2\): Acme says gone$/m);
      expect(run.stdout).toMatch(/1 revoked, 1 already invalid, 0 failed\./);
      expect(run.stdout).not.toContain(live);
    } finally {
      await acme.stop();
    }
  });
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `answer` at the prompt. */
function runOnTerminal(args: string[], answer: string): Promise<{ status: number | null; output: string }> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('[y/N]')) child.stdin.end(`${answer}\n`);
    });
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('secretscan revoke on a terminal', () => {
  it('revokes after the user answers y', async () => {
    const { root } = leakyProject();
    const run = await runOnTerminal(['revoke', root, ...config()], 'y');
    expect(run.output).toMatch(/Revoke these 2 tokens\? This cannot be undone\. \[y\/N\]/);
    expect(run.status).toBe(0);
    expect(github.received).toHaveLength(1);
    expect(slack.received).toHaveLength(1);
  });

  it('sends nothing and exits 1 when the user answers anything else', async () => {
    const { root } = leakyProject();
    const run = await runOnTerminal(['revoke', root, ...config()], 'n');
    expect(run.output).toMatch(/Nothing revoked/);
    expect(run.status).toBe(1);
    expect(github.received).toHaveLength(0);
    expect(slack.received).toHaveLength(0);
  });
});
