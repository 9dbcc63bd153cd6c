import { githubRevoker } from './github.js';
import { slackRevoker } from './slack.js';
import type { Revoker } from './types.js';

/** Providers whose API lets whoever holds a leaked token kill it. */
export const REVOKERS: readonly Revoker[] = [githubRevoker, slackRevoker];

export function revokerFor(ruleId: string): Revoker | undefined {
  return REVOKERS.find((r) => r.ruleIds.includes(ruleId));
}
