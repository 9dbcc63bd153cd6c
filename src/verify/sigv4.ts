import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 (header form), written from AWS's "Create a signed AWS API request"
 * specification: canonical request → string to sign → derived signing key → Authorization.
 * Enough for the non-S3 query/form APIs secretscan calls (STS); S3's single-encoding and
 * unsigned-payload variants are not needed and not implemented.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary (ASIA…) credentials carry one; it is signed as x-amz-security-token. */
  sessionToken?: string;
}

export interface SigV4Request {
  method: string;
  url: string | URL;
  /** Headers to sign, any case. `host` and `x-amz-date` are added when absent. */
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface SigV4Scope {
  region: string;
  service: string;
  /** Signing time; its UTC date and time become x-amz-date and the credential scope date. */
  date: Date;
}

export interface SignedRequest {
  /** The headers to send: the signed ones plus Authorization. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20150830T123600Z`: ISO 8601 basic format, UTC, no fractional seconds. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * RFC 3986 percent-encoding as SigV4 asks for it: unreserved characters (A-Z a-z 0-9 - _ . ~)
 * stay, everything else is %XX of its UTF-8 bytes with upper-case hex. encodeURIComponent
 * leaves ! ' ( ) * alone, so those are encoded by hand.
 */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

/** The path, each segment encoded once; an empty path is `/`. */
function canonicalUri(url: URL): string {
  const path = url.pathname === '' ? '/' : url.pathname;
  return path.split('/').map((segment) => uriEncode(decodeComponent(segment))).join('/');
}

/** Parameters encoded, then sorted by name and, for repeated names, by value (code point order). */
function canonicalQuery(url: URL): string {
  const raw = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  if (raw === '') return '';
  const pairs = raw
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      return [uriEncode(decodeComponent(name)), uriEncode(decodeComponent(value))] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** Lower-case names, values trimmed with inner runs of spaces collapsed, sorted by name. */
function canonicalHeaderList(headers: Record<string, string>): Array<[string, string]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase().trim();
    const clean = value.trim().replace(/ +/g, ' ');
    byName.set(key, [...(byName.get(key) ?? []), clean]);
  }
  return [...byName.entries()]
    .map(([name, values]): [string, string] => [name, values.join(',')])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function canonicalRequest(method: string, url: URL, headers: Record<string, string>, body: string | Buffer): string {
  const list = canonicalHeaderList(headers);
  return [
    method.toUpperCase(),
    canonicalUri(url),
    canonicalQuery(url),
    list.map(([n, v]) => `${n}:${v}\n`).join(''),
    list.map(([n]) => n).join(';'),
    sha256Hex(body),
  ].join('\n');
}

export function credentialScope(scope: SigV4Scope): string {
  return `${amzDate(scope.date).slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
}

export function stringToSign(canonical: string, scope: SigV4Scope): string {
  return [ALGORITHM, amzDate(scope.date), credentialScope(scope), sha256Hex(canonical)].join('\n');
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secretAccessKey: string, scope: SigV4Scope): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, amzDate(scope.date).slice(0, 8));
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, 'aws4_request');
}

export function signRequest(request: SigV4Request, credentials: AwsCredentials, scope: SigV4Scope): SignedRequest {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host ??= url.host;
  headers['x-amz-date'] ??= amzDate(scope.date);
  if (credentials.sessionToken !== undefined) headers['x-amz-security-token'] = credentials.sessionToken;

  const canonical = canonicalRequest(request.method, url, headers, request.body);
  const toSign = stringToSign(canonical, scope);
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, scope)).update(toSign, 'utf8').digest('hex');
  const signedHeaders = canonicalHeaderList(headers).map(([n]) => n).join(';');
  const authorization =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope(scope)}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: { ...headers, authorization }, canonicalRequest: canonical, stringToSign: toSign, signature, authorization };
}
