// The literals the prefilter looks for, worked out from rule keywords: the keywords, their base64
// forms, the markers of joined string literals. In the rules layer because the build writes them
// into the rule bundle (see loadBuiltinRules); the detector maps a scan's rules onto them.
import type { RuleSpec } from '../types.js';
import { FOLD, rarestTrigram } from './trigrams.js';

/**
 * Byte sequences that say literals are being joined: `"a" + "b"`, `'a'+'b'`, `"a" "b"` (implicit
 * concatenation), a `+` ending the line after a literal, `.append("…")` chains, `concat(`,
 * `[…].join('')`, template literals joined with `+`. The prefilter finds them in its single
 * pass; only the statements holding one are read (detect/concat.ts).
 */
export const JOIN_MARKERS = ['" +', '"+"', '" "', "' +", "'+'", "' '", '`+`', '` +', '.append(', 'concat(', ".join('')", '.join("")'];

/**
 * The stretches of base64 text that encode `keyword` wherever it sits in the plain text (three
 * alignments), without the edge characters that depend on neighbouring bytes. Finding one of these
 * is what makes decoding a base64 span worth it. Forms under 5 characters are left out: they would
 * hit by chance all over base64 data (hashes, images).
 */
export function base64Forms(keyword: string): string[] {
  // Encoded by hand: thousands of keywords are encoded at every start, and three Buffers per
  // keyword cost more than the rest of the prefilter's set-up (test/detect/prefilter-small.test.ts
  // compares with Buffer's encoder).
  const bytes = utf8Bytes(keyword);
  const forms: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const from = Math.ceil((8 * pad) / 6);
    const to = Math.floor((8 * (pad + bytes.length)) / 6);
    if (to - from < 5) continue;
    let form = '';
    for (let c = from; c < to; c++) {
      // Character c of the encoding of pad zero bytes then the keyword covers bits 6c .. 6c+5.
      let v = 0;
      for (let bit = 6 * c; bit < 6 * c + 6; bit++) {
        const byteAt = (bit >> 3) - pad;
        const byte = byteAt >= 0 && byteAt < bytes.length ? bytes[byteAt]! : 0;
        v = (v << 1) | ((byte >> (7 - (bit & 7))) & 1);
      }
      form += BASE64_ALPHABET[v];
    }
    forms.push(form);
  }
  return forms;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** UTF-8 bytes of a string, as numbers (keywords are short: no Buffer needed). */
function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/**
 * The prefilter's literals for a list of rules, as the build writes them into the built-in rule
 * bundle (see loadBuiltinRules): keywords and their base64 forms for ~1,100 rules make ~9,000
 * literals, and working them out cost a pre-commit scan ~40 ms. Rules are referred to by their
 * index in `ids`; a scan's own list (rules disabled, rules of its own added) is mapped onto it.
 * Each literal's lists are stored one after another in one flat list (literal i's in
 * [at[i], at[i + 1])): ~18,000 small arrays, most of them empty, made the bundle's parse and the
 * collector's copies after it a large part of a pre-commit scan's start-up.
 */
export interface PrefilterTable {
  /** The rule ids, in the order the other fields refer to. */
  ids: string[];
  /** Per literal: `=` and the text as written (exact), or `~` and the text lowered. */
  literals: string[];
  /** The rules (indices into ids) each literal's occurrence enables, literal after literal. */
  enables: number[];
  /** Where each literal's rules start in `enables`, and after the last, its length. */
  enablesAt: number[];
  /** The rules whose keywords each literal is a base64 form of, literal after literal. */
  encodedBy: number[];
  encodedByAt: number[];
  /** The literals that are markers of joined string literals (see concat.ts). */
  join: number[];
  /** Per literal: literalTrigram of it (what small inputs are searched by). */
  trigrams: number[];
}

/**
 * A trigram every occurrence of the literal `key` holds, as the prefilter folds bytes (A-Z
 * lowered; a character as its low byte, as in latin1): its rarest (see rarestTrigram) as one
 * number, or -1 for a literal of two bytes. An input without it cannot hold the literal.
 */
export function literalTrigram(key: string): number {
  if (key.length < 4) return -1;
  const folded: number[] = [];
  for (let i = 1; i < key.length; i++) folded.push(FOLD[key.charCodeAt(i) & 0xff]!);
  const at = rarestTrigram(folded);
  return (folded[at]! << 16) | (folded[at + 1]! << 8) | folded[at + 2]!;
}

/** A literal as the prefilter's tables key it: `=` and its text (exact), or `~` and its text lowered. */
export function literalKey(text: string, exact: boolean): string {
  return exact ? `=${text}` : `~${text.toLowerCase()}`;
}

/** The literal a key (see literalKey) stands for. */
export function keyLiteral(key: string): { text: string; exact: boolean } {
  return { text: key.slice(1), exact: key.charCodeAt(0) === 61 }; // '='
}

/** Lists one after another, and where each starts (see PrefilterTable). */
function flatten(lists: number[][]): { flat: number[]; at: number[] } {
  const flat: number[] = [];
  const at: number[] = [0];
  for (const list of lists) {
    for (const x of list) flat.push(x);
    at.push(flat.length);
  }
  return { flat, at };
}

/** What the prefilter needs of a rule to make its literals. */
type RuleKeywords = Pick<RuleSpec, 'keywords' | 'keywordCase' | 'paths'>;

/** Collects literals, each once, with the rules they enable (lists without repeats, in rule order). */
export class LiteralTable {
  readonly keys: string[] = [];
  readonly enables: number[][] = [];
  readonly encodedBy: number[][] = [];
  readonly join: boolean[] = [];
  private index?: Map<string, number>;

  /** Starts from a built table, with its rules renumbered by `map` (-1: not in this scan). */
  static from(table: PrefilterTable, map: Int32Array): LiteralTable {
    const t = new LiteralTable();
    const renumber = (flat: number[], from: number, to: number): number[] => {
      const out: number[] = [];
      for (let k = from; k < to; k++) if (map[flat[k]!]! >= 0) out.push(map[flat[k]!]!);
      return out;
    };
    for (let i = 0; i < table.literals.length; i++) {
      t.keys.push(table.literals[i]!);
      t.enables.push(renumber(table.enables, table.enablesAt[i]!, table.enablesAt[i + 1]!));
      t.encodedBy.push(renumber(table.encodedBy, table.encodedByAt[i]!, table.encodedByAt[i + 1]!));
      t.join.push(false);
    }
    for (const i of table.join) t.join[i] = true;
    return t;
  }

  /** The table of what was added, its rules named by `ids`. */
  toTable(ids: string[]): PrefilterTable {
    const enables = flatten(this.enables);
    const encodedBy = flatten(this.encodedBy);
    return {
      ids,
      literals: this.keys,
      enables: enables.flat,
      enablesAt: enables.at,
      encodedBy: encodedBy.flat,
      encodedByAt: encodedBy.at,
      join: this.join.flatMap((j, i) => (j ? [i] : [])),
      trigrams: this.keys.map(literalTrigram),
    };
  }

  private add(text: string, exact: boolean): number {
    const key = literalKey(text, exact);
    this.index ??= new Map(this.keys.map((k, i) => [k, i]));
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.keys.push(key) - 1;
      this.index.set(key, i);
      this.enables.push([]);
      this.encodedBy.push([]);
      this.join.push(false);
    }
    return i;
  }

  addRule(rule: RuleKeywords, r: number): void {
    const once = (list: number[]) => {
      if (list[list.length - 1] !== r) list.push(r);
    };
    // Keywords as written: key prefixes (sk_live_, AKIA, ghp_) keep their case inside an encoded key.
    // Rules scoped to some files too: a Kubernetes Secret's data holds Docker's auths JSON in base64.
    for (const kw of rule.keywords) for (const form of base64Forms(kw)) once(this.encodedBy[this.add(form, true)]!);
    if (rule.paths) return;
    const exact = rule.keywordCase === 'exact';
    for (const kw of rule.keywords) once(this.enables[this.add(kw, exact)]!);
  }

  addJoinMarkers(): void {
    for (const marker of JOIN_MARKERS) this.join[this.add(marker, true)] = true;
  }
}

/** The table of `rules` (run by the build for the shipped rules). */
export function prefilterTable(rules: (RuleKeywords & { id: string })[]): PrefilterTable {
  const t = new LiteralTable();
  rules.forEach((rule, r) => t.addRule(rule, r));
  t.addJoinMarkers();
  return t.toTable(rules.map((r) => r.id));
}
