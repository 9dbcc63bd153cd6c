import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { reportOptions, resultFor } from './support.js';

describe('renderSarif', () => {
  it('writes one result per location, each pointing at its rule', () => {
    const key = githubToken();
    const log = JSON.parse(renderSarif(resultFor({ 'a.env': `T=${key}\n`, 'src/b c.ts': `\nconst t = "${key}";\n` }), reportOptions()));
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.results).toHaveLength(2);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const regions = run.results.map((r: any) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]);
    expect(regions).toEqual([['a.env', 1], ['src/b%20c.ts', 2]]);
  });

  it('ranks each result by severity weighed by confidence, and says the confidence and the rule precision', () => {
    const log = JSON.parse(renderSarif(resultFor({ 'a.env': `GITHUB_TOKEN=${githubToken()}\nDB_PASSWORD=${password(24)}\n`, 'test/b.env': `API_SECRET=${password(24)}\n` }), reportOptions()));
    const run = log.runs[0];
    const byPath = Object.fromEntries(run.results.map((r: any) => [`${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`, r]));
    expect(byPath['a.env:1']).toMatchObject({ rank: 95, properties: { confidence: 'high' } }); // critical × high
    expect(byPath['a.env:2']).toMatchObject({ rank: 41.3, properties: { confidence: 'medium' } }); // medium (5.5) × 0.75
    expect(byPath['test/b.env:1']).toMatchObject({ rank: 27.5, properties: { confidence: 'low' } }); // medium × 0.5
    for (const r of run.results) expect(r.rank).toBeGreaterThanOrEqual(0), expect(r.rank).toBeLessThanOrEqual(100);
    const precision = Object.fromEntries(run.tool.driver.rules.map((r: any) => [r.id, r.properties.precision]));
    expect(precision).toEqual({ 'github-personal-access-token': 'high', 'generic-secret-assignment': 'medium' });
  });

  it('holds no raw secret by default, and the secret when asked', () => {
    const key = stripeSecretKey();
    const result = resultFor({ '.env': `STRIPE_SECRET_KEY=${key}\n` });
    expect(renderSarif(result, reportOptions())).not.toContain(key);
    expect(renderSarif(result, reportOptions({ showSecrets: true }))).toContain(key);
  });

  it('gives each result a partial fingerprint and the rule its revocation help', () => {
    const log = JSON.parse(renderSarif(resultFor({ '.env': `GITHUB_TOKEN=${githubToken()}\n` }), reportOptions()));
    const run = log.runs[0];
    expect(run.results[0].partialFingerprints['secretscan/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(run.tool.driver.rules[0].help.markdown).toContain('revoke');
    expect(run.tool.driver.rules[0].properties['security-severity']).toMatch(/^\d+(\.\d)?$/);
  });
});
