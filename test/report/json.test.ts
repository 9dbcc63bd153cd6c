import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { reportOptions, resultFor } from './support.js';

describe('renderJson', () => {
  it('holds no raw secret by default, only the redacted form', () => {
    const key = stripeSecretKey();
    const json = renderJson(resultFor({ '.env': `STRIPE_SECRET_KEY=${key}\n` }), reportOptions());
    expect(json).not.toContain(key);
    const report = JSON.parse(json);
    expect(report.findings[0].secret).toBeUndefined();
    expect(report.findings[0].redacted).toMatch(/chars\)$/);
  });

  it('holds the raw secret when asked', () => {
    const key = stripeSecretKey();
    const report = JSON.parse(renderJson(resultFor({ '.env': `STRIPE_SECRET_KEY=${key}\n` }), reportOptions({ showSecrets: true })));
    expect(report.findings[0].secret).toBe(key);
  });

  it('carries the revocation guidance and references of the rule', () => {
    const report = JSON.parse(renderJson(resultFor({ '.env': `GITHUB_TOKEN=${githubToken()}\n` }), reportOptions()));
    expect(report.findings[0]).toMatchObject({ provider: 'github', providerName: 'GitHub', revocation: { urgency: 'revoke-now' } });
    expect(report.findings[0].revocation.steps.length).toBeGreaterThan(0);
    expect(report.findings[0].references.length).toBeGreaterThan(0);
  });

  it('gives each finding its confidence, and counts them in the summary', () => {
    const report = JSON.parse(renderJson(resultFor({ 'a.env': `GITHUB_TOKEN=${githubToken()}\n`, 'spec/b.env': `DB_PASSWORD=${password(24)}\n` }), reportOptions()));
    expect(report.findings.map((f: any) => [f.ruleId, f.confidence]).sort()).toEqual([['generic-secret-assignment', 'low'], ['github-personal-access-token', 'high']]);
    expect(report.summary.byConfidence).toEqual({ low: 1, medium: 0, high: 1 });
  });

  it('summarises findings, locations and severities', () => {
    const key = githubToken();
    const report = JSON.parse(renderJson(resultFor({ 'a.env': `T=${key}\n`, 'b.env': `T=${key}\n` }), reportOptions()));
    expect(report.summary).toMatchObject({ findings: 1, locations: 2, bySeverity: { critical: 1, high: 0 } });
  });
});
