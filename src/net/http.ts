import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { ForbiddenAddressError, guardedLookup, isForbiddenAddress } from './address-guard.js';

/**
 * The one HTTP client of secretscan's network features (verify, revoke): a single request,
 * HTTPS only, no redirects, a timeout and a size cap, and the SSRF guard of address-guard.ts.
 */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /**
   * The user set this endpoint in config (`verify.endpoints.<name>`): plain http and private or
   * loopback addresses are then allowed for it (a corporate proxy, a fake server in tests).
   */
  userEndpoint?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Send = (request: HttpRequest) => Promise<HttpResponse>;

const TIMEOUT_MS = 15_000;
export const MAX_BODY = 1024 * 1024;

export const httpSend: Send = (request) =>
  new Promise((resolve, reject) => {
    const { url, userEndpoint = false } = request;
    if (url.protocol !== 'https:' && !(userEndpoint && url.protocol === 'http:')) {
      return reject(new Error(`refused ${url.protocol}// for ${url.host}: only https is allowed unless the endpoint is set in config`));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address skips `lookup`, so it is checked here.
    if (!userEndpoint && net.isIP(host) && isForbiddenAddress(host)) return reject(new ForbiddenAddressError(url.host, host));
    const client = url.protocol === 'http:' ? http : https;
    const body = request.body ?? '';
    const headers = { ...request.headers, ...(request.method === 'POST' ? { 'content-length': Buffer.byteLength(body).toString() } : {}) };
    const req = client.request(
      url,
      { method: request.method, headers, timeout: TIMEOUT_MS, ...(userEndpoint ? {} : { lookup: guardedLookup }), agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) response.destroy(new Error(`answer from ${url.host} is over ${MAX_BODY} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(request.method === 'POST' ? body : undefined);
  });

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function retryAfterSeconds(value: string | string[] | undefined): number | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (v === undefined || v === '') return null;
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export interface RetryPolicy {
  attempts: number;
  /** First backoff without Retry-After; doubled each time. */
  baseDelayMs: number;
  /** Longest Retry-After sat out; past it the answer is reported and the user runs again later. */
  maxWaitSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1000, maxWaitSeconds: 10 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends, and on 429 or a 5xx tries again: as long as Retry-After says, else with exponential
 * backoff. Only for idempotent requests (reads, and revocations, which are harmless twice).
 */
export async function sendWithRetry(send: Send, request: HttpRequest, policy: RetryPolicy = DEFAULT_RETRY): Promise<HttpResponse> {
  let response = await send(request);
  for (let attempt = 1; attempt < policy.attempts && (response.status === 429 || response.status >= 500); attempt++) {
    const after = retryAfterSeconds(response.headers['retry-after']);
    const waitMs = after === null ? policy.baseDelayMs * 2 ** (attempt - 1) : after * 1000;
    if (waitMs > policy.maxWaitSeconds * 1000) break;
    await sleep(waitMs);
    response = await send(request);
  }
  return response;
}

/** "rate limited (HTTP 429, retry after 60 s)" or "HTTP 503": why a request did not get through. */
export function describeFailure(response: HttpResponse): string {
  if (response.status === 429) {
    const wait = retryAfterSeconds(response.headers['retry-after']);
    return `rate limited (HTTP 429${wait === null ? '' : `, retry after ${wait} s`})`;
  }
  return `HTTP ${response.status}`;
}
