import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { awsAccessKeyId, stripeSecretKey } from '../support/fake-keys.js';
import { useTempDirs, writeTree } from '../support/tree.js';

// The extra report formats through the built CLI: dir scans and `secretscan merge` render alike.
const tempDir = useTempDirs();
const stripe = stripeSecretKey();
const aws = awsAccessKeyId();

function leakyTree(): string {
  const dir = tempDir();
  writeTree(dir, { 'a.env': `STRIPE_SECRET_KEY=${stripe}\n`, 'b/c.env': `\nAWS_ACCESS_KEY_ID=${aws}\n`, 'clean.txt': 'nothing here\n' });
  return dir;
}

describe('report formats from the CLI', () => {
  it('writes JUnit XML for a dir scan, and a green document for a clean one', async () => {
    const dir = leakyTree();
    const run = runCli(['dir', dir, '--no-config', '--format', 'junit']);
    expect(run.status, run.stderr).toBe(1);
    const doc = (await parse(run.stdout)) as any;
    expect(doc.tests).toBe(2);
    expect(doc.failures).toBe(2);
    expect(run.stdout).not.toContain(stripe);

    const clean = tempDir();
    writeTree(clean, { 'x.txt': 'hello\n' });
    const ok = runCli(['dir', clean, '--no-config', '--format', 'junit']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(((await parse(ok.stdout)) as any).testsuite[0].testcase[0].name).toBe('no leaked secrets');
  });

  it('renders a merged report as JUnit', async () => {
    const dir = leakyTree();
    const files: string[] = [];
    for (const k of [1, 2]) {
      const run = runCli(['dir', dir, '--no-config', '--format', 'json', '--shard', `${k}/2`, '--no-fail']);
      expect(run.status, run.stderr).toBe(0);
      const file = path.join(dir, `shard${k}.json`);
      writeFileSync(file, run.stdout);
      files.push(file);
    }
    const merged = runCli(['merge', ...files, '--no-config', '--format', 'junit'], { cwd: dir });
    expect(merged.status, merged.stderr).toBe(1);
    const doc = (await parse(merged.stdout)) as any;
    expect(doc.failures).toBe(2);
    const names = doc.testsuite.flatMap((s: any) => s.testcase.map((c: any) => c.name)).sort();
    expect(names).toEqual(['a.env', 'b/c.env']);
  });

  it('writes CSV and GitHub annotations', () => {
    const dir = leakyTree();
    const csv = runCli(['dir', dir, '--no-config', '--format', 'csv']);
    expect(csv.status, csv.stderr).toBe(1);
    expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(3);
    const gh = runCli(['dir', dir, '--no-config', '--format', 'github']);
    expect(gh.status, gh.stderr).toBe(1);
    expect(gh.stdout).toMatch(/^::(error|warning|notice) file=b\/c\.env,line=2,/m);
  });
});
