/** How sure a finding is: its rule's base, the detector's say, test and example paths, and `--verify`. */
import { CONFIDENCES, confidenceRank, type Confidence, type Finding, type Match, type RuleSpec, type ScanResult } from '../types.js';

/** The key under which `ScanResult.suppressed` counts the findings below `--confidence`. */
export const BELOW_CONFIDENCE = 'below-confidence';

/** Folders that hold tests, fixtures, examples and mocks, at any depth (case-insensitive: Tests/ in .NET). */
const TEST_FOLDER = /(?:^|\/)(?:tests?|__tests?__|specs?|fixtures?|__fixtures__|testdata|test[-_]data|examples?|samples?|mocks?|__mocks__|__snapshots__)\//i;
/** Test files by their language's convention, and `.example` / `.sample` copies of config (.env.example). */
const TEST_FILE =
  /(?:_test\.(?:go|py|rs|exs?)|(?:^|\/)test_[^/]*\.py|\.(?:test|spec)\.[cm]?[jt]sx?|(?:Tests?|IT)\.(?:java|kt|scala|cs)|_spec\.rb|(?:^|[./])(?:example|sample)(?:\.[^/.]+)*)$/;

/** Whether a path (relative, forward slashes) is a test, fixture, example or mock file. */
export function isTestPath(path: string): boolean {
  return TEST_FOLDER.test(path) || TEST_FILE.test(path);
}

/** What a rule's findings start at: its `confidence:`, else high, or medium for a fallback (generic) rule. */
export function baseConfidence(rule: Pick<RuleSpec, 'confidence' | 'fallback'>): Confidence {
  return rule.confidence ?? (rule.fallback ? 'medium' : 'high');
}

/**
 * One place's confidence: the detector's (when it set one) or the rule's, one level lower in a
 * test or example path. High is never lowered: a key whose structure, checksum or pairing holds
 * is as live in a test file as anywhere (and a test path is where leaked keys are often pasted).
 */
export function locationConfidence(rule: RuleSpec, match: Pick<Match, 'confidence'>, path: string): Confidence {
  const base = match.confidence ?? baseConfidence(rule);
  if (base === 'high' || !isTestPath(path)) return base;
  return CONFIDENCES[Math.max(0, confidenceRank(base) - 1)]!;
}

export function higherConfidence(a: Confidence, b: Confidence): Confidence {
  return confidenceRank(a) >= confidenceRank(b) ? a : b;
}

/** A key its provider confirmed live is high whatever the evidence said before. */
export function raiseVerified(findings: Finding[]): void {
  for (const f of findings) if (f.verification?.status === 'live') f.confidence = 'high';
}

/**
 * Drops the findings below `min`, counting them in `suppressed` (as other filters do) so that
 * nothing vanishes silently: the report says how many, and `--confidence low` shows them.
 */
export function withConfidence(result: ScanResult, min: Confidence): ScanResult {
  const kept = result.findings.filter((f) => confidenceRank(f.confidence) >= confidenceRank(min));
  const hidden = result.findings.length - kept.length;
  if (hidden === 0) return result;
  const suppressed = { ...result.suppressed, [BELOW_CONFIDENCE]: (result.suppressed[BELOW_CONFIDENCE] ?? 0) + hidden };
  return { ...result, findings: kept, suppressed };
}
