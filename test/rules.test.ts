import { describe, expect, it } from 'vitest';
import { Detector } from '../src/detect/detector.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../src/rules/load.js';
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
