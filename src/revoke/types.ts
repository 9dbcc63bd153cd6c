import type { Post } from '../net/http-post.js';

/** A token to revoke: the raw secret plus what a person needs to recognise it. */
export interface RevocableToken {
  ruleId: string;
  ruleName: string;
  provider: string;
  secret: string;
  redacted: string;
  /** `path:line` of the first place it was found. */
  where: string;
}

export type RevokeStatus = 'revoked' | 'already-invalid' | 'failed';

export interface RevokeOutcome {
  token: RevocableToken;
  status: RevokeStatus;
  /** What the provider said, in a few words (never the token). */
  detail: string;
}

/** One provider's way of killing tokens it issued. */
export interface Revoker {
  /** The config key that overrides its endpoint: `verify.endpoints.<endpointKey>`. */
  endpointKey: string;
  defaultEndpoint: string;
  /** Rule ids whose tokens this provider's API accepts. */
  ruleIds: readonly string[];
  revoke(tokens: RevocableToken[], endpoint: URL, post: Post): Promise<RevokeOutcome[]>;
}
