// Hostile battery, part 2: report and baseline paths a scanned tree plants (symlinks, FIFOs, folders),
// outputs onto inputs, the hooks folder, and the Action's SARIF path.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { git } from '../support/tree.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { CLI } from '../support/cli.js';
import { expectContained, mkfifo, runHostile, Sandbox } from './harness.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.remove();
});

const KEY = stripeSecretKey();

/** A folder with one leaked key and whatever `plant` adds, snapshotted. */
function leaky(name: string, plant: (box: Sandbox) => void = () => {}): Sandbox {
  const box = new Sandbox(name);
  boxes.push(box);
  writeFileSync(path.join(box.work, 'app.env'), `STRIPE_SECRET_KEY=${KEY}\n`);
  plant(box);
  box.snapshot();
  return box;
}

describe('hostile: --output', () => {
  const refused: [string, (box: Sandbox) => void, string[], RegExp][] = [
    ['a symlink to a file outside', (b) => symlinkSync(b.victim, path.join(b.work, 'out.sarif')), ['-o', 'out.sarif'], /out\.sarif: it is a symbolic link/],
    ['a dangling symlink', (b) => symlinkSync(path.join(b.root, 'outside', 'new.txt'), path.join(b.work, 'out.sarif')), ['-o', 'out.sarif'], /out\.sarif: it is a symbolic link/],
    ['a symlink to a folder', (b) => symlinkSync(path.join(b.root, 'outside'), path.join(b.work, 'out.sarif')), ['-o', 'out.sarif'], /it is a symbolic link/],
    ['a folder', (b) => mkdirSync(path.join(b.work, 'out.sarif')), ['-o', 'out.sarif'], /out\.sarif: it is a directory/],
    ['a FIFO', (b) => mkfifo(path.join(b.work, 'out.sarif')), ['-o', 'out.sarif'], /out\.sarif: it is a FIFO/],
    ['a character device', () => {}, ['-o', '/dev/zero'], /\/dev\/zero: it is a character device/],
    ['in a folder that does not exist', () => {}, ['-o', 'no/such/dir/out.sarif'], /no folder .*no\/such\/dir/],
    ['an empty path', () => {}, ['-o', ''], /-o needs a value, not an empty one/],
    ['the file being scanned', () => {}, ['app.env', '-o', 'app.env'], /it is an input of this run/],
  ];
  for (const [what, plant, args, error] of refused) {
    it(`dir -f sarif -o <${what}> is refused before the scan, nothing written`, () => {
      const box = leaky(`out-${what}`, plant);
      const run = runHostile(box, ['dir', ...(args[0] === 'app.env' ? [] : ['.']), ...args, '-f', 'sarif'], { timeoutMs: 15_000 });
      expectContained(box, run, { status: 2, error, secrets: [KEY] });
    });
  }

  it('-o the config file in use is refused', () => {
    const box = leaky('out-config', (b) => writeFileSync(path.join(b.work, '.secretscanrc'), 'fail-on: low\n'));
    expectContained(box, runHostile(box, ['dir', '.', '-o', '.secretscanrc']), { status: 2, error: /it is an input of this run/, secrets: [KEY] });
  });

  it('an existing report is replaced atomically: no temporary file left, secrets redacted', () => {
    const box = leaky('out-replace', (b) => writeFileSync(path.join(b.work, 'report.json'), 'old\n'));
    const run = runHostile(box, ['dir', '.', '-f', 'json', '-o', 'report.json']);
    expectContained(box, run, { status: 1, secrets: [KEY], writes: ['work/report.json'] });
    expect(JSON.parse(readFileSync(path.join(box.work, 'report.json'), 'utf8')).findings).toHaveLength(1);
    expect(readdirSync(box.work).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('merge -o onto one of its inputs is refused', () => {
    const box = leaky('merge-onto-input');
    const scan = runHostile(box, ['dir', '.', '-f', 'json', '-o', '../r.json']);
    expect(scan.status).toBe(1);
    box.snapshot();
    const run = runHostile(box, ['merge', '../r.json', '-o', '../r.json']);
    expectContained(box, run, { status: 2, error: /r\.json: it is an input of this run/, secrets: [KEY] });
  });

  it('baseline create --force refuses a baseline path that is a symlink', () => {
    const box = leaky('baseline-link', (b) => symlinkSync(b.victim, path.join(b.work, '.secretscan-baseline.json')));
    const run = runHostile(box, ['baseline', 'create', '.', '--force']);
    expectContained(box, run, { status: 2, error: /baseline to .*\.secretscan-baseline\.json: it is a symbolic link/, secrets: [KEY] });
  });
});

describe('hostile: hooks', () => {
  it('hook install when .git/hooks is a file is a one-line error', () => {
    const box = new Sandbox('hooks-file');
    boxes.push(box);
    git(box.work, 'init', '-q');
    rmSync(path.join(box.work, '.git', 'hooks'), { recursive: true, force: true });
    writeFileSync(path.join(box.work, '.git', 'hooks'), 'not a folder\n');
    box.snapshot();
    expectContained(box, runHostile(box, ['hook', 'install']), { status: 2, error: /hooks folder .*\.git\/hooks is a regular file, not a folder/ });
  });

  it('hook install when .git/hooks is a dangling symlink is a one-line error', () => {
    const box = new Sandbox('hooks-dangling');
    boxes.push(box);
    git(box.work, 'init', '-q');
    rmSync(path.join(box.work, '.git', 'hooks'), { recursive: true, force: true });
    symlinkSync(path.join(box.root, 'outside', 'gone'), path.join(box.work, '.git', 'hooks'));
    box.snapshot();
    expectContained(box, runHostile(box, ['hook', 'install']), { status: 2, error: /hooks folder .* is a symbolic link that leads nowhere/ });
  });
});

describe('hostile: the GitHub Action', () => {
  const RUN_SH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'action', 'run.sh');
  it('writes its SARIF to RUNNER_TEMP: a committed secretscan.sarif symlink changes nothing', () => {
    const box = new Sandbox('action-sarif');
    boxes.push(box);
    const runnerTemp = path.join(box.root, 'runner-temp');
    mkdirSync(runnerTemp);
    git(box.work, 'init', '-q');
    writeFileSync(path.join(box.work, 'README.md'), 'hello\n');
    git(box.work, 'add', '-A');
    git(box.work, 'commit', '-qm', 'base');
    const base = git(box.work, 'rev-parse', 'HEAD').trim();
    writeFileSync(path.join(box.work, 'app.env'), `STRIPE_SECRET_KEY=${KEY}\n`);
    symlinkSync(box.victim, path.join(box.work, 'secretscan.sarif'));
    git(box.work, 'add', '-A');
    git(box.work, 'commit', '-qm', 'leak');
    const head = git(box.work, 'rev-parse', 'HEAD').trim();
    const event = path.join(box.root, 'event.json');
    writeFileSync(event, JSON.stringify({ before: base, after: head, ref: 'refs/heads/main' }));
    writeFileSync(path.join(box.root, 'output.txt'), '');
    box.snapshot();
    const started = performance.now();
    const r = spawnSync('bash', [RUN_SH], {
      cwd: box.work,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '', HOME: box.home, GIT_CONFIG_GLOBAL: '/dev/null', SECRETSCAN_CLI: CLI,
        GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event, GITHUB_OUTPUT: path.join(box.root, 'output.txt'),
        RUNNER_TEMP: runnerTemp, INPUT_PATH: '.', INPUT_FETCH: 'false', INPUT_ANNOTATIONS: 'false',
      },
    });
    const sarif = path.join(runnerTemp, 'secretscan.sarif');
    expectContained(box, { status: r.status, stdout: r.stdout.replace(/^::.*$/gm, ''), stderr: r.stderr, ms: performance.now() - started, rssKb: null, hung: r.signal !== null }, {
      status: 1, secrets: [KEY], writes: ['runner-temp/secretscan.sarif', 'output.txt'], maxMs: 60_000,
    });
    expect(existsSync(sarif)).toBe(true);
    expect(readFileSync(box.victim, 'utf8')).toMatch(/^the victim file/);
    expect(readFileSync(path.join(box.root, 'output.txt'), 'utf8')).toContain(`sarif-file=${sarif}`);
  });
});
