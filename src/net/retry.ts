import { sendWithRetry } from './http.js';
import type { Post, PostResponse } from './http-post.js';

/**
 * POSTs, and on 429 or a 5xx tries again (at most three tries), waiting as long as Retry-After
 * says, or 1 s then 2 s without it. Revoking twice is harmless, so retrying is safe.
 */
export function postWithRetry(post: Post, url: URL, headers: Record<string, string>, body: string): Promise<PostResponse> {
  return sendWithRetry((r) => post(r.url, r.headers, r.body ?? ''), { method: 'POST', url, headers, body });
}
