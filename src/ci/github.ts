import { readInputText } from '../io/safe-read.js';
import { UserError } from '../errors.js';
import { between, newCommits, requireCommit, shortSha, ZERO_SHA, type CiRange, type FetchAdvice, type RepoLookup } from './range.js';

const ADVICE: FetchAdvice = { fullHistory: 'actions/checkout with `fetch-depth: 0`' };

/** The parts of a GitHub Actions event payload the range comes from. */
interface GithubEvent {
  before?: string;
  after?: string;
  ref?: string;
  pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string } };
  merge_group?: { base_sha?: string; head_sha?: string; head_ref?: string };
  repository?: { default_branch?: string };
}

/**
 * The commits a GitHub Actions run is about, from GITHUB_EVENT_NAME and the event payload at
 * GITHUB_EVENT_PATH: a pull request's own commits, a push's, or a merge queue group's.
 */
export async function githubRange(env: NodeJS.ProcessEnv, repo: RepoLookup): Promise<CiRange> {
  const name = env.GITHUB_EVENT_NAME;
  if (!name) throw new UserError('--ci: GITHUB_EVENT_NAME is not set', 'GitHub Actions sets it in every job; elsewhere use --range BASE..HEAD or --since-commit BASE');
  const event = readEvent(env.GITHUB_EVENT_PATH);

  if (name === 'pull_request' || name === 'pull_request_target') {
    const pr = event.pull_request;
    const base = requireSha(pr?.base?.sha, 'pull_request.base.sha', name);
    const head = requireSha(pr?.head?.sha, 'pull_request.head.sha', name);
    // GitHub checks out a merge commit (refs/pull/N/merge) for pull_request, and the base branch
    // for pull_request_target: base..head is the pull request's own commits either way.
    const headAdvice: FetchAdvice =
      name === 'pull_request_target' && pr?.number !== undefined
        ? { fullHistory: `pull_request_target checks out the base branch: git fetch origin pull/${pr.number}/head, or actions/checkout with \`fetch-depth: 0\` and \`ref: \${{ github.event.pull_request.head.sha }}\`` }
        : ADVICE;
    await requireCommit(repo, base, 'the pull request\'s base commit', ADVICE);
    const range = await between(repo, base, head, ['the pull request\'s base commit', 'the pull request\'s head commit'], headAdvice);
    return { subject: `GitHub pull request${pr?.number !== undefined ? ` #${pr.number}` : ''}`, ...range, notes: [] };
  }

  if (name === 'merge_group') {
    const group = event.merge_group;
    const base = requireSha(group?.base_sha, 'merge_group.base_sha', name);
    const head = requireSha(group?.head_sha, 'merge_group.head_sha', name);
    const range = await between(repo, base, head, ['the merge queue\'s base commit', 'the merge group\'s commit'], ADVICE);
    return { subject: 'GitHub merge queue group', ...range, notes: [] };
  }

  if (name === 'push') {
    const after = requireSha(event.after, 'after', name);
    const before = event.before ?? '';
    const ref = event.ref ?? env.GITHUB_REF ?? '';
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
    const subject = `GitHub push to ${branch ?? (ref || 'a ref')}`;
    if (ZERO_SHA.test(after)) return { subject, revisions: null, range: 'none', notes: ['the push deletes the ref: no commit to scan'] };
    const defaultBranch = event.repository?.default_branch;
    if (!before || ZERO_SHA.test(before)) {
      const found = await newCommits(repo, after, branch, defaultBranch, ADVICE);
      return { subject, ...found, notes: ['a new ref: scanning its commits that no other remote branch holds', ...found.notes] };
    }
    if (!(await repo.hasCommit(before))) {
      // A forced push rewrote history and the old tip was not fetched (or the clone is shallow).
      const found = await newCommits(repo, after, branch, defaultBranch, ADVICE);
      return {
        subject,
        ...found,
        notes: [`the push's previous tip ${shortSha(before)} is not in this clone (a forced push, or a shallow checkout): scanning the commits of ${shortSha(after)} that no other remote branch holds instead`, ...found.notes],
      };
    }
    return { subject, ...(await between(repo, before, after, ['the push\'s previous tip', 'the pushed commit'], ADVICE)), notes: [] };
  }

  throw new UserError(
    `--ci: the GitHub event "${name}" has no commit range (pull_request, pull_request_target, push and merge_group have)`,
    'name the commits with --range BASE..HEAD or --since-commit BASE, or scan the whole history without --ci',
  );
}

function readEvent(file: string | undefined): GithubEvent {
  if (!file) throw new UserError('--ci: GITHUB_EVENT_PATH is not set', 'GitHub Actions sets it to the event payload file; elsewhere use --range BASE..HEAD or --since-commit BASE');
  const text = readInputText(file, { what: 'the GitHub event file', hint: '--ci reads the range from the file GITHUB_EVENT_PATH names' });
  try {
    const event: unknown = JSON.parse(text);
    if (event && typeof event === 'object' && !Array.isArray(event)) return event as GithubEvent;
  } catch {
    // reported below
  }
  throw new UserError(`--ci: the GitHub event file ${file} (GITHUB_EVENT_PATH) is not a JSON object`);
}

function requireSha(value: unknown, field: string, event: string): string {
  if (typeof value === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(value)) return value;
  throw new UserError(`--ci: the ${event} event has no commit sha in ${field}`, 'use --range BASE..HEAD or --since-commit BASE');
}
