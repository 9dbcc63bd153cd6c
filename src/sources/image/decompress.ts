import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback, type Readable, type Writable } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import { sniffCompression, type Compression } from './media-types.js';
import { ZstdFrames, type FrameEvent } from './zstd-frames.js';

/**
 * Output chunks of 1 MiB. Each chunk is a round trip to a libuv thread, with a wake-up on each
 * side (costly on a virtual machine: at 64 KiB, 1.8 GB of layers made ~28,000 of them), and the
 * tar parser costs less per byte on larger chunks. The /usr/share + npm image, 3 alternating
 * runs: 18.0 -> 16.6 s, 34.7 -> 32.0 CPU-s.
 */
export const CHUNK = 1024 * 1024;
/** What a layer decompressor holds ready for its reader before its decoder waits. */
export const READY_BYTES = 2 * CHUNK;

interface Inner {
  write(chunk: Buffer, done: (err?: Error | null) => void): void;
  end(done: (err?: Error | null) => void): void;
  /** Stop producing output until `resume`: the reader of the layer is behind. */
  pause?(): void;
  resume?(): void;
  /** The layer decompressor was destroyed (an error, an early stop): free what this holds now; `done` once it is freed. */
  destroy(done: () => void): void;
}

/** Node 22.15+ has zstd in zlib; Node 20 does not. */
type ZstdFactory = (options?: { chunkSize?: number }) => zlib.Gunzip;
const nativeZstd = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

/**
 * Which zstd decoder a layer gets, fastest first:
 * - `native`: Node's own (zlib.createZstdDecompress, Node ≥ 22.15), on a libuv thread;
 * - `cli`: a `zstd -d -c` child process found on PATH (stdin the blob, stdout the tar), on its
 *   own core, with the CLI's default memory limit (windows over 128 MiB are refused);
 * - `js`: fzstd, pure JavaScript on the main thread (about 5x slower than the other two).
 *
 * The environment variable SECRETSCAN_ZSTD picks one: `js` forces fzstd, `cli` the zstd command
 * (when it is on PATH), `native` Node's own (when present); unset or `auto`, the first available
 * of native, cli, js. Tests use it, or the `zstd` option of LayerDecompressor, to run every path.
 */
export type ZstdEngine = 'native' | 'cli' | 'js';

let zstdCommand: string | null | undefined;

/** The zstd executable on PATH, looked up once (no process is started to find it). */
export function findZstdCommand(): string | null {
  if (zstdCommand !== undefined) return zstdCommand;
  zstdCommand = null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, 'zstd');
    try {
      accessSync(file, fsConstants.X_OK);
      if (statSync(file).isFile()) {
        zstdCommand = file;
        break;
      }
    } catch {
      // not here
    }
  }
  return zstdCommand;
}

/** The zstd decoder to use, as SECRETSCAN_ZSTD asks and as this machine allows. */
export function zstdEngine(wanted: string | undefined = process.env.SECRETSCAN_ZSTD): ZstdEngine {
  const w = wanted?.trim().toLowerCase();
  if (w === 'js') return 'js';
  if (w === 'cli' && findZstdCommand()) return 'cli';
  if (nativeZstd) return 'native';
  return findZstdCommand() ? 'cli' : 'js';
}

/** Every zstd decoder this machine has, fastest first (tests run each). */
export function availableZstdEngines(): ZstdEngine[] {
  return [...(nativeZstd ? (['native'] as const) : []), ...(findZstdCommand() ? (['cli'] as const) : []), 'js'];
}

/** zstd children alive now: killed if the process exits while a layer is being read. */
const children = new Set<ChildProcessByStdio<Writable, Readable, Readable>>();
let exitHook = false;
function track(child: ChildProcessByStdio<Writable, Readable, Readable>): void {
  children.add(child);
  child.once('close', () => children.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
}

/** The zstd children of this process still running (for tests: none once a scan is over). */
export function liveZstdChildren(): number[] {
  return [...children].flatMap((c) => (c.exitCode === null && c.signalCode === null && c.pid !== undefined ? [c.pid] : []));
}

/**
 * What the zstd command said on stderr, as one short line without its "zstd: /*stdin*\\:" prefix:
 * "unsupported format", "Read error (39) : premature end", "Decoding error (36) : Restored data doesn't match checksum".
 */
function cliReason(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.replace(/^(zstd: )?(\/\*stdin\*\\ ?: )?/, '').replace(/[\x00-\x1f\x7f]+/g, ' ').trim())
    .filter(Boolean)
    .at(-1);
  return (line ?? '').slice(0, 200);
}

const corrupt = (message: string) => new Error(`zstd data is corrupt or truncated: ${message}`);

/**
 * The zstd command and fzstd with the frame checks of ZstdFrames in front (the native path splits
 * frames with it anyway): a frame whose window is over 128 MiB is refused before fzstd allocates
 * it, and every decoder calls the same things corrupt.
 */
function framed(inner: Inner): Inner {
  const frames = new ZstdFrames();
  return {
    ...inner,
    write: (chunk, done) => {
      try {
        frames.feed(chunk, () => {});
      } catch (e) {
        done(corrupt((e as Error).message));
        return;
      }
      inner.write(chunk, done);
    },
    end: (done) => (frames.missing ? done(corrupt(frames.missing)) : inner.end(done)),
  };
}

export interface DecompressOptions {
  /** The zstd decoder; default: zstdEngine() (SECRETSCAN_ZSTD, else the fastest available). */
  zstd?: ZstdEngine;
}

/**
 * Decompresses a layer blob: gzip, zstd or none, chosen by the first bytes (media types lie:
 * Docker's `.tar` layers are sometimes gzip), with the declared compression only as a fallback
 * for blobs too short to sniff. Output waits for its reader: gzip, native zstd and the zstd
 * command are paused while this stream's buffer is full (fzstd decodes each input chunk whole).
 * Corrupt or truncated data fails the stream with "<gzip|zstd> data is corrupt…". Destroying it
 * (an error, an early stop) ends the zstd child, if there is one, at once.
 */
export class LayerDecompressor extends Transform {
  private head: Buffer | null = Buffer.alloc(0);
  private inner: Inner | null = null;
  compression: Compression | null = null;
  /** The zstd decoder used, once the blob is known to be zstd. */
  engine: ZstdEngine | null = null;

  constructor(
    private readonly declared: Compression | null,
    private readonly options: DecompressOptions = {},
  ) {
    super({ readableHighWaterMark: READY_BYTES });
  }

  private start(head: Buffer): void {
    const sniffed = sniffCompression(head);
    this.compression = head.length >= 4 || this.declared === null ? sniffed : this.declared;
    // An empty blob is an empty layer, whatever it is said to be (no decoder, no child, on any path).
    if (head.length === 0) return;
    if (this.compression === 'gzip') this.inner = this.fromZlib(zlib.createGunzip({ chunkSize: CHUNK }));
    else if (this.compression === 'zstd') {
      this.engine = this.options.zstd ?? zstdEngine();
      if (this.engine === 'native' && !nativeZstd) this.engine = 'js';
      const command = this.engine === 'cli' ? findZstdCommand() : null;
      if (this.engine === 'cli' && !command) this.engine = 'js';
      this.inner = this.engine === 'native' ? this.fromNative(nativeZstd!) : framed(command ? this.fromCommand(command) : this.fromFzstd());
    }
  }

  /** Passes output on; false when this stream's buffer is full (the inner decoder should pause). */
  private out(d: Buffer): boolean {
    if (this.destroyed) return false;
    return this.push(d);
  }

  private fromZlib(z: zlib.Gunzip): Inner {
    z.on('data', (d: Buffer) => {
      if (!this.out(d)) z.pause();
    });
    z.on('error', (e) => this.destroy(new Error(`${this.compression} data is corrupt: ${e.message}`)));
    return {
      write: (chunk, done) => (z.write(chunk) ? done() : z.once('drain', () => done())),
      end: (done) => {
        z.once('end', () => done());
        z.end();
      },
      pause: () => z.pause(),
      resume: () => z.resume(),
      destroy: (done) => {
        z.destroy();
        done();
      },
    };
  }

  /**
   * Node's zstd, one decoder per frame (see ZstdFrames: alone, it would stop after the first
   * frame and take a frame cut short for a whole one). Frames are decoded one after the other.
   */
  private fromNative(create: ZstdFactory): Inner {
    const frames = new ZstdFrames();
    let z: zlib.Gunzip | null = null;
    let failed = false;
    const write = (bytes: Buffer) => new Promise<void>((resolve) => (z!.write(bytes) ? resolve() : z!.once('drain', resolve)));
    const step = async (e: FrameEvent) => {
      if (e.kind === 'start') {
        z = create({ chunkSize: CHUNK });
        const current = z;
        current.on('data', (d: Buffer) => {
          if (!this.out(d)) current.pause();
        });
        current.on('error', (err) => {
          failed = true;
          this.destroy(corrupt(err.message));
        });
      } else if (e.kind === 'data') await write(e.bytes);
      else {
        const current = z!;
        await new Promise<void>((resolve) => {
          current.once('end', resolve);
          current.end();
        });
        z = null;
      }
    };
    return {
      write: (chunk, done) => {
        const events: FrameEvent[] = [];
        try {
          frames.feed(chunk, (e) => events.push(e));
        } catch (e) {
          done(corrupt((e as Error).message));
          return;
        }
        void (async () => {
          for (const e of events) {
            if (failed || this.destroyed) return;
            await step(e);
          }
          done();
        })();
      },
      end: (done) => done(frames.missing ? corrupt(frames.missing) : null),
      pause: () => z?.pause(),
      resume: () => z?.resume(),
      destroy: (done) => {
        z?.destroy();
        done();
      },
    };
  }

  /** `zstd -d -c` as a child: argv without a shell, stdin the blob, stdout the tar, stderr kept for the error. */
  private fromCommand(command: string): Inner {
    const child = spawn(command, ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    track(child);
    let stderr = '';
    let ending: ((err?: Error | null) => void) | null = null;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      this.destroy(err);
    };
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    // A child that exits early (corrupt data) closes its stdin: the exit status says why.
    child.stdin.on('error', () => {});
    child.stdout.on('data', (d: Buffer) => {
      if (!this.out(d)) child.stdout.pause();
    });
    child.on('error', (e) => fail(new Error(`zstd could not be run (${command}): ${e.message}`)));
    // 'close': the child has exited and its stdout is read to the end (every byte pushed).
    child.on('close', (code, signal) => {
      if (this.destroyed || failed) return;
      if (code !== 0) {
        const said = cliReason(stderr);
        fail(corrupt(said || (signal ? `zstd was killed by ${signal}` : `zstd exited with status ${code}`)));
        return;
      }
      if (!ending) {
        fail(corrupt('zstd exited before the end of its input'));
        return;
      }
      ending();
    });
    return {
      write: (chunk, done) => (child.stdin.write(chunk) ? done() : child.stdin.once('drain', () => done())),
      end: (done) => {
        ending = done;
        child.stdin.end();
      },
      pause: () => child.stdout.pause(),
      resume: () => child.stdout.resume(),
      // The stream is not closed before the child is gone: a scan that returns has no child left.
      destroy: (done) => {
        const gone = child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
        if (!gone) {
          child.once('close', () => done());
          child.kill('SIGKILL');
        }
        child.stdout.destroy();
        child.stdin.destroy();
        if (gone) done();
      },
    };
  }

  private fromFzstd(): Inner {
    const z = new ZstdStream((data) => {
      if (data.length) this.out(Buffer.from(data));
    });
    const guard = (fn: () => void, done: (err?: Error | null) => void) => {
      try {
        fn();
        done();
      } catch (e) {
        done(corrupt((e as Error).message));
      }
    };
    return {
      write: (chunk, done) => guard(() => z.push(chunk), done),
      end: (done) => guard(() => z.push(new Uint8Array(0), true), done),
      destroy: (done) => done(),
    };
  }

  override _read(size: number): void {
    this.inner?.resume?.();
    super._read(size);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.head) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 4) {
        done();
        return;
      }
      chunk = this.head;
      this.head = null;
      this.start(chunk);
    }
    if (this.inner) this.inner.write(chunk, done);
    else done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.head) {
      const head = this.head;
      this.head = null;
      this.start(head);
      if (head.length) {
        if (this.inner) {
          this.inner.write(head, (err) => (err ? done(err) : this.finishInner(done)));
          return;
        }
        this.push(head);
      }
    }
    this.finishInner(done);
  }

  private finishInner(done: TransformCallback): void {
    if (this.inner) this.inner.end((err) => done(err));
    else done();
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    if (this.inner) this.inner.destroy(() => done(err));
    else done(err);
  }
}
