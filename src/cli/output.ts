import { UserError } from '../errors.js';
import { writeFileAtomic } from '../io/report-file.js';
import { renderJson } from '../report/json.js';
import type { Format, ReportOptions } from '../report/options.js';
import { renderSarif } from '../report/sarif.js';
import { renderJunit } from '../report/junit.js';
import { renderCsv } from '../report/csv.js';
import { renderGithub } from '../report/github.js';
import { renderHtml } from '../report/html.js';
import { renderText } from '../report/text.js';
import type { ScanResult, Severity } from '../types.js';
import { severityRank } from '../types.js';

export function render(result: ScanResult, format: Format, options: ReportOptions): string {
  if (format === 'json') return renderJson(result, options);
  if (format === 'sarif') return renderSarif(result, options);
  if (format === 'junit') return renderJunit(result, options);
  if (format === 'csv') return renderCsv(result, options);
  if (format === 'github') return renderGithub(result, options);
  if (format === 'html') return renderHtml(result, options);
  return renderText(result, options);
}

/** Writes the report to a file (atomically, never through a symlink) or stdout. */
export function emit(text: string, output: string | undefined): void {
  if (output === undefined) process.stdout.write(text);
  else writeFileAtomic(output, text);
}

/**
 * Checks --exit-code (a yargs check: true, or a UserError). A process exit status is 0..255, and 2
 * is what secretscan exits with on an error, so a CI job could not tell "leaks found" from "did not run".
 */
export function checkExitCode(value: unknown): true {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
    const shown = typeof value === 'number' && !Number.isNaN(value) ? `, not ${value}` : '';
    throw new UserError(`--exit-code must be an integer from 0 to 255${shown}`, 'e.g. --exit-code 3');
  }
  if (value === 2) throw new UserError('--exit-code 2 is taken: secretscan exits 2 on errors', 'pick another, e.g. --exit-code 3');
  return true;
}

/** Exit code for a finished scan: `exitCode` when a finding reaches `failOn`, else 0. */
export function exitCodeFor(result: ScanResult, failOn: Severity, exitCode: number): number {
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? exitCode : 0;
}
