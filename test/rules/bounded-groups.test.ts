import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { openBoundedGroups, OPEN_FROM, withinBounds } from '../../src/rules/bounded-groups.js';
import { CompiledRule } from '../../src/rules/compile.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import type { RuleSpec } from '../../src/types.js';

// A rule's long bounded secret run ([^"\s]{8,200}) is searched opened, with the bound checked on
// each match and the exact pattern asked again where it is exceeded: the matches must be exactly
// the exact pattern's.

describe('openBoundedGroups', () => {
  it('opens a capture group that is one counted atom, and gives its bound', () => {
    expect(openBoundedGroups('key=([^"\\s]{8,200})')).toEqual({ pattern: 'key=([^"\\s]{8,})', bounds: [[1, 200]] });
    expect(openBoundedGroups('(a{1,100})')).toEqual({ pattern: '(a{1,})', bounds: [[1, 100]] });
    expect(openBoundedGroups('(\\w{1,80})(b{1,99}){2}')).toEqual({ pattern: '(\\w{1,})(b{1,99}){2}', bounds: [[1, 80]] });
    expect(openBoundedGroups('(x(\\d{1,99}))')).toEqual({ pattern: '(x(\\d{1,}))', bounds: [[2, 99]] });
    expect(openBoundedGroups('(?P<name>[^x]{2,99})')).toEqual({ pattern: '(?P<name>[^x]{2,})', bounds: [[1, 99]] });
    expect(openBoundedGroups('(\\p{L}{4,70})')).toEqual({ pattern: '(\\p{L}{4,})', bounds: [[1, 70]] });
  });

  it('counts every named group as a capture, whatever its name', () => {
    // Names RE2 accepts: digits first, non-ASCII, long. Missing one would check the bound on the wrong group.
    for (const name of ['1', '1k', 'é', 'n'.repeat(60), 'k']) {
      for (const open of [`(?P<${name}>`, `(?<${name}>`]) {
        const p = `${open}a)(b{1,100})`;
        expect(new RE2(p).source.length, p).toBeGreaterThan(0);
        expect(openBoundedGroups(p), p).toEqual({ pattern: `${open}a)(b{1,})`, bounds: [[2, 100]] });
        const text = Buffer.from(`a${'b'.repeat(150)}`);
        expect(quickMatches(p, text), p).toEqual(exactMatches(p, text));
      }
    }
  });

  it('keeps a lazy count lazy', () => {
    expect(openBoundedGroups('([ab]{3,70}?)x')).toEqual({ pattern: '([ab]{3,}?)x', bounds: [[1, 70]] });
  });

  it('numbers groups past classes, escapes and non-capturing groups that hold parentheses', () => {
    const p = '(?:[()]|\\(x\\))(?i:a)([(]{1,5})((?:b){1,100})(c{1,100})';
    expect(openBoundedGroups(p)).toEqual({ pattern: '(?:[()]|\\(x\\))(?i:a)([(]{1,5})((?:b){1,100})(c{1,})', bounds: [[3, 100]] });
  });

  it('leaves repeated groups, short counts, exact counts and what it cannot read', () => {
    expect(openBoundedGroups('(?:(a{1,100}))+')).toBeNull();
    expect(openBoundedGroups('(?:x(a{1,100})){2,3}')).toBeNull();
    expect(openBoundedGroups('(a{1,100})*')).toBeNull();
    expect(openBoundedGroups(`(a{1,${OPEN_FROM - 1}})`)).toBeNull();
    expect(openBoundedGroups('(a{100})')).toBeNull();
    expect(openBoundedGroups('(a{100,})')).toBeNull();
    expect(openBoundedGroups('(ab{1,100})')).toBeNull();
    expect(openBoundedGroups('\\Q(\\E(a{1,100})')).toBeNull();
    // An optional group holds at most one round: its capture's length is its count.
    expect(openBoundedGroups('(?:x(a{1,100}))?')).toEqual({ pattern: '(?:x(a{1,}))?', bounds: [[1, 100]] });
  });

  it('counts characters, not bytes, against the bound', () => {
    const text = Buffer.from(`k=${'é'.repeat(70)};`);
    expect(withinBounds([[1, 70]], [[0, text.length], [2, text.length - 1]] as unknown as RegExpIndicesArray, text)).toBe(true);
    expect(withinBounds([[1, 69]], [[0, text.length], [2, text.length - 1]] as unknown as RegExpIndicesArray, text)).toBe(false);
    expect(withinBounds([[1, 69]], [[0, 3], undefined] as unknown as RegExpIndicesArray, text)).toBe(true);
  });
});

/** Every match of `pattern` in text as RE2 finds it: [start, end] of the match and each group. */
const compiled = new Map<string, RE2>();
const re2 = (pattern: string) => {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RE2(pattern, 'gd')));
  re.lastIndex = 0;
  return re;
};

function exactMatches(pattern: string, text: Buffer): string[] {
  const re = re2(pattern);
  const out: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    out.push(JSON.stringify(m.indices));
  }
  return out;
}

/** The same, searched with the opened pattern and the exact one where a bound is exceeded (as Detector.matchRule does). */
function quickMatches(pattern: string, text: Buffer): string[] {
  const opened = openBoundedGroups(pattern)!;
  const exact = re2(pattern);
  let re = re2(opened.pattern);
  let quick = true;
  const out: string[] = [];
  for (;;) {
    const at = re.lastIndex;
    let m = re.exec(text);
    if (m && quick && !withinBounds(opened.bounds, m.indices, text)) {
      quick = false;
      re = exact;
      re.lastIndex = at;
      m = re.exec(text);
    }
    if (!m) break;
    if (m[0].length === 0) re.lastIndex++;
    out.push(JSON.stringify(m.indices));
  }
  return out;
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe('opened patterns find what the exact ones find', () => {
  const rand = prng(20261204);
  const pick = (s: string) => s[rand(s.length)]!;

  it('on runs around their bounds, quoted and bare, with multibyte characters', () => {
    const patterns = [
      String.raw`(?i)(?:token|secret)[\w.-]{0,20}[ \t]*[:=][ \t]*(?:"([^"\s]{8,80})"|'([^'\s]{8,80})'|([^\s"',;]{8,80}))`,
      String.raw`key=([a-z]{4,70}?)(?:;|$)`,
      String.raw`(?:a(x{2,90})b|a(x{2,64}))`,
      String.raw`\b([0-9A-Za-z]{30,64})(?:[^0-9A-Za-z]|$)`,
      String.raw`p:(\S{1,70})@`,
    ];
    const pieces = ['token=', 'secret: ', "token='", 'token="', 'key=', ';', '"', "'", ' ', '\n', 'a', 'b', '@', 'p:', 'é', 'x'];
    let compared = 0;
    for (const pattern of patterns) {
      for (let t = 0; t < 400; t++) {
        let text = '';
        while (text.length < 400) {
          if (rand(3) === 0) text += pick('xaéb-z0Q');
          else if (rand(2) === 0) text += pieces[rand(pieces.length)]!;
          else {
            // a run near one of the bounds
            const n = [62, 63, 64, 65, 69, 70, 71, 79, 80, 81, 89, 90, 91, 120][rand(14)]!;
            const chars = pick(['x', 'xé', 'abcXYZ019', 'ab-_.', 'é']);
            for (let k = 0; k < n; k++) text += pick(chars);
          }
        }
        const buf = Buffer.from(text);
        expect(quickMatches(pattern, buf), `${pattern} on ${JSON.stringify(text)}`).toEqual(exactMatches(pattern, buf));
        compared++;
      }
    }
    expect(compared).toBe(patterns.length * 400);
  });

  // Built-in rules: their examples, with each opened run cut or grown around its bound, in texts
  // that hold them once or twice on a line.
  const rules = loadRulesDir().filter((r) => openBoundedGroups(r.pattern) !== null);

  it('the built-in rules that have such runs include the generic ones', () => {
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(['generic-secret-assignment', 'generic-secret-env-pair', 'database-uri-password']));
  });

  it('on built-in rules, regex by regex and finding by finding', () => {
    const placeholders = loadPlaceholderPatterns();
    let grown = 0;
    for (const spec of rules) {
      const { bounds } = openBoundedGroups(spec.pattern)!;
      const texts: string[] = [];
      for (const example of spec.examples) {
        texts.push(example);
        const m = new RE2(spec.pattern, 'd').exec(example);
        if (!m?.indices) continue;
        for (const [index, most] of bounds) {
          const span = m.indices[index];
          if (!span) continue;
          const run = example.slice(span[0], span[1]);
          for (const n of [most - 1, most, most + 1, most + 37]) {
            let grownRun = '';
            for (let k = 0; k < n; k++) grownRun += pick(run);
            const text = example.slice(0, span[0]) + grownRun + example.slice(span[1]);
            texts.push(text, `${text} ${example}`, `${example}\n${text}`);
            grown++;
          }
        }
      }
      const exactDetector = new Detector({ rules: [spec], placeholders });
      const quickDetector = new Detector({ rules: [spec], placeholders });
      for (const rule of exactDetector.rules) Object.defineProperty(rule, 'quick', { value: null });
      for (const text of texts) {
        const buf = Buffer.from(text);
        expect(quickMatches(spec.pattern, buf), `${spec.id} on ${JSON.stringify(text)}`).toEqual(exactMatches(spec.pattern, buf));
        const found = (d: Detector) => d.scan(buf).map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId} ${f.secret}`);
        expect(found(quickDetector), `${spec.id} on ${JSON.stringify(text)}`).toEqual(found(exactDetector));
      }
    }
    expect(grown).toBeGreaterThan(100);
  });

  it('the detector searches the opened pattern, and the exact one only past a bound', () => {
    const spec: RuleSpec = {
      id: 'acme-secret', name: 'acme', provider: 'acme', providerName: 'Acme', severity: 'high', keywords: ['acme'], keywordCase: 'any',
      pattern: 'acme=([0-9a-f]{16,80})(?:[^0-9a-f]|$)', scope: 'line', allow: [], allowContext: [], fallback: false,
      examples: [], negativeExamples: [], references: [], source: 'test',
      revocation: { urgency: 'rotate', summary: 's', url: null, steps: ['s'], api: null, after: ['a'] },
    };
    const detector = new Detector({ rules: [spec], placeholders: [] });
    const rule = detector.rules[0]!;
    let exactRuns = 0;
    const exact = rule.regex;
    const exec = exact.exec.bind(exact);
    exact.exec = ((text: Buffer) => (exactRuns++, exec(text))) as typeof exact.exec;
    const key = (n: number) => Array.from({ length: n }, (_, i) => '0123456789abcdef'[(i * 7 + 3) % 16]).join('');
    expect(detector.scan(Buffer.from(`acme=${key(40)}\n`)).map((f) => f.secret)).toEqual([key(40)]);
    expect(exactRuns).toBe(0);
    // 81 hex: the exact pattern cannot stop inside the run, so it finds nothing there; the second key is found.
    expect(detector.scan(Buffer.from(`acme=${key(81)} acme=${key(30)}\n`)).map((f) => f.secret)).toEqual([key(30)]);
    expect(exactRuns).toBeGreaterThan(0);
    expect(rule).toBeInstanceOf(CompiledRule);
  });
});

