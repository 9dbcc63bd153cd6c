/** The JSON report format (`--format json`), version 1: what json.ts writes and read-json.ts reads. */
import type { Confidence, Location, NamedFor, Revocation, ScanWarning, Severity, Skipped, Verification, VersionControl } from '../types.js';

/** The version json.ts writes and the only one read-json.ts reads; a change that old readers would misread raises it. */
export const REPORT_VERSION = 1;

/**
 * Where a location was found beyond its path (a git commit, an image layer), as the source
 * recorded it: kept as an opaque record, since each source has its own shape (src/types.ts).
 */
export type ReportOrigin = Record<string, unknown>;

/** One place a secret was found, as Location (src/types.ts) says, its origin kept as the report holds it. */
export interface JsonLocation extends Omit<Location, 'origin'> {
  /** Git commit, image layer and so on, when the source has them. */
  origin?: ReportOrigin;
}

/** One leaked secret, with every place it was found and its rule's guidance. */
export interface JsonFinding {
  /** 32 hex digits: keyed hash of rule and secret; the same secret in 40 files is one finding. */
  id: string;
  ruleId: string;
  ruleName: string;
  provider: string;
  providerName: string;
  severity: Severity;
  /** high: the key's own structure, checksum or pairing; medium: a generic value in strong context; low: weak evidence. */
  confidence: Confidence;
  /** The raw secret: only in reports written with --show-secrets. */
  secret?: string;
  redacted: string;
  /** Shannon entropy of the secret, bits per character. */
  entropy: number;
  /**
   * What the rule's describer read from the secret offline, label → value (`AWS account` of an AWS
   * key id): identifiers, never secrets. Reports written before describers held `awsAccount`
   * instead; the reader turns it into `details`.
   */
  details?: Record<string, string>;
  locations: JsonLocation[];
  /**
   * A generic finding whose variable names a provider (TELNYX_API_KEY = "…") that no rule of that
   * provider matched: provider and providerName above are that provider's, and revocation and
   * references its rule's (`rule`).
   */
  namedFor?: NamedFor;
  /** Only with --verify: live | revoked | unknown, with who the key belongs to. */
  verification?: Verification;
  /** How to revoke a key of this rule; absent when the writer did not know the rule. */
  revocation?: Revocation;
  references: string[];
  /**
   * The rule's base confidence (its `confidence:`, else high, or medium for a generic rule), which
   * SARIF calls precision. Absent in reports written before it was recorded.
   */
  ruleConfidence?: Confidence;
}

/** Counts of the report, for readers that do not want to walk the findings. */
export interface JsonSummary {
  findings: number;
  locations: number;
  bySeverity: Record<Severity, number>;
  byConfidence: Record<Confidence, number>;
  files: number;
  bytes: number;
  durationMs: number;
  /** Skipped files by reason. */
  skipped: Record<string, number>;
}

export interface JsonReport {
  version: typeof REPORT_VERSION;
  tool: { name: 'secretscan'; version: string };
  /** What was scanned: a folder, a repository, an image. */
  target: string;
  /** Set when the scan covered one shard of the target (`--shard K/N`): index is 1-based. */
  shard?: { index: number; total: number };
  /** Set by `secretscan merge`: how many reports (and shards) were combined. */
  merged?: { reports: number; shards?: number };
  /** The repository the scanned files belong to, credentials removed. */
  vcs?: VersionControl;
  findings: JsonFinding[];
  skipped: Skipped[];
  /** Findings dropped by allowlists, the baseline, inline markers and such, counted by reason. */
  suppressed: Record<string, number>;
  /** What could not be honoured but did not stop the run (an imported rule RE2 rejects). */
  warnings?: ScanWarning[];
  summary: JsonSummary;
}
