import { crypto } from '../core/builtins.js';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSpec } from '../types.js';
import { globSource, registerGlobSources } from './compile.js';
import { prefilterTable, type PrefilterTable } from './prefilter-table.js';
import { BUILTIN_RULES_DIR, loadPlaceholderPatterns, loadRulesDir } from './load.js';

/**
 * The shipped rules, read from a JSON bundle that the build writes next to the compiled code
 * (with their prefilter table): parsing the ~830 YAML files takes over a second, the JSON ~20 ms.
 * In a checkout (a .git beside rules/) the bundle records a hash of the YAML files' names and
 * contents: an edited rule file makes it stale, and then the YAML is read directly, so a rule edit
 * never goes unseen. Files whose sizes and mtimes are those recorded at the build are not hashed
 * again; mtimes alone are not trusted, as `npm install` and checkouts rewrite them.
 */
const BUNDLE = fileURLToPath(new URL('../builtin-rules.json', import.meta.url));
/**
 * The rules' revocation guidance and references, by rule id: half the bundle's bytes, and read
 * only when a finding (or the rules command) asks for them; a clean scan never parses them.
 */
const GUIDANCE = fileURLToPath(new URL('../builtin-guidance.json', import.meta.url));

type Guidance = Record<string, Pick<RuleSpec, 'revocation' | 'references'>>;

interface Bundle {
  stamp: string;
  /** The YAML files' names, sorted: what an installed package checks (see loadBuiltinRules). */
  files?: string[];
  /** Per file, its size and modification time when the bundle was built: a checkout's quick check. */
  stats?: string;
  /** Rules without their revocation and references (see GUIDANCE). */
  rules: Omit<RuleSpec, 'revocation' | 'references'>[];
  placeholders: string[];
  /** The rules' prefilter literals (see PrefilterTable). */
  prefilter?: PrefilterTable;
  /** The regular expression of every glob of the rules' `paths` (see registerGlobSources). */
  globs?: Record<string, string>;
}

/** The shipped rules, their placeholders, and (read from the bundle) their prefilter table. */
export interface BuiltinRules {
  rules: RuleSpec[];
  placeholders: string[];
  prefilterTable?: PrefilterTable;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
}

/** sha256 of every YAML file's name and bytes (~30 ms for the ~830 shipped files). */
function stamp(dir: string, names = yamlFiles(dir)): string {
  const hash = crypto().createHash('sha256');
  for (const n of names) {
    hash.update(`${n}\0`).update(readFileSync(path.join(dir, n))).update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Each file's size and mtime, one string: equal to the bundle's, no file was touched since the build. */
function statsOf(dir: string, names: string[]): string {
  return names.map((n) => {
    // Rounded to the millisecond: a copy that keeps timestamps (cp -p, cpSync) may be off by a fraction.
    const st = statSync(path.join(dir, n));
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  }).join(' ');
}

/** With SECRETSCAN_DEBUG set, one stderr line says where the built-in rules came from. */
function debug(line: string): void {
  if (process.env.SECRETSCAN_DEBUG) process.stderr.write(`secretscan: debug: ${line}\n`);
}

export function loadBuiltinRules(): BuiltinRules {
  let why = 'no bundle';
  try {
    // The file is ASCII (see asciiJson): read as latin1, a plain copy, where utf8 is checked byte by byte.
    const bundle = JSON.parse(readFileSync(BUNDLE, 'latin1')) as Bundle;
    // In an installed package (no .git beside rules/) the YAML is not edited (rules of one's own go
    // in .secretscanrc): the names of its files are checked, which catches a package built from a
    // stale bundle, and the ~800 files are not hashed on every run.
    // In a checkout, files of the same sizes and mtimes as at the build are not hashed again (~30 ms).
    const installed = !existsSync(path.join(BUILTIN_RULES_DIR, '..', '.git'));
    const names = yamlFiles(BUILTIN_RULES_DIR);
    const sameFiles = bundle.files?.join('\0') === names.join('\0');
    let how = '';
    let fresh = sameFiles;
    if (!installed) {
      if (sameFiles && bundle.stats === statsOf(BUILTIN_RULES_DIR, names)) how = ' (rule files as built)';
      else {
        fresh = bundle.stamp === stamp(BUILTIN_RULES_DIR, names);
        how = ' (rule files hashed)';
      }
    }
    if (fresh) {
      debug(`built-in rules from the bundle ${BUNDLE}${how}`);
      if (bundle.globs) registerGlobSources(bundle.globs);
      return { rules: withGuidance(bundle.rules), placeholders: bundle.placeholders, ...(bundle.prefilter ? { prefilterTable: bundle.prefilter } : {}) };
    }
    why = 'bundle stale';
  } catch {
    // no bundle (running from source) or unreadable: fall back to the YAML files
  }
  debug(`built-in rules parsed from the YAML in ${BUILTIN_RULES_DIR} (${why})`);
  return { rules: loadRulesDir(), placeholders: loadPlaceholderPatterns() };
}

/**
 * Gives each rule read from the bundle its `revocation` and `references` as properties read on
 * first use from the guidance file (one parse for all rules). A guidance file that cannot be read
 * is an error when asked for, not a finding without its guidance.
 */
function withGuidance(rules: Omit<RuleSpec, 'revocation' | 'references'>[]): RuleSpec[] {
  let guidance: Guidance | undefined;
  const load = (): Guidance => (guidance ??= JSON.parse(readFileSync(GUIDANCE, 'latin1')) as Guidance);
  const read = (rule: { id: string }, key: 'revocation' | 'references') => {
    const value = load()[rule.id]?.[key];
    if (value === undefined) throw new Error(`${GUIDANCE} has no ${key} for rule ${rule.id}: rebuild (npm run build)`);
    // Kept as a plain value from now on.
    Object.defineProperty(rule, key, { value, enumerable: true, configurable: true, writable: true });
    return value;
  };
  // One set of accessors for every rule (they read the rule as `this`): a pair of closures per
  // rule cost ~15 ms at start-up, these ~5 ms.
  const accessors: PropertyDescriptorMap = {
    revocation: { enumerable: true, configurable: true, get(this: { id: string }) { return read(this, 'revocation'); } },
    references: { enumerable: true, configurable: true, get(this: { id: string }) { return read(this, 'references'); } },
  };
  for (const rule of rules) Object.defineProperties(rule, accessors);
  return rules as RuleSpec[];
}

/**
 * JSON with every non-ASCII character escaped (\u2026): an ASCII file is decoded on the fast path
 * and parsed into one-byte strings, where one `…` in a pattern made the whole 1.4 MB text two-byte
 * (~15 ms more to read and parse, and twice the memory for the collector to copy).
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes the bundle (run by `npm run build`). Examples stay in the YAML: scans do not need them. */
export function writeBuiltinBundle(): string {
  const all = loadRulesDir();
  const guidance: Guidance = {};
  const rules = all.map(({ revocation, references, ...r }) => {
    guidance[r.id] = { revocation, references };
    return { ...r, examples: [], negativeExamples: [] };
  });
  writeFileSync(GUIDANCE, asciiJson(guidance));
  const files = yamlFiles(BUILTIN_RULES_DIR);
  const bundle: Bundle = {
    stamp: stamp(BUILTIN_RULES_DIR, files),
    files,
    stats: statsOf(BUILTIN_RULES_DIR, files),
    rules,
    placeholders: loadPlaceholderPatterns(),
    prefilter: prefilterTable(all),
    globs: Object.fromEntries(all.flatMap((r) => r.paths ?? []).map((g) => [g, globSource(g)])),
  };
  writeFileSync(BUNDLE, asciiJson(bundle));
  return BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${path.relative(process.cwd(), writeBuiltinBundle())}`);
}
