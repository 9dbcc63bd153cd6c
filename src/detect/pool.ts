import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { Detector, type DetectorOptions } from './detector.js';
import { scanBytes, scanFile, type FileScanResult } from './file-scan.js';
import type { RuleSpec } from '../types.js';

export type PoolRequest =
  | { id: number; kind: 'files'; paths: (string | Uint8Array)[]; maxBytes: number; rels?: string[] }
  | { id: number; kind: 'chunks'; buffer: ArrayBuffer; spans: ChunkSpan[] };
export type PoolResponse = { id: number; result: FileScanResult | FileScanResult[] } | { id: number; error: string };
/** A worker's first message: its detector is built and it takes requests. */
export type WorkerReady = { ready: true };

/** One chunk of a packed batch: where its bytes lie in the batch's buffer, and its path. */
export interface ChunkSpan {
  offset: number;
  length: number;
  path?: string;
  /** Text that is no file (a commit message): matched as is, no binary or UTF-16 check. */
  plain?: true;
}

/**
 * Byte chunks packed into one buffer, copied in as they come (the source may reuse its buffers),
 * sent as one message whose buffer is transferred, not copied again: one message and one
 * allocation per batch instead of per chunk (git history yields tens of thousands of small blobs).
 */
export class ChunkBatch {
  readonly spans: ChunkSpan[] = [];
  private readonly buffer: Buffer;
  private used = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Copies the chunk in; false when it does not fit. Returns the chunk's index. */
  add(bytes: Uint8Array, path?: string, plain = false): number | null {
    if (this.used + bytes.length > this.buffer.length) return null;
    this.buffer.set(bytes, this.used);
    // Plain text is matched with no path (see scanChunk): none is sent.
    this.spans.push({ offset: this.used, length: bytes.length, ...(plain ? { plain: true as const } : path !== undefined ? { path } : {}) });
    this.used += bytes.length;
    return this.spans.length - 1;
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.spans.length;
  }

  /** The packed bytes: a buffer of its own (allocUnsafeSlow), safe to transfer. */
  get arrayBuffer(): ArrayBuffer {
    return this.buffer.buffer as ArrayBuffer;
  }

  chunk(i: number): Buffer {
    const s = this.spans[i]!;
    return this.buffer.subarray(s.offset, s.offset + s.length);
  }
}

/**
 * Scans files or byte chunks, on this thread or spread over worker threads. The relative path of a
 * file or chunk (`relPath`, `relPaths`, `path`) lets rules scoped to credential files run on it.
 */
export interface DetectorPool {
  /** A batch of files in one message: small files cost more in messages than in matching. A path is bytes (a Buffer) when the file name is not valid UTF-8. */
  scanFiles(absPaths: (string | Uint8Array)[], maxBytes: number, relPaths?: string[]): Promise<FileScanResult[]>;
  /** One chunk; `plain`: text that is no file (see scanChunk). */
  scanBytes(bytes: Buffer, path?: string, plain?: boolean): Promise<FileScanResult>;
  /** A packed batch of byte chunks in one message (the batch's buffer is given away). */
  scanBatch(batch: ChunkBatch): Promise<FileScanResult[]>;
  /** Whether chunks are matched on other threads: worth packing into batches (else matched as they come). */
  readonly threaded: boolean;
  close(): Promise<void>;
}

/**
 * One chunk: as a file's bytes (UTF-16 decoded, binary skipped, path-scoped rules by `path`), or
 * with `plain`, as text that is no file (a commit message): matched as is, with no path.
 */
export function scanChunk(detector: Detector, bytes: Buffer, path: string | undefined, plain = false): FileScanResult {
  return plain ? { matches: detector.scan(bytes), bytes: bytes.length } : scanBytes(detector, bytes, path);
}

/** Every chunk of a batch, matched in order with one detector. */
export function scanSpans(detector: Detector, buffer: ArrayBuffer, spans: readonly ChunkSpan[]): FileScanResult[] {
  return spans.map((s) => scanChunk(detector, Buffer.from(buffer, s.offset, s.length), s.path, s.plain));
}

export class InlinePool implements DetectorPool {
  constructor(private readonly detector: Detector) {}
  async scanFiles(absPaths: (string | Uint8Array)[], maxBytes: number, relPaths?: string[]) {
    return absPaths.map((p, i) => scanFile(this.detector, p, maxBytes, relPaths?.[i]));
  }
  async scanBytes(bytes: Buffer, path?: string, plain = false) {
    return scanChunk(this.detector, bytes, path, plain);
  }
  async scanBatch(batch: ChunkBatch) {
    return scanSpans(this.detector, batch.arrayBuffer, batch.spans);
  }
  readonly threaded = false;
  async close() {}
}

const require = createRequire(import.meta.url);
/** node:worker_threads, loaded for the first pool of workers: ~3 ms that a small scan (a hook's), matched on the main thread, does not pay. */
const workerThreads = () => require('node:worker_threads') as typeof import('node:worker_threads');

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/**
 * A rule as a worker needs it: without its revocation guidance and references, which only the
 * report reads (on the main thread, by rule id). Built-in rules read those from a file on first
 * use (see loadBuiltinRules): sending them whole made every threaded scan read and parse the
 * ~1 MB guidance file and copy it into each worker. The keys are copied one by one so that the
 * two are not even read.
 */
export function withoutGuidance(rule: RuleSpec): RuleSpec {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(rule)) if (key !== 'revocation' && key !== 'references') out[key] = rule[key as keyof RuleSpec];
  return out as unknown as RuleSpec; // the worker's matches name their rule; the report looks it up here
}

/**
 * V8 heap limits of a matching worker. By default its young generation (where each batch's
 * short-lived matches, strings and buffer views go) grows to V8's default of two 16 MB
 * semi-spaces and stays there, though what a worker keeps alive fits in a few MB: capped at 8 MB,
 * each worker's heap peaks at ~26 MB instead of ~50 (an image scan with 2 workers, 1.8 GB
 * unpacked: peak RSS ~490 -> ~425 MB), at no measurable cost in speed (scavenges stay cheap).
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** Worker threads each with their own Detector; requests go to the least busy one. */
export class WorkerPool implements DetectorPool {
  private readonly workers: { worker: Worker; pending: number }[] = [];
  private readonly waiting = new Map<number, { resolve: (r: FileScanResult | FileScanResult[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  /** Resolves once every worker has built its detector (a worker says so before its first answer). */
  readonly ready: Promise<void>;

  constructor(options: DetectorOptions, size: number) {
    let started = 0;
    let allStarted!: () => void;
    this.ready = new Promise<void>((resolve) => (allStarted = resolve));
    const matchingOnly = options.rules.map(withoutGuidance);
    const { Worker } = workerThreads();
    for (let i = 0; i < size; i++) {
      // Workers run only for large scans (see createPool): their prefilter builds its LiteralSet at once.
      const worker = new Worker(WORKER_FILE, { workerData: { ...options, rules: matchingOnly, largeInput: true } satisfies DetectorOptions, resourceLimits: WORKER_RESOURCE_LIMITS });
      const slot = { worker, pending: 0 };
      worker.on('message', (res: PoolResponse | WorkerReady) => {
        if ('ready' in res) {
          if (++started === size) allStarted();
          return;
        }
        slot.pending--;
        const w = this.waiting.get(res.id);
        this.waiting.delete(res.id);
        if (!w) return;
        if ('error' in res) w.reject(new Error(res.error));
        else w.resolve(res.result);
      });
      worker.on('error', (e) => {
        for (const w of this.waiting.values()) w.reject(e);
        this.waiting.clear();
      });
      this.workers.push(slot);
    }
  }

  private send(req: PoolRequest, transfer: ArrayBuffer[] = []): Promise<FileScanResult | FileScanResult[]> {
    const slot = this.workers.reduce((a, b) => (b.pending < a.pending ? b : a));
    slot.pending++;
    return new Promise((resolve, reject) => {
      this.waiting.set(req.id, { resolve, reject });
      slot.worker.postMessage(req, transfer);
    });
  }

  async scanFiles(paths: (string | Uint8Array)[], maxBytes: number, rels?: string[]) {
    return (await this.send({ id: this.nextId++, kind: 'files', paths, maxBytes, ...(rels ? { rels } : {}) })) as FileScanResult[];
  }

  /** One chunk, sent as a batch of one (the pipeline packs chunks itself when threaded). */
  async scanBytes(bytes: Buffer, path?: string, plain = false) {
    const batch = new ChunkBatch(bytes.length);
    batch.add(bytes, path, plain);
    return (await this.scanBatch(batch))[0]!;
  }

  async scanBatch(batch: ChunkBatch) {
    const buffer = batch.arrayBuffer;
    return (await this.send({ id: this.nextId++, kind: 'chunks', buffer, spans: batch.spans }, [buffer])) as FileScanResult[];
  }

  readonly threaded = true;

  async close() {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/** With threads asked for (--threads), workers start with a scan expected from this size; a smaller one grows as others do. */
const SMALL_SCAN_BYTES = 16 * 1024 * 1024;
/**
 * From this estimate workers start with the scan. Below it the scan starts on this thread and
 * moves to workers only once it has matched GROW_AFTER_BYTES (see GrowingPool).
 */
const EAGER_SCAN_BYTES = 40 * 1024 * 1024;
/** Bytes matched on this thread after which a growing pool starts its workers. */
export const GROW_AFTER_BYTES = 48 * 1024 * 1024;

/**
 * The pool for a scan of about `expectedBytes` (an estimate; a directory's comes from a sample of
 * its files' sizes). A worker costs start-up CPU (the matching code loaded, compiled and warmed up
 * again, every rule's tables built): on 2 cores, a scan of a folder of up to ~40 MB ran 13-30%
 * faster on this thread alone (17 MB of C: 1.30 -> 1.10 s; 12 MB of JavaScript: 0.73 -> 0.51 s),
 * and about as fast at 45 MB. So a scan expected to be larger starts with workers, and a smaller
 * one starts here and brings workers in only if it proves larger than expected (GrowingPool).
 * `threads` given by the user: workers from the start, as asked, past 16 MB. Under a TypeScript
 * test runner there is no compiled worker file: scan inline.
 */
export function createPool(options: DetectorOptions, expectedBytes: number, threads?: number): DetectorPool {
  const size = threads ?? Math.min(availableParallelism(), 8);
  if (size <= 1 || !existsSync(WORKER_FILE)) return new InlinePool(new Detector(options));
  const eager = threads !== undefined ? expectedBytes >= SMALL_SCAN_BYTES : expectedBytes >= EAGER_SCAN_BYTES;
  return eager ? new WorkerPool(options, size) : new GrowingPool(options, size, GROW_AFTER_BYTES);
}

/** Where a scan was matched, for SECRETSCAN_DEBUG. */
export function describePool(pool: DetectorPool): string {
  if (pool instanceof GrowingPool) return pool.grown ? `matched on this thread, then on workers (${pool.threaded ? 'ready' : 'not ready before the end'})` : 'matched on this thread';
  return pool.threaded ? 'matched on worker threads' : 'matched on this thread';
}

/**
 * Matches on this thread until `growAfter` bytes are matched, then starts `size` workers and hands
 * them the work once every one is ready (its detector built); until then this thread goes on
 * matching, so no time is lost waiting for them. A scan that ends before that never starts one.
 */
export class GrowingPool implements DetectorPool {
  private inline: InlinePool | null;
  private workers: WorkerPool | null = null;
  private ready = false;
  private matched = 0;

  constructor(
    private readonly options: DetectorOptions,
    private readonly size: number,
    private readonly growAfter: number,
    private readonly makeWorkers: (options: DetectorOptions, size: number) => WorkerPool = (o, n) => new WorkerPool(o, n),
  ) {
    this.inline = new InlinePool(new Detector(options));
  }

  /** True once the workers take the work: from then on the pipeline packs chunks into batches. */
  get threaded(): boolean {
    return this.ready;
  }

  /** Whether workers were started (tests, debug). */
  get grown(): boolean {
    return this.workers !== null;
  }

  private note(results: FileScanResult[]): void {
    for (const r of results) this.matched += r.bytes;
    if (this.workers || this.matched < this.growAfter) return;
    try {
      const workers = this.makeWorkers(this.options, this.size);
      this.workers = workers;
      void workers.ready.then(() => {
        this.ready = true;
        // This thread's detector is not used again: its RE2 programs and tables can go.
        this.inline = null;
      });
    } catch {
      // No workers (out of threads or memory): the scan goes on here.
    }
  }

  /**
   * Whether the workers take this request. While they start, first a turn of the event loop:
   * matching here runs from one resolved promise to the next, and without a turn their "ready"
   * messages would wait until the scan is over.
   */
  private async toWorkers(): Promise<boolean> {
    if (this.workers && !this.ready) await new Promise<void>((resolve) => setImmediate(resolve));
    return this.ready;
  }

  /** This thread's pool: held until the workers are ready, and only asked before (see toWorkers). */
  private here(): InlinePool {
    return this.inline!;
  }

  async scanFiles(absPaths: (string | Uint8Array)[], maxBytes: number, relPaths?: string[]) {
    if (await this.toWorkers()) return this.workers!.scanFiles(absPaths, maxBytes, relPaths);
    const results = await this.here().scanFiles(absPaths, maxBytes, relPaths);
    this.note(results);
    return results;
  }

  async scanBytes(bytes: Buffer, path?: string, plain = false) {
    if (await this.toWorkers()) return this.workers!.scanBytes(bytes, path, plain);
    const result = await this.here().scanBytes(bytes, path, plain);
    this.note([result]);
    return result;
  }

  async scanBatch(batch: ChunkBatch) {
    if (await this.toWorkers()) return this.workers!.scanBatch(batch);
    const results = await this.here().scanBatch(batch);
    this.note(results);
    return results;
  }

  async close() {
    await this.workers?.close();
  }
}
