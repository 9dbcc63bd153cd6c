import { randomBytes, randomInt } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';

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

/**
 * A GitLab routable token built the way GitLab's generator does: prefix + base64url(16 random
 * bytes + routing payload + its length byte) + ".01." + base36 length of the base64 part +
 * base36 CRC32 (7 characters) of all that came before.
 */
export function gitlabRoutableToken(prefix = 'glpat-'): string {
  const routing = `o:${randomChars(DIGITS + LOWER, 5)}\nu:${randomChars(DIGITS + LOWER, 5)}`;
  const bytes = Buffer.concat([randomBytes(16), Buffer.from(routing), Buffer.from([routing.length])]);
  const payload = bytes.toString('base64url');
  const head = `${prefix}${payload}.01.${payload.length.toString(36).padStart(2, '0')}`;
  return head + zlibCrc32(Buffer.from(head)).toString(36).padStart(7, '0');
}

/**
 * A PyPI API token: `pypi-` + base64url of a version 2 binary macaroon for pypi.org, with one
 * caveat and a random 32-byte signature (a real token's signature is an HMAC only PyPI can check).
 */
export function pypiToken(location = 'pypi.org'): string {
  const field = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
  const identifier = Buffer.from(`${randomChars(DIGITS + 'abcdef', 8)}-${randomChars(DIGITS + 'abcdef', 4)}`);
  const caveat = Buffer.from(JSON.stringify({ version: 1, permissions: 'user' }));
  const macaroon = Buffer.concat([
    Buffer.from([2]),
    field(1, Buffer.from(location)),
    field(2, identifier),
    Buffer.from([0]),
    field(2, caveat),
    Buffer.from([0]),
    Buffer.from([0]),
    field(6, randomBytes(32)),
  ]);
  return `pypi-${macaroon.toString('base64url')}`;
}
