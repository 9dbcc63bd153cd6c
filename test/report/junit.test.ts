import { parse } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { awsAccessKeyId, githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { reportOptions, resultFor } from './support.js';

// Parsed back with junit2json, a real JUnit XML parser: structure and counts, not string matching.
describe('renderJunit', () => {
  const stripe = stripeSecretKey();
  const gh = githubToken();
  const aws = awsAccessKeyId();
  const odd = 'we & "they" <x>\u0001.env';
  const result = resultFor({
    [odd]: `STRIPE_SECRET_KEY=${stripe}\nGITHUB_TOKEN=${gh}\n`,
    'b.env': `GITHUB_TOKEN=${gh}\n\nGITHUB_TOKEN2=${gh}x\n`,
    'c.env': `AWS_ACCESS_KEY_ID=${aws}\n`,
  });

  it('has one suite per rule, one failing case per rule × file, and consistent counts', async () => {
    const xml = renderJunit(result, reportOptions());
    const doc = (await parse(xml)) as any;
    const rules = [...new Set(result.findings.map((f) => f.ruleId))];
    expect(doc.testsuite).toHaveLength(rules.length);
    const pairs = new Set(result.findings.flatMap((f) => f.locations.map((l) => `${f.ruleId}\0${l.path.replace('\u0001', '')}`)));
    expect(doc.tests).toBe(pairs.size);
    expect(doc.failures).toBe(pairs.size);
    expect(doc.errors).toBe(0);
    expect(doc.skipped).toBe(0);
    expect(typeof doc.time).toBe('number');
    for (const suite of doc.testsuite) {
      expect(suite.tests).toBe(suite.testcase.length);
      expect(suite.failures).toBe(suite.testcase.filter((c: any) => c.failure).length);
      for (const c of suite.testcase) {
        expect(pairs.has(`${c.classname}\0${c.name}`)).toBe(true);
        expect(c.failure).toHaveLength(1);
      }
    }
  });

  it('escapes markup and drops control characters from names', async () => {
    const xml = renderJunit(result, reportOptions());
    expect(xml).not.toContain('\u0001');
    const doc = (await parse(xml)) as any;
    const names = doc.testsuite.flatMap((s: any) => s.testcase.map((c: any) => c.name));
    expect(names).toContain('we & "they" <x>.env');
  });

  it('puts rule, lines, the redacted secret and revocation in the failure, never the raw secret', async () => {
    const xml = renderJunit(result, reportOptions());
    for (const key of [stripe, gh, aws]) expect(xml).not.toContain(key);
    const doc = (await parse(xml)) as any;
    const stripeFinding = result.findings.find((f) => f.secret === stripe)!;
    const suite = doc.testsuite.find((s: any) => s.testcase[0].classname === stripeFinding.ruleId);
    const failure = suite.testcase[0].failure[0];
    expect(failure.message).toContain(stripeFinding.ruleName);
    expect(failure.inner).toContain(`[${stripeFinding.ruleId}]`);
    expect(failure.inner).toContain('at line 1:');
    expect(failure.inner).toContain(`[${stripeFinding.ruleId}] critical, high confidence: `);
    expect(failure.inner).toContain(stripeFinding.redacted);
    expect(failure.inner).toContain(reportOptions().rules.get(stripeFinding.ruleId)!.revocation.summary);
    expect(renderJunit(result, reportOptions({ showSecrets: true }))).toContain(stripe);
  });

  it('says a weak finding\'s confidence in its failure', async () => {
    const doc = (await parse(renderJunit(resultFor({ 'tests/db.env': `DB_PASSWORD=${password(24)}\n` }), reportOptions()))) as any;
    expect(doc.testsuite[0].testcase[0].failure[0].inner).toMatch(/\[generic-secret-assignment\] medium, low confidence: /);
  });

  it('lists every line of a file in its one case', async () => {
    const doc = (await parse(renderJunit(result, reportOptions()))) as any;
    const ghRule = result.findings.find((f) => f.secret === gh)!.ruleId;
    const cases = doc.testsuite.flatMap((s: any) => s.testcase).filter((c: any) => c.name === 'b.env' && c.classname === ghRule);
    expect(cases).toHaveLength(1);
    expect(cases[0].failure[0].inner).toMatch(/at line 1:\d+/);
  });

  it('gives a clean scan one passing case so panels show green', async () => {
    const clean = { ...resultFor({ 'a.txt': 'hello\n' }), stats: { files: 1, bytes: 6, durationMs: 1234 } };
    const doc = (await parse(renderJunit(clean, reportOptions()))) as any;
    expect(doc.tests).toBe(1);
    expect(doc.failures).toBe(0);
    expect(doc.time).toBe(1.234);
    expect(doc.testsuite).toHaveLength(1);
    expect(doc.testsuite[0].testcase).toEqual([{ classname: 'secretscan', name: 'no leaked secrets', time: 1.234 }]);
  });
});
