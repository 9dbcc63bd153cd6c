import type { Config } from '../config/config.js';
import type { DetectorOptions } from '../detect/detector.js';
import { buildRuleSet } from '../rules/ruleset.js';
import type { Finding, RuleSpec, ScanResult, Skipped } from '../types.js';
import { Allowlist, type SuppressReason } from './filters.js';
import { groupFindings, type LocatedMatch } from '../report/group.js';

/** Everything a scan needs from the config, prepared once. */
export interface ScanSetup {
  config: Config;
  detector: DetectorOptions;
  rules: ReadonlyMap<string, RuleSpec>;
  allowlist: Allowlist;
}

export function prepareScan(config: Config): ScanSetup {
  const { rules, placeholders } = buildRuleSet(config);
  return {
    config,
    detector: { rules, placeholders, decode: config.decode },
    rules: new Map(rules.map((r) => [r.id, r])),
    allowlist: new Allowlist(config),
  };
}

/** What every scan returns: the user's allowlists applied, findings grouped by secret, counts. */
export function scanResult(
  setup: ScanSetup,
  target: string,
  matches: LocatedMatch[],
  skipped: Skipped[],
  suppressed: Record<string, number>,
  counts: { files: number; bytes: number },
  started: number,
): ScanResult {
  const kept = applyAllowlist(setup, matches, suppressed);
  return {
    target,
    ...withPartners(groupFindings(kept, setup.rules), setup.rules),
    skipped,
    suppressed,
    stats: { ...counts, durationMs: Math.round(performance.now() - started) },
  };
}

/** Splits matches into those that stand and counts of those the user's allowlists suppressed. */
export function applyAllowlist(setup: ScanSetup, matches: LocatedMatch[], suppressed: Record<string, number>): LocatedMatch[] {
  return matches.filter((m) => {
    const reason: SuppressReason | null = setup.allowlist.suppress(m);
    if (reason) suppressed[reason] = (suppressed[reason] ?? 0) + 1;
    return reason === null;
  });
}

/** Puts the findings of partner-only rules aside: they are never reported, only paired by --verify. */
export function withPartners(findings: Finding[], rules: ReadonlyMap<string, RuleSpec>): { findings: Finding[]; partners?: Finding[] } {
  const partners = findings.filter((f) => rules.get(f.ruleId)?.partnerOnly);
  if (partners.length === 0) return { findings };
  return { findings: findings.filter((f) => !rules.get(f.ruleId)?.partnerOnly), partners };
}
