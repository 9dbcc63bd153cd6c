// Scans standard input (or any stream, or one in-memory chunk) under a label such as "<stdin>".
import { Detector } from '../detect/detector.js';
import { scanBytes } from '../detect/file-scan.js';
import { WindowScanner } from '../detect/windows.js';
import { UserError } from '../errors.js';
import type { ScanResult } from '../types.js';
import { scanResult, type ScanSetup } from './engine.js';

/**
 * Scans one in-memory chunk (an editor buffer) under a label such as "<stdin>"; a label that
 * names a file (`--label wp-config.php`) lets the rules for that kind of file run.
 */
export function scanChunk(buf: Buffer, label: string, setup: ScanSetup): ScanResult {
  const started = performance.now();
  const r = scanBytes(new Detector(setup.detector), buf, label);
  const matches = r.matches.map((m) => ({ ...m, path: label }));
  const skipped = r.skipped ? [{ path: label, ...r.skipped }] : [];
  return scanResult(setup, label, matches, skipped, {}, { files: r.skipped ? 0 : 1, bytes: r.bytes }, started);
}

/**
 * Scans a stream as it arrives, in bounded windows: memory stays at one window whatever the
 * input's size. With max-file-size set, input past that limit is an error (nothing is reported).
 */
export async function scanStream(stream: NodeJS.ReadableStream, label: string, setup: ScanSetup): Promise<ScanResult> {
  const started = performance.now();
  const limit = setup.config.maxFileSizeSet ? setup.config.maxFileSize : Infinity;
  const scanner = new WindowScanner(new Detector(setup.detector), undefined, label);
  let total = 0;
  for await (const c of stream) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    total += chunk.length;
    if (total > limit) {
      throw new UserError(`standard input is over the max-file-size limit of ${limit} bytes`, 'raise it with --max-file-size, or leave it unset to scan input of any size');
    }
    scanner.push(chunk);
  }
  const r = scanner.finish();
  const matches = r.binary ? [] : r.matches.map((m) => ({ ...m, path: label }));
  const skipped = r.binary ? [{ path: label, reason: 'binary' as const }] : [];
  return scanResult(setup, label, matches, skipped, {}, { files: r.binary ? 0 : 1, bytes: r.bytes }, started);
}

/** The whole stream in memory, up to `limit` bytes: for small inputs only (the refs a pre-push hook is given). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    total += chunk.length;
    if (total > limit) throw new UserError(`standard input is over ${limit} bytes, more than this command reads`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
