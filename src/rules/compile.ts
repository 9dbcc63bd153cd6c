import RE2 from 're2';
import { UserError } from '../errors.js';
import type { RuleSpec } from '../types.js';
import { VALIDATORS, type Validator } from '../detect/validators.js';

export interface CompiledRule {
  spec: RuleSpec;
  /** Global, with indices: exec on Buffers gives byte offsets of every group. */
  regex: RE2;
  allow: RE2[];
  validator?: Validator;
}

/** Compiles with RE2 (linear time, so no pattern can hang a scan); a rejected pattern names its owner. */
export function compilePattern(pattern: string, owner: string, flags = ''): RE2 {
  try {
    return new RE2(pattern, flags);
  } catch (e) {
    throw new UserError(`${owner}: pattern is not valid RE2 syntax (${(e as Error).message}): ${pattern}`,
      'RE2 has no backreferences or lookaround; see https://github.com/google/re2/wiki/Syntax');
  }
}

export function compileRule(spec: RuleSpec): CompiledRule {
  const owner = `rule ${spec.id} (${spec.source})`;
  const regex = compilePattern(spec.pattern, owner, 'gd');
  // A rule without a capture group would report its whole context as the secret.
  const probe = compilePattern(`${spec.pattern}|`, owner).exec('');
  if (!probe || probe.length < 2) throw new UserError(`${owner}: pattern needs a capture group around the secret`);
  let validator: Validator | undefined;
  if (spec.validator !== undefined) {
    validator = VALIDATORS[spec.validator];
    if (!validator) {
      throw new UserError(`${owner}: unknown validator "${spec.validator}" (known: ${Object.keys(VALIDATORS).join(', ')})`);
    }
  }
  return { spec, regex, allow: spec.allow.map((a) => compilePattern(a, `${owner} allow`)), validator };
}
