import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReport, runCli } from '../support/cli.js';
import { awsAccessKeyId, BASE62, githubToken, randomChars, stripeSecretKey } from '../support/fake-keys.js';
import { FakeProvider, runCliAsync } from '../revoke/fake-provider.js';

/**
 * `--verify` with no network: every endpoint is overridden to a name that never resolves
 * (`.invalid`, RFC 2606) or a loopback port nothing listens on, as a machine offline would see.
 * A scan whose checks failed must not look clean.
 */
let root: string;
const NOWHERE = 'http://secretscan-verify.invalid';

function writeConfig(dir: string, endpoints: Record<string, string>): void {
  writeFileSync(path.join(dir, '.secretscanrc'), `verify:\n  endpoints:\n${Object.entries(endpoints).map(([k, v]) => `    ${k}: ${v}\n`).join('')}`);
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-offline-'));
  writeFileSync(path.join(root, 'stripe.env'), `STRIPE_SECRET_KEY=${stripeSecretKey()}\n`);
  writeFileSync(path.join(root, 'github.env'), `GITHUB_TOKEN=${githubToken()}\n`);
  writeFileSync(path.join(root, 'aws.env'), `AWS_ACCESS_KEY_ID=${awsAccessKeyId()}\nAWS_SECRET_ACCESS_KEY=${randomChars(BASE62, 40)}\n`);
  // Port 1 on loopback: connection refused.
  writeConfig(root, { stripe: `${NOWHERE}/v1/account`, github: `${NOWHERE}/user`, aws: 'http://127.0.0.1:1/' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Verified = { ruleId: string; verification?: { status: string; reason?: string; detail?: string } };

describe('--verify when no provider can be reached', () => {
  it('--only-verified keeps the unchecked findings, says why on stderr and exits 2', () => {
    const run = runCli(['dir', root, '--only-verified', '-f', 'json']);
    expect(run.status).toBe(2);
    const findings = jsonReport(run).findings as Verified[];
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['aws-access-key-id', 'aws-secret-access-key', 'github-personal-access-token', 'stripe-live-secret-key']);
    for (const f of findings) expect(f.verification).toMatchObject({ status: 'unknown', reason: 'network' });
    expect(findings.find((f) => f.ruleId === 'stripe-live-secret-key')!.verification!.detail).toMatch(/^could not reach secretscan-verify\.invalid: /);
    // The key id whose partner could not be checked is "not verified (network)", not "not live".
    expect(findings.find((f) => f.ruleId === 'aws-access-key-id')!.verification!.detail).toMatch(/^the secret next to it could not be checked \(could not reach 127\.0\.0\.1:1/);
    expect(run.stderr).toMatch(/^secretscan: error: verification could not run: no provider answered for 4 findings \(could not reach .*; they are kept in the report/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--fail-on-verified exits 2, and the text summary counts answers, not attempts', () => {
    const run = runCli(['dir', root, '--fail-on-verified']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('Verified 0 of 4 findings with their providers: 0 live, 0 revoked; 4 not verified (network: could not reach');
    expect(run.stdout).toMatch(/aws-access-key-id.*\n.*not verified \(network\) · the secret next to it could not be checked/);
    expect(run.stdout).not.toMatch(/not live/);
    expect(run.stdout).not.toContain('no leaks found');
  });

  it('plain --verify keeps its usual exit code and warns on stderr', () => {
    const run = runCli(['dir', root, '--verify', '-f', 'json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/verification could not run/);
  });

  it('--no-fail still exits 0', () => {
    expect(runCli(['dir', root, '--only-verified', '--no-fail']).status).toBe(0);
  });
});

describe('--verify when some providers answer and others cannot be reached', () => {
  let fake: FakeProvider;
  let dir: string;
  beforeAll(async () => {
    fake = await new FakeProvider(() => ({ status: 401, body: '{"message":"Bad credentials"}' })).start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-offline-part-'));
    writeFileSync(path.join(dir, 'stripe.env'), `STRIPE_SECRET_KEY=${stripeSecretKey()}\n`);
    writeFileSync(path.join(dir, 'github.env'), `GITHUB_TOKEN=${githubToken()}\n`);
    writeConfig(dir, { stripe: `${NOWHERE}/v1/account`, github: fake.url('/user') });
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the revoked key as an answer and the unreachable one as not verified, exit 2 with --only-verified', async () => {
    const run = await runCliAsync(['dir', dir, '--only-verified', '-f', 'json']);
    expect(run.status).toBe(2);
    const findings = jsonReport(run).findings as Verified[];
    // The revoked token is dropped (--only-verified); the unchecked key stays.
    expect(findings.map((f) => [f.ruleId, f.verification?.status, f.verification?.reason])).toEqual([['stripe-live-secret-key', 'unknown', 'network']]);
    expect(run.stderr).toMatch(/^secretscan: 1 finding of 2 could not be verified \(could not reach secretscan-verify\.invalid/);
  });

  it('the text summary', async () => {
    const run = await runCliAsync(['dir', dir, '--verify']);
    expect(run.stdout).toContain('Verified 1 of 2 findings with their providers: 0 live, 1 revoked; 1 not verified (network: could not reach secretscan-verify.invalid');
  });
});
