import { UserError } from '../errors.js';
import { runGit, type GitRepo } from '../sources/git-repo.js';
import { githubRange } from './github.js';
import { gitlabRange } from './gitlab.js';
import type { CiRange, RepoLookup } from './range.js';

/** The commits this CI run is about (`secretscan git --ci`): GitHub Actions or GitLab CI. */
export async function detectCiRange(env: NodeJS.ProcessEnv, repo: RepoLookup): Promise<CiRange> {
  if (env.GITHUB_ACTIONS === 'true') return githubRange(env, repo);
  if (env.GITLAB_CI === 'true') return gitlabRange(env, repo);
  throw new UserError(
    '--ci: not in a CI secretscan knows (GITHUB_ACTIONS and GITLAB_CI are unset)',
    'GitHub Actions needs GITHUB_ACTIONS=true, GITHUB_EVENT_NAME and GITHUB_EVENT_PATH; GitLab CI needs GITLAB_CI=true, CI_COMMIT_SHA and CI_COMMIT_BEFORE_SHA or CI_MERGE_REQUEST_DIFF_BASE_SHA; any other CI: name the commits with --since-commit BASE_SHA or --range BASE..HEAD',
  );
}

/** The answers to RepoLookup's questions, from git. */
export function gitLookup(repo: GitRepo): RepoLookup {
  return {
    async hasCommit(sha) {
      try {
        await runGit(repo.root, repo.env, ['cat-file', '-e', `${sha}^{commit}`]);
        return true;
      } catch {
        return false;
      }
    },
    shallow: repo.shallow,
    async hasMergeBase(a, b) {
      try {
        await runGit(repo.root, repo.env, ['merge-base', a, b]);
        return true;
      } catch {
        return false;
      }
    },
    async remoteBranches() {
      const out = await runGit(repo.root, repo.env, ['for-each-ref', '--format=%(refname) %(symref)', 'refs/remotes']);
      return out.split('\n').filter((l) => l && l.endsWith(' ')).map((l) => l.trimEnd());
    },
  };
}

/** The chosen range on stderr, so the CI log says what was scanned and why. */
export function describeCiRange(r: CiRange): string {
  const lines = [`secretscan: ${r.subject}: scanning ${r.revisions ? `commits ${r.range}` : 'nothing'}\n`];
  for (const note of r.notes) lines.push(`  note: ${note}\n`);
  return lines.join('');
}
