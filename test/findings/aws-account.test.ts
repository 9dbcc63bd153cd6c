import { describe, expect, it } from 'vitest';
import { awsAccountFromKeyId } from '../../src/findings/aws-account.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import { reportOptions, resultFor } from '../report/support.js';

// Published key ids, split so that the project's self-scan does not report them.
const keyId = (prefix: string, rest: string) => prefix + rest;

describe('awsAccountFromKeyId', () => {
  it('reads the account from a key id, as in the published examples', () => {
    // Aidan Steele's and Tal Be'ery's worked example (a temporary key).
    expect(awsAccountFromKeyId(keyId('ASIA', 'Y34FZKBOKMUTVV7A'))).toBe('609629065308');
    // A long-term key built for AWS's documented example account.
    expect(awsAccountFromKeyId(keyId('AKIA', 'RZPUZDIKGB2VALC4'))).toBe('123456789012');
  });

  it('ignores the last characters, which are random', () => {
    expect(awsAccountFromKeyId(keyId('ASIA', 'Y34FZKBOKMAAAAAA'))).toBe('609629065308');
  });

  it('gives nothing for keys of the older scheme, which do not carry the account', () => {
    expect(awsAccountFromKeyId('AKIAIOSFODNN7EXAMPLE')).toBeNull();
    expect(awsAccountFromKeyId(keyId('AKIA', 'J2345ABCDEFGHIJK'))).toBeNull();
  });

  it('gives nothing for strings that are not key ids', () => {
    expect(awsAccountFromKeyId('AKIAY34FZKBOKMUTVV7')).toBeNull();
    expect(awsAccountFromKeyId('ABIAY34FZKBOKMUTVV7A')).toBeNull();
  });
});

describe('the account in reports', () => {
  it('is shown next to an AWS key id in the JSON and text reports, redacted or not', () => {
    const result = resultFor({ 'deploy.env': `AWS_ACCESS_KEY_ID=${keyId('AKIA', 'RZPUZDIKGB2VALC4')}\n` });
    const json = JSON.parse(renderJson(result, reportOptions())) as { findings: Array<{ ruleId: string; awsAccount?: string }> };
    expect(json.findings.find((f) => f.ruleId === 'aws-access-key-id')?.awsAccount).toBe('123456789012');
    expect(renderText(result, reportOptions())).toMatch(/aws-access-key-id\].*AWS account 123456789012/);
  });
});
