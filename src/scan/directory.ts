// Directory scans: the files of a folder (or one file) as a pipeline source, read and matched by the workers.
import { statSync } from 'node:fs';
import { listFiles } from '../sources/filesystem.js';
import type { ScanResult } from '../types.js';
import type { ScanSetup } from './engine.js';
import { runScan } from './pipeline.js';
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

/** A file's size when none of the sampled files could be looked up. */
const TYPICAL_FILE_BYTES = 32 * 1024;
/** Files whose sizes are looked up to estimate a folder's bytes, spread evenly over the list. */
const SIZE_SAMPLE = 256;

/**
 * About how many bytes `files` hold, to choose between matching on this thread and on workers:
 * the mean size of at most 256 of them, spread over the list, times their count (~3 ms; a stat of
 * every file of a large tree would cost more than it tells). A file that cannot be looked up is
 * left out of the mean; it is reported when the scan tries to read it.
 */
export function estimateBytes(files: readonly { abs: string; bytes?: Buffer }[]): number {
  if (files.length === 0) return 0;
  const step = Math.max(1, files.length / SIZE_SAMPLE);
  let sum = 0;
  let seen = 0;
  for (let i = 0; i < files.length; i += step) {
    const f = files[Math.floor(i)]!;
    try {
      const st = statSync(f.bytes ?? f.abs, { throwIfNoEntry: false });
      if (!st) continue;
      sum += st.size;
      seen++;
    } catch {
      // unreadable: the scan reports it
    }
  }
  return seen === 0 ? files.length * TYPICAL_FILE_BYTES : Math.round((sum / seen) * files.length);
}

/** Walks a directory (or one file), scans every file, applies allowlists, groups findings by secret. */
export async function scanDirectory(target: string, setup: ScanSetup, options: DirectoryScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const listing = await listFiles(target, { gitignore: options.gitignore });
  const files = listing.files.filter((f) => inShard(options.shard, f.rel));
  // Unless the user set a limit, large files are scanned in windows rather than skipped.
  const maxBytes = setup.config.maxFileSizeSet ? setup.config.maxFileSize : Infinity;
  // Allow-paths are applied before the scan starts, so that the progress total counts only the files read.
  const kept = files.filter((f) => !setup.allowlist.pathAllowed(f.abs));
  const result = await runScan(
    {
      target: listing.root,
      expectedBytes: () => estimateBytes(kept),
      async run(emit) {
        emit.allowed(files.length - kept.length);
        for (const s of listing.skipped) if (inShard(options.shard, s.path)) emit.skip(s);
        // Imported gitleaks path-only rules report files by name, whatever they hold (binary keystores too).
        if (setup.gitleaks) for (const f of kept) emit.found(setup.gitleaks.pathMatches(f.rel).map((m) => ({ ...m, path: f.rel })));
        for (const f of kept) await emit.chunk({ kind: 'file', path: f.rel, file: f.bytes ?? f.abs, maxBytes });
      },
    },
    setup,
    // One file is matched by one thread whichever it is: on this one, no worker has to start.
    { started, ...(options.threads !== undefined ? { threads: options.threads } : kept.length <= 1 ? { threads: 1 } : {}), ...(options.onProgress ? { onMatched: (p) => options.onProgress!(p.chunks, kept.length, p.bytes) } : {}) },
  );
  result.skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return options.shard ? { ...result, shard: options.shard } : result;
}
