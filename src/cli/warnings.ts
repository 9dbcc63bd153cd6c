import type { Config } from '../config/config.js';
import { migrationOf } from '../gitleaks/migration.js';
import type { ScanResult } from '../types.js';
import { printable } from '../report/printable.js';

/**
 * What the run could not honour (imported rules RE2 rejects, .gitleaksignore entries with no
 * equivalent): each once on stderr, whatever the format, and in the result for the JSON report.
 */
export function withMigrationWarnings(result: ScanResult, config: Config): ScanResult {
  const { warnings } = migrationOf(config);
  if (warnings.length === 0) return result;
  for (const line of warningLines(warnings)) process.stderr.write(`secretscan: warning: ${line}\n`);
  return { ...result, warnings: [...(result.warnings ?? []), ...warnings] };
}

/** Line numbers listed in one grouped warning; the rest are counted. */
const LINES_LISTED = 10;

/**
 * The warnings as stderr lines: those with the same message from lines of the same file (a
 * .gitleaksignore naming one unmapped rule 40 times) as one line, `file:37, 53, … (40 lines)`. The
 * JSON report keeps every warning apart.
 */
export function warningLines(warnings: readonly { source: string; message: string }[]): string[] {
  const groups = new Map<string, { file: string; lines: string[]; message: string }>();
  const out: (string | { file: string; lines: string[]; message: string })[] = [];
  for (const w of warnings) {
    const at = /^(.*):(\d+)$/.exec(w.source);
    if (!at) {
      out.push(`${printable(w.source)}: ${printable(w.message)}`);
      continue;
    }
    const key = `${at[1]}\0${w.message}`;
    const group = groups.get(key);
    if (group) group.lines.push(at[2]!);
    else {
      const created = { file: at[1]!, lines: [at[2]!], message: w.message };
      groups.set(key, created);
      out.push(created);
    }
  }
  return out.map((o) => {
    if (typeof o === 'string') return o;
    const listed = o.lines.slice(0, LINES_LISTED).join(', ');
    const more = o.lines.length > LINES_LISTED ? `, … (${o.lines.length} lines)` : o.lines.length > 1 ? ` (${o.lines.length} lines)` : '';
    return `${printable(o.file)}:${listed}${more}: ${printable(o.message)}`;
  });
}
