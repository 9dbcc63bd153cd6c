// Text for git history findings: where a secret came in, whether HEAD still has it, and how to accept one.
import { gitOrigin, type Finding, type Origin } from '../types.js';

/**
 * One line under a history finding: the commit that introduced it, and whether HEAD still has it.
 * Null for locations that do not come from git history.
 */
export function describeGitOrigin(origin: Origin | undefined): string | null {
  const o = gitOrigin(origin);
  if (!o) return null;
  const subject = o.subject.length > 72 ? `${o.subject.slice(0, 69)}...` : o.subject;
  const who = `${o.commit.slice(0, 12)} by ${o.author} <${o.email}> on ${o.date.slice(0, 10)} "${subject}"`;
  if (o.kind === 'git-message') return `in the message of commit ${who}`;
  const also = o.commits && o.commits > 1 ? ` (this file content is in ${o.commits} commits)` : '';
  const state = o.inHead ? `still at HEAD${o.headPath !== undefined && o.headLine !== undefined ? ` in ${o.headPath}:${o.headLine}` : ''}` : 'removed from HEAD (still in history)';
  return `introduced in ${who}; ${state}${also}`;
}

/** True when the findings come from a git history scan (a commit's blob or message), not the staged changes. */
export function fromHistory(findings: Finding[]): boolean {
  return findings.some((f) => f.locations.some((l) => gitOrigin(l.origin)));
}

/**
 * How to accept a false positive. A marker on the line cannot change commits already made, so
 * history findings are accepted with a baseline recorded from the history scan.
 */
export function falsePositiveAdvice(findings: Finding[]): string {
  if (fromHistory(findings)) {
    return (
      'False positive? History cannot be edited by a comment: accept it with a baseline from the history scan ' +
      '(secretscan baseline create --git, then secretscan git --baseline .secretscan-baseline.json), or an allow-paths / allow-regexes entry in .secretscanrc.'
    );
  }
  return 'False positive? Add `secretscan:allow` in a comment on its line, or an allow-paths / allow-regexes entry in .secretscanrc.';
}

/** Advice when some secret lives on only in history: deleting it did not un-leak it. */
export function historyAdvice(findings: Finding[]): string | null {
  const onlyInHistory = findings.some((f) => f.locations.some((l) => gitOrigin(l.origin)?.kind === 'git-blob' && (l.origin as { inHead?: boolean }).inHead === false));
  if (!onlyInHistory) return null;
  return (
    'Removed from HEAD is not removed: every clone and fork of the history still holds those commits. ' +
    'Rotate the key first; then, if you choose, purge it from history (git filter-repo --replace-text) and force-push.'
  );
}
