import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const validator = require('@microsoft/sarif-multitool') as string;

export interface ValidationResult {
  level?: string;
  ruleId: string;
  message: unknown;
}

/**
 * Runs Sarif.Multitool validate on a file and returns what it found. Its exit code is 0 even for
 * invalid logs, so callers must look at the results' levels.
 */
export function validateSarif(file: string): ValidationResult[] {
  const out = `${file}.validation.sarif`;
  const r = spawnSync(validator, ['validate', file, '--output', out, '--log', 'ForceOverwrite', '--quiet', 'true'], {
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`validator failed to run: ${r.stderr}${r.stdout}`);
  const log = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: { results?: ValidationResult[]; invocations?: { executionSuccessful: boolean }[] }[];
  };
  const run = log.runs[0]!;
  if (run.invocations?.[0]?.executionSuccessful !== true) throw new Error('validator did not complete');
  return run.results ?? [];
}
