// Finding a git repository (root, git folder, HEAD, shallow or bare) and running git in it.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/** What the git sources need to know about a repository, found once. */
export interface GitRepo {
  /** Work tree root, or the git directory of a bare repository. */
  root: string;
  gitDir: string;
  bare: boolean;
  /** A shallow clone holds part of the history only. */
  shallow: boolean;
  /** HEAD's commit, or null on an unborn branch (a repository with no commit yet). */
  head: string | null;
  /** Environment for every git child process (see gitEnv). */
  env: NodeJS.ProcessEnv;
}

/**
 * Environment for git children. Inside a hook git sets GIT_DIR and friends for the repository it
 * runs in: drop them, so that the repository is the one we were pointed at (GIT_INDEX_FILE stays:
 * `git commit -a` stages into a temporary index, and that is what the commit will hold).
 * Partial clones must report missing objects, not fetch them in the middle of a scan.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0' };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_PREFIX', 'GIT_COMMON_DIR']) delete env[k];
  return env;
}

/** Runs git and returns its stdout; a failure carries git's own first line of complaint. */
export function runGit(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new GitCommandError(args, stderr, err));
      else resolve(stdout);
    });
  });
}

export class GitCommandError extends Error {
  constructor(readonly args: string[], readonly stderr: string, cause: { code?: string | number | null; message: string }) {
    const first = stderr.split('\n').find((l) => l.trim()) ?? cause.message;
    super(cause.code === 'ENOENT' ? 'git is not installed (or not on PATH)' : first.replace(/^(fatal|error): /, ''));
    this.name = 'GitCommandError';
  }
}

/** git's exit status and output, failed or not (rev-parse --verify answers "no" with status 1). */
function askGit(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, env, maxBuffer: 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = (err as { code?: string | number } | null)?.code;
      resolve({ status: err ? (typeof code === 'number' ? code : null) : 0, stdout, stderr, missing: code === 'ENOENT' });
    });
  });
}

const FACTS = ['--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'];
const HEAD = ['--verify', '--quiet', 'HEAD^{commit}'];

/**
 * Finds the repository at or above `target` (a work tree folder, or a bare repository). A work
 * tree costs one git call (a pre-commit hook feels each): its facts, top folder and HEAD together;
 * a bare repository, where git refuses --show-toplevel, two.
 */
export async function openRepo(target: string): Promise<GitRepo> {
  const abs = path.resolve(target);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new UserError(`cannot scan ${target}: no such directory`);
  }
  if (!st.isDirectory()) throw new UserError(`cannot scan ${target}: not a directory (name a repository folder)`);
  const env = gitEnv();
  // Status 1: HEAD is not a commit yet (an unborn branch), the lines before it are there.
  const all = await askGit(abs, env, ['rev-parse', ...FACTS, '--show-toplevel', ...HEAD]);
  if (all.status === 0 || all.status === 1) {
    const [bare, shallow, gitDir, top, head] = all.stdout.split('\n').map((l) => l.trim());
    if (bare === 'false' && gitDir && top) return { root: top, gitDir, bare: false, shallow: shallow === 'true', head: (all.status === 0 && head) || null, env };
  }
  const facts = await askGit(abs, env, ['rev-parse', ...FACTS]);
  if (facts.status !== 0) {
    if (facts.missing) throw new UserError('git is not installed (or not on PATH)');
    if (/not a git repository/i.test(facts.stderr)) {
      throw new UserError(`not a git repository: ${target}`, 'name a clone or a bare repository: secretscan git PATH');
    }
    throw new UserError(`cannot read the repository at ${target}: ${firstLine(facts.stderr || `git exited with status ${facts.status}`)}`);
  }
  const [bareLine, shallowLine, dirLine] = facts.stdout.split('\n');
  const bare = bareLine?.trim() === 'true';
  const gitDir = dirLine?.trim() || abs;
  const [top, head] = await Promise.all([
    bare ? Promise.resolve(gitDir) : runGit(abs, env, ['rev-parse', '--show-toplevel']),
    // Null on an unborn branch: no commit yet.
    askGit(abs, env, ['rev-parse', ...HEAD]).then((r) => (r.status === 0 && r.stdout.trim()) || null),
  ]);
  return { root: top.trim(), gitDir, bare, shallow: shallowLine?.trim() === 'true', head, env };
}

/** Path → blob id of every file in a commit's tree (gitlinks of submodules left out). */
export async function treeBlobs(repo: GitRepo, commit: string): Promise<Map<string, string>> {
  const out = await runGit(repo.root, repo.env, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const blobs = new Map<string, string>();
  for (const entry of out.split('\0')) {
    // <mode> SP <type> SP <object> TAB <path>
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, oid] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && oid) blobs.set(entry.slice(tab + 1), oid);
  }
  return blobs;
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim()) ?? s).replace(/^(fatal|error): /, '').trim();
}
