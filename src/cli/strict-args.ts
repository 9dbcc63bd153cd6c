// What yargs lets through or words for its own sake: options missing their value, numbers that are not,
// booleans given a value, and unknown names without a "did you mean".
import { UserError } from '../errors.js';

/** The commands, in the order --help lists them. */
export const COMMANDS = ['dir', 'stdin', 'git', 'hook', 'image', 'merge', 'baseline', 'revoke', 'rules'] as const;

/** What a command lacks when its required positional is missing. */
const MISSING: Record<string, string> = {
  hook: 'say what to do: secretscan hook install (or uninstall)',
  image: 'name the image: a docker save tarball, an OCI layout folder or a registry reference (secretscan image nginx:1.27)',
  merge: 'name the JSON reports to merge (secretscan merge shard-*.json)',
  baseline: 'say what to do: secretscan baseline create (or update)',
};

/** The part of yargs' getOptions() this reads. */
export interface OptionTable {
  key: Record<string, unknown>;
  boolean: string[];
  number: string[];
  alias: Record<string, string[]>;
}

/** `see secretscan dir --help`, or the top-level help outside a command. */
export function helpHint(command: string | undefined): string {
  return `see secretscan ${command ? `${command} ` : ''}--help`;
}

function canonicalNames(table: OptionTable): Map<string, string> {
  const names = new Map<string, string>();
  for (const k of Object.keys(table.key)) names.set(k, k);
  for (const [k, aliases] of Object.entries(table.alias)) for (const a of aliases) if (!names.has(a)) names.set(a, names.get(k) ?? k);
  return names;
}

/** A token that is an option rather than a value: `-x`, `--x`, but not `-` (stdin) or `-3`. */
function isOption(token: string): boolean {
  return token.startsWith('-') && token !== '-' && !/^-\d/.test(token);
}

/**
 * Checks the raw arguments against the command's options, where yargs would pass them on: `--range`
 * with no value (or an empty one), `--threads abc`, `--verbose=maybe`.
 */
export function checkRawArgs(tokens: readonly string[], table: OptionTable, command: string | undefined): void {
  const names = canonicalNames(table);
  const booleans = new Set(table.boolean);
  const numbers = new Set(table.number);
  const hint = helpHint(command);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') break;
    const long = /^--([^=]+)(?:=([\s\S]*))?$/.exec(token);
    const short = /^-([A-Za-z])$/.exec(token);
    if (!long && !short) continue;
    const written = long ? `--${long[1]}` : token;
    let name = long ? long[1]! : short![1]!;
    let value = long ? long[2] : undefined;
    if (name.startsWith('no-') && booleans.has(names.get(name.slice(3)) ?? '')) name = name.slice(3);
    const key = names.get(name);
    if (key === undefined || key === 'help' || key === 'version') continue; // unknown: yargs' strict mode says so
    if (booleans.has(key)) {
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw new UserError(`${written} is a switch: it takes no value (or =true, =false), not "${value}"`, hint);
      }
      continue;
    }
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next === undefined || isOption(next)) throw new UserError(`${written} needs a value`, hint);
      value = next;
      i++;
    }
    if (value.trim() === '') throw new UserError(`${written} needs a value, not an empty one`, hint);
    if (numbers.has(key) && !Number.isFinite(Number(value))) throw new UserError(`${written} needs a number, not "${value}"`, hint);
  }
}

/** Edit distance with swaps of neighbours (`dri` is one typo from `dir`), for "did you mean". */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest of `candidates` to `word`, if close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** yargs' own words, made one line with the next step: "did you mean", the command's help. */
export function usageError(msg: string, rawArgs: readonly string[], command: string | undefined, options: OptionTable | undefined): UserError {
  const hint = helpHint(command);
  const oneLine = msg.replace(/\s*\n\s*/g, ' ').trim();
  const unknown = /^Unknown arguments?: (.*)$/.exec(oneLine);
  if (unknown) {
    const word = unknown[1]!.split(', ')[0]!;
    if (!command && !word.startsWith('-')) {
      const guess = closest(word, COMMANDS);
      return new UserError(`unknown command "${word}"${guess ? `: did you mean ${guess}?` : ''}`, hint);
    }
    // As typed: yargs reports --no-fial as "fial".
    const flag = word.replace(/^-+/, '');
    const typed = rawArgs.map((t) => t.split('=')[0]!).find((t) => t === `--${flag}` || t === `--no-${flag}` || t === `-${flag}`) ?? `--${flag}`;
    const negated = typed.startsWith('--no-');
    const guess = closest(flag, Object.keys(options?.key ?? {}).filter((k) => k.length > 1 && !/[A-Z]/.test(k)));
    const suggestion = guess ? `: did you mean --${negated ? 'no-' : ''}${guess}?` : '';
    return new UserError(`${command ? `${command} has no option` : 'unknown option'} ${typed}${suggestion}`, hint);
  }
  const choices = /^Invalid values: Argument: (\S+), Given: (.*), Choices: (.*)$/.exec(oneLine);
  if (choices) return new UserError(`--${choices[1]} must be one of ${choices[3]!.replace(/"/g, '')}; not ${choices[2]}`, hint);
  const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(oneLine);
  if (exclusive) return new UserError(`--${exclusive[1]} and --${exclusive[2]} cannot be used together`, hint);
  if (/^Not enough non-option arguments|^Missing required argument/.test(oneLine)) {
    return new UserError(command ? `${command}: ${MISSING[command] ?? 'an argument is missing'}` : `name a command: ${COMMANDS.join(', ')}`, hint);
  }
  if (/^Name a command/.test(oneLine)) return new UserError(oneLine.replace(/^Name/, 'name'), hint);
  return new UserError(oneLine, hint);
}
