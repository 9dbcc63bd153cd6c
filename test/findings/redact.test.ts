import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/findings/redact.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';

describe('redactSecret', () => {
  it('keeps a short prefix and the length, never the secret', () => {
    const key = stripeSecretKey();
    const shown = redactSecret(key);
    expect(shown).toBe(`${key.slice(0, 4)}…(${key.length} chars)`);
    expect(shown).not.toContain(key.slice(4, 12));
  });

  it('shows fewer characters of short secrets', () => {
    expect(redactSecret('abcdefg')).toBe('a…(7 chars)');
    expect(redactSecret('abc')).toBe('…(3 chars)');
  });

  it('tells keys of different providers apart by their prefix', () => {
    expect(redactSecret(githubToken())).toMatch(/^ghp_…/);
    expect(redactSecret(password()).length).toBeLessThan(20);
  });
});
