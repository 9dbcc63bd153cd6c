import { PassThrough } from 'node:stream';
import path from 'node:path';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ScanProgressBar, progressWanted } from '../../src/cli/progress.js';
import { defaultConfig } from '../../src/config/config.js';
import { scanDirectory } from '../../src/scan/directory.js';
import { prepareScan } from '../../src/scan/engine.js';
import { scanGitHistory } from '../../src/scan/git.js';
import { scanImage } from '../../src/scan/image.js';
import { openRepo } from '../../src/sources/git-repo.js';
import { openPathSource } from '../../src/sources/image/target.js';
import { runCli } from '../support/cli.js';
import { useFixtureImages } from '../support/images.js';
import { git, useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();
const images = useFixtureImages();

describe('progressWanted', () => {
  it('draws only on a terminal, without --quiet, outside CI', () => {
    expect(progressWanted({ isTTY: true }, false, {})).toBe(true);
    expect(progressWanted({ isTTY: false }, false, {})).toBe(false);
    expect(progressWanted({}, false, {})).toBe(false);
    expect(progressWanted({ isTTY: true }, true, {})).toBe(false);
    expect(progressWanted({ isTTY: true }, false, { CI: 'true' })).toBe(false);
    expect(progressWanted({ isTTY: true }, false, { CI: 'false' })).toBe(true);
  });
});

describe('ScanProgressBar', () => {
  it('shows done/total, throughput and ETA on a terminal, and clears itself on stop', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let written = '';
    stream.on('data', (b: Buffer) => (written += b.toString()));
    const bar = new ScanProgressBar('blobs', stream);
    bar.update(1, 10, 5 * 1024 * 1024, false);
    expect(written).toMatch(/1\/10\+ blobs \| [\d.]+ MB\/s \| ETA /);
    bar.update(10, 10, 6 * 1024 * 1024);
    bar.stop();
    expect(written).toMatch(/10\/10 blobs/);
  });
});

describe('onProgress callbacks', () => {
  it('dir: done reaches the number of files', async () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${i}.txt`, `line ${i}\n`])));
    const calls: [number, number, number][] = [];
    await scanDirectory(dir, prepareScan(defaultConfig(dir)), { gitignore: false, threads: 1, onProgress: (d, t, b) => calls.push([d, t, b]) });
    expect(calls.length).toBeGreaterThan(1);
    const last = calls.reduce((a, c) => (c[0] > a[0] ? c : a));
    expect(last[0]).toBe(150);
    expect(last[1]).toBe(150);
    expect(last[2]).toBeGreaterThan(0);
  });

  it('git: the last call says the walk is done and every blob was scanned', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q');
    for (let i = 0; i < 3; i++) {
      writeTree(dir, { [`f${i}.txt`]: `v${i}\n`, 'shared.txt': `rev ${i}\n` });
      git(dir, 'add', '.');
      git(dir, 'commit', '-qm', `c${i}`);
    }
    const blobs = git(dir, 'rev-list', '--all', '--objects').split('\n').filter(Boolean).length - 3 /* commits */ - 3; /* trees */
    const calls: { blobsDone: number; blobsTotal: number; walkDone: boolean }[] = [];
    const repo = await openRepo(dir);
    await scanGitHistory(repo, prepareScan(defaultConfig(dir)), { revisions: ['--all'], partial: true, onProgress: (p) => calls.push(p) });
    expect(calls.at(-1)).toMatchObject({ blobsDone: blobs, blobsTotal: blobs, walkDone: true });
  });

  it('image: done reaches the number of layers', async () => {
    const calls: { layersDone: number; layersTotal: number }[] = [];
    const source = await openPathSource(images().dockerArchive);
    const result = await scanImage(source, prepareScan(defaultConfig(os.tmpdir())), { onProgress: (p) => calls.push(p) });
    const layers = result.images.reduce((n, im) => n + im.layers, 0);
    expect(calls[0]).toMatchObject({ layersDone: 0, layersTotal: layers });
    expect(calls.at(-1)).toMatchObject({ layersDone: layers, layersTotal: layers });
  });
});

describe('progress on the CLI', () => {
  it('writes nothing to stderr when stderr is not a terminal', () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 100 }, (_, i) => [path.join('d', `f${i}.txt`), 'x\n'])));
    const run = runCli(['dir', dir, '--no-config']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});
