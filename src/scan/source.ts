// The contract every scan source meets: it emits chunks to match and skipped items; the pipeline does the rest.
import type { FileScanResult } from '../detect/file-scan.js';
import type { LocatedMatch } from '../findings/group.js';
import type { Match, Origin, Skipped } from '../types.js';

/** What a chunk's matches become: by default each match at the chunk's path, with its origin. */
export type Locate<F> = (matches: Match[], result: FileScanResult, before: FileScanResult | undefined) => F[];

interface ChunkCommon<F> {
  /** Path reported and shown to path-scoped rules: relative to the scan root, inside the image, or a label. */
  path: string;
  origin?: Origin;
  /**
   * Absolute path the config's allow-paths are tested against: the pipeline drops (and counts)
   * the chunk when one allows it. Unset: the source has already applied allow-paths.
   */
  allowAt?: string;
  /** Where a skip of this chunk is reported (default `path`): a blob names its commit too. */
  skipAt?: string;
  /** Whether the chunk counts in the scan's files and bytes (default true). */
  counted?: boolean;
  /** Replaces the default placing of matches (git history keeps the commit, staged keeps added lines…). */
  locate?: Locate<F>;
}

/** Bytes in memory (a blob, a layer file, a config field, standard input). */
export interface BytesChunk<F> extends ChunkCommon<F> {
  kind: 'bytes';
  /** Read by the pipeline when the chunk is emitted, never after: the source may reuse it once `emit` returns. */
  bytes: Buffer;
  /**
   * Bytes whose matches are not new here (git: the same stretch of a previous version outside the
   * scanned commits): matched beside `bytes`, and handed to `locate` as `before`.
   */
  before?: Buffer;
  /**
   * Text that is no file (commit messages): matched as is, with no binary or UTF-16 check and no
   * path for path-scoped rules (see scanChunk). Packed into the workers' batches like other
   * chunks when the scan is threaded (matched on the main thread, curl's 39,573 messages cost it
   * 0.5 s of a history scan the main thread already limits).
   */
  plain?: boolean;
}

/** A file a worker opens and reads itself (a directory scan): bounded reads, UTF-16 and binary checks. */
export interface FileChunk<F> extends ChunkCommon<F> {
  kind: 'file';
  /** Absolute path; bytes when the name is not valid UTF-8. */
  file: string | Uint8Array;
  /** Larger files are skipped as too large (Infinity: scanned in windows). */
  maxBytes: number;
}

export type Chunk<F = LocatedMatch> = BytesChunk<F> | FileChunk<F>;

/** What a source is given to emit with. */
export interface Emit<F = LocatedMatch> {
  /** Queues a chunk; resolves once there is room for more (the queue is bounded in chunks and bytes). */
  chunk(c: Chunk<F>): Promise<void>;
  /** Something that was not matched, and why. */
  skip(s: Skipped): void;
  /** Matches found without matching bytes (imported path-only rules, which report a file by name). */
  found(list: F[]): void;
  /** Counts a path the config's allow-paths left out, for a source that applies them itself. */
  allowed(n?: number): void;
}

/**
 * A source of bytes to scan: a directory, git history, the staged index, an image, standard input.
 * It emits chunks and skips, then may finish its matches once every chunk is matched (git: earliest
 * commit per path and still-at-HEAD; image: overlay visibility), and may settle them against the
 * user's allowlists in its own order (git applies .gitleaksignore entries after choosing the earliest).
 */
export interface Source<F = LocatedMatch> {
  /** What the result names as scanned. */
  readonly target: string;
  /** Bytes the scan is expected to read: worker threads start only for large scans (0: match on this thread). */
  expectedBytes(): Promise<number> | number;
  /** Emits every chunk and skip; the pipeline waits on each `chunk` for room. */
  run(emit: Emit<F>): Promise<void>;
  /** Turns what was found into located matches, once every chunk is matched. */
  finish?(found: F[]): Promise<LocatedMatch[]> | LocatedMatch[];
  /** Applies the allowlists, counting what they suppress (default: applyAllowlist). */
  settle?(located: LocatedMatch[], suppressed: Record<string, number>): LocatedMatch[];
}
