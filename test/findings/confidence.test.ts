import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { BELOW_CONFIDENCE, isTestPath, raiseVerified, withConfidence } from '../../src/findings/confidence.js';
import { groupFindings, type LocatedMatch } from '../../src/findings/group.js';
import { readRuleFile } from '../../src/rules/load.js';
import { prepareScan } from '../../src/scan/engine.js';
import { UserError } from '../../src/errors.js';
import { githubToken, password, randomChars, stripeSecretKey } from '../support/fake-keys.js';
import { resultFor } from '../report/support.js';

const rules = prepareScan(defaultConfig('/repo')).rules;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The confidence of the one finding that `text` at `path` produces. */
function confidenceAt(path: string, text: string): string {
  const findings = resultFor({ [path]: text }).findings;
  expect(findings, `${path}: ${text}`).toHaveLength(1);
  return findings[0]!.confidence;
}

describe('isTestPath', () => {
  it.each([
    'test/config.env', 'tests/a/b.py', 'src/__tests__/x.ts', 'spec/helpers.rb', 'pkg/testdata/creds.txt', 'fixtures/app.yml',
    'test/fixtures/k.json', 'examples/deploy.yml', 'docs/example/app.env', 'src/__mocks__/api.js', 'mocks/db.ts', 'Tests/Unit/Cfg.cs',
    'server/auth_test.go', 'web/login.test.ts', 'web/login.spec.jsx', 'app/test_settings.py', 'src/AuthTest.java', 'spec/user_spec.rb',
    '.env.example', 'config/database.example.yml', 'deploy/.env.sample', 'node_modules/pkg/test/index.js',
  ])('%s is a test or example path', (p) => expect(isTestPath(p)).toBe(true));

  it.each([
    'src/config.ts', '.env', 'config/production.yml', 'latest/app.env', 'contest/app.env', 'src/testing.ts', 'attestation/key.pem',
    'src/examples.md', 'docs/spectrum.yml', 'app/mockup.html', 'src/Testimonial.java',
  ])('%s is not', (p) => expect(isTestPath(p)).toBe(false));
});

describe('confidence of a finding', () => {
  const generic = `DB_PASSWORD=${password(24)}\n`;

  it('is high for a provider key with a checksum or prefix, medium for a generic value', () => {
    expect(confidenceAt('app/.env', `GITHUB_TOKEN=${githubToken()}\n`)).toBe('high');
    expect(confidenceAt('app/.env', `STRIPE_SECRET_KEY=${stripeSecretKey()}\n`)).toBe('high');
    expect(confidenceAt('app/.env', generic)).toBe('medium');
  });

  it('is one level lower for a generic value in a test or example path', () => {
    expect(confidenceAt('test/app.env', generic)).toBe('low');
    expect(confidenceAt('.env.example', generic)).toBe('low');
  });

  it('is never lowered for a key whose structure or checksum holds: a live key in a test is a leak', () => {
    expect(confidenceAt('test/fixtures/app.env', `GITHUB_TOKEN=${githubToken()}\n`)).toBe('high');
    expect(confidenceAt('src/__tests__/pay.test.ts', `const k = "${stripeSecretKey()}";\n`)).toBe('high');
  });

  it('lowers a provider rule without structure (confidence: medium in its file) in a test path', () => {
    const secret = randomChars(BASE64, 40);
    expect(confidenceAt('app/.env', `aws_secret_access_key = ${secret}\n`)).toBe('medium');
    expect(confidenceAt('tests/aws.env', `aws_secret_access_key = ${secret}\n`)).toBe('low');
  });

  it('takes the highest of its places: the same value in a test and in the app is medium', () => {
    const findings = resultFor({ 'test/app.env': generic, 'app/.env': generic }).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]!.locations).toHaveLength(2);
    expect(findings[0]!.confidence).toBe('medium');
  });
});

describe('a match that carries its own confidence', () => {
  const at = (path: string, ruleId: string, confidence?: LocatedMatch['confidence']): LocatedMatch => ({
    ruleId, secret: 'x'.repeat(20) + ruleId, line: 1, column: 1, endLine: 1, endColumn: 21, entropy: 4, lineText: '', path,
    ...(confidence ? { confidence } : {}),
  });
  const one = (m: LocatedMatch) => groupFindings([m], rules)[0]!.confidence;

  it('replaces the rule base', () => {
    expect(one(at('app/.env', 'generic-secret-assignment', 'low'))).toBe('low');
    expect(one(at('app/.env', 'generic-secret-assignment', 'high'))).toBe('high');
    expect(one(at('app/.env', 'github-personal-access-token', 'medium'))).toBe('medium');
  });

  it('is still lowered in a test path, unless high', () => {
    expect(one(at('test/app.env', 'generic-secret-assignment', 'high'))).toBe('high');
    expect(one(at('test/app.env', 'github-personal-access-token', 'medium'))).toBe('low');
    expect(one(at('test/app.env', 'generic-secret-assignment', 'low'))).toBe('low');
  });

  it('is read in an image place key by the path inside the image only', () => {
    expect(one(at('registry/tests:1\0linux/amd64\0layer 2\0app/.env', 'generic-secret-assignment'))).toBe('medium');
    expect(one(at('registry/app:1\0linux/amd64\0layer 2\0app/test/.env', 'generic-secret-assignment'))).toBe('low');
  });
});

describe('withConfidence', () => {
  const result = resultFor({ 'app/.env': `GITHUB_TOKEN=${githubToken()}\nDB_PASSWORD=${password(24)}\n`, 'test/x.env': `API_SECRET=${password(24)}\n` });

  it('keeps the findings at or above the threshold and counts the others as suppressed', () => {
    expect(result.findings.map((f) => f.confidence).sort()).toEqual(['high', 'low', 'medium']);
    const medium = withConfidence(result, 'medium');
    expect(medium.findings.map((f) => f.confidence).sort()).toEqual(['high', 'medium']);
    expect(medium.suppressed[BELOW_CONFIDENCE]).toBe(1);
    const high = withConfidence(result, 'high');
    expect(high.findings.map((f) => f.confidence)).toEqual(['high']);
    expect(high.suppressed[BELOW_CONFIDENCE]).toBe(2);
    expect(withConfidence(result, 'low')).toBe(result);
  });

  it('never hides a key its provider confirmed live', () => {
    const copy = resultFor({ 'test/x.env': `API_SECRET=${password(24)}\n` });
    copy.findings[0]!.verification = { status: 'live' };
    raiseVerified(copy.findings);
    expect(withConfidence(copy, 'high').findings).toHaveLength(1);
  });
});

describe('confidence in a rule file', () => {
  const file = (rule: Record<string, unknown>) => ({
    provider: 'acme', name: 'Acme', references: [],
    revocation: { urgency: 'rotate', summary: 's', url: null, steps: ['a'], api: null, after: ['b'] },
    rules: [{ id: 'acme-key', name: 'Acme key', severity: 'high', keywords: ['acme_'], pattern: '(acme_[a-z]{8})', ...rule }],
  });

  it('defaults to high, or medium for a fallback rule', () => {
    expect(readRuleFile(file({}), 'acme.yml')[0]!.confidence).toBe('high');
    expect(readRuleFile(file({ fallback: true }), 'acme.yml')[0]!.confidence).toBe('medium');
    expect(readRuleFile(file({ confidence: 'low' }), 'acme.yml')[0]!.confidence).toBe('low');
  });

  it('refuses a value that is not a level, naming the rule', () => {
    expect(() => readRuleFile(file({ confidence: 'certain' }), 'acme.yml')).toThrow(UserError);
    expect(() => readRuleFile(file({ confidence: 'certain' }), 'acme.yml')).toThrow(/acme\.yml.*confidence/);
  });
});
