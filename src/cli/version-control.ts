import { statSync } from 'node:fs';
import path from 'node:path';
import type { ScanResult } from '../types.js';

/** Adds the repository the scanned path belongs to (if any) to a result, for SARIF provenance. */
export async function withVersionControl(result: ScanResult, scanned: string): Promise<ScanResult> {
  const { readVersionControl } = await import('../sources/git-provenance.js');
  let dir = path.resolve(scanned);
  try {
    if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    return result;
  }
  const vcs = await readVersionControl(dir);
  return vcs ? { ...result, vcs } : result;
}
