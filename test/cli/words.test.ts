import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { useTempDirs, writeTree } from '../support/tree.js';

// How reports count: singular for one, blobs and commits for history, leaks numbered as printed.
const tempDir = useTempDirs();

describe('counted words in every format', () => {
  it('says 1 file, 1 leak in 1 place, not "1 files" or "leak(s)"', () => {
    const root = tempDir();
    writeTree(root, { '.env': `STRIPE_SECRET_KEY=${stripeSecretKey()}\n` });
    const text = runCli(['dir', root, '--no-config']).stdout;
    expect(text).toMatch(/^Scanned 1 file, .*: 1 leak in 1 place \(1 critical\)$/m);
    const github = runCli(['dir', root, '--no-config', '-f', 'github']).stdout;
    expect(github).toMatch(/^secretscan: 1 leak in 1 place \(1 critical\) in 1 file$/m);
    const written = runCli(['dir', root, '--no-config', '-f', 'json', '-o', `${tempDir()}/r.json`]);
    expect(written.stderr).toMatch(/^secretscan: 1 leak found, report written to /);
    for (const out of [text, github, written.stderr]) expect(out).not.toMatch(/\(s\)|\b1 (files|leaks|places)\b/);
  });

  it('says how many other places a secret is in, in the singular too', () => {
    const root = tempDir();
    const key = stripeSecretKey();
    writeTree(root, { 'a.env': `STRIPE_SECRET_KEY=${key}\n`, 'b.env': `STRIPE_SECRET_KEY=${key}\n` });
    for (const format of ['github', 'sarif', 'junit']) {
      const out = runCli(['dir', root, '--no-config', '-f', format]).stdout;
      expect(out, format).toMatch(/1 other place\b/);
      expect(out, format).not.toMatch(/place\(s\)/);
    }
  });

  it('counts blobs and commits for a history scan, not files', () => {
    const r = new TestRepo(tempDir());
    r.commit('one', { 'a.txt': 'a\n' });
    r.commit('two', { 'b.txt': 'b\n', '.env': `STRIPE_SECRET_KEY=${stripeSecretKey()}\n` });
    const text = runCli(['git', r.dir, '--no-config']).stdout;
    expect(text).toMatch(/^Scanned 3 blobs in 2 commits, .*: 1 leak in 1 place/m);
    expect(runCli(['git', r.dir, '--no-config', '-f', 'github']).stdout).toMatch(/in 3 blobs in 2 commits$/m);
  });
});

describe('leak numbers', () => {
  it('follow the order in which the text report prints them', () => {
    const root = tempDir();
    // Findings sort by severity (the critical Stripe key first), files print by path: a-notes.txt first.
    writeTree(root, { 'a-notes.txt': 'postgres://admin:Vq7rLx2pT9mZ4wKd@db.internal:5432/app\n', 'z.env': `STRIPE_SECRET_KEY=${stripeSecretKey()}\n` });
    const text = runCli(['dir', root, '--no-config']).stdout;
    const numbers = [...text.matchAll(/leak #(\d+)/g)].map((m) => Number(m[1]));
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(text.indexOf('a-notes.txt')).toBeLessThan(text.indexOf('z.env'));
  });
});

describe('SARIF', () => {
  it('names no home page it does not have', () => {
    const root = tempDir();
    writeTree(root, { 'a.txt': 'nothing\n' });
    const log = JSON.parse(runCli(['dir', root, '--no-config', '-f', 'sarif']).stdout) as { runs: { tool: { driver: Record<string, unknown> } }[] };
    expect(log.runs[0]!.tool.driver).not.toHaveProperty('informationUri');
  });
});
