import type { Post } from '../net/http-post.js';
import { describeFailure } from '../net/http.js';
import { postWithRetry } from '../net/retry.js';
import type { RevocableToken, RevokeOutcome, Revoker } from './types.js';

/** GitHub's credential revocation API takes at most 1000 tokens per request. */
const BATCH = 1000;

/**
 * GitHub's public credential revocation API (`POST /credentials/revoke`, REST API version
 * 2022-11-28): meant for tokens the caller does not own, sent without authentication (an
 * authenticated call gets 403). GitHub answers 202 for a batch it accepted and notifies each
 * token's owner; 422 means validation failed or the endpoint is rate limited (60 requests an
 * hour). It accepts classic and fine-grained personal access tokens, OAuth app tokens, and
 * GitHub App user-to-server and refresh tokens; installation tokens (ghs_) are not accepted.
 */
export const githubRevoker: Revoker = {
  endpointKey: 'github-revoke',
  defaultEndpoint: 'https://api.github.com/credentials/revoke',
  ruleIds: [
    'github-personal-access-token',
    'github-fine-grained-token',
    'github-oauth-token',
    'github-user-to-server-token',
    'github-refresh-token',
  ],
  async revoke(tokens: RevocableToken[], endpoint: URL, post: Post): Promise<RevokeOutcome[]> {
    const outcomes: RevokeOutcome[] = [];
    for (let i = 0; i < tokens.length; i += BATCH) {
      const batch = tokens.slice(i, i + BATCH);
      const body = JSON.stringify({ credentials: batch.map((t) => t.secret) });
      const headers = {
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'secretscan',
      };
      let outcome: Pick<RevokeOutcome, 'status' | 'detail'>;
      try {
        const response = await postWithRetry(post, endpoint, headers, body);
        if (response.status === 202) outcome = { status: 'revoked', detail: 'GitHub accepted it for revocation (202); the owner is notified' };
        else if (response.status === 422) outcome = { status: 'failed', detail: 'GitHub refused the request (422: validation failed, or over 60 requests an hour)' };
        else outcome = { status: 'failed', detail: `GitHub answered ${describeFailure(response)}` };
      } catch (e) {
        outcome = { status: 'failed', detail: `could not reach ${endpoint.host}: ${(e as Error).message}` };
      }
      for (const token of batch) outcomes.push({ token, ...outcome });
    }
    return outcomes;
  },
};
