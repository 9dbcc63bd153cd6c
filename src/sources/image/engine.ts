/** Images in a local Docker Engine or Podman (its Docker-compatible API), exported as docker save archives. */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { UserError } from '../../errors.js';
import { readAtMost } from '../../io/bounded-read.js';

/** Where an engine's API listens: a UNIX socket or plain HTTP on host:port. */
export interface EngineEndpoint {
  /** `docker` or `podman`, for messages. */
  engine: 'Docker Engine' | 'Podman';
  /** As the user would write it: unix:///var/run/docker.sock, tcp://127.0.0.1:2375. */
  address: string;
  socketPath?: string;
  host?: string;
  port?: number;
}

export interface EngineLimits {
  /** Largest export accepted, in bytes. */
  maxBytes: number;
  /** No byte for this long ends the export (ms). */
  stallMs: number;
  /** Time to connect and get an answer to a small request (ms). */
  requestMs: number;
}

/** SECRETSCAN_ENGINE_STALL_SECONDS lowers or raises the stall limit (a busy engine may pause long). */
function stallMs(env: NodeJS.ProcessEnv): number {
  const s = Number(env.SECRETSCAN_ENGINE_STALL_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 60_000;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = { maxBytes: 64 * 2 ** 30, stallMs: stallMs(process.env), requestMs: 10_000 };

/** DOCKER_HOST as an endpoint; ssh:// and npipe:// are not spoken here (a clear error says so). */
function fromDockerHost(value: string): EngineEndpoint {
  if (value.startsWith('unix://')) return { engine: 'Docker Engine', address: value, socketPath: value.slice('unix://'.length) };
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(value);
  if (tcp) return { engine: 'Docker Engine', address: value, host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2] ?? 2375) };
  throw new UserError(`DOCKER_HOST=${value}: secretscan reaches an engine over unix:// or tcp:// only`, 'export the image with `docker save -o image.tar NAME` and scan image.tar');
}

/**
 * Engines to ask, in order: DOCKER_HOST (else /var/run/docker.sock) for Docker, then the user's
 * Podman socket ($XDG_RUNTIME_DIR/podman/podman.sock), then the system one (/run/podman/podman.sock).
 */
export function engineEndpoints(which: 'docker' | 'podman' | 'any', env: NodeJS.ProcessEnv = process.env): EngineEndpoint[] {
  const list: EngineEndpoint[] = [];
  if (which !== 'podman') {
    const host = env.DOCKER_HOST?.trim();
    list.push(host ? fromDockerHost(host) : { engine: 'Docker Engine', address: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' });
  }
  if (which !== 'docker') {
    const sockets = [env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock') : null, '/run/podman/podman.sock'];
    for (const s of sockets) if (s) list.push({ engine: 'Podman', address: `unix://${s}`, socketPath: s });
  }
  return list;
}

/** Why an engine could not give the image: said in one short phrase. */
export class EngineMiss extends Error {}

function describeConnectError(e: NodeJS.ErrnoException, ep: EngineEndpoint): string {
  if (e.code === 'ENOENT') return `not running (no socket at ${ep.socketPath})`;
  if (e.code === 'ECONNREFUSED') return 'not running (connection refused)';
  if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied on ${ep.socketPath} (join the docker group, or use the rootless socket)`;
  return `unreachable (${e.code ?? e.message})`;
}

/** One request to the engine; the answer's body is the caller's to read (or drop). */
function request(ep: EngineEndpoint, apiPath: string, limits: EngineLimits): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { method: 'GET', path: apiPath, headers: { host: 'docker' }, ...(ep.socketPath ? { socketPath: ep.socketPath } : { host: ep.host, port: ep.port }) },
      resolve,
    );
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })), limits.requestMs);
    req.on('response', () => clearTimeout(timer));
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(new EngineMiss(describeConnectError(e as NodeJS.ErrnoException, ep)));
    });
    req.end();
  });
}

/** A small answer (errors, inspection) as text; one over 64 KiB says nothing worth reading. */
async function smallBody(res: http.IncomingMessage): Promise<string> {
  return (await readAtMost(res, 64 * 1024))?.toString('utf8') ?? '';
}

/** The engine's own message from an error answer ({"message": "..."}), one line and short. */
function engineMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof m === 'string') return m.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 200);
  } catch {
    // not JSON: say nothing of it
  }
  return '';
}

/** Whether this engine holds the image: resolves, or throws EngineMiss saying why not. */
export async function engineHasImage(ep: EngineEndpoint, name: string, limits: EngineLimits = DEFAULT_ENGINE_LIMITS): Promise<void> {
  const res = await request(ep, `/images/${encodeURIComponent(name)}/json`, limits);
  const body = await smallBody(res);
  if (res.statusCode === 200) return;
  if (res.statusCode === 404) throw new EngineMiss(`no image ${name}`);
  const said = engineMessage(body);
  throw new EngineMiss(`answered ${res.statusCode}${said ? `: ${said}` : ''}`);
}

/** Passes bytes on, counting them against the cap and timing out when none come. */
function guard(ep: EngineEndpoint, name: string, limits: EngineLimits, res: http.IncomingMessage): Transform {
  let total = 0;
  let timer: NodeJS.Timeout;
  const stalled = () => res.destroy(new UserError(`the export of ${name} from the ${ep.engine} at ${ep.address} stalled: no data for ${limits.stallMs / 1000} s`));
  timer = setTimeout(stalled, limits.stallMs);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      clearTimeout(timer);
      timer = setTimeout(stalled, limits.stallMs);
      total += chunk.length;
      if (total > limits.maxBytes) {
        clearTimeout(timer);
        done(new UserError(`the export of ${name} from the ${ep.engine} is larger than ${limits.maxBytes} bytes`, 'raise --max-image-size, or docker save the image and scan the archive'));
        return;
      }
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(timer);
      done();
    },
    destroy(err, done) {
      clearTimeout(timer);
      done(err);
    },
  });
}

/** An exported image on disk, removed by `dispose`. */
export interface ExportedImage {
  file: string;
  dispose: () => Promise<void>;
}

/**
 * Exports the image (GET /images/{name}/get, a docker save tar) into a private temporary folder:
 * the archive reader needs random access (docker save writes manifest.json last).
 */
export async function exportImage(ep: EngineEndpoint, name: string, limits: EngineLimits = DEFAULT_ENGINE_LIMITS): Promise<ExportedImage> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'secretscan-export-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'image.tar');
  try {
    const res = await request(ep, `/images/${encodeURIComponent(name)}/get`, limits);
    if (res.statusCode !== 200) {
      const said = engineMessage(await smallBody(res));
      throw new UserError(`the ${ep.engine} at ${ep.address} could not export ${name}: ${res.statusCode}${said ? ` ${said}` : ''}`);
    }
    // A premature close (the engine died mid-stream) is an error of the pipeline, not a short archive.
    await pipeline(res, guard(ep, name, limits, res), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return { file, dispose };
  } catch (e) {
    await dispose();
    if (e instanceof UserError) throw e;
    if (e instanceof EngineMiss) throw new UserError(`the ${ep.engine} at ${ep.address} is ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`the export of ${name} from the ${ep.engine} at ${ep.address} broke off (${code ?? (e as Error).message})`, 'try again, or docker save the image and scan the archive');
  }
}

/** The first engine that holds the image, or what each one answered, in the order asked. */
export async function findInEngines(
  name: string,
  endpoints: EngineEndpoint[],
  limits: EngineLimits = DEFAULT_ENGINE_LIMITS,
): Promise<{ endpoint: EngineEndpoint; tried: string[] } | { endpoint: null; tried: string[] }> {
  const tried: string[] = [];
  for (const endpoint of endpoints) {
    try {
      await engineHasImage(endpoint, name, limits);
      return { endpoint, tried };
    } catch (e) {
      if (!(e instanceof EngineMiss)) throw e;
      tried.push(`${endpoint.engine} at ${endpoint.address}: ${e.message}`);
    }
  }
  return { endpoint: null, tried };
}
