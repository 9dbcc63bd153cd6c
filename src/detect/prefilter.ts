// The one pass over a buffer that says which rules may match, and where: keywords, their base64 forms, join markers.
import type { CompiledRule } from '../rules/compile.js';
import { JOIN_MARKERS } from './concat.js';
import { LazyLiteralSet, type Literal } from './literals.js';
import { ScopedRules } from './scoped-rules.js';

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

const MAX_LINE_HITS = 20_000;

/** Records a keyword offset for rule `id`; past MAX_LINE_HITS the list stops growing (see run). */
function addHit(byRule: Map<number, number[]>, id: number, at: number): void {
  const list = byRule.get(id);
  if (list === undefined) byRule.set(id, [at]);
  else if (list.length < MAX_LINE_HITS) list.push(at);
}

export interface PrefilterResult {
  rules: Set<number>;
  base64: boolean;
  /** Offsets of markers of joined string literals (see concat.ts). */
  joins: number[];
  /** For line-scoped rules: offsets of their keywords (absent: scan the whole buffer). */
  lines: Map<number, number[]>;
  /**
   * For the other rules that keywords enabled: offsets of their keywords (absent: past the cap,
   * scan the whole buffer). A rule whose matches have a bounded length runs on windows around them.
   */
  near: Map<number, number[]>;
}

/** A line longer than this (a minified bundle, a source map) is searched in windows around each hit. */
const LONG_LINE = 16 * 1024;
/** How far a window reaches before and after a keyword: past the longest match that holds it. */
const WINDOW_BEFORE = 1536;
const WINDOW_AFTER = 2048;

/**
 * Byte ranges to search for line-scoped rules: the distinct lines holding `offsets`, and on a
 * line of more than 16 KiB only windows around the offsets (merged where they overlap). A
 * line-scoped match holds its keyword and is far shorter than a window, so nothing is lost, while
 * thousands of keywords on one 5 MB minified line no longer cost a search of the whole line each
 * time a rule's keyword occurs there.
 */
export function linesAround(buf: Buffer, offsets: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  const sorted = offsets.length > 1 ? offsets.slice().sort((a, b) => a - b) : offsets;
  let line: [number, number] = [-1, -1];
  let window: [number, number] | null = null;
  const flush = () => {
    if (window) ranges.push(window);
    window = null;
  };
  for (const at of sorted) {
    if (at < line[0] || at >= line[1]) {
      flush();
      const start = at === 0 ? 0 : buf.lastIndexOf(10, at - 1) + 1;
      const nl = buf.indexOf(10, at);
      line = [start, nl === -1 ? buf.length : nl];
      if (line[1] - line[0] <= LONG_LINE) {
        ranges.push(line);
        continue;
      }
    } else if (line[1] - line[0] <= LONG_LINE) continue;
    const from = Math.max(line[0], at - WINDOW_BEFORE);
    const to = Math.min(line[1], at + WINDOW_AFTER);
    if (window && from <= window[1]) window[1] = Math.max(window[1], to);
    else {
      flush();
      window = [from, to];
    }
  }
  flush();
  return ranges;
}

/**
 * Byte ranges around `offsets` (keyword occurrences) that hold every match of a rule that holds one
 * of them, for a rule whose matches reach at most `reach` bytes from any byte inside them: each
 * offset widened by `reach + 1` on both sides, merged where they meet, clipped to the buffer. The
 * extra byte keeps a match that holds a keyword off the edges of its range, so a match that touches
 * an edge cut inside the buffer holds none and is dropped (see Detector.matchRule).
 */
export function windowsAround(length: number, offsets: number[], reach: number): [number, number][] {
  const sorted = offsets.length > 1 ? offsets.slice().sort((a, b) => a - b) : offsets;
  const ranges: [number, number][] = [];
  for (const at of sorted) {
    const from = Math.max(0, at - reach - 1);
    const to = Math.min(length, at + reach + 1);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  return ranges;
}

/**
 * Which rules may match a buffer, decided in one pass over its bytes (see LiteralSet): every
 * rule keyword, and the base64 forms of keywords, which say a base64 span may hide a key.
 */
export class Prefilter {
  private readonly literals: Literal[] = [];
  /** Per literal: the rules it enables. */
  private readonly enables: number[][];
  private readonly encoded: boolean[] = [];
  private readonly join: boolean[] = [];
  private readonly set: LazyLiteralSet;
  private readonly lineScoped: boolean[];
  /** Rules with no keywords (imported gitleaks rules may have none): they run on every buffer. */
  private readonly always: number[];
  /** Rules scoped to some files (`paths`): looked for only in the files they name (see ScopedRules). */
  private readonly scoped: ScopedRules | null;

  constructor(rules: CompiledRule[]) {
    this.lineScoped = rules.map((r) => r.spec.scope === 'line');
    this.always = rules.flatMap((r, i) => (r.spec.keywords.length === 0 && !r.appliesTo ? [i] : []));
    this.scoped = rules.some((r) => r.appliesTo) ? new ScopedRules(rules) : null;
    const index = new Map<string, number>();
    const byLiteral: Set<number>[] = [];
    const add = (text: string, exact: boolean, rule: number | null | 'join') => {
      const key = `${exact ? '=' : '~'}${exact ? text : text.toLowerCase()}`;
      let i = index.get(key);
      if (i === undefined) {
        i = this.literals.push({ text: exact ? text : text.toLowerCase(), exact }) - 1;
        index.set(key, i);
        byLiteral[i] = new Set();
        this.encoded[i] = false;
        this.join[i] = false;
      }
      if (rule === null) this.encoded[i] = true;
      else if (rule === 'join') this.join[i] = true;
      else byLiteral[i]!.add(rule);
    };
    rules.forEach((rule, r) => {
      // Keywords as written: key prefixes (sk_live_, AKIA, ghp_) keep their case inside an encoded key.
      // Rules scoped to some files too: a Kubernetes Secret's data holds Docker's auths JSON in base64.
      for (const kw of rule.spec.keywords) for (const form of base64Forms(kw)) add(form, true, null);
      if (rule.appliesTo) return;
      const exact = rule.spec.keywordCase === 'exact';
      for (const kw of rule.spec.keywords) add(kw, exact, r);
    });
    for (const marker of JOIN_MARKERS) add(marker, true, 'join');
    // LiteralSet reports every occurrence of every literal, also one inside a longer literal
    // (a keyword inside another's base64 form): each literal enables only its own rules.
    this.enables = byLiteral.map((ids) => [...ids]);
    this.set = new LazyLiteralSet(this.literals);
  }

  /** Rules to run on `buf` (found at `path`), and whether a base64 span there may hide a keyword. */
  run(buf: Buffer, path: string | undefined): PrefilterResult {
    const active = new Set<number>(this.always);
    const lines = new Map<number, number[]>();
    const near = new Map<number, number[]>();
    let base64 = false;
    const joins: number[] = [];
    this.set.scan(buf, (i, at) => {
      if (this.join[i] && joins.length < MAX_LINE_HITS) joins.push(at);
      for (const id of this.enables[i]!) {
        active.add(id);
        addHit(this.lineScoped[id] ? lines : near, id, at);
      }
      if (this.encoded[i]) base64 = true;
    });
    // Past the cap, the rule runs over the whole buffer (no offsets for it).
    for (const byRule of [lines, near]) for (const [id, list] of byRule) if (list.length >= MAX_LINE_HITS) byRule.delete(id);
    joins.sort((a, b) => a - b);
    if (path !== undefined) this.scoped?.run(buf, path, active, (id, at) => {
      if (this.lineScoped[id]) addHit(lines, id, at);
    });
    return { rules: active, base64, lines, near, joins };
  }
}
