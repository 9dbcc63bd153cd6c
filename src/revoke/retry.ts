import { retryAfterSeconds, type Post, type PostResponse } from './http-post.js';

/** Longest Retry-After we sit out; past it the answer is reported and the user runs again later. */
export const MAX_WAIT_SECONDS = 10;
const ATTEMPTS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs, and on 429 or a 5xx tries again (at most three tries), waiting as long as Retry-After
 * says, or 1 s then 2 s without it. Revoking twice is harmless, so retrying is safe.
 */
export async function postWithRetry(post: Post, url: URL, headers: Record<string, string>, body: string): Promise<PostResponse> {
  let response = await post(url, headers, body);
  for (let attempt = 1; attempt < ATTEMPTS && (response.status === 429 || response.status >= 500); attempt++) {
    const wait = retryAfterSeconds(response.headers['retry-after']) ?? attempt;
    if (wait > MAX_WAIT_SECONDS) break;
    await sleep(wait * 1000);
    response = await post(url, headers, body);
  }
  return response;
}

/** "rate limited (retry after 60 s)" or "HTTP 503": why a request did not get through. */
export function describeFailure(response: PostResponse): string {
  if (response.status === 429) {
    const wait = retryAfterSeconds(response.headers['retry-after']);
    return `rate limited (HTTP 429${wait === null ? '' : `, retry after ${wait} s`})`;
  }
  return `HTTP ${response.status}`;
}
