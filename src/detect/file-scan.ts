import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Match, Skipped } from '../types.js';
import { looksBinary } from './binary.js';
import type { Detector } from './detector.js';

export interface FileScanResult {
  matches: Match[];
  bytes: number;
  skipped?: Omit<Skipped, 'path'>;
}

/** Reads one file (bounded by maxBytes) and scans it; read errors become a skip reason, not a throw. */
export function scanFile(detector: Detector, absPath: string, maxBytes: number): FileScanResult {
  let fd: number;
  try {
    fd = openSync(absPath, 'r');
  } catch (e) {
    return { matches: [], bytes: 0, skipped: { reason: 'unreadable', detail: errorCode(e) } };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { matches: [], bytes: 0, skipped: { reason: 'not-a-file' } };
    if (st.size > maxBytes) {
      return { matches: [], bytes: 0, skipped: { reason: 'too-large', detail: `${st.size} bytes > limit ${maxBytes}` } };
    }
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return scanBytes(detector, got === st.size ? buf : buf.subarray(0, got), absPath);
  } catch (e) {
    return { matches: [], bytes: 0, skipped: { reason: 'unreadable', detail: errorCode(e) } };
  } finally {
    closeSync(fd);
  }
}

/** Scans bytes; `filePath`, when known, names the kind of text (see Detector.scan). */
export function scanBytes(detector: Detector, buf: Buffer, filePath?: string): FileScanResult {
  if (looksBinary(buf)) return { matches: [], bytes: buf.length, skipped: { reason: 'binary' } };
  return { matches: detector.scan(buf, filePath), bytes: buf.length };
}

function errorCode(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message;
}
