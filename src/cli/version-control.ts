import { statSync } from 'node:fs';
import path from 'node:path';
import type { Format } from '../report/options.js';
import type { ScanResult, VersionControl } from '../types.js';

/**
 * The repository the scanned path belongs to (if any), for SARIF provenance (JSON carries it too,
 * for `merge`); null for other formats, which never show it, so that a pre-commit hook's text run
 * does not pay for the git calls (~50 ms). Asked now, before the scan: its five small processes run
 * while the scan does, and are forked from a process still small (a fork copies the forking
 * process's page tables: after a history scan of ~500 MB, each took ~15 ms of the main thread).
 */
export function startVersionControl(scanned: string, format: Format): Promise<VersionControl | undefined> | null {
  if (format !== 'sarif' && format !== 'json') return null;
  let dir = path.resolve(scanned);
  try {
    if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    return null;
  }
  // Never rejects (readVersionControl answers undefined when git fails): a scan that fails first leaves nothing unhandled.
  return import('../sources/git-provenance.js').then(({ readVersionControl }) => readVersionControl(dir)).catch(() => undefined);
}

/** The result with what startVersionControl found, if anything. */
export async function attachVersionControl(result: ScanResult, pending: Promise<VersionControl | undefined> | null): Promise<ScanResult> {
  const vcs = pending ? await pending : undefined;
  return vcs ? { ...result, vcs } : result;
}
