import { writeFileAtomic } from '../io/report-file.js';
import { readInputText } from '../io/safe-read.js';
import { UserError } from '../errors.js';
import { redactSecret } from '../findings/redact.js';

/**
 * A baseline: findings a team has accepted (an audited allowlist), so that a codebase with old
 * leaks can adopt secretscan and fail only on new ones. Each entry is keyed by its location
 * fingerprint (keyed hash of rule + secret + path, see findings/fingerprint.ts): never the secret,
 * never a line number (a secret that moves down a file stays accepted), no timestamps.
 *
 * Layout, one entry per line, sorted by fingerprint, each entry line led by its comma:
 *
 *   {"secretscan-baseline": 1
 *   ,"3f2a…": {"ruleId": "stripe-secret-key", "path": "config/.env", "reason": "…", "acceptedBy": "…"}
 *   }
 *
 * The first and last lines never change and every entry line has the same form, so adding or
 * removing an entry touches only its own line: two branches that add entries merge cleanly
 * unless they insert next to each other, and any set of entry lines (git's `merge=union`) is
 * still a valid baseline, but for two different versions of one entry (see checkDuplicates).
 */
export interface BaselineEntry {
  ruleId: string;
  path: string;
  /** Why the finding was accepted. */
  reason?: string;
  /** Who accepted it. */
  acceptedBy?: string;
}

export const BASELINE_VERSION = 1;
export const BASELINE_MARKER = 'secretscan-baseline';
export const DEFAULT_BASELINE_FILE = '.secretscan-baseline.json';
const FINGERPRINT = /^[0-9a-f]{32}$/;
const ENTRY_KEYS = ['ruleId', 'path', 'reason', 'acceptedBy'] as const;

export class Baseline {
  constructor(readonly entries: Map<string, BaselineEntry> = new Map()) {}

  has(fingerprint: string): boolean {
    return this.entries.has(fingerprint);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The file's text: deterministic, so the same entries always make the same bytes. */
  serialize(): string {
    const lines = [`{${JSON.stringify(BASELINE_MARKER)}: ${BASELINE_VERSION}`];
    for (const fp of [...this.entries.keys()].sort()) {
      const e = this.entries.get(fp)!;
      // Fixed key order, optional keys only when set.
      const fields = [`"ruleId": ${JSON.stringify(e.ruleId)}`, `"path": ${JSON.stringify(e.path)}`];
      if (e.reason !== undefined) fields.push(`"reason": ${JSON.stringify(e.reason)}`);
      if (e.acceptedBy !== undefined) fields.push(`"acceptedBy": ${JSON.stringify(e.acceptedBy)}`);
      lines.push(`,${JSON.stringify(fp)}: {${fields.join(', ')}}`);
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
  }

  write(file: string): void {
    writeFileAtomic(file, this.serialize(), 'baseline');
  }

  /** `within`: the folder the file must stay in (a baseline named by a config found in the scanned tree). */
  static read(file: string, within?: string): Baseline {
    const text = readInputText(file, { what: 'baseline', missingHint: 'create one with `secretscan baseline create`', ...(within ? { within } : {}) });
    return Baseline.parse(text, file);
  }

  /** Reads a baseline's text; errors name the file, the entry (by its position) and what is wrong. */
  static parse(text: string, file: string): Baseline {
    const hint = 'fix the entry, or make the file again with `secretscan baseline create`';
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      // Not the parser's message: it quotes the text, which may hold anything.
      throw new UserError(`${file}: not a valid baseline: not JSON`, hint);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new UserError(`${file}: not a valid baseline: expected a JSON object`, hint);
    }
    const doc = data as Record<string, unknown>;
    const version = doc[BASELINE_MARKER];
    if (version === undefined) {
      throw new UserError(`${file}: not a secretscan baseline: no "${BASELINE_MARKER}" version key`, hint);
    }
    if (version !== BASELINE_VERSION) {
      throw new UserError(`${file}: baseline version ${JSON.stringify(version)} is not supported (this secretscan reads version ${BASELINE_VERSION})`, 'upgrade secretscan');
    }
    const entries = new Map<string, BaselineEntry>();
    let index = 0;
    for (const [key, value] of Object.entries(doc)) {
      if (key === BASELINE_MARKER) continue;
      index++;
      // A key that is not a fingerprint may be a secret pasted by mistake: shown redacted, like findings.
      const where = `${file}: entry ${index} ("${FINGERPRINT.test(key) ? key : redactSecret(key)}")`;
      if (!FINGERPRINT.test(key)) throw new UserError(`${where}: the key must be a location fingerprint (32 lowercase hex digits)`, hint);
      entries.set(key, readEntry(value, where, hint));
    }
    checkDuplicates(text, file, hint);
    return new Baseline(entries);
  }
}

/**
 * JSON.parse keeps the last of duplicate keys without a word. A union merge (see above) may write
 * an entry line twice: harmless when both copies are equal, but two different versions of one
 * entry (both branches edited it) must be settled by a person.
 */
function checkDuplicates(text: string, file: string, hint: string): void {
  const seen = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*,?\s*"([0-9a-f]{32})"\s*:\s*(\{.*\})\s*,?\s*$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    let canonical = value;
    try {
      canonical = JSON.stringify(readEntry(JSON.parse(value), '', hint));
    } catch {
      // Not a valid entry: compared as text (parse() names what is wrong with it).
    }
    if (seen.has(key) && seen.get(key) !== canonical) {
      throw new UserError(`${file}: fingerprint ${key} has two different entries (a merge kept both versions of it)`, 'delete one of the two lines');
    }
    seen.set(key, canonical);
  }
  // Duplicates spread over several lines (another tool's layout) cannot be compared: refuse them.
  const keys = [...text.matchAll(/(?<!\\)"([0-9a-f]{32})"\s*:/g)].map((k) => k[1]!);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i && !seen.has(k));
  if (dup) throw new UserError(`${file}: fingerprint ${dup} has two entries`, 'delete one of them');
}

function readEntry(value: unknown, where: string, hint: string): BaselineEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${where}: expected an object with ruleId and path`, hint);
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(ENTRY_KEYS as readonly string[]).includes(k)) throw new UserError(`${where}: unknown key "${/^[A-Za-z]{1,24}$/.test(k) ? k : redactSecret(k)}" (allowed: ${ENTRY_KEYS.join(', ')})`, hint);
  }
  for (const k of ['ruleId', 'path'] as const) {
    if (typeof o[k] !== 'string' || o[k] === '') throw new UserError(`${where}: "${k}" must be a non-empty string`, hint);
  }
  for (const k of ['reason', 'acceptedBy'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new UserError(`${where}: "${k}" must be a string`, hint);
  }
  const entry: BaselineEntry = { ruleId: o.ruleId as string, path: o.path as string };
  if (o.reason !== undefined) entry.reason = o.reason as string;
  if (o.acceptedBy !== undefined) entry.acceptedBy = o.acceptedBy as string;
  return entry;
}
