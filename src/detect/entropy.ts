import type { Charset, EntropyGate } from '../types.js';

/** Shannon entropy of a string in bits per character (counted over UTF-16 code units). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A UUID: 32 hex digits in groups of 8-4-4-4-12, either case. */
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})$/;

/**
 * The narrowest charset a secret is written in, which bounds the entropy it can reach. A UUID is
 * hex: its four dashes sit at fixed places and carry no randomness.
 */
export function charsetOf(s: string): Charset {
  if (/^[0-9a-fA-F]+$/.test(s) && (/^[0-9a-f]+$/.test(s) || /^[0-9A-F]+$/.test(s))) return 'hex';
  if (UUID.test(s)) return 'hex';
  if (/^[0-9A-Za-z]+$/.test(s)) return 'alnum';
  if (/^[0-9A-Za-z+/=_-]+$/.test(s)) return 'base64';
  return 'any';
}

const CHARSET_SIZE: Record<Charset, number> = { hex: 16, alnum: 62, base64: 64, any: 94 };

/**
 * The most entropy a string of this length can have in its charset: log2 of the number of
 * distinct symbols it can hold. A short string cannot reach its alphabet's entropy.
 */
export function maxEntropy(length: number, charset: Charset): number {
  return Math.log2(Math.max(1, Math.min(length, CHARSET_SIZE[charset])));
}

/**
 * Whether a secret passes an entropy gate. A per-charset threshold falls back from the secret's
 * own charset to `any`; a `relative` gate compares with maxEntropy(). Both must hold when set.
 */
export function passesEntropy(gate: EntropyGate | undefined, secret: string, entropy: number): boolean {
  if (gate === undefined) return true;
  if (typeof gate === 'number') return entropy >= gate;
  const charset = charsetOf(secret);
  const min = gate[charset] ?? gate.any;
  if (min !== undefined && entropy < min) return false;
  return gate.relative === undefined || entropy >= gate.relative * maxEntropy(secret.length, charset);
}
