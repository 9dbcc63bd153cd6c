import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { TestRepo } from '../../fixtures/git/repo.mjs';
import { jsonReport, type CliRun } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { GitHttpServer } from '../support/git-server.js';
import { freePort, runCliAsync } from '../support/registry.js';

// `secretscan git URL`: clone a remote (loopback smart HTTP, git daemon, file://), scan, clean up.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-remote-'));
const served = path.join(scratch, 'served');
const onMain = stripeSecretKey();
const onBranch = stripeSecretKey();
const deleted = stripeSecretKey();
const USER = 'auditor';
const PASSWORD = 'Pw0rd-for-the-loopback-server';
let open: GitHttpServer;
let locked: GitHttpServer;
let openUrl: string;
let lockedUrl: string;
let daemon: ChildProcess;
let daemonPort: number;
let tmpCount = 0;

beforeAll(async () => {
  const work = new TestRepo(path.join(scratch, 'work'));
  work.commit('config', { '.env': `STRIPE_KEY=${deleted}\n` });
  work.commit('drop the key', { '.env': null, 'app.js': `const stripe = '${onMain}';\n` });
  work.git('checkout', '-q', '-b', 'feature');
  work.commit('side work', { 'side.txt': `key ${onBranch}\n` });
  work.git('checkout', '-q', 'main');
  mkdirSync(served);
  work.git('clone', '-q', '--bare', work.dir, path.join(served, 'app.git'));
  open = new GitHttpServer(served);
  openUrl = await open.start();
  locked = new GitHttpServer(served, { user: USER, password: PASSWORD });
  lockedUrl = await locked.start();
  daemonPort = await freePort();
  daemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${served}`, '--listen=127.0.0.1', `--port=${daemonPort}`, served], { stdio: 'ignore' });
  // Wait until the daemon takes connections.
  for (let i = 0; i < 50; i++) {
    const r = await runCliAsync(['git', `git://127.0.0.1:${daemonPort}/app.git`, '--no-config', '-f', 'json', '--no-fail'], {});
    if (r.status === 0) break;
    await new Promise((res) => setTimeout(res, 100));
  }
});
afterAll(async () => {
  daemon?.kill();
  await open?.close();
  await locked?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function scan(url: string, extra: string[] = []): Promise<{ run: CliRun; tmp: string }> {
  const tmp = path.join(scratch, `tmp${tmpCount++}`);
  mkdirSync(tmp);
  const format = extra.includes('-f') ? [] : ['-f', 'json', '--show-secrets'];
  const run = await runCliAsync(['git', url, '--no-config', ...format, ...extra], { TMPDIR: tmp });
  return { run, tmp };
}

function secrets(run: CliRun): string[] {
  return jsonReport(run).findings.map((f) => f.secret!).sort();
}

describe('secretscan git URL', () => {
  it('clones every ref of an https/http remote, scans the whole history, and removes the clone', async () => {
    const { run, tmp } = await scan(`${openUrl}/app.git`);
    expect(run.status, run.stderr).toBe(1);
    expect(secrets(run)).toEqual([onMain, onBranch, deleted].sort());
    expect(jsonReport(run).target).toBe(`${openUrl}/app.git`);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('reads git:// (a loopback git daemon) and file:// the same way', async () => {
    const daemonRun = await scan(`git://127.0.0.1:${daemonPort}/app.git`);
    expect(secrets(daemonRun.run)).toEqual([onMain, onBranch, deleted].sort());
    const fileRun = await scan(`file://${path.join(served, 'app.git')}`);
    expect(secrets(fileRun.run)).toEqual([onMain, onBranch, deleted].sort());
  });

  it('sends credentials in the URL to the server, and never prints or stores them', async () => {
    const url = `http://${USER}:${PASSWORD}@127.0.0.1:${locked.port}/app.git`;
    const { run } = await scan(url, ['-f', 'sarif']);
    expect(run.status, run.stderr).toBe(1);
    expect(locked.seenAuth.length).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stdout).toContain(`http://127.0.0.1:${locked.port}/app.git`);
    const text = await scan(url, ['-f', 'text']);
    expect(text.run.stdout + text.run.stderr).not.toContain(PASSWORD);
  });

  it('a refused login is a one-line error that names the URL without its credentials', async () => {
    const url = `http://${USER}:wrong-${PASSWORD}@127.0.0.1:${locked.port}/app.git`;
    const { run, tmp } = await scan(url);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^secretscan: error: cannot clone http:\/\/127\.0\.0\.1:\d+\/app\.git: /);
    expect(run.stderr).not.toContain(PASSWORD);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--keep-clone DIR keeps the mirror; an existing non-empty folder is refused', async () => {
    const keep = path.join(scratch, 'kept');
    const { run } = await scan(`${openUrl}/app.git`, ['--keep-clone', keep]);
    expect(run.status, run.stderr).toBe(1);
    expect(existsSync(path.join(keep, 'HEAD'))).toBe(true);
    expect(readFileSync(path.join(keep, 'packed-refs'), 'utf8')).toContain('refs/heads/feature');
    const again = await scan(`${openUrl}/app.git`, ['--keep-clone', keep]);
    expect(again.run.status).toBe(2);
    expect(again.run.stderr).toMatch(/--keep-clone .*kept: exists and is not an empty folder/);
  });

  it('a missing repository and a URL that is an option are errors, not scans of nothing', async () => {
    const missing = await scan(`${openUrl}/nothere.git`);
    expect(missing.run.status).toBe(2);
    expect(missing.run.stderr).toMatch(/cannot clone http:\/\/127\.0\.0\.1:\d+\/nothere\.git/);
    const staged = await scan(`${openUrl}/app.git`, ['--staged']);
    expect(staged.run.status).toBe(2);
    expect(staged.run.stderr).toContain('--staged and --pre-push need a local repository');
  });
});
