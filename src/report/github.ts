import type { ScanResult, Severity } from '../types.js';
import { otherPlaces, plural, scannedItems } from './words.js';
import { SEVERITIES, originCommit } from '../types.js';
import { countBySeverity } from './json.js';
import { guidanceRule, type ReportOptions } from './options.js';
import { printable } from './printable.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice',
};

/** Escaping of a workflow command's message, as the Actions runner unescapes it. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally escape the separators `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands: one annotation per place a secret was found (error for
 * critical/high, warning for medium, notice below), then one plain summary line for the log.
 */
export function renderGithub(result: ScanResult, options: ReportOptions): string {
  const out: string[] = [];
  for (const f of result.findings) {
    const rule = guidanceRule(f, options);
    for (const loc of f.locations) {
      const props = [
        // The runner unescapes %XX only: other control characters are shown escaped, not sent raw.
        `file=${escapeProperty(printable(loc.path))}`,
        `line=${loc.line}`,
        `endLine=${loc.endLine}`,
        `col=${loc.column}`,
        `endColumn=${loc.endColumn}`,
        `title=${escapeProperty(printable(`${f.ruleName} [${f.ruleId}]`))}`,
      ].join(',');
      const sha = originCommit(loc.origin);
      const commit = sha !== undefined ? ` (commit ${printable(sha.slice(0, 12))})` : '';
      const message =
        `${f.severity}, ${f.confidence} confidence: ${printable(options.showSecrets ? f.secret : f.redacted)} leaked here${commit}` +
        otherPlaces(f.locations.length) +
        (rule ? `.\n${printable(rule.revocation.summary)}${rule.revocation.url ? `\n${printable(rule.revocation.url)}` : ''}` : '.');
      out.push(`::${COMMAND[f.severity]} ${props}::${escapeData(message)}`);
    }
  }
  const sev = countBySeverity(result);
  const places = result.findings.reduce((n, f) => n + f.locations.length, 0);
  const bySeverity = [...SEVERITIES].reverse().filter((s) => sev[s] > 0).map((s) => `${sev[s]} ${s}`).join(', ');
  out.push(
    result.findings.length === 0
      ? `secretscan: no leaks found in ${scannedItems(result)}`
      : `secretscan: ${plural(result.findings.length, 'leak')} in ${plural(places, 'place')} (${bySeverity}) in ${scannedItems(result)}`,
  );
  return `${out.join('\n')}\n`;
}
