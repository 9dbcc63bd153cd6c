import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { GitRepo } from './git-repo.js';

/**
 * One answer of `git cat-file --batch`, in the order the object ids were asked for. A blob's
 * `content` is a view into the reader's buffers, valid until the next answer is asked for: copy
 * what must outlive it.
 */
export type BlobAnswer =
  | { oid: string; kind: 'blob'; content: Buffer }
  | { oid: string; kind: 'too-large'; size: number }
  /** Not in the repository (a partial clone leaves large blobs out), or not a blob. */
  | { oid: string; kind: 'missing'; detail: string };

/** Bytes read from git at once, into one buffer used again for every read. */
const READ_BYTES = 256 * 1024;
/** Longest socket path used: under every system's limit (sun_path holds 104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_NAME = 100;

/**
 * One long-running `git cat-file --batch` child: object ids go in on stdin, contents stream out
 * and are parsed as they come, with bounded memory. A blob over `maxBytes` is never held: its
 * bytes are dropped as they pass. The reader stops reading (and so git stops writing) while the
 * consumer of `answers()` is busy.
 *
 * Where the platform has Unix sockets, git writes into one socket that is read into a single
 * buffer used again for every read (and a blob longer than a read is assembled in a second one,
 * also used again): gigabytes of history then allocate almost nothing, where a pipe's stream
 * allocates a new buffer per read and the collector has to sweep them. Elsewhere, or if the
 * socket cannot be set up, git's stdout is an ordinary pipe.
 */
export class BlobReader {
  /** stdout is null when git writes into the socket. */
  private child: ChildProcessByStdio<Writable, Readable | null, Readable> | null = null;
  private readonly queued: string[] = [];
  private queuedChars = 0;
  private stderr = '';
  private ended = false;
  private killed = false;
  private readonly started: Promise<void>;
  /** Set once started: git's output as chunks, each valid until the next one is asked for. */
  private output: AsyncGenerator<Buffer> | null = null;
  /** The child's exit code, or the error that kept it from starting. */
  private exited: Promise<number | null | Error> = Promise.resolve(null);

  constructor(
    private readonly repo: GitRepo,
    private readonly maxBytes: number,
    options: { socket?: boolean; buffer?: boolean } = {},
  ) {
    this.started = this.start(options.socket ?? process.platform !== 'win32', options.buffer ?? true);
  }

  /**
   * `buffer` false: git answers each id as it reads it, instead of when its input ends or its
   * buffer fills (--buffer): for a few blobs asked for ahead of time, whose answers then wait in
   * the pipe, however long the asking thread is busy before it reads them.
   */
  private async start(useSocket: boolean, buffer: boolean): Promise<void> {
    const socket = useSocket ? await connectedPair().catch(() => null) : null;
    if (this.killed) {
      socket?.reader.destroy();
      socket?.writer.destroy();
      return;
    }
    // --buffer: git writes in large blocks instead of flushing after every object. Safe because
    // every id is written before any answer is awaited, and stdin is closed at the end.
    const child = spawn('git', ['cat-file', '--batch', ...(buffer ? ['--buffer'] : [])], {
      cwd: this.repo.root,
      env: this.repo.env,
      stdio: ['pipe', socket ? socket.writer : 'pipe', 'pipe'],
    }) as ChildProcessByStdio<Writable, Readable | null, Readable>;
    this.child = child;
    // git holds its own copy of the writing end now; ours must go, or the reader never sees the end.
    socket?.writer.destroy();
    child.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += d.toString();
    });
    // A child that dies early closes stdin under us: the error surfaces from answers().
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.on('error', resolve);
      child.on('close', resolve);
    });
    this.output = socket ? socketChunks(socket) : pipeChunks(child.stdout!);
    this.flush();
    if (this.ended) child.stdin.end();
  }

  /** Asks for one object; answers come back in the order of the requests. */
  request(oid: string): void {
    this.queued.push(oid);
    this.queuedChars += oid.length + 1;
    if (this.queuedChars >= 64 * 1024) this.flush();
  }

  /** No more requests: git answers what is pending and exits. */
  end(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.child?.stdin.end();
  }

  private flush(): void {
    if (this.queued.length === 0 || !this.child) return;
    this.child.stdin.write(`${this.queued.join('\n')}\n`);
    this.queued.length = 0;
    this.queuedChars = 0;
  }

  /** Ends the child without waiting for its answers (on error, or when the consumer stops early). */
  kill(): void {
    this.killed = true;
    this.child?.kill();
    void this.output?.return(undefined);
  }

  async *answers(): AsyncGenerator<BlobAnswer> {
    await this.started;
    if (!this.output) throw new Error('git cat-file was stopped before it started');
    let header: Buffer | null = null;
    // The object being read: its id, its size (+1 for the newline after the content), bytes so far.
    let oid = '';
    let need = -1;
    let have = 0;
    // A blob longer than what one read holds is assembled here, in a buffer kept for the next one.
    let spill: Buffer = Buffer.alloc(0);
    let drop = false;
    for await (const chunk of this.output) {
      let off = 0;
      while (off < chunk.length) {
        if (need < 0) {
          const nl = chunk.indexOf(10, off);
          if (nl < 0) {
            header = header ? Buffer.concat([header, chunk.subarray(off)]) : Buffer.from(chunk.subarray(off));
            if (header.length > 4096) throw new Error('git cat-file answered with an overlong header line');
            break;
          }
          const line = (header ? Buffer.concat([header, chunk.subarray(off, nl)]) : chunk.subarray(off, nl)).toString('latin1');
          header = null;
          off = nl + 1;
          // "<oid> <type> <size>", or "<oid> missing" / "<oid> ambiguous"
          const [id = '', type = '', sizeText] = line.split(' ');
          if (sizeText === undefined) {
            yield { oid: id, kind: 'missing', detail: type === 'missing' ? 'object not in the repository (partial clone?)' : type };
            continue;
          }
          oid = id;
          const size = Number(sizeText);
          need = size + 1;
          have = 0;
          drop = type !== 'blob' || size > this.maxBytes;
          if (drop) {
            yield type === 'blob' ? { oid, kind: 'too-large', size } : { oid, kind: 'missing', detail: `a ${type}, not a blob` };
          } else if (chunk.length - off >= need) {
            // The whole object is in this chunk: hand out a view, no copy.
            const content = chunk.subarray(off, off + size);
            off += need;
            need = -1;
            yield { oid, kind: 'blob', content };
            continue;
          } else if (spill.length < need) {
            // Grown to the largest blob met so far (at most maxBytes + 1), then kept.
            spill = Buffer.allocUnsafeSlow(Math.max(need, Math.min(2 * spill.length, this.maxBytes + 1)));
          }
        }
        const take = Math.min(need - have, chunk.length - off);
        if (!drop) chunk.copy(spill, have, off, off + take);
        have += take;
        off += take;
        if (have === need) {
          need = -1;
          if (!drop) yield { oid, kind: 'blob', content: spill.subarray(0, have - 1) };
        }
      }
    }
    const code = await this.exited;
    if (code instanceof Error) throw new Error(`cannot run git cat-file: ${code.message}`);
    if (code !== 0 || need >= 0) {
      throw new Error(`git cat-file failed${code ? ` (exit ${code})` : ''}: ${this.stderr.trim().split('\n')[0] ?? 'output cut short'}`);
    }
  }
}

/** A child's stdout pipe, chunk by chunk (each a buffer of its own). */
async function* pipeChunks(stdout: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stdout as AsyncIterable<Buffer>) yield chunk;
}

/**
 * Two connected ends of a Unix socket: `writer` to hand to a child as its stdout, `reader` read
 * into `buffer` (one buffer for every read) and paused after each read. The socket's name lives
 * in a fresh private directory only until the two ends are connected.
 */
interface SocketPair {
  reader: net.Socket;
  writer: net.Socket;
  buffer: Buffer;
  /** Bytes of the last read not yet handed out, and who waits for the next read. */
  filled: number;
  wake: (() => void) | null;
}

async function connectedPair(): Promise<SocketPair> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-'));
  const name = path.join(dir, 'cat-file');
  // A socket's name has room for 107 bytes at most (less on macOS); some systems cut a longer one
  // short instead of refusing it, which could put the socket outside the private folder.
  if (Buffer.byteLength(name) > MAX_SOCKET_NAME) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('temporary folder path too long for a socket');
  }
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => resolve());
    });
    const accepted = new Promise<net.Socket>((resolve, reject) => {
      server.once('connection', resolve);
      server.once('error', reject);
    });
    const buffer = Buffer.allocUnsafeSlow(READ_BYTES);
    const pair = { buffer, filled: 0, wake: null } as unknown as SocketPair;
    // Each read: note its length and pause (returning false) until the consumer asks for more.
    const callback = (n: number) => {
      pair.filled = n;
      const wake = pair.wake;
      pair.wake = null;
      wake?.();
      return false;
    };
    const reader = net.connect({ path: name, onread: { buffer, callback } });
    await new Promise<void>((resolve, reject) => {
      reader.once('connect', resolve);
      reader.once('error', reject);
    });
    pair.writer = await accepted;
    pair.reader = reader;
    reader.pause();
    return pair;
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What arrives on `reader`, as views into its one read buffer: each valid until the next is asked
 * for (the socket stays paused until then, so the buffer is not written meanwhile).
 */
async function* socketChunks(pair: SocketPair): AsyncGenerator<Buffer> {
  const { reader, buffer } = pair;
  let ended = false;
  let failed: Error | null = null;
  const notify = () => {
    const wake = pair.wake;
    pair.wake = null;
    wake?.();
  };
  reader.on('end', () => {
    ended = true;
    notify();
  });
  reader.on('error', (e) => {
    failed = e;
    notify();
  });
  reader.on('close', () => {
    ended = true;
    notify();
  });
  try {
    for (;;) {
      if (pair.filled === 0 && !ended && !failed) {
        const arrived = new Promise<void>((resolve) => (pair.wake = resolve));
        reader.resume();
        await arrived;
      }
      if (pair.filled > 0) {
        const n = pair.filled;
        pair.filled = 0;
        yield buffer.subarray(0, n);
        continue;
      }
      if (failed) throw failed;
      if (ended) return;
    }
  } finally {
    reader.destroy();
  }
}
