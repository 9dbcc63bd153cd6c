import { readInputText } from '../io/safe-read.js';
import { UserError } from '../errors.js';
import type { Finding } from '../types.js';
import type { RevocableToken } from './types.js';

/** A finding as revoke needs it, from a scan or from a JSON report. */
export interface LeakedToken extends RevocableToken {
  /** Where to revoke it by hand, from the rule's guidance. */
  guidance: string;
}

interface ReportFinding {
  ruleId?: unknown;
  ruleName?: unknown;
  provider?: unknown;
  secret?: unknown;
  redacted?: unknown;
  locations?: Array<{ path?: unknown; line?: unknown }>;
  revocation?: { summary?: unknown; url?: unknown } | null;
}

function guidanceOf(revocation: { summary?: unknown; url?: unknown } | null | undefined): string {
  if (!revocation) return 'see the finding in the report';
  const url = typeof revocation.url === 'string' ? revocation.url : null;
  const summary = typeof revocation.summary === 'string' ? revocation.summary : '';
  return url ? `${url}${summary ? ` (${summary})` : ''}` : summary || 'see the finding in the report';
}

/** Findings of a scan this command ran itself. */
export function fromScan(findings: Finding[], guidance: (ruleId: string) => { summary: string; url: string | null } | undefined): LeakedToken[] {
  return findings.map((f) => ({
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    provider: f.provider,
    secret: f.secret,
    redacted: f.redacted,
    where: f.locations[0] ? `${f.locations[0].path}:${f.locations[0].line}` : '?',
    guidance: guidanceOf(guidance(f.ruleId)),
  }));
}

const HOW_TO_GET_SECRETS =
  'write one with `secretscan dir PATH --format json --show-secrets -o report.json` (keep it private and delete it after), or let revoke scan: `secretscan revoke PATH`';

/** Findings of a JSON report written with --show-secrets. */
export function fromReport(file: string): LeakedToken[] {
  const hint = 'pass a report written with --format json --show-secrets';
  const text = readInputText(file, { what: 'report', hint });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, and this report holds raw secrets.
    throw new UserError(`cannot read report ${file}: not valid JSON`, hint);
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) throw new UserError(`${file} is not a secretscan JSON report (no "findings" list)`, 'pass a report written with --format json --show-secrets');
  const list = findings as ReportFinding[];
  if (list.some((f) => typeof f?.secret !== 'string')) {
    throw new UserError(`${file} is a redacted report: it holds no secrets to revoke`, HOW_TO_GET_SECRETS);
  }
  return list.map((f, i) => {
    if (typeof f.ruleId !== 'string') throw new UserError(`${file}: finding ${i} has no ruleId`);
    const first = Array.isArray(f.locations) ? f.locations[0] : undefined;
    return {
      ruleId: f.ruleId,
      ruleName: typeof f.ruleName === 'string' ? f.ruleName : f.ruleId,
      provider: typeof f.provider === 'string' ? f.provider : '?',
      secret: f.secret as string,
      redacted: typeof f.redacted === 'string' ? f.redacted : '(redacted)',
      where: first ? `${String(first.path)}:${String(first.line)}` : '?',
      guidance: guidanceOf(f.revocation),
    };
  });
}
