import { describe, expect, it } from 'vitest';
import { Detector } from '../src/detect/detector.js';
import { loadPlaceholderPatterns, loadRulesDir, readRuleFile } from '../src/rules/load.js';
import { compileRule, pathMatcher } from '../src/rules/compile.js';

// One test over every rule file: adding a provider is adding one file with its examples.
const rules = loadRulesDir();
const detector = new Detector({ rules, placeholders: loadPlaceholderPatterns() });

describe('rule files', () => {
  it('cover the providers the project promises, with at least 40 rules', () => {
    const providers = new Set(rules.map((r) => r.provider));
    for (const p of ['stripe', 'google', 'twilio', 'aws', 'github', 'gitlab', 'slack', 'npm', 'pypi', 'openai', 'anthropic',
      'sendgrid', 'mailgun', 'shopify', 'azure', 'heroku', 'digitalocean', 'huggingface', 'discord', 'telegram', 'jwt',
      'private-key', 'database', 'generic']) {
      expect(providers, `provider ${p}`).toContain(p);
    }
    expect(rules.length).toBeGreaterThanOrEqual(40);
  });

  for (const rule of rules) {
    // A rule scoped to credential files sees its examples in such a file.
    const at = rule.paths ? (rule.examplePath ?? rule.paths[0]!) : undefined;
    const ids = (example: string, path: string | undefined) => detector.scan(Buffer.from(example), path).map((m) => m.ruleId);
    describe(rule.id, () => {
      it('compiles with RE2 and carries examples, negatives and guidance', () => {
        expect(() => compileRule(rule).check()).not.toThrow();
        expect(rule.examples.length).toBeGreaterThanOrEqual(2);
        expect(rule.negativeExamples.length).toBeGreaterThanOrEqual(2);
        expect(rule.revocation.steps.length).toBeGreaterThan(0);
        expect(rule.revocation.after.length).toBeGreaterThan(0);
        if (at !== undefined) expect(pathMatcher(rule.paths!)(at), `example path ${at} is one of the rule's paths`).toBe(true);
      });
      if (at !== undefined) {
        it('finds nothing in files of other names, or of no name', () => {
          for (const example of rule.examples) {
            expect(ids(example, 'docs/README.md'), example).not.toContain(rule.id);
            expect(ids(example, undefined), example).not.toContain(rule.id);
          }
        });
      }
      rule.examples.forEach((example, i) => {
        it(`finds example ${i + 1}`, () => {
          expect(ids(example, at), example).toContain(rule.id);
        });
      });
      rule.negativeExamples.forEach((example, i) => {
        it(`ignores negative example ${i + 1}`, () => {
          expect(ids(example, at), example).not.toContain(rule.id);
        });
      });
    });
  }
});

// Same-span ties between provider rules are decided by each rule's `priority`, not by file order:
// the same answer with the rules loaded in reverse.
describe('rule priority', () => {
  const reversed = new Detector({ rules: [...rules].reverse(), placeholders: loadPlaceholderPatterns() });
  const cases: [string, string, string][] = [
    ['planetscale-password', 'database-uri-password',
      'DATABASE_URL=mysql://k2x8pq7zv3ma:pscale_pw_Tq4Lm8Zx2Vr6Nc1Bk9Hd3Jf7Gp5Ys0Ue2Ka8Wn@aws.connect.psdb.cloud/app'],
    ['yandex-static-access-key-secret', 'aws-secret-access-key',
      '[default]\naws_access_key_id = YCAJEk2Rv8Np4Lx9Qm3Zt7Wb5\naws_secret_access_key = YCPw8nRk3Zq7Vt2Lx9Mb4Hd6Jf1Gs5Ua0Ye8Kc3N\n'],
    ['paystack-secret-key', 'stripe-live-secret-key', 'SECRET_KEY=sk_live_9e4b1c7a2f8d3e6b0a5c9f2e7d1b4a8c3f6e0d9b'],
  ];
  for (const [winner, loser, text] of cases) {
    it(`names ${winner} over ${loser}, in either rule order`, () => {
      const lowered = [...rules].map((r) => (r.id === winner ? { ...r, priority: undefined } : r));
      const byOrder = new Detector({ rules: lowered, placeholders: loadPlaceholderPatterns() });
      // The loser's rule reads the same bytes: without the priority one of them wins by order alone.
      const alone = new Detector({ rules: rules.filter((r) => r.id !== winner), placeholders: loadPlaceholderPatterns() });
      expect(alone.scan(Buffer.from(text)).map((m) => m.ruleId)).toContain(loser);
      for (const d of [detector, reversed]) expect(d.scan(Buffer.from(text)).map((m) => m.ruleId)).toEqual([winner]);
      const reversedLowered = new Detector({ rules: [...lowered].reverse(), placeholders: loadPlaceholderPatterns() });
      const orders = [byOrder, reversedLowered].map((d) => d.scan(Buffer.from(text)).map((m) => m.ruleId).join());
      expect(new Set(orders).size, 'without priority, file order decides').toBe(2);
    });
  }

  it('accepts a whole number from -100 to 100 only', () => {
    const file = (priority: unknown) => ({
      provider: 'acme', name: 'Acme', references: [],
      revocation: { urgency: 'rotate', summary: 's', url: 'https://acme.example', steps: ['a'], api: null, after: ['b'] },
      rules: [{ id: 'acme-key', name: 'Acme key', severity: 'high', keywords: ['acme_'], pattern: '(acme_[a-z]{8})', priority }],
    });
    expect(readRuleFile(file(5), 'acme.yml')[0]!.priority).toBe(5);
    expect(readRuleFile(file(undefined), 'acme.yml')[0]!.priority).toBeUndefined();
    for (const bad of [1.5, 101, '3']) expect(() => readRuleFile(file(bad), 'acme.yml'), String(bad)).toThrow(/priority/);
  });
});

describe('entropy_group: the entropy gate measures one capture group', () => {
  const file = (rule: Record<string, unknown>) => ({
    provider: 'acme', name: 'Acme', references: [],
    revocation: { urgency: 'rotate', summary: 's', url: 'https://acme.example', steps: ['a'], api: null, after: ['b'] },
    rules: [{ id: 'acme-key', name: 'Acme key', severity: 'high', keywords: ['acme-'], pattern: '(acme-[0-9]{9}-([0-9a-z]{16}))\\b', ...rule }],
  });

  it('measures the group, where the whole token would fall under the bar for its ids', () => {
    const text = 'key = acme-111111111-k3v9q2m7x1z8w4p6';
    const whole = readRuleFile(file({ min_entropy: 3.9 }), 'acme.yml');
    const tail = readRuleFile(file({ min_entropy: 3.9, entropy_group: 2 }), 'acme.yml');
    expect(tail[0]!.entropyGroup).toBe(2);
    expect(new Detector({ rules: whole, placeholders: [] }).scan(Buffer.from(text))).toEqual([]);
    const [m] = new Detector({ rules: tail, placeholders: [] }).scan(Buffer.from(text));
    // The secret reported is still the whole token, and its entropy the whole token's.
    expect(m?.secret).toBe('acme-111111111-k3v9q2m7x1z8w4p6');
    expect(m!.entropy).toBeLessThan(3.9);
    const flat = 'key = acme-123456789-aaaaaaaabbbbbbbb';
    expect(new Detector({ rules: tail, placeholders: [] }).scan(Buffer.from(flat))).toEqual([]);
  });

  it('is refused without min_entropy, past the pattern\'s groups, or not a whole number', () => {
    expect(() => readRuleFile(file({ entropy_group: 2 }), 'acme.yml')).toThrow(/entropy_group.*min_entropy/);
    for (const bad of [0, 1.5, '2']) expect(() => readRuleFile(file({ min_entropy: 3, entropy_group: bad }), 'acme.yml'), String(bad)).toThrow(/entropy_group/);
    const [past] = readRuleFile(file({ min_entropy: 3, entropy_group: 3 }), 'acme.yml');
    expect(() => new Detector({ rules: [past!], placeholders: [] })).toThrow(/entropy_group 3 but the pattern has 2 capture group/);
  });
});
