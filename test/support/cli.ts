import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseJsonReport } from '../../src/report/read-json.js';
import type { JsonReport } from '../../src/report/schema.js';

/** The built CLI (`npm run build` first), run as a user would run it. */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'secretscan.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    // No colour, no user fingerprint key, no debug stacks: the defaults a CI job sees.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses the JSON report of a run (format json) with the report reader, failing with the run's stderr when it is not one. */
export function jsonReport(run: CliRun): JsonReport {
  try {
    return parseJsonReport(run.stdout, 'stdout');
  } catch (e) {
    throw new Error(`not a JSON report (exit ${run.status}): ${(e as Error).message}\n${run.stdout}\n${run.stderr}`);
  }
}

export type { JsonReport };

/** A usage or input error as the CLI promises it: exit 2, nothing on stdout, one line (plus hints), no stack. */
export function expectOneLineError(run: CliRun, message: RegExp): void {
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('  hint: '));
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^secretscan: error: /);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
}
