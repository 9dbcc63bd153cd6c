import { describe, expect, it } from 'vitest';
import { withoutGuidance } from '../../src/detect/pool.js';
import { loadBuiltinRules } from '../../src/rules/builtin.js';
import type { RuleSpec } from '../../src/types.js';

describe('rules sent to workers', () => {
  it('leave out revocation guidance and references without reading them, and keep the rest', () => {
    const rule = { id: 'acme-key', name: 'Acme key', pattern: '(acme_[a-z]{8})', keywords: ['acme_'] } as unknown as RuleSpec;
    for (const key of ['revocation', 'references']) {
      Object.defineProperty(rule, key, {
        enumerable: true,
        get() {
          throw new Error(`${key} was read`);
        },
      });
    }
    const sent = withoutGuidance(rule);
    expect(sent).toEqual({ id: 'acme-key', name: 'Acme key', pattern: '(acme_[a-z]{8})', keywords: ['acme_'] });
    expect(() => structuredClone(sent)).not.toThrow();
    expect(() => structuredClone(rule)).toThrow(/was read/);
  });

  it('keep every matching field of the built-in rules', () => {
    const { rules } = loadBuiltinRules();
    const sent = rules.map(withoutGuidance);
    const matching = (r: RuleSpec) => ({ ...r, revocation: undefined, references: undefined });
    expect(sent.map((r) => ({ ...r, revocation: undefined, references: undefined }))).toEqual(rules.map(matching));
    expect(sent.every((r) => !('revocation' in r) && !('references' in r))).toBe(true);
  });
});
