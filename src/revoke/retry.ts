import { DEFAULT_RETRY, describeFailure as describe, sendWithRetry } from '../verify/http.js';
import type { Post, PostResponse } from './http-post.js';

/** Longest Retry-After we sit out; past it the answer is reported and the user runs again later. */
export const MAX_WAIT_SECONDS = DEFAULT_RETRY.maxWaitSeconds;

/**
 * POSTs, and on 429 or a 5xx tries again (at most three tries), waiting as long as Retry-After
 * says, or 1 s then 2 s without it. Revoking twice is harmless, so retrying is safe.
 */
export function postWithRetry(post: Post, url: URL, headers: Record<string, string>, body: string): Promise<PostResponse> {
  return sendWithRetry((r) => post(r.url, r.headers, r.body ?? ''), { method: 'POST', url, headers, body });
}

/** "rate limited (retry after 60 s)" or "HTTP 503": why a request did not get through. */
export const describeFailure = describe;
