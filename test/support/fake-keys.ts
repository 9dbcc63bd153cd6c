import { randomInt } from 'node:crypto';

/**
 * Fake credentials of the right shape, generated fresh for every run: no test holds a real key,
 * and none holds a fixed string that a scanner could learn by heart.
 */

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** Also the base62 alphabet, in base62 digit order. */
export const BASE62 = DIGITS + UPPER + LOWER;
export const BASE32 = UPPER + '234567';
export const BASE64URL = UPPER + LOWER + DIGITS + '-_';

export function randomChars(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

// GitHub and npm checksum, computed apart from src/ (fixtures/fake-keys.mjs).
import { crc32Base62 as base62Crc32 } from '../../fixtures/fake-keys.mjs';

export { base62Crc32 };

/** `sk_live_` + 99 base62: the current Stripe secret key shape (older keys hold 24). */
export function stripeSecretKey(length = 99): string {
  return `sk_live_${randomChars(BASE62, length)}`;
}

/** Publishable keys are public by design: scanners must not report them. */
export function stripePublishableKey(length = 99): string {
  return `pk_live_${randomChars(BASE62, length)}`;
}

/** `AKIA` + 16 of [A-Z2-7]. */
export function awsAccessKeyId(): string {
  return `AKIA${randomChars(BASE32, 16)}`;
}

/** `ghp_` (or another GitHub prefix) + 30 random base62 + their checksum. */
export function githubToken(prefix = 'ghp_'): string {
  const random = randomChars(BASE62, 30);
  return `${prefix}${random}${base62Crc32(random)}`;
}

/** A GitHub token whose last character was changed, so its checksum no longer matches. */
export function githubTokenWithBadChecksum(prefix = 'ghp_'): string {
  const good = githubToken(prefix);
  const last = good.at(-1)!;
  const other = BASE62[(BASE62.indexOf(last) + 1) % 62]!;
  return good.slice(0, -1) + other;
}

export function npmToken(): string {
  return githubToken('npm_');
}

/**
 * A password as a person or generator would set it: 20 characters with upper, lower, digits and
 * a few symbols, starting with a letter (a leading '.' or '/' reads as a path). No '*' (a run of
 * them reads as a mask), '%' (an escape) or '.' (attribute access).
 */
export function password(length = 20): string {
  const symbols = '!#-_+@^';
  for (;;) {
    const value = randomChars(UPPER + LOWER, 1) + randomChars(BASE62 + symbols, length - 1);
    if (/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value)) return value;
  }
}

/** A signed-looking JWT: header and payload are real base64url JSON, the signature random. */
export function jwt(header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }, payload: Record<string, unknown> = {}): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { sub: `user_${randomChars(BASE62, 10)}`, iat: 1_767_225_600, ...payload };
  return `${b64(header)}.${b64(claims)}.${randomChars(BASE64URL, 43)}`;
}
