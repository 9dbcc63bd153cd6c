import { DESCRIBERS } from '../rules/describers.js';
import { higherConfidence, locationConfidence } from './confidence.js';
import type { Finding, Match, Origin, RuleSpec } from '../types.js';
import { compareFindings, compareLocations, originPlace } from '../types.js';
import { locationFingerprint, secretId } from './fingerprint.js';
import { redactSecret } from './redact.js';

export interface LocatedMatch extends Match {
  path: string;
  origin?: Origin;
}

/**
 * One finding per (rule, secret): a key copied into 40 files is one leak with 40 locations, as
 * sure as its surest place (a key in a test and in the app is not a test key).
 * Locations are told apart by place (originPlace: the same path in two image layers is two places)
 * and sorted in report order (compareLocations), and findings too (compareFindings).
 */
export function groupFindings(matches: LocatedMatch[], rules: ReadonlyMap<string, RuleSpec>): Finding[] {
  const byId = new Map<string, Finding>();
  for (const m of matches) {
    const rule = rules.get(m.ruleId);
    if (!rule) throw new Error(`internal: match for unknown rule ${m.ruleId}`);
    const id = secretId(m.ruleId, m.secret);
    const confidence = locationConfidence(rule, m, m.path);
    let f = byId.get(id);
    if (!f) {
      f = {
        id,
        ruleId: rule.id,
        ruleName: rule.name,
        provider: rule.provider,
        providerName: rule.providerName,
        severity: rule.severity,
        secret: m.secret,
        redacted: redactSecret(m.secret),
        entropy: Math.round(m.entropy * 100) / 100,
        confidence,
        locations: [],
      };
      // Identifiers the rule's describer reads out of the secret offline (the AWS account of a key id).
      const describer = rule.describe ?? (rule.validator === 'jwt' ? 'jwt-claims' : undefined);
      const details = describer ? DESCRIBERS[describer]?.(m.secret) : null;
      if (details) f.details = details;
      byId.set(id, f);
    } else f.confidence = higherConfidence(f.confidence, confidence);
    // A generic value whose variable names a provider (TELNYX_API_KEY) takes that provider's name and guidance.
    if (m.namedFor && !f.namedFor) {
      f.namedFor = { ...m.namedFor };
      f.provider = m.namedFor.provider;
      f.providerName = m.namedFor.providerName;
    }
    const fingerprint = locationFingerprint(m.ruleId, m.secret, m.path);
    const place = originPlace(m.path, m.origin);
    if (f.locations.some((l) => l.line === m.line && l.column === m.column && originPlace(l.path, l.origin) === place)) continue;
    f.locations.push({
      path: m.path,
      line: m.line,
      column: m.column,
      endLine: m.endLine,
      endColumn: m.endColumn,
      ...(m.encoding ? { encoding: m.encoding } : {}),
      fingerprint,
      ...(m.origin ? { origin: m.origin } : {}),
    });
  }
  const findings = [...byId.values()];
  for (const f of findings) f.locations.sort(compareLocations);
  return findings.sort(compareFindings);
}
