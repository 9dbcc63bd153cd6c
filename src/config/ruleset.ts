import type { Config } from './config.js';
import { UserError } from '../errors.js';
import type { RuleSpec } from '../types.js';
import { compileRule } from '../rules/compile.js';
import { loadBuiltinRules, type BuiltinRules } from '../rules/builtin.js';
import { assertUniqueIds } from '../rules/load.js';
import { assertRevokeEndpoints } from '../rules/revoke-spec.js';
import { assertPartnersExist } from '../rules/verify-spec.js';

/** Built-in rules plus the config's, minus the disabled ones, with the config's entropy override. */
export function buildRuleSet(config: Config): BuiltinRules {
  const builtin = loadBuiltinRules();
  const all = [...builtin.rules, ...config.extraRules];
  assertUniqueIds(all);
  assertPartnersExist(all);
  assertRevokeEndpoints(all);
  for (const id of config.disabledRules) {
    if (!all.some((r) => r.id === id)) {
      throw new UserError(`${config.file}: disable-rules: no rule has the id "${id}" (see \`secretscan rules\`)`);
    }
  }
  // The user's own patterns are compiled now, so that a bad one is a config error before any scan.
  for (const r of config.extraRules) compileRule(r).check();
  const rules = all
    .filter((r) => !config.disabledRules.includes(r.id))
    .map((r) => (r.fallback && config.entropy !== undefined ? { ...r, minEntropy: config.entropy } : r));
  return { rules, placeholders: builtin.placeholders, ...(builtin.prefilterTable ? { prefilterTable: builtin.prefilterTable } : {}) };
}
