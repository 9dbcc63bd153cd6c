/** What every renderer is given: the format, whether to show secrets, and what it says of each rule. */
import type { Confidence, Finding, RuleSpec } from '../types.js';
import { baseConfidence } from '../findings/confidence.js';

export type Format = 'text' | 'json' | 'sarif' | 'junit' | 'csv' | 'github' | 'html';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit', 'csv', 'github', 'html'];

/**
 * What reports say of a rule: its names, severity, guidance and references, and its base
 * confidence (`confidence`, else derived from `fallback`). A scan passes its rules; a merge passes
 * what the JSON reports recorded (src/report/merge.ts), without loading rule files.
 */
export type ReportRule = Pick<RuleSpec, 'id' | 'name' | 'provider' | 'providerName' | 'severity' | 'revocation' | 'references' | 'fallback' | 'confidence'> & {
  /** Set for a rule known only from reports that did not record its base confidence: reports then leave it out. */
  confidenceUnrecorded?: boolean;
};

export interface ReportOptions {
  /** Print raw secrets instead of redacted ones (the user asked for it). */
  showSecrets: boolean;
  color: boolean;
  verbose: boolean;
  rules: ReadonlyMap<string, ReportRule>;
  toolVersion: string;
}

/** A rule's base confidence as a report may state it: none when the rule came from reports that did not record it. */
export function statedBaseConfidence(rule: ReportRule): Confidence | undefined {
  return rule.confidenceUnrecorded ? undefined : baseConfidence(rule);
}

/**
 * The rule whose revocation guidance a finding gets: its own, or for a generic finding whose
 * variable names a provider (`namedFor`), that provider's rule when the report knows it.
 */
export function guidanceRule(f: Pick<Finding, 'ruleId' | 'namedFor'>, options: Pick<ReportOptions, 'rules'>): ReportRule | undefined {
  return (f.namedFor && options.rules.get(f.namedFor.rule)) || options.rules.get(f.ruleId);
}
