import { looksBinary } from '../detect/binary.js';
import { inShard, type Shard } from '../core/shard.js';
import type { Skipped } from '../types.js';
import { BlobReader } from './git-blobs.js';
import { walkHistory, type CommitInfo } from './git-log.js';
import { changedRegion, changedRegions, type Region } from './git-region.js';
import type { GitRepo } from './git-repo.js';
import { VersionCache } from './git-version-cache.js';

/** One distinct file content (blob) of the history, and where it first appeared. */
export interface BlobRecord {
  oid: string;
  /** The earliest commit (in the walk's oldest-first order) that added it, and at which path. */
  commit: CommitInfo;
  path: string;
  /** How many commits added this exact content (at any path), and at how many distinct paths. */
  commits: number;
  paths: number;
  /** The previous version of the file where it first appeared, when there was one. */
  previous: string | null;
  /** Whether that previous version is itself scanned in this walk (else it is read for context only). */
  previousScanned: boolean;
  lastCommit: number;
  otherPaths?: Set<string>;
}

/** Bytes to match, and how to place what is found in them. */
export type HistoryChunk =
  | {
      kind: 'blob';
      record: BlobRecord;
      /**
       * The blob, or the part of it that changed since its previous version (whole lines). A view
       * into the reader's buffers: valid until the next chunk is asked for.
       */
      bytes: Buffer;
      /**
       * Where `bytes` starts in the blob. Lines found in `bytes` are counted from there: the lines
       * before it are counted only for what is found, by reading that blob again (most chunks hold
       * no secret, and the blob's bytes are not kept).
       */
      start: number;
      /**
       * The same stretch of the previous version, when that version is outside the scanned
       * commits (a range): what is found there too was not introduced by these commits. A view
       * into the version cache, valid until the next chunk is asked for.
       */
      before?: Buffer;
      /**
       * Where the blob changed in several places: the parts of `bytes` to match instead of all
       * of it (the stretches between them are the same in the previous version, which was
       * matched). `bytes` still decides whether the blob is binary, as for one region.
       */
      parts?: { bytes: Buffer; start: number }[];
    }
  | {
      kind: 'message';
      commit: CommitInfo;
      /** The commit's full message. */
      bytes: Buffer;
    };

export interface HistoryOptions {
  /** git log revision arguments: ['--all'], ['A..B'], ['main', '--since=2024-01-01']… */
  revisions: string[];
  maxBytes: number;
  /** Match every blob whole instead of the part that changed since the file's previous version. */
  wholeBlobs: boolean;
  /** Paths (relative to the repository root) whose files are not read: the config's allow-paths. */
  pathAllowed(path: string): boolean;
  /**
   * Read and yield only this shard's blobs: those first seen at a path of the shard. The walk
   * itself stays whole, so every blob keeps its first commit, its counts and its previous version
   * whichever shard matches it. By path, not by blob id: a secret is reported once per path, at
   * the earliest commit, and only a shard that sees every version of a path can tell which.
   * For the same reason all commit messages go to one shard.
   */
  shard?: Shard;
}

/**
 * A blob read only to find what changed in a later version: one outside the scanned commits, or,
 * when sharded, one that another shard matches (`scannedElsewhere`).
 */
interface ContextRequest {
  context: string;
  scannedElsewhere: boolean;
}

/** What assigns commit messages to a shard: one name, so that one shard matches them all. */
const MESSAGES_SHARD_KEY = '<commit messages>';

/** Bytes of context kept around a change (then widened to whole lines). */
export const REGION_MARGIN = 1024;
const SMALL_BLOB = 4 * REGION_MARGIN;
const CACHE_BYTES = 256 * 1024 * 1024;

/**
 * Every blob reachable from the given revisions, each read once, and every commit message.
 *
 * A `git log --raw` walk (trees only, oldest first) finds, for each distinct blob, the first
 * commit and path that introduced it; the blob ids stream meanwhile into one `git cat-file
 * --batch`, in that order. A blob that is a new version of a file is matched only where it differs
 * from the previous version (held in a bounded cache): its unchanged bytes were matched when that
 * previous version was. So a secret is found in the commit that introduced it, once, however
 * many later versions carry it.
 */
export class GitHistorySource {
  readonly blobs = new Map<string, BlobRecord>();
  readonly skipped: Skipped[] = [];
  /** File changes at allow-listed paths, not read. */
  allowedPaths = 0;
  commits = 0;
  blobsRead = 0;
  bytesRead = 0;
  walkDone = false;

  constructor(
    private readonly repo: GitRepo,
    private readonly options: HistoryOptions,
  ) {}

  async *chunks(): AsyncGenerator<HistoryChunk> {
    const { repo, options } = this;
    const reader = new BlobReader(repo, options.maxBytes);
    const cache = new VersionCache(CACHE_BYTES);
    // What each answer of cat-file is for, in request order: a blob to scan, or context only.
    const requests: (BlobRecord | ContextRequest | undefined)[] = [];
    let next = 0;
    const contextAsked = new Set<string>();
    const ready: HistoryChunk[] = [];

    const stopWalk = new AbortController();
    const walk = walkHistory(repo, options.revisions, stopWalk.signal, {
      commit: (c, message) => {
        this.commits++;
        if (message.length > 0 && inShard(options.shard, MESSAGES_SHARD_KEY)) ready.push({ kind: 'message', commit: c, bytes: message });
      },
      change: (ch) => {
        if (options.pathAllowed(ch.path)) {
          if (inShard(options.shard, ch.path)) this.allowedPaths++;
          return;
        }
        const seen = this.blobs.get(ch.blob);
        if (seen) {
          if (seen.lastCommit !== ch.commit.index) {
            seen.commits++;
            seen.lastCommit = ch.commit.index;
          }
          if (ch.path !== seen.path && !seen.otherPaths?.has(ch.path)) {
            (seen.otherPaths ??= new Set()).add(ch.path);
            seen.paths++;
          }
          return;
        }
        // The previous version's id as its own record holds it: one string per blob id.
        const previousRecord = options.wholeBlobs || ch.previous === null ? undefined : this.blobs.get(ch.previous);
        const previous = options.wholeBlobs ? null : (previousRecord?.oid ?? ch.previous);
        const record: BlobRecord = {
          oid: ch.blob,
          commit: ch.commit,
          path: ch.path,
          commits: 1,
          paths: 1,
          previous,
          previousScanned: previousRecord !== undefined,
          lastCommit: ch.commit.index,
        };
        this.blobs.set(ch.blob, record);
        if (!inShard(options.shard, ch.path)) return;
        if (previous) {
          cache.expect(previous);
          // Matched by another shard: read here too, for the changed region, as an unsharded
          // scan would have it from matching it.
          const scannedElsewhere = record.previousScanned && !inShard(options.shard, this.blobs.get(previous)!.path);
          if ((!record.previousScanned || scannedElsewhere) && !contextAsked.has(previous)) {
            contextAsked.add(previous);
            requests.push({ context: previous, scannedElsewhere });
            reader.request(previous);
          }
        }
        requests.push(record);
        reader.request(ch.blob);
      },
    }).then(
      () => {
        this.walkDone = true;
        cache.finishWalk();
        reader.end();
        return null;
      },
      (e: unknown) => {
        reader.kill();
        return e;
      },
    );

    const answers = reader.answers();
    const nextAnswer = async () => {
      try {
        return await answers.next();
      } catch (e) {
        // cat-file was stopped because the walk failed: the walk's error is the one to tell.
        throw (await walk) ?? e;
      }
    };
    try {
      for (let a = await nextAnswer(); !a.done; a = await nextAnswer()) {
        const answer = a.value;
        for (const chunk of ready.splice(0)) yield chunk;
        const want = requests[next];
        requests[next++] = undefined;
        if (want === undefined) throw new Error(`internal: cat-file answered ${answer.oid} unasked`);
        if ('context' in want) {
          // A previous version from outside the scanned commits, or matched by another shard
          // (kept then under the same rule as a blob matched here, so that shards find what an
          // unsharded scan finds).
          if (answer.kind === 'blob' && !looksBinary(answer.content) && (!want.scannedElsewhere || answer.content.length > SMALL_BLOB)) {
            cache.keep(answer.oid, answer.content);
          }
          continue;
        }
        const where = `${want.path}@${want.commit.sha.slice(0, 12)}`;
        if (answer.kind === 'missing') {
          this.skipped.push({ path: where, reason: 'unreadable', detail: answer.detail });
          continue;
        }
        if (answer.kind === 'too-large') {
          this.skipped.push({ path: where, reason: 'too-large', detail: `${answer.size} bytes > limit ${options.maxBytes}` });
          continue;
        }
        const content = answer.content;
        this.blobsRead++;
        this.bytesRead += content.length;
        if (looksBinary(content)) {
          this.skipped.push({ path: where, reason: 'binary' });
          continue;
        }
        const prev = want.previous ? cache.take(want.previous) : undefined;
        yield historyChunk(want, content, prev);
        // Kept only now: keeping may write over `prev`, which the chunk just matched looked into.
        // A small file is matched whole: its changed region would be most of it anyway.
        if (content.length > SMALL_BLOB) cache.keep(want.oid, content);
      }
      for (const chunk of ready.splice(0)) yield chunk;
      const failure = await walk;
      if (failure) throw failure;
    } finally {
      reader.kill();
      stopWalk.abort();
    }
  }
}

/**
 * What to match of a blob: all of it when it is small or its previous version is not at hand;
 * else the part that changed since that version (the rest was matched there).
 */
function historyChunk(want: BlobRecord, content: Buffer, prev: Buffer | undefined): HistoryChunk {
  if (!prev || content.length <= SMALL_BLOB) return { kind: 'blob', record: want, bytes: content, start: 0 };
  if (want.previousScanned) {
    // The previous version is matched in this scan: only what changed needs matching here.
    const regions = changedRegions(prev, content, REGION_MARGIN);
    const first = regions[0]!;
    const last = regions[regions.length - 1]!;
    const part = (r: Region) => ({ bytes: content.subarray(r.start, r.end), start: r.start });
    return {
      kind: 'blob',
      record: want,
      ...part({ start: first.start, end: last.end }),
      ...(regions.length > 1 ? { parts: regions.map(part) } : {}),
    };
  }
  const { start, end } = changedRegion(prev, content, REGION_MARGIN);
  return {
    kind: 'blob',
    record: want,
    bytes: content.subarray(start, end),
    start,
    before: prev.subarray(start, prev.length - (content.length - end)),
  };
}
