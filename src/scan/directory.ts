import pLimit from 'p-limit';
import { createPool } from '../detect/pool.js';
import type { LocatedMatch } from '../findings/group.js';
import { listFiles, type FileEntry } from '../sources/filesystem.js';
import type { ScanResult, Skipped } from '../types.js';
import { scanResult, type ScanSetup } from './engine.js';
import { inShard, type Shard } from '../core/shard.js';

export interface DirectoryScanOptions {
  /** Honour .gitignore when the target is inside a git work tree. */
  gitignore: boolean;
  threads?: number;
  /** After each batch: files done of total, and bytes read so far. */
  onProgress?: (done: number, total: number, bytes: number) => void;
  /** Scan only the files of this shard (by relative path); the other shards scan the rest. */
  shard?: Shard;
}

/** Files in batches of 64, in listing order. */
function* batchFiles(files: FileEntry[]): Generator<FileEntry[]> {
  for (let i = 0; i < files.length; i += 64) yield files.slice(i, i + 64);
}

/** Sizes are learnt when files are opened; to choose between one thread and many, assume this. */
const TYPICAL_FILE_BYTES = 32 * 1024;

/** Walks a directory (or one file), scans every file, applies allowlists, groups findings by secret. */
export async function scanDirectory(target: string, setup: ScanSetup, options: DirectoryScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const listing = await listFiles(target, { gitignore: options.gitignore });
  const skipped: Skipped[] = listing.skipped.filter((s) => inShard(options.shard, s.path));
  const suppressed: Record<string, number> = {};
  // Unless the user set a limit, large files are scanned in windows rather than skipped.
  const maxBytes = setup.config.maxFileSizeSet ? setup.config.maxFileSize : Infinity;

  const files = listing.files.filter((f) => {
    if (!inShard(options.shard, f.rel)) return false;
    if (!setup.allowlist.pathAllowed(f.abs)) return true;
    suppressed['allow-path'] = (suppressed['allow-path'] ?? 0) + 1;
    return false;
  });
  const pool = createPool(setup.detector, files.length * TYPICAL_FILE_BYTES, options.threads);
  const batches = batchFiles(files);
  const matches: LocatedMatch[] = [];
  // Imported gitleaks path-only rules report files by name, whatever they hold (binary keystores too).
  if (setup.gitleaks) for (const f of files) for (const m of setup.gitleaks.pathMatches(f.rel)) matches.push({ ...m, path: f.rel });
  // A few batches in flight per worker keep every worker busy while results come back; the
  // batches are cut lazily, so memory does not grow with the number of files.
  const limit = pLimit(8);
  let bytes = 0;
  let scanned = 0;
  let done = 0;
  const running = new Set<Promise<void>>();
  try {
    for (const batch of batches) {
      const task = limit(async () => {
        const results = await pool.scanFiles(batch.map((f) => f.bytes ?? f.abs), maxBytes, batch.map((f) => f.rel));
        results.forEach((r, i) => {
          const f = batch[i]!;
          if (r.skipped) skipped.push({ path: f.rel, ...r.skipped });
          // A short read is noted, and what was read is still reported.
          if (!r.skipped || r.skipped.reason === 'short-read') {
            scanned++;
            bytes += r.bytes;
            for (const m of r.matches) matches.push({ ...m, path: f.rel });
          }
        });
        done += batch.length;
        options.onProgress?.(done, files.length, bytes);
      });
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= 16) await Promise.race(running);
    }
    await Promise.all(running);
  } finally {
    await pool.close();
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const result = scanResult(setup, listing.root, matches, skipped, suppressed, { files: scanned, bytes }, started);
  return options.shard ? { ...result, shard: options.shard } : result;
}
