import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { groupFindings } from '../../src/findings/group.js';
import { DESCRIBERS } from '../../src/rules/describers.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import { jwtClaims, jwtExpired } from '../../src/rules/validators.js';

const rules = loadRulesDir();
const detector = new Detector({ rules, placeholders: loadPlaceholderPatterns() });
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A fake HS256 token with these claims and a random signature. */
const token = (claims: Record<string, unknown>) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: `user_${randomBytes(6).toString('hex')}`, ...claims })}.${randomBytes(32).toString('base64url')}`;

const EXPIRED = 1536361411; // 2018-09-07T23:03:31Z
const FUTURE = 4102444800; // 2100-01-01T00:00:00Z

describe('expired JWTs', () => {
  it('reads exp and iss from the payload', () => {
    expect(jwtClaims(token({ iss: 'https://auth.acme-corp.test/', exp: EXPIRED }))).toEqual({ iss: 'https://auth.acme-corp.test/', exp: EXPIRED });
    expect(jwtClaims(token({ exp: 'tomorrow' }))).toEqual({});
    expect(jwtClaims('eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln')).toBeNull();
    expect(jwtExpired(token({ exp: EXPIRED }), Date.now())).toBe(true);
    expect(jwtExpired(token({ exp: FUTURE }), Date.now())).toBe(false);
    expect(jwtExpired(token({}), Date.now())).toBe(false);
  });

  it('reports a token whose exp has passed at low confidence, and one that is still valid or never expires as before', () => {
    const confidenceOf = (t: string) => {
      const found = detector.scan(Buffer.from(`Authorization: Bearer ${t}\n`), 'src/client.ts').filter((m) => m.ruleId === 'jwt-token');
      expect(found).toHaveLength(1);
      return found[0]!.confidence;
    };
    expect(confidenceOf(token({ exp: EXPIRED }))).toBe('low');
    expect(confidenceOf(token({ exp: FUTURE }))).toBeUndefined();
    expect(confidenceOf(token({ iat: EXPIRED }))).toBeUndefined();
  });

  it('applies to provider rules that take JWTs (validator: jwt), not to other rules', () => {
    const jwtRules = rules.filter((r) => r.validator === 'jwt');
    expect(jwtRules.length).toBeGreaterThan(1);
    const old = token({ exp: EXPIRED });
    const [m] = detector.scan(Buffer.from(`FRONT_API_TOKEN=${old}\n`), '.env');
    expect(m?.ruleId).not.toBe('jwt-token');
    expect(rules.find((r) => r.id === m?.ruleId)?.validator).toBe('jwt');
    expect(m?.confidence).toBe('low');
  });

  it('gives the issuer and the expiry as finding details, marked expired when past', () => {
    expect(DESCRIBERS['jwt-claims']!(token({ iss: 'https://auth.acme-corp.test/', exp: EXPIRED }))).toEqual({
      issuer: 'https://auth.acme-corp.test/',
      expires: '2018-09-07T23:03:31Z (expired)',
    });
    expect(DESCRIBERS['jwt-claims']!(token({ exp: FUTURE }))).toEqual({ expires: '2100-01-01T00:00:00Z' });
    expect(DESCRIBERS['jwt-claims']!(token({}))).toBeNull();
    const t = token({ iss: 'https://auth.acme-corp.test/', exp: EXPIRED });
    const matches = detector.scan(Buffer.from(`token = "${t}"\n`), 'src/a.ts').map((m) => ({ ...m, path: 'src/a.ts' }));
    const [f] = groupFindings(matches, new Map(rules.map((r) => [r.id, r])));
    expect(f?.details).toEqual({ issuer: 'https://auth.acme-corp.test/', expires: '2018-09-07T23:03:31Z (expired)' });
    expect(JSON.stringify(f?.details)).not.toContain(t.split('.')[2]);
  });
});
