import type { Post } from '../net/http-post.js';
import { postWithRetry } from '../net/retry.js';
import { describeFailure } from '../net/http.js';
import { signRequest, type AwsCredentials } from './sigv4.js';

export const STS_ENDPOINT = 'https://sts.amazonaws.com/';
/** The global STS endpoint signs in us-east-1. */
const REGION = 'us-east-1';
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

export interface AwsVerification {
  state: 'live' | 'revoked' | 'unknown';
  /** For a live key: the account and the ARN of the user or role it belongs to. */
  account?: string;
  arn?: string;
  /** What STS said, in a few words (never the secret). */
  detail: string;
  /** STS could not be reached or did not answer (429, 5xx): the key may be live. */
  network?: boolean;
}

/** Error codes that say these credentials do not work: unknown or deleted key, wrong secret, expired session. */
const DEAD = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidAccessKeyId', 'UnrecognizedClientException']);

function element(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m?.[1]?.trim();
}

/**
 * STS GetCallerIdentity, the cheapest AWS call there is: it needs no permission (an explicit
 * deny does not stop it), changes nothing, and names the account and ARN of the caller.
 * POST form body, signed with SigV4 for service `sts` in us-east-1.
 */
export async function verifyAwsCredentials(
  credentials: AwsCredentials,
  options: { endpoint?: string; post: Post; now?: () => Date },
): Promise<AwsVerification> {
  const url = new URL(options.endpoint ?? STS_ENDPOINT);
  const signed = signRequest(
    { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: BODY },
    credentials,
    { region: REGION, service: 'sts', date: (options.now ?? (() => new Date()))() },
  );
  // host is set by the HTTP client from the URL; sending it twice would be wrong.
  const { host: _host, ...headers } = signed.headers;
  let response;
  try {
    response = await postWithRetry(options.post, url, { ...headers, 'user-agent': 'secretscan' }, BODY);
  } catch (e) {
    return { state: 'unknown', network: true, detail: `could not reach ${url.host}: ${(e as Error).message}` };
  }
  if (response.status === 200) {
    const account = element(response.body, 'Account');
    const arn = element(response.body, 'Arn');
    if (account && arn) return { state: 'live', account, arn, detail: `live: ${arn}` };
    return { state: 'unknown', detail: 'STS answered 200 without an account and ARN' };
  }
  const code = element(response.body, 'Code');
  if (code && DEAD.has(code)) return { state: 'revoked', detail: `STS refused the key (${code})` };
  const network = response.status === 429 || response.status >= 500;
  return { state: 'unknown', ...(network ? { network } : {}), detail: code ? `STS answered ${response.status} ${code}` : `STS answered ${describeFailure(response)}` };
}
