// Baseline entries from findings: of a scan, or of a JSON report the CLI read (src/report/read-json.ts).
import { UserError } from '../errors.js';
import type { BaselineEntry } from './baseline.js';

/** What a baseline is made from: the ruleId and path of each location, keyed by its fingerprint. */
export type FoundLocations = Map<string, BaselineEntry>;

export function locationsOfFindings(findings: ReportLocations['findings']): FoundLocations {
  const found: FoundLocations = new Map();
  for (const f of findings) for (const l of f.locations) found.set(l.fingerprint, { ruleId: f.ruleId, path: l.path });
  return found;
}

/** What a baseline takes of a JSON report (src/report/schema.ts), as src/report/read-json.ts read and checked it. */
export interface ReportLocations {
  findings: { ruleId: string; locations: { path: string; fingerprint: string }[] }[];
  suppressed: Record<string, number>;
  shard?: { index: number; total: number };
}

/** The locations of a JSON report (`--format json`) named `file`, unless the report cannot stand for the whole target. */
export function locationsOfReadReport(report: ReportLocations, file: string): FoundLocations {
  // Such a report leaves out what the baseline accepted: a baseline made from it would lose them.
  if ((report.suppressed.baseline ?? 0) > 0) {
    throw new UserError(`${file}: this report was made with --baseline, so it leaves out the accepted findings`, 'scan again without --baseline (or with --no-baseline)');
  }
  // One shard's report holds part of the target: a baseline made (or pruned) from it would drop the other shards' entries.
  if (report.shard) {
    const { index, total } = report.shard;
    throw new UserError(`${file}: this report covers shard ${index}/${total} only, not the whole target`, 'merge every shard\'s report first (`secretscan merge … --format json -o all.json`) and pass that');
  }
  return locationsOfFindings(report.findings);
}
