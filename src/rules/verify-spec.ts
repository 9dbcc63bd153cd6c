import type { Shape } from '../core/shape.js';
import { UserError } from '../errors.js';
import { MATCH_KEYS, readAnswerMatch, readHeaders } from './answer-table.js';
import type { VerificationStatus, VerifyAnswer, VerifySpec } from '../types.js';

const KEYS = ['endpoint', 'code', 'request', 'auth', 'basic_user', 'headers', 'partner', 'answers', 'identity'] as const;
const ANSWER_KEYS = [...MATCH_KEYS, 'state', 'detail'] as const;
const STATES = ['live', 'revoked', 'unknown'] as const satisfies readonly VerificationStatus[];
/** Verifiers written in code (src/verify/coded.ts): only where data cannot say it (signing). */
export const CODED_VERIFIERS = ['aws-sts'] as const;

function readAnswer(v: unknown, s: Shape): VerifyAnswer {
  const o = s.object(v, ANSWER_KEYS);
  const answer: VerifyAnswer = { ...readAnswerMatch(o, s), state: s.at('state').oneOf(o.state, STATES) };
  const detail = s.at('detail').optionalString(o.detail);
  if (detail !== undefined) answer.detail = detail;
  return answer;
}

/**
 * A rule's `verify:` block (documented in rules/README.md): one read-only request, and a table
 * from the provider's answer to live / revoked / unknown.
 */
export function readVerifySpec(v: unknown, s: Shape): VerifySpec {
  const o = s.object(v, KEYS);
  const endpoint = s.at('endpoint').string(o.endpoint);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(endpoint)) s.at('endpoint').fail('expected lower-case letters, digits and dashes');
  const code = o.code === undefined ? undefined : s.at('code').oneOf(o.code, CODED_VERIFIERS);
  const request = s.at('request').string(o.request);
  const m = /^(GET|POST) (https:\/\/\S+)$/.exec(request) ?? s.at('request').fail('expected "GET https://..." or "POST https://..." (the provider\'s own HTTPS endpoint)');
  try {
    new URL(m[2]!.replace(/\{partner\}/g, 'x'));
  } catch {
    s.at('request').fail(`"${m[2]}" is not a URL`);
  }
  const auth = (o.auth === undefined && code ? 'none' : s.at('auth').string(o.auth)) as VerifySpec['auth'];
  if (!/^(bearer|basic|none|header:[A-Za-z0-9-]+|query:[A-Za-z0-9_.-]+|scheme:[A-Za-z][A-Za-z0-9_.-]{0,30})$/.test(auth)) {
    s.at('auth').fail('expected bearer, basic, header:<name>, query:<parameter>, scheme:<word> or none');
  }
  const partner = s.at('partner').optionalString(o.partner);
  const basicUser = o.basic_user === undefined ? (partner ? 'partner' : 'secret') : s.at('basic_user').oneOf(o.basic_user, ['partner', 'secret', 'empty'] as const);
  if (basicUser === 'partner' && !partner) s.at('basic_user').fail('"partner" needs a partner rule');
  if (m[2]!.includes('{partner}') && !partner) s.at('request').fail('{partner} in the URL needs a partner rule');
  const hostPartner = partnerHostSuffix(m[2]!);
  if (hostPartner === null) {
    s.at('request').fail('{partner} in the host must be its first label(s) before the provider\'s own domain: https://{partner}.example.com/...');
  }
  const headers = readHeaders(o.headers, s.at('headers'), '{secret}', 'send the secret with auth:, not in a header template');
  const answers = s.at('answers').list(o.answers).map((a, i) => readAnswer(a, s.at('answers').at(i)));
  // The host comes from the file (the account's own subdomain next to the key): a refusal may only
  // mean that the key belongs to another account's host, so it never proves the key revoked.
  if (hostPartner !== undefined && answers.some((a) => a.state === 'revoked')) {
    s.at('answers').fail('a verifier whose host holds {partner} cannot read an answer as revoked (the key may be another host\'s); leave refusals unknown');
  }
  if (!code && answers.length === 0) s.at('answers').fail('expected at least one answer (status → state)');
  const identity: Record<string, string> = {};
  if (o.identity !== undefined) {
    const is = s.at('identity');
    const obj = is.object(o.identity, o.identity !== null && typeof o.identity === 'object' ? Object.keys(o.identity) : []);
    for (const [label, from] of Object.entries(obj)) identity[label] = is.at(label).string(from);
  }
  return {
    endpoint,
    ...(code ? { code } : {}),
    method: m[1] as 'GET' | 'POST',
    url: m[2]!,
    auth,
    basicUser,
    headers,
    ...(partner ? { partner } : {}),
    answers,
    identity,
  };
}

/**
 * For a URL whose host holds `{partner}`: the fixed domain after it (`.okta.com`), which every
 * request's host must end with; null when `{partner}` sits anywhere else in the host (it could then
 * name another domain); undefined when the host holds no `{partner}`.
 */
export function partnerHostSuffix(url: string): string | null | undefined {
  const host = /^https:\/\/([^/?#]*)/.exec(url)?.[1] ?? '';
  if (!host.includes('{partner}')) return undefined;
  const m = /^\{partner\}(\.[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(host);
  return m ? m[1]!.toLowerCase() : null;
}

/** A verifier's partner must name a rule that exists, or every pair would quietly be unknown. */
export function assertPartnersExist(rules: readonly { id: string; verify?: VerifySpec; source: string }[]): void {
  const ids = new Set(rules.map((r) => r.id));
  for (const r of rules) {
    if (r.verify?.partner && !ids.has(r.verify.partner)) {
      throw new UserError(`${r.source}: rule "${r.id}": verify.partner names no rule ("${r.verify.partner}")`);
    }
  }
}
