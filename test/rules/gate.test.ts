import RE2 from 're2';
import { describe, expect, it, vi } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { CompiledRule } from '../../src/rules/compile.js';
import { GATE_LEAST, openRepetitions } from '../../src/rules/gate.js';
import { loadRulesDir } from '../../src/rules/load.js';
import { exampleMatches } from '../support/rule-matches.js';
import type { RuleSpec } from '../../src/types.js';

// The gate: a rule's pattern with counted repetitions opened, cheap to compile, run first.

describe('openRepetitions', () => {
  it('opens counted repetitions, lazy ones too, and leaves classes, escapes and literal braces alone', () => {
    // A least count past GATE_LEAST is lowered to it, not to one: [0-9a-f]+ would let any hex
    // word through (the gate of a Twilio SID found something in nearly every buffer).
    expect(openRepetitions('[0-9a-f]{32}')).toBe(`[0-9a-f]{${GATE_LEAST},}`);
    expect(openRepetitions('[0-9a-f]{8}-x{1}')).toBe('[0-9a-f]{8,}-x+');
    expect(openRepetitions('[\\w.-]{0,40}?x{1,3}y{2,}')).toBe('[\\w.-]*?x+y{2,}');
    expect(openRepetitions('[{}]{2}\\{3\\}')).toBe('[{}]{2,}\\{3\\}');
    expect(openRepetitions('\\x{41}{2}\\p{Greek}{0,2}')).toBe('\\x{41}{2,}\\p{Greek}*');
    expect(openRepetitions('a{b}{,3}')).toBe('a{b}{,3}'); // not repetitions in RE2: literal text
    expect(openRepetitions('[]{3}]{3}')).toBe('[]{3}]{3,}'); // a leading ] belongs to the class
    expect(openRepetitions('[[:alpha:]{]{4}')).toBe('[[:alpha:]{]{4,}');
    // RE2 reads no count with a leading zero or of ten digits: literal text, which must stay.
    expect(openRepetitions('a{01}b|a{1,02}b|a{1000000000}b')).toBe('a{01}b|a{1,02}b|a{1000000000}b');
    expect(new RE2(openRepetitions('a{01}b')!).test('a{01}b')).toBe(true);
  });

  it('gives up on \\Q…\\E and on a class that never closes', () => {
    expect(openRepetitions('\\Qa{2}\\E')).toBeNull();
    expect(openRepetitions('[a{2}')).toBeNull();
  });

  it('matches wherever the pattern matches, for every built-in rule example', () => {
    const broken: string[] = [];
    const gates = new Map<string, RE2>();
    for (const spec of loadRulesDir()) {
      const open = openRepetitions(spec.pattern);
      expect(open, spec.id).not.toBeNull();
      gates.set(spec.id, new RE2(open!, ''));
    }
    const matches = exampleMatches();
    const checked = matches.length;
    for (const { spec, match } of matches) if (!gates.get(spec.id)!.test(match)) broken.push(`${spec.id}: ${match}`);
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(2500);
  });
});

describe('rules behind their gate', () => {
  const base = {
    name: 'acme', provider: 'acme', providerName: 'Acme', severity: 'high' as const, keywordCase: 'any' as const, scope: 'buffer' as const,
    allow: [], allowContext: [], fallback: false, examples: [], negativeExamples: [], references: [], source: 'test',
    revocation: { urgency: 'rotate' as const, summary: 's', url: null, steps: ['s'], api: null, after: ['a'] },
  };
  const spec: RuleSpec = { ...base, id: 'acme-key', keywords: ['acme'], pattern: '(?i:acme)[\\w.-]{0,20}\\s*=\\s*"([0-9a-f]{32})"' };

  it('does not compile the pattern of a rule whose gate finds nothing, and finds its keys as before', () => {
    const regex = vi.spyOn(CompiledRule.prototype, 'regex', 'get');
    try {
      const d = new Detector({ rules: [spec], placeholders: [] });
      expect(d.scan(Buffer.from('const acme = require("acme");\nacme.configure({ retries: 3 });\n'))).toEqual([]);
      expect(regex).not.toHaveBeenCalled();
      const key = 'f3a9c2e17b4d8a06f3a9c2e17b4d8a06';
      expect(d.scan(Buffer.from(`ACME_KEY = "${key}"\n`)).map((m) => m.secret)).toEqual([key]);
      expect(regex).toHaveBeenCalled();
    } finally {
      regex.mockRestore();
    }
  });

  it('drops a gate that lets through text after text the pattern finds nothing in', () => {
    const d = new Detector({ rules: [spec], placeholders: [] });
    const rule = d.rules[0]!;
    const vain = Buffer.from(`acme_key = "${'ab'.repeat(20)}"\n`); // passes the gate, not the pattern
    for (let i = 0; i < 31; i++) d.scan(vain);
    expect(rule.gate).not.toBeNull();
    d.scan(vain);
    expect(rule.gate).toBeNull();
    const key = 'f3a9c2e17b4d8a06f3a9c2e17b4d8a06';
    expect(d.scan(Buffer.from(`ACME_KEY = "${key}"\n`)).map((m) => m.secret)).toEqual([key]);
    // A gate that lets through mostly texts with a match stays.
    const kept = new Detector({ rules: [spec], placeholders: [] });
    for (let i = 0; i < 40; i++) kept.scan(Buffer.from(`acme_key = "${i % 5 === 0 ? 'ab'.repeat(20) : key}"\n`));
    expect(kept.rules[0]!.gate).not.toBeNull();
  });

  it('still reports what the full pattern alone reports where the gate passes but the pattern does not match', () => {
    // 40 hex digits pass the gate ([0-9a-f]{16,}) but not the pattern ({32} then a quote).
    const d = new Detector({ rules: [spec], placeholders: [] });
    expect(d.scan(Buffer.from(`acme_key = "${'ab'.repeat(20)}"\n`))).toEqual([]);
  });
});

describe('gates of whole-buffer rules run as one set', () => {
  const base = {
    provider: 'acme', providerName: 'Acme', severity: 'high' as const, keywordCase: 'any' as const, scope: 'buffer' as const,
    allow: [], allowContext: [], fallback: false, examples: [], negativeExamples: [], references: [], source: 'test',
    revocation: { urgency: 'rotate' as const, summary: 's', url: null, steps: ['s'], api: null, after: ['a'] },
  };
  // Keywords that are only context: each rule searches the whole buffer where its keyword occurs.
  const specs: RuleSpec[] = [
    { ...base, id: 'acme-key', name: 'acme', keywords: ['acme'], pattern: '\\b(AK[0-9a-f]{32})\\b' },
    { ...base, id: 'bolt-key', name: 'bolt', keywords: ['bolt'], pattern: '\\b(BT[0-9A-Z]{24})\\b' },
    { ...base, id: 'cask-key', name: 'cask', keywords: ['cask'], pattern: '\\b(CK-[0-9a-z]{30})\\b' },
  ];
  const acme = 'AK' + 'f3a9c2e17b4d8a06'.repeat(2);
  const bolt = 'BT' + 'Q7ZK2M9XW4RB'.repeat(2);
  const small = `// acme, bolt and cask clients\nconst a = "${acme}";\nconst b = "${bolt}";\nconst c = "none here";\n`;
  // Large enough that a set pays for its building (see GATE_SET_WORTH): 400 KB of code before the keys.
  const text = Buffer.from(`${'let x = compute(y);\n'.repeat(20_000)}${small}`);

  it('finds what each rule finds alone, and compiles no pattern whose gate found nothing', () => {
    const alone = specs.flatMap((spec) => new Detector({ rules: [spec], placeholders: [] }).scan(text).map((m) => m.secret));
    expect(alone).toEqual([acme, bolt]);
    const regex = vi.spyOn(CompiledRule.prototype, 'regex', 'get');
    const set = vi.spyOn(RE2, 'Set');
    try {
      const d = new Detector({ rules: specs, placeholders: [] });
      expect(d.scan(text).map((m) => m.secret)).toEqual([acme, bolt]);
      expect(set).toHaveBeenCalledTimes(1);
      // The pattern of cask-key never ran: its gate, in the set, found nothing.
      expect(regex.mock.contexts.map((r) => (r as CompiledRule).spec.id).sort()).not.toContain('cask-key');
      d.scan(text);
      expect(set).toHaveBeenCalledTimes(1); // built once per combination of rules
      // A small buffer does not build one (the gates alone cost less), and finds the same.
      const fresh = new Detector({ rules: specs, placeholders: [] });
      expect(fresh.scan(Buffer.from(small)).map((m) => m.secret)).toEqual([acme, bolt]);
      expect(set).toHaveBeenCalledTimes(1);
    } finally {
      regex.mockRestore();
      set.mockRestore();
    }
  });

  it('runs more gates than one set takes in several sets', () => {
    // 40 rules of keys of 20 to 59 capitals and digits, no text in common (no anchors): the buffer names them all.
    const many: RuleSpec[] = Array.from({ length: 40 }, (_, i) => ({
      ...base, id: `p${i}-key`, name: `p${i}`, keywords: [`prov${i}x`], pattern: `\\b([0-9A-Z]{${20 + i}})\\b`,
    }));
    const keys = [3, 17, 38].map((i) => 'Q7ZK2M9XW4RB8TNP'.repeat(4).slice(0, 20 + i));
    const body = Buffer.from(`${'let x = compute(y);\n'.repeat(20_000)}${many.map((r) => r.keywords[0]).join(' ')}\n${keys.join('\n')}\n`);
    const set = vi.spyOn(RE2, 'Set');
    try {
      expect(new Detector({ rules: many, placeholders: [] }).scan(body).map((m) => m.secret)).toEqual(keys);
      expect(set).toHaveBeenCalledTimes(3); // 16 + 16 + 8
      for (const call of set.mock.calls) expect([...(call[0] as Iterable<unknown>)].length).toBeLessThanOrEqual(16);
    } finally {
      set.mockRestore();
    }
  });

  it('falls back to each gate alone where RE2 cannot run the set', () => {
    const set = vi.spyOn(RE2, 'Set').mockImplementation(function () {
      throw new Error('RE2.Set matching failed: out of memory.');
    });
    try {
      expect(new Detector({ rules: specs, placeholders: [] }).scan(text).map((m) => m.secret)).toEqual([acme, bolt]);
      expect(set).toHaveBeenCalled();
    } finally {
      set.mockRestore();
    }
  });
});

describe('hasCaptureGroup', () => {
  it('reads a POSIX class inside brackets as part of the class, so a ( after it is a character', async () => {
    const { hasCaptureGroup } = await import('../../src/rules/compile.js');
    expect(hasCaptureGroup('[[:alpha:](]+')).toBe(false);
    expect(hasCaptureGroup('[[:alpha:]]+([0-9]+)')).toBe(true);
    expect(hasCaptureGroup('[[:(]x')).toBe(false); // not a POSIX class: [ : ( are characters
    expect(hasCaptureGroup('([0-9]+)')).toBe(true);
  });

  it('counts named groups, not escaped parentheses, non-capturing groups or a ( in a class opened by ]', async () => {
    const { hasCaptureGroup } = await import('../../src/rules/compile.js');
    expect(hasCaptureGroup('(?i)(?:a|b)\\(x\\)')).toBe(false);
    expect(hasCaptureGroup('(?P<key>[a-z]+)')).toBe(true);
    expect(hasCaptureGroup('(?<key>[a-z]+)')).toBe(true);
    expect(hasCaptureGroup('[](]x[^](]')).toBe(false);
    expect(hasCaptureGroup('[\\]](x)')).toBe(true);
    expect(hasCaptureGroup('\\\\(x)')).toBe(true); // an escaped backslash, then a group
    expect(hasCaptureGroup('')).toBe(false);
  });
});
