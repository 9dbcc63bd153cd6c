import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { useTempDirs, writeTree } from '../support/tree.js';

// Where the built CLI matches a folder (SECRETSCAN_DEBUG says): worker threads only when a scan
// is expected to be large and spread over files that workers can share.
const tempDir = useTempDirs();

beforeAll(() => {
  expect(existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
});

/** `mb` MB of ordinary code with no keyword in it (cheap to match). */
const code = (mb: number) => 'const value = compute(index, offset) + lookup[index % 7];\n'.repeat(Math.ceil((mb * 1024 * 1024) / 58));

function whereMatched(files: Record<string, string>, ...args: string[]): string {
  const root = tempDir();
  writeTree(root, files);
  const run = runCli(['dir', root, '--no-fail', ...args], { env: { SECRETSCAN_DEBUG: '1' } });
  expect(run.status, run.stderr).toBe(0);
  return /debug: (matched on [^(]*)/.exec(run.stderr)?.[1]?.trim() ?? run.stderr;
}

describe('where a folder is matched', () => {
  it('on this thread for a few MB, on workers from about 40 MB over several files', () => {
    expect(whereMatched({ 'a.js': code(1), 'b.js': code(1) })).toBe('matched on this thread');
    expect(whereMatched({ 'a.js': code(21), 'b.js': code(21) })).toBe('matched on worker threads');
  });

  it('on this thread for one file however large: one file is matched by one thread either way', () => {
    expect(whereMatched({ 'big.js': code(42) })).toBe('matched on this thread');
  });

  it('on workers when threads are asked for, past 16 MB', () => {
    expect(whereMatched({ 'a.js': code(9), 'b.js': code(9) }, '--threads', '2')).toBe('matched on worker threads');
  });
});
