import { describe, expect, it } from 'vitest';
import { awsAccountFromKeyId } from '../../src/rules/aws-account.js';
import { DESCRIBERS } from '../../src/rules/describers.js';
import { readRuleFile } from '../../src/rules/load.js';

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

describe('describers', () => {
  it('aws-account-id labels the account, and gives nothing for a key without one', () => {
    expect(DESCRIBERS['aws-account-id']!(keyId('AKIA', 'RZPUZDIKGB2VALC4'))).toEqual({ 'AWS account': '123456789012' });
    expect(DESCRIBERS['aws-account-id']!('AKIAIOSFODNN7EXAMPLE')).toBeNull();
  });

  it('are named in rule files; an unknown name is an error naming the file and key', () => {
    const file = (describe: unknown) => ({
      provider: 'acme',
      name: 'Acme',
      revocation: { urgency: 'rotate', summary: 'Rotate it.', steps: ['Rotate.'], after: ['Check logs.'] },
      rules: [{ id: 'acme-key', name: 'Acme key', severity: 'high', keywords: ['acme_'], pattern: '(acme_[a-z]{20})', describe }],
    });
    expect(readRuleFile(file('aws-account-id'), 'acme.yml')[0]!.describe).toBe('aws-account-id');
    expect(() => readRuleFile(file('acme-account'), 'acme.yml')).toThrow('acme.yml: rules[0].describe: expected one of aws-account-id');
  });
});
