import type { Post } from '../net/http-post.js';
import { describeFailure } from '../net/http.js';
import { postWithRetry } from '../net/retry.js';
import type { RevocableToken, RevokeOutcome, Revoker } from './types.js';

/** Errors that mean the token no longer works: nothing is left to revoke. */
const ALREADY_DEAD = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'token_expired']);

/**
 * Slack's `auth.revoke` Web API method: the token revokes itself when sent as the bearer token.
 * Slack answers HTTP 200 with `{"ok": true, "revoked": true}`, or `ok: false` and an error code;
 * rate limits come as 429 with Retry-After.
 */
export const slackRevoker: Revoker = {
  endpointKey: 'slack-revoke',
  defaultEndpoint: 'https://slack.com/api/auth.revoke',
  // auth.revoke is documented for bot and user tokens; other kinds get the rule's guidance.
  ruleIds: ['slack-bot-token', 'slack-user-token'],
  async revoke(tokens: RevocableToken[], endpoint: URL, post: Post): Promise<RevokeOutcome[]> {
    const outcomes: RevokeOutcome[] = [];
    for (const token of tokens) {
      const headers = {
        authorization: `Bearer ${token.secret}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'secretscan',
      };
      try {
        const response = await postWithRetry(post, endpoint, headers, '');
        if (response.status !== 200) {
          outcomes.push({ token, status: 'failed', detail: `Slack answered ${describeFailure(response)}` });
          continue;
        }
        let answer: { ok?: unknown; revoked?: unknown; error?: unknown };
        try {
          answer = JSON.parse(response.body) as typeof answer;
        } catch {
          outcomes.push({ token, status: 'failed', detail: 'Slack answered with something other than JSON' });
          continue;
        }
        const error = typeof answer.error === 'string' ? answer.error : 'unknown error';
        if (answer.ok === true && answer.revoked === true) outcomes.push({ token, status: 'revoked', detail: 'Slack revoked it (auth.revoke: revoked)' });
        else if (answer.ok !== true && ALREADY_DEAD.has(error)) outcomes.push({ token, status: 'already-invalid', detail: `Slack no longer accepts it (${error})` });
        else outcomes.push({ token, status: 'failed', detail: `Slack refused (${answer.ok === true ? 'not revoked' : error})` });
      } catch (e) {
        outcomes.push({ token, status: 'failed', detail: `could not reach ${endpoint.host}: ${(e as Error).message}` });
      }
    }
    return outcomes;
  },
};
