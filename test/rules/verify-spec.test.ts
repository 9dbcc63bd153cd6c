import { describe, expect, it } from 'vitest';
import { readRuleFile } from '../../src/rules/load.js';
import { buildRequest, verifyWithData } from '../../src/verify/data-verifier.js';

/** A one-rule provider file with the given verify block, as a user's config could hold. */
const file = (verify: unknown) => ({
  provider: 'acme',
  name: 'Acme',
  revocation: { urgency: 'rotate', summary: 'Rotate it.', steps: ['Rotate.'], after: ['Check logs.'] },
  rules: [{ id: 'acme-key', name: 'Acme key', severity: 'high', keywords: ['acme_'], pattern: 'acme_[a-z]{20}', verify }],
});

describe('verify: blocks in rule files', () => {
  it('reads request, auth, headers, answers and identity', () => {
    const [rule] = readRuleFile(
      file({
        endpoint: 'acme',
        request: 'GET https://api.acme.example/v1/me',
        auth: 'header:x-acme-key',
        headers: { 'Acme-Version': '2' },
        answers: [{ status: 200, json: { ok: true }, state: 'live' }, { status: [401, 403], state: 'revoked', detail: 'refused' }],
        identity: { account: 'account.id', plan: 'header:x-acme-plan' },
      }),
      'acme.yml',
    );
    expect(rule!.verify).toEqual({
      endpoint: 'acme',
      method: 'GET',
      url: 'https://api.acme.example/v1/me',
      auth: 'header:x-acme-key',
      basicUser: 'secret',
      headers: { 'acme-version': '2' },
      answers: [{ status: [200], json: { ok: [true] }, state: 'live' }, { status: [401, 403], state: 'revoked', detail: 'refused' }],
      identity: { account: 'account.id', plan: 'header:x-acme-plan' },
    });
  });

  it.each([
    [{ endpoint: 'acme', request: 'GET http://api.acme.example/', auth: 'bearer', answers: [{ status: 200, state: 'live' }] }, /request: expected "GET https:/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'cookie', answers: [{ status: 200, state: 'live' }] }, /auth: expected bearer, basic/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'scheme:', answers: [{ status: 200, state: 'live' }] }, /auth: expected bearer, basic/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'scheme:a b', answers: [{ status: 200, state: 'live' }] }, /auth: expected bearer, basic/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'basic', basic_user: 'nobody', answers: [{ status: 200, state: 'live' }] }, /basic_user/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'bearer', answers: [] }, /answers: expected at least one answer/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'bearer', answers: [{ status: 200, state: 'alive' }] }, /state: expected one of live, revoked, unknown/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/{partner}', auth: 'bearer', answers: [{ status: 200, state: 'live' }] }, /needs a partner rule/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'bearer', headers: { 'x-key': '{secret}' }, answers: [{ status: 200, state: 'live' }] }, /send the secret with auth/],
    [{ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'bearer', answers: [{ status: 200, state: 'live' }], retries: 9 }, /unknown key "rules\[0\]\.verify\.retries"/],
    // {partner} in the host: only as its first labels before the provider's own domain, and never read as revoked.
    [{ endpoint: 'acme', request: 'GET https://{partner}/v1/me', auth: 'bearer', partner: 'acme-key', answers: [{ status: 200, state: 'live' }] }, /first label\(s\) before the provider's own domain/],
    [{ endpoint: 'acme', request: 'GET https://api.{partner}.example/v1/me', auth: 'bearer', partner: 'acme-key', answers: [{ status: 200, state: 'live' }] }, /first label\(s\) before the provider's own domain/],
    [{ endpoint: 'acme', request: 'GET https://{partner}.example/v1/me', auth: 'bearer', partner: 'acme-key', answers: [{ status: 200, state: 'live' }] }, /first label\(s\) before the provider's own domain/],
    [{ endpoint: 'acme', request: 'GET https://{partner}.acme.example/v1/me', auth: 'bearer', partner: 'acme-key', answers: [{ status: 200, state: 'live' }, { status: 401, state: 'revoked' }] }, /cannot read an answer as revoked/],
  ])('rejects %j with a message naming the key', (verify, message) => {
    expect(() => readRuleFile(file(verify), 'acme.yml')).toThrow(message);
  });
});

describe('how a verifier sends the secret', () => {
  const request = (verify: Record<string, unknown>) => {
    const [rule] = readRuleFile(file({ endpoint: 'acme', request: 'GET https://api.acme.example/me', answers: [{ status: 200, state: 'live' }], ...verify }), 'acme.yml');
    return buildRequest(rule!.verify!, { url: rule!.verify!.url, userEndpoint: false }, 'acme_secretvalue', 'acme-user');
  };
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('puts a scheme other than Bearer in the Authorization header', () => {
    expect(request({ auth: 'scheme:token' }).headers.authorization).toBe('token acme_secretvalue');
    expect(request({ auth: 'scheme:GenieKey' }).headers.authorization).toBe('GenieKey acme_secretvalue');
    expect(request({ auth: 'bearer' }).headers.authorization).toBe('Bearer acme_secretvalue');
  });

  it('sends basic auth with the secret as user, as password of an empty user, or after its partner', () => {
    expect(request({ auth: 'basic' }).headers.authorization).toBe(basic('acme_secretvalue', ''));
    expect(request({ auth: 'basic', basic_user: 'empty' }).headers.authorization).toBe(basic('', 'acme_secretvalue'));
  });
});

describe('verify partners', () => {
  it('must name a rule that exists', async () => {
    const { assertPartnersExist } = await import('../../src/rules/verify-spec.js');
    const [rule] = readRuleFile(
      file({ endpoint: 'acme', request: 'GET https://api.acme.example/', auth: 'basic', partner: 'acme-key-id', answers: [{ status: 200, state: 'live' }] }),
      'acme.yml',
    );
    expect(() => assertPartnersExist([rule!])).toThrow('acme.yml: rule "acme-key": verify.partner names no rule ("acme-key-id")');
    expect(rule!.verify!.basicUser).toBe('partner');
  });
});

describe('a verifier whose host is the account\'s own subdomain ({partner}.provider.com)', () => {
  const [rule] = readRuleFile(
    file({ endpoint: 'acme', request: 'GET https://{partner}.acme.example/v1/me', auth: 'bearer', partner: 'acme-key', answers: [{ status: 200, state: 'live' }] }),
    'acme.yml',
  );
  const spec = rule!.verify!;
  const build = (partner: string) => buildRequest(spec, { url: spec.url, userEndpoint: false }, 'acme_secretvalue', partner);

  it('sends the secret to that subdomain of the provider\'s domain', () => {
    expect(build('dev-123456').url.href).toBe('https://dev-123456.acme.example/v1/me');
    expect(build('Team.EU').url.hostname).toBe('team.eu.acme.example');
  });

  it('refuses a partner that is not host name labels, so a crafted file cannot send the key elsewhere', async () => {
    for (const partner of ['evil.test/x', 'evil.test#', 'evil.test:8443', 'user@evil.test', 'evil.test?', '', '-x', 'a..b', 'x'.repeat(64)]) {
      expect(() => build(partner), partner).toThrow(/no host name/);
    }
    const v = await verifyWithData(spec, { url: spec.url, userEndpoint: false }, 'acme_secretvalue', 'evil.test/x', () => {
      throw new Error('nothing may be sent');
    });
    expect(v).toEqual({ status: 'unknown', detail: 'not sent: the partner is no host name' });
  });
});
