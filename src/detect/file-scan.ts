// Scans one file or one buffer: UTF-16 decoded, binary skipped, large inputs in bounded windows.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fileKind } from '../io/entry-type.js';
import type { Match, Skipped } from '../types.js';
import { looksBinary } from './binary.js';
import type { Detector } from './detector.js';
import { utf16Encoding, utf16ToUtf8 } from './utf16.js';
import { WindowScanner, windowBytes } from './windows.js';

export interface FileScanResult {
  matches: Match[];
  bytes: number;
  skipped?: Omit<Skipped, 'path'>;
}

/**
 * Reads one file and scans it; read errors become a skip reason, not a throw. A file over
 * `maxBytes` is skipped (an explicit --max-file-size); one over the window size is read and scanned
 * in windows, so neither its size (over 2 GiB) nor its shape (one long line) sets the memory used.
 * A file that shrinks while it is read is scanned as far as it goes, and said so. `relPath`
 * (relative to the scan root) lets rules scoped to credential files see which file it is.
 */
export function scanFile(detector: Detector, file: string | Uint8Array, maxBytes: number, relPath?: string): FileScanResult {
  const absPath = typeof file === 'string' ? file : Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put in place of a listed file must not hang the scan; fstat refuses it.
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    return { matches: [], bytes: 0, skipped: { reason: 'unreadable', detail: errorCode(e) } };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { matches: [], bytes: 0, skipped: { reason: 'not-a-file', detail: fileKind(st) } };
    if (st.size > maxBytes) {
      return { matches: [], bytes: 0, skipped: { reason: 'too-large', detail: `${st.size} bytes > limit ${maxBytes}` } };
    }
    const window = windowBytes();
    const result = st.size <= window ? readWhole(detector, fd, st.size, relPath) : readWindows(detector, fd, st.size, window, relPath);
    if (result.bytes < st.size && !result.skipped) {
      result.skipped = { reason: 'short-read', detail: `shrank while read: ${result.bytes} of ${st.size} bytes scanned` };
    }
    return result;
  } catch (e) {
    return { matches: [], bytes: 0, skipped: { reason: 'unreadable', detail: errorCode(e) } };
  } finally {
    closeSync(fd);
  }
}

/**
 * The buffer files are read into, kept from one file to the next (one per thread: each worker
 * loads this module), grown to a power of two up to the window size. A new Buffer per file made
 * the kernel map fresh pages for every file read and the collector run for their external memory:
 * on 983 MB of npm packages, ~10% of a worker's time. Nothing keeps the bytes after scanBytes
 * returns (matches hold strings), so the next file may overwrite them.
 */
let readBuffer: Buffer | undefined;

function bufferFor(size: number): Buffer {
  if (!readBuffer || readBuffer.length < size) {
    let length = 64 * 1024;
    while (length < size) length *= 2;
    readBuffer = Buffer.allocUnsafeSlow(length);
  }
  return readBuffer;
}

function readWhole(detector: Detector, fd: number, size: number, relPath: string | undefined): FileScanResult {
  const buf = bufferFor(size).subarray(0, size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return scanBytes(detector, got === size ? buf : buf.subarray(0, got), relPath);
}

function readWindows(detector: Detector, fd: number, size: number, window: number, relPath: string | undefined): FileScanResult {
  const scanner = new WindowScanner(detector, window, relPath);
  const piece = Buffer.allocUnsafe(Math.min(window, 1024 * 1024));
  let got = 0;
  while (got < size) {
    const n = readSync(fd, piece, 0, Math.min(piece.length, size - got), got);
    if (n === 0) break;
    got += n;
    scanner.push(piece.subarray(0, n));
    if (scanner.isBinary) break;
  }
  const r = scanner.finish();
  if (r.binary) return { matches: [], bytes: size, skipped: { reason: 'binary' } };
  return { matches: r.matches, bytes: got };
}

/** One buffer held whole (a small file, a blob): UTF-16 decoded first, binary skipped. */
export function scanBytes(detector: Detector, buf: Buffer, path?: string): FileScanResult {
  const encoding = utf16Encoding(buf);
  if (encoding) return { matches: detector.scan(utf16ToUtf8(buf, encoding), path), bytes: buf.length };
  if (looksBinary(buf)) return { matches: [], bytes: buf.length, skipped: { reason: 'binary' } };
  return { matches: detector.scan(buf, path), bytes: buf.length };
}

function errorCode(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message;
}
