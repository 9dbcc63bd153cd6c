import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lowerThisThread, WORKER_NICE, workerNice } from '../../src/detect/thread-priority.js';

const BUILT = path.resolve(__dirname, '..', '..', 'dist', 'detect', 'thread-priority.js');
const linux = process.platform === 'linux' && existsSync('/proc/thread-self');

/** Runs lowerThisThread(by) in a fresh worker thread (the built module: a worker cannot load TypeScript). */
async function inWorker(by: number): Promise<{ returned: number | null; tid: number; nice: number }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { readlinkSync } = require('node:fs');
    const { getPriority } = require('node:os');
    import(${JSON.stringify(pathToFileURL(BUILT).href)}).then((m) => {
      const returned = m.lowerThisThread(${by});
      const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
      parentPort.postMessage({ returned, tid, nice: getPriority(tid) });
    });`;
  const worker = new Worker(code, { eval: true });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('the matching workers’ priority', () => {
  it('is lowered by SECRETSCAN_WORKER_NICE levels, 0 to 19, and by 10 when unset or not such a number', () => {
    expect(WORKER_NICE).toBe(10);
    expect(workerNice({})).toBe(10);
    expect(workerNice({ SECRETSCAN_WORKER_NICE: '0' })).toBe(0);
    expect(workerNice({ SECRETSCAN_WORKER_NICE: ' 5 ' })).toBe(5);
    expect(workerNice({ SECRETSCAN_WORKER_NICE: '19' })).toBe(19);
    for (const bad of ['20', '-3', 'abc', '1.5', '', '999']) expect(workerNice({ SECRETSCAN_WORKER_NICE: bad })).toBe(10);
  });

  it('leaves the main thread alone: lowering it would lower the whole process', () => {
    const before = getPriority();
    expect(lowerThisThread(5)).toBeNull();
    expect(getPriority()).toBe(before);
  });

  it('changes nothing where the system has no /proc/thread-self, or for 0 levels', () => {
    expect(lowerThisThread(5, path.join(__dirname, 'no-such-proc-entry'))).toBeNull();
    expect(lowerThisThread(0)).toBeNull();
  });

  it.skipIf(!linux)('lowers a worker thread, and that thread only (Linux)', async () => {
    expect(existsSync(BUILT), 'run `npm run build` first').toBe(true);
    const base = getPriority();
    const lowered = await inWorker(7);
    expect(lowered.tid).not.toBe(process.pid);
    expect(lowered.returned).toBe(Math.min(19, base + 7));
    expect(lowered.nice).toBe(Math.min(19, base + 7));
    // The process (its main thread) keeps its priority.
    expect(getPriority()).toBe(base);
    // Past 19 it stops at 19, the lowest priority.
    expect((await inWorker(40)).nice).toBe(19);
  });
});

/** Nice values of this process's threads, from /proc (Linux). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

describe('a matching worker as the build ships it', () => {
  it.skipIf(!linux)('runs 10 levels below the process once started, and as the process with SECRETSCAN_WORKER_NICE=0', async () => {
    for (const file of ['detect/worker.js', 'bundle/worker.js']) {
      const built = path.resolve(__dirname, '..', '..', 'dist', file);
      expect(existsSync(built), 'run `npm run build` first').toBe(true);
      for (const [env, lowered] of [[{}, 1], [{ SECRETSCAN_WORKER_NICE: '0' }, 0]] as const) {
        const low = Math.min(19, getPriority() + 10);
        const before = threadNices().filter((n) => n === low).length;
        const worker = new Worker(built, { workerData: { rules: [], placeholders: [] }, env: { ...process.env, ...env } });
        try {
          await new Promise((resolve, reject) => {
            worker.once('message', resolve); // { ready: true }, sent once its detector is built
            worker.once('error', reject);
          });
          expect(threadNices().filter((n) => n === low).length - before, `${file} ${JSON.stringify(env)}`).toBe(lowered);
        } finally {
          await worker.terminate();
        }
      }
    }
  });
});
