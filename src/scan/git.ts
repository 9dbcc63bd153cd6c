import path from 'node:path';
import { Detector } from '../detect/detector.js';
import { looksBinary } from '../detect/binary.js';
import { scanBytes } from '../detect/file-scan.js';
import { createPool } from '../detect/pool.js';
import { groupFindings, type LocatedMatch } from '../findings/group.js';
import { redactSecret } from '../findings/redact.js';
import { BlobReader } from '../sources/git-blobs.js';
import { GitHistorySource, type BlobRecord, type HistoryChunk } from '../sources/git-history.js';
import type { CommitInfo } from '../sources/git-log.js';
import { runGit, type GitRepo } from '../sources/git-repo.js';
import { stagedFiles } from '../sources/git-staged.js';
import type { GitOrigin, Match, ScanResult, Skipped } from '../types.js';
import { applyAllowlist, applyIgnoreEntries, scanResult, withPartners, type ScanSetup } from './engine.js';
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
const MAX_IN_FLIGHT = 512;
const MAX_IN_FLIGHT_BYTES = 128 * 1024 * 1024;

interface Found {
  match: Match;
  commit: CommitInfo;
  path: string;
  record?: BlobRecord;
}

/**
 * Scans a repository's history: every blob reachable from the revisions, once, and every commit
 * message. Each secret is reported at the commit that introduced it (per path), with whether
 * HEAD still holds it: a key removed later is still leaked, since history is public.
 */
export async function scanGitHistory(repo: GitRepo, setup: ScanSetup, options: GitHistoryOptions): Promise<GitHistoryResult> {
  const started = performance.now();
  const source = new GitHistorySource(repo, {
    revisions: options.revisions,
    maxBytes: setup.config.maxFileSize,
    wholeBlobs: options.wholeBlobs ?? false,
    pathAllowed: (p) => setup.allowlist.pathAllowed(path.join(repo.root, p)),
    ...(options.shard ? { shard: options.shard } : {}),
  });
  const pool = createPool(setup.detector, options.partial ? 0 : await repositoryBytes(repo), options.threads);
  const found: Found[] = [];
  const skipped: Skipped[] = [];
  let blobsDone = 0;

  const record = (chunk: HistoryChunk, m: Match, lineOffset: number) => {
    const match = lineOffset ? { ...m, line: m.line + lineOffset, endLine: m.endLine + lineOffset } : m;
    if (chunk.kind === 'message') found.push({ match, commit: chunk.commit, path: COMMIT_MESSAGE_PATH });
    else found.push({ match, commit: chunk.record.commit, path: chunk.record.path, record: chunk.record });
  };
  // Commit messages are many and small: matched here, a worker round trip would cost more.
  let messageDetector: Detector | null = null;
  const match = async (chunk: HistoryChunk) => {
    if (chunk.kind === 'message') {
      messageDetector ??= new Detector(setup.detector);
      for (const m of messageDetector.scan(chunk.bytes)) record(chunk, m, 0);
      return;
    }
    const before = chunk.before;
    const at = chunk.record.path;
    const [now, earlier] = await Promise.all([pool.scanBytes(chunk.bytes, at), before && pool.scanBytes(before, at)]);
    if (now.matches.length === 0) return;
    // A region whose previous version lies outside the scanned commits (a range): what that
    // version holds too is not new here.
    const old = new Set(earlier?.matches.map(secretKey));
    const offset = chunk.lineOffset();
    for (const m of now.matches) if (!old.has(secretKey(m))) record(chunk, m, offset);
  };

  const inFlight = new Set<Promise<void>>();
  let inFlightBytes = 0;
  let lastProgress = 0;
  const dispatch = async (job: () => Promise<void>, size: number) => {
    while (inFlight.size >= MAX_IN_FLIGHT || inFlightBytes > MAX_IN_FLIGHT_BYTES) await Promise.race(inFlight);
    inFlightBytes += size;
    const p: Promise<void> = job().finally(() => {
      inFlight.delete(p);
      inFlightBytes -= size;
    });
    inFlight.add(p);
  };
  try {
    for await (const chunk of source.chunks()) {
      if (chunk.kind === 'blob') {
        blobsDone++;
        // Imported gitleaks path-only rules report a file by name, at the commit that added it (binary ones too).
        for (const m of setup.gitleaks?.pathMatches(chunk.record.path) ?? []) record(chunk, m, 0);
        // A region past a binary blob's first 8 KiB may hold NUL bytes: binary, as a file would be.
        if (looksBinary(chunk.bytes)) {
          skipped.push({ path: `${chunk.record.path}@${chunk.record.commit.sha.slice(0, 12)}`, reason: 'binary' });
          continue;
        }
      }
      await dispatch(() => match(chunk), chunk.bytes.length);
      if (options.onProgress && performance.now() - lastProgress > 100) {
        lastProgress = performance.now();
        options.onProgress({ blobsDone, blobsTotal: source.blobs.size, walkDone: source.walkDone, bytes: source.bytesRead });
      }
    }
    await Promise.all(inFlight);
    // Progress is throttled: say once that all is done. The walk may have listed blobs it never
    // yields (other shards', allowlisted paths), so the total is what was done.
    options.onProgress?.({ blobsDone, blobsTotal: blobsDone, walkDone: true, bytes: source.bytesRead });
  } finally {
    await Promise.allSettled(inFlight);
    await pool.close();
  }

  const inHead = await headPresence(repo, setup, found);
  const redactSubject = subjectRedactor(setup, found);
  const located: (LocatedMatch & { order: number })[] = found.map((f) => ({
    ...f.match,
    path: f.path,
    order: f.commit.index,
    origin: {
      commit: f.commit.sha,
      author: f.commit.author,
      email: f.commit.email,
      date: f.commit.date,
      subject: redactSubject(f.commit.subject),
      path: f.path,
      ...(f.record
        ? { blob: f.record.oid, ...headFields(inHead(f)), commits: f.record.commits, paths: f.record.paths }
        : {}),
    } satisfies GitOrigin,
  }));
  const suppressed: Record<string, number> = {};
  if (source.allowedPaths > 0) suppressed['allow-path'] = source.allowedPaths;
  const earliest = earliestPerPath(applyAllowlist(setup, located, suppressed, { ignoreEntries: false }) as (LocatedMatch & { order: number })[]);
  const kept = applyIgnoreEntries(setup, earliest, suppressed);
  return {
    target: repo.root,
    ...withPartners(groupFindings(kept.map(({ order: _, ...m }) => m), setup.rules), setup.rules),
    skipped: [...source.skipped, ...skipped],
    suppressed,
    stats: { files: blobsDone, bytes: source.bytesRead, durationMs: Math.round(performance.now() - started) },
    commits: source.commits,
    blobs: source.blobs.size,
    ...(options.shard ? { shard: options.shard } : {}),
  };
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

/**
 * Scans what is staged for the next commit, exactly as the index holds it (not the working tree),
 * and reports only secrets on lines the staged change adds, numbered as they will be committed.
 */
export async function scanGitStaged(repo: GitRepo, setup: ScanSetup): Promise<ScanResult> {
  const started = performance.now();
  const suppressed: Record<string, number> = {};
  const skipped: Skipped[] = [];
  const files = (await stagedFiles(repo)).filter((f) => {
    if (!setup.allowlist.pathAllowed(path.join(repo.root, f.path))) return true;
    suppressed['allow-path'] = (suppressed['allow-path'] ?? 0) + 1;
    return false;
  });
  const matches: LocatedMatch[] = [];
  let scanned = 0;
  let bytes = 0;
  if (files.length > 0) {
    const detector = new Detector(setup.detector);
    const reader = new BlobReader(repo, setup.config.maxFileSize);
    for (const f of files) reader.request(f.blob);
    reader.end();
    let i = 0;
    for await (const answer of reader.answers()) {
      const file = files[i++]!;
      if (answer.kind !== 'blob') {
        skipped.push(answer.kind === 'too-large'
          ? { path: file.path, reason: 'too-large', detail: `${answer.size} bytes > limit ${setup.config.maxFileSize}` }
          : { path: file.path, reason: 'unreadable', detail: answer.detail });
        continue;
      }
      const r = scanBytes(detector, answer.content, file.path);
      if (r.skipped) {
        skipped.push({ path: file.path, ...r.skipped });
        continue;
      }
      scanned++;
      bytes += r.bytes;
      for (const m of r.matches) {
        const added = file.added === 'all' || file.added.some(([a, b]) => m.line <= b && m.endLine >= a);
        if (added) matches.push({ ...m, path: file.path });
      }
    }
  }
  return scanResult(setup, repo.root, matches, skipped, suppressed, { files: scanned, bytes }, started);
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
async function repositoryBytes(repo: GitRepo): Promise<number> {
  try {
    const out = await runGit(repo.root, repo.env, ['count-objects', '-v']);
    const kib = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, 'm').exec(out)?.[1] ?? 0);
    return (kib('size') + kib('size-pack')) * 1024;
  } catch {
    return 0;
  }
}

