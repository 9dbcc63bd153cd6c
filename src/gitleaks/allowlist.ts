import RE2 from 're2';
import type { LocatedMatch } from '../findings/group.js';
import type { GitleaksAllowlist, RegexTarget } from './config-file.js';
import { originCommit } from '../types.js';

/**
 * A gitleaks allowlist, compiled. Its parts, as gitleaks defines them: `commits` (the finding's
 * commit), `paths` (regexes searched in the file path), `regexes` (searched in the secret, the
 * whole match or the line, per `regexTarget`), `stopwords` (contained in the secret, any case).
 * `condition = "OR"` (default): any part that hits allows the finding; `"AND"`: every part given.
 */
export class CompiledAllowlist {
  private readonly commits: Set<string>;
  private readonly paths: RE2 | null;
  private readonly regexes: RE2 | null;
  private readonly stopwords: string[];
  readonly condition: 'OR' | 'AND';
  readonly regexTarget: RegexTarget;

  /** Throws (with RE2's reason) when a path or regex is not RE2 syntax. */
  constructor(list: GitleaksAllowlist) {
    this.condition = list.condition;
    this.regexTarget = list.regexTarget;
    this.commits = new Set(list.commits);
    this.paths = alternation(list.paths, 'paths');
    this.regexes = alternation(list.regexes, 'regexes');
    this.stopwords = list.stopwords;
  }

  allows(m: LocatedMatch): boolean {
    const checks: boolean[] = [];
    if (this.commits.size > 0) {
      const commit = originCommit(m.origin)?.toLowerCase() ?? '';
      checks.push(commit !== '' && this.commits.has(commit));
    }
    if (this.paths) checks.push(this.paths.test(m.path));
    if (this.regexes) checks.push(this.regexes.test(this.target(m)));
    if (this.stopwords.length > 0) {
      const secret = m.secret.toLowerCase();
      checks.push(this.stopwords.some((w) => secret.includes(w)));
    }
    return this.condition === 'AND' ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
  }

  private target(m: LocatedMatch): string {
    if (this.regexTarget === 'line') return m.lineText;
    if (this.regexTarget === 'match') return m.matchText ?? m.secret;
    return m.secret;
  }
}

function alternation(patterns: string[], what: string): RE2 | null {
  if (patterns.length === 0) return null;
  patterns.forEach((p, i) => {
    try {
      new RE2(p);
    } catch (e) {
      throw new Error(`${what}[${i}] is not RE2 syntax (${(e as Error).message})`);
    }
  });
  return new RE2(patterns.map((p) => `(?:${p})`).join('|'));
}
