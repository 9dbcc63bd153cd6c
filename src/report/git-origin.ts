import type { Finding, GitOrigin } from '../types.js';


function asGitOrigin(origin: Record<string, unknown> | undefined): GitOrigin | null {
  return origin && typeof origin.commit === 'string' && typeof origin.author === 'string' ? (origin as unknown as GitOrigin) : null;
}

/**
 * One line under a history finding: the commit that introduced it, and whether HEAD still has it.
 * Null for locations that do not come from git history.
 */
export function describeGitOrigin(origin: Record<string, unknown> | undefined): string | null {
  const o = asGitOrigin(origin);
  if (!o) return null;
  const subject = o.subject.length > 72 ? `${o.subject.slice(0, 69)}...` : o.subject;
  const who = `${o.commit.slice(0, 12)} by ${o.author} <${o.email}> on ${o.date.slice(0, 10)} "${subject}"`;
  if (o.blob === undefined) return `in the message of commit ${who}`;
  const also = o.commits && o.commits > 1 ? ` (this file content is in ${o.commits} commits)` : '';
  const state = o.inHead ? 'still at HEAD' : 'removed from HEAD (still in history)';
  return `introduced in ${who}; ${state}${also}`;
}

/** Advice when some secret lives on only in history: deleting it did not un-leak it. */
export function historyAdvice(findings: Finding[]): string | null {
  const onlyInHistory = findings.some((f) => f.locations.some((l) => asGitOrigin(l.origin) && l.origin?.inHead === false));
  if (!onlyInHistory) return null;
  return (
    'Removed from HEAD is not removed: every clone and fork of the history still holds those commits. ' +
    'Rotate the key first; then, if you choose, purge it from history (git filter-repo --replace-text) and force-push.'
  );
}
