import path from 'node:path';
import RE2 from 're2';
import { groupCount, hasCaptureGroup } from '../rules/compile.js';
import type { RulesFromEntry } from '../config/config.js';
import type { RuleSpec, ScanWarning, Severity } from '../types.js';

export type { RulesFromEntry };
import { CompiledAllowlist } from './allowlist.js';
import { readGitleaksFile, type GitleaksAllowlist, type GitleaksRule } from './config-file.js';
import { gitleaksIdTable } from './rule-ids.js';

/** One `--rules-from` file (or `rules-from:` entry): gitleaks has no severities, so the user picks one. */

/** gitleaks knows no severities: imported rules are reported as high unless the config says otherwise. */
export const DEFAULT_IMPORTED_SEVERITY: Severity = 'high';

/** What a rule must pass beyond its pattern: gitleaks `path` and allowlists. */
export interface RuleGate {
  /** Path regex: the rule applies only to files whose path it matches. */
  path: RE2 | null;
  allowlists: CompiledAllowlist[];
}

export interface GlobalAllowlist {
  list: CompiledAllowlist;
  /** Our rule ids it is limited to (gitleaks `targetRules`), or null for every rule. */
  rules: Set<string> | null;
}

/** gitleaks configs turned into our rules plus the gates and allowlists that go with them. */
export interface GitleaksImport {
  /** Imported rules with a regex (run by the detector). */
  rules: RuleSpec[];
  /** Imported path-only rules: a file whose path matches is a finding. Not run by the detector. */
  pathRules: { spec: RuleSpec; path: RE2 }[];
  /** Per rule id (imported, or built-in through rules/_gitleaks-ids.yml). */
  gates: Map<string, RuleGate>;
  globals: GlobalAllowlist[];
  /** Built-in rule ids turned off by `[extend] disabledRules`. */
  disabledBuiltins: string[];
  /** gitleaks rule id → our rule ids, for .gitleaksignore entries and targetRules. */
  ruleIds: Map<string, string[]>;
  /** Whether any allowlist tests the whole match (then every rule keeps it on its matches). */
  needsMatchText: boolean;
  warnings: ScanWarning[];
}

const REVOCATION: RuleSpec['revocation'] = {
  urgency: 'rotate',
  summary: 'Rotate the credential with its issuer (imported gitleaks rule: no provider-specific guidance).',
  url: null,
  steps: ['Find which service issued this credential and revoke or rotate it there.', 'Replace it where it is used, loaded from a secret store or the environment.'],
  api: null,
  after: ["Check the issuer's logs for use of the credential while it was exposed."],
};

/** RE2's reason for rejecting a pattern, or null when it compiles. */
function re2Error(pattern: string): string | null {
  try {
    new RE2(pattern);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Reads the files in order: a rule id defined again in a later file replaces the earlier rule, as a
 * gitleaks config that extends another overrides it. Nothing here fails the run but a file that is
 * not TOML; every rule or allowlist left out is a warning naming the rule and the reason.
 */
export function importGitleaks(entries: RulesFromEntry[], builtinIds: ReadonlySet<string>): GitleaksImport {
  const table = gitleaksIdTable();
  const warnings: ScanWarning[] = [];
  const byId = new Map<string, { rule: GitleaksRule; severity: Severity; file: string }>();
  /** Allowlists for built-in rules, from `[[rules]]` entries that only name a default gitleaks rule. */
  const builtinAllowlists = new Map<string, GitleaksAllowlist[]>();
  const globals: GitleaksAllowlist[] = [];
  const disabled = new Set<string>();

  for (const entry of entries) {
    const parsed = readGitleaksFile(entry.file, entry.within);
    warnings.push(...parsed.warnings);
    globals.push(...parsed.allowlists);
    for (const id of parsed.disabledRules) {
      const mapped = (table.get(id) ?? []).filter((r) => builtinIds.has(r));
      if (mapped.length === 0) warnings.push({ kind: 'rules-from', source: entry.file, ruleId: id, message: `[extend] disabledRules: "${id}" has no secretscan equivalent; nothing disabled` });
      for (const r of mapped) disabled.add(r);
    }
    for (const rule of parsed.rules) {
      const warn = (message: string) => warnings.push({ kind: 'rules-from', source: rule.where, ruleId: rule.id, message });
      if (rule.regex === undefined && rule.path === undefined) {
        // An entry that extends a default gitleaks rule, usually to add allowlists to it.
        const earlier = byId.get(rule.id);
        if (earlier) earlier.rule.allowlists.push(...rule.allowlists);
        else if (table.has(rule.id) && rule.allowlists.length > 0) {
          for (const r of table.get(rule.id)!) builtinAllowlists.set(r, [...(builtinAllowlists.get(r) ?? []), ...rule.allowlists]);
        } else warn('rule skipped: it has no regex or path, and names no rule it could extend');
        continue;
      }
      if (byId.has(rule.id)) warn(`rule "${rule.id}" is defined again: this definition replaces the one in ${byId.get(rule.id)!.rule.where}`);
      byId.set(rule.id, { rule, severity: entry.severity ?? DEFAULT_IMPORTED_SEVERITY, file: entry.file });
    }
  }

  const result: GitleaksImport = {
    rules: [],
    pathRules: [],
    gates: new Map(),
    globals: [],
    disabledBuiltins: [...disabled],
    ruleIds: new Map(),
    needsMatchText: false,
    warnings,
  };
  const compileLists = (lists: GitleaksAllowlist[], ruleId?: string): CompiledAllowlist[] =>
    lists.flatMap((list) => {
      try {
        const compiled = new CompiledAllowlist(list);
        if (compiled.regexTarget === 'match') result.needsMatchText = true;
        return [compiled];
      } catch (e) {
        warnings.push({ kind: 'rules-from', source: list.where, ...(ruleId ? { ruleId } : {}), message: `allowlist skipped: ${(e as Error).message}` });
        return [];
      }
    });

  for (const [gitleaksId, { rule, severity, file }] of byId) {
    const warn = (message: string) => warnings.push({ kind: 'rules-from', source: rule.where, ruleId: gitleaksId, message });
    const regexError = rule.regex === undefined ? null : re2Error(rule.regex);
    if (regexError) {
      warn(`rule skipped: regex is not RE2 syntax (${regexError}); RE2, like Go's regexp, has no lookaround or backreferences`);
      continue;
    }
    const pathError = rule.path === undefined ? null : re2Error(rule.path);
    if (pathError) {
      warn(`rule skipped: path is not RE2 syntax (${pathError})`);
      continue;
    }
    if (rule.regex !== undefined && rule.secretGroup !== undefined && rule.secretGroup > groupCount(rule.regex)) {
      warn(`rule skipped: secretGroup ${rule.secretGroup} but the regex has ${groupCount(rule.regex)} capture group(s)`);
      continue;
    }
    // Our ids must be unique: an imported rule named like a built-in one gets a prefix.
    const id = builtinIds.has(gitleaksId) ? `gitleaks:${gitleaksId}` : gitleaksId;
    if (id !== gitleaksId) warn(`a built-in rule is named "${gitleaksId}": this imported rule is reported as "${id}"`);
    const spec = importedSpec(rule, id, severity, file);
    result.ruleIds.set(gitleaksId, [id]);
    const allowlists = compileLists(rule.allowlists, gitleaksId);
    const path = rule.path === undefined ? null : new RE2(rule.path);
    if (rule.regex === undefined) {
      result.pathRules.push({ spec, path: path! });
    } else {
      result.rules.push(spec);
    }
    if (path || allowlists.length > 0) result.gates.set(id, { path: rule.regex === undefined ? null : path, allowlists });
  }

  // A default gitleaks id names our built-in equivalents too, even when a file redefines that rule:
  // both may find the secret, and one of them is reported.
  for (const [gitleaksId, ids] of table) {
    const present = ids.filter((r) => builtinIds.has(r) && !disabled.has(r));
    if (present.length > 0) result.ruleIds.set(gitleaksId, [...(result.ruleIds.get(gitleaksId) ?? []), ...present]);
  }
  for (const [builtinId, lists] of builtinAllowlists) {
    if (!builtinIds.has(builtinId)) continue;
    const gate = result.gates.get(builtinId) ?? { path: null, allowlists: [] };
    gate.allowlists.push(...compileLists(lists));
    result.gates.set(builtinId, gate);
  }
  for (const list of globals) {
    const [compiled] = compileLists([list]);
    if (!compiled) continue;
    let rules: Set<string> | null = null;
    if (list.targetRules.length > 0) {
      rules = new Set();
      for (const target of list.targetRules) {
        const ids = result.ruleIds.get(target);
        if (!ids) warnings.push({ kind: 'rules-from', source: list.where, ruleId: target, message: `targetRules: no imported rule or secretscan equivalent for "${target}"` });
        for (const r of ids ?? []) rules.add(r);
      }
    }
    result.globals.push({ list: compiled, rules });
  }
  return result;
}

function importedSpec(rule: GitleaksRule, id: string, severity: Severity, file: string): RuleSpec {
  const regex = rule.regex ?? '';
  // Without a group gitleaks reports the whole match: one group around it says the same to us.
  const grouped = rule.regex === undefined || hasCaptureGroup(regex);
  return {
    id,
    name: rule.description ?? id,
    provider: 'gitleaks',
    providerName: `gitleaks rules (${path.basename(file)})`,
    severity,
    keywords: rule.keywords,
    keywordCase: 'any',
    pattern: grouped ? regex : `(${regex})`,
    scope: 'buffer',
    // gitleaks drops a secret whose entropy is not above the threshold; our gate keeps >=.
    ...(rule.entropy !== undefined ? { minEntropy: rule.entropy + 1e-9 } : {}),
    allow: [],
    allowContext: [],
    fallback: false,
    examples: [],
    negativeExamples: [],
    references: [],
    revocation: REVOCATION,
    source: rule.where,
    ...(rule.secretGroup !== undefined && grouped ? { secretGroup: rule.secretGroup } : {}),
    ...(rule.tags.length > 0 ? { tags: rule.tags } : {}),
  };
}
