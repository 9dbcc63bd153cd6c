/** The one reader of JSON reports (src/report/schema.ts): merge, baseline, revoke and the tests read through it. */
import { readInputText } from '../io/safe-read.js';
import { Shape } from '../core/shape.js';
import { UserError } from '../errors.js';
import {
  CONFIDENCES,
  SEVERITIES,
  VERIFICATION_STATUSES,
  readOrigin,
  type Confidence,
  type Finding,
  type NamedFor,
  type Revocation,
  type ScanResult,
  type ScanWarning,
  type Skipped,
  type Verification,
  type VersionControl,
} from '../types.js';
import { REPORT_VERSION, type JsonFinding, type JsonLocation, type JsonReport, type JsonSummary } from './schema.js';

/** A finding's rule as a JSON report describes it: enough to render every format again. */
export interface ReportedRule {
  id: string;
  name: string;
  provider: string;
  providerName: string;
  severity: Finding['severity'];
  revocation?: Revocation;
  references: string[];
  /** The rule's base confidence, when the report recorded it (`ruleConfidence`). */
  confidence?: Confidence;
}

/** A JSON report read back, as written and as the scan result it describes. */
export interface ReadReport {
  file: string;
  toolVersion: string;
  report: JsonReport;
  result: ScanResult;
  /** Whether the report holds raw secrets (written with --show-secrets); empty secrets when not. */
  hasSecrets: boolean;
  rules: Map<string, ReportedRule>;
}

/**
 * A finding as a partial reading gives it (revoke, which also takes hand-made lists of secrets):
 * its rule id for sure, every other field when present, checked as in a full reading.
 */
export type PartialFinding = Pick<JsonFinding, 'ruleId'> &
  Partial<Omit<JsonFinding, 'ruleId' | 'locations'>> & { locations?: Partial<JsonLocation>[] };

const HINT = 'pass a report written by `secretscan … --format json`';
const URGENCIES = ['revoke-now', 'rotate', 'restrict-or-rotate'] as const;
const ENCODINGS = ['base64', 'percent', 'json-escape'] as const;
const SKIP_REASONS: readonly Skipped['reason'][] = ['binary', 'too-large', 'unreadable', 'symlink-outside-root', 'not-a-file', 'short-read', 'not-cloned'];
const HEX32 = /^[0-9a-f]{32}$/;

type Read<T> = (s: Shape, v: unknown) => T;

/** An object with any keys: reports gain fields over time, and reading must not reject them. */
function record(shape: Shape, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) shape.fail('expected an object');
  return v as Record<string, unknown>;
}

function array(shape: Shape, v: unknown): unknown[] {
  if (!Array.isArray(v)) shape.fail('expected a list');
  return v;
}

function int(shape: Shape, v: unknown, min: number): number {
  const n = shape.number(v, min);
  if (!Number.isInteger(n)) shape.fail('expected a whole number');
  return n;
}

const str: Read<string> = (s, v) => s.string(v);
/** Prose, which may be empty (an imported rule's blank description, a provider's blank answer). */
const text: Read<string> = (s, v) => (typeof v === 'string' ? v : s.fail('expected a string'));
const count: Read<number> = (s, v) => int(s, v, 0);
const position: Read<number> = (s, v) => int(s, v, 1);
const hex32: Read<string> = (s, v) => {
  if (!HEX32.test(s.string(v))) s.fail('expected 32 hex digits');
  return v as string;
};
const labels: Read<Record<string, string>> = (s, v) =>
  Object.fromEntries(Object.entries(record(s, v)).map(([k, x]) => [k, s.at(k).string(x)]));
const counts: Read<Record<string, number>> = (s, v) =>
  Object.fromEntries(Object.entries(record(s, v)).map(([k, n]) => [k, int(s.at(k), n, 0)]));
function oneOf<T extends string>(values: readonly T[]): Read<T> {
  return (s, v) => s.oneOf(v, values);
}
function listOf<T>(read: Read<T>): Read<T[]> {
  return (s, v) => array(s, v).map((item, i) => read(s.at(i), item));
}

function mapDefined<T, U>(v: T | undefined, f: (v: T) => U): U | undefined {
  return v === undefined ? undefined : f(v);
}

/** The object without its undefined values, so that an absent field stays absent when written again. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Reads the fields of one object. A full reading requires what the schema requires; a partial one
 * (revoke's lists of secrets) lets required fields be absent. Present fields are checked alike.
 */
class Fields {
  constructor(
    readonly shape: Shape,
    readonly o: Record<string, unknown>,
    readonly partial: boolean,
  ) {}

  /** A required field. In a partial reading it may be absent: the partial entry point's type says so. */
  need<T>(k: string, read: Read<T>): T {
    if (this.partial && this.o[k] === undefined) return undefined as T;
    return read(this.shape.at(k), this.o[k]);
  }

  /** An optional field (null reads as absent, as older reports wrote it). */
  opt<T>(k: string, read: Read<T>): T | undefined {
    const v = this.o[k];
    return v === undefined || v === null ? undefined : read(this.shape.at(k), v);
  }
}

function fields(shape: Shape, v: unknown, partial: boolean): Fields {
  return new Fields(shape, record(shape, v), partial);
}

function readRevocation(shape: Shape, v: unknown): Revocation {
  const f = fields(shape, v, false);
  const nullable = (k: string) => (f.o[k] === null ? null : f.need(k, str));
  return {
    urgency: f.need('urgency', oneOf(URGENCIES)),
    summary: f.need('summary', text),
    url: nullable('url'),
    steps: f.need('steps', (s, x) => s.strings(x)),
    api: nullable('api'),
    after: f.need('after', (s, x) => s.strings(x)),
  };
}

function readNamedFor(shape: Shape, v: unknown): NamedFor {
  const f = fields(shape, v, false);
  return { provider: f.need('provider', str), providerName: f.need('providerName', text), rule: f.need('rule', str), ruleName: f.need('ruleName', text) };
}

function readVerification(shape: Shape, v: unknown): Verification {
  const f = fields(shape, v, false);
  return defined({
    status: f.need('status', oneOf(VERIFICATION_STATUSES)),
    identity: f.opt('identity', text),
    detail: f.opt('detail', text),
    reason: f.opt('reason', oneOf(['network'] as const)),
  });
}

function readLocation(shape: Shape, v: unknown, partial: boolean): JsonLocation {
  const f = fields(shape, v, partial);
  return defined({
    path: f.need('path', str),
    line: f.need('line', position),
    column: f.need('column', position),
    endLine: f.need('endLine', position),
    endColumn: f.need('endColumn', position),
    encoding: f.opt('encoding', oneOf(ENCODINGS)),
    fingerprint: f.need('fingerprint', hex32),
    origin: f.opt('origin', record),
  });
}

function readFinding(shape: Shape, v: unknown, partial: boolean): JsonFinding {
  const f = fields(shape, v, partial);
  const finding: JsonFinding = defined({
    id: f.need('id', str),
    ruleId: f.shape.at('ruleId').string(f.o.ruleId), // required in every reading
    ruleName: f.need('ruleName', text),
    provider: f.need('provider', str),
    providerName: f.need('providerName', text),
    severity: f.need('severity', oneOf(SEVERITIES)),
    // Reports written before findings had a confidence: medium, what the default shows.
    confidence: f.opt('confidence', oneOf(CONFIDENCES)) ?? 'medium',
    secret: f.opt('secret', str),
    redacted: f.need('redacted', text),
    entropy: f.need('entropy', (s, x) => s.number(x, 0)),
    // Reports written before describers: the AWS account of a key id as its own field.
    details: f.opt('details', labels) ?? mapDefined(f.opt('awsAccount', str), (account) => ({ 'AWS account': account })),
    locations: f.need('locations', listOf((s, x) => readLocation(s, x, partial))),
    verification: f.opt('verification', readVerification),
    namedFor: f.opt('namedFor', readNamedFor),
    revocation: f.opt('revocation', readRevocation),
    references: f.shape.at('references').strings(f.o.references),
    ruleConfidence: f.opt('ruleConfidence', oneOf(CONFIDENCES)),
  });
  if (finding.locations?.length === 0) shape.at('locations').fail('expected at least one location');
  return finding;
}

function readSkipped(shape: Shape, v: unknown): Skipped {
  const f = fields(shape, v, false);
  return defined({ path: f.need('path', str), reason: f.need('reason', oneOf(SKIP_REASONS)), detail: f.opt('detail', text) });
}

function readWarning(shape: Shape, v: unknown): ScanWarning {
  const f = fields(shape, v, false);
  return defined({ kind: f.need('kind', text), source: f.need('source', text), ruleId: f.opt('ruleId', str), message: f.need('message', text) });
}

function readShard(shape: Shape, v: unknown): { index: number; total: number } {
  const f = fields(shape, v, false);
  const total = f.need('total', position);
  const index = f.need('index', position);
  if (index > total) shape.fail(`shard ${index} of ${total} does not exist`);
  return { index, total };
}

function readMerged(shape: Shape, v: unknown): { reports: number; shards?: number } {
  const f = fields(shape, v, false);
  return defined({ reports: f.need('reports', position), shards: f.opt('shards', position) });
}

function readVcs(shape: Shape, v: unknown): VersionControl {
  const f = fields(shape, v, false);
  return defined({ repositoryUri: f.opt('repositoryUri', str), revisionId: f.opt('revisionId', str), branch: f.opt('branch', str), root: f.opt('root', str) });
}

function readSummary(shape: Shape, v: unknown, findings: JsonFinding[]): JsonSummary {
  const f = fields(shape, v, false);
  const byKey = <K extends string>(keys: readonly K[]): Read<Record<K, number>> => (s, x) => {
    const o = record(s, x);
    return Object.fromEntries(keys.map((k) => [k, int(s.at(k), o[k], 0)])) as Record<K, number>;
  };
  // Reports written before findings had a confidence: counted from the findings as read (all medium).
  const byConfidence =
    f.opt('byConfidence', byKey(CONFIDENCES)) ??
    (Object.fromEntries(CONFIDENCES.map((c) => [c, findings.filter((x) => x.confidence === c).length])) as Record<Confidence, number>);
  return {
    findings: f.need('findings', count),
    locations: f.need('locations', count),
    bySeverity: f.need('bySeverity', byKey(SEVERITIES)),
    byConfidence,
    files: f.need('files', count),
    bytes: f.need('bytes', count),
    durationMs: f.need('durationMs', count),
    skipped: f.need('skipped', counts),
  };
}

/** The report's top level: a secretscan report of the version this reader knows, or a UserError naming the file and field. */
function readTop(file: string, text: string, partial: boolean): { shape: Shape; top: Fields } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, which may hold a secret.
    throw new UserError(`${file}: not a JSON report: not valid JSON (a truncated file?)`, HINT);
  }
  const shape = new Shape(file);
  const top = fields(shape, data, partial);
  const tool = top.o.tool as Record<string, unknown> | undefined;
  const ours = tool !== null && typeof tool === 'object' && tool.name === 'secretscan';
  // A partial reading takes lists without a tool (hand-made for revoke), never another tool's.
  if (!ours && !(partial && tool === undefined && top.o.version !== undefined)) shape.fail(`not a secretscan JSON report (version ${REPORT_VERSION})`);
  if (top.o.version !== REPORT_VERSION) {
    const v = top.o.version;
    shape.at('version').fail(`report version ${typeof v === 'string' || typeof v === 'number' ? JSON.stringify(v) : 'missing'} is not supported: this secretscan reads version ${REPORT_VERSION} (a newer secretscan may have written it)`);
  }
  return { shape, top };
}

/** Checks a parsed report field by field: the JSON report as src/report/schema.ts types it, or a UserError naming the file and field. */
export function parseJsonReport(text: string, file: string): JsonReport {
  const { top } = readTop(file, text, false);
  const findings = top.need('findings', listOf((s, v) => readFinding(s, v, false)));
  return defined({
    version: REPORT_VERSION,
    tool: { name: 'secretscan', version: top.shape.at('tool').at('version').string((top.o.tool as Record<string, unknown>).version) },
    target: top.need('target', str),
    shard: top.opt('shard', readShard),
    merged: top.opt('merged', readMerged),
    vcs: top.opt('vcs', readVcs),
    findings,
    skipped: top.need('skipped', listOf(readSkipped)),
    suppressed: top.need('suppressed', counts),
    warnings: top.opt('warnings', listOf(readWarning)),
    summary: top.need('summary', (s, v) => readSummary(s, v, findings)),
  });
}

/** The scan result a report describes, and what it says of each rule. */
export function fromJsonReport(report: JsonReport, file: string): ReadReport {
  const rules = new Map<string, ReportedRule>();
  for (const f of report.findings) {
    // A generic finding named for a provider holds that provider's guidance, under the provider's rule.
    const named = f.namedFor;
    const id = named ? named.rule : f.ruleId;
    if (rules.has(id)) continue;
    rules.set(id, defined({
      id,
      name: named ? named.ruleName : f.ruleName,
      provider: named ? named.provider : f.provider,
      providerName: named ? named.providerName : f.providerName,
      severity: f.severity,
      revocation: f.revocation,
      references: f.references,
      // The base confidence recorded is the generic rule's, not the named provider's.
      confidence: named ? undefined : f.ruleConfidence,
    }));
  }
  const findings = report.findings.map((f): Finding => defined({
    id: f.id,
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    provider: f.provider,
    providerName: f.providerName,
    severity: f.severity,
    secret: f.secret ?? '',
    redacted: f.redacted,
    entropy: f.entropy,
    confidence: f.confidence,
    // Each origin gets its kind (reports written before origins had one are classified here).
    locations: f.locations.map(({ origin, ...l }) => (origin ? { ...l, origin: readOrigin(origin) } : l)),
    details: f.details,
    verification: f.verification,
    namedFor: f.namedFor,
  }));
  return {
    file,
    toolVersion: report.tool.version,
    report,
    result: defined({
      target: report.target,
      findings,
      skipped: report.skipped,
      suppressed: report.suppressed,
      stats: { files: report.summary.files, bytes: report.summary.bytes, durationMs: report.summary.durationMs },
      // What a shard's run could not honour (an imported rule RE2 rejects…) holds for a merged report too.
      warnings: report.warnings?.length ? report.warnings : undefined,
      shard: report.shard,
      merged: report.merged,
      vcs: report.vcs,
    }),
    hasSecrets: report.findings.every((f) => f.secret !== undefined),
    rules,
  };
}

/** Reads a secretscan JSON report file; anything else is a UserError (exit 2) naming the file and the field. */
export function readJsonReport(file: string): ReadReport {
  return fromJsonReport(parseJsonReport(readInputText(file, { what: 'report', hint: HINT }), file), file);
}

/**
 * Reads the findings of a report for revoke: the version is checked and every field present is
 * checked as in a full reading, but only `version` and each finding's `ruleId` are required, so
 * a hand-made list of secrets also reads.
 */
export function readReportFindings(file: string, hint = HINT): PartialFinding[] {
  const { top } = readTop(file, readInputText(file, { what: 'report', hint }), true);
  return listOf((s, v) => readFinding(s, v, true))(top.shape.at('findings'), top.o.findings);
}
