#!/usr/bin/env node
// Times each zstd decoder of an image scan alone (LayerDecompressor from dist/: Node's own zstd
// where this Node has it, the zstd command, fzstd) on the layers of an image built by
// `node bench/image.mjs ... --zstd`, with the CPU time spent in this process (the zstd command's
// own is not in it). Usage: npm run build && node bench/zstd-decoders.mjs [OUT_DIR]
// OUT_DIR is bench/image.mjs's (default bench/out/image).
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { LayerDecompressor, availableZstdEngines } = await import(path.join(here, '..', 'dist', 'sources', 'image', 'decompress.js'));
const layout = path.join(path.resolve(process.argv[2] ?? path.join(here, 'out', 'image')), 'oci');
const blob = (digest) => path.join(layout, 'blobs', 'sha256', digest.slice(7));
const top = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')).manifests[0];
const layers = JSON.parse(readFileSync(blob(top.digest), 'utf8')).layers.filter((l) => l.mediaType.endsWith('+zstd'));
if (layers.length === 0) throw new Error(`no zstd layers in ${layout}: build it with node bench/image.mjs ... --zstd`);

for (const zstd of availableZstdEngines()) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let bytes = 0;
  for (const l of layers) {
    const sink = new Writable({
      write(c, _enc, done) {
        bytes += c.length;
        done();
      },
    });
    await pipeline(createReadStream(blob(l.digest), { highWaterMark: 1 << 20 }), new LayerDecompressor('zstd', { zstd }), sink);
  }
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${process.version} ${zstd}: ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s (${(bytes / 1e6 / seconds).toFixed(0)} MB/s), CPU in this process ${((used.user + used.system) / 1e6).toFixed(2)} s`);
}
