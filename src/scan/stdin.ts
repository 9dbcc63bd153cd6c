// Scans standard input (or any stream, or one in-memory chunk) under a label such as "<stdin>".
import { Detector } from '../detect/detector.js';
import { scanBytes } from '../detect/file-scan.js';
import { UserError } from '../errors.js';
import type { ScanResult } from '../types.js';
import type { ScanSetup } from './engine.js';
import { Collector, runStream } from './pipeline.js';

/**
 * Scans one in-memory chunk (an editor buffer) under a label such as "<stdin>"; a label that
 * names a file (`--label wp-config.php`) lets the rules for that kind of file run. Synchronous:
 * one chunk needs no queue, only the pipeline's collector.
 */
export function scanChunk(buf: Buffer, label: string, setup: ScanSetup): ScanResult {
  const collector = new Collector(setup);
  collector.settle({ kind: 'bytes', path: label, bytes: buf }, scanBytes(new Detector(setup.detector), buf, label));
  return collector.resultNow({ target: label, expectedBytes: () => 0, run: async () => {} });
}

/**
 * Scans a stream as it arrives, in bounded windows: memory stays at one window whatever the
 * input's size. With max-file-size set, input past that limit is an error (nothing is reported).
 */
export async function scanStream(stream: NodeJS.ReadableStream, label: string, setup: ScanSetup): Promise<ScanResult> {
  return runStream(stream, label, setup, setup.config.maxFileSizeSet ? setup.config.maxFileSize : Infinity);
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
