import { readInputText } from '../io/safe-read.js';
import type { LocatedMatch } from '../findings/group.js';
import { originCommit, type ScanWarning } from '../types.js';

/**
 * A `.gitleaksignore` file: one gitleaks finding fingerprint a line, `commit:file:rule-id:line`
 * from git scans or `file:rule-id:line` from directory scans (the latter matches in any commit,
 * as in gitleaks); `#` starts a comment. Fingerprints name a location, not a secret: another
 * secret written on an ignored line is ignored too, which is why our own baselines key on the secret.
 */
export interface IgnoreEntry {
  /** `file:line` of the entry, for warnings. */
  source: string;
  commit: string | null;
  file: string;
  ruleId: string;
  line: number;
}

const SHA = /^[0-9a-f]{7,64}$/i;

/** Reads the entries; malformed lines come back as warnings. */
/** `within`: the folder the file must stay in, for a `.gitleaksignore` found at the scan root. */
export function readIgnoreFile(file: string, within?: string): { entries: IgnoreEntry[]; warnings: ScanWarning[] } {
  const text = readInputText(file, { what: 'gitleaks ignore file', ...(within ? { within } : {}) });
  const entries: IgnoreEntry[] = [];
  const warnings: ScanWarning[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const source = `${file}:${i + 1}`;
    // Read from the right: the rule id and line never hold a colon, a file path may.
    const parts = line.split(':');
    const lineNo = parts.at(-1) ?? '';
    if (parts.length < 3 || !/^\d+$/.test(lineNo)) {
      warnings.push({ kind: 'gitleaksignore', source, message: `not a gitleaks fingerprint (commit:file:rule-id:line or file:rule-id:line): "${line}"` });
      return;
    }
    const rest = parts.slice(0, -2);
    const commit = rest.length >= 2 && SHA.test(rest[0]!) ? rest.shift()!.toLowerCase() : null;
    const filePath = rest.join(':').replace(/\\/g, '/').replace(/^\.\//, '');
    entries.push({ source, commit, file: filePath, ruleId: parts.at(-2)!, line: Number(lineNo) });
  });
  return { entries, warnings };
}

/** The entries that map onto our rules, as a set of location keys; the others are warnings. */
export class GitleaksIgnore {
  private readonly keys = new Set<string>();
  readonly warnings: ScanWarning[] = [];

  /**
   * `ruleIds`: gitleaks rule id → our rule ids (imported rules, and built-ins through
   * rules/_gitleaks-ids.yml). `active`: the rules this scan runs.
   */
  constructor(entries: IgnoreEntry[], ruleIds: ReadonlyMap<string, string[]>, active: ReadonlySet<string>) {
    for (const e of entries) {
      const ours = ruleIds.get(e.ruleId);
      if (!ours) {
        this.warnings.push({
          kind: 'gitleaksignore', source: e.source, ruleId: e.ruleId,
          message: `not applied: "${e.ruleId}" is neither an imported rule (--rules-from) nor a gitleaks rule secretscan has an equivalent for (rules/_gitleaks-ids.yml)`,
        });
        continue;
      }
      const running = ours.filter((id) => active.has(id));
      if (running.length === 0) {
        this.warnings.push({ kind: 'gitleaksignore', source: e.source, ruleId: e.ruleId, message: `not applied: the rules it maps to (${ours.join(', ')}) are disabled` });
        continue;
      }
      for (const id of running) this.keys.add(key(e.commit ?? '', e.file, id, e.line));
    }
  }

  get size(): number {
    return this.keys.size;
  }

  /** Whether an entry names this match's file, rule and start line (and commit, for entries with one). */
  suppresses(m: LocatedMatch): boolean {
    if (this.keys.has(key('', m.path, m.ruleId, m.line))) return true;
    const commit = originCommit(m.origin);
    return typeof commit === 'string' && this.keys.has(key(commit.toLowerCase(), m.path, m.ruleId, m.line));
  }
}

function key(commit: string, file: string, ruleId: string, line: number): string {
  return `${commit}\0${file}\0${ruleId}\0${line}`;
}
