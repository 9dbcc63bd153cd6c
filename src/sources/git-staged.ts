// The staged changes of a pre-commit scan: each staged file's blob and the lines it adds.
import { runGit, type GitRepo } from './git-repo.js';

/** A file as the next commit will hold it, and which of its lines the staged change adds. */
export interface StagedFile {
  path: string;
  /** The staged blob: exactly what `git commit` will store, whatever the working tree holds. */
  blob: string;
  /**
   * Added lines as inclusive [first, last] ranges, numbered as in the staged file; 'all' when git
   * shows the file as binary (a .gitattributes setting) and so gives no line numbers.
   */
  added: [number, number][] | 'all';
}

const GITLINK = '160000';

/**
 * What is staged: the index against HEAD (against the empty tree before the first commit). One git
 * call, a pre-commit hook feels each: the zero-context patch with full blob ids gives each file's
 * staged blob and the line numbers it adds.
 */
export function stagedFiles(repo: GitRepo): Promise<StagedFile[]> {
  return stagedFilesIn(repo.root, repo.env);
}

/**
 * As stagedFiles, run in any folder of the work tree before the repository is opened (`env` as
 * gitEnv gives it): a hook starts the diff at once, and git works while the rules load. Nothing in
 * the command depends on the repository's facts: without a commit named, `git diff --cached`
 * compares the index with HEAD, or with the empty tree before the first commit, and
 * --no-relative gives paths from the top folder wherever it runs.
 */
export async function stagedFilesIn(cwd: string, env: NodeJS.ProcessEnv): Promise<StagedFile[]> {
  const patch = await runGit(cwd, env, [
    'diff', '--cached', '--no-renames', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--ignore-submodules=all',
    '-p', '-U0', '--full-index', '--src-prefix=a/', '--dst-prefix=b/', '--',
  ]);
  const files: StagedFile[] = [];
  for (const [path, f] of patchFiles(patch)) {
    // Deleted (no blob after), a submodule's commit, or a change of mode alone (no line added).
    if (!f.blob || /^0+$/.test(f.blob) || f.mode === GITLINK) continue;
    if (f.added !== 'all' && f.added.length === 0) continue;
    files.push({ path, blob: f.blob, added: f.added });
  }
  return files;
}

/** One file of a `git diff -U0 --full-index` patch. */
interface PatchFile {
  /** The blob after the change (all zeros when deleted); absent when only the mode changed. */
  blob?: string;
  mode?: string;
  added: [number, number][] | 'all';
}

/** Path → added line ranges, from `git diff -U0` output. */
export function addedLines(patch: string): Map<string, [number, number][] | 'all'> {
  return new Map([...patchFiles(patch)].map(([path, f]) => [path, f.added]));
}

/** Each file of a zero-context patch: its blob and mode after the change (from the header), and the lines it adds. */
function patchFiles(patch: string): Map<string, PatchFile> {
  const out = new Map<string, PatchFile>();
  let file: PatchFile | null = null;
  // Header lines (index, modes) come before a file's first hunk; after it, every line starts with +, -, space or \.
  let header = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const path = headerPath(line.slice('diff --git '.length));
      file = out.get(path) ?? { added: [] };
      out.set(path, file);
      header = true;
      continue;
    }
    if (file === null) continue;
    if (header) {
      const index = /^index [0-9a-f]+\.\.([0-9a-f]+)(?: (\d+))?$/.exec(line);
      if (index) {
        file.blob = index[1];
        if (index[2]) file.mode = index[2];
        continue;
      }
      const mode = /^(?:new file|new) mode (\d+)$/.exec(line);
      if (mode) {
        file.mode = mode[1];
        continue;
      }
    }
    if (line.startsWith('@@ ')) {
      header = false;
      if (file.added === 'all') continue;
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      const first = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > 0) file.added.push([first, first + count - 1]);
    } else if (header && line.startsWith('Binary files ')) {
      // Binary to git (an attribute, or a NUL byte): no line numbers, so every line counts.
      file.added = 'all';
    }
  }
  return out;
}

/** The path in `a/P b/P` (no renames: both sides are the same path), quoted by git or not. */
function headerPath(rest: string): string {
  if (rest.startsWith('"')) return unquote(rest).slice(2);
  return rest.slice(2, 2 + (rest.length - 5) / 2);
}

/** Undoes git's C-style quoting of a path ("a/t\303\251st"), giving the path as UTF-8 text. */
export function unquote(s: string): string {
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') break;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c));
      continue;
    }
    const n = s[++i] ?? '';
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
