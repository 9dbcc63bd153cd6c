import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { listFiles } from '../../src/sources/filesystem.js';
import { git, permissionsApply, useTempDirs, writeTree } from '../support/tree.js';

const tempDir = useTempDirs();
const paths = async (root: string, gitignore = true) => (await listFiles(root, { gitignore })).files.map((f) => f.rel);

describe('listFiles', () => {
  it('lists dotfiles and files in dot-folders, where keys leak most', async () => {
    const root = tempDir();
    writeTree(root, { '.env': 'A=1\n', '.npmrc': 'x\n', '.aws/credentials': '[default]\n', '.github/workflows/ci.yml': 'on: push\n', 'src/app.ts': '\n' });
    expect(await paths(root)).toEqual(['.aws/credentials', '.env', '.github/workflows/ci.yml', '.npmrc', 'src/app.ts']);
  });

  it('gives each file its path relative to the root and its absolute path', async () => {
    const root = tempDir();
    writeTree(root, { 'config/app.yml': 'port: 8080\n' });
    const { root: listedRoot, files } = await listFiles(root, { gitignore: true });
    expect(listedRoot).toBe(root);
    expect(files).toEqual([{ rel: 'config/app.yml', abs: path.join(root, 'config/app.yml') }]);
  });

  it('never descends into .git, in a repository or out of one', async () => {
    const repo = tempDir();
    writeTree(repo, { 'README.md': '# app\n' });
    git(repo, 'init', '-q');
    expect(await paths(repo)).toEqual(['README.md']);

    const plain = tempDir();
    writeTree(plain, { '.git/config': '[core]\n', 'vendor/lib/.git/HEAD': 'ref: x\n', 'main.go': 'package main\n' });
    expect(await paths(plain)).toEqual(['main.go']);
  });

  it('lists a single file target as that file', async () => {
    const root = tempDir();
    writeTree(root, { 'deploy/.env.production': 'A=1\n' });
    const listing = await listFiles(path.join(root, 'deploy/.env.production'), { gitignore: true });
    expect(listing.root).toBe(path.join(root, 'deploy'));
    expect(listing.files.map((f) => f.rel)).toEqual(['.env.production']);
  });

  it('fails with a UserError naming a path that does not exist', async () => {
    const missing = path.join(tempDir(), 'nope');
    await expect(listFiles(missing, { gitignore: true })).rejects.toThrow(UserError);
    await expect(listFiles(missing, { gitignore: true })).rejects.toThrow(`cannot scan ${missing}: no such file or directory`);
  });
});

describe('listFiles: .gitignore', () => {
  function repoWithIgnores(): string {
    const repo = tempDir();
    writeTree(repo, {
      '.gitignore': 'secrets.env\nbuild/\n*.log\nlogs (old)/\n',
      'secrets.env': 'A=1\n',
      'build/bundle.js': 'x\n',
      'debug.log': 'x\n',
      'logs (old)/2024.txt': 'x\n',
      'packages/api/.gitignore': 'local.json\n',
      'packages/api/local.json': '{}\n',
      'packages/api/index.ts': '\n',
      'src/app.ts': '\n',
    });
    git(repo, 'init', '-q');
    return repo;
  }

  it('skips what git ignores, nested .gitignore files and ignored folders included', async () => {
    const repo = repoWithIgnores();
    expect(await paths(repo)).toEqual(['.gitignore', 'packages/api/.gitignore', 'packages/api/index.ts', 'src/app.ts']);
  });

  it('lists ignored files too when asked not to honour .gitignore (--no-ignore)', async () => {
    const repo = repoWithIgnores();
    expect(await paths(repo, false)).toEqual(expect.arrayContaining(['secrets.env', 'build/bundle.js', 'debug.log', 'logs (old)/2024.txt', 'packages/api/local.json']));
  });

  it('still lists a tracked file that matches .gitignore: it is in the repository', async () => {
    const repo = repoWithIgnores();
    git(repo, 'add', '-f', 'secrets.env');
    expect(await paths(repo)).toContain('secrets.env');
  });

  it('honours the repository .gitignore when the scan starts in a subfolder', async () => {
    const repo = repoWithIgnores();
    writeTree(repo, { 'src/trace.log': 'x\n' });
    expect(await paths(path.join(repo, 'src'))).toEqual(['app.ts']);
  });

  it('lists all of a folder git ignores when that folder is the one named (node_modules, build/)', async () => {
    const repo = repoWithIgnores();
    writeTree(repo, { 'build/sub/more.js': 'x\n', 'build/debug.log': 'x\n' });
    // The folder itself is ignored: the scan was asked for on purpose, nothing in it is left out.
    expect(await paths(path.join(repo, 'build'))).toEqual(['bundle.js', 'debug.log', 'sub/more.js']);
  });

  it('honours .gitignore in a work tree whose git folder lives elsewhere (a .git file, or GIT_DIR)', async () => {
    const tree = tempDir();
    const store = tempDir();
    writeTree(tree, { '.gitignore': '*.env\n', 'prod.env': 'A=1\n', 'app.ts': '\n' });
    // `git init --separate-git-dir` leaves a .git file naming the folder elsewhere
    git(tree, 'init', '-q', '--separate-git-dir', path.join(store, 'repo.git'));
    expect(await paths(tree)).toEqual(['.gitignore', 'app.ts']);
    // no .git at all: the environment names the repository (no .git above the tree to find)
    rmSync(path.join(tree, '.git'));
    const saved = { dir: process.env.GIT_DIR, tree: process.env.GIT_WORK_TREE };
    process.env.GIT_DIR = path.join(store, 'repo.git');
    process.env.GIT_WORK_TREE = tree;
    try {
      expect(await paths(tree)).toEqual(['.gitignore', 'app.ts']);
    } finally {
      for (const [k, v] of [['GIT_DIR', saved.dir], ['GIT_WORK_TREE', saved.tree]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(await paths(tree)).toEqual(['.gitignore', 'app.ts', 'prod.env']);
  });

  it('reads a .gitignore outside a repository as an ordinary file, ignoring nothing', async () => {
    const root = tempDir();
    writeTree(root, { '.gitignore': '*.env\n', 'prod.env': 'A=1\n' });
    const listing = await listFiles(root, { gitignore: true });
    expect(listing.gitignore).toBe(false);
    expect(listing.files.map((f) => f.rel)).toEqual(['.gitignore', 'prod.env']);
  });
});

describe('listFiles: symlinks and permissions', () => {
  it('reports a symlink pointing outside the root as skipped, and does not follow it', async () => {
    const outside = tempDir();
    writeTree(outside, { 'id_rsa': 'not for this scan\n', 'home/.env': 'A=1\n' });
    const root = tempDir();
    writeTree(root, { 'app.ts': '\n' });
    symlinkSync(path.join(outside, 'id_rsa'), path.join(root, 'key-link'));
    symlinkSync(path.join(outside, 'home'), path.join(root, 'home-link'));
    const listing = await listFiles(root, { gitignore: true });
    expect(listing.files.map((f) => f.rel)).toEqual(['app.ts']);
    expect(listing.skipped).toEqual(expect.arrayContaining([
      { path: 'key-link', reason: 'symlink-outside-root' },
      { path: 'home-link', reason: 'symlink-outside-root' },
    ]));
    expect(listing.skipped).toHaveLength(2);
  });

  it('lists the target of a symlink inside the root once, under its own path', async () => {
    const root = tempDir();
    writeTree(root, { 'config/.env': 'A=1\n' });
    symlinkSync(path.join(root, 'config/.env'), path.join(root, '.env'));
    const listing = await listFiles(root, { gitignore: true });
    expect(listing.files.map((f) => f.rel)).toEqual(['config/.env']);
    expect(listing.skipped).toEqual([]);
  });

  it('reports an unreadable folder as skipped and lists the rest', async (ctx) => {
    if (!permissionsApply()) {
      console.log('skipped: running as root, where chmod 000 does not stop reading');
      ctx.skip();
    }
    const root = tempDir();
    writeTree(root, { 'locked/.env': 'A=1\n', 'open/app.ts': '\n' });
    mkdirSync(path.join(root, 'locked'), { recursive: true });
    chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const listing = await listFiles(root, { gitignore: false });
      expect(listing.files.map((f) => f.rel)).toEqual(['open/app.ts']);
      expect(listing.skipped).toEqual([{ path: 'locked', reason: 'unreadable', detail: 'EACCES' }]);
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});
