import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Detector, type DetectorOptions } from './detector.js';
import { scanBytes, scanFile, type FileScanResult } from './file-scan.js';

export type PoolRequest =
  | { id: number; kind: 'file'; path: string; maxBytes: number }
  | { id: number; kind: 'files'; paths: string[]; maxBytes: number }
  | { id: number; kind: 'bytes'; bytes: Uint8Array; path?: string };
export type PoolResponse = { id: number; result: FileScanResult | FileScanResult[] } | { id: number; error: string };

/** Scans files or byte chunks, on this thread or spread over worker threads. */
export interface DetectorPool {
  scanFile(absPath: string, maxBytes: number): Promise<FileScanResult>;
  /** A batch of files in one message: small files cost more in messages than in matching. */
  scanFiles(absPaths: string[], maxBytes: number): Promise<FileScanResult[]>;
  /** `path` names the kind of text the bytes are (a blob's path, a layer entry's). */
  scanBytes(bytes: Buffer, path?: string): Promise<FileScanResult>;
  close(): Promise<void>;
}

export class InlinePool implements DetectorPool {
  constructor(private readonly detector: Detector) {}
  async scanFile(absPath: string, maxBytes: number) {
    return scanFile(this.detector, absPath, maxBytes);
  }
  async scanFiles(absPaths: string[], maxBytes: number) {
    return absPaths.map((p) => scanFile(this.detector, p, maxBytes));
  }
  async scanBytes(bytes: Buffer, path?: string) {
    return scanBytes(this.detector, bytes, path);
  }
  async close() {}
}

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Worker threads each with their own Detector; requests go to the least busy one. */
export class WorkerPool implements DetectorPool {
  private readonly workers: { worker: Worker; pending: number }[] = [];
  private readonly waiting = new Map<number, { resolve: (r: FileScanResult | FileScanResult[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(options: DetectorOptions, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_FILE, { workerData: options });
      const slot = { worker, pending: 0 };
      worker.on('message', (res: PoolResponse) => {
        slot.pending--;
        const w = this.waiting.get(res.id);
        this.waiting.delete(res.id);
        if (!w) return;
        if ('error' in res) w.reject(new Error(res.error));
        else w.resolve(res.result);
      });
      worker.on('error', (e) => {
        for (const w of this.waiting.values()) w.reject(e);
        this.waiting.clear();
      });
      this.workers.push(slot);
    }
  }

  private send(req: PoolRequest, transfer: ArrayBuffer[] = []): Promise<FileScanResult | FileScanResult[]> {
    const slot = this.workers.reduce((a, b) => (b.pending < a.pending ? b : a));
    slot.pending++;
    return new Promise((resolve, reject) => {
      this.waiting.set(req.id, { resolve, reject });
      slot.worker.postMessage(req, transfer);
    });
  }

  async scanFile(path: string, maxBytes: number) {
    return (await this.send({ id: this.nextId++, kind: 'file', path, maxBytes })) as FileScanResult;
  }

  async scanFiles(paths: string[], maxBytes: number) {
    return (await this.send({ id: this.nextId++, kind: 'files', paths, maxBytes })) as FileScanResult[];
  }

  async scanBytes(bytes: Buffer, path?: string) {
    const copy = new Uint8Array(bytes);
    return (await this.send({ id: this.nextId++, kind: 'bytes', bytes: copy, ...(path !== undefined ? { path } : {}) }, [copy.buffer as ArrayBuffer])) as FileScanResult;
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/**
 * Worker threads pay off only for big jobs (each compiles every rule at start-up, tens of ms).
 * Under a TypeScript test runner there is no compiled worker file: scan inline.
 */
export function createPool(options: DetectorOptions, expectedBytes: number, threads?: number): DetectorPool {
  const size = threads ?? Math.min(availableParallelism(), 8);
  if (size <= 1 || expectedBytes < 16 * 1024 * 1024 || !existsSync(WORKER_FILE)) {
    return new InlinePool(new Detector(options));
  }
  return new WorkerPool(options, size);
}
