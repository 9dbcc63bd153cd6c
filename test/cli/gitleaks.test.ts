import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, jsonReport, runCli, type CliRun, type JsonReport } from '../support/cli.js';
import { BASE62, LOWER, DIGITS, githubToken, randomChars, stripeSecretKey } from '../support/fake-keys.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

// Migration from gitleaks, end to end: a gitleaks.toml written here, scanned by the built CLI.
const tempDir = useTempDirs();

beforeAll(() => {
  expect(existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
});

/** A made-up internal token shape, `acme_` + 32 of [a-z0-9], that only the imported rule knows. */
const acmeToken = (middle = '') => `acme_${middle}${randomChars(LOWER + DIGITS, 32 - middle.length)}`;
/** A made-up key id the imported `corp-key` rule finds only under deploy/ (its `path`). */
const corpKey = () => `CORPKEY${randomChars(DIGITS, 12)}`;

/**
 * The kind of gitleaks.toml teams keep: custom rules with secretGroup, keywords, entropy and a
 * path, per-rule allowlists (regexTarget line and match, stopwords, an AND condition), a global
 * allowlist, an [extend] block, an allowlist for a default gitleaks rule, a path-only rule, and
 * one rule with a lookahead, which Go's regexp rejects as RE2 does.
 */
const GITLEAKS_TOML = `
title = "acme gitleaks config"

[extend]
useDefault = true
disabledRules = ["generic-api-key", "no-such-default-rule"]

[[rules]]
id = "acme-api-token"
description = "ACME internal API token"
regex = '''(?i)(acme[_-]?(?:api[_-]?)?token)\\s*[:=]\\s*["']?(acme_[a-z0-9]{32})["']?'''
secretGroup = 2
keywords = ["acme_"]
entropy = 3.5
tags = ["internal", "acme"]

  [[rules.allowlists]]
  description = "documentation samples"
  regexTarget = "line"
  regexes = ['''docs-sample''']

  [[rules.allowlists]]
  stopwords = ["dummy"]

  [[rules.allowlists]]
  condition = "AND"
  regexTarget = "match"
  regexes = ['''^acme-token:''']
  paths = ['''^test/''']

[[rules]]
id = "corp-key"
description = "Corp deploy key id"
regex = '''\\b(CORPKEY[0-9]{12})\\b'''
path = '''^deploy/'''
keywords = ["corpkey"]

[[rules]]
id = "pkcs12-file"
description = "PKCS#12 keystore file"
path = '''(?i)\\.p12$'''

[[rules]]
id = "lookahead-token"
description = "uses a lookahead"
regex = '''tok_(?=[a-z]{8})[a-z]{8}'''
keywords = ["tok_"]

[[rules]]
# extends a default gitleaks rule: its allowlist applies to our Stripe rules
id = "stripe-access-token"
  [rules.allowlist]
  regexTarget = "line"
  regexes = ['''stripe-fixture''']

[allowlist]
description = "global allow list"
paths = ['''^vendor/''']
`;

function scan(root: string, ...args: string[]): { run: CliRun; report: JsonReport & { warnings?: { kind: string; source: string; ruleId?: string; message: string }[] } } {
  const run = runCli(['dir', root, '--no-config', '-f', 'json', '--show-secrets', ...args]);
  return { run, report: jsonReport(run) };
}

const secretsOf = (report: JsonReport, ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId).map((f) => f.secret);

describe('--rules-from gitleaks.toml', () => {
  it('finds what the imported rules describe, applies their allowlists, reports the rule RE2 rejects and carries on', () => {
    const root = tempDir();
    const found = acmeToken();
    const inVendor = acmeToken();
    const onSampleLine = acmeToken();
    const withStopword = acmeToken('dummy');
    const fixtureToken = acmeToken();
    const lowEntropy = `acme_${'ab'.repeat(16)}`;
    const deployKey = corpKey();
    const elsewhereKey = corpKey();
    const stripeKept = stripeSecretKey();
    const stripeAllowed = stripeSecretKey();
    writeTree(root, {
      'gitleaks.toml': GITLEAKS_TOML,
      'app/settings.env': `ACME_TOKEN=${found}\nSTRIPE_KEY=${stripeKept}\n`,
      'vendor/lib/settings.env': `ACME_TOKEN=${inVendor}\n`,
      'docs/usage.md': `acme_token: "${onSampleLine}"  # docs-sample\nacme_token: "${withStopword}"\n`,
      'test/fixture.yml': `acme-token: ${fixtureToken}\n`,
      'src/fixture.yml': `acme-token: ${fixtureToken}\n`,
      'low.env': `acme_token=${lowEntropy}\n`,
      'deploy/keys.txt': `${deployKey}\n`,
      'notes/keys.txt': `${elsewhereKey}\n`,
      'certs/client.P12': Buffer.from([0x30, 0x82, 0x00, 0x00, 0x02, 0x01]),
      'billing.js': `const key = "${stripeAllowed}"; // stripe-fixture\n`,
      'lookahead.txt': 'tok_abcdefgh\n',
    });
    const { run, report } = scan(root, '--rules-from', path.join(root, 'gitleaks.toml'));
    expect(run.status, run.stderr).toBe(1);

    const acme = report.findings.filter((f) => f.ruleId === 'acme-api-token');
    // secretGroup 2: the token, not the variable name; found in app/ and in src/ (the AND allowlist needs test/).
    expect(acme.map((f) => f.secret).sort()).toEqual([found, fixtureToken].sort());
    expect(acme.flatMap((f) => f.locations.map((l) => l.path)).sort()).toEqual(['app/settings.env', 'src/fixture.yml']);
    expect(acme[0]).toMatchObject({ provider: 'gitleaks', severity: 'high' });
    expect(secretsOf(report, 'corp-key')).toEqual([deployKey]);
    expect(report.findings.find((f) => f.ruleId === 'pkcs12-file')?.locations.map((l) => l.path)).toEqual(['certs/client.P12']);
    // Built-in rules keep running; the allowlist given to gitleaks' stripe-access-token applies to them.
    expect(report.findings.filter((f) => f.provider === 'stripe').map((f) => f.secret)).toEqual([stripeKept]);
    // vendor/ (global paths), docs-sample line, dummy stopword, test/ fixture (AND), Stripe fixture line.
    expect(report.suppressed['gitleaks-allowlist']).toBe(5);

    const warnings = report.warnings ?? [];
    const lookahead = warnings.find((w) => w.ruleId === 'lookahead-token');
    expect(lookahead?.message).toMatch(/rule skipped: regex is not RE2 syntax \(invalid perl operator: \(\?=\)/);
    expect(lookahead?.source).toContain('gitleaks.toml rules[3]');
    expect(warnings.find((w) => w.ruleId === 'no-such-default-rule')?.message).toMatch(/no secretscan equivalent/);
    expect(run.stderr).toMatch(/secretscan: warning: .*gitleaks\.toml rules\[3\] \(lookahead-token\): rule skipped/);
    expect(report.findings.some((f) => f.ruleId === 'lookahead-token')).toBe(false);
  });

  it('[extend] disabledRules turns off the built-in rules that stand in for the named gitleaks ones', () => {
    const root = tempDir();
    writeTree(root, {
      'gitleaks.toml': '[extend]\nuseDefault = true\ndisabledRules = ["github-pat", "generic-api-key"]\n',
      'a.env': `GITHUB_TOKEN=${githubToken()}\nSTRIPE=${stripeSecretKey()}\n`,
    });
    const { report } = scan(root, '--rules-from', path.join(root, 'gitleaks.toml'));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['stripe-live-secret-key']);
  });

  it('renames an imported rule that has the id of a built-in one, and says so', () => {
    const root = tempDir();
    // A team's own rule that reused a default gitleaks id for another token shape.
    writeTree(root, {
      'gitleaks.toml': `[[rules]]\nid = "slack-bot-token"\nregex = '''slackbot-[0-9a-zA-Z]{24}'''\nkeywords = ["slackbot-"]\n`,
      'a.env': `SLACK=slackbot-${randomChars(BASE62, 24)}\nSLACK_BOT=xoxb-${randomChars(DIGITS, 11)}-${randomChars(DIGITS, 12)}-${randomChars(BASE62, 24)}\n`,
    });
    const { report } = scan(root, '--rules-from', path.join(root, 'gitleaks.toml'));
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['gitleaks:slack-bot-token', 'slack-bot-token']);
    expect(report.warnings?.[0]?.message).toMatch(/reported as "gitleaks:slack-bot-token"/);
  });

  it('takes rules-from from the config, relative to the config file, with a severity', () => {
    const root = tempDir();
    const token = acmeToken();
    writeTree(root, {
      'security/gitleaks.toml': GITLEAKS_TOML,
      '.secretscanrc': 'rules-from:\n  - path: security/gitleaks.toml\n    severity: medium\n',
      'app/settings.env': `ACME_TOKEN=${token}\n`,
    });
    const run = runCli(['dir', '.', '-f', 'json', '--show-secrets'], { cwd: root });
    const report = jsonReport(run);
    expect(report.findings.map((f) => [f.ruleId, f.secret, f.severity])).toEqual([['acme-api-token', token, 'medium']]);
  });

  it('disable-rules turns off imported rules, path-only ones included', () => {
    const root = tempDir();
    writeTree(root, {
      'gitleaks.toml': GITLEAKS_TOML,
      '.secretscanrc': 'rules-from: [gitleaks.toml]\ndisable-rules: [pkcs12-file, acme-api-token]\n',
      'app/settings.env': `ACME_TOKEN=${acmeToken()}\n`,
      'deploy/keys.txt': `${corpKey()}\n`,
      'certs/client.p12': Buffer.from([0x30, 0x82, 0x00, 0x00]),
    });
    const report = jsonReport(runCli(['dir', '.', '-f', 'json'], { cwd: root }));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['corp-key']);
  });

  it('a file that is not TOML is a usage error naming the file and line', () => {
    const root = tempDir();
    writeTree(root, { 'gitleaks.toml': '[[rules]]\nid = "x"\nregex = \n', 'a.txt': 'nothing\n' });
    const run = runCli(['dir', root, '--no-config', '--rules-from', path.join(root, 'gitleaks.toml')]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^secretscan: error: ${path.join(root, 'gitleaks.toml').replace(/[.\\/]/g, '\\$&')}:3:\\d+: not valid TOML`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('.gitleaksignore', () => {
  it('suppresses the findings its entries name in a directory scan, and reports entries it cannot map', () => {
    const root = tempDir();
    const ignoredStripe = stripeSecretKey();
    const keptStripe = stripeSecretKey();
    const ignoredAcme = acmeToken();
    const keptAcme = acmeToken();
    writeTree(root, {
      'gitleaks.toml': GITLEAKS_TOML,
      'config/prod.env': `# prod\nSTRIPE_KEY=${ignoredStripe}\nSTRIPE_KEY_2=${keptStripe}\n`,
      'app/settings.env': `ACME_TOKEN=${ignoredAcme}\n\nACME_TOKEN=${keptAcme}\n`,
      '.gitleaksignore': [
        '# fingerprints from gitleaks reports',
        'config/prod.env:stripe-access-token:2',
        'app/settings.env:acme-api-token:1',
        'config/prod.env:kubernetes-secret-yaml:7',
        'not-a-fingerprint',
        '',
      ].join('\n'),
    });
    const { run, report } = scan(root, '--rules-from', path.join(root, 'gitleaks.toml'));
    expect(run.status).toBe(1);
    expect(report.findings.map((f) => f.secret).sort()).toEqual([keptStripe, keptAcme].sort());
    expect(report.suppressed.gitleaksignore).toBe(2);
    const ignoreWarnings = (report.warnings ?? []).filter((w) => w.kind === 'gitleaksignore');
    expect(ignoreWarnings.map((w) => [path.basename(w.source), w.ruleId ?? null])).toEqual([
      ['.gitleaksignore:5', null],
      ['.gitleaksignore:4', 'kubernetes-secret-yaml'],
    ]);
    expect(ignoreWarnings[1]?.message).toMatch(/no.*equivalent|neither/);
    expect(run.stderr.match(/warning: .*\.gitleaksignore:4/g)).toHaveLength(1);
  });

  it('works without --rules-from for built-in rules, and from --gitleaks-ignore FILE', () => {
    const root = tempDir();
    const key = stripeSecretKey();
    writeTree(root, { 'a.env': `STRIPE=${key}\n`, 'elsewhere/ignore-list': 'a.env:stripe-access-token:1\n' });
    expect(scan(root).report.findings).toHaveLength(1);
    const { report } = scan(root, '--gitleaks-ignore', path.join(root, 'elsewhere/ignore-list'));
    expect(report.findings).toHaveLength(0);
    expect(report.suppressed.gitleaksignore).toBe(1);
  });

  it('matches commit fingerprints in git scans only at their commit; file fingerprints at any commit', () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    const first = stripeSecretKey();
    const second = stripeSecretKey();
    const acme = acmeToken();
    writeTree(repo, { 'gitleaks.toml': GITLEAKS_TOML, 'deploy/app.env': `STRIPE=${first}\n` });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'first');
    const c1 = git(repo, 'rev-parse', 'HEAD').trim();
    writeTree(repo, { 'deploy/app.env': `STRIPE=${first}\nSTRIPE_2=${second}\n`, 'app/settings.env': `ACME_TOKEN=${acme}\n` });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'second');
    const c2 = git(repo, 'rev-parse', 'HEAD').trim();
    const scanGit = (ignore: string[]) => {
      writeTree(repo, { 'ignore-list': `${ignore.join('\n')}\n` });
      const run = runCli(['git', repo, '--no-config', '-f', 'json', '--show-secrets', '--rules-from', path.join(repo, 'gitleaks.toml'), '--gitleaks-ignore', path.join(repo, 'ignore-list')]);
      return jsonReport(run) as JsonReport;
    };
    const all = scanGit([]);
    expect(all.findings.map((f) => f.secret).sort()).toEqual([first, second, acme].sort());

    // The first key came in with c1: an entry naming c2 for it does not apply, one naming c1 does.
    const wrongCommit = scanGit([`${c2}:deploy/app.env:stripe-access-token:1`]);
    expect(wrongCommit.findings.map((f) => f.secret)).toContain(first);
    const ignored = scanGit([`${c1}:deploy/app.env:stripe-access-token:1`, `${c2}:deploy/app.env:stripe-access-token:2`, 'app/settings.env:acme-api-token:1']);
    expect(ignored.findings).toEqual([]);
    expect(ignored.suppressed.gitleaksignore).toBe(3);
  });
});
