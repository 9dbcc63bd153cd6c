import { afterEach, describe, expect, it } from 'vitest';
import { locationFingerprint, secretId } from '../../src/findings/fingerprint.js';
import { githubToken } from '../support/fake-keys.js';

describe('fingerprints', () => {
  afterEach(() => {
    delete process.env.SECRETSCAN_FINGERPRINT_KEY;
  });

  it('are the same for the same rule, secret and path', () => {
    const key = githubToken();
    expect(secretId('github-pat', key)).toBe(secretId('github-pat', key));
    expect(locationFingerprint('github-pat', key, 'a/.env')).toBe(locationFingerprint('github-pat', key, 'a/.env'));
  });

  it('differ for another secret, another rule or another path', () => {
    const [a, b] = [githubToken(), githubToken()];
    expect(secretId('github-pat', a)).not.toBe(secretId('github-pat', b));
    expect(secretId('github-pat', a)).not.toBe(secretId('npm-token', a));
    expect(locationFingerprint('github-pat', a, 'a/.env')).not.toBe(locationFingerprint('github-pat', a, 'b/.env'));
  });

  it('are hex digests that contain no part of the secret', () => {
    const key = githubToken();
    for (const print of [secretId('github-pat', key), locationFingerprint('github-pat', key, '.env')]) {
      expect(print).toMatch(/^[0-9a-f]{32}$/);
      expect(print).not.toContain(key.slice(4, 10).toLowerCase());
    }
  });

  it('change with the team key in SECRETSCAN_FINGERPRINT_KEY', () => {
    const key = githubToken();
    const withDefault = secretId('github-pat', key);
    process.env.SECRETSCAN_FINGERPRINT_KEY = 'team-secret-key';
    expect(secretId('github-pat', key)).not.toBe(withDefault);
  });
});
