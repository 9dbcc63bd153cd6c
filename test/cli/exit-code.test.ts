import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { awsAccessKeyId } from '../support/fake-keys.js';
import { useTempDirs, writeTree } from '../support/tree.js';

// --fail-on and --exit-code through the built CLI: which findings fail a run, and with what code.
const tempDir = useTempDirs();

function highOnly(): string {
  const dir = tempDir();
  // An AWS access key id alone: a high finding (its secret half is the critical one).
  writeTree(dir, { 'deploy.env': `AWS_ACCESS_KEY_ID=${awsAccessKeyId()}\n` });
  return dir;
}

describe('exit codes', () => {
  it('a high finding fails by default, and passes with --fail-on critical', () => {
    const dir = highOnly();
    expect(runCli(['dir', dir, '--no-config', '-f', 'json']).status).toBe(1);
    const run = runCli(['dir', dir, '--no-config', '-f', 'json', '--fail-on', 'critical']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).findings[0].severity).toBe('high');
  });

  it('--exit-code N is the status when findings reach --fail-on', () => {
    const dir = highOnly();
    expect(runCli(['dir', dir, '--no-config', '--exit-code', '3']).status).toBe(3);
    expect(runCli(['dir', dir, '--no-config', '--exit-code', '3', '--fail-on', 'critical']).status).toBe(0);
    const clean = tempDir();
    writeTree(clean, { 'a.txt': 'nothing\n' });
    expect(runCli(['dir', clean, '--no-config', '--exit-code', '3']).status).toBe(0);
  });

  it.each(['2', '256', '-1', '1.5', 'abc'])('rejects --exit-code %s with a one-line usage error', (value) => {
    const run = runCli(['dir', highOnly(), '--no-config', `--exit-code=${value}`]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('  hint: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^secretscan: error: --exit-code /);
  });

  it('checks --exit-code on merge too', () => {
    const run = runCli(['merge', 'nothing.json', '--exit-code', '2']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^secretscan: error: --exit-code 2 is taken/);
  });
});
