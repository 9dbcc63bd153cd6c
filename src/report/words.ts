// Counted words for every format: "1 file", "2 files"; what a scan went through (files, or blobs and commits).
import type { ScanResult } from '../types.js';

/** "1 leak", "2 leaks"; `many` for irregular plurals. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "12 files", or for a history scan "1 blob in 1 commit": a history scan reads blobs, not files. */
export function scannedItems(result: Pick<ScanResult, 'stats'> & { commits?: unknown }): string {
  if (typeof result.commits === 'number') return `${plural(result.stats.files, 'blob')} in ${plural(result.commits, 'commit')}`;
  return plural(result.stats.files, 'file');
}

/** "and in 2 other places", or nothing for a secret found once. */
export function otherPlaces(count: number): string {
  return count > 1 ? ` and in ${plural(count - 1, 'other place')}` : '';
}
