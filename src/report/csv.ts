import { originCommit, originLayer, type ScanResult } from '../types.js';
import type { ReportOptions } from './options.js';
import { printable } from './printable.js';

const HEADER = ['rule', 'provider', 'severity', 'path', 'line', 'column', 'secret', 'fingerprint', 'commit', 'layer', 'confidence'];

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return, which some
 * strip first) as a formula: a file name can be written to do that, so such cells get a leading '.
 */
function defuse(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. Other control
 * characters (ESC, BEL...) have no place in the grammar: shown escaped, as a CSV is also read with cat.
 */
function field(cell: string): string {
  const safe = defuse(cell.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g, printable));
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV for spreadsheets and ticket imports: a header, then one row per place a secret was found. */
export function renderCsv(result: ScanResult, options: ReportOptions): string {
  const rows = [HEADER];
  for (const f of result.findings) {
    for (const loc of f.locations) {
      const commit = originCommit(loc.origin) ?? '';
      const layer = originLayer(loc.origin)?.toString() ?? '';
      rows.push([f.ruleId, f.provider, f.severity, loc.path, String(loc.line), String(loc.column), options.showSecrets ? f.secret : f.redacted, loc.fingerprint, commit, layer, f.confidence]);
    }
  }
  return rows.map((r) => `${r.map(field).join(',')}\r\n`).join('');
}
