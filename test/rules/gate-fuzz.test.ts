import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { patternAnchors, type Anchor } from '../../src/rules/anchors.js';
import { openRepetitions } from '../../src/rules/gate.js';
import { loadRulesDir } from '../../src/rules/load.js';
import { maxMatchBytes, maxMatchChars } from '../../src/rules/match-length.js';

// Property test of the readers of RE2 syntax the detector trusts to skip text: every match of a
// pattern must pass its gate (openRepetitions), hold one of its anchors (patternAnchors) and be
// no longer than its bound (maxMatchChars, maxMatchBytes; but for a run of whitespace, which
// counts for WHITESPACE_RUN by design).
// Random patterns from a grammar of the syntax rules use, random texts drawn from the pattern itself
// and mutated, a fixed seed. More by hand:
//   GATE_FUZZ_PATTERNS=40000 GATE_FUZZ_RULES=all GATE_FUZZ_SEED=7 npx vitest run test/rules/gate-fuzz.test.ts
// (about a minute and a half). A failure is reported made small: pattern and text.

const SEED = Number(process.env.GATE_FUZZ_SEED ?? 20261203);
const PATTERNS = Number(process.env.GATE_FUZZ_PATTERNS ?? 1500);
const RULES = process.env.GATE_FUZZ_RULES === 'all' ? Number.POSITIVE_INFINITY : Number(process.env.GATE_FUZZ_RULES ?? 40);
const TEXTS = 6;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Rng = ReturnType<typeof prng>;

/** A piece of pattern and a way to draw a text it (probably) matches. */
interface Piece {
  src: string;
  gen: (r: Rng) => string;
}

// Folds RE2 applies under (?i) beyond ASCII (K: Kelvin sign, ſ: long s), and other non-ASCII.
const ODD = ['\u212a', '\u017f', 'é', 'ß', 'İ', '😀', '\u00a0'];
const LETTERS = 'abcksxyzABCKSXYZ';
const PUNCT = ['_', '-', '=', ':', '"', "'", '/', ',', '@', '#', '%', '&', '~', '<', '>', '!', ' ', ']', '}'];
const ESCAPED = ['.', '-', '+', '*', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\', '/'];
const lit = (src: string, text = src): Piece => ({ src, gen: () => text });
const oneOf = (src: string, chars: string): Piece => ({ src, gen: (r) => r.pick([...chars]) });

const CLASSES: Piece[] = [
  oneOf('[abc]', 'abcABd'),
  oneOf('[_.-]', '_.-x'),
  oneOf('[Kk]', 'kK\u212a'),
  oneOf('[sS]', 'sS\u017f'),
  oneOf('[A-Za-z0-9]', 'aZ09k\u212a'),
  oneOf('[0-9a-f]', '09afAFg'),
  oneOf('[a-z]', 'akzK\u212a'),
  oneOf('[^"\\s]', 'a"x é'),
  oneOf('[^abc]', 'abcdé\u212a'),
  oneOf('[\\w.-]', 'a_.-/'),
  oneOf('[\\]x]', ']xX'),
  oneOf('[]a]', ']aA'),
  oneOf('[^]a]', ']ab'),
  oneOf('[[:alpha:]]', 'aZ1'),
  oneOf('[[:^digit:]x]', '1xa'),
  oneOf('[\\x41-\\x43]', 'ABCabc'),
  oneOf('[\\x6b\\x53]', 'kSKs\u212a\u017f'),
  oneOf('[\\t ]', '\t x'),
  oneOf('[a-c-]', 'a-cd'),
  oneOf('[\\p{Greek}x]', 'αx'),
  oneOf('[{}]', '{}'),
  oneOf('[-a]', '-a'),
  oneOf('[\\-\\]]', '-]'),
  oneOf('[!-[:]', '!:[a'), // a range up to [, then a colon: no POSIX class
  oneOf('[%-[:x]', '%:x['),
];

const SHORTHANDS: Piece[] = [
  oneOf('.', 'a.1é\u212a'),
  oneOf('\\w', 'a_9'),
  oneOf('\\d', '07'),
  oneOf('\\s', ' \t\n'),
  oneOf('\\W', '-é '),
  oneOf('\\D', 'a-'),
  oneOf('\\S', 'ax'),
  oneOf('\\pL', 'aé'),
  oneOf('\\p{Greek}', 'α'),
  oneOf('\\PN', 'a'),
  lit('\\b', ''),
  lit('\\B', ''),
  lit('^', ''),
  lit('$', ''),
  lit('\\A', ''),
  lit('\\z', ''),
];

/** Text that looks like a repetition to a careless reader but is literal to RE2 (or is one). */
const BRACES: Piece[] = [lit(':]'), lit('x:]'), lit('{'), lit('{a}'), lit('{,3}'), lit('{01}'), lit('{1,02}'), lit('{1000000000}'), lit('\\{3\\}', '{3}'), lit('{ 2}')];

function literal(r: Rng): Piece {
  const n = r.int(10);
  if (n < 4) return lit(r.pick([...LETTERS]));
  if (n < 5) {
    // A run of text, such as rules require (`sk_live_`, `xoxb-`): what anchors are made of.
    let w = '';
    for (let k = 3 + r.int(4); k > 0; k--) w += r.pick([...LETTERS, ...LETTERS, '_', '-', '0']);
    return lit(w);
  }
  if (n < 6) return lit(String(r.int(10)));
  if (n < 7) return lit(r.pick(PUNCT));
  if (n < 8) {
    const c = r.pick(ESCAPED);
    return lit(`\\${c}`, c);
  }
  if (n < 9) {
    const c = r.pick([...'akKsSz-']);
    const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
    return r.chance(0.5) ? lit(`\\x${hex}`, c) : lit(`\\x{${hex}}`, c);
  }
  return r.pick([lit('\\t', '\t'), lit('\\n', '\n'), lit('é'), lit('\u212a'), lit('\\Qa{2}\\E', 'a{2}')]);
}

function quantifier(r: Rng): { src: string; min: number; max: number } {
  const lazy = r.chance(0.2) ? '?' : '';
  const n = r.int(11);
  const small = () => (r.chance(0.8) ? r.int(5) : r.int(41));
  if (n === 0) return { src: `*${lazy}`, min: 0, max: 4 };
  if (n === 1) return { src: `+${lazy}`, min: 1, max: 4 };
  if (n === 2) return { src: `?${lazy}`, min: 0, max: 1 };
  if (n <= 4) {
    const k = small();
    return { src: `{${k}}${lazy}`, min: k, max: k };
  }
  if (n === 5) {
    const k = small();
    return { src: `{${k},}${lazy}`, min: k, max: k + 3 };
  }
  if (n <= 8) {
    const lo = small();
    const hi = lo + small();
    return { src: `{${lo},${hi}}${lazy}`, min: lo, max: hi };
  }
  const hi = 1 + small();
  return { src: `{0,${hi}}${lazy}`, min: 0, max: hi };
}

function atom(r: Rng, depth: number): Piece {
  const n = r.int(100);
  if (n < 45) return literal(r);
  if (n < 58) return r.pick(CLASSES);
  if (n < 68) return r.pick(SHORTHANDS);
  if (n < 72) return r.pick(BRACES);
  if (n < 78) return lit(r.pick(['(?i)', '(?-i)', '(?s)', '(?U)', '(?i-s)', '(?m)']), '');
  if (depth >= 3) return literal(r);
  const inner = alternation(r, depth + 1);
  const open = r.pick(['(', '(?:', '(?:', '(?i:', '(?i:', '(?-i:', '(?P<n>', '(?<m>', '(?s:', '(?U:']);
  return { src: `${open}${inner.src})`, gen: inner.gen };
}

function sequence(r: Rng, depth: number): Piece {
  const items: Piece[] = [];
  const count = 1 + r.int(depth === 0 ? 7 : 4);
  for (let i = 0; i < count; i++) {
    const a = atom(r, depth);
    if (!r.chance(0.35)) {
      items.push(a);
      continue;
    }
    const q = quantifier(r);
    items.push({
      src: a.src + q.src,
      gen: (g) => {
        const times = q.min + g.int(Math.min(q.max, q.min + 4) - q.min + 1);
        let s = '';
        for (let t = 0; t < times && s.length < 2000; t++) s += a.gen(g); // nested counts grow fast
        return s;
      },
    });
  }
  return { src: items.map((p) => p.src).join(''), gen: (g) => items.map((p) => p.gen(g)).join('') };
}

function alternation(r: Rng, depth: number): Piece {
  const branches = [sequence(r, depth)];
  while (branches.length < 4 && r.chance(0.25)) branches.push(sequence(r, depth));
  return { src: branches.map((b) => b.src).join('|'), gen: (g) => g.pick(branches).gen(g) };
}

/** A text changed a little: case flipped, a character dropped, doubled or replaced, an odd one put in. */
function mutate(r: Rng, s: string): string {
  let chars = [...s];
  const edits = r.int(4);
  for (let e = 0; e < edits; e++) {
    const i = r.int(chars.length + 1);
    const n = r.int(7);
    if (n === 0 && i < chars.length) chars.splice(i, 1);
    else if (n === 1 && i < chars.length) chars.splice(i, 0, chars[i]!);
    else if (n === 2) chars.splice(i, 0, r.pick(ODD));
    else if (n === 3 && i < chars.length) chars[i] = r.pick([...LETTERS, ...PUNCT, ...ODD]);
    else if (n === 4 && i < chars.length) chars[i] = chars[i]!.replace('k', '\u212a').replace('s', '\u017f');
    else if (n === 5 && chars.length > 0) chars = chars.slice(0, i).concat(chars.slice(r.int(chars.length)), chars.slice(i));
  }
  const out = chars.join('');
  const c = r.int(4);
  if (c === 0) return out.toUpperCase();
  if (c === 1) return [...out].map((ch) => (r.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())).join('');
  return out;
}

function context(r: Rng): string {
  let s = '';
  for (let n = r.int(4); n > 0; n--) s += r.pick([...LETTERS, ...PUNCT, ...ODD, '\n', '0', '9', '.']);
  return s;
}

/** Whether `s` holds one of the anchors, a text in any case compared with `s` lowered in ASCII only. */
function holds(s: string, anchors: Anchor[]): boolean {
  const lower = s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return anchors.some((a) => (a.ci ? lower.includes(a.text) : s.includes(a.text)));
}

/** The folds anchors.ts documents it ignores: the Kelvin sign for k, the long s for s. */
const unfold = (s: string) => s.replace(/\u212a/g, 'k').replace(/\u017f/g, 's');

interface Checked {
  matches: number;
  gated: number;
  anchored: number;
  /** Matches that hold no anchor, or pass the length in bytes, only because RE2 folds k or s to a non-ASCII character. */
  folds: string[];
  broken: string[];
  /** The failures as found, for minimise(). */
  found: { pattern: string; text: string; kind: string }[];
}

/** Checks every match of `pattern` in each text against its gate and its anchors. */
function check(pattern: string, texts: string[], out: Checked): void {
  let re: RE2;
  try {
    re = new RE2(pattern, 'g');
  } catch {
    return;
  }
  const open = openRepetitions(pattern);
  let gate: RE2 | null = null;
  let gateAt: RE2 | null = null;
  const reAt = new RE2(pattern, 'y');
  try {
    gate = open === null ? null : new RE2(open, '');
    gateAt = open === null ? null : new RE2(open, 'y');
  } catch {
    gate = gateAt = null; // the detector also runs without a gate it cannot compile
  }
  const anchors = patternAnchors(pattern);
  const bounded = !/\\s|\[(?:\\[strnfv]| )+\]/.test(pattern);
  const chars = bounded ? maxMatchChars(pattern) : Number.POSITIVE_INFINITY;
  const bytes = bounded ? maxMatchBytes(pattern) : Number.POSITIVE_INFINITY;
  for (const text of texts) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex = m.index + (text.codePointAt(m.index)! > 0xffff ? 2 : 1);
      out.matches++;
      const where = `${JSON.stringify(pattern)} on ${JSON.stringify(text)} (match ${JSON.stringify(m[0])} at ${m.index})`;
      if (gate && gateAt) {
        out.gated++;
        // Also from where the match starts (unless RE2 matched inside a character: \B between the
        // two bytes of U+00A0, which an index in UTF-16 cannot name).
        gateAt.lastIndex = m.index;
        reAt.lastIndex = m.index;
        const at = reAt.exec(text) ? gateAt.exec(text) : { index: m.index };
        if (!gate.test(text) || !at || at.index !== m.index) {
          out.broken.push(`gate ${JSON.stringify(open)}: ${where}`);
          out.found.push({ pattern, text, kind: 'gate' });
        }
      }
      if ([...m[0]].length > chars || Buffer.byteLength(m[0]) > bytes) {
        // RE2 folds k and s beyond ASCII also outside (?i): (?:b|[sS]) matches ſ (U+017F, 2 bytes).
        if ([...m[0]].length <= chars && Buffer.byteLength(unfold(m[0])) <= bytes) out.folds.push(`length ${bytes} bytes: ${where}`);
        else {
          out.broken.push(`length ${chars} chars, ${bytes} bytes: ${where}`);
          out.found.push({ pattern, text, kind: 'length' });
        }
      }
      if (anchors) {
        out.anchored++;
        if (holds(m[0], anchors)) continue;
        const named = JSON.stringify(anchors.map((a) => (a.ci ? `~${a.text}` : a.text)));
        if (holds(unfold(m[0]), anchors)) out.folds.push(`anchors ${named}: ${where}`);
        else {
          out.broken.push(`anchors ${named}: ${where}`);
          out.found.push({ pattern, text, kind: 'anchors' });
        }
      }
    }
  }
}

const fresh = (): Checked => ({ matches: 0, gated: 0, anchored: 0, folds: [], broken: [], found: [] });

/** Whether `pattern` still fails on `text` in the same way (gate, anchors or length). */
function fails(pattern: string, text: string, kind: string): boolean {
  const out = fresh();
  check(pattern, [text], out);
  return out.broken.some((b) => b.startsWith(kind));
}

/** A failing pattern and text made smaller, a piece at a time, while they still fail the same way. */
function minimise(pattern: string, text: string, kind: string): string {
  let p = pattern;
  let t = text;
  for (let changed = true; changed; ) {
    changed = false;
    for (let len = Math.max(p.length, t.length); len >= 1; len = Math.floor(len / 2)) {
      for (let i = 0; i + len <= p.length; i++) {
        const q = p.slice(0, i) + p.slice(i + len);
        if (fails(q, t, kind)) [p, changed] = [q, true];
      }
      for (let i = 0; i + len <= t.length; i++) {
        const u = t.slice(0, i) + t.slice(i + len);
        if (fails(p, u, kind)) [t, changed] = [u, true];
      }
    }
  }
  return `${kind} ${JSON.stringify(p)} on ${JSON.stringify(t)}`;
}

/** The failures, each made small (the first few of each kind: minimising takes many searches). */
function minimised(found: { pattern: string; text: string; kind: string }[]): string[] {
  const few = ['gate', 'anchors', 'length'].flatMap((kind) => found.filter((f) => f.kind === kind).slice(0, 6));
  return [...new Set(few.map((f) => minimise(f.pattern, f.text, f.kind)))];
}

describe('openRepetitions and patternAnchors, on random patterns', () => {
  it('every match passes the gate and holds an anchor', () => {
    const r = prng(SEED);
    const out = fresh();
    let valid = 0;
    for (let i = 0; i < PATTERNS; i++) {
      const p = alternation(r, 0);
      const texts: string[] = [];
      for (let t = 0; t < TEXTS; t++) {
        let s = '';
        for (let k = 1 + r.int(2); k > 0; k--) s += context(r) + (r.chance(0.7) ? p.gen(r) : mutate(r, p.gen(r)));
        texts.push(s + context(r));
      }
      const before = out.matches;
      check(p.src, texts, out);
      if (out.matches > before || accepts(p.src)) valid++;
    }
    if (out.folds.length > 0) console.log(`${out.folds.length} matches fail only by RE2's k/s folds (documented), e.g. ${out.folds[0]}`);
    console.log(`random patterns: ${valid} valid of ${PATTERNS}, ${out.matches} matches, ${out.gated} gated, ${out.anchored} anchored`);
    expect(minimised(out.found)).toEqual([]);
    expect(out.gated).toBeGreaterThan(PATTERNS);
    expect(out.anchored).toBeGreaterThan(PATTERNS / 10);
  }, 60_000 + PATTERNS * 30);
});

function accepts(p: string): boolean {
  try {
    new RE2(p, '');
    return true;
  } catch {
    return false;
  }
}

describe('openRepetitions and patternAnchors, on the built-in rules', () => {
  it('every match in their mutated examples passes the gate and holds an anchor', () => {
    const r = prng(SEED ^ 0x5bd1e995);
    const specs = loadRulesDir();
    // A different sample of rules for each seed (compiling all ~1,000 patterns takes seconds).
    const chosen = RULES >= specs.length ? specs : specs.filter(() => r.next() < RULES / specs.length);
    const out = fresh();
    for (const spec of chosen) {
      const own = [...spec.examples, ...spec.negativeExamples];
      if (own.length === 0) continue;
      const texts = own.slice();
      for (let t = 0; t < TEXTS * 2; t++) {
        const a = mutate(r, r.pick(own));
        texts.push(r.chance(0.3) ? context(r) + a + context(r) + mutate(r, r.pick(own)) : a);
      }
      check(spec.pattern, texts, out);
    }
    if (out.folds.length > 0) console.log(`${out.folds.length} rule matches fail only by RE2's k/s folds (documented), e.g. ${out.folds[0]}`);
    console.log(`rules: ${chosen.length}, ${out.matches} matches, ${out.gated} gated, ${out.anchored} anchored`);
    expect(minimised(out.found)).toEqual([]);
    expect(out.matches).toBeGreaterThan(chosen.length);
  }, 120_000);
});
