// Hostile battery, part 1: configs, baselines, ignore files, rule imports, reports and image blobs
// that are devices, FIFOs, sockets, symlinks out of the repository or oversized.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { git } from '../support/tree.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { expectContained, mkfifo, mksocket, runHostile, Sandbox } from './harness.js';

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.remove();
});

/** A sandbox whose work folder is a git repository with one commit, holding `files`. */
function repo(name: string, files: Record<string, string> = { 'README.md': 'hello\n' }, plant?: (work: string) => void): Sandbox {
  const box = new Sandbox(name);
  boxes.push(box);
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(box.work, rel), text);
  plant?.(box.work);
  git(box.work, 'init', '-q');
  git(box.work, 'add', '-A');
  git(box.work, 'commit', '-qm', 'init');
  box.snapshot();
  return box;
}

/** A plain folder sandbox (no git), for entries git cannot commit (FIFOs, sockets). */
function tree(name: string, plant: (work: string) => void): Sandbox {
  const box = new Sandbox(name);
  boxes.push(box);
  writeFileSync(path.join(box.work, 'a.txt'), 'nothing here\n');
  plant(box.work);
  box.snapshot();
  return box;
}

describe('hostile: files secretscan finds on its own', () => {
  const discovered: [string, (w: string) => void, RegExp][] = [
    ['.secretscanrc -> /dev/zero', (w) => symlinkSync('/dev/zero', path.join(w, '.secretscanrc')), /config .*\.secretscanrc: a symbolic link to \/dev\/zero, outside .*not followed/],
    ['.secretscanrc -> a file outside the repository', (w) => symlinkSync('../outside/victim.txt', path.join(w, '.secretscanrc')), /config .*\.secretscanrc: a symbolic link to .*victim\.txt, outside/],
    ['.secretscanrc -> nowhere', (w) => symlinkSync('missing.yml', path.join(w, '.secretscanrc')), /config .*\.secretscanrc: a symbolic link that leads nowhere/],
    ['.secretscanrc.yml -> /etc/passwd', (w) => symlinkSync('/etc/passwd', path.join(w, '.secretscanrc.yml')), /outside .*not followed/],
    ['.gitleaksignore -> /dev/zero', (w) => symlinkSync('/dev/zero', path.join(w, '.gitleaksignore')), /gitleaks ignore file .*\.gitleaksignore: a symbolic link to \/dev\/zero/],
    ['a config naming a rule file that links to /dev/urandom', (w) => {
      writeFileSync(path.join(w, '.secretscanrc'), 'rules:\n  - rules.yml\n');
      symlinkSync('/dev/urandom', path.join(w, 'rules.yml'));
    }, /rule file .*rules\.yml: a symbolic link to \/dev\/urandom/],
    ['a config naming a baseline that links out', (w) => {
      writeFileSync(path.join(w, '.secretscanrc'), 'baseline: base.json\n');
      symlinkSync('../outside/victim.txt', path.join(w, 'base.json'));
    }, /baseline .*base\.json: a symbolic link to .*victim\.txt, outside/],
    ['a config naming rules-from that links to /dev/zero', (w) => {
      writeFileSync(path.join(w, '.secretscanrc'), 'rules-from:\n  - gl.toml\n');
      symlinkSync('/dev/zero', path.join(w, 'gl.toml'));
    }, /gitleaks config .*gl\.toml: a symbolic link to \/dev\/zero/],
  ];
  for (const [what, plant, error] of discovered) {
    for (const command of ['dir', 'git']) {
      it(`${command}: ${what} is a one-line error, not a hang`, () => {
        const box = repo(`${command}-${what}`, { 'README.md': 'hello\n' }, plant);
        const run = runHostile(box, [command, '.'], { timeoutMs: 15_000 });
        expectContained(box, run, { status: 2, error, maxMs: 10_000 });
      });
    }
  }

  const special: [string, (f: string) => void, RegExp][] = [
    ['a FIFO', mkfifo, /a FIFO, not a regular file/],
    ['a socket', mksocket, /(a socket, not a regular file|ENXIO)/],
  ];
  for (const [kind, make, error] of special) {
    for (const name of ['.secretscanrc', '.gitleaksignore']) {
      it(`dir: ${name} that is ${kind} is refused without blocking`, () => {
        const box = tree(`${name}-${kind}`, (w) => make(path.join(w, name)));
        expectContained(box, runHostile(box, ['dir', '.'], { timeoutMs: 15_000 }), { status: 2, error, maxMs: 10_000 });
      });
    }
  }
});

describe('hostile: files the user names', () => {
  const named: [string, (box: Sandbox) => string[], RegExp][] = [
    ['--config /dev/zero', () => ['dir', '.', '--config', '/dev/zero'], /config \/dev\/zero: a character device, not a regular file/],
    ['--config a FIFO', (b) => (mkfifo(path.join(b.root, 'rc.fifo')), ['dir', '.', '--config', '../rc.fifo']), /config \.\.\/rc\.fifo: a FIFO/],
    ['--config a folder', () => ['dir', '.', '--config', '.'], /config \.: a directory, not a regular file/],
    ['--baseline /dev/zero', () => ['dir', '.', '--baseline', '/dev/zero'], /baseline \/dev\/zero: a character device/],
    ['--baseline a FIFO', (b) => (mkfifo(path.join(b.root, 'b.fifo')), ['dir', '.', '--baseline', '../b.fifo']), /baseline .*b\.fifo: a FIFO/],
    ['--gitleaks-ignore /dev/zero', () => ['dir', '.', '--gitleaks-ignore', '/dev/zero'], /gitleaks ignore file \/dev\/zero: a character device/],
    ['--rules-from /dev/zero', () => ['dir', '.', '--rules-from', '/dev/zero'], /gitleaks config \/dev\/zero: a character device/],
    ['--rules-from a FIFO', (b) => (mkfifo(path.join(b.root, 'gl.fifo')), ['dir', '.', '--rules-from', '../gl.fifo']), /gitleaks config .*gl\.fifo: a FIFO/],
    ['merge /dev/zero', () => ['merge', '/dev/zero'], /report \/dev\/zero: a character device/],
    ['merge a FIFO', (b) => (mkfifo(path.join(b.root, 'r.fifo')), ['merge', '../r.fifo']), /report \.\.\/r\.fifo: a FIFO/],
    ['revoke --report a FIFO', (b) => (mkfifo(path.join(b.root, 'rv.fifo')), ['revoke', '--report', '../rv.fifo']), /report \.\.\/rv\.fifo: a FIFO/],
    ['baseline create --from /dev/zero', () => ['baseline', 'create', '--from', '/dev/zero'], /report \/dev\/zero: a character device/],
    ['git --ci with GITHUB_EVENT_PATH a FIFO', (b) => (mkfifo(path.join(b.root, 'ev.fifo')), ['git', '.', '--ci']), /GitHub event file .*ev\.fifo.*: a FIFO/],
  ];
  for (const [what, argsOf, error] of named) {
    it(`${what} is a one-line error, not a hang`, () => {
      const box = repo(what);
      const args = argsOf(box);
      box.snapshot();
      const env: Record<string, string> = what.includes('GITHUB_EVENT_PATH')
        ? { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path.join(box.root, 'ev.fifo') }
        : {};
      expectContained(box, runHostile(box, args, { env, timeoutMs: 15_000 }), { status: 2, error, maxMs: 10_000 });
    });
  }

  it('merge: a report over the size cap is refused before it is read', () => {
    const box = repo('merge-oversized');
    writeFileSync(path.join(box.work, 'big.json'), `{"pad": "${'x'.repeat(64 * 1024)}"}`);
    box.snapshot();
    const run = runHostile(box, ['merge', 'big.json'], { env: { SECRETSCAN_MAX_INPUT_BYTES: '4096' } });
    expectContained(box, run, { status: 2, error: /report big\.json: \d+ bytes, over the 4096-byte limit/ });
  });

  it('merge: a file that is not JSON and holds a key is refused without quoting it', () => {
    const key = stripeSecretKey();
    const box = repo('merge-not-json');
    writeFileSync(path.join(box.work, 'notes.json'), `STRIPE=${key}\n`);
    box.snapshot();
    expectContained(box, runHostile(box, ['merge', 'notes.json']), { status: 2, error: /notes\.json: not a JSON report: not valid JSON/, secrets: [key] });
  });

  it('a config that is not YAML and holds a key is refused without quoting it', () => {
    const key = stripeSecretKey();
    const box = repo('config-not-yaml', { '.secretscanrc': `allow-regexes: [${key}\n  - {\n` });
    expectContained(box, runHostile(box, ['dir', '.']), { status: 2, error: /\.secretscanrc: not valid YAML or JSON/, secrets: [key] });
  });
});

describe('hostile: image layouts', () => {
  /** An OCI layout whose index names a manifest blob that `plant` replaces. */
  function layout(name: string, plant: (blob: string) => void): Sandbox {
    const box = new Sandbox(name);
    boxes.push(box);
    const dir = path.join(box.work, 'img');
    const digest = `sha256:${'ab'.repeat(32)}`;
    mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion": "1.0.0"}');
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 500 }],
    }));
    plant(path.join(dir, 'blobs', 'sha256', 'ab'.repeat(32)));
    box.snapshot();
    return box;
  }
  const blobs: [string, (f: string) => void, RegExp][] = [
    ['a FIFO', mkfifo, /a FIFO, not a regular file/],
    ['a symlink to /dev/zero', (f) => symlinkSync('/dev/zero', f), /(a character device, not a regular file|outside the layout)/],
    ['a symlink out of the layout', (f) => symlinkSync('../../../../outside/victim.txt', f), /outside the layout; not followed/],
  ];
  for (const [what, plant, error] of blobs) {
    it(`image: a manifest blob that is ${what} is an error, not a hang`, () => {
      const box = layout(`oci-${what}`, plant);
      expectContained(box, runHostile(box, ['image', 'img'], { timeoutMs: 15_000 }), { status: 2, error, maxMs: 10_000 });
    });
  }
});
