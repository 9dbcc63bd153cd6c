import pLimit from 'p-limit';
import type { Finding, RuleSpec, ScanResult, Verification, VerifySpec } from '../types.js';
import { verifyWithCode } from './coded.js';
import { endpointFor, verifyWithData } from './data-verifier.js';
import { httpSend, type RetryPolicy, type Send } from '../net/http.js';

export interface VerifyOptions {
  /** `verify.endpoints.<name>` from config. */
  endpoints: Record<string, string>;
  send?: Send;
  /** Requests in flight per provider endpoint at once. */
  concurrency?: number;
  retry?: RetryPolicy;
}

/** Partners tried for one secret of a pair before giving up (nearest first). */
const MAX_PARTNERS = 3;

/** Findings of `partnerRule` in a file where `finding` is, nearest line first. */
function partnersOf(finding: Finding, partnerRule: string, findings: Finding[]): string[] {
  const ranked: { secret: string; distance: number }[] = [];
  for (const other of findings) {
    if (other.ruleId !== partnerRule) continue;
    let best = Infinity;
    for (const mine of finding.locations) {
      for (const theirs of other.locations) {
        if (theirs.path === mine.path) best = Math.min(best, Math.abs(theirs.line - mine.line));
      }
    }
    if (best < Infinity) ranked.push({ secret: other.secret, distance: best });
  }
  return ranked.sort((a, b) => a.distance - b.distance).slice(0, MAX_PARTNERS).map((p) => p.secret);
}

/** Live with any partner wins; revoked only when every partner tried said so; a partner not checked (network) may still be live. */
function combine(results: Verification[]): Verification {
  return (
    results.find((r) => r.status === 'live') ??
    (results.every((r) => r.status === 'revoked') ? results[0]! : (results.find((r) => r.reason === 'network') ?? results.find((r) => r.status === 'unknown')!))
  );
}

/** What a partner (an AWS key id) is, from what its secrets were verified as: never "not live" when a check did not get through. */
function asPartnerVerification(paired: Verification[] | undefined): Verification {
  if (!paired) return { status: 'unknown', detail: 'secretscan has no verifier for this kind of secret' };
  const live = paired.find((v) => v.status === 'live');
  if (live) return { ...live, detail: `live together with the secret next to it (${live.detail ?? ''})` };
  const network = paired.find((v) => v.reason === 'network');
  if (network) return { status: 'unknown', reason: 'network', detail: `the secret next to it could not be checked (${network.detail ?? 'network'})` };
  // A refusal may only mean the secret next to it is another key's: that says nothing of this one.
  if (paired.every((v) => v.status === 'revoked')) return { status: 'unknown', detail: 'not live with the secret next to it' };
  return { status: 'unknown', detail: `not verified with the secret next to it (${paired.find((v) => v.detail)?.detail ?? 'no answer'})` };
}

/**
 * Asks each provider whether the secrets it issued are live, and sets `verification` on every
 * finding (`unknown` where its rule has no verifier). Secrets go only to the endpoint in their own rule's data
 * (or the user's override of it). Never throws for a network problem: that finding is `unknown`.
 */
export async function verifyFindings(result: ScanResult, rules: ReadonlyMap<string, RuleSpec>, options: VerifyOptions): Promise<void> {
  const send = options.send ?? httpSend;
  const limits = new Map<string, ReturnType<typeof pLimit>>();
  // Within one run only, in memory: the same secret (and partner) is asked about once.
  const cache = new Map<string, Promise<Verification>>();

  const ask = (spec: VerifySpec, secret: string, partner: string | undefined): Promise<Verification> => {
    const key = JSON.stringify([spec.endpoint, spec.url, secret, partner ?? null]);
    let pending = cache.get(key);
    if (!pending) {
      let limit = limits.get(spec.endpoint);
      if (!limit) limits.set(spec.endpoint, (limit = pLimit(options.concurrency ?? 4)));
      const endpoint = endpointFor(spec, options.endpoints);
      pending = limit(() =>
        (spec.code ? verifyWithCode(spec, endpoint, secret, partner, send) : verifyWithData(spec, endpoint, secret, partner, send, options.retry)).catch(
          (e: unknown) => ({ status: 'unknown' as const, detail: `verifier failed: ${(e as Error).message}` }),
        ),
      );
      cache.set(key, pending);
    }
    return pending;
  };

  // What each partner (an AWS key id, say) was verified as, together with the secret it pairs with.
  const asPartner = new Map<string, Verification[]>();
  await Promise.all(
    result.findings.map(async (finding) => {
      const spec = rules.get(finding.ruleId)?.verify;
      if (!spec) return;
      if (!spec.partner) {
        finding.verification = await ask(spec, finding.secret, undefined);
        return;
      }
      const partners = partnersOf(finding, spec.partner, [...result.findings, ...(result.partners ?? [])]);
      if (partners.length === 0) {
        finding.verification = { status: 'unknown', detail: `no ${rules.get(spec.partner)?.name ?? spec.partner} in the same file to pair it with` };
        return;
      }
      const results = await Promise.all(partners.map((p) => ask(spec, finding.secret, p)));
      partners.forEach((p, i) => asPartner.set(`${spec.partner}\0${p}`, [...(asPartner.get(`${spec.partner}\0${p}`) ?? []), results[i]!]));
      finding.verification = combine(results);
    }),
  );
  for (const finding of result.findings) {
    if (finding.verification) continue;
    finding.verification = asPartnerVerification(asPartner.get(`${finding.ruleId}\0${finding.secret}`));
  }
}

/** Live findings first, the rest in their order: the keys to kill first are on top. */
export function liveFirst(findings: Finding[]): Finding[] {
  const live = findings.filter((f) => f.verification?.status === 'live');
  return [...live, ...findings.filter((f) => f.verification?.status !== 'live')];
}
