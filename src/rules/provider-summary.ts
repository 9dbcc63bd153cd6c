/** Rules grouped by provider, with counts: for `secretscan rules` and the README's provider table. */
import type { RuleSpec } from '../types.js';

export interface ProviderSummary {
  provider: string;
  name: string;
  /** Rules that report findings. */
  rules: RuleSpec[];
  /** Identifiers kept only to pair a secret with for `--verify` (never reported). */
  partnerOnly: RuleSpec[];
}

/** One entry per provider, in display-name order; rules in file order. */
export function summarizeProviders(rules: Iterable<RuleSpec>): ProviderSummary[] {
  const byProvider = new Map<string, ProviderSummary>();
  for (const rule of rules) {
    let entry = byProvider.get(rule.provider);
    if (!entry) byProvider.set(rule.provider, (entry = { provider: rule.provider, name: rule.providerName, rules: [], partnerOnly: [] }));
    (rule.partnerOnly ? entry.partnerOnly : entry.rules).push(rule);
  }
  return [...byProvider.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.provider.localeCompare(b.provider));
}

/** "N rules for M providers", plus the partner-only identifiers when there are any. */
export function countLine(summaries: ProviderSummary[]): string {
  const rules = summaries.reduce((n, s) => n + s.rules.length, 0);
  const partners = summaries.reduce((n, s) => n + s.partnerOnly.length, 0);
  const providers = summaries.filter((s) => s.rules.length > 0).length;
  const extra = partners ? `, plus ${partners} partner-only ${partners === 1 ? 'identifier' : 'identifiers'} for \`--verify\`` : '';
  return `${rules} ${rules === 1 ? 'rule' : 'rules'} for ${providers} ${providers === 1 ? 'provider' : 'providers'}${extra}`;
}

/** Rules that report findings and carry a verifier (`--verify`), and the providers they belong to. */
export function verifierCount(summaries: ProviderSummary[]): { rules: number; providers: number } {
  const counts = summaries.map((s) => s.rules.filter((r) => r.verify).length);
  return { rules: counts.reduce((n, c) => n + c, 0), providers: counts.filter((c) => c > 0).length };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** The README's provider table (Markdown), generated from the rule files. */
export function renderProviderMarkdown(rules: Iterable<RuleSpec>): string {
  const summaries = summarizeProviders(rules).filter((s) => s.rules.length > 0);
  const lines = [
    `${countLine(summarizeProviders(rules))}.`,
    '',
    '| provider | file | rules | what they find |',
    '| --- | --- | ---: | --- |',
    ...summaries.map((s) => `| ${cell(s.name)} | \`${s.provider}\` | ${s.rules.length} | ${cell(s.rules.map((r) => r.name).join('; '))} |`),
  ];
  return `${lines.join('\n')}\n`;
}
