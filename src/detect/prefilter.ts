// The one pass over a buffer that says which rules may match, and where: keywords, their base64 forms, join markers.
import type { CompiledRule } from '../rules/compile.js';
import { keyLiteral, LiteralTable, type PrefilterTable } from '../rules/prefilter-table.js';
import { LazyLiteralSet, literalAt } from './literals.js';
import { ScopedRules } from './scoped-rules.js';

export { base64Forms, prefilterTable, type PrefilterTable } from '../rules/prefilter-table.js';

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
  /** The literals and the rules each enables (lists one after another, see PrefilterTable). */
  private readonly table: PrefilterTable;
  /** Per literal: 1 when it is a base64 form of some rule's keyword. */
  private readonly encoded: Uint8Array;
  /** Per literal: 1 when it marks joined string literals. */
  private readonly join: Uint8Array;
  private readonly set: LazyLiteralSet;
  private readonly lineScoped: boolean[];
  /** Rules with no keywords (imported gitleaks rules may have none): they run on every buffer. */
  private readonly always: number[];
  /** Rules scoped to some files (`paths`): looked for only in the files they name (see ScopedRules). */
  private readonly scoped: ScopedRules | null;
  /**
   * Literals that begin with a line break (`\nEAA`: a value at the start of a line), with the bytes
   * after it: also looked for at the start of a buffer, whose first line has no line break before
   * it (a file holding only a token, a decoded base64 value).
   */
  private readonly atStart: { index: number; rest: Uint8Array; exact: boolean }[] = [];

  /** With `table` (the built-in rules' literals, made by the build), only the rules it lacks are worked out here. */
  constructor(rules: CompiledRule[], table?: PrefilterTable, largeInput = false) {
    this.lineScoped = rules.map((r) => r.spec.scope === 'line');
    this.always = rules.flatMap((r, i) => (r.spec.keywords.length === 0 && !r.appliesTo ? [i] : []));
    this.scoped = rules.some((r) => r.appliesTo) ? new ScopedRules(rules) : null;
    let own: PrefilterTable | null = null;
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
      const rest = rules.flatMap((_, i) => (covered[i] ? [] : [i]));
      // The shipped rules as built, none disabled, none added (the usual scan): the table as it is
      // (shared, never written to). Otherwise its rules are renumbered and the scan's own added.
      if (rest.length > 0 || !map.every((to, from) => to === from)) {
        const t = LiteralTable.from(table, map);
        for (const i of rest) t.addRule(rules[i]!.spec, i);
        own = t.toTable([]);
      }
    } else {
      const t = new LiteralTable();
      rules.forEach((r, i) => t.addRule(r.spec, i));
      t.addJoinMarkers();
      own = t.toTable([]);
    }
    // LiteralSet reports every occurrence of every literal, also one inside a longer literal
    // (a keyword inside another's base64 form): each literal enables only its own rules.
    this.table = own ?? table!;
    const n = this.table.literals.length;
    this.encoded = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (this.table.encodedByAt[i + 1]! > this.table.encodedByAt[i]!) this.encoded[i] = 1;
    this.join = new Uint8Array(n);
    for (const i of this.table.join) this.join[i] = 1;
    this.set = new LazyLiteralSet(this.table.literals, this.table.trigrams, largeInput);
    this.table.literals.forEach((key, index) => {
      const { text, exact } = keyLiteral(key);
      if (text.length >= 3 && text.charCodeAt(0) === 10) this.atStart.push({ index, rest: Buffer.from(text.slice(1), 'latin1'), exact });
    });
  }

  /** With largeInput, builds the LiteralSet and its scanner now rather than at the first input. */
  prepare(): void {
    this.set.prepare();
  }

  /** Rules to run on `buf` (found at `path`), and whether a base64 span there may hide a keyword. */
  run(buf: Buffer, path: string | undefined): PrefilterResult {
    const active = new Set<number>(this.always);
    const lines = new Map<number, number[]>();
    const near = new Map<number, number[]>();
    let base64 = false;
    const joins: number[] = [];
    const { enables, enablesAt } = this.table;
    const hit = (i: number, at: number) => {
      if (this.join[i] && joins.length < MAX_LINE_HITS) joins.push(at);
      for (let k = enablesAt[i]!, end = enablesAt[i + 1]!; k < end; k++) {
        const id = enables[k]!;
        active.add(id);
        addHit(this.lineScoped[id] ? lines : near, id, at);
      }
      if (this.encoded[i]) base64 = true;
    };
    this.set.scan(buf, hit);
    for (const s of this.atStart) if (buf.length >= s.rest.length && literalAt(buf, 0, s.rest, s.exact)) hit(s.index, 0);
    // Past the cap, the rule runs over the whole buffer (no offsets for it).
    for (const byRule of [lines, near]) for (const [id, list] of byRule) if (list.length >= MAX_LINE_HITS) byRule.delete(id);
    joins.sort((a, b) => a - b);
    if (path !== undefined) this.scoped?.run(buf, path, active, (id, at) => {
      if (this.lineScoped[id]) addHit(lines, id, at);
    });
    return { rules: active, base64, lines, near, joins };
  }
}
