import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeSecretKey } from '../support/fake-keys.js';
import { re2Mirror } from '../support/re2-mirror.js';
import { loadRulesDir } from '../../src/rules/load.js';

/**
 * The README's "from a packed tarball" install, done for real: `npm pack`, `npm install -g` of the
 * tarball into a temporary prefix, then the installed `secretscan`. Dependencies come from npm's
 * cache when it has them, and re2's addon from the one this clone built (see re2Mirror).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let tmp: string;
let tarball: string;
let installed: string;
let env: Record<string, string>;

function sh(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(cmd, args, { cwd: options.cwd, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...options.env } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'secretscan-packed-'));
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    // A machine whose registry traffic passes a TLS-inspecting proxy trusts it through this.
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    ...re2Mirror(path.join(tmp, 're2-mirror')),
  };
  const pack = sh('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: ROOT });
  expect(pack.status, pack.stderr).toBe(0);
  tarball = path.join(tmp, pack.stdout.trim().split('\n').pop()!);
  const prefix = path.join(tmp, 'prefix');
  const install = sh('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: tmp });
  expect(install.status, install.stderr).toBe(0);
  // No engine warning: the Node range in package.json matches every dependency's.
  expect(install.stderr).not.toMatch(/EBADENGINE/);
  installed = path.join(prefix, 'bin', 'secretscan');
}, 900_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('secretscan installed from a packed tarball', () => {
  it('ships a LICENSE and no source maps or sources', () => {
    const files = sh('tar', ['-tzf', tarball]).stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/dist/builtin-rules.json');
    expect(files.filter((f) => f.endsWith('.map') || f.startsWith('package/src/'))).toEqual([]);
    const js = files.filter((f) => f.startsWith('package/dist/') && f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(10);
    const out = sh('tar', ['-xzf', tarball, '-O', 'package/dist/cli/main.js']).stdout;
    expect(out).not.toContain('sourceMappingURL');
  });

  it('carries a bundle of every rule file it ships (an installed package trusts its bundle)', () => {
    const bundle = JSON.parse(sh('tar', ['-xzf', tarball, '-O', 'package/dist/builtin-rules.json']).stdout) as { rules: { id: string }[] };
    expect(bundle.rules.map((r) => r.id).sort()).toEqual(loadRulesDir().map((r) => r.id).sort());
  });

  it('finds a key, with the built-in rules read from the bundle, not parsed from YAML', () => {
    const dir = path.join(tmp, 'app');
    mkdirSync(dir);
    writeFileSync(path.join(dir, '.env'), `STRIPE_SECRET_KEY=${stripeSecretKey()}\n`);
    const run = sh(installed, ['dir', dir, '-f', 'json'], { env: { SECRETSCAN_DEBUG: '1' } });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^secretscan: debug: built-in rules from the bundle .*\/node_modules\/secretscan\/dist\/builtin-rules\.json$/m);
    expect(run.stderr).not.toMatch(/parsed from the YAML/);
    // The code cache the build made ships with the CLI and is used (the same Node made both).
    expect(run.stderr).toMatch(/^secretscan: debug: bundled CLI, code cache used$/m);
    expect((JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).toEqual(['stripe-live-secret-key']);
  });

  it('notices a rule file added to the installed package after its bundle was built', () => {
    const rulesDir = path.join(path.dirname(path.dirname(installed)), 'lib', 'node_modules', 'secretscan', 'rules');
    const extra = path.join(rulesDir, 'zz-acme-test.yml');
    const key = 'acme_live_Xq7Lp2Kx9Mw4Zr8Tb3Vc6Yn1Hd5Gs0Jf';
    writeFileSync(
      extra,
      [
        'provider: zz-acme-test',
        'name: Acme (test)',
        'references: [https://example.invalid/docs]',
        'revocation: {urgency: rotate, summary: Rotate it., url: null, steps: [Rotate it.], api: null, after: [Check the logs.]}',
        'rules:',
        '  - id: zz-acme-test-key',
        '    name: Acme test key',
        '    severity: high',
        '    keywords: [acme_live_]',
        "    pattern: '\\b(acme_live_[0-9A-Za-z]{32})\\b'",
        `    examples: ['k = ${key}']`,
        "    negative_examples: ['k = acme_live_']",
        '',
      ].join('\n'),
    );
    try {
      const dir = path.join(tmp, 'extra');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'a.txt'), `k = ${key}\n`);
      const run = sh(installed, ['dir', dir, '-f', 'json'], { env: { SECRETSCAN_DEBUG: '1' } });
      expect(run.stderr).toMatch(/built-in rules parsed from the YAML .* \(bundle stale\)/);
      expect((JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).toEqual(['zz-acme-test-key']);
    } finally {
      rmSync(extra);
    }
  });

  it('reports the version of the package it came from, whose tarball the README installs', () => {
    const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(sh(installed, ['--version']).stdout.trim()).toBe(version);
    expect(path.basename(tarball)).toBe(`secretscan-${version}.tgz`);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const snippet = /<!-- tested: install-tarball -->\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';
    const commands = snippet.split('\n').map((l) => l.replace(/#.*/, '').trim());
    expect(commands).toEqual(['npm ci', 'npm pack', `npm install -g ./secretscan-${version}.tgz`]);
  });
});
