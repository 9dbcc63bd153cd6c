import RE2 from 're2';
import type { Match, RuleSpec } from '../types.js';
import { compilePattern, compileRule, type CompiledRule } from '../rules/compile.js';
import { BASE64_TRIGGER, PERCENT_TRIGGER, decodeSpans } from './decode.js';
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
  encoding?: 'base64' | 'percent';
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/**
 * Bytes in, matches out. One pass of an RE2 set over the buffer finds which rule keywords
 * (and which encodings) occur; only the rules whose keywords occur run their own pattern.
 */
export class Detector {
  readonly rules: CompiledRule[];
  private readonly prefilter: InstanceType<typeof RE2.Set>;
  /** For each prefilter entry, the indices of the rules it enables. */
  private readonly enables: number[][];
  private readonly base64Entry: number;
  private readonly percentEntry: number;
  private readonly placeholders: RE2[];
  private readonly decode: boolean;

  constructor(options: DetectorOptions) {
    this.rules = options.rules.map(compileRule);
    this.placeholders = options.placeholders.map((p) => compilePattern(p, 'rules/_allow.yml placeholder'));
    this.decode = options.decode ?? true;
    const entries = new Map<string, number[]>();
    this.rules.forEach((rule, i) => {
      for (const kw of rule.spec.keywords) {
        const key = kw.toLowerCase();
        const list = entries.get(key) ?? [];
        if (!list.includes(i)) list.push(i);
        entries.set(key, list);
      }
    });
    const patterns = [...entries.keys()].map(escapeLiteral);
    this.enables = [...entries.values()];
    this.base64Entry = patterns.push(BASE64_TRIGGER) - 1;
    this.percentEntry = patterns.push(PERCENT_TRIGGER) - 1;
    this.prefilter = new RE2.Set(patterns, 'i');
  }

  private isPlaceholder(rule: CompiledRule, secret: string): boolean {
    for (const re of rule.allow) if (re.test(secret)) return true;
    for (const re of this.placeholders) if (re.test(secret)) return true;
    return false;
  }

  private findRaw(buf: Buffer, depth: number): RawMatch[] {
    const hits = this.prefilter.match(buf);
    if (hits.length === 0) return [];
    const active = new Set<number>();
    let base64 = false;
    let percent = false;
    for (const h of hits) {
      if (h === this.base64Entry) base64 = true;
      else if (h === this.percentEntry) percent = true;
      else for (const r of this.enables[h] ?? []) active.add(r);
    }
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
        if (rule.validator && !rule.validator(secret)) continue;
        const entropy = shannonEntropy(secret);
        if (!passesEntropy(rule.spec.minEntropy, secret, entropy)) continue;
        if (this.isPlaceholder(rule, secret)) continue;
        out.push({ rule, order, start: span[0], end: span[1], secret, entropy });
      }
    }
    if (this.decode && depth === 0 && (base64 || percent)) {
      for (const span of decodeSpans(buf, { base64, percent })) {
        for (const inner of this.findRaw(span.bytes, depth + 1)) {
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
      const lineText = from.line === to.line ? lines.lineText(from.line) : `${lines.lineText(from.line)}\n${lines.lineText(to.line)}`;
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

/**
 * Where two matches cover the same bytes, one leak is reported once: a provider rule wins over a
 * fallback (generic) rule, a direct match over one found in a decoded span, then the earlier rule.
 */
function resolveOverlaps(matches: RawMatch[]): RawMatch[] {
  const rank = (m: RawMatch) => (m.rule.spec.fallback ? 2 : 0) + (m.encoding ? 1 : 0);
  const sorted = [...matches].sort((a, b) => rank(a) - rank(b) || a.order - b.order || a.start - b.start);
  const kept: RawMatch[] = [];
  for (const m of sorted) {
    const clash = kept.some((k) => m.start < k.end && k.start < m.end && (k.secret === m.secret || rank(k) < rank(m) || k.rule === m.rule));
    if (!clash) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.order - b.order);
}
