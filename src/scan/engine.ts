import type { Config } from '../config/config.js';
import type { DetectorOptions } from '../detect/detector.js';
import { buildRuleSet } from '../config/ruleset.js';
import type { Finding, RuleSpec, ScanResult, Skipped } from '../types.js';
import { Allowlist, inBaseline, type SuppressReason } from '../filters/allowlist.js';
import { Baseline } from '../filters/baseline.js';
import { groupFindings, type LocatedMatch } from '../findings/group.js';
import { migrationOf, type GitleaksMigration, type GitleaksSuppressReason } from '../gitleaks/migration.js';

/** Everything a scan needs from the config, prepared once. */
export interface ScanSetup {
  config: Config;
  detector: DetectorOptions;
  rules: ReadonlyMap<string, RuleSpec>;
  allowlist: Allowlist;
  /** Rules, allowlists and ignore entries brought from gitleaks (null when there are none). */
  gitleaks: GitleaksMigration | null;
  /** Accepted findings (config `baseline`, --baseline), if any. */
  baseline?: Baseline | null;
}

export function prepareScan(config: Config): ScanSetup {
  const migration = migrationOf(config);
  const imported = migration.imported;
  // Path-only rules never reach the detector: they are matched against file names (GitleaksMigration).
  const pathRuleIds = new Set(imported?.pathRules.map((p) => p.spec.id));
  const { rules, placeholders } = buildRuleSet(
    imported
      ? {
          ...config,
          extraRules: [...config.extraRules, ...imported.rules],
          disabledRules: [...new Set([...config.disabledRules.filter((id) => !pathRuleIds.has(id)), ...imported.disabledBuiltins])],
        }
      : config,
  );
  // An allowlist that tests the whole match needs it carried on every match.
  const detectorRules = imported?.needsMatchText ? rules.map((r) => ({ ...r, keepMatch: true })) : rules;
  const pathRules = (imported?.pathRules ?? []).map((p) => p.spec).filter((r) => !config.disabledRules.includes(r.id));
  return {
    config,
    detector: { rules: detectorRules, placeholders, decode: config.decode },
    rules: new Map([...rules, ...pathRules].map((r) => [r.id, r])),
    allowlist: new Allowlist(config),
    gitleaks: migration.active ? migration : null,
    baseline: config.baseline ? Baseline.read(config.baseline, config.baselineWithin) : null,
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
  return assembleResult(setup, target, applyAllowlist(setup, matches, suppressed), skipped, suppressed, counts, started);
}

/** A result from matches the allowlists have already been applied to (src/scan/pipeline.ts): findings grouped by secret, partners aside. */
export function assembleResult(
  setup: ScanSetup,
  target: string,
  kept: LocatedMatch[],
  skipped: Skipped[],
  suppressed: Record<string, number>,
  counts: { files: number; bytes: number },
  started: number,
): ScanResult {
  return {
    target,
    ...withPartners(groupFindings(kept, setup.rules), setup.rules),
    skipped,
    suppressed,
    stats: { ...counts, durationMs: Math.round(performance.now() - started) },
  };
}

/**
 * Splits matches into those that stand and counts of those the user's allowlists and baseline suppressed.
 * `ignoreEntries: false` leaves .gitleaksignore entries to applyIgnoreEntries (git history).
 */
export function applyAllowlist(setup: ScanSetup, matches: LocatedMatch[], suppressed: Record<string, number>, { ignoreEntries = true } = {}): LocatedMatch[] {
  return matches.filter((m) => {
    if (setup.gitleaks && !setup.gitleaks.applies(m)) return false; // an imported rule limited to other paths
    const reason: SuppressReason | GitleaksSuppressReason | null =
      setup.allowlist.suppress(m) ??
      (setup.gitleaks?.allowlisted(m) ? 'gitleaks-allowlist' : null) ??
      (ignoreEntries && setup.gitleaks?.ignored(m) ? 'gitleaksignore' : null) ??
      (inBaseline(setup.baseline, m) ? 'baseline' : null);
    if (reason) suppressed[reason] = (suppressed[reason] ?? 0) + 1;
    return reason === null;
  });
}

/** Drops the matches a .gitleaksignore entry names, counting them. */
export function applyIgnoreEntries<T extends LocatedMatch>(setup: ScanSetup, matches: T[], suppressed: Record<string, number>): T[] {
  const gitleaks = setup.gitleaks;
  if (!gitleaks) return matches;
  return matches.filter((m) => {
    if (!gitleaks.ignored(m)) return true;
    suppressed.gitleaksignore = (suppressed.gitleaksignore ?? 0) + 1;
    return false;
  });
}

/** Puts the findings of partner-only rules aside: they are never reported, only paired by --verify. */
export function withPartners(findings: Finding[], rules: ReadonlyMap<string, RuleSpec>): { findings: Finding[]; partners?: Finding[] } {
  const partners = findings.filter((f) => rules.get(f.ruleId)?.partnerOnly);
  if (partners.length === 0) return { findings };
  return { findings: findings.filter((f) => !rules.get(f.ruleId)?.partnerOnly), partners };
}
