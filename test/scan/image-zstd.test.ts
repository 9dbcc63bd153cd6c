import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { prepareScan } from '../../src/scan/engine.js';
import { scanImage, type ImageScanResult } from '../../src/scan/image.js';
import { availableZstdEngines, liveZstdChildren, zstdEngine, type ZstdEngine } from '../../src/sources/image/decompress.js';
import { walkLayer } from '../../src/sources/image/layer-walker.js';
import { LayerOverlay } from '../../src/sources/image/overlay.js';
import { openPathSource } from '../../src/sources/image/target.js';
import { DEFAULT_LIMITS } from '../../src/sources/image/tar-walk.js';
import { OCI_CONFIG, OCI_MANIFEST, writeOciLayout } from '../../fixtures/images/build-images.mjs';
import { MEDIA, sha256, tarBuffer, zstdSync } from '../../fixtures/images/layers.mjs';
import { fake } from '../../fixtures/fake-keys.mjs';
import { alive, until } from '../support/processes.js';

// zstd layers through the whole image scan, once per zstd decoder this machine has (Node's own
// where Node has it, the zstd command, fzstd): same findings, same reports of damage and limits.
const engines = availableZstdEngines();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-zstd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const keys = { server: fake.openai(), env: fake.stripeLive(), late: fake.github(), afterHuge: fake.slackBot() };
/** 12 MiB of one letter: over the 10 MiB max-file-size, from a few hundred bytes of zstd. */
const HUGE = 12 * 1024 * 1024;
let raw: Buffer;

beforeAll(async () => {
  // Text in many lines (several zstd blocks, many output chunks), the key near its end.
  const big = `${Array.from({ length: 60000 }, (_, i) => `log line ${i}: request ${(i * 2654435761) % 1000003} served`).join('\n')}\ntoken=${keys.late}\n`;
  raw = await tarBuffer([
    { name: 'app/', type: 'directory' },
    { name: 'app/server.js', content: `const OpenAI = require('openai');\nconst client = new OpenAI({ apiKey: '${keys.server}' });\n` },
    { name: 'app/.env', content: `NODE_ENV=production\nSTRIPE_SECRET_KEY=${keys.env}\n` },
    { name: 'var/log/app.log', content: big },
    { name: 'var/log/huge.log', content: Buffer.alloc(HUGE, 'a') },
    { name: 'etc/slack.json', content: `{ "token": "${keys.afterHuge}" }\n` },
  ]);
});

/** An OCI layout of one image with one zstd layer: `blob` as given (its digest is its own, right or not). */
function layout(name: string, blob: Buffer): string {
  const diffId = sha256(raw);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] }, history: [{ created_by: 'COPY . /' }] }));
  const layer = { blob, digest: sha256(blob), diffId, size: blob.length, mediaType: MEDIA.zstd };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
    }),
  );
  return writeOciLayout(path.join(scratch, name), [{ layers: [layer], config, manifest, platform: { os: 'linux', architecture: 'amd64' } }]);
}

async function scanWith(engine: ZstdEngine, dir: string): Promise<ImageScanResult> {
  process.env.SECRETSCAN_ZSTD = engine;
  try {
    expect(zstdEngine()).toBe(engine);
    return await scanImage(await openPathSource(dir), prepareScan(defaultConfig(os.tmpdir())), { threads: 1 });
  } finally {
    delete process.env.SECRETSCAN_ZSTD;
  }
}

const places = (r: ImageScanResult) => r.findings.flatMap((f) => f.locations.map((l) => `${f.ruleId} ${f.secret} ${l.path}:${l.line}`)).sort();

describe('zstd layers: each decoder gives the same scan', () => {
  it('runs the zstd command here, and fzstd', () => {
    expect(engines).toEqual(expect.arrayContaining(['cli', 'js']));
  });

  it('finds the same secrets, scans the same bytes and skips the same files (one frame, and zstd:chunked-like frames)', async () => {
    const one = layout('one', zstdSync(raw));
    // Three frames cut mid-file, with skippable frames between them, as zstd:chunked writes.
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0]), Buffer.from('toc!')]);
    const cuts = [0, 700_000, 2_000_000, raw.length];
    const frames = cuts.slice(1).flatMap((end, i) => [zstdSync(raw.subarray(cuts[i], end)), skippable]);
    const chunked = layout('chunked', Buffer.concat(frames));
    const results: ImageScanResult[] = [];
    for (const engine of engines) for (const dir of [one, chunked]) results.push(await scanWith(engine, dir));
    const first = results[0]!;
    expect(first.findings.map((f) => f.secret).sort()).toEqual(Object.values(keys).sort());
    expect(places(first)).toHaveLength(4);
    expect(first.errors).toEqual([]);
    expect(first.skipped).toEqual([{ path: '/var/log/huge.log', reason: 'too-large', detail: `${HUGE} bytes > limit ${10 * 1024 * 1024}; layer 0` }]);
    for (const r of results.slice(1)) {
      expect(places(r)).toEqual(places(first));
      expect(r.skipped).toEqual(first.skipped);
      expect(r.errors).toEqual([]);
      expect({ files: r.stats.files, bytes: r.stats.bytes }).toEqual({ files: first.stats.files, bytes: first.stats.bytes });
    }
    expect(liveZstdChildren()).toEqual([]);
  });

  it.each(engines)('%s: a corrupt zstd layer (digest right, frame cut short or followed by garbage) is reported as not scanned, with the reason', async (engine) => {
    const blob = zstdSync(raw);
    for (const [name, bad] of [
      ['cut', blob.subarray(0, blob.length - 100)],
      ['garbage', Buffer.concat([blob, Buffer.from('not a zstd frame')])],
    ] as const) {
      const dir = layout(`${engine}-${name}`, bad);
      const r = await scanWith(engine, dir);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.message).toMatch(/^layer 0 \(sha256:[0-9a-f]{12}\) of .* linux\/amd64: zstd data is corrupt or truncated: \S.{3,}$/);
      expect(r.skipped).toContainEqual({ path: `blobs/sha256/${sha256(bad).slice(7)}`, reason: 'unreadable', detail: `${r.errors[0]!.message} (the layer was not fully scanned)` });
      expect(liveZstdChildren()).toEqual([]);
    }
  });
});

describe('zstd layers: the archive-bomb bound trips the same on each decoder', () => {
  it.each(engines)('%s: a tar.gz in the layer that expands past maxExpanded is stopped and reported, the walk goes on', async (engine) => {
    const mb = Buffer.alloc(1024 * 1024, 'x');
    const inner = await tarBuffer([1, 2, 3].map((i) => ({ name: `part${i}.txt`, content: mb })));
    const tar = await tarBuffer([
      { name: 'app/assets.tar.gz', content: gzipSync(inner) },
      { name: 'app/after.txt', content: 'after\n' },
    ]);
    const blob = zstdSync(tar);
    const files: string[] = [];
    const skips: string[] = [];
    process.env.SECRETSCAN_ZSTD = engine;
    try {
      const layer = { index: 0, digest: sha256(blob), size: blob.length, mediaType: MEDIA.zstd, location: 'blob', open: async () => Readable.from([blob]) };
      const sink = {
        file: async (p: string, _outer: string, bytes: Buffer) => void files.push(`${p} ${bytes.length}`),
        skip: (p: string, reason: string, detail?: string) => void skips.push(`${p} ${reason} ${detail}`),
      };
      const walked = await walkLayer(layer, 'layer 0', { ...DEFAULT_LIMITS, maxFileSize: 4 * 1024 * 1024, maxExpanded: 2 * 1024 * 1024 }, sink, new LayerOverlay());
      expect(walked.compression).toBe('zstd');
    } finally {
      delete process.env.SECRETSCAN_ZSTD;
    }
    expect(files).toEqual(['/app/assets.tar.gz!/part1.txt 1048576', '/app/assets.tar.gz!/part2.txt 1048576', '/app/after.txt 6']);
    expect(skips).toEqual(['/app/assets.tar.gz unreadable not a readable tar.gz archive: expanded past 2097152 bytes; stopped (an archive bomb?)']);
    expect(liveZstdChildren()).toEqual([]);
  });
});

describe('zstd layers: an early stop leaves no zstd child behind', () => {
  it('ends the child when the walk stops at an error of its sink', async () => {
    expect(engines).toContain('cli');
    // 40 MiB of text after the first file: the child is still writing when the walk stops.
    const filler = Buffer.from(Array.from({ length: 800_000 }, (_, i) => `filler ${i} ${(i * 40503) % 65521}`).join('\n'));
    const tar = await tarBuffer([
      { name: 'a.txt', content: 'first\n' },
      { name: 'b.txt', content: filler },
      { name: 'c.txt', content: filler },
    ]);
    const blob = zstdSync(tar);
    const seen: number[] = [];
    process.env.SECRETSCAN_ZSTD = 'cli';
    try {
      const layer = { index: 0, digest: sha256(blob), size: blob.length, mediaType: MEDIA.zstd, location: 'blob', open: async () => Readable.from([blob]) };
      const sink = {
        file: async () => {
          seen.push(...liveZstdChildren());
          throw new Error('the scan stopped');
        },
        skip: () => {},
      };
      await expect(walkLayer(layer, 'layer 0', { ...DEFAULT_LIMITS, maxFileSize: 1 << 30 }, sink, new LayerOverlay())).rejects.toThrow('the scan stopped');
    } finally {
      delete process.env.SECRETSCAN_ZSTD;
    }
    expect(seen).toHaveLength(1);
    // Gone from the system, and its exit seen by this process.
    await until(() => !alive(seen[0]!) && liveZstdChildren().length === 0);
  });

  it.each(['exit', 'SIGKILL'])('a process that ends (%s) mid-layer leaves no zstd child running', async (how) => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
    const built = path.join(root, 'dist', 'sources', 'image', 'decompress.js');
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    // A layer decompressor whose reader never reads: the child blocks on a full pipe.
    const script = `
      import { LayerDecompressor, liveZstdChildren } from ${JSON.stringify(built)};
      import { spawnSync } from 'node:child_process';
      const blob = spawnSync('zstd', ['-q', '-c'], { input: Buffer.alloc(64 << 20), maxBuffer: 1 << 30 }).stdout;
      const d = new LayerDecompressor('zstd', { zstd: 'cli' });
      d.write(blob);
      setTimeout(() => {
        console.log(liveZstdChildren().join(','));
        if (${JSON.stringify(how)} === 'exit') process.exit(0);
      }, 300);
      setInterval(() => {}, 1000);
    `;
    const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (how === 'SIGKILL' && out.includes('\n')) proc.kill('SIGKILL');
    });
    await new Promise((resolve) => proc.on('close', resolve));
    const pids = out.trim().split(',').filter(Boolean).map(Number);
    expect(pids).toHaveLength(1);
    await until(() => !alive(pids[0]!));
  });
});

