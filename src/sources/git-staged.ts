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
 * What is staged: the index against HEAD (against the empty tree before the first commit). Two
 * cheap git calls: the raw listing for blob ids, the zero-context patch for added line numbers.
 */
export async function stagedFiles(repo: GitRepo): Promise<StagedFile[]> {
  // Before the first commit, git compares the index with the empty tree by itself (naming the
  // empty tree's id fails where the object was never written).
  const base = repo.head ? [repo.head] : [];
  const common = ['--cached', '--no-renames', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--ignore-submodules=all'];
  const [raw, patch] = await Promise.all([
    runGit(repo.root, repo.env, ['diff', ...common, '--raw', '-z', '--no-abbrev', ...base, '--']),
    runGit(repo.root, repo.env, ['diff', ...common, '-p', '-U0', '--src-prefix=a/', '--dst-prefix=b/', ...base, '--']),
  ]);
  const added = addedLines(patch);
  const files: StagedFile[] = [];
  const fields = raw.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    // ":<old mode> <new mode> <old sha> <new sha> <status>" then the path
    const [, mode, , blob, status] = (fields[i] ?? '').replace(/^\n/, '').split(' ');
    const path = fields[i + 1] ?? '';
    if (!blob || status === 'D' || mode === GITLINK || /^0+$/.test(blob)) continue;
    const lines = added.get(path);
    if (lines === undefined || (lines !== 'all' && lines.length === 0)) continue;
    files.push({ path, blob, added: lines });
  }
  return files;
}

/** Path → added line ranges, from `git diff -U0` output. */
export function addedLines(patch: string): Map<string, [number, number][] | 'all'> {
  const out = new Map<string, [number, number][] | 'all'>();
  let path: string | null = null;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      path = headerPath(line.slice('diff --git '.length));
      if (!out.has(path)) out.set(path, []);
      continue;
    }
    const ranges = path === null ? undefined : out.get(path);
    if (path === null || ranges === undefined || ranges === 'all') continue;
    if (line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      const first = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > 0) ranges.push([first, first + count - 1]);
    } else if (line.startsWith('Binary files ')) {
      // Binary to git (an attribute, or a NUL byte): no line numbers, so every line counts.
      out.set(path, 'all');
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
