// The skipped files of a scan, listed on stderr when the report on stdout is a machine format.
import { printable } from '../report/printable.js';
import type { ScanResult } from '../types.js';

/**
 * --verbose with a machine format (json, sarif, junit, csv, github): the report on stdout must stay
 * parseable, so every skipped file, blob or layer is listed on stderr instead, with its reason.
 */
export function skippedLines(result: ScanResult): string {
  return result.skipped.map((s) => `secretscan: skipped ${printable(s.path)}: ${s.reason}${s.detail ? ` (${printable(s.detail)})` : ''}\n`).join('');
}
