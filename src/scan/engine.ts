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

/** `allowlist`: one already made from this config (a staged scan makes it early, see startStagedRead). */
export function prepareScan(config: Config, allowlist = new Allowlist(config)): ScanSetup {
  const migration = migrationOf(config);
  const imported = migration.imported;
  // Path-only rules never reach the detector: they are matched against file names (GitleaksMigration).
  const pathRuleIds = new Set(imported?.pathRules.map((p) => p.spec.id));
  const { rules, placeholders, prefilterTable } = buildRuleSet(
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
    detector: { rules: detectorRules, placeholders, decode: config.decode, ...(prefilterTable ? { prefilterTable } : {}) },
    rules: new Map([...rules, ...pathRules].map((r) => [r.id, r])),
    allowlist,
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

/** One filter of the list every scan's matches pass through. */
export interface MatchFilter {
  /** Applied after git history has kept each secret's earliest commit per path (a .gitleaksignore entry names that commit). */
  afterEarliest?: boolean;
  /** The reason it suppresses a match for (counted under that name), or null to let it stand. */
  test(m: LocatedMatch): SuppressReason | GitleaksSuppressReason | null;
}

/**
 * The user's filters, in the order that names the reason a match is counted under: inline markers,
 * allow-paths, allow-regexes and stopwords (.secretscanrc), imported gitleaks allowlists,
 * .gitleaksignore entries, the baseline.
 */
export function matchFilters(setup: ScanSetup): MatchFilter[] {
  const filters: MatchFilter[] = [{ test: (m) => setup.allowlist.suppress(m) }];
  const gitleaks = setup.gitleaks;
  if (gitleaks) {
    filters.push({ test: (m) => (gitleaks.allowlisted(m) ? 'gitleaks-allowlist' : null) });
    filters.push({ afterEarliest: true, test: (m) => (gitleaks.ignored(m) ? 'gitleaksignore' : null) });
  }
  const baseline = setup.baseline;
  if (baseline) filters.push({ test: (m) => (inBaseline(baseline, m) ? 'baseline' : null) });
  return filters;
}

/**
 * Splits matches into those that stand and counts of those the user's filters suppressed.
 * `ignoreEntries: false` leaves the filters applied after the earliest commit (.gitleaksignore
 * entries) to applyIgnoreEntries (git history).
 */
export function applyAllowlist(setup: ScanSetup, matches: LocatedMatch[], suppressed: Record<string, number>, { ignoreEntries = true } = {}): LocatedMatch[] {
  const filters = matchFilters(setup).filter((f) => ignoreEntries || !f.afterEarliest);
  return matches.filter((m) => {
    if (setup.gitleaks && !setup.gitleaks.applies(m)) return false; // an imported rule limited to other paths
    return passes(filters, m, suppressed);
  });
}

/** Whether a match passes every filter; the first that suppresses it is counted. */
function passes(filters: MatchFilter[], m: LocatedMatch, suppressed: Record<string, number>): boolean {
  for (const f of filters) {
    const reason = f.test(m);
    if (reason === null) continue;
    suppressed[reason] = (suppressed[reason] ?? 0) + 1;
    return false;
  }
  return true;
}

/** Applies the filters left for after the earliest commit (.gitleaksignore entries), counting them. */
export function applyIgnoreEntries<T extends LocatedMatch>(setup: ScanSetup, matches: T[], suppressed: Record<string, number>): T[] {
  const filters = matchFilters(setup).filter((f) => f.afterEarliest);
  return filters.length === 0 ? matches : matches.filter((m) => passes(filters, m, suppressed));
}

/** Puts the findings of partner-only rules aside: they are never reported, only paired by --verify. */
export function withPartners(findings: Finding[], rules: ReadonlyMap<string, RuleSpec>): { findings: Finding[]; partners?: Finding[] } {
  const partners = findings.filter((f) => rules.get(f.ruleId)?.partnerOnly);
  if (partners.length === 0) return { findings };
  return { findings: findings.filter((f) => !rules.get(f.ruleId)?.partnerOnly), partners };
}
