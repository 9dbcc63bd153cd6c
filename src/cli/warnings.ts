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
  for (const w of warnings) process.stderr.write(`secretscan: warning: ${printable(w.source)}: ${printable(w.message)}\n`);
  return { ...result, warnings: [...(result.warnings ?? []), ...warnings] };
}
