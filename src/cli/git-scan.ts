// A git history scan as the CLI runs it: which commits the flags choose, and the scan of them with
// progress and readable errors (shared by git, baseline --git and organisation scans).
import { UserError } from '../errors.js';
import type { Shard } from '../core/shard.js';
import type { ScanResult } from '../types.js';
import type { CommonArgs } from './options.js';
import { scanProgress } from './progress.js';

/** The git command's arguments (organisation scans read them too). */
export interface GitArgs extends CommonArgs {
  repo: string;
  all?: boolean;
  branch?: string;
  since?: string;
  range?: string;
  'since-commit'?: string;
  ci?: boolean;
  staged?: boolean;
  'pre-push'?: boolean;
  'whole-blobs': boolean;
  threads?: number;
  'keep-clone'?: string;
  'github-org'?: string;
  'gitlab-group'?: string;
  'api-url'?: string;
  'include-forks'?: boolean;
  'include-archived'?: boolean;
  parallel?: number;
}

type Repo = Awaited<ReturnType<typeof import('../sources/git-repo.js').openRepo>>;
type Setup = ReturnType<typeof import('../scan/engine.js').prepareScan>;

/** Which commits to scan, as the git command's flags say; none set: every ref and stash. */
export interface RevisionChoice {
  since?: string;
  'pre-push'?: boolean;
  'since-commit'?: string;
  ci?: boolean;
  range?: string;
  branch?: string;
}

/** How to scan a history, besides which commits. */
export interface HistoryChoice extends RevisionChoice {
  quiet: boolean;
  'whole-blobs'?: boolean;
  threads?: number;
}

/** Whether the scan walks part of the history (a range, a push, --since…): small, matched on this thread. */
export function partialHistory(args: RevisionChoice): boolean {
  return Boolean(args.range || args['pre-push'] || args.since || args['since-commit'] !== undefined || args.ci);
}

/** git log arguments for what the user asked, or null when there is nothing to scan. */
export async function chooseRevisions(args: RevisionChoice, repo: Repo): Promise<string[] | null> {
  if (args.since !== undefined) await checkSince(repo, args.since);
  const since = args.since ? [`--since=${args.since}`] : [];
  if (args['pre-push']) {
    const { pushRevisions } = await import('../sources/git-push.js');
    const input = process.stdin.isTTY ? '' : (await (await import('../scan/stdin.js')).readStdin()).toString('utf8');
    const revisions = await pushRevisions(repo, input);
    return revisions && [...revisions, ...since];
  }
  if (args['since-commit'] !== undefined) return [await sinceCommit(repo, args['since-commit']), ...since];
  if (args.ci) {
    const { detectCiRange, describeCiRange, gitLookup } = await import('../ci/detect.js');
    const chosen = await detectCiRange(process.env, gitLookup(repo));
    process.stderr.write(describeCiRange(chosen));
    return chosen.revisions && [...chosen.revisions, ...since];
  }
  if (args.range !== undefined) {
    // An empty range (an unset CI variable, say) would otherwise fall through to the whole history.
    if (args.range.trim() === '') throw new UserError('--range is empty', 'name commits, e.g. --range origin/main..HEAD (is the variable that should hold it set?)');
    if (args.range.startsWith('-')) throw new UserError(`bad range "${args.range}"`, 'name commits, e.g. --range origin/main..HEAD');
    return [args.range, ...since];
  }
  if (args.branch) {
    if (args.branch.startsWith('-')) throw new UserError(`bad branch "${args.branch}"`);
    return [args.branch, ...since];
  }
  if (!repo.head && !(await hasRefs(repo))) return null; // an empty repository
  return ['--all', ...(await stashes(repo)), ...since];
}

export async function scanHistory(args: HistoryChoice, repo: Repo, setup: Setup, revisions: string[], shard: Shard | undefined): Promise<ScanResult> {
  const { scanGitHistory } = await import('../scan/git.js');
  const { GitLogError } = await import('../sources/git-log.js');
  const progress = scanProgress(args, 'blobs');
  if (repo.shallow && !args.quiet) {
    process.stderr.write(
      'secretscan: note: this is a shallow clone: only the commits it holds are scanned, older history is not.\n' +
        '  hint: for a full audit run `git fetch --unshallow` first\n',
    );
  }
  try {
    return await scanGitHistory(repo, setup, {
      revisions,
      wholeBlobs: args['whole-blobs'] ?? false,
      threads: args.threads,
      partial: partialHistory(args),
      ...(shard ? { shard } : {}),
      onProgress: progress ? (p) => progress.update(p.blobsDone, p.blobsTotal, p.bytes, p.walkDone) : undefined,
    });
  } catch (e) {
    if (e instanceof GitLogError) {
      const what = args.range ? `range "${args.range}"` : args.branch ? `branch "${args.branch}"` : 'revisions';
      throw new UserError(`bad ${what}: ${e.message}`, 'name commits git knows, e.g. --range origin/main..HEAD or --branch main');
    }
    throw e;
  } finally {
    progress?.stop();
  }
}

/** `commit..HEAD`, once git is known to hold `commit`: a shallow CI clone often does not. */
async function sinceCommit(repo: Repo, commit: string): Promise<string> {
  if (!commit || commit.startsWith('-')) throw new UserError(`bad --since-commit "${commit}"`, 'name a commit, e.g. --since-commit "$BASE_SHA"');
  if (!repo.head) throw new UserError('--since-commit: the repository has no commit yet (HEAD is unborn)');
  const { runGit } = await import('../sources/git-repo.js');
  let sha: string;
  try {
    sha = (await runGit(repo.root, repo.env, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${commit}^{commit}`])).trim();
  } catch {
    throw new UserError(
      `--since-commit: unknown commit "${commit}"${repo.shallow ? ' (this is a shallow clone)' : ''}`,
      'fetch the whole history (git fetch --unshallow; actions/checkout `fetch-depth: 0`; GitLab `GIT_DEPTH: 0`), or at least the base: git fetch origin ' + commit,
    );
  }
  if (repo.shallow) {
    try {
      await runGit(repo.root, repo.env, ['merge-base', sha, repo.head]);
    } catch {
      // git would take the commit where the clone is cut for a root, and its whole tree for new.
      throw new UserError(`--since-commit: this shallow clone holds ${commit} but not the history between it and HEAD`, 'fetch the whole history: git fetch --unshallow (actions/checkout `fetch-depth: 0`; GitLab `GIT_DEPTH: 0`)');
    }
  }
  if (sha === repo.head) process.stderr.write(`secretscan: note: --since-commit ${commit} names HEAD: no commit after it, nothing to scan (before a commit, scan what is staged: --staged)\n`);
  return `${sha}..${repo.head}`;
}

/**
 * git log reads a --since it cannot parse as "now" and scans nothing, exit 0: ask git's strict
 * date parser first (the one for expiry dates, which says when a date is not one).
 */
async function checkSince(repo: Repo, since: string): Promise<void> {
  const hint = 'e.g. --since 2024-01-01, --since "2 weeks ago" or --since yesterday';
  if (since.trim() === '') throw new UserError('--since is empty', hint);
  if (/^\s*(now|today)\s*$/i.test(since)) return; // read as "now" by git log, and meant so
  const { runGit } = await import('../sources/git-repo.js');
  try {
    await runGit(repo.root, repo.env, ['-c', `secretscan.since=${since}`, 'config', '--type=expiry-date', 'secretscan.since']);
  } catch {
    throw new UserError(`--since "${since}" is not a date git understands`, hint);
  }
}

async function hasRefs(repo: Repo): Promise<boolean> {
  const { runGit } = await import('../sources/git-repo.js');
  return (await runGit(repo.root, repo.env, ['for-each-ref', '--count=1', '--format=%(refname)'])).trim() !== '';
}

/** Every stash entry (`--all` sees only the newest, refs/stash itself). */
async function stashes(repo: Repo): Promise<string[]> {
  const { runGit } = await import('../sources/git-repo.js');
  try {
    return (await runGit(repo.root, repo.env, ['log', '--walk-reflogs', '--format=%H', 'refs/stash', '--'])).split('\n').filter(Boolean);
  } catch {
    return []; // no stash
  }
}

export function emptyResult(target: string): ScanResult {
  return { target, findings: [], skipped: [], suppressed: {}, stats: { files: 0, bytes: 0, durationMs: 0 } };
}

