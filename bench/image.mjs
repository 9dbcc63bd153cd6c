#!/usr/bin/env node
// Benchmark for `secretscan image` (run by hand): builds (once) an OCI image of gzip layers from
// generated source trees and binary files, then times, in the same run, a raw decompression of
// every layer (`tar -xzOf layer > /dev/null`, what any tool must pay to read the image) and
// `secretscan image` on the layout, with its peak RSS from /usr/bin/time.
// Usage: npm run build && node bench/image.mjs [OUT_DIR] [SIZE_MB] [--from DIR,DIR…] [--zstd] [--against OTHER/bin/secretscan.js]
//   --from DIR,DIR…  one layer per folder, as it is (a Debian root fs, a real node_modules) instead of
//                    generated trees; SIZE_MB is then ignored
//   --zstd           zstd layers (tar+zstd) instead of gzip; the floor is then `tar --zstd -xOf`
//   --against CLI    also time another build (main's, say) on the same image, after this one
// Target (issue 11): within 1.5x of the raw decompression, peak RSS under 250 MB.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { generateTree } from './gen-tree.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv.splice(at, 2)[1] : undefined;
};
const flag = (name) => {
  const at = argv.indexOf(name);
  if (at >= 0) argv.splice(at, 1);
  return at >= 0;
};
const from = option('--from')?.split(',').map((d) => path.resolve(d));
const against = option('--against');
const zstd = flag('--zstd');
const out = path.resolve(argv[0] ?? path.join(here, 'out', 'image'));
const sizeMb = Number(argv[1] ?? 900);
const LAYERS = from?.length ?? 6;
const layout = path.join(out, 'oci');
const marker = path.join(out, `built-${from ? createHash('sha256').update(from.join(',')).digest('hex').slice(0, 12) : `${sizeMb}mb`}${zstd ? '-zstd' : ''}`);
const layerMediaType = `application/vnd.oci.image.layer.v1.tar+${zstd ? 'zstd' : 'gzip'}`;
/** Reads a layer blob's tar stream, for the diff_id. */
const unpackedStream = (file) => (zstd ? spawn('zstd', ['-dc', file]).stdout : createReadStream(file).pipe(createGunzip()));
const cli = path.join(here, '..', 'bin', 'secretscan.js');

async function hashStream(stream) {
  const h = createHash('sha256');
  for await (const c of stream) h.update(c);
  return `sha256:${h.digest('hex')}`;
}

/** A layer's files: a generated source tree (60%) and binary files (40%: libraries, assets). */
function fillLayer(dir, bytes, seed) {
  generateTree(dir, Math.floor(bytes * 0.6), seed);
  let left = Math.floor(bytes * 0.4);
  for (let i = 0; left > 0; i++) {
    const size = Math.min(left, (1 + (i % 7)) * 1024 * 1024);
    // ELF magic then random bytes: binary (NUL early), and as incompressible as real binaries.
    const body = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(size - 8)]);
    mkdirSync(path.join(dir, 'usr', 'lib', `pkg${i % 20}`), { recursive: true });
    writeFileSync(path.join(dir, 'usr', 'lib', `pkg${i % 20}`, `lib${i}.so`), body);
    left -= size;
  }
}

async function build() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  const perLayer = Math.floor((sizeMb * 1024 * 1024) / LAYERS);
  const layers = [];
  for (let i = 0; i < LAYERS; i++) {
    const src = from ? from[i] : path.join(out, 'src', `layer${i}`);
    if (!from) fillLayer(src, perLayer, i + 1);
    const tmp = path.join(out, `layer${i}.tar.${zstd ? 'zst' : 'gz'}`);
    execFileSync('tar', ['-C', src, zstd ? '--zstd' : '-z', '-cf', tmp, '.']);
    if (!from) rmSync(src, { recursive: true, force: true });
    const digest = await hashStream(createReadStream(tmp));
    const diffId = await hashStream(unpackedStream(tmp));
    const size = statSync(tmp).size;
    renameSync(tmp, path.join(layout, 'blobs', 'sha256', digest.slice(7)));
    layers.push({ digest, diffId, size });
    console.error(`built layer ${i}: ${(size / 1e6).toFixed(0)} MB gzip`);
  }
  const put = (obj) => {
    const buf = Buffer.from(JSON.stringify(obj));
    const digest = `sha256:${createHash('sha256').update(buf).digest('hex')}`;
    writeFileSync(path.join(layout, 'blobs', 'sha256', digest.slice(7)), buf);
    return { digest, size: buf.length };
  };
  const config = put({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/bin:/bin', 'NODE_ENV=production'], Cmd: ['node', 'server.js'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created_by: `/bin/sh -c make layer-${i}` })),
  });
  const manifest = put({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: layerMediaType, digest: l.digest, size: l.size })),
  });
  writeFileSync(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    path.join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'bench' } }] }),
  );
  writeFileSync(marker, '');
}

/** Wall time (s) and peak RSS (MB) of a command, from GNU time. */
function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  const last = r.stderr.trim().split('\n').at(-1).split(' ');
  return { seconds: Number(last[0]), rssMb: Number(last[1]) / 1024, status: r.status, stderr: r.stderr };
}

if (!existsSync(marker)) await build();
const blobs = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')).manifests[0];
const manifest = JSON.parse(readFileSync(path.join(layout, 'blobs', 'sha256', blobs.digest.slice(7)), 'utf8'));
const layerFiles = manifest.layers.map((l) => path.join(layout, 'blobs', 'sha256', l.digest.slice(7)));
const stored = layerFiles.reduce((n, f) => n + statSync(f).size, 0);

// Warm the page cache, so that both runs read from memory.
for (const f of layerFiles) execFileSync('cat', [f], { stdio: ['ignore', 'ignore', 'ignore'] });
let unpacked = 0;
const rawStart = performance.now();
for (const f of layerFiles) {
  const r = spawnSync('sh', ['-c', `tar ${zstd ? '--zstd' : '-z'} -xOf "$1" | wc -c`, 'sh', f], { encoding: 'utf8' });
  unpacked += Number(r.stdout.trim());
}
const raw = (performance.now() - rawStart) / 1000;

const runs = [{ name: 'secretscan', cli }, ...(against ? [{ name: 'against', cli: path.resolve(against) }] : [])];
console.log(`image: ${layerFiles.length} ${zstd ? 'zstd' : 'gzip'} layers, ${(stored / 1e6).toFixed(0)} MB stored, ${(unpacked / 1e6).toFixed(0)} MB unpacked; ${readdirSync(path.join(layout, 'blobs', 'sha256')).length} blobs`);
console.log(`raw decompression (tar -x${zstd ? ' --zstd' : 'z'}Of per layer): ${raw.toFixed(1)} s, ${(unpacked / 1e6 / raw).toFixed(0)} MB/s unpacked`);
for (const run of runs) {
  const scan = timed(process.execPath, [run.cli, 'image', layout, '--no-config', '--no-fail', '-f', 'json', '-o', path.join(out, 'report.json'), '-q']);
  if (scan.status !== 0) throw new Error(`${run.name} failed:\n${scan.stderr}`);
  const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
  console.log(`${run.name} image (${run.cli}): ${scan.seconds.toFixed(1)} s, ${(unpacked / 1e6 / scan.seconds).toFixed(0)} MB/s unpacked, peak RSS ${scan.rssMb.toFixed(0)} MB`);
  console.log(`  scanned ${report.summary.files} files, ${(report.summary.bytes / 1e6).toFixed(0)} MB of text; skipped ${JSON.stringify(report.summary.skipped)}; ${report.summary.findings} findings`);
  console.log(`  ratio: ${(scan.seconds / raw).toFixed(2)}x the raw decompression (target <= 1.5x); peak RSS target < 250 MB`);
}
