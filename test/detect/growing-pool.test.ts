import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import type { FileScanResult } from '../../src/detect/file-scan.js';
import { ChunkBatch, GrowingPool, InlinePool, type WorkerPool } from '../../src/detect/pool.js';
import { loadBuiltinRules } from '../../src/rules/builtin.js';
import { estimateBytes } from '../../src/scan/directory.js';

const { rules, placeholders } = loadBuiltinRules();
const options = { rules, placeholders };
// A synthetic Stripe-shaped test key, made up here.
const KEY = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'.split('').reverse().join('')}`;
const text = (i: number) => Buffer.from(`const note${i} = "nothing here";\nconst stripeKey = "${KEY}";\n`);

/** Stands in for a WorkerPool: counts what it is asked, answers "found nothing", ready when told. */
function fakeWorkers() {
  let markReady!: () => void;
  const calls: string[] = [];
  const empty = (n: number): FileScanResult[] => Array.from({ length: n }, () => ({ matches: [], bytes: 0 }));
  const pool = {
    ready: new Promise<void>((r) => (markReady = r)),
    threaded: true,
    closed: false,
    async scanFiles(paths: unknown[]) {
      calls.push('files');
      return empty(paths.length);
    },
    async scanBytes() {
      calls.push('bytes');
      return empty(1)[0]!;
    },
    async scanBatch(batch: ChunkBatch) {
      calls.push('batch');
      return empty(batch.size);
    },
    async close() {
      pool.closed = true;
    },
  };
  return { pool, calls, markReady: () => markReady() };
}

describe('a growing pool', () => {
  it('matches on this thread, as an inline pool does, while under its threshold', async () => {
    let made = 0;
    const grow = new GrowingPool(options, 2, 1 << 20, () => {
      made++;
      throw new Error('not expected');
    });
    const inline = new InlinePool(new Detector(options));
    for (let i = 0; i < 5; i++) {
      const [a, b] = [await grow.scanBytes(text(i), 'src/a.js'), await inline.scanBytes(text(i), 'src/a.js')];
      expect(a).toEqual(b);
      expect(a.matches.map((m) => m.secret)).toEqual([KEY]);
    }
    expect(made).toBe(0);
    expect(grow.threaded).toBe(false);
    expect(grow.grown).toBe(false);
    await grow.close();
  });

  it('starts workers once past its threshold, keeps matching here until they are ready, then hands them the work', async () => {
    const fake = fakeWorkers();
    let made = 0;
    const threshold = 3 * text(0).length;
    const grow = new GrowingPool(options, 2, threshold, () => {
      made++;
      return fake.pool as unknown as WorkerPool;
    });
    // Under the threshold: nothing started.
    await grow.scanBytes(text(0), 'a.js');
    await grow.scanBytes(text(1), 'a.js');
    expect(made).toBe(0);
    // Past it: workers made once, not yet ready, so this thread still finds the key itself.
    const third = await grow.scanBytes(text(2), 'a.js');
    expect(third.matches.map((m) => m.secret)).toEqual([KEY]);
    expect(made).toBe(1);
    expect(grow.grown).toBe(true);
    const fourth = await grow.scanBytes(text(3), 'a.js');
    expect(fourth.matches.map((m) => m.secret)).toEqual([KEY]);
    expect(made).toBe(1);
    expect(grow.threaded).toBe(false);
    expect(fake.calls).toEqual([]);
    // Ready: the pipeline now packs batches, and every kind of request goes to the workers.
    fake.markReady();
    await new Promise((r) => setImmediate(r));
    expect(grow.threaded).toBe(true);
    const batch = new ChunkBatch(1024);
    batch.add(text(4), 'a.js');
    expect(await grow.scanBatch(batch)).toEqual([{ matches: [], bytes: 0 }]);
    await grow.scanBytes(text(5), 'a.js');
    await grow.scanFiles(['/nonexistent/x.js'], 1 << 20, ['x.js']);
    expect(fake.calls).toEqual(['batch', 'bytes', 'files']);
    await grow.close();
    expect(fake.pool.closed).toBe(true);
  });

  it('goes on here when workers cannot be started', async () => {
    const grow = new GrowingPool(options, 2, 1, () => {
      throw new Error('no threads left');
    });
    for (let i = 0; i < 3; i++) expect((await grow.scanBytes(text(i), 'a.js')).matches.map((m) => m.secret)).toEqual([KEY]);
    expect(grow.threaded).toBe(false);
    await grow.close();
  });
});

describe('a folder’s size estimate', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-estimate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, size: number) => {
    const abs = path.join(dir, name);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, Buffer.alloc(size, 97));
    return { abs };
  };

  it('is the sum of the sizes when every file is sampled', () => {
    const files = [file('a', 1000), file('b/c', 3000), file('d', 0)];
    expect(estimateBytes(files)).toBe(4000);
    expect(estimateBytes([])).toBe(0);
  });

  it('leaves out files it cannot look up, and scales a sample of a long list to its length', () => {
    const some = Array.from({ length: 10 }, (_, i) => file(`s${i}`, 2048));
    expect(estimateBytes([...some, { abs: path.join(dir, 'gone') }])).toBe(Math.round(2048 * 11));
    // 1,000 files of 100 bytes: 256 looked up, the mean times the count.
    const many = Array.from({ length: 1000 }, (_, i) => file(`m/${i}`, 100));
    expect(estimateBytes(many)).toBe(100_000);
  });
});
