import { Detector } from '../detect/detector.js';
import { scanBytes } from '../detect/file-scan.js';
import type { ScanResult } from '../types.js';
import { scanResult, type ScanSetup } from './engine.js';

/**
 * Scans one in-memory chunk (standard input, an editor buffer) under a label such as "<stdin>";
 * a label that names a file (`--label wp-config.php`) lets the rules for that kind of file run.
 */
export function scanChunk(buf: Buffer, label: string, setup: ScanSetup): ScanResult {
  const started = performance.now();
  const r = scanBytes(new Detector(setup.detector), buf, label);
  const matches = r.matches.map((m) => ({ ...m, path: label }));
  const skipped = r.skipped ? [{ path: label, ...r.skipped }] : [];
  return scanResult(setup, label, matches, skipped, {}, { files: r.skipped ? 0 : 1, bytes: r.bytes }, started);
}

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
