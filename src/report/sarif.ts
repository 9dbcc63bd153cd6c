import path from 'node:path';
import { otherPlaces } from './words.js';
import { pathToFileURL } from 'node:url';
import type { Confidence, Finding, ScanResult, Severity } from '../types.js';
import { guidanceLines, guidanceMarkdown } from './guidance.js';
import { guidanceRule, statedBaseConfidence, type ReportOptions, type ReportRule } from './options.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note',
};
/** GitHub code scanning reads `security-severity` (0-10) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0',
};

/**
 * `result.rank` (SARIF 2.1.0 §3.27.25: 0-100, higher is more important): the security-severity
 * score on 0-100, weighed by how sure the finding is, so a weak generic value ranks below a key
 * of the same severity whose structure holds. (GitLab turns rank into severity, so it must not
 * exceed what the severity alone says.)
 */
const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.75, low: 0.5 };

function rank(f: Finding): number {
  return Math.round(Number(SECURITY_SEVERITY[f.severity]) * 10 * CONFIDENCE_WEIGHT[f.confidence] * 10) / 10;
}

function sarifRule(rule: ReportRule) {
  const precision = statedBaseConfidence(rule);
  return {
    id: rule.id,
    name: rule.name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: rule.name },
    fullDescription: { text: `${rule.name} (${rule.providerName}). ${rule.revocation.summary}` },
    help: { text: guidanceLines(rule.revocation).join('\n'), markdown: guidanceMarkdown(rule.revocation, rule.references) },
    ...(rule.references[0] ? { helpUri: rule.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'secret', rule.provider],
      // GitHub code scanning sorts alerts by it (very-high | high | medium | low): the rule's base confidence.
      ...(precision ? { precision } : {}),
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

/**
 * The repository, commit and branch the scan covered. SARIF requires repositoryUri to be an RFC 3986
 * URI, so a repository without an `origin` remote, or with an scp-style one on an unknown host
 * (`git@host:path`, which is not a URI), gets none. mappedTo says SRCROOT is the repository root.
 */
function versionControlProvenance(result: ScanResult) {
  const vcs = result.vcs;
  if (!vcs?.repositoryUri || !URL.canParse(vcs.repositoryUri)) return {};
  const atRoot = vcs.root !== undefined && path.isAbsolute(result.target) && path.resolve(vcs.root) === path.resolve(result.target);
  return {
    versionControlProvenance: [
      {
        repositoryUri: vcs.repositoryUri,
        ...(vcs.revisionId ? { revisionId: vcs.revisionId } : {}),
        ...(vcs.branch ? { branch: vcs.branch } : {}),
        ...(atRoot ? { mappedTo: { uriBaseId: 'SRCROOT' } } : {}),
      },
    ],
  };
}

/** SARIF 2.1.0 for GitHub code scanning and other viewers: one result per location of a secret. */
export function renderSarif(result: ScanResult, options: ReportOptions): string {
  const used = [...new Set(result.findings.map((f) => f.ruleId))].sort();
  const rules = used.map((id) => options.rules.get(id)).filter((r): r is ReportRule => r !== undefined);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = result.findings.flatMap((f) =>
    f.locations.map((loc) => ({
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      // A key its provider confirmed live is an error whatever the rule's severity.
      level: f.verification?.status === 'live' ? 'error' : LEVEL[f.severity],
      rank: rank(f),
      message: {
        text:
          `${f.ruleName} ${options.showSecrets ? f.secret : f.redacted} is exposed here` +
          otherPlaces(f.locations.length) +
          `. ${guidanceRule(f, options)?.revocation.summary ?? ''}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: loc.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' },
            region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn },
          },
        },
      ],
      partialFingerprints: { 'secretscan/v1': loc.fingerprint },
      properties: {
        secretId: f.id,
        confidence: f.confidence,
        entropy: f.entropy,
        ...(loc.encoding ? { encoding: loc.encoding } : {}),
        ...(f.verification ? { verification: f.verification } : {}),
      },
    })),
  );
  const root = path.isAbsolute(result.target)
    ? pathToFileURL(result.target.endsWith(path.sep) ? result.target : result.target + path.sep).href
    : null;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secretscan',
            semanticVersion: options.toolVersion,
            rules: rules.map(sarifRule),
          },
        },
        ...(root ? { originalUriBaseIds: { SRCROOT: { uri: root } } } : {}),
        ...versionControlProvenance(result),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
