import { PassThrough, Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { looksBinary } from '../../detect/binary.js';
import type { Skipped } from '../../types.js';

/** Bounds on what a walk reads into memory and how deep it opens archives inside archives. */
export interface WalkLimits {
  /** Larger files are skipped (and reported), never buffered. */
  maxFileSize: number;
  /** Archives inside a layer are opened to this depth (1: archives in the layer; 2: and in those). */
  maxDepth: number;
  /** A zip must be held whole to be read (its directory is at the end): at most this many bytes. */
  maxZipSize: number;
  /** Bytes expanded from one archive in a layer, all depths: past this it stops (zip bombs). */
  maxExpanded: number;
}

export const DEFAULT_LIMITS: Omit<WalkLimits, 'maxFileSize'> = { maxDepth: 2, maxZipSize: 64 * 1024 * 1024, maxExpanded: 1024 * 1024 * 1024 };

/** Where a walk sends what it finds. */
export interface WalkSink {
  /** A file to scan; `outer` is its path in the layer (the archive, for archive members). Waits when the scanner is full. */
  file(path: string, outer: string, bytes: Buffer): Promise<void>;
  skip(path: string, reason: Skipped['reason'], detail?: string): void;
}

/** A tar entry's name as a path: no leading ./ or /, no trailing /. */
export function entryName(name: string): string {
  return name.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
}

/** A tar-stream entry (a streamx Readable), as far as this file uses it. */
interface TarEntryStream {
  on(event: 'data', fn: (d: Buffer) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  on(event: 'close', fn: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

type ArchiveKind = 'tar' | 'tar.gz' | 'zip' | 'gz';

export function archiveKind(name: string): ArchiveKind | null {
  const lower = name.toLowerCase();
  if (/\.(tar\.gz|tgz)$/.test(lower)) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  if (/\.(zip|jar|war|ear|aar|whl|nupkg)$/.test(lower)) return 'zip';
  if (lower.endsWith('.gz')) return 'gz';
  return null;
}

/** The kind of archive a file at `path` is, if it is one and archives are still opened at `depth`. */
function archiveToOpen(path: string, depth: number, limits: WalkLimits): ArchiveKind | null {
  return depth < limits.maxDepth ? archiveKind(path) : null;
}

type Read = { kind: 'bytes'; bytes: Buffer } | { kind: 'binary'; size: number } | { kind: 'too-large'; size: number };

/**
 * Collects a file's bytes into one buffer as they come, unless its first 8 KiB hold a NUL (binary:
 * the rest is drained, never buffered) or it is over `limit`.
 */
class BoundedRead {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private checked: boolean;
  private verdict: Read | null = null;

  constructor(
    private readonly limit: number,
    sniffBinary: boolean,
  ) {
    this.checked = !sniffBinary;
  }

  add(raw: Buffer | Uint8Array): void {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
    this.total += chunk.length;
    if (this.verdict) return; // draining
    this.chunks.push(chunk);
    if (this.total > this.limit) {
      this.verdict = { kind: 'too-large', size: this.total };
      this.chunks.length = 0;
      return;
    }
    if (!this.checked && this.total >= 8192) {
      this.checked = true;
      if (looksBinary(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks))) {
        this.verdict = { kind: 'binary', size: this.total };
        this.chunks.length = 0;
      }
    }
  }

  finish(): Read {
    const total = this.total;
    if (this.verdict) return this.verdict.kind === 'too-large' ? { kind: 'too-large', size: total } : { kind: 'binary', size: total };
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, total);
    if (!this.checked && looksBinary(bytes)) return { kind: 'binary', size: total };
    return { kind: 'bytes', bytes };
  }
}

/** Reads a stream of `size` bytes (size may be unknown: -1) as BoundedRead does; one over `limit` by its size is drained unread. */
async function readBounded(stream: AsyncIterable<Buffer | Uint8Array>, size: number, limit: number, sniffBinary = true): Promise<Read> {
  if (size > limit) {
    for await (const _ of stream) void _;
    return { kind: 'too-large', size };
  }
  const read = new BoundedRead(limit, sniffBinary);
  for await (const raw of stream) read.add(raw);
  return read.finish();
}

/**
 * A tar entry read as readBounded reads a stream, from the entry's own events: no stream and no
 * async iterator made per file. On an image's 140k files those cost the main thread ~2.5 s
 * (a PassThrough, its listeners and an iterator's promises per entry).
 */
function readEntry(entry: TarEntryStream, size: number, limit: number, sniffBinary = true): Promise<Read> {
  return new Promise<Read>((resolve, reject) => {
    const over = size > limit;
    const read = new BoundedRead(limit, sniffBinary);
    let ended = false;
    entry.on('data', (d) => {
      if (!over) read.add(d);
    });
    entry.on('end', () => {
      ended = true;
      resolve(over ? { kind: 'too-large', size } : read.finish());
    });
    entry.on('error', reject);
    // An entry destroyed without an error (its archive torn down) must not leave the walk waiting.
    entry.on('close', () => {
      if (!ended) reject(new Error('the archive closed inside a file'));
    });
  });
}

/** The state of one top-level archive's expansion, shared by everything nested in it. */
interface ArchiveBudget {
  expanded: number;
  binary: number;
}

export interface TarEntryInfo {
  name: string;
  type: tar.Header['type'];
}

/**
 * Walks a stream of tar bytes: each regular file is read (bounded) and handed to the sink;
 * archives in it are opened to the depth allowed. `onEntry` sees every entry of this tar (the
 * layer walker uses it to track whiteouts). `prefix` is '' for a layer, `…/app.tar.gz!` inside.
 */
export async function walkTar(
  input: Readable,
  prefix: string,
  outer: string | null,
  depth: number,
  limits: WalkLimits,
  sink: WalkSink,
  onEntry?: (entry: TarEntryInfo) => void,
  budget?: ArchiveBudget,
): Promise<void> {
  const extract = tar.extract();
  input.on('error', (e) => extract.destroy(e));
  // A stage destroyed without an error event still must not leave the walk waiting forever.
  input.on('close', () => {
    if (!input.readableEnded) extract.destroy(input.errored ?? new Error('the stream closed before its end'));
  });
  input.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) {
      const name = entryName(entry.header.name);
      const type = entry.header.type;
      onEntry?.({ name, type });
      const path = `${prefix}/${name}`;
      const whiteout = depth === 0 && name.split('/').pop()!.startsWith('.wh.');
      if ((type !== 'file' && type !== 'contiguous-file') || name === '' || whiteout) {
        entry.resume();
        continue;
      }
      const size = entry.header.size ?? -1;
      if (heldGzip(path, size, depth, limits)) {
        let held: Read;
        try {
          held = await readEntry(entry as unknown as TarEntryStream, size, HELD_GZIP, false);
        } catch (e) {
          // The archive ended inside it: said of the .gz as a streamed one says it, then the walk fails.
          unreadableArchive(sink, path, 'gz', e);
          throw e;
        }
        if (held.kind === 'bytes') await gunzipHeld(held.bytes, path, outer ?? path, depth, limits, sink, budget);
        else await handleRead(held, path, outer ?? path, limits, sink, budget);
        continue;
      }
      // A file that is no archive to open is read from the entry itself (see readEntry).
      if (archiveToOpen(path, depth, limits)) await handleFile(adopt(entry as unknown as TarEntryStream), size, path, outer ?? path, depth, limits, sink, budget);
      else await handleRead(await readEntry(entry as unknown as TarEntryStream, size, limits.maxFileSize), path, outer ?? path, limits, sink, budget);
    }
  } finally {
    input.unpipe(extract as unknown as NodeJS.WritableStream);
  }
}

/** Compressed size up to which a .gz file in a tar is inflated in one call (see gunzipHeld). */
const HELD_GZIP = 1024 * 1024;

/** The path a .gz file's content gets: `x.gz!/x`. */
function gzipInner(path: string): string {
  return `${path}!/${path.replace(/\.gz$/i, '').split('/').pop()!}`;
}

/**
 * Up to this file size limit a held .gz file is inflated in one call: the call blocks this thread
 * and holds its output until the limit (a bomb of under 1 MiB inflates to any limit), so past it
 * every .gz goes the streaming way.
 */
const HELD_GZIP_LIMIT = 64 * 1024 * 1024;

/** Whether a tar entry is a small .gz file of one plain file, for gunzipHeld (exported for tests). */
export function heldGzip(path: string, size: number, depth: number, limits: WalkLimits): boolean {
  return (
    size >= 0 &&
    size <= HELD_GZIP &&
    limits.maxFileSize >= 1 &&
    limits.maxFileSize <= HELD_GZIP_LIMIT &&
    archiveToOpen(path, depth, limits) === 'gz' &&
    !archiveToOpen(gzipInner(path), depth + 1, limits)
  );
}

/**
 * The output chunk for inflating a held .gz file: the size its trailer gives (ISIZE, the input's
 * size modulo 2^32), so that one chunk takes it all, between 4 KiB and 1 MiB, and never more than
 * deflate can make of the input (1,032 to 1). Only a hint: a trailer that lies (zlib accepts
 * bytes after the member) costs more chunks or a larger one, never a larger output
 * (maxOutputLength bounds that). Over /usr/share's 26,000 .gz files: ~860 ms against ~1,010 with
 * 64 KiB chunks.
 */
function heldChunkSize(bytes: Buffer): number {
  const size = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : 0;
  return Math.min(1024 * 1024, bytes.length * 1032 + 64, Math.max(4096, size + 64));
}

/**
 * A small .gz file (a man page, a changelog) read whole, then inflated in one call on this
 * thread, its output bounded by the file size limit. A Debian layer holds ~24,000 of them, and a
 * gunzip stream each cost a libuv round trip per chunk, the stream machinery and their garbage:
 * ~8 CPU-s of ~16 for such a layer's walk. What that call cannot take (an inflated file over the
 * limit, corrupt or truncated data) goes the streaming way from the held bytes, so the report
 * says the same as for a large .gz.
 */
async function gunzipHeld(bytes: Buffer, path: string, outer: string, depth: number, limits: WalkLimits, sink: WalkSink, budget: ArchiveBudget | undefined): Promise<void> {
  let inflated: Buffer;
  try {
    inflated = gunzipSync(bytes, { maxOutputLength: limits.maxFileSize, chunkSize: heldChunkSize(bytes) });
  } catch {
    await handleFile(Readable.from([bytes], { objectMode: false }), bytes.length, path, outer, depth, limits, sink, budget);
    return;
  }
  const read: Read = looksBinary(inflated) ? { kind: 'binary', size: inflated.length } : { kind: 'bytes', bytes: inflated };
  await inArchive('gz', path, sink, budget, (own) => handleRead(read, gzipInner(path), outer, limits, sink, own));
}

/**
 * A tar entry as a Node stream. Destroying a tar-stream entry destroys its whole archive, so
 * when a reader gives up on an entry (a broken archive inside), the entry is drained instead.
 */
function adopt(entry: TarEntryStream): Readable {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  entry.on('data', (d: Buffer) => {
    if (!out.destroyed && !out.write(d)) entry.pause();
  });
  out.on('drain', () => entry.resume());
  out.on('close', () => entry.resume());
  entry.on('end', () => out.end());
  entry.on('error', (e: Error) => out.destroy(e));
  return out;
}

/** One file of a layer or an archive: an archive to open, or bytes to scan. */
async function handleFile(
  stream: Readable,
  size: number,
  path: string,
  outer: string,
  depth: number,
  limits: WalkLimits,
  sink: WalkSink,
  budget: ArchiveBudget | undefined,
): Promise<void> {
  const kind = archiveToOpen(path, depth, limits);
  if (kind) {
    await inArchive(kind, path, sink, budget, (own) => openArchive(kind, stream, size, path, outer, depth, limits, sink, own), () => stream.destroy());
    return;
  }
  await handleRead(await readBounded(stream, size, limits.maxFileSize), path, outer, limits, sink, budget);
}

/** An archive at `path` that could not be read to its end, said so. */
function unreadableArchive(sink: WalkSink, path: string, kind: ArchiveKind, error: unknown): void {
  sink.skip(path, 'unreadable', `not a readable ${kind} archive: ${(error as Error).message}`);
}

/**
 * Reads what an archive at `path` holds with `open`, under the budget of the top-level archive it
 * is in (its own when it is one): what fails makes it unreadable (then `onError`), and a
 * top-level archive's binary files inside are told in one skip.
 */
async function inArchive(kind: ArchiveKind, path: string, sink: WalkSink, budget: ArchiveBudget | undefined, open: (own: ArchiveBudget) => Promise<void>, onError?: () => void): Promise<void> {
  const own = budget ?? { expanded: 0, binary: 0 };
  try {
    await open(own);
  } catch (e) {
    unreadableArchive(sink, path, kind, e);
    onError?.();
  }
  if (!budget && own.binary > 0) sink.skip(path, 'binary', `${own.binary} binary file${own.binary === 1 ? '' : 's'} inside, not scanned`);
}

/** A file read (see BoundedRead): its bytes to the sink, or why not. */
async function handleRead(read: Read, path: string, outer: string, limits: WalkLimits, sink: WalkSink, budget: ArchiveBudget | undefined): Promise<void> {
  if (budget) {
    budget.expanded += read.kind === 'bytes' ? read.bytes.length : read.size;
    if (budget.expanded > limits.maxExpanded) throw new Error(`expanded past ${limits.maxExpanded} bytes; stopped (an archive bomb?)`);
  }
  if (read.kind === 'bytes') await sink.file(path, outer, read.bytes);
  else if (read.kind === 'too-large') sink.skip(path, 'too-large', `${read.size} bytes > limit ${limits.maxFileSize}`);
  else if (budget) budget.binary++;
  else sink.skip(path, 'binary');
}

async function openArchive(
  kind: ArchiveKind,
  readable: Readable,
  size: number,
  path: string,
  outer: string,
  depth: number,
  limits: WalkLimits,
  sink: WalkSink,
  budget: ArchiveBudget,
): Promise<void> {
  if (kind === 'tar' || kind === 'tar.gz') {
    const bytes = kind === 'tar.gz' ? readable.pipe(createGunzip()) : readable;
    if (kind === 'tar.gz') readable.on('error', (e) => bytes.destroy(e));
    await walkTar(bytes, `${path}!`, outer, depth + 1, limits, sink, undefined, budget);
    return;
  }
  if (kind === 'gz') {
    const gunzip = readable.pipe(createGunzip());
    readable.on('error', (e) => gunzip.destroy(e));
    await handleFile(gunzip, -1, gzipInner(path), outer, depth + 1, limits, sink, budget);
    return;
  }
  // zip: its central directory is at the end, so the whole archive is held (bounded).
  const read = await readBounded(readable, size, limits.maxZipSize, false);
  if (read.kind !== 'bytes') {
    sink.skip(path, 'too-large', `archive of ${read.size} bytes > limit ${limits.maxZipSize}`);
    return;
  }
  await walkZip(read.bytes, path, outer, depth, limits, sink, budget);
}

async function walkZip(buf: Buffer, path: string, outer: string, depth: number, limits: WalkLimits, sink: WalkSink, budget: ArchiveBudget): Promise<void> {
  const zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const member = `${path}!/${entry.fileName.replace(/^\/+/, '')}`;
      if (entry.isEncrypted()) {
        sink.skip(member, 'unreadable', 'encrypted zip entry');
        continue;
      }
      const nested = archiveToOpen(member, depth + 1, limits);
      const cap = nested === 'zip' ? limits.maxZipSize : nested ? Infinity : limits.maxFileSize;
      if (entry.uncompressedSize > cap) {
        sink.skip(member, 'too-large', `${entry.uncompressedSize} bytes > limit ${cap}`);
        continue;
      }
      const content = await zip.openReadStreamPromise(entry);
      await handleFile(content, entry.uncompressedSize, member, outer, depth + 1, limits, sink, budget);
    }
  } finally {
    zip.close();
  }
}
