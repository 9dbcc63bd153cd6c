import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonReport, type CliRun } from '../support/cli.js';
import { FakeEngine } from '../support/fake-engine.js';
import { useFixtureImages } from '../support/images.js';
import { runCliAsync } from '../support/registry.js';

// `secretscan image NAME` for images that live only in a local engine, against a fake Engine API.
const images = useFixtureImages();
const TAG = 'secretscan-fixture/app:1.0';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-engine-'));
let engine: FakeEngine;
let socket: string;
let tmp: string;
let n = 0;

beforeAll(async () => {
  engine = new FakeEngine({ [TAG]: images().dockerArchive });
  socket = path.join(scratch, 'docker.sock');
  await engine.listenSocket(socket);
});
afterAll(async () => {
  await engine.close();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  engine.mode = 'whole';
});

/** Runs the CLI with its own TMPDIR (to see that exports are cleaned up) and no engine but those given. */
async function run(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  tmp = path.join(scratch, `tmp${n++}`);
  mkdirSync(tmp);
  // XDG_RUNTIME_DIR points where no podman socket is, unless a test sets it.
  return runCliAsync(['image', ...args, '--no-config'], { TMPDIR: tmp, XDG_RUNTIME_DIR: path.join(scratch, 'no-runtime'), ...env });
}

function oneLineError(r: CliRun, message: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('  hint: ') && !l.startsWith('secretscan: exporting'));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('secretscan image from a local engine', () => {
  let fromArchive: ReturnType<typeof jsonReport>;
  beforeAll(async () => {
    fromArchive = jsonReport(await runCliAsync(['image', images().dockerArchive, '--no-config', '-f', 'json'], {}));
  });

  it('docker-daemon:NAME exports the image from DOCKER_HOST and finds what the saved archive holds', async () => {
    const r = await run([`docker-daemon:${TAG}`, '-f', 'json'], { DOCKER_HOST: `unix://${socket}` });
    expect(r.status, r.stderr).toBe(1);
    const report = jsonReport(r);
    expect(report.findings.map((f) => f.id).sort()).toEqual(fromArchive.findings.map((f) => f.id).sort());
    expect(report.findings.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/exporting secretscan-fixture\/app:1\.0 from the Docker Engine at unix:\/\/.*into a temporary file/);
    expect(engine.requests).toContain(`/images/${encodeURIComponent(TAG)}/get`);
    expect(readdirSync(tmp)).toEqual([]); // the export was removed
  });

  it('a bare name is looked for in the local engine first (DOCKER_HOST over loopback TCP)', async () => {
    const tcp = new FakeEngine({ [TAG]: images().dockerArchive });
    const port = await tcp.listenTcp();
    try {
      const r = await run([TAG, '-f', 'json'], { DOCKER_HOST: `tcp://127.0.0.1:${port}` });
      expect(r.status, r.stderr).toBe(1);
      expect(jsonReport(r).findings.length).toBe(fromArchive.findings.length);
      expect(tcp.requests[0]).toBe(`/images/${encodeURIComponent(TAG)}/json`);
    } finally {
      await tcp.close();
    }
  });

  it('podman:NAME asks the user\'s Podman socket ($XDG_RUNTIME_DIR/podman/podman.sock)', async () => {
    const runtime = path.join(scratch, 'runtime');
    mkdirSync(path.join(runtime, 'podman'), { recursive: true });
    const podman = new FakeEngine({ [TAG]: images().dockerArchive });
    await podman.listenSocket(path.join(runtime, 'podman', 'podman.sock'));
    try {
      const r = await run([`podman:${TAG}`, '-f', 'json'], { XDG_RUNTIME_DIR: runtime, DOCKER_HOST: `unix://${socket}` });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/from the Podman at unix:\/\/.*podman\.sock/);
      expect(podman.requests.length).toBeGreaterThan(0);
    } finally {
      await podman.close();
    }
  });

  it('an image the engine does not have: one line naming what was asked', async () => {
    const r = await run(['docker-daemon:nothere:1'], { DOCKER_HOST: `unix://${socket}` });
    oneLineError(r, /^secretscan: error: docker-daemon:nothere:1: Docker Engine at unix:\/\/.*docker\.sock: no image nothere:1$/);
  });

  it('no engine running: one line saying where it looked', async () => {
    const r = await run(['docker-daemon:app:1'], { DOCKER_HOST: `unix://${scratch}/none.sock` });
    oneLineError(r, /Docker Engine at unix:\/\/.*none\.sock: not running \(no socket at .*none\.sock\)$/);
    const refused = await run(['docker-daemon:app:1'], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
    oneLineError(refused, /Docker Engine at tcp:\/\/127\.0\.0\.1:1: not running \(connection refused\)$/);
  });

  it('a bare name in no engine falls back to the registry, and its error lists the engines asked, in order', async () => {
    const r = await run(['127.0.0.1:1/team/app:1'], { DOCKER_HOST: `unix://${socket}` });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/hint: not in a local engine either: Docker Engine at unix:\/\/.*docker\.sock: no image 127\.0\.0\.1:1\/team\/app:1; Podman at unix:\/\/.*no-runtime\/podman\/podman\.sock: not running .*; Podman at unix:\/\/\/run\/podman\/podman\.sock: not running/);
    expect(engine.requests).not.toContain(`/images/${encodeURIComponent('127.0.0.1:1/team/app:1')}/get`);
  });

  it('a stalled export ends with a clear error after the stall limit, and leaves no file behind', async () => {
    engine.mode = 'stall';
    const started = Date.now();
    const r = await run([`docker-daemon:${TAG}`], { DOCKER_HOST: `unix://${socket}`, SECRETSCAN_ENGINE_STALL_SECONDS: '1' });
    oneLineError(r, /the export of secretscan-fixture\/app:1\.0 from the Docker Engine at unix:\/\/.* stalled: no data for 1 s$/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a broken export stream is an error, not a short image scanned in part', async () => {
    engine.mode = 'break';
    const r = await run([`docker-daemon:${TAG}`], { DOCKER_HOST: `unix://${socket}` });
    oneLineError(r, /the export of secretscan-fixture\/app:1\.0 from the Docker Engine at unix:\/\/.* broke off/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('an export over --max-image-size stops with an error naming the limit', async () => {
    const r = await run([`docker-daemon:${TAG}`, '--max-image-size', '10KB'], { DOCKER_HOST: `unix://${socket}` });
    oneLineError(r, /is larger than 10240 bytes$/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('DOCKER_HOST schemes it cannot speak are named, with what to do instead', async () => {
    const r = await run([`docker-daemon:${TAG}`], { DOCKER_HOST: 'ssh://user@host' });
    oneLineError(r, /DOCKER_HOST=ssh:\/\/user@host: secretscan reaches an engine over unix:\/\/ or tcp:\/\/ only$/);
    expect(r.stderr).toContain('docker save');
  });
});
