import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadRulesDir } from '../../src/rules/load.js';
import type { RuleSpec, Verification } from '../../src/types.js';
import { verifyWithCode } from '../../src/verify/coded.js';
import { verifyWithData } from '../../src/verify/data-verifier.js';
import { httpSend } from '../../src/net/http.js';
import { FakeProvider } from '../revoke/fake-provider.js';
import { awsAccessKeyId, BASE62, randomChars } from '../support/fake-keys.js';
import { AI_APIS } from './apis/ai.js';
import { CLOUD_APIS } from './apis/cloud.js';
import { DEVTOOLS_APIS } from './apis/devtools.js';
import { HOSTV_APIS } from './apis/hostv.js';
import { basic, bearer, json, type FakeApi } from './apis/fake-api.js';
import { MESSAGING_APIS } from './apis/messaging.js';
import { PAYMENT_APIS } from './apis/payments.js';
import { SAAS_APIS } from './apis/saas.js';
import { VER1_APIS } from './apis/ver1.js';
import { VER2_APIS } from './apis/ver2.js';
import { VER3_APIS } from './apis/ver3.js';

const accountSid = `AC${randomChars('0123456789abcdef', 32)}`;
const apiKeySid = `SK${randomChars('0123456789abcdef', 32)}`;

/**
 * Every verifier in rules/*.yml against a stand-in for its provider on loopback. The stand-in
 * answers the way the real API does: the documented method and path, the secret where the
 * provider expects it, a live answer for the one key it knows, its refusal for any other.
 */
const APIS: FakeApi[] = [
  {
    rule: 'stripe-live-secret-key', method: 'GET', path: '/v1/account', secretOf: bearer,
    live: json(200, { id: 'acct_1FakeAccount', object: 'account', settings: { dashboard: { display_name: 'Fake Shop' } } }),
    revoked: json(401, { error: { message: 'Invalid API Key provided: sk_live_****', type: 'invalid_request_error' } }),
    identity: 'account acct_1FakeAccount, name Fake Shop',
  },
  {
    rule: 'github-personal-access-token', method: 'GET', path: '/user', secretOf: bearer,
    live: json(200, { login: 'octo-fake', id: 1 }, { 'x-oauth-scopes': 'repo, gist' }),
    revoked: json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }),
    identity: 'login octo-fake, scopes repo, gist',
  },
  {
    rule: 'gitlab-personal-access-token', method: 'GET', path: '/api/v4/personal_access_tokens/self',
    secretOf: (r) => r.headers['private-token'] as string | undefined,
    live: json(200, { id: 4, name: 'ci token', revoked: false, active: true, scopes: ['api', 'read_user'], user_id: 24 }),
    revoked: json(401, { message: '401 Unauthorized' }),
    identity: 'token ci token, scopes api, read_user, user 24',
  },
  {
    rule: 'slack-bot-token', method: 'POST', path: '/api/auth.test', secretOf: bearer,
    live: json(200, { ok: true, url: 'https://fake.slack.com/', team: 'Fake Team', user: 'ci-bot', team_id: 'T0', user_id: 'U0' }),
    // Slack answers 200 even for a dead token; the body says so.
    revoked: json(200, { ok: false, error: 'invalid_auth' }),
    identity: 'team Fake Team, user ci-bot, url https://fake.slack.com/',
  },
  {
    rule: 'sendgrid-api-key', method: 'GET', path: '/v3/scopes', secretOf: bearer,
    live: json(200, { scopes: ['mail.send'] }),
    revoked: json(401, { errors: [{ field: null, message: 'authorization required' }] }),
  },
  {
    rule: 'openai-api-key', method: 'GET', path: '/v1/models', secretOf: bearer,
    live: json(200, { object: 'list', data: [] }, { 'openai-organization': 'org-fake' }),
    revoked: json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }),
    identity: 'organization org-fake',
  },
  {
    rule: 'anthropic-api-key', method: 'GET', path: '/v1/models',
    secretOf: (r) => (r.headers['anthropic-version'] === '2023-06-01' ? (r.headers['x-api-key'] as string | undefined) : undefined),
    live: json(200, { data: [], has_more: false }),
    revoked: json(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }),
  },
  {
    rule: 'npm-access-token', method: 'GET', path: '/-/whoami', secretOf: bearer,
    live: json(200, { username: 'fake-publisher' }),
    revoked: json(401, { error: 'Unauthorized' }),
    identity: 'user fake-publisher',
  },
  {
    rule: 'google-api-key', method: 'GET', path: '/v1beta/models', secretOf: (r) => new URL(r.path, 'http://x').searchParams.get('key') ?? undefined,
    live: json(200, { models: [] }),
    revoked: json(400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } }),
  },
  {
    rule: 'twilio-auth-token', method: 'GET', path: `/2010-04-01/Accounts/${accountSid}.json`, partner: accountSid,
    secretOf: (r) => (basic(r)[0] === accountSid ? basic(r)[1] : undefined),
    live: json(200, { sid: accountSid, friendly_name: 'Fake Corp', status: 'active' }),
    revoked: json(401, { code: 20003, message: 'Authenticate', status: 401 }),
    identity: 'account Fake Corp, status active',
  },
  {
    rule: 'twilio-api-key-secret', method: 'GET', path: '/2010-04-01/Accounts.json', partner: apiKeySid,
    secretOf: (r) => (basic(r)[0] === apiKeySid ? basic(r)[1] : undefined),
    live: json(200, { accounts: [{ sid: accountSid, friendly_name: 'Fake Corp' }] }),
    revoked: json(401, { code: 20003, message: 'Authenticate', status: 401 }),
    identity: 'account Fake Corp',
  },
  ...AI_APIS,
  ...DEVTOOLS_APIS,
  ...CLOUD_APIS,
  ...SAAS_APIS,
  ...MESSAGING_APIS,
  ...PAYMENT_APIS,
  ...VER1_APIS,
  ...VER2_APIS,
  ...VER3_APIS,
  ...HOSTV_APIS,
];

/** A verifier's URL with a stand-in for an account subdomain (`https://{partner}.okta.com/…`), which URL() cannot parse. */
const templateUrl = (url: string) => new URL(url.replace(/^https:\/\/\{partner\}/, 'https://x'));

const rules = new Map<string, RuleSpec>(loadRulesDir().map((r) => [r.id, r]));
const FAST = { attempts: 3, baseDelayMs: 20, maxWaitSeconds: 10 };

describe.each(APIS)('verifier of $rule', (api) => {
  const spec = rules.get(api.rule)!.verify!;
  const liveSecret = `live_${randomChars(BASE62, 32)}`;
  let mode: 'normal' | 'rate-limited' | 'down' = 'normal';
  let fake: FakeProvider;
  // Every verifier sends through the one retrying client (sendWithRetry, test/net/http.test.ts).
  // One of them sits out a real Retry-After of a second; the others are told 0 s, which still
  // takes a second request: 239 real seconds were most of this file's time, and of CI's.
  const waitsForReal = APIS.indexOf(api) === 0;

  beforeAll(async () => {
    fake = await new FakeProvider((r, n) => {
      if (mode === 'down') return { status: 503, body: 'upstream unavailable' };
      if (mode === 'rate-limited' && n === 1) return { status: 429, headers: { 'retry-after': waitsForReal ? '1' : '0' } };
      if (r.method !== api.method || new URL(r.path, 'http://x').pathname !== api.path) return { status: 404 };
      return api.secretOf(r) === liveSecret ? api.live : api.revoked;
    }).start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    mode = 'normal';
    fake.received.length = 0;
  });

  // The override keeps the real path ({partner} included), as a proxy in front of the provider would.
  const verify = (secret: string): Promise<Verification> =>
    verifyWithData(spec, { url: fake.url(decodeURI(templateUrl(spec.url).pathname)), userEndpoint: true }, secret, api.partner, httpSend, FAST);

  it('sends the documented request and reads a live key as live, with its identity', async () => {
    expect(spec.url.startsWith('https://')).toBe(true);
    const v = await verify(liveSecret);
    expect(v.status).toBe('live');
    if (api.identity) expect(v.identity).toBe(api.identity);
    expect(fake.received).toHaveLength(1);
  });

  it(`reads the refusal of any other key as ${api.refusedAs ?? 'revoked'}`, async () => {
    const secret = `dead_${randomChars(BASE62, 32)}`;
    const v = await verify(secret);
    expect(v).toMatchObject({ status: api.refusedAs ?? 'revoked' });
    expect(v.identity).toBeUndefined();
    expect(JSON.stringify(v)).not.toContain(secret);
  });

  it('waits out a 429 with Retry-After, then verifies', async () => {
    mode = 'rate-limited';
    const started = Date.now();
    expect((await verify(liveSecret)).status).toBe('live');
    if (waitsForReal) expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.received).toHaveLength(2);
  });

  it('says unknown, never live or revoked, when the provider keeps failing with 5xx', async () => {
    mode = 'down';
    const v = await verify(liveSecret);
    expect(v).toEqual({ status: 'unknown', reason: 'network', detail: 'HTTP 503' });
    expect(fake.received).toHaveLength(3);
  });
});

describe('the AWS verifier (code: aws-sts) through the same table', () => {
  const spec = rules.get('aws-secret-access-key')!.verify!;

  it('pairs the secret with its access key id and reports account and ARN', async () => {
    const fake = await new FakeProvider(() => ({
      status: 200,
      body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
    })).start();
    const keyId = awsAccessKeyId();
    const v = await verifyWithCode(spec, { url: fake.url('/'), userEndpoint: true }, randomChars(BASE62, 40), keyId, httpSend);
    await fake.stop();
    expect(v).toMatchObject({ status: 'live', identity: 'account 123456789012, ARN arn:aws:iam::123456789012:user/ci' });
    expect(String(fake.received[0]!.headers.authorization)).toContain(`Credential=${keyId}/`);
  });

  it('gives unknown, sending nothing, without an access key id', async () => {
    expect(await verifyWithCode(spec, { url: 'https://sts.amazonaws.com/', userEndpoint: false }, randomChars(BASE62, 40), undefined, httpSend)).toMatchObject({ status: 'unknown' });
  });
});

describe('the verifier table itself', () => {
  it('covers every rule that has a data verifier, each on its provider\'s https endpoint', () => {
    const withData = [...rules.values()].filter((r) => r.verify && !r.verify.code);
    const endpoints = new Set(withData.map((r) => r.verify!.endpoint));
    expect([...endpoints].sort()).toEqual([...new Set(APIS.map((a) => rules.get(a.rule)!.verify!.endpoint))].sort());
    for (const r of withData) expect(templateUrl(r.verify!.url).protocol).toBe('https:');
  });
});
