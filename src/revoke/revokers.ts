/** Which leaked tokens the rules' `revoke:` blocks can kill, grouped by block, and the run over those groups. */
import type { RevokeSpec, RuleSpec } from '../types.js';
import { postThrough, type Post } from '../net/http-post.js';
import { revokeWith } from './revoker.js';
import type { RevocableToken, RevokeOutcome } from './types.js';

/** Tokens that one `revoke:` block (shared by the rules of a provider through a YAML anchor) revokes. */
export interface RevokeGroup<T extends RevocableToken = RevocableToken> {
  spec: RevokeSpec;
  providerName: string;
  tokens: T[];
}

/** Tokens whose rule has a `revoke:` block, grouped by block in rule order; the others are revoked by hand. */
export function planRevocation<T extends RevocableToken>(tokens: T[], rules: ReadonlyMap<string, RuleSpec>): { revocable: T[]; manual: T[]; groups: RevokeGroup<T>[] } {
  const groups = new Map<string, RevokeGroup<T>>();
  const keyOf = new Map<string, string>();
  for (const rule of rules.values()) {
    if (!rule.revoke) continue;
    const key = JSON.stringify(rule.revoke);
    keyOf.set(rule.id, key);
    if (!groups.has(key)) groups.set(key, { spec: rule.revoke, providerName: rule.providerName, tokens: [] });
  }
  const revocable: T[] = [];
  const manual: T[] = [];
  for (const t of tokens) {
    const key = keyOf.get(t.ruleId);
    if (key === undefined) manual.push(t);
    else {
      revocable.push(t);
      groups.get(key)!.tokens.push(t);
    }
  }
  return { revocable, manual, groups: [...groups.values()].filter((g) => g.tokens.length > 0) };
}

/** "GitHub and Slack": the providers whose tokens the rules can revoke. */
export function revocableProviders(rules: ReadonlyMap<string, RuleSpec>): string {
  const names = [...new Set([...rules.values()].filter((r) => r.revoke).map((r) => r.providerName))];
  return names.length <= 1 ? (names[0] ?? 'no provider') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Revokes every group, one after the other, each at its endpoint or the user's override of it
 * (`verify.endpoints.<name>`). The SSRF guard is lifted only for an endpoint the user set.
 */
export async function revokeGroups(groups: RevokeGroup[], endpoints: Record<string, string>, post?: Post): Promise<RevokeOutcome[]> {
  const outcomes: RevokeOutcome[] = [];
  for (const g of groups) {
    const override = endpoints[g.spec.endpoint];
    const through = post ?? postThrough(override !== undefined);
    outcomes.push(...(await revokeWith(g.spec, g.providerName, g.tokens, new URL(override ?? g.spec.url), through)));
  }
  return outcomes;
}
