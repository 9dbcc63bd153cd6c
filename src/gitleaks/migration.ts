import { existsSync, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { UserError } from '../errors.js';
import type { LocatedMatch } from '../findings/group.js';
import { loadBuiltinRules } from '../rules/builtin.js';
import type { Match, RuleSpec, ScanWarning } from '../types.js';
import { GitleaksIgnore, readIgnoreFile } from './ignore-file.js';
import { importGitleaks, type GitleaksImport } from './import.js';

export type GitleaksSuppressReason = 'gitleaks-allowlist' | 'gitleaksignore';

/**
 * What a user brings from gitleaks, ready for one scan: imported rules (`rules-from`), the gates
 * and allowlists that go with them, and `.gitleaksignore` entries. Applied after detection, to
 * located matches (path and commit known), beside our own allowlists (src/scan/engine.ts).
 */
export class GitleaksMigration {
  readonly warnings: ScanWarning[];

  constructor(
    readonly imported: GitleaksImport | null,
    private readonly ignore: GitleaksIgnore | null,
    /** Rule ids the config disables (`disable-rules`): their path-only matches are not made. */
    private readonly disabled: ReadonlySet<string> = new Set(),
  ) {
    this.warnings = [...(imported?.warnings ?? []), ...(ignore?.warnings ?? [])];
  }

  get active(): boolean {
    return this.imported !== null || (this.ignore !== null && this.ignore.size > 0);
  }

  /** Imported rules to add to the rule set, path-only ones included. */
  get rules(): RuleSpec[] {
    return this.imported ? [...this.imported.rules, ...this.imported.pathRules.map((p) => p.spec)] : [];
  }

  /** False when the match's rule has a gitleaks `path` that this file's path does not match. */
  applies(m: LocatedMatch): boolean {
    const gate = this.imported?.gates.get(m.ruleId);
    return !gate?.path || gate.path.test(m.path);
  }

  /** Whether the rule's own allowlists or a global one allow this match. */
  allowlisted(m: LocatedMatch): boolean {
    if (!this.imported) return false;
    if (this.imported.gates.get(m.ruleId)?.allowlists.some((a) => a.allows(m))) return true;
    return this.imported.globals.some((g) => (g.rules === null || g.rules.has(m.ruleId)) && g.list.allows(m));
  }

  /**
   * Whether a .gitleaksignore entry names this location. Entries name a finding where gitleaks
   * reports it (in git scans, the commit that added it), so git scans ask for the location they
   * report, after choosing the earliest commit.
   */
  ignored(m: LocatedMatch): boolean {
    return this.ignore?.suppresses(m) ?? false;
  }

  /**
   * Findings of path-only rules for one file: gitleaks reports the file itself (a keystore, a
   * private key file). Its path stands as the "secret" so that one file is one finding.
   */
  pathMatches(filePath: string): Match[] {
    if (!this.imported) return [];
    return this.imported.pathRules
      .filter((r) => !this.disabled.has(r.spec.id) && r.path.test(filePath))
      .map((r) => ({ ruleId: r.spec.id, secret: filePath, line: 1, column: 1, endLine: 1, endColumn: 1, entropy: 0, lineText: '' }));
  }
}

const prepared = new WeakMap<Config, GitleaksMigration>();

/** The migration for a resolved config, built once (the scan and the report both ask for it). */
export function migrationOf(config: Config): GitleaksMigration {
  let m = prepared.get(config);
  if (!m) {
    m = buildMigration(config);
    prepared.set(config, m);
  }
  return m;
}

function buildMigration(config: Config): GitleaksMigration {
  const found = config.gitleaksIgnore === null ? defaultIgnoreFile(config.scanRoot) : null;
  const ignoreFile = config.gitleaksIgnore ?? found?.file ?? null;
  if (config.rulesFrom.length === 0 && !ignoreFile) return new GitleaksMigration(null, null);
  const builtin = new Set(loadBuiltinRules().rules.map((r) => r.id));
  const imported = config.rulesFrom.length > 0 ? importGitleaks(config.rulesFrom, builtin) : null;
  let ignore: GitleaksIgnore | null = null;
  if (ignoreFile) {
    if (!existsSync(ignoreFile)) throw new UserError(`--gitleaks-ignore: no file at ${ignoreFile}`);
    const { entries, warnings } = readIgnoreFile(ignoreFile, found?.dir);
    const off = new Set([...config.disabledRules, ...(imported?.disabledBuiltins ?? [])]);
    const active = new Set([...builtin, ...config.extraRules.map((r) => r.id)].filter((id) => !off.has(id)));
    for (const r of imported ? [...imported.rules, ...imported.pathRules.map((p) => p.spec)] : []) if (!off.has(r.id)) active.add(r.id);
    const table = imported?.ruleIds ?? importGitleaks([], builtin).ruleIds;
    ignore = new GitleaksIgnore(entries, table, active);
    ignore.warnings.unshift(...warnings);
  }
  return new GitleaksMigration(imported, ignore, new Set(config.disabledRules));
}

/** `.gitleaksignore` at the scan root (the folder of a scanned file), as gitleaks looks for it. */
function defaultIgnoreFile(root: string | undefined): { file: string; dir: string } | null {
  if (!root) return null;
  let dir = root;
  try {
    if (statSync(root).isFile()) dir = path.dirname(root);
  } catch {
    return null;
  }
  const file = path.join(dir, '.gitleaksignore');
  try {
    lstatSync(file); // a dangling or outward symlink is refused by name when read, not ignored
    return { file, dir };
  } catch {
    return null;
  }
}
