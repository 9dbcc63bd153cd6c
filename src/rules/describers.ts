/** Describers: named offline readers a rule declares (`describe:`) to report identifiers carried in a secret. */
import { awsAccountFromKeyId } from './aws-account.js';
import { jwtClaims } from './validators.js';

/**
 * Reads identifiers out of a secret without any network call, label → value (the label is what
 * reports print before the value). Returns null when the secret carries none. Never returns the
 * secret or a part of it: reports print details unredacted.
 */
export type Describer = (secret: string) => Record<string, string> | null;

export const DESCRIBERS: Readonly<Record<string, Describer>> = {
  /** The AWS account an access key ID (AKIA…, ASIA…) belongs to, for keys issued since about 2019. */
  'aws-account-id': (secret) => {
    const account = awsAccountFromKeyId(secret);
    return account ? { 'AWS account': account } : null;
  },
  /**
   * Who issued a JWT and until when it is valid: its iss and exp claims, which travel in clear
   * (base64url) in the token. Rules whose validator is `jwt` use it unless they name another.
   */
  'jwt-claims': (secret) => {
    const claims = jwtClaims(secret);
    if (!claims) return null;
    const out: Record<string, string> = {};
    if (claims.iss !== undefined) out['issuer'] = claims.iss.length > 200 ? `${claims.iss.slice(0, 200)}…` : claims.iss;
    if (claims.exp !== undefined) {
      const at = new Date(claims.exp * 1000);
      out['expires'] = Number.isNaN(at.getTime()) ? String(claims.exp) : `${at.toISOString().replace(/\.000Z$/, 'Z')}${at.getTime() < Date.now() ? ' (expired)' : ''}`;
    }
    return Object.keys(out).length ? out : null;
  },
};

export const DESCRIBER_NAMES = Object.keys(DESCRIBERS);
