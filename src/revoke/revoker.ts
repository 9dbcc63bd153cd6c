/** The one revoker: sends a rule's `revoke:` request for a batch of tokens and reads the answer through the rule's table. */
import { answerMatches, parseJsonBody, valueAt } from '../rules/answer-table.js';
import type { RevokeAnswer, RevokeSpec } from '../types.js';
import { describeFailure, type HttpResponse } from '../net/http.js';
import type { Post } from '../net/http-post.js';
import { postWithRetry } from '../net/retry.js';
import type { RevocableToken, RevokeOutcome } from './types.js';

/** `{secret}` inside a string replaced (split/join: a `$` in a token is no replacement pattern). */
function withSecret(text: string, secret: string): string {
  return text.split('{secret}').join(secret);
}

/** The JSON body template with the batch's secrets in place: `{secrets}` becomes their list. */
function fill(template: unknown, secrets: string[]): unknown {
  if (typeof template === 'string') return template === '{secrets}' ? secrets : withSecret(template, secrets[0] ?? '');
  if (Array.isArray(template)) return template.map((x) => fill(x, secrets));
  if (template !== null && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, secrets)]));
  return template;
}

/** The headers and body of the revocation of these secrets (one, unless the spec batches). */
export function revokeRequest(spec: RevokeSpec, secrets: string[]): { headers: Record<string, string>; body: string } {
  const secret = secrets[0] ?? '';
  const json = spec.body.kind === 'json';
  const headers: Record<string, string> = { 'user-agent': 'secretscan', 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', ...spec.headers };
  if (spec.auth === 'bearer') headers.authorization = `Bearer ${secret}`;
  else if (spec.auth.startsWith('header:')) headers[spec.auth.slice('header:'.length).toLowerCase()] = secret;
  let body = '';
  if (spec.body.kind === 'json') body = JSON.stringify(fill(spec.body.template, secrets));
  else if (spec.body.kind === 'form') body = new URLSearchParams(Object.entries(spec.body.fields).map(([k, v]): [string, string] => [k, withSecret(v, secret)])).toString();
  return { headers, body };
}

/** A value of the provider's answer for a detail line: a scalar, control characters escaped, bounded; never a token. */
function printableValue(v: unknown, secrets: string[]): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
  const text = String(v);
  if (secrets.some((s) => text.includes(s))) return 'withheld: it holds the token';
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, 200);
}

/** The answer's detail with `{dotted.path}` (or `{path|text if absent}`) filled from the JSON body. */
function detailOf(answer: RevokeAnswer, providerName: string, response: HttpResponse, json: unknown, secrets: string[]): string {
  if (answer.detail === undefined) return `${providerName} answered HTTP ${response.status}`;
  return answer.detail.replace(/\{([A-Za-z0-9_.-]+)(?:\|([^}]*))?\}/g, (_, path: string, absent: string | undefined) => printableValue(valueAt(json, path), secrets) ?? absent ?? '?');
}

/** Reads the provider's answer through the rule's table; an answer the table does not know is a failure. */
export function interpretRevocation(spec: RevokeSpec, providerName: string, response: HttpResponse, secrets: string[]): Pick<RevokeOutcome, 'status' | 'detail'> {
  const json = parseJsonBody(response.body);
  const answer = spec.answers.find((a) => answerMatches(a, response, json));
  if (!answer) return { status: 'failed', detail: `${providerName} answered ${describeFailure(response)}` };
  return { status: answer.outcome, detail: detailOf(answer, providerName, response, json, secrets) };
}

/**
 * Revokes tokens of one `revoke:` block, `spec.batch` a request, one after the other; every token
 * of a request gets its answer. A 429 or 5xx is tried again (revoking twice is harmless); a
 * network error is a failure, never thrown.
 */
export async function revokeWith(spec: RevokeSpec, providerName: string, tokens: RevocableToken[], endpoint: URL, post: Post): Promise<RevokeOutcome[]> {
  const outcomes: RevokeOutcome[] = [];
  for (let i = 0; i < tokens.length; i += spec.batch) {
    const batch = tokens.slice(i, i + spec.batch);
    const secrets = batch.map((t) => t.secret);
    const { headers, body } = revokeRequest(spec, secrets);
    let outcome: Pick<RevokeOutcome, 'status' | 'detail'>;
    try {
      outcome = interpretRevocation(spec, providerName, await postWithRetry(post, endpoint, headers, body), secrets);
    } catch (e) {
      outcome = { status: 'failed', detail: `could not reach ${endpoint.host}: ${(e as Error).message}` };
    }
    for (const token of batch) outcomes.push({ token, ...outcome });
  }
  return outcomes;
}
