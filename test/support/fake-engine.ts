import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import { closeServer, listenLoopback } from './loopback.js';

/** How the fake engine sends an export: whole, half then silence, or half then a dropped connection. */
export type ExportMode = 'whole' | 'stall' | 'break';

/**
 * A fake Docker Engine API (the part secretscan uses: inspect and export) on a UNIX socket or on
 * loopback TCP, serving docker save archives from disk by image name. Records each request path.
 */
export class FakeEngine {
  readonly requests: string[] = [];
  mode: ExportMode = 'whole';
  private readonly server: http.Server;

  constructor(private readonly images: Record<string, string>) {
    this.server = http.createServer((req, res) => this.answer(req, res));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push(url);
    // Versioned paths (/v1.43/images/…) are what clients may send; both forms are served.
    const m = /^(?:\/v[0-9.]+)?\/images\/(.+)\/(json|get)$/.exec(url);
    const name = m ? decodeURIComponent(m[1]!) : '';
    const file = this.images[name];
    if (!m || !file) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `No such image: ${name}` }));
      return;
    }
    if (m[2] === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: 'sha256:0', RepoTags: [name] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-tar' });
    if (this.mode === 'whole') {
      createReadStream(file).pipe(res);
      return;
    }
    const half = Math.floor(statSync(file).size / 2);
    const stream = createReadStream(file, { end: half });
    stream.on('data', (d) => res.write(d));
    stream.on('end', () => {
      if (this.mode === 'break') res.socket?.destroy();
      // 'stall': keep the connection open and send nothing more.
    });
  }

  listenSocket(path: string): Promise<void> {
    return new Promise((resolve) => this.server.listen(path, () => resolve()));
  }

  /** Listens on 127.0.0.1 and returns the port. */
  listenTcp(): Promise<number> {
    return listenLoopback(this.server);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
