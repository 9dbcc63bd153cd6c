import http from 'node:http';
import https from 'node:https';

/** What a revoker needs from the network: one POST, the status, headers and body back. */
export interface PostResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Post = (url: URL, headers: Record<string, string>, body: string) => Promise<PostResponse>;

const TIMEOUT_MS = 15_000;
const MAX_BODY = 1024 * 1024;

/**
 * A minimal HTTPS POST on node:https (plain http only for an endpoint the user set in config,
 * such as a fake server in tests). No redirects are followed: a revocation goes to the
 * endpoint named and nowhere else. Network errors reject; the caller reports them per token.
 */
export const httpPost: Post = (url, headers, body) =>
  new Promise((resolve, reject) => {
    const client = url.protocol === 'http:' ? http : https;
    const request = client.request(
      url,
      { method: 'POST', headers: { 'content-length': Buffer.byteLength(body).toString(), ...headers }, timeout: TIMEOUT_MS },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function retryAfterSeconds(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
