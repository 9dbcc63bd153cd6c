// One scan pipeline for every source: the bounded queue, the detector pool, skips, allow-paths, counts and the result.
import { Detector } from '../detect/detector.js';
import type { FileScanResult } from '../detect/file-scan.js';
import { ChunkBatch, createPool, describePool, type DetectorPool } from '../detect/pool.js';
import { WindowScanner } from '../detect/windows.js';
import { UserError } from '../errors.js';
import type { LocatedMatch } from '../findings/group.js';
import type { ScanResult, Skipped } from '../types.js';
import { applyAllowlist, assembleResult, type ScanSetup } from './engine.js';
import type { BytesChunk, Chunk, Emit, FileChunk, Source } from './source.js';

/** Chunks being matched at once, and their bytes: enough to keep every worker busy, bounded. */
export interface QueueLimits {
  chunks: number;
  bytes: number;
}

export const DEFAULT_LIMITS: QueueLimits = { chunks: 512, bytes: 64 * 1024 * 1024 };

/** Files per worker message: small files cost more in messages than in matching. */
const FILES_PER_MESSAGE = 64;
/** Byte chunks per worker message, and the size of the buffer they are packed into. */
const CHUNKS_PER_MESSAGE = 64;
const BATCH_BYTES = 256 * 1024;
const NO_BYTES = Buffer.alloc(0);

export interface PipelineProgress {
  /** Chunks matched (or found unreadable), and bytes matched, so far. */
  chunks: number;
  bytes: number;
}

export interface PipelineOptions {
  threads?: number;
  limits?: Partial<QueueLimits>;
  /** After each message of chunks is matched. */
  onMatched?: (p: PipelineProgress) => void;
  /** When the scan started (performance.now()), if before the pipeline (a directory's listing): the result's duration counts from it. */
  started?: number;
}

/** What the pipeline keeps while chunks are matched: found matches, skips, suppressions, counts. */
export class Collector<F> {
  readonly found: F[] = [];
  readonly skipped: Skipped[] = [];
  readonly suppressed: Record<string, number> = {};
  /** Chunks settled (matched or skipped), and the files and bytes matched. */
  chunks = 0;
  files = 0;
  bytes = 0;
  constructor(
    private readonly setup: ScanSetup,
    readonly started = performance.now(),
  ) {}

  allowed(n = 1): void {
    if (n > 0) this.suppressed['allow-path'] = (this.suppressed['allow-path'] ?? 0) + n;
  }

  /** Whether the config's allow-paths leave the chunk out (then counted). */
  allows(chunk: Chunk<F>): boolean {
    if (chunk.allowAt === undefined || !this.setup.allowlist.pathAllowed(chunk.allowAt)) return false;
    this.allowed();
    return true;
  }

  /** A chunk's result: its skip reported, its size counted, its matches placed. A short read still reports what was read. */
  settle(chunk: Chunk<F>, r: FileScanResult, before?: FileScanResult): void {
    this.chunks++;
    if (r.skipped) this.skipped.push({ path: chunk.skipAt ?? chunk.path, ...r.skipped });
    if (r.skipped && r.skipped.reason !== 'short-read') return;
    if (chunk.counted !== false) {
      this.files++;
      this.bytes += r.bytes;
    }
    if (chunk.locate) {
      for (const f of chunk.locate(r.matches, r, before)) this.found.push(f);
    } else {
      const origin = chunk.origin ? { origin: chunk.origin } : {};
      for (const m of r.matches) this.found.push({ ...m, path: chunk.path, ...origin } as F);
    }
  }

  /** The result every scan returns: what the source made of its matches, the allowlists applied, findings grouped by secret. */
  async result(source: Source<F>): Promise<ScanResult> {
    const located = source.finish ? await source.finish(this.found) : (this.found as unknown as LocatedMatch[]);
    return this.assemble(source, located);
  }

  /** As result(), for a source without an asynchronous finish (one in-memory chunk). */
  resultNow(source: Source<F>): ScanResult {
    return this.assemble(source, this.found as unknown as LocatedMatch[]);
  }

  private assemble(source: Source<F>, located: LocatedMatch[]): ScanResult {
    const kept = source.settle ? source.settle(located, this.suppressed) : applyAllowlist(this.setup, located, this.suppressed);
    return assembleResult(this.setup, source.target, kept, this.skipped, this.suppressed, { files: this.files, bytes: this.bytes }, this.started);
  }
}

/** A chunk waiting in a packed batch, with where its bytes (and its previous version's) lie. */
interface Packed<F> {
  chunk: BytesChunk<F>;
  at: number;
  before?: number;
}

/**
 * Runs a source through the detector pool: chunks queue in messages (files by name, bytes packed
 * into one transferred buffer), at most `limits` chunks and bytes in flight, and every result goes
 * through one Collector. Returns the scan's result, with the source's finish and settle applied.
 */
export async function runScan<F = LocatedMatch>(source: Source<F>, setup: ScanSetup, options: PipelineOptions = {}): Promise<ScanResult> {
  const collector = new Collector<F>(setup, options.started);
  const expected = await source.expectedBytes();
  const pool = createPool(setup.detector, expected, options.threads);
  try {
    await runChunks(source, setup, pool, collector, options);
  } finally {
    if (process.env.SECRETSCAN_DEBUG) process.stderr.write(`secretscan: debug: ${describePool(pool)} (about ${(expected / 2 ** 20).toFixed(1)} MB expected)\n`);
    // Workers go before the source finishes: what finishing holds (git's HEAD tree) does not share memory with them.
    await pool.close();
  }
  return collector.result(source);
}

/** As runScan, on a pool the caller owns (and closes). */
export async function runOnPool<F = LocatedMatch>(source: Source<F>, setup: ScanSetup, pool: DetectorPool, options: PipelineOptions = {}): Promise<ScanResult> {
  const collector = new Collector<F>(setup, options.started);
  await runChunks(source, setup, pool, collector, options);
  return collector.result(source);
}

async function runChunks<F>(source: Source<F>, setup: ScanSetup, pool: DetectorPool, collector: Collector<F>, options: PipelineOptions): Promise<void> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const running = new Set<Promise<void>>();
  let inChunks = 0;
  let inBytes = 0;
  const progress = () => options.onMatched?.({ chunks: collector.chunks, bytes: collector.bytes });

  /** Starts a job, then waits while the queue is full. */
  const dispatch = async (chunks: number, bytes: number, job: () => Promise<void>) => {
    inChunks += chunks;
    inBytes += bytes;
    const p: Promise<void> = job().finally(() => {
      running.delete(p);
      inChunks -= chunks;
      inBytes -= bytes;
    });
    p.catch(() => {}); // awaited below; a failure is not unhandled meanwhile
    running.add(p);
    while (inChunks >= limits.chunks || inBytes >= limits.bytes) await Promise.race(running);
  };

  let files: FileChunk<F>[] = [];
  const flushFiles = async () => {
    if (files.length === 0) return;
    const batch = files;
    files = [];
    const maxBytes = batch[0]!.maxBytes;
    await dispatch(batch.length, 0, async () => {
      const results = await pool.scanFiles(batch.map((f) => f.file), maxBytes, batch.map((f) => f.path));
      results.forEach((r, i) => collector.settle(batch[i]!, r));
      progress();
    });
  };

  let packed: Packed<F>[] = [];
  let batch: ChunkBatch | null = null;
  const flushBytes = async () => {
    if (!batch || packed.length === 0) return;
    const sent = batch;
    const entries = packed;
    batch = null;
    packed = [];
    await dispatch(entries.length, sent.arrayBuffer.byteLength, async () => {
      const results = await pool.scanBatch(sent);
      for (const e of entries) collector.settle(e.chunk, results[e.at]!, e.before === undefined ? undefined : results[e.before]);
      progress();
    });
  };
  const pack = async (c: BytesChunk<F>) => {
    const need = c.bytes.length + (c.before?.length ?? 0);
    // Sources may emit from two walks at once (an image's layers): while this one waited for a
    // flush, the other may have started and filled the next batch, so the room is checked again.
    while (batch && (batch.bytes + need > BATCH_BYTES || batch.size + 2 > CHUNKS_PER_MESSAGE)) await flushBytes();
    batch ??= new ChunkBatch(Math.max(BATCH_BYTES, need));
    const at = batch.add(c.bytes, c.path, c.plain)!;
    const before = c.before ? batch.add(c.before, c.path)! : undefined;
    // The bytes are copied and never read again (see BytesChunk): let them go now, not when the
    // batch is answered. A layer file's bytes are a view of the decompressor's 1 MiB chunk, and
    // 64 MB in flight would hold up to as much again in such chunks.
    c.bytes = NO_BYTES;
    delete c.before;
    packed.push({ chunk: c, at, ...(before !== undefined ? { before } : {}) });
    if (batch.size >= CHUNKS_PER_MESSAGE) await flushBytes();
  };

  const emit: Emit<F> = {
    chunk: async (c) => {
      if (collector.allows(c)) return;
      if (c.kind === 'file') {
        while (files.length > 0 && files[0]!.maxBytes !== c.maxBytes) await flushFiles();
        files.push(c);
        if (files.length >= FILES_PER_MESSAGE) await flushFiles();
        return;
      }
      if (pool.threaded) return pack(c);
      // On this thread the chunk is matched now, while its bytes are the source's to lend.
      const now = pool.scanBytes(c.bytes, c.path, c.plain);
      const earlier = c.before ? pool.scanBytes(c.before, c.path) : undefined;
      await dispatch(1, 0, async () => {
        collector.settle(c, await now, await earlier);
        progress();
      });
    },
    skip: (s) => collector.skipped.push(s),
    found: (list) => {
      for (const f of list) collector.found.push(f);
    },
    allowed: (n) => collector.allowed(n),
  };

  try {
    await source.run(emit);
    await flushFiles();
    await flushBytes();
    await Promise.all(running);
  } finally {
    await Promise.allSettled(running);
  }
}

/**
 * Matches a stream as it arrives, on this thread, in bounded windows: memory stays at one window
 * whatever the input's size. Past `limit` bytes the scan stops with an error (nothing is reported).
 * The bytes read count even when the input turns out binary (then skipped).
 */
export async function runStream(stream: NodeJS.ReadableStream, label: string, setup: ScanSetup, limit: number): Promise<ScanResult> {
  const collector = new Collector<LocatedMatch>(setup);
  const scanner = new WindowScanner(new Detector(setup.detector), undefined, label);
  let total = 0;
  for await (const c of stream) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    total += chunk.length;
    if (total > limit) {
      throw new UserError(`standard input is over the max-file-size limit of ${limit} bytes`, 'raise it with --max-file-size, or leave it unset to scan input of any size');
    }
    scanner.push(chunk);
  }
  const r = scanner.finish();
  if (r.binary) {
    collector.skipped.push({ path: label, reason: 'binary' });
    collector.bytes += r.bytes;
  } else collector.settle({ kind: 'bytes', path: label, bytes: Buffer.alloc(0) }, { matches: r.matches, bytes: r.bytes });
  return collector.resultNow({ target: label, expectedBytes: () => 0, run: async () => {} });
}
