import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesDir } from '../../src/rules/load.js';
import { countLine, renderProviderMarkdown, summarizeProviders, verifierCount } from '../../src/rules/provider-summary.js';

const readme = readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README provider table', () => {
  it('is the one generated from rules/*.yml (run `npm run readme:providers` after changing a rule file)', () => {
    const section = /<!-- providers:start[^\n]*\n([\s\S]*?)<!-- providers:end -->/.exec(readme);
    expect(section, 'README.md lacks the providers:start/end markers').not.toBeNull();
    expect(section![1]).toBe(renderProviderMarkdown(loadRulesDir()));
  });

  it('names every provider once, with its rule count', () => {
    const rules = loadRulesDir();
    const table = renderProviderMarkdown(rules);
    for (const s of summarizeProviders(rules).filter((p) => p.rules.length)) {
      expect(table).toContain(`| \`${s.provider}\` | ${s.rules.length} |`);
    }
    expect(table.split('\n')[0]).toBe(`${countLine(summarizeProviders(rules))}.`);
  });

  it('states how many rules and providers have a verifier, as the rule files say (typed by hand in the verifier section)', () => {
    const stated = /(\d+) rules of (\d+) providers have one/.exec(readme.replace(/\s+/g, ' '));
    expect(stated, 'README.md lacks "N rules of M providers have one"').not.toBeNull();
    const { rules, providers } = verifierCount(summarizeProviders(loadRulesDir()));
    expect([Number(stated![1]), Number(stated![2])]).toEqual([rules, providers]);
  });
});

describe('provider summary', () => {
  const rule = (id: string, provider: string, partnerOnly = false) => ({ id, name: id, provider, providerName: provider.toUpperCase(), partnerOnly }) as never;

  it('groups rules by provider, sorted by name, and counts partner-only identifiers apart', () => {
    const s = summarizeProviders([rule('b-1', 'b'), rule('a-1', 'a'), rule('b-2', 'b'), rule('b-sid', 'b', true)]);
    expect(s.map((p) => [p.provider, p.rules.length, p.partnerOnly.length])).toEqual([['a', 1, 0], ['b', 2, 1]]);
    expect(countLine(s)).toBe('3 rules for 2 providers, plus 1 partner-only identifier for `--verify`');
  });
});
