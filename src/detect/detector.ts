import RE2 from 're2';
import type { Encoding, Match, RuleSpec } from '../types.js';
import { compileAny, compileRule, type CompiledRule } from '../rules/compile.js';
import { decodeSpans, readsAsText } from './decode.js';
import { passesEntropy, shannonEntropy } from './entropy.js';
import { LineIndex } from './lines.js';

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
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/**
 * The stretches of base64 text that encode `keyword` wherever it sits in the plain text (three
 * alignments), without the edge characters that depend on neighbouring bytes. Finding one of these
 * is what makes decoding a base64 span worth it.
 */
export function base64Forms(keyword: string): string[] {
  const bytes = Buffer.from(keyword);
  const forms: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const text = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const form = text.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
    if (form.length >= 4) forms.push(form);
  }
  return forms;
}

/**
 * Which rules may match a buffer, decided in one pass of one RE2 alternation over every keyword
 * (RE2's DFA runs it at the same speed for 5 literals or 500, and several times faster than an
 * RE2.Set). Fallback rules key on common words (password, token) that occur all over source
 * code: once a fallback rule is enabled, its words leave the pass, so that frequent words do not
 * cost a call each.
 */
class Prefilter {
  /** Every literal of the pass: keywords (in any case, or exactly when the rule says so) and base64 forms. */
  private readonly literals = new Map<string, { exact: boolean; rules: Set<number>; encoded: boolean }>();
  /** Fallback rule → its literals. */
  private readonly commonWords = new Map<number, string[]>();
  /** Literal (as matched, lower-cased unless exact) → rules it enables, itself and every literal inside it. */
  private readonly enables = new Map<string, number[]>();
  /** Alternation for each set of fallback rules still to be enabled, built on first use. */
  private readonly alternations = new Map<string, RE2 | null>();

  constructor(rules: CompiledRule[]) {
    const add = (literal: string, exact: boolean, rule: number | null) => {
      const key = exact ? literal : literal.toLowerCase();
      const entry = this.literals.get(key) ?? { exact, rules: new Set<number>(), encoded: false };
      if (rule === null) entry.encoded = true;
      else entry.rules.add(rule);
      this.literals.set(key, entry);
      return key;
    };
    rules.forEach((rule, i) => {
      const exact = rule.spec.keywordCase === 'exact';
      const keys = rule.spec.keywords.map((kw) => add(kw, exact, i));
      if (rule.spec.fallback) this.commonWords.set(i, keys);
      // Keywords as written: key prefixes (sk_live_, AKIA, ghp_) keep their case inside an encoded
      // key. Forms under 5 characters would hit by chance all over base64 data (hashes, images).
      for (const kw of rule.spec.keywords) for (const form of base64Forms(kw)) if (form.length >= 5) add(form, true, null);
    });
    for (const [key, entry] of this.literals) {
      const ids = new Set(entry.rules);
      for (const [other, o] of this.literals) {
        const inside = o.exact ? key.includes(other) : key.toLowerCase().includes(other);
        if (other !== key && inside) for (const id of o.rules) ids.add(id);
      }
      this.enables.set(key, [...ids]);
    }
  }

  private alternation(pendingFallbacks: number[]): RE2 | null {
    const key = pendingFallbacks.join(',');
    let re = this.alternations.get(key);
    if (re === undefined) {
      // A literal stays in the pass while a rule it enables is not on for sure: provider keywords
      // always, fallback words only while their rule is pending.
      const pending = new Set(pendingFallbacks);
      const words = [...this.literals].filter(
        ([, e]) => e.encoded || [...e.rules].some((id) => !this.commonWords.has(id) || pending.has(id)),
      );
      const alternatives = words
        .sort(([a], [b]) => b.length - a.length)
        .map(([w, e]) => (e.exact ? escapeLiteral(w) : `(?i:${escapeLiteral(w)})`));
      re = alternatives.length ? new RE2(alternatives.join('|'), 'g') : null;
      this.alternations.set(key, re);
    }
    return re;
  }

  /** Rules to run on `buf`, and whether a base64 span there may hide a keyword. */
  run(buf: Buffer): { rules: Set<number>; base64: boolean } {
    const active = new Set<number>();
    let base64 = false;
    let pending = [...this.commonWords.keys()];
    let re = this.alternation(pending);
    let from = 0;
    while (re) {
      re.lastIndex = from;
      const m = re.exec(buf);
      if (!m) break;
      const text = m[0].toString('latin1');
      const key = this.literals.has(text) ? text : text.toLowerCase();
      let fallbackEnabled = false;
      for (const id of this.enables.get(key) ?? []) {
        if (active.has(id)) continue;
        active.add(id);
        if (this.commonWords.has(id)) fallbackEnabled = true;
      }
      if (this.literals.get(text)?.encoded) base64 = true;
      // Once a fallback rule is on, its common words need no more calls: drop them from the pass.
      if (fallbackEnabled) {
        pending = pending.filter((id) => !active.has(id));
        re = this.alternation(pending);
      }
      // Resume one byte on, so that a keyword overlapping this one is not skipped.
      from = m.index + 1;
    }
    return { rules: active, base64 };
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

  private findRaw(buf: Buffer, depth: number): RawMatch[] {
    const { rules: active, base64 } = this.prefilter.run(buf);
    // An escaped `_` or `-` hides a key's prefix (sk%5Flive%5F), so any %XX escape is worth decoding.
    const percent = depth === 0 && this.decode && hasPercentEscape(buf);
    if (active.size === 0 && !base64 && !percent) return [];
    const out: RawMatch[] = [];
    for (const order of [...active].sort((a, b) => a - b)) {
      const rule = this.rules[order]!;
      const re = rule.regex;
      re.lastIndex = 0;
      for (let m = re.exec(buf); m; m = re.exec(buf)) {
        if (m[0].length === 0) re.lastIndex++;
        const span = m.indices?.slice(1).find((g) => g !== undefined);
        if (!span) continue;
        const secret = buf.toString('utf8', span[0], span[1]);
        const entropy = shannonEntropy(secret);
        if (!this.stands(rule, secret, entropy)) continue;
        if (rule.spec.fallback) {
          // A generic value in base64 (a Kubernetes Secret's data) is judged by what it encodes:
          // base64 of "changeme" is a placeholder, not a random key.
          const decoded = decodeBase64Text(secret);
          if (decoded !== null && !this.stands(rule, decoded, shannonEntropy(decoded))) continue;
        }
        if (this.contextAllowed(rule, buf, span[0])) continue;
        out.push({ rule, order, start: span[0], end: span[1], secret, entropy });
      }
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

/** A `%XX` escape anywhere in the buffer (memchr for '%', then two hex digits). */
function hasPercentEscape(buf: Buffer): boolean {
  const isHex = (c: number | undefined) =>
    c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));
  for (let i = buf.indexOf(0x25); i !== -1; i = buf.indexOf(0x25, i + 1)) {
    if (isHex(buf[i + 1]) && isHex(buf[i + 2])) return true;
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
        (k.secret === m.secret || k.rule === m.rule || (m.rule.spec.fallback && !k.rule.spec.fallback)),
    );
    if (!clash) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.order - b.order);
}
