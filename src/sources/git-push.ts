import { runGit, type GitRepo } from './git-repo.js';

const ZERO = /^0+$/;

/**
 * The commits a push is about to send, as git log revision arguments, from the lines git gives a
 * pre-push hook on stdin: `<local ref> <local sha> <remote ref> <remote sha>`. An updated branch
 * sends remote..local; a new branch sends what no remote-tracking branch has yet
 * (`<local> --not --remotes`); a deletion sends nothing. Null when nothing is pushed.
 */
export async function pushRevisions(repo: GitRepo, stdin: string): Promise<string[] | null> {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const line of stdin.split('\n')) {
    const [, localSha, , remoteSha] = line.trim().split(/\s+/);
    if (!localSha || ZERO.test(localSha)) continue;
    include.push(localSha);
    // The remote's tip may be missing here (someone else pushed since our last fetch): then the
    // remote-tracking branches are what we know the remote has.
    if (remoteSha && !ZERO.test(remoteSha) && (await hasCommit(repo, remoteSha))) exclude.push(`^${remoteSha}`);
  }
  if (include.length === 0) return null;
  return [...include, ...exclude, '--not', '--remotes'];
}

async function hasCommit(repo: GitRepo, sha: string): Promise<boolean> {
  try {
    await runGit(repo.root, repo.env, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}
