/** The repositories of a GitHub organisation or a GitLab group, listed through their REST APIs. */
import { UserError } from '../errors.js';
import { readAtMost } from '../io/bounded-read.js';

export interface ForgeRepo {
  /** owner/name (GitHub) or group/sub/name (GitLab). */
  name: string;
  cloneUrl: string;
  fork: boolean;
  archived: boolean;
}

export interface ForgeListing {
  forge: 'GitHub' | 'GitLab';
  /** What the audit covers, for the report's target: github.com/ORG, gitlab.example.com/GROUP. */
  target: string;
  repos: ForgeRepo[];
  /** Git config for cloning these repositories with the token (scoped to the clone host). */
  cloneConfig: Record<string, string>;
}

export interface ForgeOptions {
  apiUrl?: string;
  token?: string;
  /** Longest wait for a rate limit to reset before giving up (ms). */
  maxRateWaitMs?: number;
  requestMs?: number;
}

const MAX_PAGES = 200;
const MAX_PAGE_BYTES = 8 * 2 ** 20;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How long to wait before a rate-limited request may be sent again, or null when it is not a rate limit. */
function rateLimitWait(res: Response): number | null {
  if (res.status !== 429 && res.status !== 403) return null;
  const retryAfter = Number(res.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && res.headers.has('retry-after')) return retryAfter * 1000;
  const remaining = res.headers.get('x-ratelimit-remaining') ?? res.headers.get('ratelimit-remaining');
  const reset = Number(res.headers.get('x-ratelimit-reset') ?? res.headers.get('ratelimit-reset'));
  if (remaining === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - Date.now()) + 500;
  return res.status === 429 ? 60_000 : null;
}

async function boundedJson(res: Response, what: string): Promise<unknown> {
  const bytes = res.body ? await readAtMost(res.body as AsyncIterable<Uint8Array>, MAX_PAGE_BYTES) : Buffer.alloc(0);
  if (bytes === null) throw new UserError(`${what}: answer larger than ${MAX_PAGE_BYTES} bytes`);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UserError(`${what}: the answer is not JSON`);
  }
}

/**
 * GETs every page of a listing. Next pages come from the Link header (both forges send one) and
 * must stay on the API's own origin: the token goes nowhere else. A rate limit that resets soon is
 * waited out; a longer one is an error that says when it resets.
 */
async function pages(first: URL, headers: Record<string, string>, forge: string, options: ForgeOptions): Promise<unknown[]> {
  const items: unknown[] = [];
  let url: URL | null = first;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    let res: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(options.requestMs ?? 30_000) });
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
        throw new UserError(`${forge} API at ${url.origin} unreachable (${cause})`, 'check --api-url and the network');
      }
      const wait = rateLimitWait(res);
      if (wait === null) break;
      await res.body?.cancel();
      if (attempt >= 2 || wait > (options.maxRateWaitMs ?? 60_000)) {
        throw new UserError(`${forge} API rate limit reached (resets in ${Math.ceil(wait / 1000)} s)`, options.token ? 'try again later' : `set ${forge === 'GitHub' ? 'GITHUB_TOKEN' : 'GITLAB_TOKEN'}: tokens get a much higher limit`);
      }
      process.stderr.write(`secretscan: ${forge} API rate limit: waiting ${Math.ceil(wait / 1000)} s\n`);
      await sleep(wait);
    }
    const what = `${forge} API ${url.pathname}`;
    if (res.status === 401 || res.status === 403) throw new UserError(`${what}: ${res.status} (token missing, wrong or without read access)`, `set ${forge === 'GitHub' ? 'GITHUB_TOKEN' : 'GITLAB_TOKEN'}`);
    if (res.status === 404) throw new UserError(`${what}: not found (no such organisation or group, or not visible to this token)`);
    if (res.status !== 200) throw new UserError(`${what}: answered ${res.status}`);
    const body = await boundedJson(res, what);
    if (!Array.isArray(body)) throw new UserError(`${what}: expected a list of repositories`);
    items.push(...body);
    const next = /<([^>]+)>\s*;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    url = next ? new URL(next, url) : null;
    if (url && url.origin !== first.origin) throw new UserError(`${what}: the next page is on another host (${url.origin}); not following it with the token`);
  }
  return items;
}

/** A clone URL we accept: https, or http when the API itself is plain http (a local test server). */
function cloneUrl(value: unknown, api: URL, what: string): string {
  const text = typeof value === 'string' ? value : '';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UserError(`${what}: bad clone URL`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && api.protocol === 'http:')) throw new UserError(`${what}: clone URL ${u.origin} is not https`);
  return u.href;
}

/** The token as a git http header for clones from `origin` only. */
function authConfig(origins: Set<string>, user: string, token: string | undefined): Record<string, string> {
  if (!token) return {};
  const header = `Authorization: Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
  return Object.fromEntries([...origins].map((o) => [`http.${o}/.extraHeader`, header]));
}

export async function listGithubOrg(org: string, options: ForgeOptions): Promise<ForgeListing> {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) throw new UserError(`--github-org "${org}" is not a GitHub organisation name`);
  const api = new URL(options.apiUrl ?? 'https://api.github.com');
  const first = new URL(`${api.href.replace(/\/$/, '')}/orgs/${org}/repos?per_page=100&type=all`);
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'user-agent': 'secretscan', 'x-github-api-version': '2022-11-28' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const raw = (await pages(first, headers, 'GitHub', options)) as Record<string, unknown>[];
  const repos = raw.map((r) => ({ name: String(r.full_name), cloneUrl: cloneUrl(r.clone_url, api, `GitHub repository ${String(r.full_name)}`), fork: r.fork === true, archived: r.archived === true }));
  const host = api.hostname === 'api.github.com' ? 'github.com' : api.host;
  return { forge: 'GitHub', target: `${host}/${org}`, repos, cloneConfig: authConfig(new Set(repos.map((r) => new URL(r.cloneUrl).origin)), 'x-access-token', options.token) };
}

export async function listGitlabGroup(group: string, options: ForgeOptions): Promise<ForgeListing> {
  if (!/^[\w.-]+(?:\/[\w.-]+)*$/.test(group)) throw new UserError(`--gitlab-group "${group}" is not a GitLab group path`);
  const api = new URL(options.apiUrl ?? 'https://gitlab.com/api/v4');
  const first = new URL(`${api.href.replace(/\/$/, '')}/groups/${encodeURIComponent(group)}/projects?per_page=100&include_subgroups=true`);
  const headers: Record<string, string> = { 'user-agent': 'secretscan' };
  if (options.token) headers['private-token'] = options.token;
  const raw = (await pages(first, headers, 'GitLab', options)) as Record<string, unknown>[];
  const repos = raw.map((r) => ({
    name: String(r.path_with_namespace),
    cloneUrl: cloneUrl(r.http_url_to_repo, api, `GitLab project ${String(r.path_with_namespace)}`),
    fork: r.forked_from_project !== undefined && r.forked_from_project !== null,
    archived: r.archived === true,
  }));
  return { forge: 'GitLab', target: `${api.host}/${group}`, repos, cloneConfig: authConfig(new Set(repos.map((r) => new URL(r.cloneUrl).origin)), 'oauth2', options.token) };
}
