/** The JSON report writer: a scan result as the typed report of src/report/schema.ts. */
import type { Confidence, Location, ScanResult, Severity } from '../types.js';
import { CONFIDENCES, SEVERITIES } from '../types.js';
import { guidanceRule, statedBaseConfidence, type ReportOptions } from './options.js';
import { REPORT_VERSION, type JsonFinding, type JsonLocation, type JsonReport } from './schema.js';

export function countBySeverity(result: ScanResult): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) counts[f.severity]++;
  return counts;
}

export function countByConfidence(result: ScanResult): Record<Confidence, number> {
  const counts = Object.fromEntries(CONFIDENCES.map((c) => [c, 0])) as Record<Confidence, number>;
  for (const f of result.findings) counts[f.confidence]++;
  return counts;
}

export function countSkipped(result: ScanResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of result.skipped) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  return counts;
}

/** One place, with its origin as an opaque record (src/report/schema.ts). */
function jsonLocation(l: Location): JsonLocation {
  return {
    path: l.path,
    line: l.line,
    column: l.column,
    endLine: l.endLine,
    endColumn: l.endColumn,
    ...(l.encoding ? { encoding: l.encoding } : {}),
    fingerprint: l.fingerprint,
    ...(l.origin ? { origin: { ...l.origin } } : {}),
  };
}

/** The JSON report as data: one entry per leaked secret, every location listed, secrets redacted unless asked. */
export function toJsonReport(result: ScanResult, options: ReportOptions): JsonReport {
  return {
    version: REPORT_VERSION,
    tool: { name: 'secretscan', version: options.toolVersion },
    target: result.target,
    ...(result.shard ? { shard: result.shard } : {}),
    ...(result.merged ? { merged: result.merged } : {}),
    ...(result.vcs ? { vcs: result.vcs } : {}),
    findings: result.findings.map((f): JsonFinding => {
      const rule = options.rules.get(f.ruleId);
      const guide = guidanceRule(f, options);
      return {
        id: f.id,
        ruleId: f.ruleId,
        ruleName: f.ruleName,
        provider: f.provider,
        providerName: f.providerName,
        severity: f.severity,
        confidence: f.confidence,
        ...(options.showSecrets ? { secret: f.secret } : {}),
        redacted: f.redacted,
        entropy: f.entropy,
        // What the rule's describer read from the secret offline (the AWS account of a key id): identifiers, not secrets.
        ...(f.details ? { details: f.details } : {}),
        locations: f.locations.map(jsonLocation),
        // Only with --verify: live | revoked | unknown, with who the key belongs to.
        ...(f.verification ? { verification: f.verification } : {}),
        // A generic value whose variable names a provider: that provider's guidance.
        ...(f.namedFor ? { namedFor: { ...f.namedFor } } : {}),
        ...(guide ? { revocation: guide.revocation } : {}),
        references: guide?.references ?? [],
        ...(rule && statedBaseConfidence(rule) ? { ruleConfidence: statedBaseConfidence(rule) } : {}),
      };
    }),
    skipped: result.skipped,
    suppressed: result.suppressed,
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    summary: {
      findings: result.findings.length,
      locations: result.findings.reduce((n, f) => n + f.locations.length, 0),
      bySeverity: countBySeverity(result),
      byConfidence: countByConfidence(result),
      files: result.stats.files,
      bytes: result.stats.bytes,
      durationMs: result.stats.durationMs,
      skipped: countSkipped(result),
    },
  };
}

/** The JSON report (`--format json`), as src/report/schema.ts describes it. */
export function renderJson(result: ScanResult, options: ReportOptions): string {
  return `${JSON.stringify(toJsonReport(result, options), null, 2)}\n`;
}
