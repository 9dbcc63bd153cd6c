import { baseConfidence } from '../report/confidence.js';
import type { RuleSpec } from '../types.js';

export function listRules(rules: ReadonlyMap<string, RuleSpec>, format: 'text' | 'json'): string {
  const list = [...rules.values()];
  if (format === 'json') {
    return `${JSON.stringify(list.map((r) => ({ id: r.id, name: r.name, provider: r.provider, severity: r.severity, confidence: baseConfidence(r), keywords: r.keywords, source: r.source, ...(r.tags ? { tags: r.tags } : {}) })), null, 2)}\n`;
  }
  const width = Math.max(...list.map((r) => r.id.length));
  return `${list.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${baseConfidence(r).padEnd(6)}  ${r.providerName}: ${r.name}`).join('\n')}\n${list.length} rules\n`;
}
