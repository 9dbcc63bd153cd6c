import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

// --verbose with machine formats: the skipped list goes to stderr, the report stays parseable.
const tempDir = useTempDirs();

function treeWithSkips(): string {
  const dir = tempDir();
  writeTree(dir, {
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
    'big.txt': 'x'.repeat(4096),
    'weird\u0007name.bin': Buffer.from([0, 1, 2, 0]),
    'ok.txt': 'hello\n',
  });
  return dir;
}

describe('--verbose', () => {
  it('lists every skipped file with its reason on stderr for json, and JSON stays on stdout', () => {
    const run = runCli(['dir', treeWithSkips(), '--no-config', '-f', 'json', '--max-file-size', '1KB', '--verbose']);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.skipped).toHaveLength(3);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContain('secretscan: skipped logo.png: binary');
    expect(lines.some((l) => /^secretscan: skipped big\.txt: too-large/.test(l))).toBe(true);
    expect(lines).toContain('secretscan: skipped weird\\x07name.bin: binary');
  });

  it.each(['sarif', 'junit', 'csv', 'github'])('lists them for %s too', (format) => {
    const run = runCli(['dir', treeWithSkips(), '--no-config', '-f', format, '--max-file-size', '1KB', '-v']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(3);
    expect(run.stdout).not.toContain('secretscan: skipped');
  });

  it('is silent on stderr without --verbose, and text keeps the list in the report', () => {
    expect(runCli(['dir', treeWithSkips(), '--no-config', '-f', 'json', '--max-file-size', '1KB']).stderr).toBe('');
    const text = runCli(['dir', treeWithSkips(), '--no-config', '--max-file-size', '1KB', '-v']);
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain('logo.png: binary');
  });

  it('lists skipped blobs of a git scan', () => {
    const dir = tempDir();
    git(dir, 'init', '-q');
    writeTree(dir, { 'a.bin': Buffer.from([0, 0, 1, 2, 0, 3]), 'a.txt': 'text\n' });
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'one');
    const run = runCli(['git', dir, '--no-config', '-f', 'sarif', '--verbose']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^secretscan: skipped a\.bin@[0-9a-f]{12}: binary$/m);
  });
});
