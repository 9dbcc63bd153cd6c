import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import type { Shard } from '../core/shard.js';
import type { ScanResult } from '../types.js';
import { applyFlags, commonOptions, finish, resolveConfig, shardFlag, type CommonArgs } from './main.js';
import { scanProgress } from './progress.js';
import { withVersionControl } from './version-control.js';

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

function builder(y: Argv) {
  return commonOptions(y)
    .positional('repo', { type: 'string', default: '.', describe: 'Repository: a work tree (or a folder in one), a bare repository, or a URL (https://, ssh://, git@host:path, file://) to clone and scan' })
    .option('github-org', { type: 'string', describe: 'Scan every repository of this GitHub organisation (token: GITHUB_TOKEN)' })
    .option('gitlab-group', { type: 'string', describe: 'Scan every project of this GitLab group and its subgroups (token: GITLAB_TOKEN)' })
    .option('api-url', { type: 'string', describe: 'API base for GitHub Enterprise (https://HOST/api/v3) or self-managed GitLab (https://HOST/api/v4)' })
    .option('include-forks', { type: 'boolean', default: false, describe: 'With --github-org/--gitlab-group: scan forks too' })
    .option('include-archived', { type: 'boolean', default: false, describe: 'With --github-org/--gitlab-group: scan archived repositories too' })
    .option('parallel', { type: 'number', default: 2, describe: 'With --github-org/--gitlab-group: repositories cloned and scanned at once' })
    .conflicts('github-org', 'gitlab-group')
    .option('keep-clone', { type: 'string', describe: 'With a URL: keep the mirror clone in this new folder (default: a temporary one, removed after the scan)' })
    .option('all', { type: 'boolean', describe: 'Every ref: branches, tags, remotes and stashes (the default when no branch or range is named)' })
    .option('branch', { type: 'string', describe: 'Only the history of this branch (or tag, or commit)' })
    .option('range', { type: 'string', describe: 'Only the commits of a range, e.g. origin/main..HEAD (what a pull request adds)' })
    .option('since-commit', { type: 'string', describe: 'Only the commits after this one up to HEAD (SHA..HEAD), e.g. a pull request\'s base' })
    .option('ci', { type: 'boolean', describe: 'Only the commits this CI run is about: the pull/merge request\'s or the push\'s (GitHub Actions, GitLab CI)' })
    .option('since', { type: 'string', describe: 'Only commits after this date, e.g. 2024-01-01 or "2 weeks ago"' })
    .option('staged', { type: 'boolean', describe: 'Only what is staged for the next commit, and only the lines it adds (pre-commit)' })
    .option('pre-push', { type: 'boolean', describe: 'Only the commits about to be pushed, read from a pre-push hook\'s standard input' })
    .option('whole-blobs', { type: 'boolean', default: false, describe: 'Match every blob whole, not only where it changed since the previous version of its file (slower)' })
    .option('threads', { type: 'number', describe: 'Worker threads for matching (default: one per core, for large histories)' })
    .conflicts('range', 'branch')
    .conflicts('staged', ['range', 'branch', 'since', 'pre-push', 'all'])
    .conflicts('pre-push', ['range', 'branch', 'all'])
    .conflicts('since-commit', ['range', 'branch', 'staged', 'pre-push', 'all', 'ci'])
    .conflicts('ci', ['range', 'branch', 'staged', 'pre-push', 'all']);
}

/** `secretscan git`: history, a range, the staged changes or a push. */
export function gitCommand(setExitCode: (code: number) => void): CommandModule<object, GitArgs> {
  return {
    command: 'git [repo]',
    describe: 'Scan a git repository: every blob in its history (all refs), a range, a push, or the staged changes',
    builder: builder as unknown as CommandModule<object, GitArgs>['builder'],
    handler: async (args) => {
      const org = args['github-org'] !== undefined || args['gitlab-group'] !== undefined;
      const shard = shardFlag(args, args.staged ? 'staged changes (--staged)' : org ? 'organisation scans' : undefined);
      if (org) {
        const { scanOrganisation } = await import('./org-scan.js');
        setExitCode(await scanOrganisation(args));
        return;
      }
      // Loaded here: `dir` and `stdin` runs should not pay for the git modules, nor the reverse.
      const { openRepo } = await import('../sources/git-repo.js');
      const { isRemoteUrl, cloneMirror } = await import('../sources/git-remote.js');
      const remote = isRemoteUrl(args.repo);
      if (remote && (args.staged || args['pre-push'])) throw new UserError('--staged and --pre-push need a local repository, not a URL');
      if (!remote && args['keep-clone']) throw new UserError('--keep-clone goes with a repository URL', `${args.repo} is a local path`);
      const clone = remote
        ? await cloneMirror(args.repo, { progress: process.stderr.isTTY === true && !args.quiet, ...(args['keep-clone'] ? { keepIn: args['keep-clone'] } : {}) })
        : null;
      try {
        const repo = await openRepo(clone?.gitDir ?? args.repo);
        // A clone's config is the user's (from here), not one a stranger's clone or temp folder offers.
        const config = applyFlags(resolveConfig(args, clone ? process.cwd() : repo.root), args);
        const { prepareScan } = await import('../scan/engine.js');
        const setup = prepareScan(config);
        let result: ScanResult;
        if (args.staged) {
          const { scanGitStaged } = await import('../scan/git.js');
          result = await scanGitStaged(repo, setup);
        } else {
          const revisions = await chooseRevisions(args, repo);
          result = revisions === null ? emptyResult(repo.root) : await scanHistory(args, repo, setup, revisions, shard);
          if (shard) result.shard = shard;
        }
        result = await withVersionControl(result, repo.root, args.format);
        // A clone is named by its URL (credentials removed), not by its temporary folder.
        if (clone) result = { ...result, target: clone.name };
        const hook = Boolean(args.staged || args['pre-push']);
        const code = await finish(result, args, config, setup.rules, hook);
        // The full text report (--verbose) already ends with the false-positive advice: not twice.
        if (code !== 0 && hook) explainBlocked(args.staged ? 'commit' : 'push', !(args.format === 'text' && args.verbose && !args.output));
        setExitCode(code);
      } finally {
        await clone?.dispose();
      }
    },
  };
}

type Repo = Awaited<ReturnType<typeof import('../sources/git-repo.js').openRepo>>;
type Setup = ReturnType<typeof import('../scan/engine.js').prepareScan>;

/** git log arguments for what the user asked, or null when there is nothing to scan. */
export async function chooseRevisions(args: GitArgs, repo: Repo): Promise<string[] | null> {
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

export async function scanHistory(args: GitArgs, repo: Repo, setup: Setup, revisions: string[], shard: Shard | undefined): Promise<ScanResult> {
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
      wholeBlobs: args['whole-blobs'],
      threads: args.threads,
      partial: Boolean(args.range || args['pre-push'] || args.since || args['since-commit'] !== undefined || args.ci),
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

/**
 * What to do when a hook stops a commit or a push, in two lines: the findings are listed above, and
 * the full guidance (how to revoke each key) is one --verbose away.
 */
function explainBlocked(what: 'commit' | 'push', falsePositive: boolean): void {
  const fix =
    what === 'commit'
      ? 'remove each secret above from its file (load it from the environment or a secret store), stage again, and rotate any key that was ever shared; how to revoke each: secretscan git --staged --verbose'
      : 'rewrite the commits that hold the secrets above (git rebase -i, git commit --amend) and rotate any key that was ever pushed; how to revoke each: secretscan git --range @{upstream}..HEAD --verbose';
  process.stderr.write(
    `secretscan: ${what} blocked: ${fix}\n` +
      (falsePositive ? '  False positive? Add `secretscan:allow` in a comment on its line, or an allow-paths / allow-regexes entry in .secretscanrc. ' : '  ') +
      `To ${what} anyway, once: git ${what} --no-verify\n`,
  );
}
