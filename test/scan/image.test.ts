import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { prepareScan } from '../../src/scan/engine.js';
import { scanImage, type ImageScanResult } from '../../src/scan/image.js';
import { openPathSource } from '../../src/sources/image/target.js';
import type { Finding, ImageOrigin, Location } from '../../src/types.js';
import { useFixtureImages } from '../support/images.js';

// End to end through the library: fixture images built by fixtures/images/build-images.mjs.
const images = useFixtureImages();
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function scan(target: string, platform?: string, maxFileSize?: number): Promise<ImageScanResult> {
  const config = { ...defaultConfig(os.tmpdir()), ...(maxFileSize ? { maxFileSize } : {}) };
  return scanImage(await openPathSource(target), prepareScan(config), platform ? { platform } : {});
}

/** The locations of the finding whose secret is `secret`, with their image origins. */
function placesOf(result: ImageScanResult, secret: string): (Location & { origin: ImageOrigin })[] {
  const f: Finding | undefined = result.findings.find((x) => x.secret === secret);
  expect(f, `no finding for ${secret.slice(0, 8)}…`).toBeDefined();
  return f!.locations as (Location & { origin: ImageOrigin })[];
}

describe('image scan: layers, whiteouts and build steps (docker save archive)', () => {
  it('reports a file deleted by a whiteout as still in the image, with the layer and step that added it', async () => {
    const r = await scan(images().dockerArchive);
    const [place, ...others] = placesOf(r, images().keys.deleted);
    expect(others).toEqual([]);
    expect(place!.path).toBe('/app/config/.env');
    expect(place!.line).toBe(2);
    expect(place!.origin).toMatchObject({
      source: 'image-layer',
      image: 'secretscan-fixture/app:1.0',
      platform: 'linux/amd64',
      layer: 0,
      createdBy: '/bin/sh -c #(nop) ADD file:4f1c2d9e in / ',
      visible: false,
      deletedBy: 1,
      hiddenBy: 'whiteout',
    });
    expect(place!.origin.layerDigest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(r.errors).toEqual([]);
  });

  it('tells an opaque directory and a rewritten path from a whiteout', async () => {
    const r = await scan(images().dockerArchive);
    expect(placesOf(r, images().keys.opaque)[0]!.origin).toMatchObject({ layer: 0, visible: false, deletedBy: 1, hiddenBy: 'opaque-dir' });
    expect(placesOf(r, images().keys.overwritten)[0]).toMatchObject({ path: '/app/settings.yml', origin: { layer: 0, visible: false, deletedBy: 2, hiddenBy: 'overwritten' } });
  });

  it('marks what the final image shows as visible, with the step of its layer (zstd layer)', async () => {
    const r = await scan(images().dockerArchive);
    const [place] = placesOf(r, images().keys.visible);
    expect(place).toMatchObject({ path: '/app/server.js', line: 2, origin: { layer: 2, createdBy: 'COPY server.js settings.yml /app/ # buildkit', visible: true } });
    expect(place!.origin.deletedBy).toBeUndefined();
  });

  it('scans the config: Env, and every history created_by (ENV line, RUN line with a build arg)', async () => {
    const r = await scan(images().dockerArchive);
    const env = placesOf(r, images().keys.env);
    expect(env.map((l) => `${l.path}:${l.line}`)).toEqual(['<config>/Env:2', '<config>/history[1].created_by:1']);
    expect(env[0]!.origin).toMatchObject({ source: 'image-config', visible: true });
    const run = placesOf(r, images().keys.runLine);
    expect(run).toHaveLength(1);
    // History entry 3 is the second entry that made a layer (entries 1 and 2 are empty_layer).
    expect(run[0]).toMatchObject({ path: '<config>/history[3].created_by', origin: { source: 'image-config', layer: 1 } });
  });

  it('quotes build steps with the secrets they hold redacted', async () => {
    const r = await scan(images().dockerArchive);
    const inLayer1 = placesOf(r, images().keys.jar)[0]!;
    expect(inLayer1.origin.createdBy).toContain('NPM_TOKEN=npm_…(40 chars)');
    expect(JSON.stringify(r.findings.flatMap((f) => f.locations))).not.toContain(images().keys.runLine);
  });

  it('opens archives in layers: a jar, a tar.gz, and a zip inside that tar.gz; binary files are skipped and counted', async () => {
    const r = await scan(images().dockerArchive);
    expect(placesOf(r, images().keys.jar)[0]).toMatchObject({ path: '/app/lib/bundle.jar!/application.properties', origin: { layer: 1, archive: '/app/lib/bundle.jar', visible: true } });
    expect(placesOf(r, images().keys.tgz)[0]).toMatchObject({ path: '/app/assets.tar.gz!/conf/slack.json', origin: { layer: 1 } });
    expect(placesOf(r, images().keys.nestedZip)[0]).toMatchObject({ path: '/app/assets.tar.gz!/vendor/inner.zip!/keys.txt', origin: { archive: '/app/assets.tar.gz' } });
    expect(r.skipped).toEqual([
      { path: '/bin/sh', reason: 'binary', detail: 'layer 0' },
      { path: '/app/lib/bundle.jar', reason: 'binary', detail: '1 binary file inside, not scanned; layer 1' },
    ]);
  });

  it('opens archives only to the depth allowed: a zip two archives down is not opened', async () => {
    const r = await scan(images().dockerArchive);
    // Depth 2 is reached inside inner.zip (layer → tar.gz → zip); its members are files, scanned.
    expect(r.findings.some((f) => f.locations.some((l) => l.path.split('!').length > 3))).toBe(false);
  });
});

describe('image scan: OCI layouts and platforms', () => {
  it('scans every platform of an index by default, each finding naming its platform', async () => {
    const r = await scan(images().ociDir);
    expect(r.images.map((i) => i.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    const deleted = placesOf(r, images().keys.deleted);
    expect(deleted.map((l) => l.origin.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(deleted.every((l) => l.origin.image === 'oci:1.0' && l.origin.deletedBy === 1)).toBe(true);
    expect(placesOf(r, images().keys.arm).map((l) => l.origin.platform)).toEqual(['linux/arm64/v8']);
    expect(r.errors).toEqual([]);
  });

  it('--platform picks one platform (arm64 matches arm64/v8)', async () => {
    const amd = await scan(images().ociDir, 'linux/amd64');
    expect(amd.images.map((i) => i.platform)).toEqual(['linux/amd64']);
    expect(amd.findings.some((f) => f.secret === images().keys.arm)).toBe(false);
    const arm = await scan(images().ociDir, 'linux/arm64');
    expect(arm.images.map((i) => i.platform)).toEqual(['linux/arm64/v8']);
    expect(placesOf(arm, images().keys.arm)).toHaveLength(1);
  });

  it('names the platforms an image has when --platform matches none', async () => {
    await expect(scan(images().ociDir, 'linux/s390x')).rejects.toThrow(/no image for platform linux\/s390x/);
  });

  it('reads an OCI layout packed in a tar by member offsets, with the same findings', async () => {
    const dir = await scan(images().ociDir);
    const tar = await scan(images().ociTar);
    const places = (r: ImageScanResult) => r.findings.flatMap((f) => f.locations.map((l) => `${f.ruleId} ${l.path} ${(l.origin as unknown as ImageOrigin).platform} ${(l.origin as unknown as ImageOrigin).layer}`)).sort();
    expect(places(tar)).toEqual(places(dir));
    expect(tar.stats.files).toBe(dir.stats.files);
  });

  it('streams gzip, uncompressed and zstd layers by their OCI media types', async () => {
    const r = await scan(images().amd64OciDir);
    const manifest = JSON.parse(readFileSync(path.join(images().amd64OciDir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const m = JSON.parse(readFileSync(path.join(images().amd64OciDir, 'blobs', 'sha256', manifest.manifests[0]!.digest.slice(7)), 'utf8')) as { layers: { mediaType: string }[] };
    expect(m.layers.map((l) => l.mediaType.replace(/.*\.tar/, 'tar'))).toEqual(['tar+gzip', 'tar', 'tar+zstd']);
    // One finding from each layer shows that each was decompressed and walked.
    expect(placesOf(r, images().keys.deleted)[0]!.origin.layer).toBe(0);
    expect(placesOf(r, images().keys.jar)[0]!.origin.layer).toBe(1);
    expect(placesOf(r, images().keys.visible)[0]!.origin.layer).toBe(2);
  });
});

describe('image scan: damaged layers are reported, never passed as clean', () => {
  function copyLayout(): { dir: string; layers: { digest: string; size: number }[] } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-damaged-'));
    scratch.push(dir);
    cpSync(images().amd64OciDir, dir, { recursive: true });
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const manifest = JSON.parse(readFileSync(path.join(dir, 'blobs', 'sha256', index.manifests[0]!.digest.slice(7)), 'utf8')) as { layers: { digest: string; size: number }[] };
    return { dir, layers: manifest.layers };
  }
  const blobFile = (dir: string, digest: string) => path.join(dir, 'blobs', 'sha256', digest.slice(7));

  it('reports a layer whose bytes do not match its digest, and still scans the other layers', async () => {
    const { dir, layers } = copyLayout();
    // Layer 1 is an uncompressed tar: change one byte of a file's content, the tar stays valid.
    const file = blobFile(dir, layers[1]!.digest);
    const bytes = readFileSync(file);
    const at = bytes.indexOf('webhook = disabled');
    bytes[at] = 'W'.charCodeAt(0);
    writeFileSync(file, bytes);
    const r = await scan(dir);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ layer: 1, digest: layers[1]!.digest });
    expect(r.errors[0]!.message).toMatch(/^layer 1 \(sha256:[a-f0-9]{12}\) of [\w-]+:1\.0 linux\/amd64: digest mismatch, content is sha256:[a-f0-9]{12} but sha256:[a-f0-9]{12} was expected$/);
    expect(r.skipped).toContainEqual({ path: `blobs/sha256/${layers[1]!.digest.slice(7)}`, reason: 'unreadable', detail: `${r.errors[0]!.message} (the layer was not fully scanned)` });
    expect(placesOf(r, images().keys.visible)[0]!.origin.layer).toBe(2);
  });

  it('reports a truncated gzip layer as truncated', async () => {
    const { dir, layers } = copyLayout();
    truncateSync(blobFile(dir, layers[0]!.digest), Math.floor(layers[0]!.size / 2));
    const r = await scan(dir);
    expect(r.errors.map((e) => e.layer)).toEqual([0]);
    expect(r.errors[0]!.message).toMatch(/layer 0 .*: truncated, \d+ of \d+ bytes/);
    expect(placesOf(r, images().keys.jar)[0]!.origin.layer).toBe(1);
  });

  it('reports a missing layer blob by name', async () => {
    const { dir, layers } = copyLayout();
    rmSync(blobFile(dir, layers[2]!.digest));
    const r = await scan(dir);
    expect(r.errors.map((e) => e.layer)).toEqual([2]);
    expect(r.errors[0]!.message).toMatch(/blobs\/sha256\/[a-f0-9]{64} is missing from/);
  });

  it('reports a docker save layer that does not match its diff_id (no blob digest there)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-damaged-'));
    scratch.push(dir);
    const file = path.join(dir, 'app.tar');
    copyFileSync(images().dockerArchive, file);
    const bytes = readFileSync(file);
    const at = bytes.indexOf('webhook = disabled');
    bytes[at] = 'W'.charCodeAt(0);
    writeFileSync(file, bytes);
    const r = await scan(file);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toMatch(/layer 1 .*\(uncompressed, diff_id sha256:[a-f0-9]{12}\): digest mismatch/);
  });

  it('skips files over max-file-size and reports them', async () => {
    const r = await scan(images().amd64OciDir, undefined, 60);
    expect(r.skipped).toContainEqual(expect.objectContaining({ path: '/app/server.js', reason: 'too-large' }));
    expect(r.findings.some((f) => f.secret === images().keys.visible)).toBe(false);
  });
});
