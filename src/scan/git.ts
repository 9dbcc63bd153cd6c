// Git scans: history (every blob and commit message of the revisions) and the staged index, as pipeline sources.
import path from 'node:path';
import { Detector } from '../detect/detector.js';
import { looksBinary } from '../detect/binary.js';
import type { LocatedMatch } from '../findings/group.js';
import { redactSecret } from '../findings/redact.js';
import { BlobReader } from '../sources/git-blobs.js';
import { GitHistorySource, type BlobRecord, type HistoryChunk } from '../sources/git-history.js';
import { countLines } from '../sources/git-region.js';
import type { CommitInfo } from '../sources/git-log.js';
import { runGit, type GitRepo } from '../sources/git-repo.js';
import { stagedFiles, type StagedFile } from '../sources/git-staged.js';
import type { Config } from '../config/config.js';
import { Allowlist } from '../filters/allowlist.js';
import type { GitOrigin, Match, ScanResult } from '../types.js';
import { applyAllowlist, applyIgnoreEntries, prepareScan, type ScanSetup } from './engine.js';
import { runScan } from './pipeline.js';
import type { Source } from './source.js';
import type { Shard } from '../core/shard.js';
import { headFields, headPresence, secretKey } from './git-head.js';

/** The path findings in commit messages are reported at. */
export const COMMIT_MESSAGE_PATH = '<commit message>';

export interface HistoryProgress {
  blobsDone: number;
  /** Blobs found so far; final once `walkDone`. */
  blobsTotal: number;
  walkDone: boolean;
  bytes: number;
}

export interface GitHistoryOptions {
  /** git log revision arguments: ['--all'], ['A..B'], ['main', '--since=2024-01-01']… */
  revisions: string[];
  /** Match every blob whole, not only where it changed since the file's previous version. */
  wholeBlobs?: boolean;
  /** Worker threads for matching (default: one per core when the repository is large). */
  threads?: number;
  /** A walk over part of the history (a range, a push): small, so matching stays on this thread. */
  partial?: boolean;
  onProgress?: (p: HistoryProgress) => void;
  /** Match only this shard's blobs and commit messages (src/core/shard.ts). */
  shard?: Shard;
}

export interface GitHistoryResult extends ScanResult {
  commits: number;
  blobs: number;
}

/** Chunks being matched at once, and their bytes: room for git's stream and the workers to run unevenly without stalling each other, bounded. */
const LIMITS = { chunks: 512, bytes: 128 * 1024 * 1024 };

/** A match in history, before its origin is known (that needs every match: HEAD presence, redacted subjects). */
interface Found {
  match: Match;
  commit: CommitInfo;
  path: string;
  record?: BlobRecord;
  /** Where in the record's blob the match's lines count from, when not at its start (resolved in finish). */
  from?: number;
}

/**
 * Scans a repository's history: every blob reachable from the revisions, once, and every commit
 * message. Each secret is reported at the commit that introduced it (per path), with whether
 * HEAD still holds it: a key removed later is still leaked, since history is public.
 * Progress (throttled) counts blobs: done, found so far by the walk, and bytes read from git.
 */
export async function scanGitHistory(repo: GitRepo, setup: ScanSetup, options: GitHistoryOptions): Promise<GitHistoryResult> {
  const started = performance.now();
  const walk = new GitHistorySource(repo, {
    revisions: options.revisions,
    maxBytes: setup.config.maxFileSize,
    wholeBlobs: options.wholeBlobs ?? false,
    pathAllowed: (p) => setup.allowlist.pathAllowed(path.join(repo.root, p)),
    ...(options.shard ? { shard: options.shard } : {}),
  });
  let blobsDone = 0;
  const atBlob = (record: BlobRecord, from: number) => (m: Match): Found => ({
    match: m,
    commit: record.commit,
    path: record.path,
    record,
    ...(from > 0 ? { from } : {}),
  });
  const source: Source<Found> = {
    target: repo.root,
    expectedBytes: () => (options.partial ? 0 : repositoryBytes(repo)),
    async run(emit) {
      let lastProgress = 0;
      for await (const chunk of walk.chunks()) {
        if (chunk.kind === 'message') {
          // Commit messages are text, not files: matched with no binary check and no path (see `plain`).
          const commit = chunk.commit;
          await emit.chunk({ kind: 'bytes', plain: true, path: COMMIT_MESSAGE_PATH, bytes: chunk.bytes, counted: false, locate: (ms) => ms.map((match) => ({ match, commit, path: COMMIT_MESSAGE_PATH })) });
        } else {
          blobsDone++;
          const record = chunk.record;
          // Imported gitleaks path-only rules report a file by name, at the commit that added it (binary ones too).
          emit.found((setup.gitleaks?.pathMatches(record.path) ?? []).map(atBlob(record, 0)));
          // A region past a binary blob's first 8 KiB may hold NUL bytes: binary, as a file would be.
          if (looksBinary(chunk.bytes)) emit.skip({ path: `${record.path}@${record.commit.sha.slice(0, 12)}`, reason: 'binary' });
          else {
            // A blob changed in several places is matched in each changed part.
            for (const part of chunk.parts ?? [chunk]) {
              await emit.chunk({
                kind: 'bytes',
                path: record.path,
                bytes: part.bytes,
                ...(chunk.before ? { before: chunk.before } : {}),
                counted: false,
                locate: (matches, _, earlier) => {
                  if (matches.length === 0) return [];
                  // A region whose previous version lies outside the scanned commits (a range): what that
                  // version holds too is not new here.
                  const old = new Set(earlier?.matches.map(secretKey));
                  return matches.filter((m) => !old.has(secretKey(m))).map(atBlob(record, part.start));
                },
              });
            }
          }
        }
        if (options.onProgress && performance.now() - lastProgress > 100) {
          lastProgress = performance.now();
          options.onProgress({ blobsDone, blobsTotal: walk.blobs.size, walkDone: walk.walkDone, bytes: walk.bytesRead });
        }
      }
      emit.allowed(walk.allowedPaths);
    },
    async finish(found) {
      // Progress is throttled: say once that all is done. The walk may have listed blobs it never
      // yields (other shards', allowlisted paths), so the total is what was done.
      options.onProgress?.({ blobsDone, blobsTotal: blobsDone, walkDone: true, bytes: walk.bytesRead });
      await numberLines(repo, setup.config.maxFileSize, found);
      const inHead = await headPresence(repo, setup, found);
      const redactSubject = subjectRedactor(setup, found);
      return found.map((f) => {
        const commit = { commit: f.commit.sha, author: f.commit.author, email: f.commit.email, date: f.commit.date, subject: redactSubject(f.commit.subject), path: f.path };
        const origin: GitOrigin = f.record
          ? { kind: 'git-blob', ...commit, blob: f.record.oid, ...headFields(inHead(f)), commits: f.record.commits, paths: f.record.paths }
          : { kind: 'git-message', ...commit };
        return { ...f.match, path: f.path, order: f.commit.index, origin };
      });
    },
    settle(located, suppressed) {
      const earliest = earliestPerPath(applyAllowlist(setup, located, suppressed, { ignoreEntries: false }) as (LocatedMatch & { order: number })[]);
      return applyIgnoreEntries(setup, earliest, suppressed).map(({ order: _, ...m }) => m);
    },
  };
  const result = await runScan(source, setup, { started, limits: LIMITS, ...(options.threads !== undefined ? { threads: options.threads } : {}) });
  return {
    ...result,
    skipped: [...walk.skipped, ...result.skipped],
    stats: { ...result.stats, files: blobsDone, bytes: walk.bytesRead },
    commits: walk.commits,
    blobs: walk.blobs.size,
    ...(options.shard ? { shard: options.shard } : {}),
  };
}

/**
 * Matches in a changed part of a blob count lines from the part's start: the lines before it are
 * counted now, for the few blobs where something was found, by reading those blobs again.
 */
async function numberLines(repo: GitRepo, maxBytes: number, found: Found[]): Promise<void> {
  const byBlob = new Map<string, Found[]>();
  for (const f of found) {
    if (f.from === undefined || !f.record) continue;
    const list = byBlob.get(f.record.oid);
    if (list) list.push(f);
    else byBlob.set(f.record.oid, [f]);
  }
  if (byBlob.size === 0) return;
  const reader = new BlobReader(repo, maxBytes);
  for (const oid of byBlob.keys()) reader.request(oid);
  reader.end();
  try {
    for await (const answer of reader.answers()) {
      const list = byBlob.get(answer.oid);
      if (!list) continue;
      if (answer.kind !== 'blob') throw new Error(`git cat-file no longer gives blob ${answer.oid} (${answer.kind}), which was read earlier in this scan`);
      // Each offset once: a part holds several matches more often than not.
      const lines = new Map<number, number>();
      for (const f of list) {
        const from = f.from!;
        let before = lines.get(from);
        if (before === undefined) lines.set(from, (before = countLines(answer.content, from)));
        f.match = { ...f.match, line: f.match.line + before, endLine: f.match.endLine + before };
        delete f.from;
      }
    }
  } finally {
    reader.kill();
  }
}

/**
 * Reports quote each finding's commit subject: a key pasted in a commit message would be printed
 * raw there. Redacted: what the rules find in the subject itself (every shard can tell, whichever
 * shard matches the messages), and every secret found anywhere in the scan, suppressed ones too.
 */
function subjectRedactor(setup: ScanSetup, found: Found[]): (subject: string) => string {
  const known = [...new Set(found.map((f) => f.match.secret))];
  const done = new Map<string, string>();
  let detector: Detector | null = null;
  return (subject) => {
    let out = done.get(subject);
    if (out === undefined) {
      detector ??= new Detector(setup.detector);
      const inSubject = detector.scan(Buffer.from(subject)).map((m) => m.secret);
      const secrets = [...new Set([...inSubject, ...known])].filter((s) => s.length >= 4 && subject.includes(s));
      // Longest first, so that a secret containing another is redacted whole.
      out = secrets.sort((a, b) => b.length - a.length).reduce((text, s) => text.split(s).join(redactSecret(s)), subject);
      done.set(subject, out);
    }
    return out;
  };
}

/** The staged files a scan reads, and the cat-file child already reading their blobs. */
export interface StagedRead {
  wanted: StagedFile[];
  /** Staged files the config's allow-paths leave out. */
  allowed: number;
  reader: BlobReader | null;
}

/**
 * Starts reading what is staged: the staged files (`files`, a diff that may already be running,
 * see stagedFilesIn), the config's allow-paths applied, and one `git cat-file` child for their
 * blobs. A hook calls this before the rules load, so that git's two processes run meanwhile; the
 * blobs wait in the pipe (git writes ahead only what its buffer holds) until scanGitStaged reads them.
 */
export async function startStagedRead(repo: GitRepo, allowlist: Allowlist, maxFileSize: number, files: Promise<StagedFile[]> = stagedFiles(repo)): Promise<StagedRead> {
  const all = await files;
  const wanted = all.filter((f) => !allowlist.pathAllowed(path.join(repo.root, f.path)));
  if (wanted.length === 0) return { wanted, allowed: all.length, reader: null };
  // A pipe, not a socket: the child starts now (a socket takes a few turns of the event loop to
  // set up, and a hook's rules load without yielding), and a commit's few blobs need no reuse of
  // buffers. Unbuffered: git answers as each id arrives, not at the end of its input (the end is
  // written only once this thread is free again).
  const reader = new BlobReader(repo, maxFileSize, { socket: false, buffer: false });
  for (const f of wanted) reader.request(f.blob);
  reader.end();
  return { wanted, allowed: all.length - wanted.length, reader };
}

/**
 * The setup of a staged scan, with its read started before the rules load (see startStagedRead):
 * git's diff and cat-file run while they do. What fails in the read (a bad allow-regex, a diff git
 * refuses) is told after what loading the rules finds wrong, as when all of it ran after them.
 */
export async function prepareStagedScan(repo: GitRepo, config: Config, files?: Promise<StagedFile[]>): Promise<{ setup: ScanSetup; read: StagedRead }> {
  let allowlist: Allowlist | undefined;
  let read: StagedRead | undefined;
  let failure: { error: unknown } | undefined;
  try {
    allowlist = new Allowlist(config);
    read = await startStagedRead(repo, allowlist, config.maxFileSize, files);
  } catch (error) {
    failure = { error };
  }
  let setup: ScanSetup;
  try {
    setup = prepareScan(config, allowlist);
  } catch (e) {
    read?.reader?.kill();
    throw e;
  }
  if (failure) throw failure.error;
  return { setup, read: read! };
}

/**
 * Scans what is staged for the next commit, exactly as the index holds it (not the working tree),
 * and reports only secrets on lines the staged change adds, numbered as they will be committed.
 * `started`: the read startStagedRead began with this setup's config (else it starts here).
 */
export async function scanGitStaged(repo: GitRepo, setup: ScanSetup, started?: StagedRead): Promise<ScanResult> {
  const read = started ?? startStagedRead(repo, setup.allowlist, setup.config.maxFileSize);
  try {
    return await matchStaged(repo, setup, read);
  } finally {
    // Whatever stopped the scan before it read every answer (its own error included), git need
    // not go on: a child blocked on a full pipe would keep this process from exiting.
    void Promise.resolve(read).then((r) => r.reader?.kill(), () => {});
  }
}

async function matchStaged(repo: GitRepo, setup: ScanSetup, read: StagedRead | Promise<StagedRead>): Promise<ScanResult> {
  return runScan(
    {
      target: repo.root,
      expectedBytes: () => 0,
      async run(emit) {
        const { wanted, allowed, reader } = await read;
        emit.allowed(allowed);
        if (!reader) return;
        let i = 0;
        for await (const answer of reader.answers()) {
          const file = wanted[i++]!;
          if (answer.kind !== 'blob') {
            emit.skip(answer.kind === 'too-large'
              ? { path: file.path, reason: 'too-large', detail: `${answer.size} bytes > limit ${setup.config.maxFileSize}` }
              : { path: file.path, reason: 'unreadable', detail: answer.detail });
            continue;
          }
          const added = (m: Match) => file.added === 'all' || file.added.some(([a, b]) => m.line <= b && m.endLine >= a);
          await emit.chunk({ kind: 'bytes', path: file.path, bytes: answer.content, locate: (ms) => ms.filter(added).map((m) => ({ ...m, path: file.path })) });
        }
      },
    },
    setup,
  );
}

/** One location per secret and path: the one from the earliest commit. */
function earliestPerPath<T extends LocatedMatch & { order: number }>(matches: T[]): T[] {
  const best = new Map<string, T>();
  for (const m of matches) {
    const key = `${secretKey(m)}\0${m.path}`;
    const had = best.get(key);
    if (!had || m.order < had.order || (m.order === had.order && m.line < had.line)) best.set(key, m);
  }
  return [...best.values()];
}

/** Size of the object store, to decide whether worker threads pay off. */
const sizes = new WeakMap<GitRepo, Promise<number>>();

/**
 * The repository's size on disk (objects and packs), the estimate that decides whether a full
 * history scan starts its workers at once. Asked once per repository: a caller may start it early
 * (before the rules load, see the git command) and the scan then finds it done.
 */
export function repositoryBytes(repo: GitRepo): Promise<number> {
  let size = sizes.get(repo);
  if (!size) sizes.set(repo, (size = countObjectBytes(repo)));
  return size;
}

async function countObjectBytes(repo: GitRepo): Promise<number> {
  try {
    const out = await runGit(repo.root, repo.env, ['count-objects', '-v']);
    const kib = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, 'm').exec(out)?.[1] ?? 0);
    return (kib('size') + kib('size-pack')) * 1024;
  } catch {
    return 0;
  }
}

