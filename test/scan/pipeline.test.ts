import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { Detector } from '../../src/detect/detector.js';
import type { FileScanResult } from '../../src/detect/file-scan.js';
import { scanChunk, scanSpans, type ChunkBatch, type DetectorPool } from '../../src/detect/pool.js';
import { prepareScan } from '../../src/scan/engine.js';
import { runOnPool, runScan } from '../../src/scan/pipeline.js';
import type { Emit, Source } from '../../src/scan/source.js';
import { githubToken, stripeSecretKey } from '../support/fake-keys.js';

const ROOT = path.resolve('/fake-root');

function setupWith(allowPaths: string[] = []) {
  const config = defaultConfig(ROOT);
  config.allowPaths = allowPaths;
  return prepareScan(config);
}

/** A source that emits what `body` says. */
function fakeSource(body: (emit: Emit) => Promise<void>, target = 'fake'): Source {
  return { target, expectedBytes: () => 0, run: body };
}

/**
 * A pool that matches on this thread but answers batches only when released, and records how
 * many chunks and bytes were waiting with it at most: what the pipeline had in flight.
 */
class SlowPool implements DetectorPool {
  readonly threaded = true;
  private readonly detector: Detector;
  private held: (() => void)[] = [];
  private inChunks = 0;
  private inBytes = 0;
  maxChunks = 0;
  maxBytes = 0;
  batches = 0;

  constructor(setup: ReturnType<typeof setupWith>) {
    this.detector = new Detector(setup.detector);
  }

  scanBatch(batch: ChunkBatch): Promise<FileScanResult[]> {
    // Matched now, as a worker would on the bytes it was sent: later writes by the source must not show.
    const results = scanSpans(this.detector, batch.arrayBuffer, batch.spans);
    const chunks = batch.size;
    const bytes = batch.arrayBuffer.byteLength;
    this.batches++;
    this.inChunks += chunks;
    this.inBytes += bytes;
    this.maxChunks = Math.max(this.maxChunks, this.inChunks);
    this.maxBytes = Math.max(this.maxBytes, this.inBytes);
    return new Promise((resolve) => {
      this.held.push(() => {
        this.inChunks -= chunks;
        this.inBytes -= bytes;
        resolve(results);
      });
      // Answers come back one by one, later: the queue fills up meanwhile.
      setTimeout(() => this.held.shift()?.(), 2);
    });
  }

  async scanBytes(bytes: Buffer, p?: string, plain = false) {
    return scanChunk(this.detector, bytes, p, plain);
  }
  async scanFiles(): Promise<FileScanResult[]> {
    throw new Error('not used');
  }
  async close() {}
}

describe('the scan pipeline', () => {
  it('reports the skips a source emits and the chunks the detector skips, and counts only what was matched', async () => {
    const key = githubToken();
    const result = await runScan(
      fakeSource(async (emit) => {
        emit.skip({ path: 'huge.bin', reason: 'too-large', detail: '9 bytes > limit 1' });
        await emit.chunk({ kind: 'bytes', path: 'image.png', bytes: Buffer.from([0x89, 0x50, 0x00, 0x00, 0x01, 0x02]) });
        await emit.chunk({ kind: 'bytes', path: 'app.env', bytes: Buffer.from(`GITHUB_TOKEN=${key}\n`) });
      }),
      setupWith(),
    );
    expect(result.skipped).toEqual([
      { path: 'huge.bin', reason: 'too-large', detail: '9 bytes > limit 1' },
      { path: 'image.png', reason: 'binary' },
    ]);
    expect(result.stats.files).toBe(1);
    expect(result.stats.bytes).toBe(`GITHUB_TOKEN=${key}\n`.length);
    expect(result.findings.map((f) => [f.secret, f.locations.map((l) => l.path)])).toEqual([[key, ['app.env']]]);
  });

  it('drops and counts chunks the config allow-paths name, and counts paths a source left out itself', async () => {
    const key = stripeSecretKey();
    const result = await runScan(
      fakeSource(async (emit) => {
        for (const p of ['vendor/a.env', 'vendor/b.env', 'src/c.env']) {
          await emit.chunk({ kind: 'bytes', path: p, bytes: Buffer.from(`STRIPE_SECRET_KEY=${key}\n`), allowAt: path.join(ROOT, p) });
        }
        emit.allowed(3);
      }),
      setupWith(['vendor/**']),
    );
    expect(result.suppressed).toEqual({ 'allow-path': 5 });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.locations.map((l) => l.path)).toEqual(['src/c.env']);
    expect(result.stats.files).toBe(1);
  });

  it('keeps the bytes in flight under its limit, making the source wait, and matches every chunk', async () => {
    const setup = setupWith();
    const pool = new SlowPool(setup);
    const key = githubToken();
    const chunk = Buffer.alloc(100 * 1024, 'x\n');
    const limit = 1024 * 1024;
    let emitted = 0;
    const result = await runOnPool(
      fakeSource(async (emit) => {
        for (let i = 0; i < 60; i++) {
          const bytes = Buffer.concat([chunk, Buffer.from(`TOKEN_${i}=${key}\n`)]);
          await emit.chunk({ kind: 'bytes', path: `f${i}.env`, bytes });
          // The source may reuse its buffer once emit returns: what was queued is a copy.
          bytes.fill(0x20);
          emitted++;
        }
      }),
      setup,
      pool,
      { limits: { bytes: limit, chunks: 10_000 } },
    );
    expect(emitted).toBe(60);
    expect(pool.batches).toBeGreaterThan(10);
    // One message over the limit at most: the queue waits once it is reached.
    expect(pool.maxBytes).toBeLessThanOrEqual(limit + 256 * 1024);
    expect(pool.maxBytes).toBeGreaterThan(limit / 2);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.locations).toHaveLength(60);
    expect(result.stats.files).toBe(60);
  });

  it('takes chunks from two walks at once (an image\'s layers), each packed whole into some message', async () => {
    const setup = setupWith();
    const pool = new SlowPool(setup);
    const key = githubToken();
    // 100 KiB chunks: every third one fills a 256 KiB message, so one walk waits for a flush
    // while the other starts the next message.
    const walk = async (emit: Emit, name: string) => {
      for (let i = 0; i < 30; i++) {
        await emit.chunk({ kind: 'bytes', path: `${name}/f${i}.env`, bytes: Buffer.concat([Buffer.alloc(100 * 1024, 'x\n'), Buffer.from(`TOKEN=${key}\n`)]) });
      }
    };
    const result = await runOnPool(
      fakeSource((emit) => Promise.all([walk(emit, 'a'), walk(emit, 'b')]).then(() => {})),
      setup,
      pool,
      { limits: { bytes: 1024 * 1024, chunks: 10_000 } },
    );
    expect(result.stats.files).toBe(60);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.locations.map((l) => l.path).sort()).toEqual(
      ['a', 'b'].flatMap((n) => Array.from({ length: 30 }, (_, i) => `${n}/f${i}.env`)).sort(),
    );
  });

  it('matches plain text (commit messages) in the workers\' batches as on this thread: no binary check, no path-scoped rules', async () => {
    const key = githubToken();
    // A NUL byte would make a file binary; a .netrc-scoped rule would read `password …` as a login.
    const text = Buffer.from(`fix\0 build\nGITHUB_TOKEN=${key}\nmachine example.org login me password Pq8Xk2Lm7Rw4\n`);
    const source = () =>
      fakeSource(async (emit) => {
        await emit.chunk({ kind: 'bytes', plain: true, path: '.netrc', bytes: text });
        await emit.chunk({ kind: 'bytes', path: '.netrc', bytes: Buffer.from('machine example.org login me password Pq8Xk2Lm7Rw4\n') });
      });
    const setup = setupWith();
    const pool = new SlowPool(setup);
    const threaded = await runOnPool(source(), setup, pool);
    const inline = await runScan(source(), setupWith());
    expect(pool.batches).toBe(1);
    for (const result of [threaded, inline]) {
      expect(result.skipped).toEqual([]);
      const found = result.findings.map((f) => `${f.ruleId} ${f.locations.map((l) => `${l.path}:${l.line}`).join(' ')}`).sort();
      // In the text, the password is only a generic finding; in the file, the .netrc rule's.
      expect(found).toEqual(['generic-secret-argument .netrc:3', 'github-personal-access-token .netrc:2', 'host-login-netrc-password .netrc:1']);
    }
  });

  it('keeps the chunks in flight under its limit, several per message', async () => {
    const setup = setupWith();
    const pool = new SlowPool(setup);
    const result = await runOnPool(
      fakeSource(async (emit) => {
        for (let i = 0; i < 1000; i++) await emit.chunk({ kind: 'bytes', path: `m${i}.txt`, bytes: Buffer.from(`line ${i}\n`) });
      }),
      setup,
      pool,
      { limits: { chunks: 200, bytes: 1 << 30 } },
    );
    expect(result.stats.files).toBe(1000);
    // 64 chunks per message: 16 messages, at most 4 in flight (the fourth takes the queue past 200).
    expect(pool.batches).toBe(16);
    expect(pool.maxChunks).toBeLessThanOrEqual(200 + 64);
  });

  it('hands a chunk\'s previous version to locate, and lets the source finish and settle its matches', async () => {
    const setup = setupWith();
    const pool = new SlowPool(setup);
    const oldKey = githubToken();
    const newKey = githubToken();
    const result = await runOnPool<{ secret: string }>(
      {
        target: 'repo',
        expectedBytes: () => 0,
        async run(emit) {
          await emit.chunk({
            kind: 'bytes',
            path: 'a.env',
            bytes: Buffer.from(`A=${oldKey}\nB=${newKey}\n`),
            before: Buffer.from(`A=${oldKey}\n`),
            locate: (matches, _, before) => matches.filter((m) => !before?.matches.some((b) => b.secret === m.secret)).map((m) => ({ secret: m.secret })),
          });
        },
        finish: (found) => found.map((f) => ({ ruleId: 'github-personal-access-token', secret: f.secret, line: 2, column: 3, endLine: 2, endColumn: 3, entropy: 4, lineText: '', path: 'a.env' })),
      },
      setup,
      pool,
    );
    expect(result.findings.map((f) => f.secret)).toEqual([newKey]);
  });
});
