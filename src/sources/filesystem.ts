// Listing the files of a directory scan, honouring .gitignore as git decides inside a work tree.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { Skipped } from '../types.js';
import { walkTree, type WalkedFile } from './tree-walk.js';
import { fileKind } from '../io/entry-type.js';

export type FileEntry = WalkedFile;

const require = createRequire(import.meta.url);
/**
 * node:child_process, loaded when git is first asked: a scan outside a work tree (files named one by
 * one, as lint-staged passes them) runs no process, and loading it costs ~5 ms of such a scan.
 */
const childProcess = () => require('node:child_process') as typeof import('node:child_process');

export interface FileListing {
  root: string;
  files: FileEntry[];
  skipped: Skipped[];
  /** True when .gitignore rules were applied (the root is inside a git work tree). */
  gitignore: boolean;
}

/**
 * Paths git ignores under `root`, as git itself decides (nested .gitignore, info/exclude, global
 * excludes). Whole ignored folders come back as one entry ending in '/'. Null outside a work tree.
 */
async function gitIgnored(root: string): Promise<{ dirs: string[]; files: Set<string> } | null> {
  const git = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      // git itself, not a wrapper library: a one-file scan should not load one (~50 ms).
      childProcess().execFile('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) =>
        err ? reject(new Error(stderr.trim() || err.message)) : resolve(stdout),
      );
    });
  if (!mayBeInWorkTree(root)) return null;
  // Two processes at once: check-ignore decides whether .gitignore applies here, the listing of
  // what it excludes runs meanwhile (and is dropped when it does not apply).
  const listing = git(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
  listing.catch(() => {});
  // 1: inside a work tree, the folder not ignored. 0: git ignores the folder as a whole
  // (node_modules, say): it was named on purpose, so all of it is scanned (ls-files fails there
  // anyway: "directory entry not superset of prefix"). 128 or no status: no work tree here
  // (outside a repository, inside .git, a bare repository) or no git: nothing to honour.
  if ((await gitStatus(root, ['check-ignore', '-q', '.'])) !== 1) return null;
  let out: string;
  try {
    out = await listing;
  } catch (e) {
    throw new UserError(`cannot ask git which files under ${root} .gitignore excludes: ${(e as Error).message.trim()}`, 'scan without .gitignore with --no-ignore');
  }
  const dirs: string[] = [];
  const files = new Set<string>();
  for (const p of out.split('\0')) {
    if (!p) continue;
    if (p.endsWith('/')) dirs.push(p);
    else files.add(p);
  }
  return { dirs, files };
}

/**
 * False when no folder from `root` up holds a .git (a folder, or a file naming one elsewhere) and
 * no GIT_DIR or GIT_WORK_TREE says where one is: git would find no work tree either, and asking it
 * costs a one-file scan a process (~10 ms).
 */
function mayBeInWorkTree(root: string): boolean {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return true;
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/** git's exit status for `args` run in `root` (null when git could not be run). */
function gitStatus(root: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = childProcess().spawn('git', args, { cwd: root, stdio: 'ignore' });
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
}

/**
 * Every regular file under `root`, dotfiles included (.env and .npmrc are where keys leak most),
 * never descending into .git, never following symlinks (see walkTree). Directories that cannot be
 * read, symlinks that point outside the root and FIFOs, sockets and devices are listed in
 * `skipped`, not dropped silently.
 */
export async function listFiles(target: string, options: { gitignore: boolean }): Promise<FileListing> {
  let st;
  try {
    st = statSync(target);
  } catch (e) {
    throw new UserError(`cannot scan ${target}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  if (st.isFile()) {
    const root = path.dirname(path.resolve(target));
    return { root, files: [{ abs: path.resolve(target), rel: path.basename(target) }], skipped: [], gitignore: false };
  }
  if (!st.isDirectory()) throw new UserError(`cannot scan ${target}: a ${fileKind(st)}, not a file or directory`);
  const root = path.resolve(target);
  const ignored = options.gitignore ? await gitIgnored(root) : null;
  const { files, skipped } = await walkTree(root, ignored ? { ignoredDirs: ignored.dirs, ignoredFiles: ignored.files } : {});
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { root, files, skipped, gitignore: ignored !== null };
}
