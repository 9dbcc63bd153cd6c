/** `secretscan merge`: one scan result from the JSON reports of shards or scans, rendered from what the reports record. */
import { UserError } from '../errors.js';
import { compareFindings, compareLocations, type Finding, type Location, type RuleSpec, type ScanResult } from '../types.js';
import { higherConfidence } from '../findings/confidence.js';
import type { ReportRule } from './options.js';
import type { ReadReport, ReportedRule } from './read-json.js';

export interface MergeOptions {
  /** Missing shards are a warning instead of an error (a deliberate partial merge). */
  allowPartial?: boolean;
  /** Reports of different targets are a warning instead of an error (one repository checked out at different paths). */
  allowMixedTargets?: boolean;
}

export interface MergedReport {
  result: ScanResult;
  rules: Map<string, ReportedRule>;
  /** Every input held raw secrets, so the merged findings do too. */
  hasSecrets: boolean;
  warnings: string[];
}

/** JSON with keys sorted, so that equal locations written by different runs compare equal. */
function stableKey(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableKey).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableKey(o[k])}`).join(',')}}`;
}

/** Locations in report order (as a scan orders them), then equal ones by their whole content. */
function compareMerged(a: Location, b: Location): number {
  return compareLocations(a, b) || (stableKey(a) < stableKey(b) ? -1 : 1);
}

/** Checks that the reports fit together: one target, one tool version, and each shard once. */
function checkInputs(reports: ReadReport[], options: MergeOptions, warnings: string[]): Set<ReadReport> {
  const targets = [...new Set(reports.map((r) => r.result.target))];
  if (targets.length > 1) {
    const list = targets.map((t) => `"${t}" (${reports.find((r) => r.result.target === t)!.file})`).join(', ');
    if (!options.allowMixedTargets) {
      throw new UserError(`the reports scanned different targets: ${list}`, 'merge reports of one target; if it is one repository checked out at different paths, add --allow-mixed-targets');
    }
    warnings.push(`the reports scanned different targets: ${list}; the merged report names the first`);
  }
  const versions = [...new Set(reports.map((r) => r.toolVersion))];
  if (versions.length > 1) warnings.push(`the reports come from different secretscan versions (${versions.join(', ')}): rules may differ between them`);

  const sharded = reports.filter((r) => r.result.shard);
  const duplicates = new Set<ReadReport>();
  if (sharded.length === 0) return duplicates;
  const totals = [...new Set(sharded.map((r) => r.result.shard!.total))];
  if (totals.length > 1) {
    throw new UserError(`the reports split the target into different numbers of shards (${totals.join(', ')})`, 'merge the reports of one run: every job with the same --shard K/N total');
  }
  const total = totals[0]!;
  const byIndex = new Map<number, ReadReport>();
  for (const r of sharded) {
    const index = r.result.shard!.index;
    const first = byIndex.get(index);
    if (first) {
      warnings.push(`shard ${index}/${total} is given twice (${first.file}, ${r.file}): its counts are taken once`);
      duplicates.add(r);
    } else byIndex.set(index, r);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const what = `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${total}`).join(', ')} missing: the merged report does not cover the whole target`;
    if (!options.allowPartial) throw new UserError(what, 'pass every shard\'s report (or --allow-partial to merge what there is)');
    warnings.push(what);
  }
  return duplicates;
}

/**
 * Combines JSON reports of one target (the shards of a run, or several scans) into one:
 * findings by id with their locations unioned, skipped entries concatenated (exact repeats once),
 * suppressed counts and file/byte counts summed, and the duration of the longest input, since
 * shards run side by side.
 */
export function mergeReports(reports: ReadReport[], options: MergeOptions = {}): MergedReport {
  if (reports.length === 0) throw new UserError('no reports to merge', 'name one or more JSON reports');
  const warnings: string[] = [];
  const duplicates = checkInputs(reports, options, warnings);
  const hasSecrets = reports.every((r) => r.hasSecrets);

  const findings = new Map<string, { finding: Finding; seen: Set<string> }>();
  const rules = new Map<string, ReportedRule>();
  const skipped = new Map<string, ScanResult['skipped'][number]>();
  const scanWarnings = new Map<string, NonNullable<ScanResult['warnings']>[number]>();
  const suppressed: Record<string, number> = {};
  const stats = { files: 0, bytes: 0, durationMs: 0 };
  for (const report of reports) {
    const r = report.result;
    for (const [id, rule] of report.rules) {
      // The first report's say, unless a later one recorded the base confidence it lacks (mixed versions).
      const known = rules.get(id);
      if (!known || (known.confidence === undefined && rule.confidence !== undefined)) rules.set(id, rule);
    }
    for (const f of r.findings) {
      let entry = findings.get(f.id);
      if (!entry) {
        entry = { finding: { ...f, secret: hasSecrets ? f.secret : '', locations: [] }, seen: new Set() };
        findings.set(f.id, entry);
      } else entry.finding.confidence = higherConfidence(entry.finding.confidence, f.confidence); // as sure as its surest place
      for (const loc of f.locations) {
        const key = stableKey(loc);
        if (entry.seen.has(key)) continue;
        entry.seen.add(key);
        entry.finding.locations.push(loc);
      }
    }
    for (const s of r.skipped) skipped.set(stableKey(s), s);
    for (const w of r.warnings ?? []) scanWarnings.set(stableKey(w), w);
    stats.durationMs = Math.max(stats.durationMs, r.stats.durationMs);
    if (duplicates.has(report)) continue;
    for (const [reason, n] of Object.entries(r.suppressed)) suppressed[reason] = (suppressed[reason] ?? 0) + n;
    stats.files += r.stats.files;
    stats.bytes += r.stats.bytes;
  }

  const merged = [...findings.values()].map(({ finding }) => {
    finding.locations.sort(compareMerged);
    return finding;
  });
  merged.sort(compareFindings);
  return {
    result: {
      target: reports[0]!.result.target,
      findings: merged,
      skipped: [...skipped.values()],
      suppressed,
      stats,
      ...(scanWarnings.size > 0 ? { warnings: [...scanWarnings.values()] } : {}),
      merged: { reports: reports.length, ...(reports.find((r) => r.result.shard) ? { shards: reports.find((r) => r.result.shard)!.result.shard!.total } : {}) },
      ...commonVersionControl(reports),
    },
    rules,
    hasSecrets,
    warnings,
  };
}

/** The repository and commit every report names, or none when they differ (or one does not say). */
function commonVersionControl(reports: ReadReport[]): Pick<ScanResult, 'vcs'> {
  const first = reports[0]?.result.vcs;
  if (!first) return {};
  const key = JSON.stringify(first);
  return reports.every((r) => JSON.stringify(r.result.vcs) === key) ? { vcs: first } : {};
}

/**
 * Rules to render a merged report with, from what the reports say of each (name, severity,
 * revocation, references, base confidence): no rule file is read, so a merge renders what the
 * scans knew, custom rules included. A rule whose base confidence no report recorded (reports
 * written before `ruleConfidence`) is marked so, and reports leave it out rather than guess.
 * Rule specs, not bare descriptions, because the CLI hands them on as a scan's rules.
 */
export function reportedRuleSpecs(rules: Map<string, ReportedRule>): Map<string, RuleSpec & ReportRule> {
  const specs = new Map<string, RuleSpec & ReportRule>();
  for (const r of rules.values()) {
    if (!r.revocation) continue;
    specs.set(r.id, {
      id: r.id,
      name: r.name,
      provider: r.provider,
      providerName: r.providerName,
      severity: r.severity,
      keywords: [],
      keywordCase: 'any',
      pattern: '',
      scope: 'buffer',
      allow: [],
      allowContext: [],
      // With `confidence` set, `fallback` decides nothing (src/findings/confidence.ts).
      fallback: false,
      ...(r.confidence ? { confidence: r.confidence } : { confidenceUnrecorded: true }),
      examples: [],
      negativeExamples: [],
      references: r.references,
      revocation: r.revocation,
      source: 'a merged report',
    });
  }
  return specs;
}
