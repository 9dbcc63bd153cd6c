import { readInputText } from '../io/safe-read.js';
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';
import type { ScanWarning } from '../types.js';

/**
 * A gitleaks (or Betterleaks: same schema) TOML config, read as data: nothing compiled yet.
 * Facts of the format: keys are case-insensitive (gitleaks reads them through viper);
 * `[rules.allowlist]` and `[allowlist]` are the older single-table forms of `[[rules.allowlists]]`
 * and `[[allowlists]]`. A malformed rule is skipped with a warning, as RE2-rejected ones are; only a
 * file that is not TOML at all stops the run.
 */

export type RegexTarget = 'secret' | 'match' | 'line';

export interface GitleaksAllowlist {
  /** `file.toml rules[3] (id) allowlists[0]`: where it was written, for warnings. */
  where: string;
  condition: 'OR' | 'AND';
  commits: string[];
  paths: string[];
  regexTarget: RegexTarget;
  regexes: string[];
  stopwords: string[];
  /** Global allowlists only: the rule ids it is limited to (empty: every rule). */
  targetRules: string[];
}

export interface GitleaksRule {
  where: string;
  id: string;
  description?: string;
  regex?: string;
  secretGroup?: number;
  entropy?: number;
  path?: string;
  keywords: string[];
  tags: string[];
  allowlists: GitleaksAllowlist[];
}

export interface GitleaksFile {
  file: string;
  useDefault: boolean;
  /** `[extend] disabledRules`: gitleaks rule ids. */
  disabledRules: string[];
  rules: GitleaksRule[];
  allowlists: GitleaksAllowlist[];
  warnings: ScanWarning[];
}

const TOP_KEYS = ['title', 'description', 'minversion', 'extend', 'rules', 'allowlist', 'allowlists'];
const RULE_KEYS = ['id', 'description', 'regex', 'secretgroup', 'entropy', 'path', 'keywords', 'tags', 'allowlist', 'allowlists', 'required', 'skipreport'];
const ALLOWLIST_KEYS = ['description', 'condition', 'commits', 'paths', 'regextarget', 'regexes', 'stopwords', 'targetrules'];
const EXTEND_KEYS = ['usedefault', 'path', 'url', 'disabledrules'];

const require = createRequire(import.meta.url);

/** Parses TOML, loaded on first use (only migrating users pay for the parser). */
function parseToml(text: string, file: string): unknown {
  const toml = require('smol-toml') as typeof import('smol-toml');
  try {
    return toml.parse(text);
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    const at = err.line ? `:${err.line}${err.column ? `:${err.column}` : ''}` : '';
    throw new UserError(`${file}${at}: not valid TOML: ${err.message.split('\n')[0]}`, 'fix the file, or check that it is a gitleaks config');
  }
}

/** Problems with one entry: the entry is skipped and each problem becomes a warning. */
class EntryError extends Error {}

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** The table with lower-cased keys, and a warning for each key gitleaks does not define here. */
function lowerKeys(t: Table, allowed: string[], prefix: string, warn: (message: string) => void): Table {
  const out: Table = {};
  for (const [k, v] of Object.entries(t)) {
    const key = k.toLowerCase();
    if (!allowed.includes(key)) warn(`unknown key "${prefix}${k}" ignored`);
    out[key] = v;
  }
  return out;
}

function str(v: unknown, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new EntryError(`${what}: expected a string`);
  return v;
}

function strings(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new EntryError(`${what}: expected a list of strings`);
  return v as string[];
}

function num(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new EntryError(`${what}: expected a number`);
  return v;
}

function readAllowlist(raw: unknown, source: string, label: string, warn: (m: string) => void, global: boolean): GitleaksAllowlist {
  if (!isTable(raw)) throw new EntryError(`${label}: expected a table`);
  const t = lowerKeys(raw, global ? ALLOWLIST_KEYS : ALLOWLIST_KEYS.filter((k) => k !== 'targetrules'), `${label}.`, warn);
  const condition = (str(t.condition, `${label}.condition`) ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND') throw new EntryError(`${label}.condition: expected "OR" or "AND"`);
  const regexTarget = (str(t.regextarget, `${label}.regexTarget`) ?? 'secret').toLowerCase();
  if (regexTarget !== 'secret' && regexTarget !== 'match' && regexTarget !== 'line') {
    throw new EntryError(`${label}.regexTarget: expected "secret", "match" or "line"`);
  }
  const list: GitleaksAllowlist = {
    where: `${source} ${label}`,
    condition,
    commits: strings(t.commits, `${label}.commits`).map((c) => c.trim().toLowerCase()),
    paths: strings(t.paths, `${label}.paths`),
    regexTarget,
    regexes: strings(t.regexes, `${label}.regexes`),
    stopwords: strings(t.stopwords, `${label}.stopwords`).map((w) => w.toLowerCase()),
    targetRules: strings(t.targetrules, `${label}.targetRules`),
  };
  if (!list.commits.length && !list.paths.length && !list.regexes.length && !list.stopwords.length) {
    throw new EntryError(`${label}: an allowlist needs commits, paths, regexes or stopwords`);
  }
  return list;
}

/** `[x.allowlist]` (older) and `[[x.allowlists]]` (current) side by side, as gitleaks accepts. */
function readAllowlists(t: Table, source: string, warn: (m: string) => void, global: boolean): GitleaksAllowlist[] {
  const out: GitleaksAllowlist[] = [];
  if (t.allowlist !== undefined) out.push(readAllowlist(t.allowlist, source, 'allowlist', warn, global));
  if (t.allowlists !== undefined) {
    if (!Array.isArray(t.allowlists)) throw new EntryError('allowlists: expected an array of tables ([[…allowlists]])');
    t.allowlists.forEach((a, i) => out.push(readAllowlist(a, source, `allowlists[${i}]`, warn, global)));
  }
  return out;
}

function readRule(raw: unknown, where: string, warn: (m: string) => void): GitleaksRule {
  if (!isTable(raw)) throw new EntryError('expected a table');
  const t = lowerKeys(raw, RULE_KEYS, '', warn);
  const id = str(t.id, 'id');
  if (!id) throw new EntryError('id: required');
  if (t.required !== undefined) throw new EntryError('composite rules ([[rules.required]]) are not supported');
  if (t.skipreport === true) throw new EntryError('skipReport rules only feed composite rules, which are not supported');
  const secretGroup = num(t.secretgroup, 'secretGroup');
  if (secretGroup !== undefined && (!Number.isInteger(secretGroup) || secretGroup < 0)) throw new EntryError('secretGroup: expected a whole number ≥ 0');
  return {
    where,
    id,
    description: str(t.description, 'description'),
    regex: str(t.regex, 'regex') || undefined,
    secretGroup: secretGroup || undefined,
    entropy: num(t.entropy, 'entropy') || undefined,
    path: str(t.path, 'path') || undefined,
    keywords: strings(t.keywords, 'keywords').map((k) => k.toLowerCase()),
    tags: strings(t.tags, 'tags'),
    allowlists: readAllowlists(t, where, warn, false),
  };
}

/** Reads one gitleaks TOML file. Throws UserError only when the file is unreadable or not TOML. */
export function readGitleaksFile(file: string, within?: string): GitleaksFile {
  const text = readInputText(file, { what: 'gitleaks config', ...(within ? { within } : {}) });
  const data = parseToml(text, file);
  const warnings: ScanWarning[] = [];
  const warnAt = (source: string, ruleId?: string) => (message: string) =>
    warnings.push({ kind: 'rules-from', source, ...(ruleId ? { ruleId } : {}), message });
  const top = lowerKeys(data as Table, TOP_KEYS, '', warnAt(file));
  const result: GitleaksFile = { file, useDefault: false, disabledRules: [], rules: [], allowlists: [], warnings };

  if (top.extend !== undefined) {
    try {
      if (!isTable(top.extend)) throw new EntryError('expected a table');
      const ext = lowerKeys(top.extend, EXTEND_KEYS, 'extend.', warnAt(file));
      result.useDefault = ext.usedefault === true;
      result.disabledRules = strings(ext.disabledrules, 'disabledRules');
      if (ext.path !== undefined || ext.url !== undefined) {
        warnAt(file)('[extend] path/url is not followed: pass that config with another --rules-from');
      }
    } catch (e) {
      if (!(e instanceof EntryError)) throw e;
      warnAt(file)(`[extend] ignored: ${e.message}`);
    }
  }

  const rules = top.rules === undefined ? [] : top.rules;
  if (!Array.isArray(rules)) warnAt(file)('rules: expected an array of tables ([[rules]]); none imported');
  else {
    rules.forEach((raw, i) => {
      const id = isTable(raw) && typeof raw.id === 'string' ? raw.id : undefined;
      const where = `${file} rules[${i}]${id ? ` (${id})` : ''}`;
      try {
        result.rules.push(readRule(raw, where, warnAt(where, id)));
      } catch (e) {
        if (!(e instanceof EntryError)) throw e;
        warnAt(where, id)(`rule skipped: ${e.message}`);
      }
    });
  }

  try {
    result.allowlists = readAllowlists(top, file, warnAt(file), true);
  } catch (e) {
    if (!(e instanceof EntryError)) throw e;
    warnAt(file)(`global allowlist skipped: ${e.message}`);
  }
  return result;
}
