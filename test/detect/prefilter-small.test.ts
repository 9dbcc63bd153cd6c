import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_INPUT, SMALL_TOTAL } from '../../src/detect/literals.js';
import { base64Forms, Prefilter, prefilterTable, type PrefilterResult } from '../../src/detect/prefilter.js';
import { CompiledRule } from '../../src/rules/compile.js';
import { loadRulesDir } from '../../src/rules/load.js';

// Small inputs are searched literal by literal (no LiteralSet tables to build); the result must be
// the one the LiteralSet gives, occurrence for occurrence.

const rules = loadRulesDir().map((spec) => new CompiledRule(spec));
/** The literals worked out once (as the build does): a fresh prefilter per input then costs ~10 ms, not ~40. */
const table = prefilterTable(rules.map((r) => r.spec));

function normal(r: PrefilterResult) {
  const sorted = (m: Map<number, number[]>) => [...m].map(([id, list]) => [id, [...list].sort((a, b) => a - b)] as const).sort((a, b) => a[0] - b[0]);
  return { rules: [...r.rules].sort((a, b) => a - b), base64: r.base64, lines: sorted(r.lines), near: sorted(r.near), joins: r.joins };
}

describe('prefilter on small inputs', () => {
  const inputs: [string, Buffer][] = [];
  for (const spec of loadRulesDir()) for (const e of spec.examples) inputs.push([`${spec.id} example`, Buffer.from(`let a = 1;\n${e}\nOTHER_TOKEN="x" + "y"\n`)]);
  const src = path.join(__dirname, '..', '..', 'src', 'detect');
  for (const name of readdirSync(src)) {
    const bytes = readFileSync(path.join(src, name));
    if (bytes.length <= SMALL_INPUT) inputs.push([name, bytes]);
  }

  it('finds the same keywords, offsets, base64 forms and join markers as the LiteralSet', () => {
    expect(inputs.length).toBeGreaterThan(500);
    const big = new Prefilter(rules);
    big.run(Buffer.alloc(SMALL_INPUT + 1, 0x20), undefined); // past the threshold: the LiteralSet is built
    let sawHits = 0;
    for (const [name, buf] of inputs) {
      const small = new Prefilter(rules, table); // fresh: searches literal by literal
      const want = normal(big.run(buf, 'src/file.ts'));
      const got = normal(small.run(buf, 'src/file.ts'));
      if (want.rules.length > 0) sawHits++;
      if (JSON.stringify(got) !== JSON.stringify(want)) expect({ name, got }).toEqual({ name, got: want });
    }
    expect(sawHits).toBeGreaterThan(400);
  });

  /** Whether the prefilter's literals are searched by its LiteralSet now (built), not one by one. */
  const built = (p: Prefilter) => (p as unknown as { set: { set?: unknown } }).set.set !== undefined;

  it('switches to the LiteralSet once the input seen passes the threshold, with the same results', () => {
    const p = new Prefilter(rules, table);
    const chunk = Buffer.from('STRIPE_KEY = "sk_live_' + 'a1B2'.repeat(8) + '"\n'.padEnd(1000, ' '));
    const first = normal(p.run(chunk, undefined));
    for (let seen = chunk.length; seen <= SMALL_TOTAL; seen += chunk.length) {
      expect(built(p)).toBe(false);
      p.run(chunk, undefined);
    }
    expect(normal(p.run(chunk, undefined))).toEqual(first);
    expect(built(p)).toBe(true);
    expect(first.rules.length).toBeGreaterThan(0);
  });

  it('switches to the LiteralSet when the searches would cost more than it, with the same results', () => {
    // Every keyword of every rule in one buffer: thousands of literals to search, each over 200 KB.
    const all = Buffer.from(loadRulesDir().flatMap((r) => r.keywords).join(' ').repeat(4).padEnd(200 * 1024, ' '));
    expect(all.length).toBeLessThanOrEqual(SMALL_INPUT);
    const p = new Prefilter(rules, table);
    const got = normal(p.run(all, 'src/file.ts'));
    expect(built(p)).toBe(true);
    const big = new Prefilter(rules);
    big.run(Buffer.alloc(SMALL_INPUT + 1, 0x20), undefined);
    expect(got).toEqual(normal(big.run(all, 'src/file.ts')));
    // A file of code is searched literal by literal.
    const code = new Prefilter(rules, table);
    code.run(readFileSync(path.join(__dirname, '..', '..', 'src', 'detect', 'detector.ts')), 'src/detector.ts');
    expect(built(code)).toBe(false);
  });
});

describe('base64Forms', () => {
  /** The forms as Buffer's encoder gives them: the keyword after 0, 1 or 2 bytes, without the edge characters. */
  function viaBuffer(keyword: string): string[] {
    const bytes = Buffer.from(keyword);
    const forms: string[] = [];
    for (let pad = 0; pad < 3; pad++) {
      const text = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
      const form = text.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
      if (form.length >= 5) forms.push(form);
    }
    return forms;
  }

  it('encodes every built-in keyword (and non-ASCII ones) as Buffer does', () => {
    const keywords = [...new Set(loadRulesDir().flatMap((r) => r.keywords)), 'pässwörd', '密码token', '🔑key_'];
    expect(keywords.length).toBeGreaterThan(500);
    for (const kw of keywords) expect([kw, base64Forms(kw)]).toEqual([kw, viaBuffer(kw)]);
  });
});
