import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonReport } from '../../src/report/read-json.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import { reportOptions, resultFor } from './support.js';

// A published key id, split so that the project's self-scan does not report it.
const keyId = 'AKIA' + 'RZPUZDIKGB2VALC4';

describe("a describer's details in reports", () => {
  it('show the AWS account next to an AWS key id in the JSON and text reports, redacted or not', () => {
    const result = resultFor({ 'deploy.env': `AWS_ACCESS_KEY_ID=${keyId}\n` });
    const json = JSON.parse(renderJson(result, reportOptions())) as { findings: Array<{ ruleId: string; details?: Record<string, string> }> };
    expect(json.findings.find((f) => f.ruleId === 'aws-access-key-id')?.details).toEqual({ 'AWS account': '123456789012' });
    expect(renderText(result, reportOptions())).toMatch(/aws-access-key-id\].*AWS account 123456789012/);
    expect(renderText(result, reportOptions({ showSecrets: true }))).toMatch(/aws-access-key-id\].*AWS account 123456789012/);
  });

  it('are absent for rules without a describer', () => {
    const result = resultFor({ 'a.env': `GITHUB_TOKEN=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\n` });
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.details === undefined)).toBe(true);
  });
});

describe('details read back from a JSON report', () => {
  const readBack = (report: unknown) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'secretscan-details-'));
    try {
      const file = path.join(dir, 'report.json');
      writeFileSync(file, JSON.stringify(report));
      return readJsonReport(file).result.findings.find((f) => f.ruleId === 'aws-access-key-id');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const report = () => JSON.parse(renderJson(resultFor({ 'deploy.env': `AWS_ACCESS_KEY_ID=${keyId}\n` }), reportOptions())) as { findings: Array<Record<string, unknown>> };

  it('as written', () => {
    expect(readBack(report())?.details).toEqual({ 'AWS account': '123456789012' });
  });

  it('from a report written before describers, which had awsAccount', () => {
    const old = report();
    for (const f of old.findings) {
      if (!f.details) continue;
      f.awsAccount = (f.details as Record<string, string>)['AWS account'];
      delete f.details;
    }
    expect(JSON.stringify(old)).not.toContain('details');
    expect(readBack(old)?.details).toEqual({ 'AWS account': '123456789012' });
  });
});
