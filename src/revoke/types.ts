/** The tokens `secretscan revoke` handles, and what became of each. */
import type { RevokeStatus } from '../types.js';

export type { RevokeStatus };

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

export interface RevokeOutcome {
  token: RevocableToken;
  status: RevokeStatus;
  /** What the provider said, in a few words (never the token). */
  detail: string;
}
