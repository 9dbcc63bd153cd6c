import type { RuleSpec } from '../types.js';

export type Format = 'text' | 'json' | 'sarif' | 'junit' | 'csv' | 'github' | 'html';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit', 'csv', 'github', 'html'];

export interface ReportOptions {
  /** Print raw secrets instead of redacted ones (the user asked for it). */
  showSecrets: boolean;
  color: boolean;
  verbose: boolean;
  rules: ReadonlyMap<string, RuleSpec>;
  toolVersion: string;
}
