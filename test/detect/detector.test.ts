import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { loadPlaceholderPatterns, loadRulesDir } from '../../src/rules/load.js';
import type { Match, RuleSpec } from '../../src/types.js';
import { githubToken, password, stripePublishableKey, stripeSecretKey } from '../support/fake-keys.js';

const rules = loadRulesDir();
const placeholders = loadPlaceholderPatterns();
const detector = new Detector({ rules, placeholders });

/** The built-in rule a keyword enables (rule ids are the rule files' business, not this test's). */
function ruleFor(keyword: string, provider: string): RuleSpec {
  const rule = rules.find((r) => !r.fallback && r.provider === provider && r.keywords.includes(keyword));
  if (!rule) throw new Error(`no built-in rule has the keyword ${keyword}`);
  return rule;
}
const stripeLive = ruleFor('sk_live_', 'stripe');
const githubClassic = ruleFor('ghp_', 'github');

function scan(text: string): Match[] {
  return detector.scan(Buffer.from(text, 'utf8'));
}

/** 1-based line and UTF-16 column of `needle` in `text`, as an editor would show them. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error('needle not in text');
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('Detector: positions', () => {
  it('finds a Stripe key and reports its 1-based line and column', () => {
    const key = stripeSecretKey();
    const text = ['import Stripe from "stripe";', '', `const stripe = new Stripe("${key}");`, 'export default stripe;', ''].join('\n');
    const [match, ...rest] = scan(text);
    expect(rest).toEqual([]);
    expect(match).toMatchObject({ ruleId: stripeLive.id, secret: key, ...positionOf(text, key) });
    expect(match!.endLine).toBe(match!.line);
    expect(match!.endColumn).toBe(match!.column + key.length);
  });

  it('counts columns in UTF-16 code units after non-ASCII text on the same line', () => {
    const key = stripeSecretKey();
    // é is 2 bytes in UTF-8 and 1 UTF-16 unit; ☕ 3 bytes and 1 unit; 🔑 4 bytes and 2 units.
    const text = `# config\n// café ☕ clé 🔑: "${key}"\n`;
    const [match] = scan(text);
    const { line, column } = positionOf(text, key);
    const byteColumn = Buffer.byteLength(text.split('\n')[1]!.slice(0, column - 1)) + 1;
    expect(byteColumn).not.toBe(column);
    expect(match).toMatchObject({ secret: key, line, column, endColumn: column + key.length });
  });

  it('counts lines the same way with CRLF line endings', () => {
    const key = githubToken();
    const text = `first\r\nsecond\r\nGITHUB_TOKEN=${key}\r\n`;
    const [match] = scan(text);
    expect(match).toMatchObject({ ruleId: githubClassic.id, secret: key, line: 3, column: 'GITHUB_TOKEN='.length + 1 });
    expect(match!.lineText).toBe(`GITHUB_TOKEN=${key}`);
  });

  it('finds several keys on one line, in order', () => {
    const a = stripeSecretKey(24);
    const b = githubToken();
    const text = `{"stripe":"${a}","github":"${b}"}`;
    expect(scan(text).map((m) => [m.secret, m.column])).toEqual([
      [a, text.indexOf(a) + 1],
      [b, text.indexOf(b) + 1],
    ]);
  });
});

describe('Detector: long lines', () => {
  it('finds a key in the middle and at the end of a 5 MB single-line minified bundle', () => {
    const chunk = 'function(e,t){return e.map(function(n){return n*t})},';
    const half = chunk.repeat(Math.ceil(2.5 * 1024 * 1024 / chunk.length));
    const middle = stripeSecretKey();
    const end = githubToken();
    const bundle = `!function(){var a=[${half}],k="${middle}";${half}return"${end}"}();`;
    expect(bundle.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(bundle).not.toContain('\n');
    const matches = scan(bundle);
    expect(matches.map((m) => ({ secret: m.secret, line: m.line, column: m.column }))).toEqual([
      { secret: middle, line: 1, column: bundle.indexOf(middle) + 1 },
      { secret: end, line: 1, column: bundle.indexOf(end) + 1 },
    ]);
    // The line text kept for inline markers is bounded, not 5 MB per match.
    for (const m of matches) expect(m.lineText.length).toBeLessThan(10_000);
  });
});

describe('Detector: encodings', () => {
  it('finds a key base64-encoded in a Kubernetes Secret, at the encoded value', () => {
    const key = stripeSecretKey();
    const encoded = Buffer.from(key).toString('base64');
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: payments',
      'type: Opaque',
      'data:',
      `  STRIPE_SECRET_KEY: ${encoded}`,
      `  WEBHOOK_URL: ${Buffer.from('https://hooks.internal/payments').toString('base64')}`,
      '',
    ].join('\n');
    expect(manifest).not.toContain(key);
    const matches = scan(manifest);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ ruleId: stripeLive.id, secret: key, encoding: 'base64', ...positionOf(manifest, encoded) });
  });

  it('finds a key in a base64-encoded .env file (a Secret built with --from-env-file)', () => {
    const key = githubToken();
    const env = Buffer.from(`NODE_ENV=production\nGITHUB_TOKEN=${key}\n`).toString('base64');
    const matches = scan(`data:\n  app.env: ${env}\n`);
    expect(matches.map((m) => [m.ruleId, m.secret, m.encoding])).toEqual([[githubClassic.id, key, 'base64']]);
  });

  it('finds a key percent-encoded in a URL', () => {
    const key = stripeSecretKey();
    // Strict encoders escape '_' too, which hides the sk_live_ prefix from a plain search.
    const hidden = key.replace(/_/g, '%5F');
    const url = `https://hooks.internal/callback?provider=stripe&key=${hidden}&retry=3`;
    const text = `curl "${url}"\n`;
    expect(text).not.toContain('sk_live_');
    const matches = scan(text);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ ruleId: stripeLive.id, secret: key, encoding: 'percent', line: 1 });
  });

  it('does not look inside encodings when decoding is turned off', () => {
    const key = stripeSecretKey();
    const plain = new Detector({ rules, placeholders, decode: false });
    expect(plain.scan(Buffer.from(`token: ${Buffer.from(key).toString('base64')}\n`)).filter((m) => m.secret === key)).toEqual([]);
  });

  it('reports a key in plain text and the same key encoded on another line as two matches', () => {
    const key = githubToken();
    const text = `GITHUB_TOKEN=${key}\nencoded: ${Buffer.from(key).toString('base64')}\n`;
    const matches = scan(text).filter((m) => m.secret === key);
    expect(matches.map((m) => [m.line, m.encoding])).toEqual([
      [1, undefined],
      [2, 'base64'],
    ]);
  });
});

describe('Detector: placeholders', () => {
  const cases = [
    `STRIPE_SECRET_KEY=sk_live_${'x'.repeat(24)}`,
    `STRIPE_SECRET_KEY=sk_live_${'X'.repeat(99)}`,
    'api_key = "${STRIPE_KEY}"',
    'stripe_secret_key: ${{ secrets.STRIPE_KEY }}',
    'const apiKey = process.env.STRIPE_KEY;',
    'api_key: <STRIPE_KEY>',
    'api_key = "<STRIPE_KEY>"',
    `STRIPE_SECRET_KEY=sk_live_EXAMPLE${stripeSecretKey(24).slice('sk_live_'.length)}`,
    'password = "changeme"',
    'DATABASE_URL=postgres://someuser:somepassword@db.internal:5432/app',
    'REDIS_URL=redis://alice:foobared@cache.internal:6380',
    'POSTGRES_PASSWORD=mysecretpassword',
  ];
  for (const text of cases) {
    it(`drops ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`, () => {
      expect(scan(text)).toEqual([]);
    });
  }
});

describe('Detector: what is not a leak', () => {
  it('does not report Stripe publishable keys, which are public by design', () => {
    const key = stripePublishableKey();
    expect(scan(`const stripe = Stripe("${key}");\nSTRIPE_PUBLISHABLE_KEY=${key}\n`)).toEqual([]);
  });

  // Code that computes or names a secret is not a secret: generic assignment rules must not report it.
  for (const line of [
    "let token = crypto.randomBytes(32).toString('hex');",
    'password = hashlib.sha256(pw).hexdigest()',
    'secretName: tls-cert-2024',
  ]) {
    it(`does not report code or names: ${line}`, () => {
      expect(scan(`${line}\n`)).toEqual([]);
    });
  }

  it('drops a GitHub-shaped token whose checksum does not match', () => {
    const token = githubToken();
    const broken = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(scan(`GITHUB_TOKEN=${broken}`).map((m) => m.ruleId)).not.toContain(githubClassic.id);
  });
});

describe('Detector: generic rules yield to provider rules', () => {
  it('reports a Stripe key assigned to api_key once, as the Stripe rule', () => {
    const key = stripeSecretKey();
    const matches = scan(`api_key = "${key}"\n`);
    expect(matches.map((m) => [m.ruleId, m.secret])).toEqual([[stripeLive.id, key]]);
  });

  it('reports a GitHub token assigned to a token variable once, as the GitHub rule', () => {
    const key = githubToken();
    const matches = scan(`export const token = '${key}';\n`);
    expect(matches.map((m) => [m.ruleId, m.secret])).toEqual([[githubClassic.id, key]]);
  });

  it('still reports a password no provider rule knows, through the generic rule', () => {
    const secret = password();
    const matches = scan(`db_password = "${secret}"\n`);
    expect(matches).toHaveLength(1);
    expect(rules.find((r) => r.id === matches[0]!.ruleId)?.fallback).toBe(true);
    expect(matches[0]!.secret).toBe(secret);
  });
});
