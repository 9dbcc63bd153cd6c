// Matching workers yield the cores to the threads and processes that feed them (see lowerThisThread).
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Nice levels the matching workers go below the rest of the process, by default. */
export const WORKER_NICE = 10;

/**
 * How many nice levels lower the matching workers run: SECRETSCAN_WORKER_NICE, a whole number from
 * 0 (as the rest of the process) to 19; anything else is the default, WORKER_NICE.
 */
export function workerNice(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SECRETSCAN_WORKER_NICE?.trim();
  if (!text || !/^\d{1,2}$/.test(text)) return WORKER_NICE;
  const n = Number(text);
  return n <= 19 ? n : WORKER_NICE;
}

/**
 * Lowers the scheduling priority of the calling thread, and of it alone, by `by` nice levels (at
 * most to 19), and returns its new nice value; null where nothing changed: `by` of 0, or a system
 * without /proc/thread-self (Linux names each thread's own id there; setpriority on that id
 * touches that thread only), or the main thread itself, which would take the whole process down.
 *
 * Why the matching workers do this: a scan's main thread, git's processes and the threads that
 * gunzip image layers feed the workers through small buffers (~45 KB of a socket for `git
 * cat-file`), and on a machine with as many busy threads as cores, every time a feeder has to wait
 * for a core held by a worker, the workers soon run dry. Workers have queues to work through; the
 * feeders do not. Measured on 2 cores, alternating runs: curl's history 16.1 / 16.8 s -> 14.7 /
 * 14.8 s (1.62 -> 1.80 cores busy); an image of two gzip layers 23.3 -> 21.1 s; a folder of npm
 * packages 9.5 -> 8.3 s. On an idle machine the workers lose nothing: nice only shares out a core
 * that two threads want.
 */
export function lowerThisThread(by: number, self = '/proc/thread-self'): number | null {
  if (!(by > 0)) return null;
  try {
    const tid = Number(readlinkSync(self).split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return null;
    const nice = Math.min(19, getPriority(tid) + by);
    setPriority(tid, nice);
    return nice;
  } catch {
    return null; // no /proc/thread-self (macOS, Windows), or the system refused: run as is
  }
}
