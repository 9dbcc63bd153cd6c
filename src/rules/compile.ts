import picomatch from 'picomatch';
import RE2 from 're2';
import { UserError } from '../errors.js';
import type { RuleSpec } from '../types.js';
import { patternAnchors, type Anchor } from './anchors.js';
import { openBoundedGroups, withinBounds } from './bounded-groups.js';
import { openRepetitions } from './gate.js';
import { maxMatchBytes } from './match-length.js';
import { VALIDATORS, type Validator } from './validators.js';

/** Compiles with RE2 (linear time, so no pattern can hang a scan); a rejected pattern names its owner. */
export function compilePattern(pattern: string, owner: string, flags = ''): RE2 {
  try {
    return new RE2(pattern, flags);
  } catch (e) {
    throw new UserError(`${owner}: pattern is not valid RE2 syntax (${(e as Error).message}): ${pattern}`,
      'RE2 has no backreferences or lookaround; see https://github.com/google/re2/wiki/Syntax');
  }
}

/**
 * The longest start of a pattern with no capturing group: escapes, character classes (with a
 * leading `]`, and POSIX classes such as [:alpha:] inside, in which a `(` is a character), other
 * characters, and groups opened with `(?` that are not named groups.
 */
const NO_CAPTURE_PREFIX = /^(?:\\[\s\S]|\[\^?\]?(?:\\[\s\S]|\[:\^?[a-z]+:\]|[^\]\\])*\]|[^\\[(]|\(\?(?!P?<(?![=!])))*/;

/** Number of capture groups RE2 sees in a pattern it accepts (an empty alternative matches ""). */
export function groupCount(pattern: string): number {
  return (new RE2(`(?:${pattern})|`).exec('')?.length ?? 1) - 1;
}

/**
 * Whether a pattern RE2 accepted has a capturing group: a `(` where the start without one stops.
 * One regular expression rather than a loop over characters: the check runs on every rule at
 * start-up, and the loop, not yet optimised then, took ~15 ms for the built-in rules (this, ~1 ms).
 */
export function hasCaptureGroup(pattern: string): boolean {
  return pattern[NO_CAPTURE_PREFIX.exec(pattern)![0].length] === '(';
}

/**
 * A rule ready to run. Patterns compile on first use: a pre-commit scan touches a few rules out of
 * dozens, and RE2 compilation dominates start-up. Call `check()` to compile (and validate) now.
 */
export class CompiledRule {
  private compiled?: { allow: RE2 | null; allowContext: RE2 | null };
  private exactRegex?: RE2;
  readonly validator?: Validator;
  /**
   * For a rule with `paths`: whether it applies to a file at this path (relative, `/`-separated).
   * Its matcher is built on the first call: most scans never meet a path any such rule names.
   */
  readonly appliesTo?: (path: string) => boolean;
  private readonly owner: string;
  private reachBytes?: number;
  private spanBytes?: number;
  private anchorList?: Anchor[] | null;
  private anchorBytes?: Buffer[];
  private gateRegex?: RE2 | null;
  private quickRegex?: { regex: RE2; bounds: [number, number][] } | null;
  private gatePassed = 0;
  private gateWasted = 0;

  constructor(readonly spec: RuleSpec) {
    this.owner = `rule ${spec.id} (${spec.source})`;
    if (spec.validator !== undefined) {
      this.validator = VALIDATORS[spec.validator];
      if (!this.validator) {
        throw new UserError(`${this.owner}: unknown validator "${spec.validator}" (known: ${Object.keys(VALIDATORS).join(', ')})`);
      }
    }
    if (spec.paths) {
      const globs = spec.paths;
      let matcher: ((path: string) => boolean) | undefined;
      this.appliesTo = (path) => (matcher ??= pathMatcher(globs))(path);
    }
    // A rule without a capture group would report its whole context as the secret.
    if (!hasCaptureGroup(spec.pattern)) throw new UserError(`${this.owner}: pattern needs a capture group around the secret`);
    if (spec.entropyGroup !== undefined) {
      let groups: number | null = null;
      try {
        groups = groupCount(spec.pattern);
      } catch {
        // A pattern RE2 refuses is reported when it is compiled (see compilePattern), with its hint.
      }
      if (groups !== null && spec.entropyGroup > groups) {
        throw new UserError(`${this.owner}: entropy_group ${spec.entropyGroup} but the pattern has ${groups} capture group(s)`);
      }
    }
  }

  private compile(): { allow: RE2 | null; allowContext: RE2 | null } {
    this.compiled ??= {
      allow: compileAny(this.spec.allow, `${this.owner} allow`),
      allowContext: compileAny(this.spec.allowContext, `${this.owner} allow_context`),
    };
    return this.compiled;
  }

  /**
   * The pattern with its counted repetitions opened (see openRepetitions), as a test: where it
   * finds nothing, the rule's pattern cannot match, and that pattern need not even be compiled.
   * Null when it cannot be built (the rule's pattern then runs alone).
   */
  get gate(): RE2 | null {
    if (this.gateRegex === undefined) {
      const open = openRepetitions(this.spec.pattern);
      try {
        this.gateRegex = open === null ? null : new RE2(open, '');
      } catch {
        this.gateRegex = null;
      }
    }
    return this.gateRegex;
  }

  /**
   * After a text passed the gate: whether the pattern then matched there. A gate that passes
   * almost every text the pattern finds nothing in (`[\s\S]{1,200}` opened to `[\s\S]+` lets
   * anything through) only doubles the search, so it is dropped for the rest of the scan.
   */
  noteGate(matched: boolean): void {
    this.gatePassed++;
    if (!matched) this.gateWasted++;
    if (this.gateWasted >= GATE_TRIAL && this.gateWasted * 10 > this.gatePassed * 9) this.gateRegex = null;
  }

  /** Global, with indices: exec on Buffers gives byte offsets of every group. */
  get regex(): RE2 {
    // Compiled apart from the allow patterns: a rule searched through its quick form may never need it.
    return (this.exactRegex ??= compilePattern(this.spec.pattern, this.owner, 'gd'));
  }

  /**
   * The pattern with its long bounded secret runs opened (see openBoundedGroups), global with
   * indices like `regex`; null for a rule that has none. Its matches stand for the pattern's as
   * long as `fits` says so.
   */
  get quick(): RE2 | null {
    if (this.quickRegex === undefined) {
      const opened = openBoundedGroups(this.spec.pattern);
      try {
        this.quickRegex = opened === null ? null : { regex: new RE2(opened.pattern, 'gd'), bounds: opened.bounds };
      } catch {
        this.quickRegex = null;
      }
    }
    return this.quickRegex?.regex ?? null;
  }

  /** Whether a match of `quick` in `text` is the pattern's own match: every opened run within its bound. */
  fits(match: { indices?: RegExpIndicesArray }, text: Buffer): boolean {
    return withinBounds(this.quickRegex!.bounds, match.indices, text);
  }

  /** The rule's allow patterns as one alternation (null when it has none). */
  get allow(): RE2 | null {
    return this.compile().allow;
  }

  get allowContext(): RE2 | null {
    return this.compile().allowContext;
  }

  /**
   * How far, in bytes, a match can reach on either side of any byte inside it: the longest match
   * the pattern allows, in bytes of UTF-8 (see maxMatchBytes). Infinity for a pattern without a
   * bound (`*`, `+`, `{n,}`), and for a rule whose keywords are context rather than part of the
   * match (`twilio` gating a bare `AC…` SID): it runs on the whole buffer. Read off on first use.
   */
  get reach(): number {
    this.reachBytes ??= keywordsInPattern(this.spec) ? maxMatchBytes(this.spec.pattern) : Number.POSITIVE_INFINITY;
    return this.reachBytes;
  }

  /**
   * For a rule whose keywords are only context (see reach): texts one of which every match holds
   * (`EAA` for a Facebook token gated by `facebook`), found by the prefilter, so that the rule runs
   * only where one occurs. Null when the pattern names none (see patternAnchors), for a rule
   * scoped to paths or lines, and for one that keywords already place.
   */
  get anchors(): Anchor[] | null {
    if (this.anchorList === undefined) {
      const spec = this.spec;
      const found = spec.paths || spec.scope === 'line' || keywordsInPattern(spec) ? null : patternAnchors(spec.pattern);
      // Only texts in one case: indexOf finds them at memchr speed, while a search in any case
      // (RE2) runs no faster than the rule's own pattern (measured: ~500 MB/s against ~700).
      this.anchorList = found && found.every((a) => !a.ci) ? found : null;
    }
    return this.anchorList;
  }

  /**
   * Offsets of this rule's anchors in `buf` (every occurrence, overlapping ones too), or null
   * past MAX_ANCHOR_HITS (the rule then searches the whole buffer).
   */
  findAnchors(buf: Buffer): number[] | null {
    this.anchorBytes ??= (this.anchors ?? []).map((a) => Buffer.from(a.text, 'latin1'));
    const found: number[] = [];
    for (const needle of this.anchorBytes) {
      for (let at = buf.indexOf(needle); at !== -1; at = buf.indexOf(needle, at + 1)) {
        if (found.push(at) > MAX_ANCHOR_HITS) return null;
      }
    }
    return found;
  }

  /** The longest match in bytes (see maxMatchBytes), whatever the keywords: windows around anchors reach this far. */
  get span(): number {
    this.spanBytes ??= maxMatchBytes(this.spec.pattern);
    return this.spanBytes;
  }

  check(): this {
    void this.regex;
    this.compile();
    if (this.spec.paths) pathMatcher(this.spec.paths); // a bad glob is an error now, not at the first file
    return this;
  }
}

/** Texts a gate lets through in vain before it is judged (see CompiledRule.noteGate). */
const GATE_TRIAL = 32;

/** Past this many anchors in one buffer, windows around them would cost more than one search of it. */
const MAX_ANCHOR_HITS = 20_000;

/**
 * Whether every keyword of a rule is written in its pattern, so that a match holds one and windows
 * around keywords find every match. Read loosely, as rule files write names: separators and
 * regex punctuation are ignored on both sides (`abstract_api` is in `(?i:abstract[_-]?api)`), in any
 * case; a keyword of under 4 letters must be there as written (escapes such as `\.` read as the
 * character). A keyword that is only context (`twilio` gating a bare `AC…` SID) is not there.
 */
export function keywordsInPattern(spec: RuleSpec): boolean {
  if (spec.keywords.length === 0) return false;
  const plain = spec.pattern.replace(/\\([^0-9A-Za-z])/g, '$1').toLowerCase();
  const loose = squeeze(plain);
  return spec.keywords.every((k) => {
    const key = squeeze(k.toLowerCase());
    return key.length >= 4 ? loose.includes(key) : plain.includes(k.toLowerCase());
  });
}

/** Text without separators and regex punctuation. */
function squeeze(text: string): string {
  return text.replace(/[\s[\](){}?:\\_.|*+^$'"`,=<>/-]+/g, '');
}

/**
 * Several patterns as one RE2 alternation (one call per candidate secret instead of one per
 * pattern), or null for none. If RE2 rejects it, each is compiled alone so the error names the bad one.
 */
export function compileAny(patterns: string[], owner: string): RE2 | null {
  if (patterns.length === 0) return null;
  try {
    return new RE2(patterns.map((p) => `(?:${p})`).join('|'));
  } catch {
    patterns.forEach((p, i) => compilePattern(p, `${owner}[${i}]`));
    return compilePattern(patterns.map((p) => `(?:${p})`).join('|'), owner);
  }
}

/**
 * Regular expressions of globs worked out by the build for the built-in rules (see
 * registerGlobSources): picomatch's parser, not yet optimised at start-up, took ~10 ms for them.
 */
const globSources = new Map<string, string>();

/** Glob → the source of picomatch's regular expression for it (dot: true, nocase: true), as globSource gives. */
export function registerGlobSources(sources: Record<string, string>): void {
  for (const [glob, source] of Object.entries(sources)) globSources.set(glob, source);
}

/** The source of the regular expression a glob makes (dot files included, any case). */
export function globSource(glob: string): string {
  return globSources.get(glob) ?? picomatch.makeRe(glob, { dot: true, nocase: true }).source;
}

/**
 * One test for a rule's globs, compiled once. A glob without `/` names a file anywhere (its base
 * name); file names match in any case (`_netrc`, `Settings.xml` on Windows); a leading `/` of an
 * image path is ignored.
 */
export function pathMatcher(globs: string[]): (path: string) => boolean {
  // Plain names are looked up in a set and `*.ext` names by their ending; the other globs of a
  // kind make one regular expression (picomatch's list matcher tries each in turn, which costs
  // more than the prefilter itself on a tree of small files). That expression runs only on a path
  // holding a piece of text one of its globs requires (`group_vars/`, `.kube/config`): most paths
  // of a tree hold none, and the test of `includes` costs far less than the expression.
  const plain = new Set(globs.filter((g) => !/[/*?[\]{}()!+@\\]/.test(g)).map((g) => g.toLowerCase()));
  const isSuffix = (g: string) => /^\*[^/*?[\]{}()!+@\\]+$/.test(g);
  const suffixes = globs.filter(isSuffix).map((g) => g.slice(1).toLowerCase());
  const rest = globs.filter((g) => !plain.has(g.toLowerCase()) && !isSuffix(g));
  const group = (list: string[]) => {
    if (list.length === 0) return null;
    const re = new RegExp(list.map(globSource).join('|'), 'i');
    const pieces = list.map(requiredPiece);
    // One glob that requires no piece of text (`**/*`) leaves the expression to run on every path.
    return { re, pieces: pieces.includes(null) ? null : (pieces as string[]) };
  };
  const byName = group(rest.filter((g) => !g.includes('/')));
  const byPath = group(rest.filter((g) => g.includes('/')));
  const test = (g: ReturnType<typeof group>, text: string, lower: string) =>
    g !== null && (g.pieces === null || g.pieces.some((piece) => lower.includes(piece))) && g.re.test(text);
  return (p) => {
    const rel = p.charCodeAt(0) === 47 ? p.replace(/^\/+/, '') : p;
    const lower = rel.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    if (plain.has(name)) return true;
    for (const suffix of suffixes) if (name.endsWith(suffix)) return true;
    return test(byName, name, name) || test(byPath, rel, lower);
  };
}

/**
 * The longest piece of plain text (3 characters or more, lower case) that every path a glob
 * matches holds, or null. Only text outside wildcards and groups (`{a,b}`, `(…)`, `[…]`) counts;
 * a negated glob (`!…`) requires nothing.
 */
export function requiredPiece(glob: string): string | null {
  if (glob.startsWith('!')) return null;
  let depth = 0;
  let piece = '';
  let best = '';
  const end = () => {
    // `**/x` also matches `x` at the top: the slash before it is not required.
    const text = piece.replace(/^\/+/, '');
    if (text.length > best.length) best = text;
    piece = '';
  };
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') {
      if (depth === 0 && i + 1 < glob.length) piece += glob[i + 1];
      else end();
      i++;
    } else if (c === '{' || c === '(' || c === '[') {
      depth++;
      end();
    } else if (c === '}' || c === ')' || c === ']') {
      depth = Math.max(0, depth - 1);
      end();
    } else if (depth > 0 || c === '*' || c === '?' || c === '!' || c === '+' || c === '@') end();
    else piece += c;
  }
  end();
  return best.length >= 3 ? best.toLowerCase() : null;
}

export function compileRule(spec: RuleSpec): CompiledRule {
  return new CompiledRule(spec);
}
