import { httpSend, type HttpResponse, type Send } from './http.js';

/** What a revoker needs from the network: one POST, the status, headers and body back. */
export type PostResponse = HttpResponse;

export type Post = (url: URL, headers: Record<string, string>, body: string) => Promise<PostResponse>;

/**
 * A POST through the shared client (src/net/http.ts): HTTPS to public addresses only, unless
 * `userEndpoint` says the URL came from the user's config (verify.endpoints.<name>).
 */
export function postThrough(userEndpoint: boolean, send: Send = httpSend): Post {
  return (url, headers, body) => send({ method: 'POST', url, headers, body, userEndpoint });
}
