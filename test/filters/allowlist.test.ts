import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/config.js';
import { Detector } from '../../src/detect/detector.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import { Allowlist, INLINE_MARKERS } from '../../src/filters/allowlist.js';
import type { Match } from '../../src/types.js';
import { githubToken, stripeSecretKey } from '../support/fake-keys.js';

const detector = new Detector({ rules: loadRulesDir(), placeholders: loadPlaceholderPatterns() });
const scan = (text: string): Match[] => detector.scan(Buffer.from(text));
const allowlist = (data: Record<string, unknown> = {}) => new Allowlist(readConfig(data, '/repo/.secretscanrc'));

describe('Allowlist: inline markers', () => {
  const comments: Record<string, (marker: string) => string> = {
    'a shell comment': (m) => `# ${m}`,
    'a JS comment': (m) => `// ${m}`,
    'a YAML comment with more words': (m) => `# test fixture, ${m} (fake key)`,
  };
  for (const marker of ['secretscan:allow', 'gitleaks:allow', 'trufflehog:ignore', 'pragma: allowlist secret']) {
    for (const [where, comment] of Object.entries(comments)) {
      it(`suppresses a match on the line of "${marker}" in ${where}, and only there`, () => {
        const [a, b, c] = [githubToken(), githubToken(), githubToken()];
        const text = [`TOKEN_A=${a}`, `TOKEN_B=${b} ${comment(marker)}`, `TOKEN_C=${c}`, ''].join('\n');
        const matches = scan(text);
        expect(matches.map((m) => m.secret)).toEqual([a, b, c]);
        expect(matches.map((m) => allowlist().suppress(m))).toEqual([null, 'inline-marker', null]);
      });
    }
  }

  it('suppresses a match on a very long line when the marker sits next to it, far from both ends', () => {
    const key = githubToken();
    const half = 'a=b+c;'.repeat(20_000);
    const [match] = scan(`${half}var t="${key}"/* secretscan:allow */;${half}\n`);
    expect(match?.secret).toBe(key);
    expect(allowlist().suppress(match!)).toBe('inline-marker');
  });

  it('does not let a marker on the line above reach the next line', () => {
    const key = stripeSecretKey();
    const [match] = scan(`# secretscan:allow\nSTRIPE_KEY=${key}\n`);
    expect(allowlist().suppress(match!)).toBeNull();
  });

  it('knows the markers of the tools users migrate from', () => {
    expect(INLINE_MARKERS).toEqual(expect.arrayContaining(['gitleaks:allow', 'trufflehog:ignore', 'pragma: allowlist secret']));
  });
});

describe('Allowlist: allow-regexes and stopwords', () => {
  it('suppresses a secret matching an allow-regex', () => {
    const key = stripeSecretKey();
    const [match] = scan(`STRIPE_KEY=${key}`);
    expect(allowlist({ 'allow-regexes': [`^${key.slice(0, 12)}`] }).suppress(match!)).toBe('allow-regex');
    expect(allowlist({ 'allow-regexes': ['^sk_test_'] }).suppress(match!)).toBeNull();
  });

  it('suppresses a secret containing a stopword, in any case', () => {
    const key = githubToken();
    const [match] = scan(`GITHUB_TOKEN=${key}`);
    const word = key.slice(10, 16);
    expect(allowlist({ stopwords: [word.toUpperCase()] }).suppress(match!)).toBe('stopword');
    expect(allowlist({ stopwords: ['dummy'] }).suppress(match!)).toBeNull();
  });
});

describe('Allowlist: allow-paths', () => {
  const list = allowlist({ 'allow-paths': ['test/fixtures/**', '**/*.snap', '.env.example'] });

  it('matches globs relative to the folder of the config, dotfiles included', () => {
    expect(list.pathAllowed('/repo/test/fixtures/keys/stripe.txt')).toBe(true);
    expect(list.pathAllowed('/repo/src/__snapshots__/app.test.ts.snap')).toBe(true);
    expect(list.pathAllowed('/repo/.env.example')).toBe(true);
  });

  it('does not match other files', () => {
    expect(list.pathAllowed('/repo/src/payments.ts')).toBe(false);
    expect(list.pathAllowed('/repo/.env')).toBe(false);
  });

  it('never matches a path outside the config folder', () => {
    expect(allowlist({ 'allow-paths': ['**'] }).pathAllowed('/elsewhere/.env')).toBe(false);
  });

  it('allows nothing when no allow-paths are set', () => {
    expect(allowlist().pathAllowed('/repo/test/fixtures/keys.txt')).toBe(false);
  });
});
