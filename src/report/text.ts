import type { Finding, Origin, ScanResult, Severity, Verification, VerificationStatus } from '../types.js';
import { SEVERITIES } from '../types.js';
import { describeGitOrigin, falsePositiveAdvice, historyAdvice } from './git-origin.js';
import { guidanceLines } from './guidance.js';
import { describeImageOrigin, imageAdvice } from './image-origin.js';
import { BELOW_CONFIDENCE } from '../findings/confidence.js';
import { countBySeverity, countSkipped } from './json.js';
import { guidanceRule, type ReportOptions, type ReportRule } from './options.js';
import { printable as p } from './printable.js';
import { verificationCounts, verificationSummary } from './verification-summary.js';
import { plural, scannedItems } from './words.js';

const SGR = { reset: 0, bold: 1, dim: 2, red: 31, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
const SEVERITY_COLOR: Record<Severity, keyof typeof SGR> = {
  critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim',
};

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

type Paint = (style: keyof typeof SGR, s: string) => string;

/** LIVE stands out; a dead or unknown key does not need to. */
function verificationTag(status: VerificationStatus, paint: Paint): string {
  if (status === 'live') return paint('red', paint('bold', 'LIVE'));
  return paint('dim', status);
}

function verificationLine(v: Verification): string {
  const what =
    v.status === 'live' ? 'verified live' : v.status === 'revoked' ? 'verified dead (revoked or invalid)' : v.reason === 'network' ? 'not verified (network)' : 'not verified';
  return [what, v.identity, v.detail].filter(Boolean).join(' · ');
}

/**
 * Human report: findings grouped by file, a secret seen in several places marked as one leak,
 * then how to revoke each provider's keys, what was skipped, and a summary line.
 */
export function renderText(result: ScanResult, options: ReportOptions): string {
  const paint = (style: keyof typeof SGR, s: string) => (options.color ? `\x1b[${SGR[style]}m${s}\x1b[0m` : s);
  const out: string[] = [];

  const byFile = new Map<string, { finding: Finding; line: number; column: number; encoding?: string; origin?: Origin }[]>();
  result.findings.forEach((finding) => {
    for (const loc of finding.locations) {
      const list = byFile.get(loc.path) ?? [];
      list.push({ finding, line: loc.line, column: loc.column, encoding: loc.encoding, origin: loc.origin });
      byFile.set(loc.path, list);
    }
  });
  // With --verify, files holding a live key come first, and live keys first within a file.
  const live = (f: Finding) => (f.verification?.status === 'live' ? 0 : 1);
  const fileRank = (items: { finding: Finding }[]) => Math.min(...items.map((it) => live(it.finding)));
  const files = [...byFile.entries()].sort(([a, x], [b, y]) => fileRank(x) - fileRank(y) || a.localeCompare(b));
  for (const [, items] of files) items.sort((a, b) => live(a.finding) - live(b.finding) || a.line - b.line || a.column - b.column);
  // Leaks are numbered in the order they are printed: #1 is the first one read.
  const number = new Map<Finding, number>();
  for (const [, items] of files) for (const it of items) if (!number.has(it.finding)) number.set(it.finding, number.size + 1);
  for (const [file, items] of files) {
    // Every string from the scanned data or a merged report passes p(): a control character in a
    // file name, commit subject or secret would otherwise reach the terminal raw.
    out.push(paint('bold', p(file)));
    for (const it of items) {
      const f = it.finding;
      const where = `${it.line}:${it.column}`.padEnd(9);
      const sev = paint(SEVERITY_COLOR[f.severity], f.severity.toUpperCase().padEnd(8));
      const value = p(options.showSecrets ? f.secret.replace(/\s+/g, ' ') : f.redacted);
      const extras: string[] = [`leak #${number.get(f)}`];
      if (f.locations.length > 1) extras.push(`${f.locations.length} places`);
      extras.push(`${f.confidence} confidence`);
      if (it.encoding) extras.push(`${p(it.encoding)}-encoded`);
      for (const [label, value] of Object.entries(f.details ?? {})) extras.push(`${p(label)} ${p(value)}`);
      if (f.namedFor) extras.push(`named ${p(f.namedFor.providerName)} by its variable`);
      const state = f.verification ? `${verificationTag(f.verification.status, paint)} ` : '';
      out.push(`  ${where} ${sev} ${state}${p(f.ruleName)} [${p(f.ruleId)}]  ${value}  ${paint('dim', `(${extras.join(', ')})`)}`);
      if (f.verification) out.push(`  ${' '.repeat(9)} ${paint('dim', p(verificationLine(f.verification)))}`);
      const origin = describeGitOrigin(it.origin) ?? describeImageOrigin(it.origin);
      if (origin) out.push(`  ${' '.repeat(9)} ${paint('dim', p(origin))}`);
    }
    out.push('');
  }

  // The rules whose guidance the findings get, each once (a generic finding named for a provider: that provider's).
  const guides = new Map<string, ReportRule | undefined>();
  for (const f of result.findings) {
    const rule = guidanceRule(f, options);
    const key = rule?.id ?? f.ruleId;
    if (!guides.has(key)) guides.set(key, rule);
  }
  if (guides.size > 0) {
    out.push(paint('bold', 'How to revoke'));
    const seen = new Set<string>();
    for (const rule of guides.values()) {
      if (!rule) continue;
      const key = JSON.stringify(rule.revocation);
      if (seen.has(key)) continue;
      seen.add(key);
      const [headline, ...rest] = guidanceLines(rule.revocation);
      out.push(`  ${paint('bold', p(`${rule.providerName} · ${rule.name}`))}`);
      out.push(`    ${paint(rule.revocation.urgency === 'revoke-now' ? 'red' : 'yellow', p(headline ?? ''))}`);
      for (const line of rest) out.push(`    ${p(line)}`);
    }
    out.push('  Revoke or rotate first: removing the line or rewriting history does not un-leak a pushed key.');
    const advice = historyAdvice(result.findings);
    if (advice) out.push(`  ${advice}`);
    const inImage = imageAdvice(result.findings);
    if (inImage) out.push(`  ${inImage}`);
    out.push('');
  }

  if (result.skipped.length > 0) {
    const counts = Object.entries(countSkipped(result)).map(([r, n]) => `${n} ${p(r)}`).join(', ');
    out.push(`Skipped ${result.skipped.length} (${counts})${options.verbose ? ':' : '; --verbose lists them'}`);
    if (options.verbose) for (const s of result.skipped) out.push(`  ${p(s.path)}: ${p(s.reason)}${s.detail ? ` (${p(s.detail)})` : ''}`);
  }
  const suppressed = Object.entries(result.suppressed).filter(([r]) => r !== BELOW_CONFIDENCE);
  if (suppressed.length > 0) {
    out.push(`Suppressed by allowlists: ${suppressed.map(([r, n]) => `${n} ${p(r)}`).join(', ')}`);
  }
  const unsure = result.suppressed[BELOW_CONFIDENCE] ?? 0;
  if (unsure > 0) {
    out.push(`Not shown: ${unsure} leak${unsure === 1 ? '' : 's'} below the confidence asked for (--confidence low shows every one)`);
  }
  const sev = countBySeverity(result);
  const sevText = [...SEVERITIES].reverse().filter((s) => sev[s] > 0).map((s) => `${sev[s]} ${s}`).join(', ');
  const leaks = result.findings.length;
  const places = result.findings.reduce((n, f) => n + f.locations.length, 0);
  out.push(
    `Scanned ${scannedItems(result)}, ${formatBytes(result.stats.bytes)} in ${result.stats.durationMs} ms: ` +
      (leaks === 0 ? paint('bold', 'no leaks found') : paint('bold', `${plural(leaks, 'leak')} in ${plural(places, 'place')} (${sevText})`)),
  );
  const counts = verificationCounts(result.findings);
  if (counts) out.push(verificationSummary(counts, (s) => paint('red', paint('bold', s))));
  if (leaks > 0) {
    out.push(paint('dim', falsePositiveAdvice(result.findings)));
  }
  return `${out.join('\n')}\n`;
}
