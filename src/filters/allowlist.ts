import path from 'node:path';
import picomatch from 'picomatch';
import RE2 from 're2';
import { UserError } from '../errors.js';
import { redactSecret } from '../findings/redact.js';
import type { Config } from '../config/config.js';
import { locationFingerprint } from '../findings/fingerprint.js';
import type { LocatedMatch } from '../findings/group.js';
import type { Match } from '../types.js';
import type { Baseline } from './baseline.js';

/** Markers that suppress a finding on their line: ours, and those of the tools users migrate from. */
export const INLINE_MARKERS = ['secretscan:allow', 'gitleaks:allow', 'trufflehog:ignore', 'pragma: allowlist secret'];

export type SuppressReason = 'inline-marker' | 'allow-path' | 'allow-regex' | 'stopword' | 'baseline';

/** The user's allowlists from config, applied to matches after detection. */
export class Allowlist {
  private readonly pathMatch: ((p: string) => boolean) | null;
  private readonly regexes: RE2[];

  constructor(private readonly config: Config) {
    this.pathMatch = config.allowPaths.length ? picomatch(config.allowPaths, { dot: true }) : null;
    this.regexes = config.allowRegexes.map((r, i) => compileAllowRegex(r, `${config.file ?? 'config'}: allow-regexes[${i}]`));
  }

  /** `absPath` is checked relative to the config file's folder, as .gitignore patterns are. */
  pathAllowed(absPath: string): boolean {
    if (!this.pathMatch) return false;
    const rel = path.relative(this.config.baseDir, absPath).split(path.sep).join('/');
    return !rel.startsWith('../') && this.pathMatch(rel);
  }

  /** Why this match is suppressed, or null when it stands. */
  suppress(match: Match): SuppressReason | null {
    const line = match.lineText;
    if (INLINE_MARKERS.some((m) => line.includes(m))) return 'inline-marker';
    if (this.regexes.some((r) => r.test(match.secret))) return 'allow-regex';
    const lower = match.secret.toLowerCase();
    if (this.config.stopwords.some((w) => lower.includes(w))) return 'stopword';
    return null;
  }
}

/**
 * Whether a match sits at a location the baseline accepted. Per location, not per secret: the
 * same key copied to a new file is a new leak, and the other locations of a finding stand.
 */
export function inBaseline(baseline: Baseline | null | undefined, match: LocatedMatch): boolean {
  return baseline != null && baseline.has(locationFingerprint(match.ruleId, match.secret, match.path));
}

/**
 * An allow-regex is often a secret written as a pattern (the test key to let through): when RE2
 * refuses it, the message shows it redacted, as reports show secrets, and not RE2's own text
 * (which quotes the pattern).
 */
function compileAllowRegex(pattern: string, owner: string): RE2 {
  try {
    return new RE2(pattern);
  } catch (e) {
    // RE2 says "<what is wrong>: <the offending part>": keep the first half only.
    const reason = (e as Error).message.split(':')[0]!.trim() || 'invalid pattern';
    throw new UserError(`${owner}: pattern ${redactSecret(pattern)} is not valid RE2 syntax (${reason})`, 'RE2 has no backreferences or lookaround; see https://github.com/google/re2/wiki/Syntax');
  }
}
