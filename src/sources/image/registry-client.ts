import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UserError } from '../../errors.js';
import { readAtMost } from '../../io/bounded-read.js';
import { basicAuth, parseChallenge, type Challenge, type CredentialLookup } from './registry-auth.js';
import { apiHost, isLoopbackHost } from './reference.js';

export interface RegistryClientOptions {
  /** Plain HTTP (a local registry without TLS). */
  insecure: boolean;
  credentials: CredentialLookup;
  /** Until the response headers arrive, and between two chunks of a body. Default 60 s. */
  timeoutMs?: number;
  /** Everything this client downloads must be done within this; default 30 min. */
  deadlineMs?: number;
  /** A body arriving slower than this (bytes per second, over `rateWindowMs`) is given up; default 1 KiB/s. */
  minBytesPerSecond?: number;
  rateWindowMs?: number;
}

/** An environment variable holding a positive number, or the default. */
function envNumber(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const SLOW_HINT = 'for a slow link, raise SECRETSCAN_REGISTRY_DEADLINE_MS or lower SECRETSCAN_REGISTRY_MIN_RATE (bytes per second)';

const MAX_REDIRECTS = 5;

/** A network failure as a user can read it: undici's "fetch failed" hides the cause. */
function networkError(e: unknown, url: URL, timedOut: boolean): UserError {
  if (timedOut) return new UserError(`${url.host}: no answer within the timeout (${url.pathname})`, 'is the registry up and reachable?');
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message ?? err.message;
  return new UserError(`cannot reach registry ${url.host}: ${cause}`, networkHint(cause, url));
}

/** The next step for a failure: only a TLS failure is helped by --insecure. */
export function networkHint(cause: string, url: URL): string {
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(cause)) return `check the registry name (${url.hostname}) and that this machine can resolve it (DNS, network, proxy)`;
  if (/ECONNREFUSED/.test(cause)) return 'nothing answers at that address: is the registry running, and on that port?';
  if (url.protocol === 'https:' && /SSL|TLS|EPROTO|wrong version number|certificate|CERT/i.test(cause)) return 'a plain-HTTP registry needs --insecure';
  return 'is the registry up and reachable from this machine?';
}

/**
 * Talks to one repository of a registry (Registry HTTP API v2 / OCI distribution): anonymous or
 * basic access, bearer tokens from the realm a 401 names (Docker Hub, GHCR, distribution's token
 * auth), redirects to blob storage without forwarding credentials to another host, and streamed
 * bodies. Messages name the registry, repository and user, never a password or token.
 */
export class RegistryClient {
  private scheme: 'https' | 'http';
  /** After a loopback registry refused TLS, plain HTTP is used for the rest of the run. */
  private readonly mayFallBack: boolean;
  private authorization: string | null = null;
  private readonly timeoutMs: number;
  private readonly deadline: number;
  private readonly deadlineMs: number;
  private readonly minRate: number;
  private readonly rateWindowMs: number;

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly options: RegistryClientOptions,
  ) {
    this.scheme = options.insecure ? 'http' : 'https';
    this.mayFallBack = !options.insecure && isLoopbackHost(registry);
    this.timeoutMs = options.timeoutMs ?? envNumber('SECRETSCAN_REGISTRY_TIMEOUT_MS', 60_000);
    // A registry that trickles bytes (one a second) resets any idle timeout: the run also has a
    // total deadline and a minimum rate, so a hostile server cannot keep a CI job alive.
    this.deadlineMs = options.deadlineMs ?? envNumber('SECRETSCAN_REGISTRY_DEADLINE_MS', 30 * 60_000);
    this.deadline = Date.now() + this.deadlineMs;
    this.minRate = options.minBytesPerSecond ?? envNumber('SECRETSCAN_REGISTRY_MIN_RATE', 1024);
    this.rateWindowMs = options.rateWindowMs ?? envNumber('SECRETSCAN_REGISTRY_RATE_WINDOW_MS', 30_000);
  }

  private pastDeadline(url: URL): UserError {
    return new UserError(`${url.host}: the image did not download within the ${this.deadlineMs / 1000} s deadline (at ${url.pathname})`, SLOW_HINT);
  }

  private url(pathname: string): URL {
    return new URL(`${this.scheme}://${apiHost(this.registry)}/v2/${this.repository}/${pathname}`);
  }

  /** GET a registry path, authenticating as the registry asks; the response is 2xx or this throws. */
  async get(pathname: string, accept: string, what: string): Promise<RegistryResponse> {
    let res = await this.fetchFollowing(this.url(pathname), accept);
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      res.body.destroy();
      await this.authenticate(challenge, what);
      res = await this.fetchFollowing(this.url(pathname), accept);
      if (res.status === 401) {
        res.body.destroy();
        throw this.refused(what);
      }
    }
    if (!res.ok) {
      const detail = await errorDetail(res);
      if (res.status === 404) throw new UserError(`${what} not found in ${this.registry} (${detail})`, 'check the repository name and the tag or digest');
      if (res.status === 403) throw new UserError(`${this.registry} denied access to ${what} (${detail})`, this.userHint());
      throw new UserError(`${this.registry} answered ${res.status} for ${what} (${detail})`);
    }
    return res;
  }

  private userHint(): string {
    const c = this.options.credentials;
    if (c.credentials) return `the credentials of user ${c.credentials.username} from ${c.credentials.from} do not allow it`;
    return c.note ?? 'log in with `docker login` (secretscan reads ~/.docker/config.json, or $DOCKER_CONFIG/config.json)';
  }

  private refused(what: string): UserError {
    const c = this.options.credentials;
    if (c.credentials) return new UserError(`${this.registry} refused the credentials of user ${c.credentials.username} (from ${c.credentials.from}) for ${what}`, 'check the password or token, or log in again with `docker login`');
    return new UserError(`${this.registry} requires authentication for ${what}`, this.userHint());
  }

  /** Answers a 401: basic credentials, or a bearer token fetched from the challenge's realm. */
  private async authenticate(challenge: Challenge | null, what: string): Promise<void> {
    const creds = this.options.credentials.credentials;
    if (!challenge || challenge.scheme === 'basic') {
      if (!creds) throw this.refused(what);
      this.authorization = basicAuth(creds);
      return;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) {
      throw new UserError(`${this.registry} asks for ${challenge.scheme} authentication, which secretscan does not speak`);
    }
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new UserError(`${this.registry} named a token realm that is not a URL`);
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? `repository:${this.repository}:pull`);
    const headers: Record<string, string> = { accept: 'application/json' };
    // Credentials go to the token realm the registry named: that is how the protocol works.
    if (creds) headers.authorization = basicAuth(creds);
    let res: Response;
    let timedOut = false;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      res = await fetch(realm, { headers, signal: controller.signal });
    } catch (e) {
      throw networkError(e, realm, timedOut);
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw this.refused(what);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new UserError(`the token service of ${this.registry} (${realm.host}) answered ${res.status}`);
    }
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new UserError(`the token service of ${this.registry} (${realm.host}) returned no token`);
    this.authorization = `Bearer ${token}`;
  }

  /**
   * fetch with redirects followed by hand: the Authorization header goes only to the registry's
   * own origin, never to the blob store (S3, a CDN) that a redirect points at.
   */
  private async fetchFollowing(start: URL, accept: string): Promise<RegistryResponse> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { accept };
      if (this.authorization && url.origin === this.url('').origin) headers.authorization = this.authorization;
      const res = await this.fetchOnce(url, headers);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        res.body.destroy();
        if (hop >= MAX_REDIRECTS) throw new UserError(`${this.registry}: too many redirects for ${start.pathname}`);
        url = new URL(location, url);
        continue;
      }
      return res;
    }
  }

  private async fetchOnce(url: URL, headers: Record<string, string>): Promise<RegistryResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const left = this.deadline - Date.now();
    if (left <= 0) throw this.pastDeadline(url);
    let timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, Math.min(this.timeoutMs, left));
    let res: Response;
    try {
      res = await fetch(url, { headers, redirect: 'manual', signal: controller.signal });
    } catch (e) {
      clearTimeout(timer);
      if (this.mayFallBack && this.scheme === 'https' && !timedOut && url.protocol === 'https:') {
        // Docker's rule: a loopback registry may be plain HTTP.
        this.scheme = 'http';
        const plain = new URL(url);
        plain.protocol = 'http:';
        return this.fetchOnce(plain, headers);
      }
      if (Date.now() >= this.deadline) throw this.pastDeadline(url);
      throw networkError(e, url, timedOut);
    }
    clearTimeout(timer);
    // The body may stream for minutes: it fails when it stalls for the timeout, arrives slower
    // than the minimum rate, or runs past the deadline.
    let windowStart = Date.now();
    let windowBytes = 0;
    const idle = new Transform({
      transform(chunk: Buffer, _enc, done) {
        timer.refresh();
        windowBytes += chunk.length;
        done(null, chunk);
      },
      flush(done) {
        clearTimeout(timer);
        clearInterval(watch);
        done();
      },
    });
    const stop = (e: UserError) => {
      timedOut = true;
      idle.destroy(e);
      controller.abort();
    };
    const stalled = () => new UserError(`${url.host} stopped sending ${url.pathname} for ${this.timeoutMs / 1000} s`, 'is the registry up and reachable? (SECRETSCAN_REGISTRY_TIMEOUT_MS sets the wait)');
    timer = setTimeout(() => stop(stalled()), this.timeoutMs);
    const watch = setInterval(() => {
      const now = Date.now();
      if (now >= this.deadline) return stop(this.pastDeadline(url));
      if (now - windowStart < this.rateWindowMs) return;
      const rate = (windowBytes * 1000) / (now - windowStart);
      if (rate < this.minRate) {
        return stop(new UserError(`${url.host} sent ${url.pathname} at ${Math.floor(rate)} bytes/s, under the minimum of ${this.minRate} bytes/s`, SLOW_HINT));
      }
      windowStart = now;
      windowBytes = 0;
    }, Math.max(10, Math.min(1000, this.rateWindowMs / 2)));
    idle.on('close', () => {
      clearTimeout(timer);
      clearInterval(watch);
    });
    if (res.body) {
      const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
      body.on('error', (e) => {
        if (!timedOut) idle.destroy(e);
      });
      body.pipe(idle);
    } else {
      idle.end();
    }
    return { status: res.status, ok: res.ok, headers: res.headers, body: idle };
  }
}

/** A registry's answer: status, headers and the body as a Node stream (with an idle timeout). */
export interface RegistryResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: Readable;
}

/** Reads a response body whole, up to `limit` bytes. */
export async function readBody(res: RegistryResponse, limit: number, what: string): Promise<Buffer> {
  const bytes = await readAtMost(res.body, limit);
  if (bytes === null) throw new UserError(`${what} is over ${limit} bytes`);
  return bytes;
}

/** The registry's error JSON (`{errors: [{code, message}]}`), briefly, or the status text. */
async function errorDetail(res: RegistryResponse): Promise<string> {
  try {
    const text = (await readBody(res, 64 * 1024, 'error body')).toString('utf8');
    const json = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = json.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(': ');
    return `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}
