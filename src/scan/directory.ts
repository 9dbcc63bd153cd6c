import pLimit from 'p-limit';
import { createPool } from '../detect/pool.js';
import { groupFindings, type LocatedMatch } from '../report/group.js';
import { listFiles } from '../sources/filesystem.js';
import type { ScanResult, Skipped } from '../types.js';
import { applyAllowlist, type ScanSetup } from './engine.js';

export interface DirectoryScanOptions {
  /** Honour .gitignore when the target is inside a git work tree. */
  gitignore: boolean;
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Walks a directory (or one file), scans every file, applies allowlists, groups findings by secret. */
export async function scanDirectory(target: string, setup: ScanSetup, options: DirectoryScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const listing = await listFiles(target, { gitignore: options.gitignore });
  const skipped: Skipped[] = [...listing.skipped];
  const suppressed: Record<string, number> = {};
  const maxBytes = setup.config.maxFileSize;

  const files = listing.files.filter((f) => {
    if (setup.allowlist.pathAllowed(f.abs)) {
      suppressed['allow-path'] = (suppressed['allow-path'] ?? 0) + 1;
      return false;
    }
    if (f.size > maxBytes) {
      skipped.push({ path: f.rel, reason: 'too-large', detail: `${f.size} bytes > limit ${maxBytes}` });
      return false;
    }
    return true;
  });
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const pool = createPool(setup.detector, totalBytes, options.threads);
  // Enough requests in flight to keep every worker busy while results come back.
  const limit = pLimit(64);
  const matches: LocatedMatch[] = [];
  let bytes = 0;
  let scanned = 0;
  let done = 0;
  try {
    await Promise.all(
      files.map((f) =>
        limit(async () => {
          const r = await pool.scanFile(f.abs, maxBytes);
          done++;
          options.onProgress?.(done, files.length);
          if (r.skipped) {
            skipped.push({ path: f.rel, ...r.skipped });
            return;
          }
          scanned++;
          bytes += r.bytes;
          for (const m of r.matches) matches.push({ ...m, path: f.rel });
        }),
      ),
    );
  } finally {
    await pool.close();
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const kept = applyAllowlist(setup, matches, suppressed);
  return {
    target: listing.root,
    findings: groupFindings(kept, setup.rules),
    skipped,
    suppressed,
    stats: { files: scanned, bytes, durationMs: Math.round(performance.now() - started) },
  };
}
