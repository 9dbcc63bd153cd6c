import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { prepareScan } from '../../src/scan/engine.js';
import { scanImage } from '../../src/scan/image.js';
import { openPathSource } from '../../src/sources/image/target.js';
import { makeLayer, sha256 } from '../../fixtures/images/layers.mjs';
import { OCI_CONFIG, OCI_MANIFEST, writeOciLayout } from '../../fixtures/images/build-images.mjs';
import { fake } from '../../fixtures/fake-keys.mjs';
import { haveTool, useFixtureImages } from '../support/images.js';

// The fixture images must be the real formats: skopeo (containers/image) reads them.
const images = useFixtureImages();
const hasSkopeo = haveTool('skopeo');

function skopeo(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('skopeo', args, { encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(!hasSkopeo)('fixture images, as skopeo reads them', () => {
  it('skopeo inspects the docker save archive: platform, the three layers (diff_ids) and the Env', () => {
    const r = skopeo('inspect', `docker-archive:${images().dockerArchive}`);
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { Architecture: string; Os: string; Layers: string[]; Env: string[] };
    expect(info).toMatchObject({ Architecture: 'amd64', Os: 'linux' });
    expect(info.Layers).toHaveLength(3);
    expect(info.Env).toContain(`GITHUB_TOKEN=${images().keys.env}`);
  });

  it('skopeo inspects each platform of the OCI layout index, and the layout packed as a tar once unpacked', () => {
    for (const arch of ['amd64', 'arm64']) {
      const r = skopeo('inspect', '--override-arch', arch, ...(arch === 'arm64' ? ['--override-variant', 'v8'] : []), `oci:${images().ociDir}:1.0`);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ Architecture: arch, Os: 'linux' });
    }
    const raw = skopeo('inspect', '--raw', `oci:${images().ociDir}:1.0`);
    expect(JSON.parse(raw.stdout)).toMatchObject({ mediaType: 'application/vnd.oci.image.index.v1+json' });
    const unpacked = mkdtempSync(path.join(os.tmpdir(), 'secretscan-oci-tar-'));
    try {
      expect(spawnSync('tar', ['-xf', images().ociTar, '-C', unpacked]).status).toBe(0);
      expect(skopeo('inspect', `oci:${unpacked}:1.0`).status).toBe(0);
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  });

  it('a docker save archive written by skopeo itself (symlinked layer.tar, uncompressed layers) scans', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-skopeo-'));
    try {
      const key = fake.stripeLive();
      const layers = [await makeLayer([{ name: 'app/.env', content: `STRIPE_KEY=${key}\n` }], 'gzip'), await makeLayer([{ name: 'app/.wh..env' }], 'none')];
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) }, history: [{ created_by: 'COPY .env /app/' }, { created_by: 'RUN rm /app/.env' }] }));
      const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length }, layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })) }));
      writeOciLayout(path.join(dir, 'oci'), [{ arch: 'amd64', layers, config, manifest, platform: { os: 'linux', architecture: 'amd64' } }]);
      const archive = path.join(dir, 'skopeo.tar');
      const r = skopeo('copy', '-q', `oci:${path.join(dir, 'oci')}`, `docker-archive:${archive}:team/app:1`);
      expect(r.status, r.stderr).toBe(0);
      const result = await scanImage(await openPathSource(archive), prepareScan(defaultConfig(dir)));
      expect(result.errors).toEqual([]);
      const f = result.findings.find((x) => x.secret === key)!;
      expect(f.locations[0]).toMatchObject({ path: '/app/.env', origin: { image: 'docker.io/team/app:1', layer: 0, createdBy: 'COPY .env /app/', visible: false, deletedBy: 1 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!haveTool('umoci', ['--version']))('umoci lists the layout tags', () => {
    const r = spawnSync('umoci', ['list', '--layout', images().ociDir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('1.0');
  });
});
