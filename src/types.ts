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
  /** How `secretscan revoke` kills a leaked secret of this rule at its provider (rules/README.md). */
  revoke?: RevokeSpec;
  /** A describer (src/rules/describers.ts) that reads identifiers out of the secret offline: `aws-account-id`. */
  describe?: string;
  /** Never reported: an identifier (a Twilio Account SID) that `--verify` pairs a secret with. */
  partnerOnly?: boolean;
  /** Where the rule came from, for error messages. */
  source: string;
  /** Which capture group holds the secret (imported gitleaks rules); default: the first that matched. */
  secretGroup?: number;
  /**
   * The capture group the entropy gate measures (the random tail of a token whose other parts are
   * account ids); where it took no part in the match, the gate measures the secret.
   */
  entropyGroup?: number;
  /** Carry the whole match on each Match (for allowlists that test it, gitleaks `regexTarget = "match"`). */
  keepMatch?: boolean;
  /** Labels from an imported rule (gitleaks `tags`), shown by `secretscan rules`. */
  tags?: string[];
}

export const VERIFICATION_STATUSES = ['live', 'revoked', 'unknown'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** What one line of an answers table (`verify:`, `revoke:`) tests in a provider's HTTP answer. */
export interface AnswerMatch {
  /** HTTP statuses this line applies to. */
  status: number[];
  /** Values the JSON body must hold at these dotted paths (a list: any one of them); set, the body must be JSON. */
  json?: Record<string, Array<string | number | boolean | null>>;
  /** Text the body must contain. */
  bodyContains?: string;
}

/** One line of a verifier's answer table: the first line that matches the response decides. */
export interface VerifyAnswer extends AnswerMatch {
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
  /**
   * bearer, basic (user `{partner}` or the secret, see basicUser), header:<name>, query:<param>,
   * scheme:<word> (`Authorization: <word> <secret>`, as in `token …`, `GenieKey …`), or none (code).
   */
  auth: 'bearer' | 'basic' | `header:${string}` | `query:${string}` | `scheme:${string}` | 'none';
  /** For `basic`: who the user name is (`partner`; `secret` with an empty password; `empty`: the secret is the password of an empty user name). */
  basicUser: 'partner' | 'secret' | 'empty';
  headers: Record<string, string>;
  /** The rule whose finding in the same file is the other half of a pair (an id with its key, say). */
  partner?: string;
  answers: VerifyAnswer[];
  /** What to report of a live key: label → dotted JSON path, or `header:<name>`. */
  identity: Record<string, string>;
}

export const REVOKE_STATUSES = ['revoked', 'already-invalid', 'failed'] as const;
export type RevokeStatus = (typeof REVOKE_STATUSES)[number];

/** One line of a revoker's answer table: the first line that matches the response decides. */
export interface RevokeAnswer extends AnswerMatch {
  outcome: RevokeStatus;
  /** What the provider said, in a few words; `{dotted.path}` inserts a value of the JSON body (`{path|text}`: text when absent). */
  detail?: string;
}

/**
 * A revoker as data (`revoke:` in a rule file): one POST that kills the leaked token at its
 * provider, for providers that let whoever holds a token revoke it.
 */
export interface RevokeSpec {
  /** Name under which `verify.endpoints.<name>` overrides `url`. */
  endpoint: string;
  method: 'POST';
  url: string;
  /** How the secret goes with the request: bearer, header:<name>, or none (it is in the body). */
  auth: 'bearer' | `header:${string}` | 'none';
  headers: Record<string, string>;
  /**
   * The body: none (empty, form-encoded), a JSON template (a string `{secrets}` becomes the list of
   * the batch's secrets, `{secret}` inside a string the one secret), or form fields (`{secret}`).
   */
  body: { kind: 'none' } | { kind: 'json'; template: unknown } | { kind: 'form'; fields: Record<string, string> };
  /** Tokens per request (more than one only when the body carries `{secrets}`). */
  batch: number;
  answers: RevokeAnswer[];
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
   * Path demotion (test and example folders) still applies after it (src/findings/confidence.ts).
   */
  confidence?: Confidence;
  /**
   * Generic (fallback) rules only: how strongly the syntax around the value says it is a literal
   * secret (`strong` config value or quoted literal, `moderate` unknown kind, `weak` docs or
   * generated code). See src/detect/generic-value.ts.
   */
  evidence?: 'strong' | 'moderate' | 'weak';
  /** Generic rules only: the provider the value's own name names (see src/detect/named.ts). */
  namedFor?: NamedFor;
}

/**
 * A provider named by the variable a generic finding's value is assigned to (TELNYX_API_KEY =
 * "…") where no rule of that provider matched the value: the finding stays generic and carries
 * that provider's revocation guidance (`rule`'s).
 */
export interface NamedFor {
  provider: string;
  providerName: string;
  /** The provider's rule, whose guidance applies, and its name. */
  rule: string;
  ruleName: string;
}

/**
 * Where a location's bytes came from: one kind per source, told apart by `kind`, each with its
 * place key (originPlace). Directory, staged and stdin scans report plain files and leave
 * `Location.origin` unset (a `file` origin is what the pipeline gives their chunks); an
 * organisation audit adds the repository's URL to each origin.
 */
export type Origin = FileOrigin | GitOrigin | ImageOrigin;
export type OriginKind = Origin['kind'];

interface OriginCommon {
  /** Set by an organisation audit (src/scan/repositories.ts): the repository's URL without credentials. */
  repository?: string;
}

/** A file of a directory, of the index (staged) or standard input under its label. */
export interface FileOrigin extends OriginCommon {
  kind: 'file';
  path: string;
}

/** What a git history finding's commit says about it (src/scan/git.ts). */
interface GitCommitFields extends OriginCommon {
  commit: string;
  author: string;
  email: string;
  date: string;
  /** The commit's subject, with every secret the scan found redacted. */
  subject: string;
  path: string;
}

/** A blob of git history, at the commit that first brought the secret to its path. */
export interface GitBlobOrigin extends GitCommitFields {
  kind: 'git-blob';
  blob: string;
  inHead: boolean;
  /** When the secret is still at HEAD: the path and line where HEAD's tree holds it. */
  headPath?: string;
  headLine?: number;
  /** How many commits brought that exact content. */
  commits: number;
  /** How many paths carried that exact content. */
  paths: number;
}

/** A commit's message (reported at the path `<commit message>`). */
export interface GitMessageOrigin extends GitCommitFields {
  kind: 'git-message';
}

/** Where a git history finding came from: what `Location.origin` holds for git scans. */
export type GitOrigin = GitBlobOrigin | GitMessageOrigin;

/** What every image origin says: which image and platform (src/scan/image.ts). */
interface ImageCommon extends OriginCommon {
  image: string;
  platform: string;
  layerDigest?: string;
  /** The build step (config history created_by) that made the layer, secrets redacted. */
  createdBy?: string;
  /** Still there for `docker run`; false when a later layer deleted or replaced it. */
  visible: boolean;
  deletedBy?: number;
  hiddenBy?: 'whiteout' | 'opaque-dir' | 'overwritten';
}

/** A file in an image layer (or inside an archive in one). */
export interface ImageLayerOrigin extends ImageCommon {
  kind: 'image-layer';
  /** The same as `kind`: the name reports before `kind` was written. */
  source: 'image-layer';
  /** Index of the layer (0 = base) that holds the file. */
  layer: number;
  /** Path of the archive in the layer, for a file found inside one. */
  archive?: string;
}

/** A field of an image's config (Env, Labels, Cmd, history). */
export interface ImageConfigOrigin extends ImageCommon {
  kind: 'image-config';
  source: 'image-config';
  /** The layer a history entry made, when it made one. */
  layer?: number;
  configDigest?: string;
}

/** Where an image finding sits: what `Location.origin` holds for image scans. */
export type ImageOrigin = ImageLayerOrigin | ImageConfigOrigin;

/**
 * A location's place: the path, and for an image the image, platform, config or layer that holds
 * it (the same path in two layers is two places). Git and file places are their path: history
 * reports a secret once per path, at its earliest commit.
 */
export function originPlace(path: string, origin: Origin | undefined): string {
  const o = imageOrigin(origin);
  return o ? `${o.image}\0${o.platform}\0${o.kind}\0${o.layer ?? ''}\0${path}` : path;
}

/** Locations in report order: image places by image, platform, config before layers, layer; then path and position. */
export function compareLocations(a: { path: string; line: number; column: number; origin?: Origin }, b: { path: string; line: number; column: number; origin?: Origin }): number {
  const ao = imageOrigin(a.origin);
  const bo = imageOrigin(b.origin);
  const image =
    ao && bo
      ? ao.image.localeCompare(bo.image) ||
        ao.platform.localeCompare(bo.platform) ||
        (ao.kind === 'image-config' ? 0 : 1) - (bo.kind === 'image-config' ? 0 : 1) ||
        (ao.layer ?? -1) - (bo.layer ?? -1)
      : 0;
  return image || a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column;
}

/**
 * Findings in report order: the most severe first, then by first location's path and line, then by
 * id, so that ties (two versions of one file, each with its own key on the same line) come out the
 * same whatever order the matching workers answered in, and a merge of shards' reports agrees with
 * one scan.
 */
export function compareFindings(a: { severity: Severity; id: string; locations: { path: string; line: number }[] }, b: { severity: Severity; id: string; locations: { path: string; line: number }[] }): number {
  const la = a.locations[0]!;
  const lb = b.locations[0]!;
  return severityRank(b.severity) - severityRank(a.severity) || la.path.localeCompare(lb.path) || la.line - lb.line || a.id.localeCompare(b.id);
}

/**
 * An origin's kind. Origins read from reports written before origins carried `kind` (and origins
 * built by hand) are told apart by their fields, here and nowhere else: a commit is git, an image
 * source is an image, anything else a file.
 */
export function originKind(o: object | undefined): OriginKind | undefined {
  if (!o) return undefined;
  const r = o as Record<string, unknown>;
  if (typeof r.kind === 'string' && ORIGIN_KINDS.includes(r.kind as OriginKind)) return r.kind as OriginKind;
  if (r.source === 'image-layer' || r.source === 'image-config') return r.source;
  if (typeof r.commit === 'string') return typeof r.blob === 'string' ? 'git-blob' : 'git-message';
  return 'file';
}

/** An origin as a report holds it, with its `kind` (added for reports written before origins carried one). */
export function readOrigin(o: Record<string, unknown>): Origin {
  return { kind: originKind(o), ...o } as unknown as Origin;
}

/** The git origin of a location, if it comes from history. */
export function gitOrigin(o: Origin | undefined): GitOrigin | undefined {
  const kind = originKind(o);
  if (kind !== 'git-blob' && kind !== 'git-message') return undefined;
  return o!.kind === kind ? (o as GitOrigin) : ({ ...o, kind } as GitOrigin);
}

/** The image origin of a location, if it comes from an image. */
export function imageOrigin(o: Origin | undefined): ImageOrigin | undefined {
  const kind = originKind(o);
  if (kind !== 'image-layer' && kind !== 'image-config') return undefined;
  return o!.kind === kind ? (o as ImageOrigin) : ({ ...o, kind } as ImageOrigin);
}

/** The commit a location's origin names (git history), if any. */
export function originCommit(o: Origin | undefined): string | undefined {
  return gitOrigin(o)?.commit;
}

/** The image layer a location's origin names, if any. */
export function originLayer(o: Origin | undefined): number | undefined {
  return imageOrigin(o)?.layer;
}

export const ORIGIN_KINDS: readonly OriginKind[] = ['file', 'git-blob', 'git-message', 'image-layer', 'image-config'];

export interface Location {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  encoding?: Encoding;
  /** Stable identity of this secret at this path: keyed hash of rule + secret + path. */
  fingerprint: string;
  /** Unset for a plain file (directory, staged, stdin). */
  origin?: Origin;
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
  /**
   * What the rule's describer read out of the secret offline, label → value (`{"AWS account":
   * "123456789012"}` for an AWS key id): identifiers, never the secret.
   */
  details?: Record<string, string>;
  /** Set by `--verify` (src/verify/verify.ts) for rules that have a verifier. */
  verification?: Verification;
  /** A generic finding whose variable names a provider: `provider` and `providerName` are that provider's. */
  namedFor?: NamedFor;
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
