import { spawn } from 'node:child_process';
import http from 'node:http';
import { closeServer, listenLoopback } from './loopback.js';

/**
 * git's smart HTTP protocol on loopback: each request runs `git http-backend` (CGI) over the
 * repositories under `root`. With `auth`, requests without that basic-auth pair get a 401.
 * `stall` makes every answer hang (a server that never sends a byte).
 */
export class GitHttpServer {
  readonly seenAuth: string[] = [];
  stall = false;
  private readonly server: http.Server;
  port = 0;

  constructor(
    private readonly root: string,
    private readonly auth?: { user: string; password: string },
  ) {
    this.server = http.createServer((req, res) => this.answer(req, res));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.stall) return; // never answers
    const header = req.headers.authorization ?? '';
    if (header) this.seenAuth.push(header);
    if (this.auth && header !== `Basic ${Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (d: Buffer) => {
      if (started) return void res.write(d);
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      started = true;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const [k, ...v] = line.split(':');
        if (k!.toLowerCase() === 'status') status = Number.parseInt(v.join(':').trim(), 10);
        else headers[k!] = v.join(':').trim();
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  }

  async start(): Promise<string> {
    this.port = await listenLoopback(this.server);
    return `http://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
