// The short report a git hook prints: one line per place a secret was found, nothing when clean.
import type { ScanResult } from '../types.js';
import type { ReportOptions } from './options.js';
import { printable } from './printable.js';

/** `path:line  rule-id  redacted`; the full guidance is the text report (`--verbose`). */
export function renderCompact(result: ScanResult, options: Pick<ReportOptions, 'showSecrets'>): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    const value = printable(options.showSecrets ? f.secret.replace(/\s+/g, ' ') : f.redacted);
    for (const loc of f.locations) {
      const encoded = loc.encoding ? ` (${loc.encoding}-encoded)` : '';
      lines.push(`${printable(loc.path)}:${loc.line}  ${f.ruleId}  ${value}${encoded}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
