import { readInputText } from '../io/safe-read.js';
import { UserError } from '../errors.js';
import type { Finding } from '../types.js';
import type { BaselineEntry } from './baseline.js';

/** What a baseline is made from: the ruleId and path of each location, keyed by its fingerprint. */
export type FoundLocations = Map<string, BaselineEntry>;

export function locationsOfFindings(findings: Pick<Finding, 'ruleId' | 'locations'>[]): FoundLocations {
  const found: FoundLocations = new Map();
  for (const f of findings) for (const l of f.locations) found.set(l.fingerprint, { ruleId: f.ruleId, path: l.path });
  return found;
}

/** The locations of a JSON report (`--format json`), checked enough to trust what is taken from it. */
export function locationsOfReport(file: string): FoundLocations {
  const hint = 'pass a report written by `secretscan … --format json`';
  const text = readInputText(file, { what: 'report', hint });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's message quotes the text, which may be anything (a key file named by mistake).
    throw new UserError(`cannot read report ${file}: not valid JSON`, hint);
  }
  const report = data as { findings?: unknown; suppressed?: Record<string, unknown>; shard?: { index?: unknown; total?: unknown } };
  if (report === null || typeof report !== 'object' || !Array.isArray(report.findings)) {
    throw new UserError(`${file}: not a secretscan JSON report (no findings list)`, 'pass a report written by `secretscan … --format json`');
  }
  // Such a report leaves out what the baseline accepted: a baseline made from it would lose them.
  if (typeof report.suppressed?.baseline === 'number' && report.suppressed.baseline > 0) {
    throw new UserError(`${file}: this report was made with --baseline, so it leaves out the accepted findings`, 'scan again without --baseline (or with --no-baseline)');
  }
  // One shard's report holds part of the target: a baseline made (or pruned) from it would drop the other shards' entries.
  if (report.shard !== undefined) {
    const { index, total } = report.shard ?? {};
    throw new UserError(`${file}: this report covers shard ${String(index)}/${String(total)} only, not the whole target`, 'merge every shard\'s report first (`secretscan merge … --format json -o all.json`) and pass that');
  }
  const findings = report.findings.map((f: unknown, i: number) => {
    const where = `${file}: findings[${i}]`;
    const o = f as { ruleId?: unknown; locations?: unknown };
    if (o === null || typeof o !== 'object' || typeof o.ruleId !== 'string' || !Array.isArray(o.locations)) {
      throw new UserError(`${where}: expected an object with ruleId and locations`);
    }
    const locations = o.locations.map((l: unknown, j: number) => {
      const loc = l as { path?: unknown; fingerprint?: unknown };
      if (loc === null || typeof loc !== 'object' || typeof loc.path !== 'string' || typeof loc.fingerprint !== 'string' || !/^[0-9a-f]{32}$/.test(loc.fingerprint)) {
        throw new UserError(`${where}.locations[${j}]: expected a path and a 32-hex-digit fingerprint`);
      }
      return { path: loc.path, fingerprint: loc.fingerprint };
    });
    return { ruleId: o.ruleId, locations: locations as Finding['locations'] };
  });
  return locationsOfFindings(findings);
}
