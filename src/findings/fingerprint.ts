import { crypto } from '../core/builtins.js';

/**
 * Fingerprints are keyed hashes: stable across machines (so baselines and code-scanning alerts
 * follow a secret), never containing the secret, and never the line number (so a secret keeps
 * its identity when lines move). Teams may set SECRETSCAN_FINGERPRINT_KEY to their own key so that
 * a short secret cannot be confirmed by hashing guesses with the public default key.
 */
const DEFAULT_KEY = 'secretscan-fingerprint-v1';

function key(): string {
  return process.env.SECRETSCAN_FINGERPRINT_KEY || DEFAULT_KEY;
}

function hmac(parts: string[]): string {
  return crypto().createHmac('sha256', key()).update(parts.join('\0')).digest('hex').slice(0, 32);
}

/** Identity of a secret under a rule, wherever it appears. */
export function secretId(ruleId: string, secret: string): string {
  return hmac([ruleId, secret]);
}

/** Identity of a secret under a rule at one path. */
export function locationFingerprint(ruleId: string, secret: string, path: string): string {
  return hmac([ruleId, secret, path]);
}
