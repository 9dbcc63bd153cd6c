import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, jsonReport, runCli, type CliRun } from '../support/cli.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

// End to end: the built CLI (`npm run build` before `vitest run`) in scratch folders.
const tempDir = useTempDirs();

beforeAll(() => {
  expect(existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
});

/** 8.6 MB of ordinary code: two of these pass the 16 MB at which scans move to worker threads. */
const LARGE_JS = 'const value = compute(index, offset) + lookup[index % 7];\n'.repeat(150_000);

/** A folder holding `files`, scanned with `secretscan dir <folder> ...args`. */
function scanTree(files: Record<string, string | Buffer>, ...args: string[]): CliRun {
  const root = tempDir();
  writeTree(root, files);
  return runCli(['dir', root, ...args]);
}

/** A usage error: exit 2, one line on stderr saying what is wrong (a hint line may follow), no stack. */
function expectUsageError(run: CliRun, message: RegExp): void {
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines.filter((l) => !l.startsWith('  hint: ')), run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^secretscan: error: /);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
}

describe('secretscan dir: exit codes', () => {
  it('exits 0 when nothing leaks', () => {
    const run = scanTree({ 'README.md': '# payments\n', 'src/app.ts': 'export const port = 8080;\n' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('no leaks found');
  });

  it('exits 1 when a secret leaks', () => {
    const run = scanTree({ '.env': `GITHUB_TOKEN=${githubToken()}\n` });
    expect(run.status, run.stderr).toBe(1);
  });

  it('exits with --exit-code instead of 1 when asked', () => {
    expect(scanTree({ '.env': `GITHUB_TOKEN=${githubToken()}\n` }, '--exit-code', '3').status).toBe(3);
  });

  it('exits 0 with --fail-on critical when only medium findings exist, 1 with --fail-on medium', () => {
    const files = { 'config/db.env': `DB_PASSWORD=${password()}\n` };
    const critical = scanTree(files, '--fail-on', 'critical', '--format', 'json');
    expect(jsonReport(critical).findings.map((f) => f.severity)).toEqual(['medium']);
    expect(critical.status).toBe(0);
    expect(scanTree(files, '--fail-on', 'medium').status).toBe(1);
  });

  it('exits 0 with --no-fail, after reporting the findings', () => {
    const run = scanTree({ '.env': `GITHUB_TOKEN=${githubToken()}\n` }, '--no-fail');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 leak in 1 place');
  });
});

describe('usage errors exit 2 with one line on stderr', () => {
  it('for an unknown option', () => {
    expectUsageError(scanTree({}, '--frobnicate'), /frobnicate/);
  });

  it('for an unknown command', () => {
    expectUsageError(runCli(['frobnicate'], { cwd: tempDir() }), /frobnicate/);
  });

  it('for no command at all', () => {
    expectUsageError(runCli([], { cwd: tempDir() }), /command/);
  });

  it('for a path that does not exist', () => {
    const missing = path.join(tempDir(), 'no-such-folder');
    expectUsageError(runCli(['dir', missing]), /no such file or directory/);
  });

  it('for a bad --fail-on value', () => {
    expectUsageError(scanTree({}, '--fail-on', 'severe'), /fail-on/);
  });

  it('for a bad --format value', () => {
    expectUsageError(scanTree({}, '--format', 'xml'), /format/);
  });

  it('for a bad --max-file-size value', () => {
    expectUsageError(scanTree({}, '--max-file-size', 'lots'), /--max-file-size/);
  });

  it('for a config file with an unknown key, naming the file and the key', () => {
    const run = scanTree({ '.secretscanrc': 'allow-path:\n  - test/**\n' });
    expectUsageError(run, /\.secretscanrc: unknown key "allow-path"/);
  });

  const brokenRuleConfig = JSON.stringify({
    rules: [{
      provider: 'acme', name: 'Acme',
      revocation: { urgency: 'rotate', summary: 'Rotate it.', steps: ['Rotate it in the console.'], after: ['Check the logs.'] },
      rules: [{ id: 'acme-broken', name: 'Acme key', severity: 'high', keywords: ['acme_'], pattern: '(acme_\\w+)(?=;)' }],
    }],
  });

  it('for a config rule whose pattern RE2 rejects, naming the rule', () => {
    expectUsageError(scanTree({ '.secretscanrc.json': brokenRuleConfig, 'a.txt': 'acme_123;\n' }), /acme-broken/);
  });

  it('for a config rule whose pattern RE2 rejects, in a scan large enough to run on worker threads', () => {
    const run = scanTree({ '.secretscanrc.json': brokenRuleConfig, 'a.js': LARGE_JS, 'b.js': LARGE_JS }, '--threads', '2');
    expectUsageError(run, /acme-broken/);
  });
});

describe('secrets stay out of reports', () => {
  const formats = ['text', 'json', 'sarif'] as const;

  for (const format of formats) {
    it(`prints no raw secret in ${format} output by default`, () => {
      const keys = [stripeSecretKey(), githubToken(), password()];
      const run = scanTree({ '.env': `STRIPE_SECRET_KEY=${keys[0]}\nGITHUB_TOKEN=${keys[1]}\nDB_PASSWORD=${keys[2]}\n` }, '--format', format);
      expect(run.status).toBe(1);
      for (const key of keys) {
        expect(run.stdout).not.toContain(key);
        expect(run.stderr).not.toContain(key);
      }
    });

    it(`prints the raw secrets in ${format} output with --show-secrets`, () => {
      const keys = [stripeSecretKey(), githubToken()];
      const run = scanTree({ '.env': `STRIPE_SECRET_KEY=${keys[0]}\nGITHUB_TOKEN=${keys[1]}\n` }, '--format', format, '--show-secrets');
      for (const key of keys) expect(run.stdout).toContain(key);
    });
  }
});

describe('the JSON report', () => {
  it('groups one secret found in three files into one finding with three locations', () => {
    const key = stripeSecretKey();
    const run = scanTree(
      { '.env': `STRIPE_SECRET_KEY=${key}\n`, 'deploy/values.yaml': `stripe:\n  key: ${key}\n`, 'docs/setup.md': `Run:\n\n    export STRIPE_KEY=${key}\n` },
      '--format', 'json',
    );
    const report = jsonReport(run);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.provider).toBe('stripe');
    expect(report.findings[0]!.locations.map((l) => [l.path, l.line])).toEqual([['.env', 1], ['deploy/values.yaml', 2], ['docs/setup.md', 3]]);
    expect(report.summary).toMatchObject({ findings: 1, locations: 3 });
  });

  it('lists binary files and files over --max-file-size in skipped, with the reason', () => {
    const run = scanTree(
      {
        'assets/icon.png': Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR'), Buffer.from(`token=${githubToken()}`)]),
        'data/export.csv': `id,token\n${Array.from({ length: 200 }, (_, i) => `${i},${'a'.repeat(20)}`).join('\n')}\n`,
        'src/app.ts': 'export {};\n',
      },
      '--format', 'json', '--max-file-size', '1KB',
    );
    const report = jsonReport(run);
    expect(report.skipped).toEqual([
      { path: 'assets/icon.png', reason: 'binary' },
      { path: 'data/export.csv', reason: 'too-large', detail: expect.stringContaining('1024') },
    ]);
    expect(report.findings).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe('fingerprints', () => {
  function fingerprintOf(root: string): { fingerprint: string; id: string; line: number } {
    const report = jsonReport(runCli(['dir', root, '--format', 'json']));
    expect(report.findings).toHaveLength(1);
    const finding = report.findings[0]!;
    return { fingerprint: finding.locations[0]!.fingerprint, id: finding.id, line: finding.locations[0]!.line };
  }

  it('stay the same when lines are inserted above the secret', () => {
    const key = githubToken();
    const root = tempDir();
    writeTree(root, { 'ci.env': `GITHUB_TOKEN=${key}\n` });
    const before = fingerprintOf(root);
    writeFileSync(path.join(root, 'ci.env'), `# CI settings\nNODE_ENV=test\n\nLOG_LEVEL=debug\nGITHUB_TOKEN=${key}\n`);
    const after = fingerprintOf(root);
    expect(after.line).toBe(5);
    expect(after.fingerprint).toBe(before.fingerprint);
    expect(after.id).toBe(before.id);
  });

  it('differ for a different secret on the same line', () => {
    const root = tempDir();
    writeTree(root, { 'ci.env': `GITHUB_TOKEN=${githubToken()}\n` });
    const first = fingerprintOf(root);
    writeFileSync(path.join(root, 'ci.env'), `GITHUB_TOKEN=${githubToken()}\n`);
    const second = fingerprintOf(root);
    expect(second.line).toBe(first.line);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.id).not.toBe(first.id);
  });

  it('never contain the secret', () => {
    const key = githubToken();
    const root = tempDir();
    writeTree(root, { 'ci.env': `GITHUB_TOKEN=${key}\n` });
    const { fingerprint, id } = fingerprintOf(root);
    for (const value of [fingerprint, id]) {
      expect(value).not.toContain(key);
      expect(value.toLowerCase()).not.toContain(key.slice(4, 12).toLowerCase());
    }
  });
});

describe('secretscan dir: output', () => {
  it('writes the report to --output FILE and only a summary to stderr', () => {
    const root = tempDir();
    writeTree(root, { 'repo/.env': `GITHUB_TOKEN=${githubToken()}\n` });
    const out = path.join(root, 'report.json');
    const run = runCli(['dir', path.join(root, 'repo'), '--format', 'json', '--output', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`1 leak found, report written to ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toHaveLength(1);
  });

  it('has a "How to revoke" block naming the provider in text output', () => {
    const run = scanTree({ 'config/.env': `STRIPE_SECRET_KEY=${stripeSecretKey()}\n` });
    const block = run.stdout.slice(run.stdout.indexOf('How to revoke'));
    expect(run.stdout).toContain('How to revoke');
    expect(block).toContain('Stripe');
    expect(block).toMatch(/https:\/\/dashboard\.stripe\.com/);
  });

  it('writes no colour codes when stdout is not a terminal', () => {
    expect(scanTree({ '.env': `GITHUB_TOKEN=${githubToken()}\n` }).stdout).not.toContain('\x1b[');
  });

  it('finds a key in a scan large enough to run on worker threads', () => {
    const key = githubToken();
    const run = scanTree({ 'dist/a.js': LARGE_JS, 'dist/b.js': `${LARGE_JS}const token = "${key}";\n` }, '--format', 'json', '--show-secrets', '--threads', '2');
    const report = jsonReport(run);
    expect(report.findings.map((f) => [f.secret, f.locations[0]!.path])).toEqual([[key, 'dist/b.js']]);
  });
});

describe('secretscan dir: what it reads', () => {
  it('scans dotfiles and honours .gitignore in a git repository; --no-ignore scans ignored files', () => {
    const root = tempDir();
    const [tracked, ignored] = [githubToken(), githubToken()];
    writeTree(root, { '.gitignore': 'local.env\n', '.env.production': `GITHUB_TOKEN=${tracked}\n`, 'local.env': `GITHUB_TOKEN=${ignored}\n` });
    git(root, 'init', '-q');
    const secrets = (run: CliRun) => jsonReport(run).findings.map((f) => f.secret);
    expect(secrets(runCli(['dir', root, '--format', 'json', '--show-secrets']))).toEqual([tracked]);
    expect(secrets(runCli(['dir', root, '--format', 'json', '--show-secrets', '--no-ignore'])).sort()).toEqual([tracked, ignored].sort());
  });

  it('scans a folder git ignores as a whole when it is named (git ls-files cannot run inside one)', () => {
    const root = tempDir();
    const key = githubToken();
    writeTree(root, { '.gitignore': 'vendor/\n', 'vendor/lib/.env': `GITHUB_TOKEN=${key}\n` });
    git(root, 'init', '-q');
    const run = runCli(['dir', path.join(root, 'vendor'), '--format', 'json', '--show-secrets']);
    expect(run.stderr).toBe('');
    expect(jsonReport(run).findings.map((f) => f.secret)).toEqual([key]);
    expect(jsonReport(runCli(['dir', root, '--format', 'json'])).findings).toEqual([]);
  });

  it('scans a single file', () => {
    const root = tempDir();
    writeTree(root, { 'deploy.sh': `export GITHUB_TOKEN=${githubToken()}\n` });
    const report = jsonReport(runCli(['dir', path.join(root, 'deploy.sh'), '--format', 'json']));
    expect(report.findings[0]!.locations[0]!.path).toBe('deploy.sh');
  });
});

describe('config in the scanned folder', () => {
  const files = () => ({
    '.secretscanrc': 'allow-paths:\n  - test/fixtures/**\n',
    'test/fixtures/stripe.json': `{"key": "${stripeSecretKey()}"}\n`,
  });

  it('is picked up: allow-paths suppresses findings under it', () => {
    const run = scanTree(files(), '--format', 'json');
    expect(run.status).toBe(0);
    const report = jsonReport(run);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual({ 'allow-path': 1 });
  });

  it('is ignored with --no-config', () => {
    const run = scanTree(files(), '--format', 'json', '--no-config');
    expect(jsonReport(run).findings.map((f) => f.provider)).toEqual(['stripe']);
    expect(run.status).toBe(1);
  });

  it('can be named with --config from anywhere', () => {
    const elsewhere = tempDir();
    writeTree(elsewhere, { 'secretscan.yml': 'fail-on: critical\n' });
    const run = scanTree({ 'db.env': `DB_PASSWORD=${password()}\n` }, '--config', path.join(elsewhere, 'secretscan.yml'));
    expect(run.stdout).toContain('1 medium');
    expect(run.status).toBe(0);
  });
});

describe('secretscan stdin', () => {
  it('scans piped input and labels findings <stdin>', () => {
    const key = stripeSecretKey();
    const run = runCli(['stdin', '--format', 'json'], { cwd: tempDir(), input: `curl -u ${key}: https://api.stripe.com/v1/charges\n` });
    expect(run.status).toBe(1);
    const report = jsonReport(run);
    expect(report.findings.map((f) => [f.provider, f.locations[0]!.path, f.locations[0]!.line])).toEqual([['stripe', '<stdin>', 1]]);
    expect(run.stdout).not.toContain(key);
  });

  it('uses --label as the path', () => {
    const run = runCli(['stdin', '--label', 'pasted.env', '--format', 'json'], { cwd: tempDir(), input: `GITHUB_TOKEN=${githubToken()}\n` });
    expect(jsonReport(run).findings[0]!.locations[0]!.path).toBe('pasted.env');
  });

  it('exits 0 on clean input', () => {
    expect(runCli(['stdin'], { cwd: tempDir(), input: 'nothing to see here\n' }).status).toBe(0);
  });
});

describe('secretscan rules', () => {
  it('lists at least 40 rules grouped by provider, with counts that add up', () => {
    const run = runCli(['rules'], { cwd: tempDir() });
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const verifiable = /^(\d+) of them can be checked live with their provider \(--verify\)/.exec(lines.pop() ?? '');
    const total = /^(\d+) rules for (\d+) providers/.exec(lines.at(-1) ?? '');
    expect(total, lines.at(-1)).not.toBeNull();
    expect(Number(verifiable?.[1])).toBe(lines.filter((l) => l.endsWith('  [--verify]')).length);
    expect(lines.find((l) => l.startsWith('  stripe-live-secret-key '))).toMatch(/\[--verify\]$/);
    const [count, providers] = [Number(total![1]), Number(total![2])];
    expect(count).toBeGreaterThanOrEqual(40);
    const headers = lines.filter((l) => /^\S.*\(\S+\): \d+ rules?/.test(l));
    expect(headers).toHaveLength(providers);
    expect(headers.reduce((n, h) => n + Number(/: (\d+) rules?/.exec(h)![1]), 0)).toBe(count);
    const reported = lines.filter((l) => l.startsWith('  ') && !l.includes('partner-only'));
    expect(reported).toHaveLength(count);
    expect(headers).toContain('Stripe (stripe): 5 rules');
  });

  it('stops quietly when the reader of its output leaves (| head), exit code unchanged', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'rules'], { cwd: tempDir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -0`: the reader is gone before the command writes its list.
    child.stdout.destroy();
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('lists them as JSON with --format json', () => {
    const rules = JSON.parse(runCli(['rules', '--format', 'json'], { cwd: tempDir() }).stdout) as { id: string; provider: string }[];
    expect(rules.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(rules.map((r) => r.provider)).toEqual(expect.arrayContaining(['stripe', 'github', 'aws']));
    expect((rules as { id: string; verify?: string }[]).find((r) => r.id === 'stripe-live-secret-key')?.verify).toBe('GET https://api.stripe.com/v1/account');
  });
});

describe('help and version', () => {
  it('prints help and exits 0', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/dir \[path\]/);
  });

  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(CLI), '..', 'package.json'), 'utf8')) as { version: string };
    expect(runCli(['--version']).stdout.trim()).toBe(pkg.version);
  });
});
