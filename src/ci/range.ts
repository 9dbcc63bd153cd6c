import { UserError } from '../errors.js';

/** What CI range detection asks the repository; a plain object in unit tests. */
export interface RepoLookup {
  hasCommit(sha: string): Promise<boolean>;
  /** Remote-tracking branch refs, e.g. refs/remotes/origin/main (symbolic refs left out). */
  remoteBranches(): Promise<string[]>;
  /** A shallow clone holds part of the history only. */
  shallow: boolean;
  /** Whether the clone holds a common ancestor of a and b (a shallow clone may cut them apart). */
  hasMergeBase(a: string, b: string): Promise<boolean>;
}

/** The commits a CI run is about, and how they were chosen. */
export interface CiRange {
  /** What the run is for, e.g. "GitHub pull request #7" or "GitLab push to main". */
  subject: string;
  /** git log revision arguments, or null when the event adds no commit (a deleted branch). */
  revisions: string[] | null;
  /** The range in words, for the log, e.g. "1a2b3c4d5e6f..6f5e4d3c2b1a". */
  range: string;
  /** Fallbacks taken and why, one sentence each. */
  notes: string[];
}

export const ZERO_SHA = /^0+$/;

export function shortSha(sha: string): string {
  return sha.slice(0, 12);
}

/** Where a CI asks for a deeper clone: used in the hints of missing-commit errors. */
export interface FetchAdvice {
  /** How to get the whole history in this CI, e.g. "actions/checkout with `fetch-depth: 0`". */
  fullHistory: string;
}

/** Fails with a hint to fetch the history when `sha` is not in this clone (a shallow CI checkout). */
export async function requireCommit(repo: RepoLookup, sha: string, what: string, advice: FetchAdvice): Promise<void> {
  if (await repo.hasCommit(sha)) return;
  throw new UserError(
    `${what} ${shortSha(sha)} is not in this clone (a shallow checkout?)`,
    `fetch the whole history (${advice.fullHistory}, or git fetch --unshallow), or at least that commit: git fetch origin ${sha}`,
  );
}

/** base..head when both are here. */
export async function between(repo: RepoLookup, base: string, head: string, names: [string, string], advice: FetchAdvice): Promise<Pick<CiRange, 'revisions' | 'range'>> {
  await requireCommit(repo, base, names[0], advice);
  await requireCommit(repo, head, names[1], advice);
  // Both ends here but the commits between them cut off: git would take the cut commit for a root
  // and report its whole tree as new.
  if (repo.shallow && !(await repo.hasMergeBase(base, head))) {
    throw new UserError(
      `this shallow clone holds ${shortSha(base)} and ${shortSha(head)} but not the history between them`,
      `fetch the whole history (${advice.fullHistory}, or git fetch --unshallow)`,
    );
  }
  return { revisions: [`${base}..${head}`], range: `${shortSha(base)}..${shortSha(head)}` };
}

/**
 * The commits of a pushed `head` that no other remote-tracking branch holds: what a new branch
 * (or a forced push whose old tip is gone) brings. The pushed branch's own remote-tracking ref is
 * left out, since CI fetches it and it holds `head` itself.
 */
export async function newCommits(
  repo: RepoLookup,
  head: string,
  branch: string | undefined,
  defaultBranch: string | undefined,
  advice: FetchAdvice,
): Promise<Pick<CiRange, 'revisions' | 'range' | 'notes'>> {
  await requireCommit(repo, head, 'the pushed commit', advice);
  const own = branch ? new RegExp(`^refs/remotes/[^/]+/${escapeRegExp(branch)}$`) : null;
  const others = (await repo.remoteBranches()).filter((ref) => !own?.test(ref));
  const notes: string[] = [];
  if (others.length === 0) {
    notes.push(
      `no other remote branch is in this clone, so all history of ${shortSha(head)} is scanned` +
        (defaultBranch && defaultBranch !== branch ? `; fetch the default branch (git fetch origin ${defaultBranch}) to scan only the new commits` : ''),
    );
    return { revisions: [head], range: `${shortSha(head)} (all its history)`, notes };
  }
  return { revisions: [head, '--not', ...others], range: `${shortSha(head)} not on ${describeRefs(others)}`, notes };
}

function describeRefs(refs: string[]): string {
  const names = refs.map((r) => r.replace(/^refs\/remotes\//, ''));
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more remote branches`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
