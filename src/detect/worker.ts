import { parentPort, workerData } from 'node:worker_threads';
import { Detector, type DetectorOptions } from './detector.js';
import { scanFile } from './file-scan.js';
import { scanSpans, type PoolRequest, type PoolResponse, type WorkerReady } from './pool.js';
import { lowerThisThread, workerNice } from './thread-priority.js';

// A worker thread: builds its own Detector (RE2 objects cannot cross threads) and scans on request.
// Byte chunks arrive transferred (one buffer per batch), so they are wrapped, not copied a second time.
// It runs below the threads that feed it (see lowerThisThread).
lowerThisThread(workerNice());
const detector = new Detector(workerData as DetectorOptions);
// Its tables built while the first batch is still being read and packed (with largeInput, see WorkerPool).
detector.prepare();
parentPort!.postMessage({ ready: true } satisfies WorkerReady);
parentPort!.on('message', (req: PoolRequest) => {
  let res: PoolResponse;
  try {
    const result =
      req.kind === 'files'
        ? req.paths.map((p, i) => scanFile(detector, p, req.maxBytes, req.rels?.[i]))
        : scanSpans(detector, req.buffer, req.spans);
    res = { id: req.id, result };
  } catch (e) {
    res = { id: req.id, error: (e as Error).message };
  }
  parentPort!.postMessage(res);
});
