import { readInputText } from '../io/safe-read.js';
import { Shape } from '../config/shape.js';
import { UserError } from '../errors.js';
import { CONFIDENCES, SEVERITIES, VERIFICATION_STATUSES, type Finding, type Location, type Revocation, type ScanResult, type ScanWarning, type Skipped, type Verification } from '../types.js';

/** A finding's rule as a JSON report describes it: enough to render text and SARIF again. */
export interface ReportedRule {
  id: string;
  name: string;
  provider: string;
  providerName: string;
  severity: Finding['severity'];
  revocation?: Revocation;
  references: string[];
}

/** A JSON report read back (src/report/json.ts wrote it), checked field by field. */
export interface ReadReport {
  file: string;
  toolVersion: string;
  result: ScanResult;
  /** Whether the report holds raw secrets (written with --show-secrets); empty secrets when not. */
  hasSecrets: boolean;
  rules: Map<string, ReportedRule>;
}

const URGENCIES = ['revoke-now', 'rotate', 'restrict-or-rotate'] as const;
const SKIP_REASONS: readonly Skipped['reason'][] = ['binary', 'too-large', 'unreadable', 'symlink-outside-root', 'not-a-file', 'short-read', 'not-cloned'];

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

function readLocation(shape: Shape, v: unknown): Location {
  const o = record(shape, v);
  const at = (k: string) => shape.at(k);
  return {
    path: at('path').string(o.path),
    line: int(at('line'), o.line, 1),
    column: int(at('column'), o.column, 1),
    endLine: int(at('endLine'), o.endLine, 1),
    endColumn: int(at('endColumn'), o.endColumn, 1),
    ...(o.encoding !== undefined ? { encoding: at('encoding').oneOf(o.encoding, ['base64', 'percent', 'json-escape'] as const) } : {}),
    fingerprint: at('fingerprint').string(o.fingerprint),
    ...(o.origin !== undefined ? { origin: record(at('origin'), o.origin) } : {}),
  };
}

function readRevocation(shape: Shape, v: unknown): Revocation | undefined {
  if (v === undefined || v === null) return undefined;
  const o = record(shape, v);
  const nullable = (k: string) => (o[k] === null ? null : shape.at(k).string(o[k]));
  return {
    urgency: shape.at('urgency').oneOf(o.urgency, URGENCIES),
    summary: shape.at('summary').string(o.summary),
    url: nullable('url'),
    steps: shape.at('steps').strings(o.steps),
    api: nullable('api'),
    after: shape.at('after').strings(o.after),
  };
}

function readVerification(shape: Shape, v: unknown): Verification {
  const o = record(shape, v);
  const status = shape.at('status').oneOf(o.status, VERIFICATION_STATUSES);
  return {
    status,
    ...(o.identity !== undefined ? { identity: shape.at('identity').string(o.identity) } : {}),
    ...(o.detail !== undefined ? { detail: shape.at('detail').string(o.detail) } : {}),
    ...(o.reason !== undefined ? { reason: shape.at('reason').oneOf(o.reason, ['network'] as const) } : {}),
  };
}

/** `details` (label → value); a report written before describers has `awsAccount` instead. */
function readDetails(shape: Shape, o: Record<string, unknown>): Record<string, string> | undefined {
  if (o.awsAccount !== undefined && o.details === undefined) return { 'AWS account': shape.at('awsAccount').string(o.awsAccount) };
  if (o.details === undefined) return undefined;
  return Object.fromEntries(Object.entries(record(shape.at('details'), o.details)).map(([k, x]) => [k, shape.at('details').at(k).string(x)]));
}

function readFinding(shape: Shape, v: unknown, rules: Map<string, ReportedRule>): { finding: Finding; hasSecret: boolean } {
  const o = record(shape, v);
  const details = readDetails(shape, o);
  const str = (k: string) => shape.at(k).string(o[k]);
  const finding: Finding = {
    id: str('id'),
    ruleId: str('ruleId'),
    ruleName: str('ruleName'),
    provider: str('provider'),
    providerName: str('providerName'),
    severity: shape.at('severity').oneOf(o.severity, SEVERITIES),
    secret: o.secret === undefined ? '' : str('secret'),
    redacted: str('redacted'),
    entropy: shape.at('entropy').number(o.entropy, 0),
    // Reports written before findings had a confidence: medium, what the default shows.
    confidence: o.confidence === undefined ? 'medium' : shape.at('confidence').oneOf(o.confidence, CONFIDENCES),
    locations: array(shape.at('locations'), o.locations).map((l, i) => readLocation(shape.at('locations').at(i), l)),
    ...(details ? { details } : {}),
  };
  if (finding.locations.length === 0) shape.at('locations').fail('expected at least one location');
  if (o.verification !== undefined) finding.verification = readVerification(shape.at('verification'), o.verification);
  if (!rules.has(finding.ruleId)) {
    const revocation = readRevocation(shape.at('revocation'), o.revocation);
    rules.set(finding.ruleId, {
      id: finding.ruleId,
      name: finding.ruleName,
      provider: finding.provider,
      providerName: finding.providerName,
      severity: finding.severity,
      ...(revocation ? { revocation } : {}),
      references: shape.at('references').strings(o.references),
    });
  }
  return { finding, hasSecret: o.secret !== undefined };
}

/** Reads a secretscan JSON report; anything else is a UserError naming the file and the field. */
export function readJsonReport(file: string): ReadReport {
  const text = readInputText(file, { what: 'report', hint: 'merge reads reports written with --format json' });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, which may hold a secret.
    throw new UserError(`${file}: not a JSON report: not valid JSON`, 'merge reads reports written with --format json');
  }
  const shape: Shape = new Shape(file);
  const top = record(shape, data);
  const tool = top.tool as Record<string, unknown> | undefined;
  if (!tool || tool.name !== 'secretscan' || top.version !== 1) {
    shape.fail('not a secretscan JSON report (version 1)');
  }
  const rules = new Map<string, ReportedRule>();
  const read = array(shape.at('findings'), top.findings).map((f, i) => readFinding(shape.at('findings').at(i), f, rules));
  const skipped = array(shape.at('skipped'), top.skipped).map((v, i): Skipped => {
    const s = shape.at('skipped').at(i);
    const o = record(s, v);
    return {
      path: s.at('path').string(o.path),
      reason: s.at('reason').oneOf(o.reason, SKIP_REASONS),
      ...(o.detail !== undefined ? { detail: s.at('detail').string(o.detail) } : {}),
    };
  });
  // What a shard's run could not honour (an imported rule RE2 rejects…) holds for the merged report too.
  const warnings = top.warnings === undefined ? [] : array(shape.at('warnings'), top.warnings).map((v, i): ScanWarning => {
    const w = shape.at('warnings').at(i);
    const o = record(w, v);
    return {
      kind: w.at('kind').string(o.kind),
      source: w.at('source').string(o.source),
      ...(o.ruleId !== undefined ? { ruleId: w.at('ruleId').string(o.ruleId) } : {}),
      message: w.at('message').string(o.message),
    };
  });
  const suppressedIn = record(shape.at('suppressed'), top.suppressed);
  const suppressed = Object.fromEntries(Object.entries(suppressedIn).map(([k, n]) => [k, int(shape.at('suppressed').at(k), n, 0)]));
  const summary = record(shape.at('summary'), top.summary);
  const stat = (k: string) => int(shape.at('summary').at(k), summary[k], 0);
  let shard: ScanResult['shard'];
  if (top.shard !== undefined) {
    const o = record(shape.at('shard'), top.shard);
    const total = int(shape.at('shard').at('total'), o.total, 1);
    shard = { index: int(shape.at('shard').at('index'), o.index, 1), total };
    if (shard.index > total) shape.at('shard').fail(`shard ${shard.index} of ${total} does not exist`);
  }
  let vcs: ScanResult['vcs'];
  if (top.vcs !== undefined) {
    const o = record(shape.at('vcs'), top.vcs);
    const field = (k: 'repositoryUri' | 'revisionId' | 'branch' | 'root') => {
      const v = shape.at('vcs').at(k).optionalString(o[k]);
      return v === undefined ? {} : { [k]: v };
    };
    vcs = { ...field('repositoryUri'), ...field('revisionId'), ...field('branch'), ...field('root') };
  }
  return {
    file,
    toolVersion: shape.at('tool').at('version').string(tool.version),
    result: {
      target: shape.at('target').string(top.target),
      findings: read.map((r) => r.finding),
      skipped,
      suppressed,
      stats: { files: stat('files'), bytes: stat('bytes'), durationMs: stat('durationMs') },
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(shard ? { shard } : {}),
      ...(vcs ? { vcs } : {}),
    },
    hasSecrets: read.every((r) => r.hasSecret),
    rules,
  };
}
