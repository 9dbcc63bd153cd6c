import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { CLI, type CliRun } from './cli.js';

/** A port free on loopback right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RegistryAuth = { kind: 'none' } | { kind: 'htpasswd'; user: string; password: string } | { kind: 'token'; tokenServer: TokenServer };

/**
 * Docker's distribution server (Debian's docker-registry) on 127.0.0.1:<free port>, storage in
 * `dir`, with no auth, htpasswd basic auth, or token auth trusting a local token server.
 */
export class LocalRegistry {
  private constructor(
    readonly host: string,
    readonly storage: string,
    private readonly child: ChildProcess,
    private readonly log: () => string,
  ) {}

  static async start(dir: string, auth: RegistryAuth): Promise<LocalRegistry> {
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const storage = path.join(dir, 'storage');
    let authYaml = '';
    if (auth.kind === 'htpasswd') {
      const r = spawnSync('htpasswd', ['-Bbn', auth.user, auth.password], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
      writeFileSync(path.join(dir, 'htpasswd'), r.stdout);
      authYaml = `auth:\n  htpasswd:\n    realm: secretscan-test\n    path: ${path.join(dir, 'htpasswd')}\n`;
    } else if (auth.kind === 'token') {
      const t = auth.tokenServer;
      authYaml = `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.certFile}\n`;
    }
    const config = path.join(dir, 'config.yml');
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`,
    );
    // Its log goes to a file: a pipe nobody drains would stall the registry.
    const logFile = path.join(dir, 'registry.log');
    const fd = openSync(logFile, 'w');
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const output = () => readFileSync(logFile, 'utf8').slice(-4000);
    const registry = new LocalRegistry(`127.0.0.1:${port}`, storage, child, output);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${output()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v2/`);
        await res.body?.cancel();
        if (res.status === 200 || res.status === 401) return registry;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        registry.stop();
        throw new Error(`docker-registry did not start: ${output()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Where the registry keeps a blob's bytes (distribution's filesystem driver layout). */
  blobFile(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    return path.join(this.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  }

  output(): string {
    return this.log();
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

/** base64url without padding. */
function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * A token service for distribution's token auth (the protocol Docker Hub and GHCR speak): signs
 * ES256 JWTs with a self-signed certificate the registry trusts (rootcertbundle), the cert in
 * the x5c header. Grants what the user asks with the right password; anonymously, pull on
 * repositories under `public/` only; a wrong password gets 401.
 */
export class TokenServer {
  readonly service = 'secretscan-test-registry';
  readonly issuer = 'secretscan-test-issuer';
  /** Each token request: whether it carried basic credentials, and for which user. */
  readonly requests: { user: string | null; scope: string | null }[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly realm: string,
    readonly certFile: string,
    private readonly keyPem: string,
    private readonly certDer: Buffer,
    private readonly users: Record<string, string>,
  ) {}

  static async start(dir: string, users: Record<string, string>): Promise<TokenServer> {
    mkdirSync(dir, { recursive: true });
    const keyFile = path.join(dir, 'token.key');
    const certFile = path.join(dir, 'token.crt');
    const r = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=secretscan test token issuer'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    const certDer = new X509Certificate(readFileSync(certFile)).raw;
    const port = await freePort();
    let self!: TokenServer;
    const server = http.createServer((req, res) => self.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    self = new TokenServer(server, `http://127.0.0.1:${port}/token`, certFile, readFileSync(keyFile, 'utf8'), certDer, users);
    return self;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const scope = url.searchParams.get('scope');
    const header = req.headers.authorization;
    let user: string | null = null;
    if (header?.startsWith('Basic ')) {
      const [name, ...rest] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      if (this.users[name!] !== rest.join(':')) {
        this.requests.push({ user: name!, scope });
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
      user = name!;
    }
    this.requests.push({ user, scope });
    const access: { type: string; name: string; actions: string[] }[] = [];
    for (const s of url.searchParams.getAll('scope')) {
      const [type, name, actions] = s.split(':');
      if (type !== 'repository' || !name || !actions) continue;
      const wanted = actions.split(',');
      const granted = user ? wanted : name.startsWith('public/') ? wanted.filter((a) => a === 'pull') : [];
      access.push({ type, name, actions: granted });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: this.sign(user ?? '', access), expires_in: 300 }));
  }

  private sign(subject: string, access: unknown): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [this.certDer.toString('base64')] };
    const claims = { iss: this.issuer, sub: subject, aud: this.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('SHA256').update(input).sign({ key: this.keyPem, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(signature)}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * A proxy in front of a registry that answers every blob GET with a 307 to another origin (as
 * registries do to S3 or a CDN). That blob host serves the bytes from the registry's storage and
 * records whether an Authorization header reached it.
 */
export class RedirectingProxy {
  readonly blobRequests: { authorization: boolean }[] = [];

  private constructor(
    readonly host: string,
    private readonly servers: http.Server[],
  ) {}

  static async start(registry: LocalRegistry): Promise<RedirectingProxy> {
    const blobPort = await freePort();
    const proxyPort = await freePort();
    let self!: RedirectingProxy;
    const blobs = http.createServer((req, res) => {
      self.blobRequests.push({ authorization: req.headers.authorization !== undefined });
      const digest = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\/blob\//, ''));
      const stream = createReadStream(registry.blobFile(digest));
      stream.on('error', () => res.writeHead(404).end());
      stream.once('open', () => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        stream.pipe(res);
      });
    });
    const proxy = http.createServer((req, res) => {
      const m = /^\/v2\/.+\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? '');
      if (m && req.method === 'GET') {
        // Another address and port: a different origin, as blob storage is.
        res.writeHead(307, { location: `http://127.0.0.2:${blobPort}/blob/${m[1]}?signature=x` }).end();
        return;
      }
      const upstream = http.request({ host: '127.0.0.1', port: Number(registry.host.split(':')[1]), path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => blobs.listen(blobPort, '127.0.0.2', resolve));
    await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
    self = new RedirectingProxy(`127.0.0.1:${proxyPort}`, [blobs, proxy]);
    return self;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/**
 * Pushes every platform of an OCI layout's tag to a registry with skopeo (plain HTTP). Run
 * asynchronously: the token service it may ask lives in this process.
 */
export async function pushWithSkopeo(layout: string, tag: string, dest: string, creds?: string): Promise<void> {
  const args = ['copy', '-q', '--all', '--dest-tls-verify=false', ...(creds ? ['--dest-creds', creds] : []), `oci:${layout}:${tag}`, `docker://${dest}`];
  const child = spawn('skopeo', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`skopeo copy to ${dest} failed (exit ${code}): ${stderr}`);
}

/**
 * The built CLI run without blocking this process (runCli blocks it): the token service and the
 * redirecting proxy that the CLI talks to are servers in this process.
 */
export async function runCliAsync(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { status, stdout, stderr };
}
