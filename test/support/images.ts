import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
// Image fixtures are built by script (fixtures/images/), with fake keys made for this run.
import { buildImages, fixtureKeys } from '../../fixtures/images/build-images.mjs';

export interface FixtureImages {
  dir: string;
  dockerArchive: string;
  ociDir: string;
  ociTar: string;
  amd64OciDir: string;
  keys: ReturnType<typeof fixtureKeys>;
}

/** Builds the fixture images once for a test file, in a scratch folder removed afterwards. */
export function useFixtureImages(): () => FixtureImages {
  let built: FixtureImages | null = null;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secretscan-images-'));
    const b = await buildImages(dir, fixtureKeys());
    built = { dir, dockerArchive: b.dockerArchive, ociDir: b.ociDir, ociTar: b.ociTar, amd64OciDir: b.amd64OciDir, keys: b.keys };
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!built) throw new Error('fixture images not built');
    return built;
  };
}

/**
 * Whether an external tool is installed. Under CI (CI=true) a missing tool is an error: .ci/run
 * installs it. Elsewhere the caller skips, and this says why.
 */
export function haveTool(name: string, versionArgs: string[] = ['--version']): boolean {
  const r = spawnSync(name, versionArgs, { encoding: 'utf8' });
  if (!r.error) return true;
  if (process.env.CI === 'true') throw new Error(`${name} is not installed, and CI must run these tests (.ci/run installs it)`);
  console.warn(`skipping: ${name} is not installed (apt-get install ${name === 'docker-registry' ? 'docker-registry' : name})`);
  return false;
}
