import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WORKER_RESOURCE_LIMITS } from '../../src/detect/pool.js';

// A worker that churns through short-lived objects as a matching worker does (matches, strings,
// views per batch), then reports how big its young generation (new space) has grown, in bytes.
const CHURN = `
const { parentPort } = require('node:worker_threads');
const v8 = require('node:v8');
let kept = [];
for (let i = 0; i < 400000; i++) {
  kept.push({ i, text: 'match ' + i, at: [i, i + 1] });
  if (kept.length > 20000) kept = [];
}
parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
`;

async function newSpaceAfterChurn(resourceLimits?: typeof WORKER_RESOURCE_LIMITS): Promise<number> {
  const worker = new Worker(CHURN, { eval: true, ...(resourceLimits ? { resourceLimits } : {}) });
  try {
    return await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('matching workers’ heap', () => {
  it('keeps the young generation at 8 MB, where by default it grows past it', async () => {
    const MB = 1024 * 1024;
    expect(WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb).toBe(8);
    // The default is what the limit saves: V8 lets the same churn grow the new space further.
    expect(await newSpaceAfterChurn()).toBeGreaterThan(8 * MB);
    expect(await newSpaceAfterChurn(WORKER_RESOURCE_LIMITS)).toBeLessThanOrEqual(8 * MB);
  });
});
