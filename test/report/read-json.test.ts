import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { renderJson } from '../../src/report/json.js';
import { mergeReports, reportedRuleSpecs } from '../../src/report/merge.js';
import { readJsonReport, readReportFindings, type ReadReport } from '../../src/report/read-json.js';
import type { JsonReport } from '../../src/report/schema.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { GitOrigin, ImageOrigin, ScanResult } from '../../src/types.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { reportOptions, resultFor } from './support.js';

// The one reader of JSON reports: what it refuses, and that what json.ts writes reads back whole.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-read-json-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function save(text: string): string {
  const file = path.join(scratch, `r${n++}.json`);
  writeFileSync(file, text);
  return file;
}

/** A scan of three secrets with every optional part a report can hold: origins, verification, warnings, vcs, skips. */
function representative(): ScanResult {
  const result = resultFor({
    'a.env': `GITHUB_TOKEN=${githubToken()}\n`,
    'b.env': `STRIPE_SECRET_KEY=${stripeSecretKey()}\nSTRIPE_SECRET_KEY_AGAIN=${stripeSecretKey()}\n`,
    'spec/c.env': `DB_PASSWORD=${password(24)}\n`,
  });
  const git: GitOrigin = {
    kind: 'git-blob', commit: 'a'.repeat(40), author: 'Dev', email: 'dev@example.test', date: '2026-11-30T10:00:00Z', subject: 'add config',
    path: 'a.env', blob: 'b'.repeat(40), inHead: true, headPath: 'a.env', headLine: 1, commits: 2, paths: 1,
  };
  const image: ImageOrigin = {
    kind: 'image-layer', source: 'image-layer', image: 'registry.example.test/app:1', platform: 'linux/amd64', layer: 2, layerDigest: `sha256:${'c'.repeat(64)}`,
    createdBy: 'COPY . /app', visible: false, deletedBy: 3, hiddenBy: 'whiteout',
  };
  const [gh, stripeA] = [result.findings.find((f) => f.provider === 'github')!, result.findings.find((f) => f.provider === 'stripe')!];
  gh.locations[0]!.origin = { ...git };
  stripeA.locations[0]!.origin = { ...image };
  gh.verification = { status: 'live', identity: 'login: octo-dev', detail: 'token accepted' };
  stripeA.verification = { status: 'unknown', detail: 'could not reach the provider', reason: 'network' };
  return {
    ...result,
    skipped: [{ path: 'big.bin', reason: 'too-large', detail: '20 MB' }, { path: 'img.png', reason: 'binary' }],
    suppressed: { allowlist: 2, 'below-confidence': 1 },
    warnings: [{ kind: 'rules-from', source: 'extra.toml:3', ruleId: 'lookbehind', message: 'RE2 rejects the pattern' }],
    vcs: { repositoryUri: 'https://git.example.test/team/app.git', revisionId: 'd'.repeat(40), branch: 'main', root: '/repo' },
    stats: { files: 4, bytes: 321, durationMs: 17 },
  };
}

/** json → read → json: the second JSON rendered with only what the first recorded (no rule files). */
function roundTrip(result: ScanResult, showSecrets: boolean): { first: string; second: string; read: ReadReport } {
  const first = renderJson(result, reportOptions({ showSecrets }));
  const read = readJsonReport(save(first));
  const second = renderJson(read.result, reportOptions({ showSecrets: read.hasSecrets, rules: reportedRuleSpecs(read.rules) }));
  return { first, second, read };
}

function expectUserError(f: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toMatch(message);
}

describe('readJsonReport: round trip', () => {
  it('reads back a shard\'s report with origins, verification, confidence, warnings and vcs as it was written', () => {
    const { first, second, read } = roundTrip({ ...representative(), shard: { index: 2, total: 3 } }, false);
    expect(second).toBe(first);
    const report = JSON.parse(first) as JsonReport;
    // The round trip covers what it claims to.
    expect(report.shard).toEqual({ index: 2, total: 3 });
    expect(report.findings.map((f) => f.confidence).sort()).toEqual(['high', 'high', 'high', 'low']);
    expect(report.findings.flatMap((f) => f.locations.map((l) => l.origin?.commit ?? l.origin?.image)).filter(Boolean)).toHaveLength(2);
    expect(report.findings.filter((f) => f.verification)).toHaveLength(2);
    expect(report.findings.map((f) => f.ruleConfidence).sort()).toEqual(['high', 'high', 'high', 'medium']);
    expect(read.hasSecrets).toBe(false);
    expect(read.result.findings.every((f) => f.secret === '')).toBe(true);
  });

  it('reads back a merged report with secrets as it was written', () => {
    const result = { ...representative(), merged: { reports: 3, shards: 3 } };
    const { first, second, read } = roundTrip(result, true);
    expect(second).toBe(first);
    expect(read.hasSecrets).toBe(true);
    expect(read.result.merged).toEqual({ reports: 3, shards: 3 });
    expect(read.result.findings.map((f) => f.secret).sort()).toEqual(result.findings.map((f) => f.secret).sort());
  });

  it('gives the origins of a report written before origins carried a kind their kind', () => {
    const old = JSON.parse(renderJson(representative(), reportOptions())) as JsonReport;
    for (const f of old.findings) for (const l of f.locations) if (l.origin) delete l.origin.kind;
    const read = readJsonReport(save(JSON.stringify(old)));
    const kinds = read.result.findings.flatMap((f) => f.locations.flatMap((l) => (l.origin ? [l.origin.kind] : []))).sort();
    expect(kinds).toEqual(['git-blob', 'image-layer']);
  });
});

describe('readJsonReport: what it refuses (UserError, exit 2), naming the file and field', () => {
  const good = () => JSON.parse(renderJson(representative(), reportOptions())) as Record<string, any>;

  it('refuses a version it does not know', () => {
    const file = save(JSON.stringify({ ...good(), version: 2 }));
    expectUserError(() => readJsonReport(file), new RegExp(`${file.replace(/[.\\]/g, '\\$&')}: version: report version 2 is not supported: this secretscan reads version 1`));
    expectUserError(() => readReportFindings(file), /version: report version 2 is not supported/);
  });

  it('refuses another tool\'s JSON and a report without a version', () => {
    expectUserError(() => readJsonReport(save(JSON.stringify({ ...good(), tool: { name: 'gitleaks', version: '8' } }))), /\(top level\): not a secretscan JSON report \(version 1\)/);
    const { version: _, ...unversioned } = good();
    expectUserError(() => readJsonReport(save(JSON.stringify(unversioned))), /version: report version missing is not supported/);
  });

  it.each([
    ['findings[1].entropy', (r: Record<string, any>) => (r.findings[1].entropy = 'high'), /expected a number/],
    ['findings[0].locations[0].line', (r: Record<string, any>) => (r.findings[0].locations[0].line = '3'), /expected a number/],
    ['findings[0].locations[0].fingerprint', (r: Record<string, any>) => (r.findings[0].locations[0].fingerprint = 'fp0'), /expected 32 hex digits/],
    ['findings[0].verification.status', (r: Record<string, any>) => (r.findings[0].verification = { status: 'alive' }), /expected one of live, revoked, unknown/],
    ['findings[0].revocation.steps', (r: Record<string, any>) => (r.findings[0].revocation.steps = 'revoke it'), /expected a list of strings/],
    ['findings[0].ruleConfidence', (r: Record<string, any>) => (r.findings[0].ruleConfidence = 'certain'), /expected one of low, medium, high/],
    ['skipped[0].reason', (r: Record<string, any>) => (r.skipped[0].reason = 'boring'), /expected one of binary/],
    ['warnings', (r: Record<string, any>) => (r.warnings = { kind: 'x' }), /expected a list/],
    ['merged.reports', (r: Record<string, any>) => (r.merged = { reports: 0 }), /expected a number between 1/],
    ['summary.bySeverity.critical', (r: Record<string, any>) => delete r.summary.bySeverity.critical, /expected a number/],
  ])('refuses a wrong-typed %s', (field, spoil, message) => {
    const report = good();
    spoil(report);
    const file = save(JSON.stringify(report));
    expectUserError(() => readJsonReport(file), new RegExp(`${path.basename(file)}: ${field.replace(/[.[\]]/g, '\\$&')}: ${message.source}`));
  });

  it('refuses a truncated file without quoting it', () => {
    const text = renderJson(representative(), reportOptions({ showSecrets: true }));
    const file = save(text.slice(0, Math.floor(text.length / 2)));
    expectUserError(() => readJsonReport(file), /: not a JSON report: not valid JSON/);
    try {
      readJsonReport(file);
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(200);
      expect((e as Error).message).not.toContain('sk_live');
    }
  });
});

describe('readReportFindings: revoke\'s partial reading', () => {
  it('takes a hand-made list of secrets, and checks every field it holds', () => {
    const findings = [{ ruleId: 'github-personal-access-token', secret: githubToken(), locations: [{ path: 'a.txt', line: 1 }] }];
    expect(readReportFindings(save(JSON.stringify({ version: 1, findings })))).toEqual([{ ...findings[0], confidence: 'medium', references: [] }]);
    const bad = [{ ...findings[0], locations: [{ path: 'a.txt', line: 0 }] }];
    expectUserError(() => readReportFindings(save(JSON.stringify({ version: 1, findings: bad }))), /findings\[0\]\.locations\[0\]\.line: expected a number between 1/);
    expectUserError(() => readReportFindings(save(JSON.stringify({ version: 1, findings: [{ secret: 'x' }] }))), /findings\[0\]\.ruleId: expected a non-empty string/);
  });
});

describe('merge renders from what the reports record', () => {
  it('keeps control characters in names escaped in text output after a merge', () => {
    const name = 'evil\x1b]0;owned\x07\n\u2028name.env';
    const result = resultFor({ [name]: `GITHUB_TOKEN=${githubToken()}\n` });
    const file = save(renderJson(result, reportOptions()));
    const merged = mergeReports([readJsonReport(file), readJsonReport(file)]);
    expect(merged.result.findings[0]!.locations.map((l) => l.path)).toEqual([name]); // kept as found, once
    const text = renderText(merged.result, reportOptions({ rules: reportedRuleSpecs(merged.rules) }));
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u2028]/);
    expect(text).toContain('evil\\x1b]0;owned\\x07\\x0a\\u2028name.env');
    expect(text).toContain('How to revoke');
  });

  it('renders a rule no rule file knows from the report, and leaves out a base confidence the report did not record', () => {
    const report = JSON.parse(renderJson(resultFor({ 'a.env': `GITHUB_TOKEN=${githubToken()}\n`, 'b.env': `DB_PASSWORD=${password(24)}\n` }), reportOptions())) as JsonReport;
    const custom = report.findings.find((f) => f.provider === 'github')!;
    Object.assign(custom, { ruleId: 'acme-internal-token', ruleName: 'ACME internal token', ruleConfidence: 'medium' });
    custom.revocation = { ...custom.revocation!, summary: 'Revoke it in the ACME console' };
    delete report.findings.find((f) => f.provider === 'generic')!.ruleConfidence; // as reports written before ruleConfidence
    const merged = mergeReports([readJsonReport(save(JSON.stringify(report)))]);
    const rules = reportedRuleSpecs(merged.rules);
    const sarif = JSON.parse(renderSarif(merged.result, reportOptions({ rules }))) as { runs: { tool: { driver: { rules: { id: string; fullDescription: { text: string }; properties: { precision?: string } }[] } } }[] };
    const byId = new Map(sarif.runs[0]!.tool.driver.rules.map((r) => [r.id, r]));
    expect(byId.get('acme-internal-token')!.fullDescription.text).toContain('Revoke it in the ACME console');
    expect(byId.get('acme-internal-token')!.properties.precision).toBe('medium');
    expect(byId.get('generic-secret-assignment')!.properties.precision).toBeUndefined();
    const again = JSON.parse(renderJson(merged.result, reportOptions({ rules }))) as JsonReport;
    expect(again.findings.map((f) => [f.ruleId, f.ruleConfidence])).toEqual(report.findings.map((f) => [f.ruleId, f.ruleConfidence]));
  });
});
