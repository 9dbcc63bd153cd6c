import { describe, expect, it } from 'vitest';
import { loadRulesDir, readRuleFile } from '../../src/rules/load.js';
import { assertRevokeEndpoints } from '../../src/rules/revoke-spec.js';

/** A one-rule provider file with the given revoke block, as a user's config could hold. */
const file = (revoke: unknown, verify?: unknown) => ({
  provider: 'acme',
  name: 'Acme',
  revocation: { urgency: 'rotate', summary: 'Rotate it.', steps: ['Rotate.'], after: ['Check logs.'] },
  rules: [{ id: 'acme-key', name: 'Acme key', severity: 'high', keywords: ['acme_'], pattern: '(acme_[a-z]{20})', revoke, ...(verify ? { verify } : {}) }],
});
const base = { endpoint: 'acme-revoke', request: 'POST https://api.acme.example/revoke', auth: 'bearer', answers: [{ status: 200, outcome: 'revoked' }] };

describe('revoke: blocks in rule files', () => {
  it('reads request, auth, headers, body, batch and answers', () => {
    const [rule] = readRuleFile(
      file({
        endpoint: 'acme-revoke',
        request: 'POST https://api.acme.example/tokens/revoke',
        auth: 'none',
        headers: { 'Acme-Version': '2' },
        body: { json: { tokens: '{secrets}', reason: 'leaked' } },
        batch: 100,
        answers: [
          { status: 202, outcome: 'revoked', detail: 'accepted' },
          { status: 200, json: { error: ['gone', 'expired'] }, outcome: 'already-invalid', detail: 'dead ({error})' },
          { status: [400, 422], body_contains: 'invalid', outcome: 'failed' },
        ],
      }),
      'acme.yml',
    );
    expect(rule!.revoke).toEqual({
      endpoint: 'acme-revoke',
      method: 'POST',
      url: 'https://api.acme.example/tokens/revoke',
      auth: 'none',
      headers: { 'acme-version': '2' },
      body: { kind: 'json', template: { tokens: '{secrets}', reason: 'leaked' } },
      batch: 100,
      answers: [
        { status: [202], outcome: 'revoked', detail: 'accepted' },
        { status: [200], json: { error: ['gone', 'expired'] }, outcome: 'already-invalid', detail: 'dead ({error})' },
        { status: [400, 422], bodyContains: 'invalid', outcome: 'failed' },
      ],
    });
  });

  it('defaults to an empty body and one token a request', () => {
    const [rule] = readRuleFile(file(base), 'acme.yml');
    expect(rule!.revoke).toMatchObject({ auth: 'bearer', body: { kind: 'none' }, batch: 1, headers: {} });
    const [form] = readRuleFile(file({ ...base, auth: 'none', body: { form: { token: '{secret}' } } }), 'acme.yml');
    expect(form!.revoke!.body).toEqual({ kind: 'form', fields: { token: '{secret}' } });
  });

  it.each([
    [{ ...base, request: 'GET https://api.acme.example/revoke' }, /acme\.yml: rules\[0\]\.revoke\.request: expected "POST https:/],
    [{ ...base, request: 'POST http://api.acme.example/revoke' }, /revoke\.request: expected "POST https:/],
    [{ ...base, endpoint: 'Acme' }, /revoke\.endpoint: expected lower-case/],
    [{ ...base, auth: 'basic' }, /revoke\.auth: expected bearer, header:<name> or none/],
    [{ ...base, auth: 'none' }, /revoke\.body: the request carries no secret/],
    [{ ...base, answers: [] }, /revoke\.answers: expected at least one answer/],
    [{ ...base, answers: [{ status: 200, outcome: 'dead' }] }, /revoke\.answers\[0\]\.outcome: expected one of revoked, already-invalid, failed/],
    [{ ...base, answers: [{ status: 200, state: 'live' }] }, /unknown key "rules\[0\]\.revoke\.answers\[0\]\.state"/],
    [{ ...base, headers: { 'x-token': '{secret}' } }, /revoke\.headers\.x-token: send the secret with auth: or in the body/],
    [{ ...base, batch: 10 }, /revoke\.batch: a batch needs \{secrets\} in a json body/],
    [{ ...base, batch: 2.5, body: { json: { t: '{secrets}' } } }, /revoke\.batch: expected a whole number/],
    [{ ...base, batch: 5000, body: { json: { t: '{secrets}' } } }, /revoke\.batch: expected a number between 1 and 1000/],
    [{ ...base, batch: 10, body: { json: { t: '{secrets}' } } }, /revoke\.auth: a batch sends its secrets in the body/],
    [{ ...base, auth: 'none', batch: 10, body: { json: { t: '{secrets}', u: '{secret}' } } }, /revoke\.body: \{secret\} names one secret/],
    [{ ...base, body: { json: { t: 'tokens: {secrets}' } } }, /revoke\.body\.json\.t: \{secrets\} stands alone/],
    [{ ...base, body: { form: { t: '{secrets}' } } }, /revoke\.body\.form\.t: a form holds one secret/],
    [{ ...base, body: { json: {}, form: {} } }, /revoke\.body: expected one of json: or form:/],
    [{ ...base, retries: 3 }, /unknown key "rules\[0\]\.revoke\.retries"/],
  ])('rejects %j with a message naming the file and key', (revoke, message) => {
    expect(() => readRuleFile(file(revoke), 'acme.yml')).toThrow(message);
  });
});

describe('revoke endpoint names', () => {
  it('may not be a verifier endpoint: its override would redirect both', () => {
    const rules = readRuleFile(file(base, { endpoint: 'acme-revoke', request: 'GET https://api.acme.example/me', auth: 'bearer', answers: [{ status: 200, state: 'live' }] }), 'acme.yml');
    expect(() => assertRevokeEndpoints(rules)).toThrow('acme.yml: rule "acme-key": revoke.endpoint "acme-revoke" is also a verify endpoint');
  });

  it('name one URL', () => {
    const [a] = readRuleFile(file(base), 'a.yml');
    const [b] = readRuleFile(file({ ...base, request: 'POST https://other.acme.example/revoke' }), 'b.yml');
    expect(() => assertRevokeEndpoints([a!, { ...b!, id: 'acme-other' }])).toThrow(/b\.yml: rule "acme-other": revoke\.endpoint "acme-revoke" posts to https:\/\/other/);
    expect(() => assertRevokeEndpoints([a!, { ...a!, id: 'acme-same' }])).not.toThrow();
  });

  it('of the shipped rules pass, and GitHub and Slack revoke the kinds their APIs take', () => {
    const rules = loadRulesDir();
    expect(() => assertRevokeEndpoints(rules)).not.toThrow();
    const revocable = rules.filter((r) => r.revoke).map((r) => `${r.id} ${r.revoke!.endpoint}`);
    expect(revocable).toEqual([
      'github-personal-access-token github-revoke',
      'github-fine-grained-token github-revoke',
      'github-oauth-token github-revoke',
      'github-user-to-server-token github-revoke',
      'github-refresh-token github-revoke',
      'slack-bot-token slack-revoke',
      'slack-user-token slack-revoke',
    ]);
  });
});
