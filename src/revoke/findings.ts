// The tokens revoke works on: the findings of its own scan, or of a JSON report the CLI read (src/report/read-json.ts).
import { UserError } from '../errors.js';
import type { Finding, Revocation } from '../types.js';
import type { RevocableToken } from './types.js';

/** A finding as revoke needs it, from a scan or from a JSON report. */
export interface LeakedToken extends RevocableToken {
  /** Where to revoke it by hand, from the rule's guidance. */
  guidance: string;
}

/** What revoke takes of a report's finding (src/report/schema.ts), checked by the reader; a hand-made list gives ruleId and secret only. */
export interface ReportedSecret {
  ruleId: string;
  ruleName?: string;
  provider?: string;
  secret?: string;
  redacted?: string;
  locations?: { path?: string; line?: number }[];
  revocation?: Pick<Revocation, 'summary' | 'url'>;
}

/** The rule's guidance as one line: where, and what to do there. */
function guidanceOf(revocation: Pick<Revocation, 'summary' | 'url'> | undefined): string {
  if (!revocation) return 'see the finding in the report';
  const { url, summary } = revocation;
  return url ? `${url}${summary ? ` (${summary})` : ''}` : summary || 'see the finding in the report';
}

/** Findings of a scan this command ran itself. */
export function fromScan(findings: Finding[], guidance: (ruleId: string) => Pick<Revocation, 'summary' | 'url'> | undefined): LeakedToken[] {
  return findings.map((f) => ({
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    provider: f.provider,
    secret: f.secret,
    redacted: f.redacted,
    where: f.locations[0] ? `${f.locations[0].path}:${f.locations[0].line}` : '?',
    // A generic value named for a provider by its variable: that provider's guidance, revoked by hand.
    guidance: guidanceOf((f.namedFor && guidance(f.namedFor.rule)) || guidance(f.ruleId)),
  }));
}

const HOW_TO_GET_SECRETS =
  'write one with `secretscan dir PATH --format json --show-secrets -o report.json` (keep it private and delete it after), or let revoke scan: `secretscan revoke PATH`';

/** Findings of a JSON report (`file`) written with --show-secrets. */
export function fromReadReport(findings: ReportedSecret[], file: string): LeakedToken[] {
  if (findings.some((f) => f.secret === undefined)) {
    throw new UserError(`${file} is a redacted report: it holds no secrets to revoke`, HOW_TO_GET_SECRETS);
  }
  return findings.map((f) => {
    const first = f.locations?.[0];
    return {
      ruleId: f.ruleId,
      ruleName: f.ruleName ?? f.ruleId,
      provider: f.provider ?? '?',
      secret: f.secret!,
      redacted: f.redacted ?? '(redacted)',
      where: first ? `${String(first.path)}:${String(first.line)}` : '?',
      guidance: guidanceOf(f.revocation),
    };
  });
}
