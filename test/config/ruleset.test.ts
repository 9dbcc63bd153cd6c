import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/config.js';
import { UserError } from '../../src/errors.js';
import { buildRuleSet } from '../../src/config/ruleset.js';

const FILE = '/repo/.secretscanrc';

describe('buildRuleSet', () => {
  it('drops the rules the config disables', () => {
    const all = buildRuleSet(readConfig({}, FILE)).rules;
    const victim = all.find((r) => r.provider === 'jwt')!;
    const rules = buildRuleSet(readConfig({ 'disable-rules': [victim.id] }, FILE)).rules;
    expect(rules.map((r) => r.id)).not.toContain(victim.id);
    expect(rules).toHaveLength(all.length - 1);
  });

  it('refuses to disable a rule that does not exist, naming the config and the id', () => {
    expect(() => buildRuleSet(readConfig({ 'disable-rules': ['no-such-rule'] }, FILE))).toThrow(UserError);
    expect(() => buildRuleSet(readConfig({ 'disable-rules': ['no-such-rule'] }, FILE))).toThrow(/\/repo\/\.secretscanrc: disable-rules: .*"no-such-rule"/);
  });

  it('applies the config entropy gate to fallback rules only', () => {
    const rules = buildRuleSet(readConfig({ entropy: { relative: 0.95 } }, FILE)).rules;
    for (const r of rules.filter((r) => r.fallback)) expect(r.minEntropy, r.id).toEqual({ relative: 0.95 });
    for (const r of rules.filter((r) => !r.fallback)) expect(r.minEntropy, r.id).not.toEqual({ relative: 0.95 });
  });

  it('refuses a config rule whose id clashes with a built-in one', () => {
    const builtin = buildRuleSet(readConfig({}, FILE)).rules[0]!;
    const config = readConfig(
      {
        rules: [{
          provider: 'acme', name: 'Acme',
          revocation: { urgency: 'rotate', summary: 'Rotate it.', steps: ['Rotate it.'], after: ['Check logs.'] },
          rules: [{ id: builtin.id, name: 'Clash', severity: 'low', keywords: ['acme'], pattern: '(acme_\\w+)' }],
        }],
      },
      FILE,
    );
    expect(() => buildRuleSet(config)).toThrow(new RegExp(`rule id "${builtin.id}" is defined twice`));
  });
});
