/** `secretscan git --github-org ORG` / `--gitlab-group GROUP`: every repository's history, one report. */
import pLimit from 'p-limit';
import { UserError } from '../errors.js';
import type { ForgeListing } from '../sources/forge.js';
import type { RepositoryScan } from '../scan/repositories.js';
import { chooseRevisions, emptyResult, scanHistory, type GitArgs } from './git-scan.js';
import { finish } from './output.js';
import { applyFlags, resolveConfig } from './options.js';

async function listing(args: GitArgs): Promise<ForgeListing> {
  const { listGithubOrg, listGitlabGroup } = await import('../sources/forge.js');
  const apiUrl = args['api-url'];
  if (apiUrl !== undefined && !/^https?:\/\/\S+$/.test(apiUrl)) throw new UserError(`--api-url "${apiUrl}" is not an http(s) URL`);
  if (args['github-org'] !== undefined) return listGithubOrg(args['github-org'], { ...(apiUrl ? { apiUrl } : {}), ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}) });
  return listGitlabGroup(args['gitlab-group']!, { ...(apiUrl ? { apiUrl } : {}), ...(process.env.GITLAB_TOKEN ? { token: process.env.GITLAB_TOKEN } : {}) });
}

/** Lists, clones and scans each repository (bounded parallelism) and reports them together. */
export async function scanOrganisation(args: GitArgs): Promise<number> {
  const parallel = args.parallel ?? 2;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 32) throw new UserError('--parallel takes a whole number from 1 to 32');
  if (args.staged || args['pre-push'] || args['keep-clone'] || args.repo !== '.') {
    throw new UserError('--github-org and --gitlab-group scan remote repositories: no repository path, --staged, --pre-push or --keep-clone with them');
  }
  const started = performance.now();
  const list = await listing(args);
  const chosen = list.repos.filter((r) => (args['include-forks'] || !r.fork) && (args['include-archived'] || !r.archived));
  const left = list.repos.length - chosen.length;
  const say = (line: string) => !args.quiet && process.stderr.write(`secretscan: ${line}\n`);
  say(`${list.target}: ${chosen.length} of ${list.repos.length} repositories to scan${left ? ` (${left} forks or archived left out; --include-forks, --include-archived)` : ''}`);
  const config = applyFlags(resolveConfig(args.config, process.cwd()), args);
  const { prepareScan } = await import('../scan/engine.js');
  const setup = prepareScan(config);
  const { cloneMirror } = await import('../sources/git-remote.js');
  const { openRepo } = await import('../sources/git-repo.js');
  const scans: RepositoryScan[] = [];
  const notCloned: { name: string; reason: string }[] = [];
  const limit = pLimit(parallel);
  let done = 0;
  await Promise.all(
    chosen.map((repo) =>
      limit(async () => {
        let clone;
        try {
          clone = await cloneMirror(repo.cloneUrl, { progress: false, config: list.cloneConfig });
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          notCloned.push({ name: repo.name, reason: e.message });
          say(`[${++done}/${chosen.length}] ${repo.name}: not scanned (${e.message})`);
          return;
        }
        try {
          const opened = await openRepo(clone.gitDir);
          const quiet = { ...args, quiet: true };
          const revisions = await chooseRevisions(quiet, opened);
          const result = revisions === null ? emptyResult(repo.name) : await scanHistory(quiet, opened, setup, revisions, undefined);
          scans.push({ name: repo.name, url: clone.name, result });
          const n = result.findings.length;
          say(`[${++done}/${chosen.length}] ${repo.name}: ${n} leak${n === 1 ? '' : 's'}`);
        } finally {
          await clone.dispose();
        }
      }),
    ),
  );
  scans.sort((a, b) => a.name.localeCompare(b.name));
  notCloned.sort((a, b) => a.name.localeCompare(b.name));
  const { combineRepositoryScans } = await import('../scan/repositories.js');
  const result = combineRepositoryScans(list.target, scans, notCloned, Math.round(performance.now() - started));
  const code = await finish(result, args, config, setup.rules);
  // A repository that could not be scanned makes the audit incomplete: say so in the exit code too.
  return notCloned.length > 0 && code === 0 ? 2 : code;
}
