// Whether a history finding's secret is still in HEAD's tree, and where (path and line) it is there.
import { Detector } from '../detect/detector.js';
import { scanBytes } from '../detect/file-scan.js';
import { BlobReader } from '../sources/git-blobs.js';
import { treeBlobs, type GitRepo } from '../sources/git-repo.js';
import type { GitBlobOrigin, Match } from '../types.js';
import type { ScanSetup } from './engine.js';

/** A secret as one rule found it: the same key in two versions of a file. */
export function secretKey(m: Match): string {
  return `${m.ruleId}\0${m.secret}`;
}

/** What the check needs of a match found in a blob of history. */
export interface HistoryMatch {
  match: Match;
  path: string;
  record?: { oid: string };
}

/** Where a history finding's secret is in HEAD's tree. */
export interface HeadPlace {
  path: string;
  line: number;
}

export function headFields(place: HeadPlace | undefined): Pick<GitBlobOrigin, 'inHead' | 'headPath' | 'headLine'> {
  return place ? { inHead: true, headPath: place.path, headLine: place.line } : { inHead: false };
}

/**
 * Whether HEAD still holds each found secret: its blob is in HEAD's tree, or HEAD's version of
 * the same file still contains the same secret (a file edited elsewhere after the key went in).
 */
export async function headPresence(repo: GitRepo, setup: ScanSetup, found: readonly HistoryMatch[]): Promise<(f: HistoryMatch) => HeadPlace | undefined> {
  if (!repo.head || found.length === 0) return () => undefined;
  const head = await treeBlobs(repo, repo.head);
  // A blob at HEAD, under the first path that holds it.
  const headPaths = new Map<string, string>();
  for (const [p, oid] of head) if (!headPaths.has(oid)) headPaths.set(oid, p);
  // The file at HEAD changed since the key came in: where (if anywhere) it holds the key now.
  const recheck = new Map<string, Map<string, number>>();
  const recheckPath = new Map<string, string>();
  for (const f of found) {
    if (!f.record || headPaths.has(f.record.oid)) continue;
    const now = head.get(f.path);
    if (now) {
      recheck.set(now, new Map());
      recheckPath.set(now, f.path);
    }
  }
  if (recheck.size > 0) {
    const detector = new Detector(setup.detector);
    const reader = new BlobReader(repo, setup.config.maxFileSize);
    for (const oid of recheck.keys()) reader.request(oid);
    reader.end();
    for await (const answer of reader.answers()) {
      if (answer.kind !== 'blob') continue;
      const keys = recheck.get(answer.oid);
      for (const m of scanBytes(detector, answer.content, recheckPath.get(answer.oid)).matches) if (!keys?.has(secretKey(m))) keys?.set(secretKey(m), m.line);
    }
  }
  return (f) => {
    if (!f.record) return undefined;
    // The same content at HEAD: the same line, under its own path or the one it has now.
    if (head.get(f.path) === f.record.oid) return { path: f.path, line: f.match.line };
    const samePath = headPaths.get(f.record.oid);
    if (samePath !== undefined) return { path: samePath, line: f.match.line };
    const now = head.get(f.path);
    const line = now === undefined ? undefined : recheck.get(now)?.get(secretKey(f.match));
    return line === undefined ? undefined : { path: f.path, line };
  };
}

