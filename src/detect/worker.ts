import { parentPort, workerData } from 'node:worker_threads';
import { Detector, type DetectorOptions } from './detector.js';
import { scanBytes, scanFile } from './file-scan.js';
import type { PoolRequest, PoolResponse } from './pool.js';

// A worker thread: builds its own Detector (RE2 objects cannot cross threads) and scans on request.
// Byte chunks arrive transferred, so they are wrapped, not copied a second time.
const detector = new Detector(workerData as DetectorOptions);
parentPort!.on('message', (req: PoolRequest) => {
  let res: PoolResponse;
  try {
    const result =
      req.kind === 'file'
        ? scanFile(detector, req.path, req.maxBytes)
        : req.kind === 'files'
          ? req.paths.map((p) => scanFile(detector, p, req.maxBytes))
          : scanBytes(detector, Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength), req.path);
    res = { id: req.id, result };
  } catch (e) {
    res = { id: req.id, error: (e as Error).message };
  }
  parentPort!.postMessage(res);
});
