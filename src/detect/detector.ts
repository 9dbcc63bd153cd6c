// The engine: bytes in, matches out (prefilter, rule patterns, generic judgement, decoding, joined literals).
import RE2 from 're2';
import type { Encoding, Match, NamedFor, RuleSpec } from '../types.js';
import { compileAny, compileRule, type CompiledRule } from '../rules/compile.js';
import { decodeSpans, readsAsText } from './decode.js';
import { passesEntropy, shannonEntropy } from './entropy.js';
import { LineIndex } from './lines.js';
import { fileKindOf, type FileKind } from './file-kind.js';
import { pairsIn } from './pairs.js';
import { judgeGenericValue, MIN_TOKENS_PER_CHAR, type Evidence } from './generic-value.js';
import { tokensPerChar } from './randomness.js';
import { joinedLiterals, joinsAdjacentLiterals } from './concat.js';
import { linesAround, Prefilter, windowsAround, type PrefilterTable } from './prefilter.js';
import { ProviderNames } from './named.js';
import { jwtExpired } from '../rules/validators.js';

export interface DetectorOptions {
  rules: RuleSpec[];
  /** Patterns for placeholders that are never secrets, from rules/_allow.yml. */
  placeholders: string[];
  /** Look inside base64 and percent-encoded spans (one level deep). Default true. */
  decode?: boolean;
  /** The built-in rules' prefilter literals, made by the build (see PrefilterTable): saves working them out. */
  prefilterTable?: PrefilterTable;
  /**
   * Much input is coming (a worker of a large scan): the prefilter's LiteralSet is built at once
   * (see prepare), not after searching the first inputs literal by literal as a pre-commit scan does.
   */
  largeInput?: boolean;
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
  /** Generic (fallback) rules only: how strongly the syntax around the value says it is one. */
  evidence?: Evidence;
  /** Generic rules that read a name (NAMING_RULES): the provider that name names. */
  namedFor?: NamedFor;
}

type GateSet = InstanceType<typeof RE2.Set>;

/**
 * Gate sets kept at once (one per combination of whole-buffer rules met); past it the cache starts
 * over. Each set's automaton grows its own cache as it meets new text, so the count is kept low:
 * 624 MB of npm packages built 77 sets, 700 MB of /usr/share 29.
 */
const MAX_GATE_SETS = 128;
/** Gates per set: RE2 runs a set of 16 about as fast as one gate, one of 46 four times slower than three of 16. */
const GATE_SET_SIZE = 16;
/** A new set is built when its gates alone would search at least this many bytes more than the set (see gatesMatched). */
const GATE_SET_WORTH = 256 * 1024;

/** Generic rules whose match starts inside the name the value is assigned to (`TELNYX_API_KEY = `, `<telnyxKey>`). */
const NAMING_RULES = new Set(['generic-secret-assignment', 'generic-secret-argument', 'generic-secret-xml-element', 'generic-secret-http-header']);

/**
 * Bytes in, matches out. A prefilter pass finds which rule keywords (and which encoded forms of
 * them) occur; only the rules whose keywords occur run their own pattern.
 */
export class Detector {
  readonly rules: CompiledRule[];
  private readonly prefilter: Prefilter;
  private readonly placeholders: RE2 | null;
  private readonly decode: boolean;
  private names?: ProviderNames;
  private readonly gateSets = new Map<string, GateSet | null>();

  constructor(options: DetectorOptions) {
    this.rules = options.rules.map(compileRule);
    this.placeholders = compileAny(options.placeholders, 'rules/_allow.yml placeholders');
    this.decode = options.decode ?? true;
    this.prefilter = new Prefilter(this.rules, options.prefilterTable, options.largeInput ?? false);
  }

  /** With largeInput, builds the prefilter's tables now (a worker, before the first batch arrives). */
  prepare(): void {
    this.prefilter.prepare();
  }

  private isPlaceholder(rule: CompiledRule, secret: string): boolean {
    if (rule.allow?.test(secret)) return true;
    return rule.spec.sharedPlaceholders !== false && (this.placeholders?.test(secret) ?? false);
  }

  /** Validator, entropy gate and placeholder lists: does this captured value stand as a secret? */
  private stands(rule: CompiledRule, secret: string, entropy: number, gated = secret): boolean {
    if (rule.validator && !rule.validator(secret)) return false;
    const gateEntropy = gated === secret ? entropy : shannonEntropy(gated);
    if (!passesEntropy(rule.spec.minEntropy, gated, gateEntropy)) return false;
    return !this.isPlaceholder(rule, secret);
  }

  /** The line before the secret (bounded), where its name sits: rules' allow_context looks there. */
  private contextAllowed(rule: CompiledRule, buf: Buffer, secretStart: number): boolean {
    const re = rule.allowContext;
    if (!re) return false;
    const from = Math.max(buf.lastIndexOf(10, secretStart - 1) + 1, secretStart - 512);
    return re.test(buf.subarray(from, secretStart));
  }

  /**
   * Runs one rule's pattern over buf[from, to) and keeps the matches that stand as secrets. With
   * `cut`, the range is a window around keywords (see
   * windowsAround): a match touching an edge that lies inside the buffer holds no keyword, and
   * its ends may have been judged by bytes the window left out (`\b`, `^`, a key cut short), so
   * it is dropped and the search resumes one byte further on.
   */
  private matchRule(rule: CompiledRule, order: number, buf: Buffer, from: number, to: number, kind: FileKind, out: RawMatch[], cut = false, gatePassed = false): void {
    const text = from === 0 && to === buf.length ? buf : buf.subarray(from, to);
    const gate = rule.gate;
    if (gate && !gatePassed && !gate.test(text)) return;
    // The quick form of the pattern serves until a match of it runs past a bound; the exact
    // pattern then searches again from the same place, and serves the rest of this text.
    let quick = rule.quick !== null;
    let re = rule.quick ?? rule.regex;
    re.lastIndex = 0;
    for (let first = true; ; first = false) {
      const at = re.lastIndex;
      let m = re.exec(text);
      if (m !== null && quick && !rule.fits(m, text)) {
        quick = false;
        re = rule.regex;
        re.lastIndex = at;
        m = re.exec(text);
      }
      if (first && gate) rule.noteGate(m !== null);
      if (m === null) break;
      if (m[0].length === 0) re.lastIndex++;
      if (cut && ((m.index === 0 && from > 0) || (m.index + m[0].length === text.length && to < buf.length))) {
        re.lastIndex = m.index + 1;
        continue;
      }
      const wanted = rule.spec.secretGroup;
      const group = wanted === undefined ? m.indices?.slice(1).find((g) => g !== undefined) : m.indices?.[wanted];
      if (!group) continue;
      const start = group[0] + from;
      const end = group[1] + from;
      const secret = buf.toString('utf8', start, end);
      const entropy = shannonEntropy(secret);
      // entropy_group: the gate measures the part meant to be random (a token's tail, not its ids).
      const part = rule.spec.entropyGroup === undefined ? undefined : m.indices?.[rule.spec.entropyGroup];
      const gated = part ? buf.toString('utf8', part[0] + from, part[1] + from) : secret;
      if (!this.stands(rule, secret, entropy, gated)) continue;
      if (rule.spec.fallback) {
        // A generic value in base64 (a Kubernetes Secret's data) is judged by what it encodes:
        // base64 of "changeme" is a placeholder, not a random key.
        const decoded = decodeBase64Text(secret);
        if (decoded !== null && !this.stands(rule, decoded, shannonEntropy(decoded))) continue;
        // Basic auth's user:password is judged by its password, and any other decoded value as a
        // password: short (ZGVtbw== is "demo"), prose or words (user1:passwd1) are test data.
        if (decoded !== null) {
          const password = decoded.slice(decoded.indexOf(':') + 1);
          if (password.length < 8 || /\s/.test(password) || tokensPerChar(password) < MIN_TOKENS_PER_CHAR) continue;
        }
      }
      if (this.contextAllowed(rule, buf, start)) continue;
      // A generic rule knows a name and a value: the syntax around them says whether the value is
      // a literal (a quoted string, a config value) or code (an identifier, a call, an operator).
      let evidence: Evidence | undefined;
      if (rule.spec.fallback) {
        const judged = judgeGenericValue({ buf, start, end, secret, kind });
        if (judged === null) continue;
        evidence = judged;
      }
      const whole = rule.spec.keepMatch ? m.indices?.[0] : undefined;
      const matchText = whole ? text.toString('utf8', whole[0], whole[1]) : undefined;
      // The provider a generic value's name names (TELNYX_API_KEY): its guidance, not "find which system".
      let namedFor: NamedFor | null = null;
      if (evidence && NAMING_RULES.has(rule.spec.id)) {
        this.names ??= new ProviderNames(this.rules.map((r) => r.spec));
        namedFor = this.names.nameAt(buf, m.index + from);
      }
      out.push({
        rule, order, start, end, secret, entropy,
        ...(matchText !== undefined ? { matchText } : {}),
        ...(evidence ? { evidence } : {}),
        ...(namedFor ? { namedFor } : {}),
      });
    }
  }

  /**
   * Rules that search the whole buffer (their keywords are context, or their matches unbounded):
   * their gates run together as RE2.Sets of up to GATE_SET_SIZE, one pass over the buffer per set
   * instead of one per rule, and only the rules whose gate matched then run their pattern.
   * Measured on 240 MB of large npm files: 20 gates one by one 5.6 s, as one set 0.37 s; on a
   * 76 MB package list, 46 gates one by one 4.3 s, as one set 1.5 s (its automaton grows with
   * every gate), in sets of 16 0.36 s. A set RE2 cannot run (its automaton out of memory) is not
   * tried again: those rules run their own gates, as alone.
   */
  private matchWhole(orders: number[], buf: Buffer, kind: FileKind, out: RawMatch[]): void {
    const gated = orders.filter((o) => this.rules[o]!.gate !== null);
    const passed = new Set<number>();
    const alone = new Set<number>();
    for (let i = 0; i < gated.length; i += GATE_SET_SIZE) {
      const group = gated.slice(i, i + GATE_SET_SIZE);
      const matched = group.length > 1 ? this.gatesMatched(group, buf) : null;
      if (matched === null) for (const o of group) alone.add(o);
      else for (const k of matched) passed.add(group[k]!);
    }
    for (const order of orders) {
      const rule = this.rules[order]!;
      if (alone.has(order) || rule.gate === null) this.matchRule(rule, order, buf, 0, buf.length, kind, out);
      else if (passed.has(order)) this.matchRule(rule, order, buf, 0, buf.length, kind, out, false, true);
    }
  }

  /**
   * Which of these rules' gates match `buf` (indexes into `orders`), run as one RE2.Set built once
   * per combination; null where the gates are to run alone: a small buffer for which the set is
   * not built yet (building costs ~0.5 ms, the gates alone less there), or a set RE2 cannot build
   * or run (its automaton out of memory), which is not tried again.
   */
  private gatesMatched(orders: number[], buf: Buffer): number[] | null {
    const key = orders.join(',');
    let set = this.gateSets.get(key);
    if (set === undefined) {
      if ((orders.length - 1) * buf.length < GATE_SET_WORTH) return null;
      if (this.gateSets.size >= MAX_GATE_SETS) this.gateSets.clear();
      try {
        set = new RE2.Set(orders.map((o) => this.rules[o]!.gate!), '');
      } catch {
        set = null;
      }
      this.gateSets.set(key, set);
    }
    if (set === null) return null;
    try {
      return set.match(buf) as number[];
    } catch {
      this.gateSets.set(key, null);
      return null;
    }
  }

  private findRaw(buf: Buffer, depth: number, path: string | undefined, kind: FileKind): RawMatch[] {
    const { rules: active, base64, lines, near, joins } = this.prefilter.run(buf, path);
    // An escaped `_` or `-` hides a key's prefix (sk%5Flive%5F), so any %XX escape is worth decoding.
    const percent = depth === 0 && this.decode && hasPercentEscape(buf);
    if (active.size === 0 && !base64 && !percent && joins.length === 0) return [];
    const out: RawMatch[] = [];
    // Rules that search the whole buffer: their gates run together (see matchWhole).
    const whole: number[] = [];
    for (const order of [...active].sort((a, b) => a - b)) {
      const rule = this.rules[order]!;
      const hits = lines.get(order);
      if (hits) {
        for (const [from, to] of linesAround(buf, hits)) this.matchRule(rule, order, buf, from, to, kind, out);
        continue;
      }
      // A rule whose keywords are only context runs where its anchors are (`EAA` of a Facebook
      // token), and not at all where none is: every match holds one.
      if (rule.anchors) {
        const at = rule.findAnchors(buf);
        if (at !== null && at.length === 0) continue;
        if (at !== null && rule.span < buf.length / 2) {
          for (const [from, to] of windowsAround(buf.length, at, rule.span)) this.matchRule(rule, order, buf, from, to, kind, out, true);
        } else whole.push(order);
        continue;
      }
      // A rule whose matches are bounded runs only around its keywords: in a 5 MB bundle that
      // names "twilio" twice, two windows of a few KiB instead of the whole buffer.
      const around = near.get(order);
      if (around && rule.reach < buf.length / 2) {
        for (const [from, to] of windowsAround(buf.length, around, rule.reach)) this.matchRule(rule, order, buf, from, to, kind, out, true);
        continue;
      }
      whole.push(order);
    }
    this.matchWhole(whole, buf, kind, out);
    const jsonEscape = depth === 0 && this.decode && buf.includes('\\/');
    if (this.decode && depth === 0 && (base64 || percent || jsonEscape)) {
      for (const span of decodeSpans(buf, { base64, percent, jsonEscape })) {
        // Rescan the decoded bytes behind what precedes them on their line, so that rules that
        // need a name (AWS_SECRET_ACCESS_KEY: <base64>) still see it.
        const lineStart = Math.max(buf.lastIndexOf(10, span.offset - 1) + 1, span.offset - 256);
        const prefix = buf.subarray(lineStart, span.offset);
        for (const inner of this.findRaw(Buffer.concat([prefix, span.bytes]), depth + 1, path, kind)) {
          if (inner.end <= prefix.length) continue; // found in the plain prefix: the direct scan has it
          out.push({ ...inner, start: span.offset, end: span.offset + span.length, encoding: span.encoding });
        }
      }
    }
    if (depth === 0 && joins.length > 0) this.findJoined(buf, joins, path, kind, out);
    if (depth === 0 && path !== undefined) this.findPaired(buf, path, kind, out);
    if (depth === 0) this.findNamedGeneric(buf, path, kind, out);
    if (depth === 0 && path !== undefined && TYPED_LANGUAGE.test(path)) this.findTyped(buf, active, lines, near, path, kind, out);
    return resolveOverlaps(out);
  }

  /**
   * In a typed language, a declaration with a type between the name and a quoted value (`clientSecret: string =
   * '…'`, `val apiKey: String = "…"`, Go's `apiKey string = "…"`), on a line that holds a keyword of
   * a provider rule the prefilter enabled, is offered to the provider rules as `NAME=value`: most
   * provider patterns take no type there, and values the generic rule drops (40 hex digits, UUIDs)
   * never reach findNamedGeneric. Only lines of at most MAX_TYPED_LINE bytes, and at most
   * MAX_TYPED_LINES of them a buffer, are read: this is an extra pass, the buffer was scanned whole.
   */
  private findTyped(buf: Buffer, active: Set<number>, lines: Map<number, number[]>, near: Map<number, number[]>, path: string | undefined, kind: FileKind, out: RawMatch[]): void {
    const starts = new Set<number>();
    for (const order of active) {
      if (this.rules[order]!.spec.fallback) continue;
      for (const at of lines.get(order) ?? near.get(order) ?? []) {
        starts.add(at === 0 ? 0 : buf.lastIndexOf(10, at - 1) + 1);
        if (starts.size >= MAX_TYPED_LINES) break;
      }
      if (starts.size >= MAX_TYPED_LINES) break;
    }
    for (const start of starts) {
      let end = buf.indexOf(10, start);
      if (end === -1) end = buf.length;
      if (end - start > MAX_TYPED_LINE) continue;
      const line = buf.toString('latin1', start, end);
      for (const m of line.matchAll(TYPED_DECLARATION)) {
        const valueStart = start + m.indices![3]![0];
        this.findAssigned(m[1]!, buf, valueStart, valueStart + m[3]!.length, path, kind, out);
      }
    }
  }

  /**
   * A generic finding's name and value, offered to the provider rules as `NAME=value`: a typed
   * declaration (`const ddApiKey: string = "…"`, Go's `var ddApiKey string = "…"`) or another form
   * a provider's own pattern does not take, where the generic rule did take it. What a provider
   * rule finds in the value replaces the generic finding (see resolveOverlaps). Generic findings
   * are few after their checks, so this costs next to nothing.
   */
  private findNamedGeneric(buf: Buffer, path: string | undefined, kind: FileKind, out: RawMatch[]): void {
    const generic = out.filter((m) => m.rule.spec.fallback && !m.encoding);
    for (const m of generic) {
      if (out.some((o) => !o.rule.spec.fallback && o.start < m.end && m.start < o.end)) continue;
      const lineStart = Math.max(buf.lastIndexOf(10, m.start - 1) + 1, m.start - 300);
      const name = DECLARED_NAME.exec(buf.toString('latin1', lineStart, m.start))?.[1];
      if (name !== undefined) this.findAssigned(name, buf, m.start, m.end, path, kind, out);
    }
  }

  /**
   * Names and values paired by a file's format (`ENV NAME value`, `- name: NAME` / `value: …`; see
   * pairs.ts) are scanned again as `NAME=value`, so that provider rules, which read a key through
   * its name, see them; what a provider rule finds inside the value is reported at the value.
   * Generic rules already read these forms themselves (generic-secret-env-pair and others).
   */
  private findPaired(buf: Buffer, path: string, kind: FileKind, out: RawMatch[]): void {
    for (const pair of pairsIn(buf, path)) this.findAssigned(pair.name, buf, pair.start, pair.end, path, kind, out);
  }

  /** The provider rules' findings in `buf[start, end)` scanned as the value of `name=`, at the value's place. */
  private findAssigned(name: string, buf: Buffer, start: number, end: number, path: string | undefined, kind: FileKind, out: RawMatch[]): void {
    const prefix = Buffer.from(`${name}=`, 'latin1');
    for (const inner of this.findRaw(Buffer.concat([prefix, buf.subarray(start, end)]), 1, path, kind)) {
      if (inner.rule.spec.fallback || inner.start < prefix.length || inner.encoding) continue;
      out.push({ ...inner, start: start + inner.start - prefix.length, end: start + inner.end - prefix.length });
    }
  }

  /**
   * Literals joined in one statement ("sk_live_" + "…", [..].join('')) are scanned as the one
   * literal they make; a match that spans two pieces or more is reported at the first piece.
   */
  private findJoined(buf: Buffer, joins: number[], path: string | undefined, kind: FileKind, out: RawMatch[]): void {
    for (const joined of joinedLiterals(buf, joins, joinsAdjacentLiterals(path))) {
      for (const inner of this.findRaw(joined.text, 1, path, kind)) {
        if (inner.start < joined.contentStart || inner.end > joined.contentEnd) continue;
        if (joined.pieces.some((p) => p.includes(inner.secret))) continue;
        out.push({ ...inner, start: joined.start, end: joined.end });
      }
    }
  }

  /**
   * Every match in `buf`, in order of position. `path` (relative to the scan root, `/`-separated)
   * is where the bytes come from: rules scoped to some files (`paths`) run only when it names one,
   * and its name says what kind of text this is, which decides what generic rules accept as a value.
   */
  scan(buf: Buffer, path?: string): Match[] {
    const raw = this.findRaw(buf, 0, path, fileKindOf(path));
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
        ...(r.evidence ? { evidence: r.evidence } : {}),
        ...(r.namedFor && !r.encoding ? { namedFor: r.namedFor } : {}),
        // A generic value only docs or generated code hold (an example in a README, a bundle) is weak
        // evidence; a JWT whose exp has passed authenticates no one any more (docs, old commits).
        ...(r.evidence === 'weak' || (r.rule.spec.validator === 'jwt' && jwtExpired(r.secret, Date.now())) ? { confidence: 'low' as const } : {}),
      };
    });
  }
}

/**
 * The name a value is assigned to, read back from the text before the value: the name, then what
 * may stand between it and the value (quotes, an index, a type: `: string`, ` string`, ` As
 * String`; an assignment operator; a language prefix or an opening quote).
 */
const DECLARED_NAME =
  /([A-Za-z_$][\w$.-]{0,100})(?:\[[0-9]{0,4}\])?(?:\\?["'\]]){0,2}[ \t]*(?::[ \t]*&?[\w.]{1,30}(?:<[\w., ]{1,40}>)?\??|[ \t]+(?:[Aa]s[ \t]+)?[\w.\[\]]{1,30})?[ \t]*(?:=>|:{1,3}=|\?\??=|\|\|=|\.=|<-|[:=,])[ \t]*(?:\[\]byte\(|\bb|@|u8|\[[ \t]*)?(?:\\?["'`])?$/;

/** Languages that write a type between a name and its value (not JavaScript, nor declaration files). */
const TYPED_LANGUAGE = /(?<!\.d)\.(?:[cm]?ts|tsx|kts?|swift|rs|go|scala|pyi?)$/i;

/** Lines read by findTyped: at most this long, and this many a buffer. */
const MAX_TYPED_LINE = 1024;
const MAX_TYPED_LINES = 4096;

/** `name: Type = "value"` (TypeScript, Kotlin, Swift, Rust, Python, Scala) or `name Type = "value"` (Go). */
const TYPED_DECLARATION =
  /([A-Za-z_$][\w$]{0,100})(?:[ \t]*:[ \t]*&?[\w.]{1,30}(?:<[\w., ]{1,40}>)?\??|[ \t]+(?:string|\[\]byte))[ \t]*=[ \t]*(["'`])([^"'`\s\\]{8,500})\2/dg;

/**
 * The text a base64 value encodes, or null when it is not base64 of readable text. Readable text of
 * any length counts: an 8-character value with padding encodes only 4 or 5 bytes.
 */
function decodeBase64Text(value: string): string | null {
  if (value.length < 8 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.replace(/=+$/, '').length % 4 === 1) return null;
  const bytes = Buffer.from(value, 'base64');
  return readsAsText(bytes, 1) ? bytes.toString('latin1') : null;
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
 * rule scoped to credential files (the key's own rule knows how to revoke it), which wins over a
 * fallback (generic) rule; then a direct match over one found in a decoded span, then the rule of
 * higher `priority` (a PlanetScale password over the database URI that holds it), then the earlier rule.
 * Different secrets of different provider rules may overlap (an AWS key id and its secret inside
 * one percent-encoded URL) and are all kept.
 */
function resolveOverlaps(matches: RawMatch[]): RawMatch[] {
  const tier = (m: RawMatch) => (m.rule.spec.fallback ? 2 : m.rule.appliesTo ? 1 : 0);
  const rank = (m: RawMatch) => 2 * tier(m) + (m.encoding ? 1 : 0);
  // At one start, the longer match first: a key reassembled from joined literals beats its first piece.
  const sorted = [...matches].sort((a, b) => rank(a) - rank(b) || (b.rule.spec.priority ?? 0) - (a.rule.spec.priority ?? 0) || a.order - b.order || a.start - b.start || b.end - a.end);
  const kept: RawMatch[] = [];
  for (const m of sorted) {
    const clash = kept.some(
      (k) =>
        m.start < k.end &&
        k.start < m.end &&
        // A partner-only match (an identifier, never reported) does not hide a generic finding.
        (k.secret === m.secret || k.rule === m.rule || (tier(m) > tier(k) && !k.rule.spec.partnerOnly)),
    );
    if (!clash) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.order - b.order);
}
