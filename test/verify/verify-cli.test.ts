import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReport } from '../support/cli.js';
import { BASE62, githubToken, randomChars, stripeSecretKey } from '../support/fake-keys.js';
import { FakeProvider, runCliAsync } from '../revoke/fake-provider.js';

/**
 * `secretscan dir --verify` end to end, through the built CLI: a Stripe key the fake Stripe knows
 * (live), a GitHub token the fake GitHub refuses (revoked) and a webhook secret no provider can
 * be asked about (unknown). The endpoints are overridden in the fixture's .secretscanrc.
 */
const liveKey = stripeSecretKey();
const deadToken = githubToken();
const webhookSecret = `whsec_${randomChars(BASE62, 32)}`;
const HEX = '0123456789abcdef';
const accountSid = `AC${randomChars(HEX, 32)}`;
const twilioToken = randomChars(HEX, 32);
let root: string;
let fake: FakeProvider;

beforeAll(async () => {
  fake = await new FakeProvider((r) => {
    const auth = String(r.headers.authorization ?? '');
    if (r.path === '/v1/account') {
      return auth === `Bearer ${liveKey}` ? { status: 200, body: JSON.stringify({ id: 'acct_1FakeLive' }) } : { status: 401, body: '{"error":{}}' };
    }
    if (r.path === '/user') return { status: 401, body: '{"message":"Bad credentials"}' };
    if (r.path === `/2010-04-01/Accounts/${accountSid}.json`) {
      const live = auth === `Basic ${Buffer.from(`${accountSid}:${twilioToken}`).toString('base64')}`;
      return live ? { status: 200, body: JSON.stringify({ sid: accountSid, friendly_name: 'Fake Corp', status: 'active' }) } : { status: 401, body: '{"code":20003}' };
    }
    return { status: 404 };
  }).start();
  root = mkdtempSync(path.join(os.tmpdir(), 'secretscan-verify-'));
  // Named so that the dead and unknown keys sort before the live one by path.
  writeFileSync(path.join(root, 'a-github.env'), `GITHUB_TOKEN=${deadToken}\n`);
  writeFileSync(path.join(root, 'b-webhook.env'), `STRIPE_WEBHOOK_SECRET=${webhookSecret}\n`);
  writeFileSync(path.join(root, 'c-stripe.env'), `STRIPE_SECRET_KEY=${liveKey}\n`);
  // A pair: the SID is never reported itself, but the token is verified with it.
  writeFileSync(path.join(root, 'd-twilio.env'), `TWILIO_ACCOUNT_SID=${accountSid}\nTWILIO_AUTH_TOKEN=${twilioToken}\n`);
  writeFileSync(
    path.join(root, '.secretscanrc'),
    `verify:\n  endpoints:\n    stripe: ${fake.url('/v1/account')}\n    github: ${fake.url('/user')}\n` +
      `    twilio: ${fake.url('/2010-04-01/Accounts/{partner}.json')}\n`,
  );
});
afterAll(async () => {
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('secretscan dir --verify', () => {
  it('reports live, revoked and unknown, live first, in JSON', async () => {
    const run = await runCliAsync(['dir', root, '--verify', '--format', 'json']);
    const report = jsonReport(run);
    expect(run.status).toBe(1);
    const states = report.findings.map((f) => [f.ruleId, (f as { verification?: { status: string } }).verification?.status]);
    expect(states.slice(0, 2).sort()).toEqual([
      ['stripe-live-secret-key', 'live'],
      ['twilio-auth-token', 'live'],
    ]);
    expect(states.slice(2).sort()).toEqual([
      ['github-personal-access-token', 'revoked'],
      ['stripe-webhook-secret', 'unknown'],
    ]);
    const byRule = (id: string) => report.findings.find((f) => f.ruleId === id);
    expect(byRule('stripe-live-secret-key')).toMatchObject({ verification: { status: 'live', identity: 'account acct_1FakeLive' } });
    expect(byRule('twilio-auth-token')).toMatchObject({ verification: { status: 'live', identity: 'account Fake Corp, status active' } });
    for (const secret of [liveKey, deadToken, webhookSecret, twilioToken]) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout).not.toContain(accountSid);
    expect(fake.received.map((r) => r.path).sort()).toEqual(['/2010-04-01/Accounts/' + accountSid + '.json', '/user', '/v1/account']);
  });

  it('puts the live key first in the text report and highlights it', async () => {
    const run = await runCliAsync(['dir', root, '--verify']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('c-stripe.env');
    expect(lines[1]).toMatch(/CRITICAL LIVE Stripe live secret key/);
    expect(lines[2]).toContain('verified live · account acct_1FakeLive');
    expect(run.stdout).toMatch(/revoked GitHub/);
    expect(run.stdout).toMatch(/unknown Stripe webhook signing secret/);
    expect(run.stdout).toContain('Verified 3 of 4 findings with their providers: 2 live, 1 revoked; 1 unknown');
  });

  it('--only-verified reports the live keys alone; SARIF marks them errors', async () => {
    const run = await runCliAsync(['dir', root, '--only-verified', '--format', 'sarif']);
    const results = (JSON.parse(run.stdout) as { runs: { results: { ruleId: string; level: string; properties: { verification: { status: string } } }[] }[] }).runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.level, r.properties.verification.status]).sort()).toEqual([
      ['stripe-live-secret-key', 'error', 'live'],
      ['twilio-auth-token', 'error', 'live'],
    ]);
  });

  it('--fail-on-verified fails for a live key only', async () => {
    expect((await runCliAsync(['dir', root, '--fail-on-verified', '--format', 'json'])).status).toBe(1);
    rmSync(path.join(root, 'c-stripe.env'));
    rmSync(path.join(root, 'd-twilio.env'));
    try {
      const run = await runCliAsync(['dir', root, '--fail-on-verified', '--format', 'json']);
      expect(run.status).toBe(0);
      expect(jsonReport(run).findings).toHaveLength(2);
    } finally {
      writeFileSync(path.join(root, 'c-stripe.env'), `STRIPE_SECRET_KEY=${liveKey}\n`);
      writeFileSync(path.join(root, 'd-twilio.env'), `TWILIO_ACCOUNT_SID=${accountSid}\nTWILIO_AUTH_TOKEN=${twilioToken}\n`);
    }
  });

  it('without --verify sends nothing and reports no verification', async () => {
    fake.received.length = 0;
    const run = await runCliAsync(['dir', root, '--format', 'json']);
    expect(run.stdout).not.toContain('verification');
    expect(run.stdout).not.toContain(accountSid); // partner-only: never reported
    expect(fake.received).toHaveLength(0);
    const text = await runCliAsync(['dir', root]);
    expect(text.stdout).not.toMatch(/LIVE|Verified/);
  });
});
