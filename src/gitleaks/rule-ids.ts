import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from '../core/yaml.js';
import { BUILTIN_RULES_DIR } from '../rules/load.js';

/** The table of gitleaks default rule ids and the built-in rules that stand in for them. */
export const GITLEAKS_IDS_FILE = path.join(BUILTIN_RULES_DIR, '_gitleaks-ids.yml');

let table: ReadonlyMap<string, string[]> | undefined;

/** gitleaks rule id → secretscan built-in rule ids (rules/_gitleaks-ids.yml), read once. */
export function gitleaksIdTable(): ReadonlyMap<string, string[]> {
  table ??= new Map(Object.entries(parseYaml(readFileSync(GITLEAKS_IDS_FILE, 'utf8')) as Record<string, string[]>));
  return table;
}
