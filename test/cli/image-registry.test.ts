import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReport, type CliRun } from '../support/cli.js';
import { haveTool, useFixtureImages } from '../support/images.js';
import { freePort, LocalRegistry, pushWithSkopeo, RedirectingProxy, runCliAsync, TokenServer } from '../support/registry.js';

// Pulls from a real registry (Debian's docker-registry: Docker's distribution server) on
// loopback, with images pushed by skopeo: anonymous, basic auth (htpasswd) and token auth.
const images = useFixtureImages();
const ready = haveTool('docker-registry', ['--version']) && haveTool('skopeo') && haveTool('htpasswd', ['-h']) && haveTool('openssl', ['version']);

const USER = 'alice';
const PASSWORD = 'Registry-Pass-7f3k9';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-registry-'));
let open: LocalRegistry;
let basic: LocalRegistry;
let tokenRegistry: LocalRegistry;
let tokens: TokenServer;
let proxy: RedirectingProxy;

/** A DOCKER_CONFIG folder whose config.json holds `auths.<host>.auth` for each host. */
function dockerConfig(entries: Record<string, string>): string {
  const dir = mkdtempSync(path.join(scratch, 'docker-config-'));
  const auths = Object.fromEntries(Object.entries(entries).map(([host, pass]) => [host, { auth: Buffer.from(`${USER}:${pass}`).toString('base64') }]));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths }));
  return dir;
}

function scan(ref: string, args: string[] = [], env: Record<string, string> = {}): Promise<CliRun> {
  // An empty DOCKER_CONFIG unless the test gives one: the machine's own logins stay out.
  const empty = path.join(scratch, 'no-docker-config');
  mkdirSync(empty, { recursive: true });
  return runCliAsync(['image', ref, '--no-config', '-f', 'json', ...args], { DOCKER_CONFIG: empty, ...env });
}

function expectImageFindings(run: CliRun, ref: string): void {
  expect(run.status, run.stderr).toBe(1);
  const report = jsonReport(run);
  const deleted = report.findings.find((f) => f.ruleId === 'stripe-live-secret-key')!;
  const origins = deleted.locations.map((l) => (l as unknown as { origin: { image: string; platform: string; layer: number; visible: boolean; deletedBy: number } }).origin);
  expect(origins.map((o) => [o.image, o.platform, o.layer, o.visible, o.deletedBy])).toEqual([
    [ref, 'linux/amd64', 0, false, 1],
    [ref, 'linux/arm64/v8', 0, false, 1],
  ]);
  expect(report.findings.some((f) => f.ruleId === 'npm-access-token')).toBe(true);
  expect(report.skipped.filter((s) => s.reason === 'unreadable')).toEqual([]);
}

function expectNoCredentials(run: CliRun): void {
  const all = run.stdout + run.stderr;
  expect(all).not.toContain(PASSWORD);
  expect(all).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
}

describe.skipIf(!ready)('secretscan image REGISTRY/NAME:TAG from a local registry', () => {
  beforeAll(async () => {
    open = await LocalRegistry.start(path.join(scratch, 'open'), { kind: 'none' });
    basic = await LocalRegistry.start(path.join(scratch, 'basic'), { kind: 'htpasswd', user: USER, password: PASSWORD });
    tokens = await TokenServer.start(path.join(scratch, 'tokens'), { [USER]: PASSWORD });
    tokenRegistry = await LocalRegistry.start(path.join(scratch, 'token'), { kind: 'token', tokenServer: tokens });
    proxy = await RedirectingProxy.start(basic);
    await pushWithSkopeo(images().ociDir, '1.0', `${open.host}/team/app:1.0`);
    await pushWithSkopeo(images().ociDir, '1.0', `${basic.host}/team/app:1.0`, `${USER}:${PASSWORD}`);
    await pushWithSkopeo(images().ociDir, '1.0', `${tokenRegistry.host}/team/app:1.0`, `${USER}:${PASSWORD}`);
    await pushWithSkopeo(images().ociDir, '1.0', `${tokenRegistry.host}/public/app:1.0`, `${USER}:${PASSWORD}`);
  }, 180_000);

  afterAll(async () => {
    open?.stop();
    basic?.stop();
    tokenRegistry?.stop();
    await tokens?.stop();
    await proxy?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('anonymous pull: every platform, layer by layer (loopback falls back to plain HTTP; --insecure says so)', async () => {
    expectImageFindings(await scan(`${open.host}/team/app:1.0`), `${open.host}/team/app:1.0`);
    const insecure = await scan(`${open.host}/team/app:1.0`, ['--insecure', '--platform', 'linux/amd64']);
    expect(insecure.status, insecure.stderr).toBe(1);
  });

  it('pull by digest: the manifest is checked against it', async () => {
    const raw = spawnSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${open.host}/team/app:1.0`]);
    expect(raw.status, String(raw.stderr)).toBe(0);
    const digest = `sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`;
    expectImageFindings(await scan(`${open.host}/team/app@${digest}`), `${open.host}/team/app@${digest}`);
  });

  it('basic auth with credentials from $DOCKER_CONFIG/config.json', async () => {
    const run = await scan(`${basic.host}/team/app:1.0`, [], { DOCKER_CONFIG: dockerConfig({ [basic.host]: PASSWORD }) });
    expectImageFindings(run, `${basic.host}/team/app:1.0`);
    expectNoCredentials(run);
  });

  it('a wrong password: exit 2, one line naming the user, no credential printed', async () => {
    const run = await scan(`${basic.host}/team/app:1.0`, [], { DOCKER_CONFIG: dockerConfig({ [`https://${basic.host}`]: 'wrong-password-x1' }) });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^secretscan: error: ${basic.host} refused the credentials of user alice \\(from .*config\\.json\\) for manifest ${basic.host}/team/app:1\\.0\\n  hint: `));
    expect(run.stderr).not.toContain('wrong-password-x1');
    expectNoCredentials(run);
  });

  it('no credentials for a registry that needs them: exit 2, says how to log in', async () => {
    const run = await scan(`${basic.host}/team/app:1.0`);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^secretscan: error: 127\.0\.0\.1:\d+ requires authentication for manifest .*\n  hint: log in with `docker login`/);
  });

  it('token auth, anonymously: a pull token from the realm the 401 names, as Docker Hub hands out', async () => {
    tokens.requests.length = 0;
    expectImageFindings(await scan(`${tokenRegistry.host}/public/app:1.0`), `${tokenRegistry.host}/public/app:1.0`);
    expect(tokens.requests.length).toBeGreaterThan(0);
    expect(tokens.requests.every((r) => r.user === null && r.scope === 'repository:public/app:pull')).toBe(true);
  });

  it('token auth with credentials: the token service gets them, the registry gets the token', async () => {
    tokens.requests.length = 0;
    const run = await scan(`${tokenRegistry.host}/team/app:1.0`, ['--platform', 'linux/amd64'], { DOCKER_CONFIG: dockerConfig({ [tokenRegistry.host]: PASSWORD }) });
    expect(run.status, run.stderr).toBe(1);
    expect(jsonReport(run).findings.some((f) => f.ruleId === 'stripe-live-secret-key')).toBe(true);
    expect(tokens.requests.map((r) => r.user)).toContain(USER);
    expectNoCredentials(run);
  });

  it('token auth: anonymous on a private repository, and a wrong password, both exit 2', async () => {
    const anon = await scan(`${tokenRegistry.host}/team/app:1.0`);
    expect(anon.status).toBe(2);
    expect(anon.stderr).toMatch(/requires authentication for manifest/);
    const wrong = await scan(`${tokenRegistry.host}/team/app:1.0`, [], { DOCKER_CONFIG: dockerConfig({ [tokenRegistry.host]: 'nope-nope-1' }) });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/refused the credentials of user alice/);
    expect(wrong.stderr).not.toContain('nope-nope-1');
  });

  it('blobs redirected to another host are fetched there without the Authorization header', async () => {
    const run = await scan(`${proxy.host}/team/app:1.0`, [], { DOCKER_CONFIG: dockerConfig({ [proxy.host]: PASSWORD }) });
    expectImageFindings(run, `${proxy.host}/team/app:1.0`);
    // Configs and layers of both platforms came from the blob host, none with credentials.
    expect(proxy.blobRequests.length).toBeGreaterThanOrEqual(8);
    expect(proxy.blobRequests.filter((r) => r.authorization)).toEqual([]);
  });

  it('a missing tag and an unreachable registry: exit 2, one line each', async () => {
    const missing = await scan(`${open.host}/team/app:9.9`);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^secretscan: error: manifest 127\.0\.0\.1:\d+\/team\/app:9\.9 not found in 127\.0\.0\.1:\d+ \(MANIFEST_UNKNOWN/);
    const port = await freePort(); // nothing listens there
    const down = await scan(`127.0.0.1:${port}/team/app:1.0`);
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(new RegExp(`^secretscan: error: cannot reach registry 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });
});
