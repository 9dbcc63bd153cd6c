import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, readConfig, type Config } from '../../src/config/config.js';
import { scanDirectory } from '../../src/scan/directory.js';
import { prepareScan } from '../../src/scan/engine.js';
import { githubToken, password, stripeSecretKey } from '../support/fake-keys.js';
import { permissionsApply, useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();
const scan = (root: string, config: Config = defaultConfig(root)) => scanDirectory(root, prepareScan(config), { gitignore: true });

describe('scanDirectory', () => {
  it('groups one secret found in three files into one finding with three locations', async () => {
    const root = tempDir();
    const key = stripeSecretKey();
    writeTree(root, {
      '.env': `STRIPE_SECRET_KEY=${key}\n`,
      'config/prod.yml': `stripe:\n  secret_key: ${key}\n`,
      'scripts/charge.sh': `#!/bin/sh\ncurl https://api.stripe.com/v1/charges \\\n  -u ${key}:\n`,
    });
    const result = await scan(root);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.secret).toBe(key);
    expect(result.findings[0]!.locations.map((l) => [l.path, l.line])).toEqual([
      ['.env', 1],
      ['config/prod.yml', 2],
      ['scripts/charge.sh', 3],
    ]);
    expect(result.stats.files).toBe(3);
  });

  it('sorts findings by severity, most severe first', async () => {
    const root = tempDir();
    writeTree(root, { 'a.env': `DB_PASSWORD=${password()}\n`, 'b.env': `GITHUB_TOKEN=${githubToken()}\n` });
    const severities = (await scan(root)).findings.map((f) => f.severity);
    expect(severities).toEqual(['critical', 'medium']);
  });

  it('lists binary files and files over max-file-size in skipped, with the reason', async () => {
    const root = tempDir();
    const key = githubToken();
    writeTree(root, {
      'logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(`tEXt token=${key}`)]),
      'dump.sql': `-- ${'x'.repeat(4096)}\nINSERT INTO tokens VALUES ('${key}');\n`,
      'small.txt': 'nothing here\n',
    });
    const result = await scan(root, readConfig({ 'max-file-size': '2KB' }, path.join(root, '.secretscanrc')));
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([
      { path: 'dump.sql', reason: 'too-large', detail: expect.stringContaining('2048') },
      { path: 'logo.png', reason: 'binary' },
    ]);
    expect(result.stats.files).toBe(1);
  });

  it('reports an unreadable file as skipped and scans the rest', async (ctx) => {
    if (!permissionsApply()) {
      console.log('skipped: running as root, where chmod 000 does not stop reading');
      ctx.skip();
    }
    const root = tempDir();
    const key = githubToken();
    writeTree(root, { 'locked.env': `GITHUB_TOKEN=${githubToken()}\n`, 'open.env': `GITHUB_TOKEN=${key}\n` });
    chmodSync(path.join(root, 'locked.env'), 0o000);
    const result = await scan(root);
    expect(result.skipped).toEqual([{ path: 'locked.env', reason: 'unreadable', detail: 'EACCES' }]);
    expect(result.findings.map((f) => f.secret)).toEqual([key]);
  });

  it('suppresses allow-paths before reading and counts every suppression by reason', async () => {
    const root = tempDir();
    writeTree(root, {
      'test/fixtures/keys.txt': `GITHUB_TOKEN=${githubToken()}\n`,
      'src/a.ts': `const t = "${githubToken()}"; // secretscan:allow\n`,
      'src/b.ts': `const t = "${githubToken()}";\n`,
    });
    const result = await scan(root, readConfig({ 'allow-paths': ['test/fixtures/**'] }, path.join(root, '.secretscanrc')));
    expect(result.findings.map((f) => f.locations[0]!.path)).toEqual(['src/b.ts']);
    expect(result.suppressed).toEqual({ 'allow-path': 1, 'inline-marker': 1 });
  });

  it('gives every location a fingerprint that does not contain the secret', async () => {
    const root = tempDir();
    const key = githubToken();
    writeTree(root, { 'a.env': `T=${key}\n`, 'b.env': `T=${key}\n` });
    const [finding] = (await scan(root)).findings;
    const prints = finding!.locations.map((l) => l.fingerprint);
    expect(new Set(prints).size).toBe(2);
    for (const p of prints) expect(p).not.toContain(key.slice(4, 12));
  });
});
