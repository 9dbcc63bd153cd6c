import { readdirSync } from 'node:fs';
import { readInputText } from '../io/safe-read.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYaml } from '../core/yaml.js';
import { Shape } from '../core/shape.js';
import { UserError } from '../errors.js';
import { DESCRIBER_NAMES } from './describers.js';
import { readRevokeSpec } from './revoke-spec.js';
import { readVerifySpec } from './verify-spec.js';
import { CONFIDENCES, SEVERITIES, type EntropyGate, type Revocation, type RuleSpec } from '../types.js';

/** The rules/ folder shipped with the package (two levels above dist/rules/ or src/rules/). */
export const BUILTIN_RULES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules');

const URGENCIES = ['revoke-now', 'rotate', 'restrict-or-rotate'] as const;
const CHARSETS = ['hex', 'alnum', 'base64', 'any'] as const;
const FILE_KEYS = ['provider', 'name', 'references', 'revocation', 'rules'] as const;
const RULE_KEYS = [
  'id', 'name', 'severity', 'keywords', 'keyword_case', 'pattern', 'scope', 'min_entropy', 'validator', 'allow', 'allow_context', 'fallback', 'paths', 'shared_placeholders',
  'confidence', 'priority',
  'examples', 'negative_examples', 'example_path', 'references', 'revocation', 'verify', 'revoke', 'describe', 'partner_only', 'entropy_group',
] as const;
const REVOCATION_KEYS = ['urgency', 'summary', 'url', 'steps', 'api', 'after'] as const;

function readYaml(file: string, within?: string): unknown {
  const text = readInputText(file, { what: 'rule file', ...(within ? { within } : {}) });
  try {
    return parseYaml(text);
  } catch (e) {
    throw new UserError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function readRevocation(v: unknown, shape: Shape, base?: Revocation): Revocation {
  const o = shape.object(v, REVOCATION_KEYS);
  const str = (k: string) => shape.at(k).optionalString(o[k]);
  const urgency = o.urgency === undefined && base ? base.urgency : shape.at('urgency').oneOf(o.urgency, URGENCIES);
  const summary = str('summary') ?? base?.summary ?? shape.at('summary').fail('required');
  return {
    urgency,
    summary,
    url: o.url === undefined ? (base?.url ?? null) : (str('url') ?? null),
    steps: o.steps === undefined && base ? base.steps : shape.at('steps').strings(o.steps, { nonEmpty: true }),
    api: o.api === undefined ? (base?.api ?? null) : (str('api') ?? null),
    after: o.after === undefined && base ? base.after : shape.at('after').strings(o.after, { nonEmpty: true }),
  };
}

/** A whole number from -100 to 100: the order among rules that report the same secret. */
function readPriority(v: unknown, shape: Shape): number {
  const n = shape.number(v, -100, 100);
  return Number.isInteger(n) ? n : shape.fail('must be a whole number');
}

/** entropy_group: a group of the pattern; it narrows the gate, so it needs min_entropy. */
function readEntropyGroup(v: unknown, minEntropy: unknown, rule: Shape): number {
  const shape = rule.at('entropy_group');
  const n = shape.number(v, 1, 99);
  if (!Number.isInteger(n)) shape.fail('must be a whole number');
  if (minEntropy === undefined || minEntropy === null) shape.fail('needs min_entropy (the gate it narrows)');
  return n;
}

function readEntropy(v: unknown, shape: Shape): EntropyGate | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return shape.number(v, 0, 8);
  const o = shape.object(v, [...CHARSETS, 'relative']);
  const gate: Exclude<EntropyGate, number> = {};
  for (const [k, n] of Object.entries(o)) {
    if (k === 'relative') gate.relative = shape.at(k).number(n, 0, 1);
    else gate[k as (typeof CHARSETS)[number]] = shape.at(k).number(n, 0, 8);
  }
  return gate;
}

/**
 * Reads one provider file. `data` is the parsed YAML, `file` names it in errors.
 * Patterns are not compiled here (see compile.ts) so that this stays cheap and testable.
 */
export function readRuleFile(data: unknown, file: string): RuleSpec[] {
  const top = new Shape(file);
  const o = top.object(data, FILE_KEYS);
  const provider = top.at('provider').string(o.provider);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(provider)) top.at('provider').fail('expected lower-case letters, digits and dashes');
  const providerName = top.at('name').string(o.name);
  const references = top.at('references').strings(o.references);
  const revocation = readRevocation(o.revocation, top.at('revocation'));
  const rules = top.at('rules').list(o.rules);
  if (rules.length === 0) top.at('rules').fail('expected at least one rule');
  return rules.map((r, i) => {
    const s = top.at('rules').at(i);
    const ro = s.object(r, RULE_KEYS);
    const id = s.at('id').string(ro.id);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) s.at('id').fail('expected kebab-case (a-z, 0-9, -)');
    const fallback = ro.fallback === undefined ? false : s.at('fallback').boolean(ro.fallback);
    return {
      id,
      name: s.at('name').string(ro.name),
      provider,
      providerName,
      severity: s.at('severity').oneOf(ro.severity, SEVERITIES),
      // A rule scoped to some files may go without keywords (a master.key holds only hex): it runs on every file it names.
      keywords: s.at('keywords').strings(ro.keywords, { nonEmpty: ro.paths === undefined }).map((k, j) =>
        k.length >= 2 ? k : s.at('keywords').at(j).fail('a keyword needs two characters or more'),
      ),
      keywordCase: ro.keyword_case === undefined ? 'any' : s.at('keyword_case').oneOf(ro.keyword_case, ['any', 'exact'] as const),
      pattern: s.at('pattern').string(ro.pattern),
      scope: ro.scope === undefined ? 'buffer' : s.at('scope').oneOf(ro.scope, ['buffer', 'line'] as const),
      minEntropy: readEntropy(ro.min_entropy, s.at('min_entropy')),
      ...(ro.entropy_group === undefined ? {} : { entropyGroup: readEntropyGroup(ro.entropy_group, ro.min_entropy, s) }),
      validator: s.at('validator').optionalString(ro.validator),
      allow: s.at('allow').strings(ro.allow),
      allowContext: s.at('allow_context').strings(ro.allow_context),
      fallback,
      // Unset: high for a provider rule (its shape says what it is), medium for a fallback (generic) rule.
      confidence: ro.confidence === undefined ? (fallback ? 'medium' : 'high') : s.at('confidence').oneOf(ro.confidence, CONFIDENCES),
      ...(ro.priority === undefined ? {} : { priority: readPriority(ro.priority, s.at('priority')) }),
      ...(ro.paths === undefined ? {} : { paths: s.at('paths').strings(ro.paths, { nonEmpty: true }) }),
      ...(ro.shared_placeholders === undefined ? {} : { sharedPlaceholders: s.at('shared_placeholders').boolean(ro.shared_placeholders) }),
      examples: s.at('examples').strings(ro.examples),
      negativeExamples: s.at('negative_examples').strings(ro.negative_examples),
      ...(ro.example_path === undefined ? {} : { examplePath: s.at('example_path').string(ro.example_path) }),
      references: [...references, ...s.at('references').strings(ro.references)],
      revocation: ro.revocation === undefined ? revocation : readRevocation(ro.revocation, s.at('revocation'), revocation),
      ...(ro.verify === undefined ? {} : { verify: readVerifySpec(ro.verify, s.at('verify')) }),
      ...(ro.revoke === undefined ? {} : { revoke: readRevokeSpec(ro.revoke, s.at('revoke')) }),
      ...(ro.describe === undefined ? {} : { describe: s.at('describe').oneOf(ro.describe, DESCRIBER_NAMES) }),
      ...(ro.partner_only === undefined ? {} : { partnerOnly: s.at('partner_only').boolean(ro.partner_only) }),
      source: file,
    };
  });
}

/** `within`: the folder the file must stay in (a rule file named by a config found in the scanned tree). */
export function loadRuleFile(file: string, within?: string): RuleSpec[] {
  return readRuleFile(readYaml(file, within), file);
}

/** Placeholder patterns that apply to every rule, from `_allow.yml`. */
export function loadPlaceholderPatterns(dir: string = BUILTIN_RULES_DIR): string[] {
  const file = path.join(dir, '_allow.yml');
  const top = new Shape(file);
  const o = top.object(readYaml(file), ['placeholders']);
  return top.at('placeholders').strings(o.placeholders, { nonEmpty: true });
}

/** Every provider rule file in a folder (`*.yml`, not starting with `_`), in name order. */
export function loadRulesDir(dir: string = BUILTIN_RULES_DIR): RuleSpec[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('_')).sort();
  } catch (e) {
    throw new UserError(`cannot read rules folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const rules = names.flatMap((n) => loadRuleFile(path.join(dir, n)));
  assertUniqueIds(rules);
  return rules;
}

export function assertUniqueIds(rules: RuleSpec[]): void {
  const seen = new Map<string, string>();
  for (const r of rules) {
    const prev = seen.get(r.id);
    if (prev) throw new UserError(`rule id "${r.id}" is defined twice: in ${prev} and in ${r.source}`);
    seen.set(r.id, r.source);
  }
}
