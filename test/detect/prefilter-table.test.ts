import { describe, expect, it } from 'vitest';
import { Prefilter, prefilterTable, type PrefilterResult } from '../../src/detect/prefilter.js';
import { CompiledRule } from '../../src/rules/compile.js';
import { loadRulesDir } from '../../src/rules/load.js';
import type { RuleSpec } from '../../src/types.js';

// The build writes the shipped rules' prefilter literals into the rule bundle (PrefilterTable); a
// scan maps its own rule list onto it. Whatever the list (rules disabled, rules of its own added,
// another order), the prefilter must say what the one worked out from the rules alone says.

const specs = loadRulesDir();
const table = prefilterTable(specs);

function normal(r: PrefilterResult) {
  const sorted = (m: Map<number, number[]>) => [...m].map(([id, list]) => [id, [...list].sort((a, b) => a - b)] as const).sort((a, b) => a[0] - b[0]);
  return { rules: [...r.rules].sort((a, b) => a - b), base64: r.base64, lines: sorted(r.lines), near: sorted(r.near), joins: r.joins };
}

const own: RuleSpec = {
  ...specs.find((s) => !s.paths && s.keywords.length > 0)!,
  id: 'own-widget-key',
  keywords: ['widgetco', 'sk_live_'],
  keywordCase: 'any',
};

const inputs = [
  ...specs.slice(0, 400).flatMap((s) => s.examples.map((e) => Buffer.from(`x = 1\n${e}\n`))),
  Buffer.from('WIDGETCO_TOKEN = "abc"\nsk_live_' + 'Zz9'.repeat(10) + '\n'),
  // base64 forms of keywords: an encoded "aws_secret_access_key = ..." line, and a joined literal
  Buffer.from(`data: ${Buffer.from('aws_secret_access_key = abcdefgh12345678').toString('base64')}\nconst k = "sk_" + "live_" + "abc";\n`),
];

function compare(list: RuleSpec[]): number {
  const rules = list.map((s) => new CompiledRule(s));
  const withTable = new Prefilter(rules, table);
  const without = new Prefilter(rules);
  let hits = 0;
  for (const buf of inputs) {
    const want = normal(without.run(buf, 'config/app.env'));
    const got = normal(withTable.run(buf, 'config/app.env'));
    expect(got).toEqual(want);
    hits += want.rules.length;
  }
  return hits;
}

describe('prefilter table', () => {
  it('is what the rules give, for the shipped rules', () => {
    expect(table.ids.length).toBe(specs.length);
    expect(table.literals.length).toBeGreaterThan(specs.length);
    expect(compare(specs)).toBeGreaterThan(400);
  });

  it('maps a list with rules disabled and rules added onto the built table', () => {
    const dropped = new Set(specs.filter((_, i) => i % 7 === 3).map((s) => s.id));
    const list = [...specs.filter((s) => !dropped.has(s.id)), own];
    const before = JSON.stringify(table);
    expect(compare(list)).toBeGreaterThan(300);
    // the table is shared by every detector of a scan: adding rules of its own never changes it
    expect(compare([...specs, own])).toBeGreaterThan(400);
    expect(JSON.stringify(table)).toBe(before);
    // the rule of its own is enabled by its keyword, through the table's literal it shares
    const rules = list.map((s) => new CompiledRule(s));
    const r = new Prefilter(rules, table).run(Buffer.from('WIDGETCO_TOKEN = "abc"\n'), undefined);
    expect([...r.rules].map((i) => rules[i]!.spec.id)).toContain('own-widget-key');
  });

  it('drops the base64 forms of a disabled rule only when no other rule has them', () => {
    const encodedLine = Buffer.from(`v: ${Buffer.from('xx_widgetco_yy').toString('base64')}\n`);
    const rules = [...specs, own].map((s) => new CompiledRule(s));
    expect(new Prefilter(rules, table).run(encodedLine, undefined).base64).toBe(true);
    const without = specs.map((s) => new CompiledRule(s));
    expect(new Prefilter(without, table).run(encodedLine, undefined).base64).toBe(new Prefilter(without).run(encodedLine, undefined).base64);
  });

  it('gives the same results with the rules in another order', () => {
    const shuffled = [...specs].reverse();
    expect(compare(shuffled)).toBeGreaterThan(400);
  });
});
