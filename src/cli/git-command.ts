// `secretscan git [repo]`: a repository's history, a range, a push, the staged changes, or a forge's repositories.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import type { StagedFile } from '../sources/git-staged.js';
import type { ScanResult } from '../types.js';
import { chooseRevisions, emptyResult, partialHistory, scanHistory, type GitArgs } from './git-scan.js';
import { finish } from './output.js';
import { applyFlags, commonOptions, resolveConfig, shardFlag } from './options.js';
import { attachVersionControl, startVersionControl } from './version-control.js';

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
        // A hook's diff starts now, with the repository's facts (see stagedFilesIn): git runs
        // while the repository is opened and the rules load.
        const early = args.staged ? await startStagedDiff(args.repo) : undefined;
        const repo = await openRepo(clone?.gitDir ?? args.repo);
        const vcs = startVersionControl(repo.root, args.format);
        // A clone's config is the user's (from here), not one a stranger's clone or temp folder offers.
        const config = applyFlags(resolveConfig(args.config, clone ? process.cwd() : repo.root), args);
        const { prepareScan } = await import('../scan/engine.js');
        let result: ScanResult;
        let setup: ReturnType<typeof prepareScan>;
        if (args.staged) {
          const { prepareStagedScan, scanGitStaged } = await import('../scan/git.js');
          const staged = await prepareStagedScan(repo, config, early?.files);
          setup = staged.setup;
          result = await scanGitStaged(repo, setup, staged.read);
        } else {
          // For the whole history, git's questions (the stashes, whether there is any ref, the
          // repository's size) are asked before the rules load, which they do without yielding:
          // git answers meanwhile. A partial walk may read stdin (--pre-push) or print what it
          // chose (--ci, --since-commit): that waits until the config and rules are known good.
          const whole = !partialHistory(args);
          const chosen = whole ? chooseRevisions(args, repo) : null;
          chosen?.catch(() => {}); // awaited below, where its error is reported
          if (whole) void (await import('../scan/git.js')).repositoryBytes(repo);
          setup = prepareScan(config);
          const revisions = await (chosen ?? chooseRevisions(args, repo));
          result = revisions === null ? emptyResult(repo.root) : await scanHistory(args, repo, setup, revisions, shard);
          if (shard) result.shard = shard;
        }
        result = await attachVersionControl(result, vcs);
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

/**
 * `git diff --cached` started in the folder named, before the repository is opened (see
 * stagedFilesIn), or nothing where that is no folder (openRepo says so). Its failure is reported
 * where the scan awaits it, after openRepo's own, clearer, errors.
 */
async function startStagedDiff(target: string): Promise<{ files: Promise<StagedFile[]> } | undefined> {
  const abs = path.resolve(target);
  let folder = false;
  try {
    folder = statSync(abs).isDirectory();
  } catch {
    // Missing, a file on the way (ENOTDIR), a loop of links, no permission: openRepo says which.
  }
  if (!folder) return undefined;
  const { stagedFilesIn } = await import('../sources/git-staged.js');
  const { gitEnv } = await import('../sources/git-repo.js');
  const files = stagedFilesIn(abs, gitEnv());
  files.catch(() => {});
  return { files };
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
