import http from 'node:http';
import { closeServer, listenLoopback } from './loopback.js';

export interface ForgeRepoSpec {
  name: string;
  cloneUrl: string;
  fork?: boolean;
  archived?: boolean;
}

/**
 * A fake GitHub REST API (GET /orgs/:org/repos) and GitLab REST API (GET /groups/:id/projects) on
 * loopback: `pageSize` repositories a page with Link headers, and, when `rateLimitOnce` is set,
 * one 403 rate-limit answer (reset a second later) on the second page.
 */
export class FakeForge {
  readonly requests: { url: string; auth: string }[] = [];
  rateLimitOnce = false;
  private limited = false;
  private readonly server: http.Server;
  port = 0;

  constructor(
    private readonly orgs: Record<string, ForgeRepoSpec[]>,
    private readonly pageSize = 10,
  ) {
    this.server = http.createServer((req, res) => this.answer(req, res));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    this.requests.push({ url: url.pathname + url.search, auth: String(req.headers.authorization ?? req.headers['private-token'] ?? '') });
    const github = /^\/orgs\/([^/]+)\/repos$/.exec(url.pathname);
    const gitlab = /^\/api\/v4\/groups\/([^/]+)\/projects$/.exec(url.pathname);
    const key = github ? github[1]! : gitlab ? decodeURIComponent(gitlab[1]!) : '';
    const repos = this.orgs[key];
    if (!repos) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    if (page === 2 && this.rateLimitOnce && !this.limited) {
      this.limited = true;
      const reset = Math.ceil(Date.now() / 1000) + 1;
      res.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'content-type': 'application/json' }).end('{"message":"API rate limit exceeded"}');
      return;
    }
    const slice = repos.slice((page - 1) * this.pageSize, page * this.pageSize);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (page * this.pageSize < repos.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    const body = slice.map((r) =>
      github
        ? { full_name: r.name, clone_url: r.cloneUrl, fork: r.fork ?? false, archived: r.archived ?? false }
        : { path_with_namespace: r.name, http_url_to_repo: r.cloneUrl, archived: r.archived ?? false, ...(r.fork ? { forked_from_project: { id: 1 } } : {}) },
    );
    res.writeHead(200, headers).end(JSON.stringify(body));
  }

  async start(): Promise<string> {
    this.port = await listenLoopback(this.server);
    return `http://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
