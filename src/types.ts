/** The public shapes of secretscan, declared once and used everywhere. */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * How sure we are that a finding is a real secret (README, "Confidence"): `high` when the value's
 * own structure, checksum or pairing says so, `medium` for a generic value in strong context,
 * `low` for a weak one (a test or example path, or a value only its file makes suspicious).
 */
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.indexOf(c);
}

export type Urgency = 'revoke-now' | 'rotate' | 'restrict-or-rotate';

/** How to kill a leaked key of one provider, rendered into every report. */
export interface Revocation {
  urgency: Urgency;
  summary: string;
  url: string | null;
  steps: string[];
  api: string | null;
  after: string[];
}

/**
 * Entropy gate: one threshold in bits per character, or one per charset of the secret, and/or
 * `relative`: a fraction of the most entropy a string of that length and charset can reach.
 */
export type EntropyGate = number | (Partial<Record<Charset, number>> & { relative?: number });
export type Charset = 'hex' | 'alnum' | 'base64' | 'any';

/** A rule as written in a rules/*.yml file (after validation). */
export interface RuleSpec {
  id: string;
  name: string;
  provider: string;
  providerName: string;
  severity: Severity;
  keywords: string[];
  /** `any` (default): keywords match in any case; `exact`: as written (key prefixes such as SG., eyJ). */
  keywordCase: 'any' | 'exact';
  pattern: string;
  /**
   * `line`: a match never crosses a line and holds one of the keywords, so the pattern runs only
   * on the lines where a keyword occurs (generic rules, whose words occur in most files).
   */
  scope: 'buffer' | 'line';
  minEntropy?: EntropyGate;
  validator?: string;
  allow: string[];
  /** RE2 patterns tested against the line before the secret (its name, say): a hit drops the match. */
  allowContext: string[];
  /** Fallback rules (generic assignments) yield to provider rules that match the same bytes. */
  fallback: boolean;
  /** Base confidence of its findings (`confidence:` in the rule file); unset: high, or medium for a fallback rule. */
  confidence?: Confidence;
  /**
   * Where rules of the same tier report the same secret on the same bytes, the higher priority is
   * the one finding kept (`priority:` in the rule file, default 0): a `pscale_pw_` password inside a
   * database URI is PlanetScale's. Without it, or on a tie, the rule loaded first wins.
   */
  priority?: number;
  /**
   * Globs naming the files the rule applies to (credential files: .netrc, wp-config.php): matched
   * against the path relative to the scan root, or the base name for a glob without `/`. The rule
   * never runs on a chunk whose path is unknown or matches none. Such a rule yields to provider
   * rules on the same bytes and wins over fallback rules.
   */
  paths?: string[];
  /**
   * `false`: the shared placeholder list (rules/_allow.yml) does not apply, only the rule's own
   * `allow`: for values drawn from a charset that holds `${`, `{{` or `$x` (WordPress salts).
   */
  sharedPlaceholders?: boolean;
  examples: string[];
  negativeExamples: string[];
  /** The path examples are scanned at, for a rule with `paths` (default: its first glob). */
  examplePath?: string;
  references: string[];
  revocation: Revocation;
  /** How `--verify` asks the provider whether a secret of this rule is live (rules/README.md). */
  verify?: VerifySpec;
  /** Never reported: an identifier (a Twilio Account SID) that `--verify` pairs a secret with. */
  partnerOnly?: boolean;
  /** Where the rule came from, for error messages. */
  source: string;
  /** Which capture group holds the secret (imported gitleaks rules); default: the first that matched. */
  secretGroup?: number;
  /** Carry the whole match on each Match (for allowlists that test it, gitleaks `regexTarget = "match"`). */
  keepMatch?: boolean;
  /** Labels from an imported rule (gitleaks `tags`), shown by `secretscan rules`. */
  tags?: string[];
}

export const VERIFICATION_STATUSES = ['live', 'revoked', 'unknown'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** One line of a verifier's answer table: the first line that matches the response decides. */
export interface VerifyAnswer {
  /** HTTP statuses this line applies to. */
  status: number[];
  /** Values the JSON body must hold at these dotted paths (a list: any one of them). */
  json?: Record<string, Array<string | number | boolean | null>>;
  /** Text the body must contain. */
  bodyContains?: string;
  state: VerificationStatus;
  /** Why, in a few words, for the report (e.g. "valid, but restricted to other APIs"). */
  detail?: string;
}

/** A verifier as data: one read-only request to the provider that issued the secret. */
export interface VerifySpec {
  /** Name under which `verify.endpoints.<name>` overrides `url`. */
  endpoint: string;
  /** A verifier written in code (src/verify/coded.ts), for providers that need signing (aws-sts). */
  code?: string;
  method: 'GET' | 'POST';
  /** May hold `{partner}`; the secret itself is sent only as `auth` says. */
  url: string;
  /** bearer, basic (user `{partner}` or the secret, see basicUser), header:<name>, query:<param>, or none (code). */
  auth: 'bearer' | 'basic' | `header:${string}` | `query:${string}` | 'none';
  /** For `basic`: who the user name is (`partner`, or `secret` with an empty password). */
  basicUser: 'partner' | 'secret';
  headers: Record<string, string>;
  /** The rule whose finding in the same file is the other half of a pair (an id with its key, say). */
  partner?: string;
  answers: VerifyAnswer[];
  /** What to report of a live key: label → dotted JSON path, or `header:<name>`. */
  identity: Record<string, string>;
}

/** Where a chunk of bytes came from. Sources fill in what they know. */
export interface Origin {
  /** Path relative to the scan root (forward slashes), or a label such as "<stdin>". */
  path: string;
  /** Git commit, image layer and so on: added by the sources that have them. */
  [key: string]: unknown;
}

/** How a secret was hidden when it was found inside a decoded span. */
export type Encoding = 'base64' | 'percent' | 'json-escape';

/** One raw match of a rule inside one chunk. Holds the raw secret: never written out as is. */
export interface Match {
  ruleId: string;
  secret: string;
  /** 1-based line and column (column in UTF-16 code units of the line). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  entropy: number;
  /** Set when the secret was found inside a decoded span (base64, percent-encoding). */
  encoding?: Encoding;
  /** The text of the line where the match starts, truncated, for inline allow markers. */
  lineText: string;
  /** The whole regex match, only for rules with `keepMatch`. Holds the secret: never written out. */
  matchText?: string;
  /**
   * Set by the detector when this match is weaker or stronger than its rule says (a weak password
   * that only a credential file makes suspicious: `low`): replaces the rule's base confidence.
   * Path demotion (test and example folders) still applies after it (src/report/confidence.ts).
   */
  confidence?: Confidence;
  /**
   * Generic (fallback) rules only: how strongly the syntax around the value says it is a literal
   * secret (`strong` config value or quoted literal, `moderate` unknown kind, `weak` docs or
   * generated code). See src/detect/generic-value.ts.
   */
  evidence?: 'strong' | 'moderate' | 'weak';
}

/** Where a git history finding came from: what `Location.origin` holds for git scans (src/scan/git.ts). */
export interface GitOrigin {
  commit: string;
  author: string;
  email: string;
  date: string;
  subject: string;
  path: string;
  blob?: string;
  inHead?: boolean;
  /** When the secret is still at HEAD: the path and line where HEAD's tree holds it. */
  headPath?: string;
  headLine?: number;
  commits?: number;
  /** How many paths carried that exact content. */
  paths?: number;
}

/** Where an image finding sits: what `Location.origin` holds for image scans (src/scan/image.ts). */
export interface ImageOrigin {
  source: 'image-layer' | 'image-config';
  image: string;
  platform: string;
  /** Index of the layer (0 = base) that holds the file, or that a history entry made. */
  layer?: number;
  layerDigest?: string;
  /** The build step (config history created_by) that made the layer. */
  createdBy?: string;
  /** Path of the archive in the layer, for a file found inside one. */
  archive?: string;
  configDigest?: string;
  /** Still there for `docker run`; false when a later layer deleted or replaced it. */
  visible: boolean;
  deletedBy?: number;
  hiddenBy?: 'whiteout' | 'opaque-dir' | 'overwritten';
}

export interface Location {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  encoding?: Encoding;
  /** Stable identity of this secret at this path: keyed hash of rule + secret + path. */
  fingerprint: string;
  origin?: Record<string, unknown>;
}

/** One leaked secret, with every place it was found. */
export interface Finding {
  /** Keyed hash of rule + secret: the same secret in 40 files is one finding. */
  id: string;
  ruleId: string;
  ruleName: string;
  provider: string;
  providerName: string;
  severity: Severity;
  /** The raw secret. Reports print `redacted` unless the user asked for secrets. */
  secret: string;
  redacted: string;
  entropy: number;
  /** The highest confidence of its locations; `--verify` raises a live key to high. */
  confidence: Confidence;
  locations: Location[];
  /** The AWS account an AWS access key id names, decoded offline (an identifier, not a secret). */
  awsAccount?: string;
  /** Set by `--verify` (src/verify/verify.ts) for rules that have a verifier. */
  verification?: Verification;
}

export interface Verification {
  status: VerificationStatus;
  /** Who the key belongs to, as the provider said (account id, login, ARN...). */
  identity?: string;
  /** Why this status, in a few words; never the secret. */
  detail?: string;
  /** `network`: the provider could not be reached or did not answer (DNS, refused, timeout, 429, 5xx), so the key may be live. */
  reason?: 'network';
}

export interface Skipped {
  path: string;
  /** `short-read`: the file shrank while it was read; what was read was scanned. `not-cloned`: a repository of an organisation audit. */
  reason: 'binary' | 'too-large' | 'unreadable' | 'symlink-outside-root' | 'not-a-file' | 'short-read' | 'not-cloned';
  detail?: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  durationMs: number;
}

export interface ScanResult {
  target: string;
  findings: Finding[];
  skipped: Skipped[];
  /** Findings dropped by allowlists, inline markers and such, counted by reason. */
  suppressed: Record<string, number>;
  /** Matches of partner-only rules (identifiers such as a Twilio Account SID): never reported, only paired by --verify. */
  partners?: Finding[];
  stats: ScanStats;
  /** What could not be honoured but did not stop the run (an imported rule RE2 rejects, say). */
  warnings?: ScanWarning[];
  /** Set when this scan covered one shard of the target (`--shard K/N`): index is 1-based. */
  shard?: { index: number; total: number };
  /** Set by `secretscan merge`: how many reports (and shards) were combined; durationMs is the longest input's. */
  merged?: { reports: number; shards?: number };
  /** The repository the scanned files belong to (git scans, dir scans inside a work tree), for SARIF. */
  vcs?: VersionControl;
}

/** Where a scan's files come from in version control; credentials never kept in repositoryUri. */
export interface VersionControl {
  /** The `origin` remote, credentials removed. */
  repositoryUri?: string;
  /** HEAD's commit. */
  revisionId?: string;
  /** The branch HEAD is on; absent when detached. */
  branch?: string;
  /** Absolute path of the work tree root. */
  root?: string;
}

/** A problem with the user's input that the run worked around, reported on stderr and in JSON. */
export interface ScanWarning {
  /** What it concerns: `rules-from`, `gitleaksignore`… */
  kind: string;
  /** File and line (or file and rule) it comes from. */
  source: string;
  ruleId?: string;
  message: string;
}
