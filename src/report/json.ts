import type { Confidence, ScanResult, Severity } from '../types.js';
import { CONFIDENCES, SEVERITIES } from '../types.js';
import type { ReportOptions } from './options.js';

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

/** The JSON report: one entry per leaked secret, every location listed, secrets redacted unless asked. */
export function renderJson(result: ScanResult, options: ReportOptions): string {
  const report = {
    version: 1,
    tool: { name: 'secretscan', version: options.toolVersion },
    target: result.target,
    ...(result.shard ? { shard: result.shard } : {}),
    ...(result.merged ? { merged: result.merged } : {}),
    ...(result.vcs ? { vcs: result.vcs } : {}),
    findings: result.findings.map((f) => {
      const rule = options.rules.get(f.ruleId);
      return {
        id: f.id,
        ruleId: f.ruleId,
        ruleName: f.ruleName,
        provider: f.provider,
        providerName: f.providerName,
        severity: f.severity,
        // high: the key's own structure, checksum or pairing; medium: a generic value in strong context; low: weak evidence.
        confidence: f.confidence,
        ...(options.showSecrets ? { secret: f.secret } : {}),
        redacted: f.redacted,
        entropy: f.entropy,
        // What the rule's describer read from the secret offline (the AWS account of a key id): identifiers, not secrets.
        ...(f.details ? { details: f.details } : {}),
        locations: f.locations,
        // Only with --verify: live | revoked | unknown, with who the key belongs to.
        ...(f.verification ? { verification: f.verification } : {}),
        revocation: rule?.revocation,
        references: rule?.references ?? [],
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
  return `${JSON.stringify(report, null, 2)}\n`;
}
