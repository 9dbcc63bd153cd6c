import RE2 from 're2';
import type { Encoding, Match, RuleSpec } from '../types.js';
import { compileAny, compileRule, type CompiledRule } from '../rules/compile.js';
import { decodeSpans, readsAsText } from './decode.js';
import { passesEntropy, shannonEntropy } from './entropy.js';
import { LineIndex } from './lines.js';
import { LiteralSet, type Literal } from './literals.js';

export interface DetectorOptions {
  rules: RuleSpec[];
  /** Patterns for placeholders that are never secrets, from rules/_allow.yml. */
  placeholders: string[];
  /** Look inside base64 and percent-encoded spans (one level deep). Default true. */
  decode?: boolean;
}

interface RawMatch {
  rule: CompiledRule;
  order: number;
  /** Byte range of the secret, or of the encoded span that hid it. */
  start: number;
  end: number;
  secret: string;
  entropy: number;
  encoding?: Encoding;
  matchText?: string;
}

/**
 * The stretches of base64 text that encode `keyword` wherever it sits in the plain text (three
 * alignments), without the edge characters that depend on neighbouring bytes. Finding one of these
 * is what makes decoding a base64 span worth it. Forms under 5 characters are left out: they would
 * hit by chance all over base64 data (hashes, images).
 */
export function base64Forms(keyword: string): string[] {
  const bytes = Buffer.from(keyword);
  const forms: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const text = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const form = text.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
    if (form.length >= 5) forms.push(form);
  }
  return forms;
}

const MAX_LINE_HITS = 20_000;

interface PrefilterResult {
  rules: Set<number>;
  base64: boolean;
  /** For line-scoped rules: offsets of their keywords (absent: scan the whole buffer). */
  lines: Map<number, number[]>;
}

/**
 * Byte ranges of the distinct lines holding `offsets`. Offsets within the line found last are
 * skipped before any search, so thousands of keywords on one 5 MB minified line cost one search.
 */
function linesAround(buf: Buffer, offsets: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  const seen = new Set<number>();
  let last: [number, number] = [-1, -1];
  for (const at of offsets) {
    if (at >= last[0] && at < last[1]) continue;
    const start = at === 0 ? 0 : buf.lastIndexOf(10, at - 1) + 1;
    const nl = buf.indexOf(10, at);
    last = [start, nl === -1 ? buf.length : nl];
    if (seen.has(start)) continue;
    seen.add(start);
    ranges.push(last);
  }
  return ranges;
}

/**
 * Which rules may match a buffer, decided in one pass over its bytes (see LiteralSet): every
 * rule keyword, and the base64 forms of keywords, which say a base64 span may hide a key.
 */
class Prefilter {
  private readonly literals: Literal[] = [];
  /** Per literal: the rules it enables (a literal also enables the rules of literals inside it). */
  private readonly enables: number[][] = [];
  private readonly encoded: boolean[] = [];
  private readonly set: LiteralSet;
  private readonly lineScoped: boolean[];
  /** Rules with no keywords (imported gitleaks rules may have none): they run on every buffer. */
  private readonly always: number[];

  constructor(rules: CompiledRule[]) {
    this.lineScoped = rules.map((r) => r.spec.scope === 'line');
    this.always = rules.flatMap((r, i) => (r.spec.keywords.length === 0 ? [i] : []));
    const index = new Map<string, number>();
    const byLiteral: Set<number>[] = [];
    const add = (text: string, exact: boolean, rule: number | null) => {
      const key = `${exact ? '=' : '~'}${exact ? text : text.toLowerCase()}`;
      let i = index.get(key);
      if (i === undefined) {
        i = this.literals.push({ text: exact ? text : text.toLowerCase(), exact }) - 1;
        index.set(key, i);
        byLiteral[i] = new Set();
        this.encoded[i] = false;
      }
      if (rule === null) this.encoded[i] = true;
      else byLiteral[i]!.add(rule);
    };
    rules.forEach((rule, r) => {
      const exact = rule.spec.keywordCase === 'exact';
      for (const kw of rule.spec.keywords) add(kw, exact, r);
      // Keywords as written: key prefixes (sk_live_, AKIA, ghp_) keep their case inside an encoded key.
      for (const kw of rule.spec.keywords) for (const form of base64Forms(kw)) add(form, true, null);
    });
    // Each pair is compared once per worker: lower-case each literal once, and skip the literals
    // that enable no rule (base64 forms) or are longer than this one, which cannot occur inside it.
    const lowered = this.literals.map((lit) => lit.text.toLowerCase());
    const enabling = this.literals.flatMap((lit, j) => (byLiteral[j]!.size > 0 ? [j] : []));
    this.literals.forEach((lit, i) => {
      const ids = new Set(byLiteral[i]);
      for (const j of enabling) {
        const other = this.literals[j]!;
        if (j === i || other.text.length > lit.text.length) continue;
        const inside = other.exact ? lit.text.includes(other.text) : lowered[i]!.includes(other.text);
        if (inside) for (const id of byLiteral[j]!) ids.add(id);
      }
      this.enables[i] = [...ids];
    });
    this.set = new LiteralSet(this.literals);
  }

  /** Rules to run on `buf`, and whether a base64 span there may hide a keyword. */
  run(buf: Buffer): PrefilterResult {
    const active = new Set<number>(this.always);
    const lines = new Map<number, number[]>();
    let base64 = false;
    this.set.scan(buf, (i, at) => {
      for (const id of this.enables[i]!) {
        active.add(id);
        if (this.lineScoped[id]) {
          const list = lines.get(id) ?? [];
          // Past the cap, the rule runs over the whole buffer (lines === undefined for it).
          if (list.length < MAX_LINE_HITS) list.push(at);
          lines.set(id, list);
        }
      }
      if (this.encoded[i]) base64 = true;
    });
    for (const [id, list] of lines) if (list.length >= MAX_LINE_HITS) lines.delete(id);
    return { rules: active, base64, lines };
  }
}

/**
 * Bytes in, matches out. A prefilter pass finds which rule keywords (and which encoded forms of
 * them) occur; only the rules whose keywords occur run their own pattern.
 */
export class Detector {
  readonly rules: CompiledRule[];
  private readonly prefilter: Prefilter;
  private readonly placeholders: RE2 | null;
  private readonly decode: boolean;

  constructor(options: DetectorOptions) {
    this.rules = options.rules.map(compileRule);
    this.placeholders = compileAny(options.placeholders, 'rules/_allow.yml placeholders');
    this.decode = options.decode ?? true;
    this.prefilter = new Prefilter(this.rules);
  }

  private isPlaceholder(rule: CompiledRule, secret: string): boolean {
    return (rule.allow?.test(secret) ?? false) || (this.placeholders?.test(secret) ?? false);
  }

  /** Validator, entropy gate and placeholder lists: does this captured value stand as a secret? */
  private stands(rule: CompiledRule, secret: string, entropy: number): boolean {
    if (rule.validator && !rule.validator(secret)) return false;
    if (!passesEntropy(rule.spec.minEntropy, secret, entropy)) return false;
    return !this.isPlaceholder(rule, secret);
  }

  /** The line before the secret (bounded), where its name sits: rules' allow_context looks there. */
  private contextAllowed(rule: CompiledRule, buf: Buffer, secretStart: number): boolean {
    const re = rule.allowContext;
    if (!re) return false;
    const from = Math.max(buf.lastIndexOf(10, secretStart - 1) + 1, secretStart - 512);
    return re.test(buf.subarray(from, secretStart));
  }

  /** Runs one rule's pattern over buf[from, to) and keeps the matches that stand as secrets. */
  private matchRule(rule: CompiledRule, order: number, buf: Buffer, from: number, to: number, out: RawMatch[]): void {
    const text = from === 0 && to === buf.length ? buf : buf.subarray(from, to);
    const re = rule.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      const wanted = rule.spec.secretGroup;
      const group = wanted === undefined ? m.indices?.slice(1).find((g) => g !== undefined) : m.indices?.[wanted];
      if (!group) continue;
      const start = group[0] + from;
      const end = group[1] + from;
      const secret = buf.toString('utf8', start, end);
      const entropy = shannonEntropy(secret);
      if (!this.stands(rule, secret, entropy)) continue;
      if (rule.spec.fallback) {
        // A generic value in base64 (a Kubernetes Secret's data) is judged by what it encodes:
        // base64 of "changeme" is a placeholder, not a random key.
        const decoded = decodeBase64Text(secret);
        if (decoded !== null && !this.stands(rule, decoded, shannonEntropy(decoded))) continue;
      }
      if (this.contextAllowed(rule, buf, start)) continue;
      const whole = rule.spec.keepMatch ? m.indices?.[0] : undefined;
      const matchText = whole ? text.toString('utf8', whole[0], whole[1]) : undefined;
      out.push({ rule, order, start, end, secret, entropy, ...(matchText !== undefined ? { matchText } : {}) });
    }
  }

  private findRaw(buf: Buffer, depth: number): RawMatch[] {
    const { rules: active, base64, lines } = this.prefilter.run(buf);
    // An escaped `_` or `-` hides a key's prefix (sk%5Flive%5F), so any %XX escape is worth decoding.
    const percent = depth === 0 && this.decode && hasPercentEscape(buf);
    if (active.size === 0 && !base64 && !percent) return [];
    const out: RawMatch[] = [];
    for (const order of [...active].sort((a, b) => a - b)) {
      const rule = this.rules[order]!;
      const hits = lines.get(order);
      const ranges: [number, number][] = hits ? linesAround(buf, hits) : [[0, buf.length]];
      for (const [from, to] of ranges) this.matchRule(rule, order, buf, from, to, out);
    }
    const jsonEscape = depth === 0 && this.decode && buf.includes('\\/');
    if (this.decode && depth === 0 && (base64 || percent || jsonEscape)) {
      for (const span of decodeSpans(buf, { base64, percent, jsonEscape })) {
        // Rescan the decoded bytes behind what precedes them on their line, so that rules that
        // need a name (AWS_SECRET_ACCESS_KEY: <base64>) still see it.
        const lineStart = Math.max(buf.lastIndexOf(10, span.offset - 1) + 1, span.offset - 256);
        const prefix = buf.subarray(lineStart, span.offset);
        for (const inner of this.findRaw(Buffer.concat([prefix, span.bytes]), depth + 1)) {
          if (inner.end <= prefix.length) continue; // found in the plain prefix: the direct scan has it
          out.push({ ...inner, start: span.offset, end: span.offset + span.length, encoding: span.encoding });
        }
      }
    }
    return resolveOverlaps(out);
  }

  /** Every match in `buf`, in order of position. */
  scan(buf: Buffer): Match[] {
    const raw = this.findRaw(buf, 0);
    if (raw.length === 0) return [];
    const lines = new LineIndex(buf);
    return raw.map((r) => {
      const from = lines.position(r.start);
      const to = lines.position(Math.max(r.start, r.end - 1));
      const lineText =
        from.line === to.line ? lines.lineText(from.line, r.start) : `${lines.lineText(from.line, r.start)}\n${lines.lineText(to.line, r.end)}`;
      return {
        ruleId: r.rule.spec.id,
        secret: r.secret,
        line: from.line,
        column: from.column,
        endLine: to.line,
        endColumn: to.column + 1,
        entropy: r.entropy,
        ...(r.encoding ? { encoding: r.encoding } : {}),
        lineText,
        ...(r.matchText !== undefined ? { matchText: r.matchText } : {}),
      };
    });
  }
}

/** The text a base64 value encodes, or null when it is not base64 of readable text. */
function decodeBase64Text(value: string): string | null {
  if (value.length < 8 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.replace(/=+$/, '').length % 4 === 1) return null;
  const bytes = Buffer.from(value, 'base64');
  return readsAsText(bytes, 6) ? bytes.toString('latin1') : null;
}

/**
 * An escape of the punctuation that keys and passwords hold (%5F _, %2D -, %2B +, %2F /, %3D =,
 * %40 @, %3A :, %21 !, %23 #, %24 $, %26 &, %2A *, %25 %): what percent-encoding hides in a
 * secret. printf's %02x or %d escapes nothing of the kind and is not worth decoding.
 */
function hasPercentEscape(buf: Buffer): boolean {
  for (let i = buf.indexOf(0x25); i !== -1; i = buf.indexOf(0x25, i + 1)) {
    const hi = buf[i + 1];
    const lo = (buf[i + 2] ?? 0) | 0x20; // fold A-F to a-f
    if (hi === 0x32 && (lo === 0x64 || lo === 0x62 || lo === 0x66 || lo === 0x31 || lo === 0x33 || lo === 0x34 || lo === 0x36 || lo === 0x61 || lo === 0x35)) return true;
    if (hi === 0x33 && (lo === 0x64 || lo === 0x61)) return true;
    if ((hi === 0x35 && lo === 0x66) || (hi === 0x34 && lo === 0x30)) return true;
  }
  return false;
}

/**
 * Where two matches cover the same bytes, one leak is reported once: a provider rule wins over a
 * fallback (generic) rule, a direct match over one found in a decoded span, then the earlier rule.
 * Different secrets of different provider rules may overlap (an AWS key id and its secret inside
 * one percent-encoded URL) and are all kept.
 */
function resolveOverlaps(matches: RawMatch[]): RawMatch[] {
  const rank = (m: RawMatch) => (m.rule.spec.fallback ? 2 : 0) + (m.encoding ? 1 : 0);
  const sorted = [...matches].sort((a, b) => rank(a) - rank(b) || a.order - b.order || a.start - b.start);
  const kept: RawMatch[] = [];
  for (const m of sorted) {
    const clash = kept.some(
      (k) =>
        m.start < k.end &&
        k.start < m.end &&
        // A partner-only match (an identifier, never reported) does not hide a generic finding.
        (k.secret === m.secret || k.rule === m.rule || (m.rule.spec.fallback && !k.rule.spec.fallback && !k.rule.spec.partnerOnly)),
    );
    if (!clash) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.order - b.order);
}
