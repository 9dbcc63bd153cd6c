import { statSync } from 'node:fs';
import path from 'node:path';
import type { Format } from '../report/options.js';
import type { ScanResult } from '../types.js';

/**
 * Adds the repository the scanned path belongs to (if any) to a result, for SARIF provenance (JSON
 * carries it too, for `merge`). Other formats never show it, so a pre-commit hook's text run does
 * not pay for the git calls (~50 ms).
 */
export async function withVersionControl(result: ScanResult, scanned: string, format: Format): Promise<ScanResult> {
  if (format !== 'sarif' && format !== 'json') return result;
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
