// Counts of what providers answered for --verify: answers, not attempts.
import type { Finding } from '../types.js';
import { plural } from './words.js';

export interface VerificationCounts {
  /** Findings that carry a verification. */
  total: number;
  live: number;
  revoked: number;
  /** Not checked: the provider could not be reached or did not answer. The key may be live. */
  network: number;
  /** No verifier for the kind of secret, or an answer that says neither live nor revoked. */
  unknown: number;
  /** Why the first unchecked finding was not checked ("could not reach api.github.com: …"). */
  networkDetail?: string;
}

export function verificationCounts(findings: readonly Finding[]): VerificationCounts | undefined {
  const verified = findings.filter((f) => f.verification);
  if (verified.length === 0) return undefined;
  const counts: VerificationCounts = { total: verified.length, live: 0, revoked: 0, network: 0, unknown: 0 };
  for (const { verification: v } of verified) {
    if (v!.status === 'live') counts.live++;
    else if (v!.status === 'revoked') counts.revoked++;
    else if (v!.reason === 'network') {
      counts.network++;
      counts.networkDetail ??= v!.detail;
    } else counts.unknown++;
  }
  return counts;
}

/** "Verified 3 of 12 findings with their providers: 2 live, 1 revoked; 8 not verified (network: …); 1 unknown". */
export function verificationSummary(c: VerificationCounts, paintLive: (s: string) => string = (s) => s): string {
  const liveText = `${c.live} live`;
  const parts = [`${c.live > 0 ? paintLive(liveText) : liveText}, ${c.revoked} revoked`];
  if (c.network > 0) parts.push(`${c.network} not verified (network: ${c.networkDetail ?? 'no answer'})`);
  if (c.unknown > 0) parts.push(`${c.unknown} unknown`);
  return `Verified ${c.live + c.revoked} of ${plural(c.total, 'finding')} with their providers: ${parts.join('; ')}`;
}
