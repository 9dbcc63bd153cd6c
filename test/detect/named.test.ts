import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { nameWords, ProviderNames } from '../../src/detect/named.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import { renderText } from '../../src/report/text.js';
import { toJsonReport } from '../../src/report/json.js';
import { fromJsonReport, parseJsonReport } from '../../src/report/read-json.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { RuleSpec } from '../../src/types.js';
import { reportOptions, resultFor } from '../report/support.js';

// A generic finding whose own variable names a provider (TELNYX_API_KEY = "…") carries that
// provider's revocation guidance; the value matched no rule of that provider.

const rules = loadRulesDir();
const value = 'Zq8vR2mK7xLp4Nw9Tb3Hc6Yd';

describe('ProviderNames', () => {
  const names = new ProviderNames(rules);

  it('splits a name into words at separators and case changes', () => {
    expect(nameWords('TELNYX_API_KEY')).toEqual(['telnyx', 'api', 'key']);
    expect(nameWords('telnyxApiKey')).toEqual(['telnyx', 'api', 'key']);
    expect(nameWords('d7-networks.token')).toEqual(['d7', 'networks', 'token']);
  });

  it('names a provider of one rule by its id or display name, as one word or consecutive words', () => {
    expect(names.named('TELNYX_API_KEY')).toMatchObject({ provider: 'telnyx', rule: 'telnyx-api-key', ruleName: 'Telnyx API key' });
    expect(names.named('myTelnyxSecret')?.provider).toBe('telnyx');
    expect(names.named('D7_NETWORKS_TOKEN')?.provider).toBe('d7networks');
    expect(names.named('telnyxish_key')).toBeNull(); // a word, not a piece of one
  });

  it('names none for a provider of several rules, an everyday word, a short name, or two providers at once', () => {
    expect(rules.filter((r) => r.provider === 'github').length).toBeGreaterThan(1);
    expect(names.named('GITHUB_TOKEN')).toBeNull();
    expect(names.named('render_token')).toBeNull();
    expect(rules.some((r) => r.provider === 'groq')).toBe(true);
    expect(names.named('GROQ_KEY')).toBeNull(); // four letters
    expect(names.named('TELNYX_TO_D7_NETWORKS_KEY')).toBeNull();
  });

  it('reads the whole name around a position, and the tag name of an XML element', () => {
    const buf = Buffer.from('x = 1\nexport TELNYX_API_KEY=abc\n<telnyxApiKey>abc</telnyxApiKey>\n');
    expect(names.nameAt(buf, buf.indexOf('API_KEY'))?.provider).toBe('telnyx');
    expect(names.nameAt(buf, buf.indexOf('<telnyx'))?.provider).toBe('telnyx');
    expect(names.nameAt(buf, 0)).toBeNull();
  });

  it('ignores providers with a name collision', () => {
    const spec = (id: string, provider: string, providerName: string): RuleSpec => ({ ...rules.find((r) => r.id === 'telnyx-api-key')!, id, provider, providerName });
    const clash = new ProviderNames([spec('a-key', 'acmecorp', 'Acmecorp'), spec('b-key', 'acme-corp', 'Acmecorp')]);
    expect(clash.named('ACMECORP_KEY')).toBeNull();
  });
});

describe('generic findings named for a provider', () => {
  const detector = new Detector({ rules, placeholders: loadPlaceholderPatterns() });

  it('carry the provider when the value is assigned to a name that names it, and only then', () => {
    const found = detector.scan(Buffer.from(`TELNYX_API_KEY = "${value}"\nSERVICE_API_KEY = "${value}x"\n`));
    expect(found.map((m) => [m.ruleId, m.namedFor?.provider])).toEqual([
      ['generic-secret-assignment', 'telnyx'],
      ['generic-secret-assignment', undefined],
    ]);
  });

  it('leave a value the provider rule matches to that rule', () => {
    const example = rules.find((r) => r.id === 'telnyx-api-key')!.examples[0]!; // TELNYX_API_KEY=KEY…
    const found = detector.scan(Buffer.from(`${example}\n`));
    expect(found.map((m) => [m.ruleId, m.namedFor])).toEqual([['telnyx-api-key', undefined]]);
  });

  it('report that provider and its guidance in text, JSON and SARIF, and keep it through a JSON report read back', () => {
    const result = resultFor({ 'settings.py': `TELNYX_API_KEY = "${value}"\n` });
    const [f] = result.findings;
    expect(f).toMatchObject({ ruleId: 'generic-secret-assignment', provider: 'telnyx', providerName: 'Telnyx', namedFor: { rule: 'telnyx-api-key' } });
    const text = renderText(result, reportOptions());
    expect(text).toContain('named Telnyx by its variable');
    expect(text).toContain('Telnyx · Telnyx API key');
    expect(text).not.toContain('Find which system accepts this credential');
    const json = toJsonReport(result, reportOptions());
    const telnyx = rules.find((r) => r.id === 'telnyx-api-key')!;
    expect(json.findings[0]!.revocation).toEqual(telnyx.revocation);
    expect(JSON.stringify(renderSarif(result, reportOptions()))).toContain(telnyx.revocation.summary.replace(/"/g, '\\"'));
    const back = fromJsonReport(parseJsonReport(JSON.stringify(json), 'r.json'), 'r.json');
    expect(back.result.findings[0]!.namedFor).toEqual(f!.namedFor);
    expect(back.rules.get('telnyx-api-key')?.revocation).toEqual(telnyx.revocation);
    expect(back.rules.has('generic-secret-assignment')).toBe(false); // its guidance was never in this report
  });
});
