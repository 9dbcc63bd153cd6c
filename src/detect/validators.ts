import { crc32 } from 'node:zlib';

/**
 * Offline structure checks, named by rule files (`validator:`). Each takes the captured
 * secret and says whether it has the shape the provider issues. Knowledge of which provider
 * uses which check lives in rules/, not here.
 */
export type Validator = (secret: string) => boolean;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** `prefix_` + 30 random characters + 6-character base62 CRC32 of those 30 (GitHub, npm). */
function crc32Base62(secret: string): boolean {
  const body = secret.slice(secret.lastIndexOf('_') + 1);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  return base62(crc32(Buffer.from(random, 'latin1')), 6) === body.slice(30);
}

function decodeBase64Url(s: string): string | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64url').toString('utf8');
}

/** header.payload.signature where the header is a JSON object naming its `alg`. */
function jwt(secret: string): boolean {
  const parts = secret.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0 && p !== parts[2])) return false;
  try {
    const header = JSON.parse(decodeBase64Url(parts[0] ?? '') ?? 'null') as unknown;
    if (header === null || typeof header !== 'object' || typeof (header as { alg?: unknown }).alg !== 'string') {
      return false;
    }
    const payload = decodeBase64Url(parts[1] ?? '');
    return payload !== null && payload.trimStart().startsWith('{');
  } catch {
    return false;
  }
}

/**
 * A value that looks machine-generated rather than written by a person: letters mixed with
 * digits, or upper and lower case mixed in about even measure. camelCase and PascalCase words
 * hold one capital per word (well under a quarter of the letters); random letters about half.
 * Words joined by dashes, dots or underscores are names, whatever digits they hold.
 * Gates generic assignment rules.
 */
function randomToken(secret: string): boolean {
  const letters = secret.replace(/[^A-Za-z]/g, '');
  if (letters.length === 0) return false;
  // Names built from words and numbers (tls-cert-2024, app_db_v2, Prod.Main.1) are identifiers.
  const parts = secret.split(/[-_.:/]+/).filter(Boolean);
  if (parts.length >= 2 && parts.every((p) => /^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+|[0-9]+)$/.test(p))) return false;
  if (/[0-9]/.test(secret)) return true;
  const upper = letters.replace(/[^A-Z]/g, '').length / letters.length;
  return upper >= 0.25 && upper <= 0.75;
}

/**
 * Not base64 of readable text: a random key drawn from the base64 alphabet decodes to random
 * bytes, while a Basic-auth header or an encoded config value decodes to text.
 */
function notEncodedText(secret: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret) || secret.length < 16) return true;
  const bytes = Buffer.from(secret, 'base64');
  let printable = 0;
  for (const c of bytes) if (c >= 32 && c < 127) printable++;
  return printable / bytes.length < 0.9;
}

export const VALIDATORS: Readonly<Record<string, Validator>> = {
  'crc32-base62': crc32Base62,
  jwt,
  'random-token': randomToken,
  'not-encoded-text': notEncodedText,
};
