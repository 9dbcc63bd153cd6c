// The one pass over a buffer that says which rules may match, and where: keywords, their base64 forms, join markers.
import type { CompiledRule } from '../rules/compile.js';
import type { RuleSpec } from '../types.js';
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
 * The prefilter's literals for a list of rules, as the build writes them into the built-in rule
 * bundle (see loadBuiltinRules): keywords and their base64 forms for ~1,100 rules make ~9,000
 * literals, and working them out cost a pre-commit scan ~40 ms. Rules are referred to by their
 * index in `ids`; a scan's own list (rules disabled, rules of its own added) is mapped onto it.
 */
export interface PrefilterTable {
  /** The rule ids, in the order the other fields refer to. */
  ids: string[];
  /** Per literal: `=` and the text as written (exact), or `~` and the text lowered. */
  literals: string[];
  /** Per literal: the rules (indices into ids) its occurrence enables. */
  enables: number[][];
  /** Per literal: the rules whose keywords it is a base64 form of. */
  encodedBy: number[][];
  /** The literals that are markers of joined string literals (see concat.ts). */
  join: number[];
}

/** What the prefilter needs of a rule to make its literals. */
type RuleKeywords = Pick<RuleSpec, 'keywords' | 'keywordCase' | 'paths'>;

/** Collects literals, each once, with the rules they enable (lists without repeats, in rule order). */
class LiteralTable {
  readonly keys: string[] = [];
  readonly enables: number[][] = [];
  readonly encodedBy: number[][] = [];
  readonly join: boolean[] = [];
  private index?: Map<string, number>;

  /** Starts from a built table, with its rules renumbered by `map` (-1: not in this scan). */
  static from(table: PrefilterTable, map: Int32Array, extras: boolean): LiteralTable {
    const t = new LiteralTable();
    // The shipped rules as built, none disabled, none added (the usual scan): the table's lists
    // as they are (shared, so only when no rule of this scan's own will be added to them).
    const same = !extras && map.every((to, from) => to === from);
    const renumber = (list: number[]): number[] => {
      if (same) return list;
      const out: number[] = [];
      for (const b of list) if (map[b]! >= 0) out.push(map[b]!);
      return out;
    };
    t.keys.push(...table.literals);
    for (let i = 0; i < table.literals.length; i++) {
      t.enables.push(renumber(table.enables[i]!));
      t.encodedBy.push(renumber(table.encodedBy[i]!));
      t.join.push(false);
    }
    for (const i of table.join) t.join[i] = true;
    return t;
  }

  private add(text: string, exact: boolean): number {
    const key = `${exact ? '=' : '~'}${exact ? text : text.toLowerCase()}`;
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
  return {
    ids: rules.map((r) => r.id),
    literals: t.keys,
    enables: t.enables,
    encodedBy: t.encodedBy,
    join: t.join.flatMap((j, i) => (j ? [i] : [])),
  };
}

/**
 * Which rules may match a buffer, decided in one pass over its bytes (see LiteralSet): every
 * rule keyword, and the base64 forms of keywords, which say a base64 span may hide a key.
 */
export class Prefilter {
  private readonly literals: Literal[];
  /** Per literal: the rules it enables. */
  private readonly enables: number[][];
  private readonly encoded: boolean[];
  private readonly join: boolean[];
  private readonly set: LazyLiteralSet;
  private readonly lineScoped: boolean[];
  /** Rules with no keywords (imported gitleaks rules may have none): they run on every buffer. */
  private readonly always: number[];
  /** Rules scoped to some files (`paths`): looked for only in the files they name (see ScopedRules). */
  private readonly scoped: ScopedRules | null;

  /** With `table` (the built-in rules' literals, made by the build), only the rules it lacks are worked out here. */
  constructor(rules: CompiledRule[], table?: PrefilterTable) {
    this.lineScoped = rules.map((r) => r.spec.scope === 'line');
    this.always = rules.flatMap((r, i) => (r.spec.keywords.length === 0 && !r.appliesTo ? [i] : []));
    this.scoped = rules.some((r) => r.appliesTo) ? new ScopedRules(rules) : null;
    let t: LiteralTable;
    let rest: number[];
    if (table) {
      const at = new Map<string, number>();
      rules.forEach((r, i) => at.set(r.spec.id, i));
      const map = new Int32Array(table.ids.length);
      const covered = new Uint8Array(rules.length);
      table.ids.forEach((id, b) => {
        const i = at.get(id);
        map[b] = i ?? -1;
        if (i !== undefined) covered[i] = 1;
      });
      rest = rules.flatMap((_, i) => (covered[i] ? [] : [i]));
      t = LiteralTable.from(table, map, rest.length > 0);
    } else {
      t = new LiteralTable();
      rest = rules.map((_, i) => i);
    }
    for (const i of rest) t.addRule(rules[i]!.spec, i);
    if (!table) t.addJoinMarkers();
    // LiteralSet reports every occurrence of every literal, also one inside a longer literal
    // (a keyword inside another's base64 form): each literal enables only its own rules.
    this.literals = t.keys.map((k) => ({ text: k.slice(1), exact: k[0] === '=' }));
    this.enables = t.enables;
    this.encoded = t.encodedBy.map((ids) => ids.length > 0);
    this.join = t.join;
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
