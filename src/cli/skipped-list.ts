import type { ScanResult } from '../types.js';

/** A file name may hold control characters: shown escaped, so it cannot rewrite the terminal. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * --verbose with a machine format (json, sarif, junit, csv, github): the report on stdout must stay
 * parseable, so every skipped file, blob or layer is listed on stderr instead, with its reason.
 */
export function skippedLines(result: ScanResult): string {
  return result.skipped.map((s) => `secretscan: skipped ${printable(s.path)}: ${s.reason}${s.detail ? ` (${printable(s.detail)})` : ''}\n`).join('');
}
