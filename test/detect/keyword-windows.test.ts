import { afterEach, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { windowsAround } from '../../src/detect/prefilter.js';
import { CompiledRule, keywordsInPattern } from '../../src/rules/compile.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import { maxMatchBytes, maxMatchChars, WHITESPACE_RUN } from '../../src/rules/match-length.js';
import type { Match, RuleSpec } from '../../src/types.js';

// Buffer-scoped rules whose matches have a bounded length run on windows around their keywords.

describe('maxMatchChars', () => {
  it('adds sequences, takes the longest branch and multiplies counted repetitions', () => {
    expect(maxMatchChars('abc')).toBe(3);
    expect(maxMatchChars('a{2,5}b')).toBe(6);
    expect(maxMatchChars('(?i)ab|c{3}')).toBe(3);
    expect(maxMatchChars('(?:ab|cde)?x{4}')).toBe(7);
    expect(maxMatchChars('\\b(sk_live_[0-9A-Za-z]{24,247})\\b')).toBe(8 + 247);
    expect(maxMatchChars('(?P<key>[0-9a-f]{32})')).toBe(32);
    expect(maxMatchChars('[\\]a]{4}')).toBe(4);
    expect(maxMatchChars('\\x{41}\\pL\\p{Greek}\\x41')).toBe(4);
    expect(maxMatchChars('^a$')).toBe(1);
    expect(maxMatchChars('x{')).toBe(2); // a literal brace
    expect(maxMatchChars('ab{01}')).toBe(6); // RE2 reads no count with a leading zero: text
    expect(maxMatchChars('[%-[:]{2}|((:]))]')).toBe(3); // a range ends at [: no [:…:] class, then a branch :]]
    expect(maxMatchChars('[a-b-c]x')).toBe(2);
    expect(maxMatchChars('(?i:abc)(?-i:d)')).toBe(4);
  });

  it('has no bound for *, + and {n,} (but on whitespace), nor for syntax it does not read', () => {
    expect(maxMatchChars('a.*b')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('[0-9]+')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('a{3,}')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('(?:ab)+')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('\\S*')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('\\Qa*\\E')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('(?<=a)b')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('(a')).toBe(Number.POSITIVE_INFINITY);
    expect(maxMatchChars('abcd(?i){3}')).toBe(Number.POSITIVE_INFINITY); // RE2 repeats the d
    expect(maxMatchChars('key\\s*=\\s*v')).toBe(5 + 2 * WHITESPACE_RUN);
    expect(maxMatchChars('a[ \\t]+b')).toBe(2 + WHITESPACE_RUN);
    expect(maxMatchChars('a[ \\tx]+b')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('maxMatchBytes', () => {
  it('counts the widest UTF-8 character each atom can match', () => {
    expect(maxMatchBytes('\\b(sk_live_[0-9A-Za-z]{24,247})\\b')).toBe(255);
    expect(maxMatchBytes('(?i)k')).toBe(3); // the Kelvin sign folds to k
    expect(maxMatchBytes('(?i:[a-z]){3}x')).toBe(10);
    expect(maxMatchBytes('(?i)[0-9]')).toBe(1);
    expect(maxMatchBytes('[[:^digit:]]')).toBe(4); // a negated POSIX class holds é, 😀
    expect(maxMatchBytes('(?i)a(?-i:b)c')).toBe(7);
    expect(maxMatchBytes('[^a]')).toBe(4);
    expect(maxMatchBytes('.')).toBe(4);
    expect(maxMatchBytes('\\S\\pL')).toBe(8);
    expect(maxMatchBytes('é')).toBe(2);
    expect(maxMatchBytes('\\x{20AC}')).toBe(3);
    expect(maxMatchBytes('[\\x{100}]')).toBe(4);
    expect(maxMatchBytes('\\e')).toBe(Number.POSITIVE_INFINITY); // an escape it does not read
  });
});

describe('keywordsInPattern', () => {
  const spec = (keywords: string[], pattern: string) => ({ ...base, id: 'x', keywords, pattern });
  it('holds when every keyword is written in the pattern, separators aside', () => {
    expect(keywordsInPattern(spec(['abstractapi', 'abstract_api'], '(?i:abstract[_-]?api)[\\w.-]{0,40}=([0-9a-f]{32})'))).toBe(true);
    expect(keywordsInPattern(spec(['apilayer.net/api/validate'], 'apilayer\\.net/api/validate/([0-9a-f]{32})'))).toBe(true);
    expect(keywordsInPattern(spec(['sk_live_'], '\\b(sk_live_[0-9A-Za-z]{24,247})\\b'))).toBe(true);
  });
  it('fails for keywords that are only context, and for short keywords not written as such', () => {
    expect(keywordsInPattern(spec(['twilio', 'account_sid'], '\\b(AC[0-9a-fA-F]{32})\\b'))).toBe(false);
    expect(keywordsInPattern(spec(['mg_'], '(?:^|[^0-9A-Za-z_-])([0-9a-f]{32}-[0-9a-f]{8})'))).toBe(false);
    expect(keywordsInPattern(spec([], '(x)'))).toBe(false);
  });
});

describe('windowsAround', () => {
  it('widens each offset by reach + 1, merges overlaps and clips to the buffer', () => {
    expect(windowsAround(10_000, [5_000], 100)).toEqual([[4_899, 5_101]]);
    expect(windowsAround(10_000, [5_150, 5_000, 9_990], 100)).toEqual([[4_899, 5_251], [9_889, 10_000]]);
    expect(windowsAround(10_000, [20], 100)).toEqual([[0, 121]]);
  });
});

const base = {
  name: 'acme', provider: 'acme', providerName: 'Acme', severity: 'high' as const, keywordCase: 'any' as const, scope: 'buffer' as const,
  allow: [], allowContext: [], fallback: false, examples: [], negativeExamples: [], references: [], source: 'test',
  revocation: { urgency: 'rotate' as const, summary: 's', url: null, steps: ['s'], api: null, after: ['a'] },
};

describe('windows around keywords', () => {
  const prefix: RuleSpec = { ...base, id: 'acme-token', keywords: ['acme_'], pattern: '\\b(acme_[0-9a-z]{20,40})\\b' };
  const named: RuleSpec = {
    ...base, id: 'acme-named', keywords: ['acmecorp'],
    pattern: '(?i:acmecorp)[\\w.-]{0,20}?\\s*[:=]\\s*["\']?([0-9a-f]{32})(?:[^0-9a-f]|$)',
  };
  const detector = new Detector({ rules: [prefix, named], placeholders: [] });
  const filler = (n: number) => 'const x = 1; // filler code without a key\n'.repeat(Math.ceil(n / 42)).slice(0, n);
  const key = (c: string) => `acme_${c.repeat(30)}`;
  const hex = 'f3a9c2e17b4d8a06f3a9c2e17b4d8a06';

  it('finds keys far apart in a large buffer, at their true lines, each once', () => {
    const text = `${filler(200_000)}a = "${key('k')}"\n${filler(300_000)}ACMECORP_SECRET = "${hex}"\n${filler(100_000)}b = '${key('m')}'\n${filler(50_000)}`;
    const found = detector.scan(Buffer.from(text));
    expect(found.map((m) => m.secret)).toEqual([key('k'), hex, key('m')]);
    const lines = text.split('\n');
    expect(found.map((m) => lines[m.line - 1]!.includes(m.secret))).toEqual([true, true, true]);
  });

  it('never reports a key cut short by a window edge, and keeps whole ones next to many keywords', () => {
    // A key longer than the rule allows is no match at all: a window must not cut a valid-looking prefix out of it.
    const long = `acme_${'q'.repeat(60)}`;
    const text = `${filler(100_000)}${long}\n${'acme_ '.repeat(500)}${key('z')}\n${filler(100_000)}`;
    expect(detector.scan(Buffer.from(text)).map((m) => m.secret)).toEqual([key('z')]);
  });

  it('drops a match that only a window edge made (a \\b judged without the byte past the edge)', () => {
    // Matches of this rule need not hold its keyword; reach is 4 * 8 = 32 bytes, so the window of
    // the keyword at k ends at k + 33, inside the 16-digit run: `\b` holds there in the window only.
    const loose: RuleSpec = { ...base, id: 'acme-loose', keywords: ['acme_'], pattern: '\\b([0-9a-f]{8})\\b' };
    const d = new Detector({ rules: [loose], placeholders: [] });
    const k = 100_000;
    const text = `${'-'.repeat(k)}acme_${' '.repeat(20)}0123456789abcdef${'-'.repeat(100_000)}`;
    expect(k + 5 + 20 + 16).toBeGreaterThan(k + 33); // the run crosses the window's end
    expect(d.scan(Buffer.from(text))).toEqual([]);
    // Inside the window, the same digits followed by a space are a match.
    const inside = `${'-'.repeat(k)}acme_${' '.repeat(19)}01234567 9abcdef${'-'.repeat(100_000)}`;
    expect(d.scan(Buffer.from(inside)).map((m) => m.secret)).toEqual(['01234567']);
  });

  it('scans a small buffer whole', () => {
    expect(detector.scan(Buffer.from(`x=${key('a')}`)).map((m) => m.secret)).toEqual([key('a')]);
  });
});

describe('every built-in rule finds its examples inside a large buffer', () => {
  const rules = loadRulesDir();
  const detector = new Detector({ rules, placeholders: loadPlaceholderPatterns() });
  const before = 'function pad(n) { return n + 1; }\n'.repeat(3_000);
  const after = '\nmodule.exports = { pad };\n'.repeat(4_000);
  const windowed = rules.filter((r) => r.scope === 'buffer' && !r.paths && r.keywords.length && Number.isFinite(maxMatchChars(r.pattern)));
  const reach = Object.getOwnPropertyDescriptor(CompiledRule.prototype, 'reach')!;
  afterEach(() => Object.defineProperty(CompiledRule.prototype, 'reach', reach));

  it('covers most provider rules', () => {
    expect(windowed.length).toBeGreaterThan(rules.length / 2);
  });

  it('reports the same findings with windows as over the whole buffer', () => {
    const key = (m: Match) => `${m.ruleId}:${m.secret}:${m.line}:${m.column}`;
    const cases = windowed.flatMap((r) => r.examples.map((e) => ({ id: r.id, text: `${before}${e}${after}` })));
    const texts = cases.map((c) => c.text);
    const withWindows = texts.map((t) => detector.scan(Buffer.from(t)).map(key));
    // each example yields its own rule's finding there (read from the same scans: a third pass over
    // every example would cost this test a third of its time)
    const missing = cases.filter((c, i) => !withWindows[i]!.some((k) => k.startsWith(`${c.id}:`))).map((c) => c.id);
    expect(missing).toEqual([]);
    Object.defineProperty(CompiledRule.prototype, 'reach', { get: () => Number.POSITIVE_INFINITY, configurable: true });
    const whole = texts.map((t) => detector.scan(Buffer.from(t)).map(key));
    expect(withWindows).toEqual(whole);
  });
});

describe('rules placed by anchors', () => {
  const rules = loadRulesDir();
  const detector = new Detector({ rules, placeholders: loadPlaceholderPatterns() });
  const compiled = rules.map((s) => new CompiledRule(s));
  const anchored = rules.filter((_, i) => compiled[i]!.anchors);
  const anchors = Object.getOwnPropertyDescriptor(CompiledRule.prototype, 'anchors')!;
  afterEach(() => Object.defineProperty(CompiledRule.prototype, 'anchors', anchors));
  const filler = 'function pad(n) { return n + 1; }\n'.repeat(6_000);

  it('find every example with its keywords far away, as a whole-buffer search does', () => {
    expect(anchored.length).toBeGreaterThan(15);
    const key = (m: Match) => `${m.ruleId}:${m.secret}:${m.line}:${m.column}`;
    // The keywords first, the example 200 KB later: the window around the example's anchor holds it.
    const cases = anchored.flatMap((r) => r.examples.map((e) => ({ id: r.id, text: `// ${r.keywords.join(' ')}\n${filler}${e}\n${filler}` })));
    const placed = cases.map((c) => detector.scan(Buffer.from(c.text)).map(key));
    // each example yields its own rule's finding there
    expect(cases.filter((c, i) => !placed[i]!.some((k) => k.startsWith(`${c.id}:`))).map((c) => c.id)).toEqual([]);
    Object.defineProperty(CompiledRule.prototype, 'anchors', { get: () => null, configurable: true });
    const whole = cases.map((c) => detector.scan(Buffer.from(c.text)).map(key));
    expect(placed).toEqual(whole);
  });

  it('do not run where their keywords occur but no anchor does, and run whole past the cap of anchors', () => {
    const fb: RuleSpec = { ...base, id: 'acme-fb', keywords: ['acmebook'], pattern: '\\b(EAQ[A-Za-z0-9]{40})\\b' };
    const d = new Detector({ rules: [fb], placeholders: [] });
    const token = `EAQ${'k7Xm2Pq9'.repeat(5)}`;
    expect(d.rules[0]!.anchors).toEqual([{ text: 'EAQ', ci: false }]);
    expect(d.scan(Buffer.from(`acmebook\n${filler}${token}\n`)).map((m) => m.secret)).toEqual([token]);
    // Past 20,000 anchors, the rule searches the whole buffer: the key after them is still found.
    const many = 'EAQ '.repeat(25_000);
    expect(d.scan(Buffer.from(`acmebook\n${many}\n${filler}x = ${token}\n`)).map((m) => m.secret)).toEqual([token]);
    expect(d.scan(Buffer.from(`${filler}${token}\n`))).toEqual([]); // no keyword: not enabled
  });
});
