import { describe, expect, it } from 'vitest';
import { loadRulesDir } from '../../src/rules/load.js';
import type { Finding, RuleSpec, ScanResult } from '../../src/types.js';
import type { HttpRequest, HttpResponse, Send } from '../../src/net/http.js';
import { liveFirst, verifyFindings } from '../../src/verify/verify.js';
import { awsAccessKeyId, BASE62, githubToken, randomChars } from '../support/fake-keys.js';

const rules = new Map<string, RuleSpec>(loadRulesDir().map((r) => [r.id, r]));

function finding(ruleId: string, secret: string, places: [string, number][]): Finding {
  const rule = rules.get(ruleId)!;
  return {
    id: `${ruleId}:${secret.slice(-6)}`,
    ruleId,
    ruleName: rule.name,
    provider: rule.provider,
    providerName: rule.providerName,
    severity: rule.severity,
    secret,
    redacted: `${secret.slice(0, 4)}…`,
    entropy: 4,
    confidence: 'high',
    locations: places.map(([path, line]) => ({ path, line, column: 1, endLine: line, endColumn: 2, fingerprint: `${path}:${line}` })),
  };
}

const result = (findings: Finding[]): ScanResult => ({ target: '.', findings, skipped: [], suppressed: {}, stats: { files: 1, bytes: 1, durationMs: 1 } });

/** A provider stand-in without sockets: records each request, answers by a function of it. */
function recorder(answer: (r: HttpRequest) => HttpResponse | Promise<HttpResponse>): { send: Send; sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return { sent, send: async (r) => (sent.push(r), answer(r)) };
}

const ENDPOINTS = { aws: 'http://127.0.0.1:9/', github: 'http://127.0.0.1:9/user' };
const stsOk = (): HttpResponse => ({ status: 200, headers: {}, body: '<Arn>arn:aws:iam::111122223333:user/ci</Arn><Account>111122223333</Account>' });
const stsRefused = (): HttpResponse => ({ status: 403, headers: {}, body: '<Error><Code>SignatureDoesNotMatch</Code></Error>' });
const keyIdOf = (r: HttpRequest) => /Credential=([A-Z0-9]+)\//.exec(r.headers.authorization ?? '')?.[1];

describe('verifyFindings', () => {
  it('pairs an AWS secret with the nearest access key id in the same file, trying up to three', async () => {
    const [near, middle, far, farthest, elsewhere] = [0, 1, 2, 3, 4].map(() => awsAccessKeyId());
    const secret = randomChars(BASE62, 40);
    const r = result([
      finding('aws-access-key-id', farthest!, [['app.env', 90]]),
      finding('aws-access-key-id', far!, [['app.env', 40]]),
      finding('aws-access-key-id', elsewhere!, [['other.env', 10]]),
      finding('aws-access-key-id', near!, [['app.env', 11]]),
      finding('aws-access-key-id', middle!, [['app.env', 15]]),
      finding('aws-secret-access-key', secret, [['app.env', 12]]),
    ]);
    const { send, sent } = recorder((q) => (keyIdOf(q) === far ? stsOk() : stsRefused()));
    await verifyFindings(r, rules, { endpoints: ENDPOINTS, send });
    expect(sent.map(keyIdOf).sort()).toEqual([near, middle, far].sort());
    expect(r.findings.at(-1)!.verification).toMatchObject({ status: 'live', identity: 'account 111122223333, ARN arn:aws:iam::111122223333:user/ci' });
    // The key id that made the live pair is live too; the ones that did not are not.
    expect(r.findings[1]!.verification).toMatchObject({ status: 'live', identity: 'account 111122223333, ARN arn:aws:iam::111122223333:user/ci' });
    expect(r.findings[3]!.verification).toEqual({ status: 'unknown', detail: 'not live with the secret next to it' });
    expect(r.findings[2]!.verification).toMatchObject({ status: 'unknown', detail: 'secretscan has no verifier for this kind of secret' });
  });

  it('calls a pair revoked only when every partner tried was refused', async () => {
    const secret = randomChars(BASE62, 40);
    const r = result([finding('aws-access-key-id', awsAccessKeyId(), [['a', 1]]), finding('aws-secret-access-key', secret, [['a', 2]])]);
    await verifyFindings(r, rules, { endpoints: ENDPOINTS, send: recorder(stsRefused).send });
    expect(r.findings[1]!.verification?.status).toBe('revoked');
  });

  it('gives unknown, sending nothing, for a secret whose partner is not in the same file', async () => {
    const r = result([finding('aws-access-key-id', awsAccessKeyId(), [['a.env', 1]]), finding('aws-secret-access-key', randomChars(BASE62, 40), [['b.env', 1]])]);
    const { send, sent } = recorder(stsOk);
    await verifyFindings(r, rules, { endpoints: ENDPOINTS, send });
    expect(sent).toHaveLength(0);
    expect(r.findings[1]!.verification).toMatchObject({ status: 'unknown', detail: expect.stringContaining('same file') });
  });

  it('asks once per secret within a run, and keeps to the concurrency limit per provider', async () => {
    const tokens = Array.from({ length: 6 }, () => githubToken());
    let inFlight = 0;
    let most = 0;
    const { send, sent } = recorder(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return { status: 200, headers: {}, body: '{"login":"octo"}' };
    });
    const findings = [...tokens, tokens[0]!].map((t, i) => finding('github-personal-access-token', t, [[`f${i}`, 1]]));
    await verifyFindings(result(findings), rules, { endpoints: ENDPOINTS, send, concurrency: 2 });
    expect(sent).toHaveLength(6);
    expect(most).toBe(2);
    expect(findings.every((f) => f.verification?.status === 'live')).toBe(true);
  });

  it('turns a network failure into unknown with a reason that does not hold the secret', async () => {
    const token = githubToken();
    const r = result([finding('github-personal-access-token', token, [['a', 1]])]);
    await verifyFindings(r, rules, { endpoints: ENDPOINTS, send: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) });
    expect(r.findings[0]!.verification).toEqual({ status: 'unknown', reason: 'network', detail: 'could not reach 127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('drops an identity that echoes the key back', async () => {
    const token = githubToken();
    const r = result([finding('github-personal-access-token', token, [['a', 1]])]);
    const { send } = recorder(() => ({ status: 200, headers: {}, body: JSON.stringify({ login: `user ${token}` }) }));
    await verifyFindings(r, rules, { endpoints: ENDPOINTS, send });
    expect(r.findings[0]!.verification).toEqual({ status: 'live', detail: 'HTTP 200' });
  });

  it('sorts live findings first and keeps the order of the rest', () => {
    const [a, b, c] = ['x', 'y', 'z'].map((p) => finding('github-personal-access-token', githubToken(), [[p, 1]]));
    a!.verification = { status: 'revoked' };
    b!.verification = { status: 'unknown' };
    c!.verification = { status: 'live' };
    expect(liveFirst([a!, b!, c!])).toEqual([c, a, b]);
  });
});
