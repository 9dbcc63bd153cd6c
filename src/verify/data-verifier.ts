import { answerMatches, parseJsonBody, valueAt } from '../rules/answer-table.js';
import { partnerHostSuffix } from '../rules/verify-spec.js';
import type { Verification, VerifySpec } from '../types.js';
import { describeFailure, sendWithRetry, type HttpRequest, type HttpResponse, type RetryPolicy, type Send } from '../net/http.js';

/** The user's override of a verifier's URL (`verify.endpoints.<name>`), if any. */
export interface Endpoint {
  url: string;
  userEndpoint: boolean;
}

export function endpointFor(spec: VerifySpec, overrides: Record<string, string>): Endpoint {
  const override = overrides[spec.endpoint];
  return override === undefined ? { url: spec.url, userEndpoint: false } : { url: override, userEndpoint: true };
}

/** A request that must not go out (its host would come from the file and is not safe). */
class NotSent extends Error {}

/** One to four host name labels (`acme`, `acme.eu`). */
const DNS_LABELS = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?){0,3}$/i;

/** The request a data verifier sends for one secret (and its partner, for pairs). */
export function buildRequest(spec: VerifySpec, endpoint: Endpoint, secret: string, partner?: string): HttpRequest {
  const suffix = partnerHostSuffix(endpoint.url);
  // A partner that names the host is the account's subdomain, found in the scanned file: it must be
  // host name labels and nothing else, and the host must stay under the provider's own domain.
  if (suffix !== undefined && (suffix === null || !DNS_LABELS.test(partner ?? ''))) throw new NotSent('partner is no host name');
  const url = new URL(endpoint.url.replace(/\{partner\}/g, encodeURIComponent(partner ?? '')));
  if (suffix && !url.hostname.endsWith(suffix)) throw new NotSent('host outside the provider\'s domain');
  const headers: Record<string, string> = { 'user-agent': 'secretscan', accept: 'application/json', ...spec.headers };
  if (spec.auth === 'bearer') headers.authorization = `Bearer ${secret}`;
  else if (spec.auth.startsWith('scheme:')) headers.authorization = `${spec.auth.slice('scheme:'.length)} ${secret}`;
  else if (spec.auth === 'basic') {
    const user = spec.basicUser === 'partner' ? (partner ?? '') : spec.basicUser === 'empty' ? '' : secret;
    const password = spec.basicUser === 'secret' ? '' : secret;
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  } else if (spec.auth.startsWith('header:')) headers[spec.auth.slice('header:'.length).toLowerCase()] = secret;
  else if (spec.auth.startsWith('query:')) url.searchParams.set(spec.auth.slice('query:'.length), secret);
  const body = spec.method === 'POST' ? '' : undefined;
  if (spec.method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: spec.method, url, headers, ...(body === undefined ? {} : { body }), userEndpoint: endpoint.userEndpoint };
}

/** "login octocat, scopes repo, gist": what the provider said about who the key belongs to. */
function identityOf(spec: VerifySpec, response: HttpResponse, json: unknown): string | undefined {
  const parts: string[] = [];
  for (const [label, from] of Object.entries(spec.identity)) {
    const raw = from.startsWith('header:') ? response.headers[from.slice('header:'.length).toLowerCase()] : valueAt(json, from);
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (value === undefined || value === null || value === '' || typeof value === 'object') continue;
    parts.push(`${label} ${String(value).slice(0, 200)}`);
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Reads the provider's answer through the rule's table; an answer the table does not know is `unknown`. */
export function interpret(spec: VerifySpec, response: HttpResponse): Verification {
  const json = parseJsonBody(response.body);
  const answer = spec.answers.find((a) => answerMatches(a, response, json));
  if (!answer) {
    const failed = response.status === 429 || response.status >= 500;
    return failed ? { status: 'unknown', reason: 'network', detail: describeFailure(response) } : { status: 'unknown', detail: `unexpected answer: HTTP ${response.status}` };
  }
  const identity = answer.state === 'live' ? identityOf(spec, response, json) : undefined;
  return {
    status: answer.state,
    ...(identity ? { identity } : {}),
    detail: answer.detail ?? `HTTP ${response.status}`,
  };
}

/** One secret through one data verifier. Network failures are `unknown`, never thrown. */
export async function verifyWithData(
  spec: VerifySpec,
  endpoint: Endpoint,
  secret: string,
  partner: string | undefined,
  send: Send,
  retry?: RetryPolicy,
): Promise<Verification> {
  let request: HttpRequest;
  try {
    request = buildRequest(spec, endpoint, secret, partner);
  } catch (e) {
    return { status: 'unknown', detail: e instanceof NotSent ? `not sent: the ${e.message}` : `endpoint ${spec.endpoint} is not a valid URL` };
  }
  try {
    const verification = interpret(spec, await sendWithRetry(send, request, retry));
    // An answer that echoes the key back must not carry it into a report.
    if (verification.identity?.includes(secret)) delete verification.identity;
    return verification;
  } catch (e) {
    // Error texts name the host, never the URL: the query may hold the secret (auth: query).
    return { status: 'unknown', reason: 'network', detail: `could not reach ${request.url.host}: ${(e as Error).message}` };
  }
}
