// The shape of one provider stand-in in the verifier table, and helpers to read a secret from a request.
import type { Answer, Received } from '../../revoke/fake-provider.js';

/**
 * One verifier's provider on loopback: the documented method and path, where the provider reads
 * the secret, and what it answers for the one live key and for any other.
 */
export interface FakeApi {
  rule: string;
  method: 'GET' | 'POST';
  path: string;
  /** The secret as the provider reads it from the request. */
  secretOf: (r: Received) => string | undefined;
  live: Answer;
  revoked: Answer;
  /**
   * What the verifier must make of the refusal when it cannot mean revoked: a Datadog key is refused
   * by every site but its own, a Vultr key from every address off its access-control list.
   */
  refusedAs?: 'unknown';
  identity?: string;
  /** For pairs: the partner's value (a Twilio Account SID), which the provider checks too. */
  partner?: string;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({ status, body: JSON.stringify(body), headers });
/**
 * A secret sent as `Authorization: <word> <secret>` (`auth: scheme:<word>`): the header split at
 * its space, the scheme word checked exactly and stripped.
 */
export const scheme = (word: string) => (r: Received) => {
  const [given, secret, ...rest] = String(r.headers.authorization ?? '').split(' ');
  return given === word && rest.length === 0 ? secret : undefined;
};
export const bearer = (r: Received) => /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
/** A secret sent as the whole value of one header (x-api-key style). */
export const header = (name: string) => (r: Received) => r.headers[name] as string | undefined;
/** HTTP basic auth as [user, password]. */
export const basic = (r: Received) => {
  const b64 = /^Basic (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
  const text = b64 === undefined ? '' : Buffer.from(b64, 'base64').toString('utf8');
  return [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)] as const;
};
/** The password of HTTP basic auth, accepted only with the expected user (a paired identifier; '' for an empty user name). */
export const basicWithUser = (user: string) => (r: Received) => (basic(r)[0] === user ? basic(r)[1] : undefined);
/** The user name of HTTP basic auth with an empty password: the key sent as the user (`auth: basic`). */
export const basicKeyAsUser = (r: Received) => (basic(r)[1] === '' ? basic(r)[0] : undefined);
/** A secret sent as one query parameter (`auth: query:<name>`: `?access_token=`, `?api_token=`). */
export const query = (name: string) => (r: Received) => new URL(r.path, 'http://x').searchParams.get(name) ?? undefined;
