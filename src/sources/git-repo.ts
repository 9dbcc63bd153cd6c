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

/**
 * Finds the repository at or above `target` (a work tree folder, or a bare repository), with
 * simple-git: it is only a handful of small questions, asked once.
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
  // Imported here: the staged scan of a pre-commit hook should not pay for what it does not use.
  const { simpleGit } = await import('simple-git');
  // simple-git refuses an environment that sets EDITOR, PAGER, GIT_CONFIG_GLOBAL and the like (git
  // sets GIT_EDITOR for hooks). Those checks guard against injected arguments; we ask fixed,
  // read-only questions, and the user's environment is theirs to set.
  const unsafe = Object.fromEntries(
    ['Editor', 'Pager', 'ConfigPaths', 'ConfigEnvCount', 'AskPass', 'SshCommand', 'DiffExternal', 'GitProxy', 'TemplateDir'].map((k) => [`allowUnsafe${k}`, true]),
  );
  const git = simpleGit({ baseDir: abs, unsafe }).env(env);
  let facts: string[];
  try {
    facts = (await git.revparse(['--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'])).split('\n');
  } catch (e) {
    const msg = (e as Error).message;
    if (/not a git repository/i.test(msg)) {
      throw new UserError(`not a git repository: ${target}`, 'name a clone or a bare repository: secretscan git PATH');
    }
    if (/ENOENT|spawn git/i.test(msg)) throw new UserError('git is not installed (or not on PATH)');
    throw new UserError(`cannot read the repository at ${target}: ${firstLine(msg)}`);
  }
  const bare = facts[0]?.trim() === 'true';
  const shallow = facts[1]?.trim() === 'true';
  const gitDir = facts[2]?.trim() ?? abs;
  const [top, head] = await Promise.all([
    bare ? Promise.resolve(gitDir) : git.revparse(['--show-toplevel']),
    // Null on an unborn branch: no commit yet.
    git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).then((out) => out.trim() || null, () => null),
  ]);
  const root = top.trim();
  return { root, gitDir, bare, shallow, head, env };
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
