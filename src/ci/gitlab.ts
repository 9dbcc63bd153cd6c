import { UserError } from '../errors.js';
import { between, newCommits, shortSha, ZERO_SHA, type CiRange, type FetchAdvice, type RepoLookup } from './range.js';

const ADVICE: FetchAdvice = { fullHistory: 'set `GIT_DEPTH: 0` in the job\'s variables' };

/**
 * The commits a GitLab CI pipeline is about, from its predefined variables: a merge request's
 * (CI_MERGE_REQUEST_DIFF_BASE_SHA..its source commit), else a push's (CI_COMMIT_BEFORE_SHA..
 * CI_COMMIT_SHA), where an all-zero "before" means a new branch (or a pipeline with no push).
 */
export async function gitlabRange(env: NodeJS.ProcessEnv, repo: RepoLookup): Promise<CiRange> {
  const commit = env.CI_COMMIT_SHA;
  if (!commit) throw new UserError('--ci: CI_COMMIT_SHA is not set', 'GitLab CI sets it in every job; elsewhere use --range BASE..HEAD or --since-commit BASE');
  const diffBase = env.CI_MERGE_REQUEST_DIFF_BASE_SHA;
  if (diffBase) {
    // In a merged-results pipeline CI_COMMIT_SHA is GitLab's merge commit; the source branch's
    // own tip is then CI_MERGE_REQUEST_SOURCE_BRANCH_SHA.
    const head = env.CI_MERGE_REQUEST_SOURCE_BRANCH_SHA || commit;
    const range = await between(repo, diffBase, head, ['the merge request\'s diff base', 'the merge request\'s commit'], ADVICE);
    const iid = env.CI_MERGE_REQUEST_IID;
    return { subject: `GitLab merge request${iid ? ` !${iid}` : ''}`, ...range, notes: [] };
  }
  const branch = env.CI_COMMIT_BRANCH;
  const subject = `GitLab pipeline for ${branch ? `branch ${branch}` : env.CI_COMMIT_TAG ? `tag ${env.CI_COMMIT_TAG}` : shortSha(commit)}`;
  const before = env.CI_COMMIT_BEFORE_SHA ?? '';
  if (!before || ZERO_SHA.test(before)) {
    const found = await newCommits(repo, commit, branch, env.CI_DEFAULT_BRANCH, ADVICE);
    return { subject, ...found, notes: ['no previous commit (a new branch, or a pipeline not started by a push): scanning the commits no other remote branch holds', ...found.notes] };
  }
  if (!(await repo.hasCommit(before))) {
    const found = await newCommits(repo, commit, branch, env.CI_DEFAULT_BRANCH, ADVICE);
    return {
      subject,
      ...found,
      notes: [`the push's previous tip ${shortSha(before)} is not in this clone (a forced push, or a shallow clone: GIT_DEPTH): scanning the commits of ${shortSha(commit)} that no other remote branch holds instead`, ...found.notes],
    };
  }
  return { subject, ...(await between(repo, before, commit, ['the push\'s previous tip', 'the pipeline\'s commit'], ADVICE)), notes: [] };
}
