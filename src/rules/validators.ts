import { crypto, zlib } from '../core/builtins.js';
import { readFileSync } from 'node:fs';

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
  return base62(zlib().crc32(Buffer.from(random, 'latin1')), 6) === body.slice(30);
}

function decodeBase64Url(s: string): string | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64url').toString('utf8');
}

/**
 * The keys the jwt.io debugger signs its sample tokens with, and those of the usage examples of
 * the most used JWT libraries (PyJWT's `"secret"`, node jsonwebtoken's `'shhhhh'`). A token whose
 * HMAC signature holds under one of them is a published example that anyone can mint again, not a
 * leaked credential.
 */
const PUBLIC_JWT_KEYS = ['your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret', 'a-string-secret-at-least-256-bits-long', 'a-string-secret-at-least-384-bits-long', 'a-string-secret-at-least-512-bits-long', 'secret', 'shhhhh'];
const HMAC_OF: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

function signedWithPublicKey(parts: string[], alg: string): boolean {
  const hash = HMAC_OF[alg];
  if (!hash) return false;
  const signature = parts[2]!.replace(/=+$/, '');
  const input = `${parts[0]}.${parts[1]}`;
  return PUBLIC_JWT_KEYS.some((key) => crypto().createHmac(hash, key).update(input).digest('base64url') === signature);
}

/** A JWT segment's JSON object (header or claims), or null when it does not decode to one. */
function jwtObject(segment: string | undefined): Record<string, unknown> | null {
  try {
    const value = JSON.parse(decodeBase64Url(segment ?? '') ?? 'null') as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The `alg` a JWT's header names, or null. */
function jwtAlg(parts: string[]): string | null {
  const alg = jwtObject(parts[0])?.alg;
  return typeof alg === 'string' ? alg : null;
}

/** Whether a JWT's HMAC signature holds under one of the published sample keys above (a demo token). */
export function jwtSignedWithPublicKey(secret: string): boolean {
  const parts = secret.split('.');
  const alg = parts.length === 3 ? jwtAlg(parts) : null;
  return alg !== null && signedWithPublicKey(parts, alg);
}

/**
 * header.payload.signature where the header is a JSON object naming its `alg` and the payload a
 * JSON object (RFC 7519's claims set: a garbled or cut payload is no token anyone can use), not
 * signed with one of the published sample keys.
 */
function jwt(secret: string): boolean {
  const parts = secret.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0 && p !== parts[2])) return false;
  const alg = jwtAlg(parts);
  return alg !== null && jwtObject(parts[1]) !== null && !signedWithPublicKey(parts, alg);
}

/** The registered claims of a JWT's payload that say whose it is and until when (RFC 7519 4.1), or null. */
export interface JwtClaims {
  iss?: string;
  /** Seconds since 1970 (NumericDate). */
  exp?: number;
}

export function jwtClaims(secret: string): JwtClaims | null {
  const payload = secret.split('.')[1];
  const claims = payload === undefined ? null : jwtObject(payload);
  if (!claims) return null;
  const { iss, exp } = claims;
  return {
    ...(typeof iss === 'string' ? { iss } : {}),
    ...(typeof exp === 'number' && Number.isFinite(exp) ? { exp } : {}),
  };
}

/**
 * Whether a JWT's exp claim lies before `now` (milliseconds): every verifier rejects it, so it
 * authenticates no one any more (RFC 7519 4.1.4). A token without exp never expires.
 */
export function jwtExpired(secret: string, now: number): boolean {
  const exp = jwtClaims(secret)?.exp;
  return exp !== undefined && exp * 1000 < now;
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

/** Reads one unsigned LEB128 varint at `at`; null when it runs past the end. */
function readVarint(bytes: Buffer, at: number): { value: number; next: number } | null {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.length && shift < 35; shift += 7, i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
  }
  return null;
}

/**
 * `pypi-` + base64url of a version 2 binary macaroon: byte 0x02, then fields of (type varint,
 * length varint, data). Header: optional location (1), identifier (2), end (0); each caveat:
 * optional location (1), identifier (2), optional verification id (4), end (0); an end (0)
 * after the caveats; then the 32-byte signature (6) closing the token. A token cut short, or
 * with characters changed inside a length or type byte, does not parse.
 */
function pypiMacaroon(secret: string): boolean {
  if (!secret.startsWith('pypi-') || !/^[A-Za-z0-9_-]+$/.test(secret.slice(5))) return false;
  const bytes = Buffer.from(secret.slice(5), 'base64url');
  if (bytes[0] !== 2) return false;
  let at = 1;
  const field = (): { type: number; length: number } | null => {
    const type = readVarint(bytes, at);
    if (!type) return null;
    if (type.value === 0) {
      at = type.next;
      return { type: 0, length: 0 };
    }
    const length = readVarint(bytes, type.next);
    if (!length || length.next + length.value > bytes.length) return null;
    at = length.next + length.value;
    return { type: type.value, length: length.value };
  };
  /** One section: fields in ascending type order from `allowed`, closed by an end (0) field. */
  const section = (allowed: number[], required: number): boolean | 'empty' => {
    let last = 0;
    let seen = false;
    let first = true;
    for (;;) {
      const f = field();
      if (!f) return false;
      if (f.type === 0) return first ? 'empty' : seen;
      first = false;
      if (!allowed.includes(f.type) || f.type <= last) return false;
      if (f.type === required) seen = true;
      last = f.type;
    }
  };
  if (section([1, 2], 2) !== true) return false;
  for (;;) {
    const caveat = section([1, 2, 4], 2);
    if (caveat === 'empty') break;
    if (!caveat) return false;
  }
  const signature = field();
  return signature !== null && signature.type === 6 && signature.length === 32 && at === bytes.length;
}

/**
 * GitLab routable tokens: prefix + base64url(16 random bytes + routing payload + payload size
 * byte) + "." + 2-character base36 version (absent in the first routable tokens) + "." +
 * 2-character base36 length of the base64 part + 7-character base36 CRC32 of everything before
 * it, prefix included. Tokens without a trailer are the older random format and carry nothing
 * to check, so they pass.
 */
function gitlabRoutable(secret: string): boolean {
  const m = /^([A-Za-z0-9_-]+)\.(?:[0-9a-z]{2}\.)?([0-9a-z]{2})([0-9a-z]{7})$/.exec(secret);
  if (!m) return !secret.includes('.');
  const [, head, length, crc] = m;
  // The length holder counts the base64 part; what comes before it is the prefix (glpat-, glrt-t1_).
  const payloadLength = parseInt(length!, 36);
  if (payloadLength < 24 || payloadLength >= head!.length) return false;
  return zlib().crc32(Buffer.from(secret.slice(0, -7), 'latin1')).toString(36).padStart(7, '0') === crc;
}

/** Words people leave where a credential goes, and defaults documented as such. */
const PLACEHOLDER_WORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'pw', 'secret', 'token', 'key', 'apikey', 'none', 'null', 'nil', 'undefined',
  'empty', 'blank', 'todo', 'tbd', 'fixme', 'dummy', 'sample', 'foo', 'bar', 'foobar', 'changeit', 'mypassword', 'yourpassword',
  'secretkey', 'mysecret', 'notasecret', 'false', 'true',
]);

/**
 * A value somebody set, however short or plain, rather than a placeholder, a reference to a value
 * kept elsewhere, or an encrypted one. In a credential file (.netrc, wp-config.php) even `admin`
 * is a leak; `password`, `***`, `$DB_PASS`, `%(pw)s`, `@db.password@`, `#{vault}`, `ENC(…)`,
 * `{cipher}…`, `!vault`, `op://…` and Maven's `{base64}` are not. Gates credential-file rules.
 */
function credentialValue(secret: string): boolean {
  const v = secret.trim();
  if (v.length === 0 || /^(.)\1*$/.test(v)) return false;
  if (PLACEHOLDER_WORDS.has(v.toLowerCase().replace(/[-_ .]/g, ''))) return false;
  // References and templates: shell, Python %, Maven @…@, Ruby/Spring #{…}, jasypt ENC(…), Spring
  // Cloud {cipher}, Ansible !vault, secret-manager URIs; a constant's name (DB_PASSWORD).
  if (/^(?:\$\{|\$\(|\$[A-Za-z_]\w*$|%\(\w+\)s$|%\{|%[A-Za-z_]\w*%$|@[\w.-]+@$|#\{|\{\{|<.*>$|ENC\(|\{cipher\}|!vault|vault:|op:\/\/|arn:aws:secretsmanager:|ref\+|sm:\/\/)/i.test(v)) return false;
  if (/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(v)) return false;
  return !/^\{[A-Za-z0-9+/=]{8,}\}$/.test(v); // Maven settings-security: encrypted
}

/** Base64 of `user:password` (Docker `auth`, HTTP Basic): printable text with a colon, both sides set. */
function basicAuthPair(secret: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || secret.length < 8) return false;
  const text = Buffer.from(secret, 'base64').toString('latin1');
  const colon = text.indexOf(':');
  return colon > 0 && colon < text.length - 1 && /^[\x20-\x7e]+$/.test(text) && credentialValue(text.slice(colon + 1));
}

/** The fixed string Cisco IOS's type 7 password encoding XORs with, from the offset its first two digits give (published in Cisco's own advisories and tools). */
const CISCO_TYPE7_KEY = 'dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87';

/**
 * A Cisco IOS type 7 value (two decimal digits, an offset into the key, then hex pairs) that decodes
 * to a printable password: the encoding only hides a password, anyone can reverse it. A hex string
 * that does not decode to printable text is something else.
 */
function ciscoType7(secret: string): boolean {
  const m = /^([0-9]{2})((?:[0-9A-Fa-f]{2})+)$/.exec(secret);
  if (!m) return false;
  const offset = Number(m[1]);
  if (offset >= CISCO_TYPE7_KEY.length) return false;
  let text = '';
  for (let i = 0; i < m[2]!.length; i += 2) {
    const c = parseInt(m[2]!.slice(i, i + 2), 16) ^ CISCO_TYPE7_KEY.charCodeAt((offset + i / 2) % CISCO_TYPE7_KEY.length);
    if (c < 0x21 || c > 0x7e) return false;
    text += String.fromCharCode(c);
  }
  // "cisco" is the password of Cisco's own examples (0822455D0A16 and its other offsets).
  return text.length >= 4 && !/^cisco$/i.test(text) && credentialValue(text);
}

/** PKCS #8 DER in front of a 32-byte Ed25519 seed (RFC 8410): how Node takes a raw private key. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * A JSON list of 64 byte values (0-255) that is an Ed25519 key pair: the first 32 are the seed and
 * the last 32 the public key derived from it (the keypair files of the Solana CLI and of Anchor's
 * target/deploy). 64 numbers that merely look like bytes do not derive.
 */
function ed25519KeypairBytes(secret: string): boolean {
  const values = secret.split(',').map((v) => v.trim());
  if (values.length !== 64 || values.some((v) => !/^[0-9]{1,3}$/.test(v) || Number(v) > 255)) return false;
  const bytes = Buffer.from(values.map(Number));
  try {
    const key = crypto().createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    const spki = crypto().createPublicKey(key).export({ format: 'der', type: 'spki' });
    return spki.subarray(spki.length - 32).equals(bytes.subarray(32));
  } catch {
    return false;
  }
}

/** BIP-39's English word list (rules/_bip39-english.txt), read on the first candidate phrase. */
const BIP39_FILE = new URL('../../rules/_bip39-english.txt', import.meta.url);
let bip39Words: Map<string, number> | null = null;

/** Phrases published as development or test wallets (Hardhat/Anvil, Ganache's deterministic mode). */
const PUBLIC_MNEMONICS = new Set([
  'test test test test test test test test test test test junk',
  'myth like bonus scare over problem client lizard pioneer submit female collect',
]);

/**
 * A BIP-39 recovery phrase: 12, 15, 18, 21 or 24 words of the English list whose last bits are
 * the SHA-256 checksum of the entropy the others encode (one in 16 to 256 random word sequences
 * passes). Public development phrases and phrases whose entropy is one repeated byte (BIP-39's
 * test vectors: abandon … about, zoo … wrong, legal winner …, letter advice …) are not secrets.
 */
function bip39Mnemonic(secret: string): boolean {
  const words = secret.trim().toLowerCase().split(/\s+/);
  if (![12, 15, 18, 21, 24].includes(words.length)) return false;
  if (PUBLIC_MNEMONICS.has(words.join(' '))) return false;
  bip39Words ??= new Map(readFileSync(BIP39_FILE, 'utf8').split(/\s+/).filter(Boolean).map((w, i) => [w, i]));
  let bits = '';
  for (const w of words) {
    const index = bip39Words.get(w);
    if (index === undefined) return false;
    bits += index.toString(2).padStart(11, '0');
  }
  const checksumBits = bits.length / 33;
  const entropyBits = bits.slice(0, bits.length - checksumBits);
  const entropy = Buffer.from(entropyBits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  if (entropy.every((b) => b === entropy[0])) return false;
  const hash = crypto().createHash('sha256').update(entropy).digest();
  const expected = [...hash].map((b) => b.toString(2).padStart(8, '0')).join('').slice(0, checksumBits);
  return expected === bits.slice(bits.length - checksumBits);
}

export const VALIDATORS: Readonly<Record<string, Validator>> = {
  'bip39-mnemonic': bip39Mnemonic,
  'ed25519-keypair-bytes': ed25519KeypairBytes,
  'cisco-type7': ciscoType7,
  'crc32-base62': crc32Base62,
  jwt,
  'random-token': randomToken,
  'not-encoded-text': notEncodedText,
  'pypi-macaroon': pypiMacaroon,
  'gitlab-routable': gitlabRoutable,
  'credential-value': credentialValue,
  'basic-auth-pair': basicAuthPair,
};
