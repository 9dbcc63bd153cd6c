// A small parser for the common, plain command lines (`git --staged`, `dir src -f json`), so that a
// scan does not load and run yargs (~30 ms of a 200 ms start). It reads the same option table the
// command's builder gives yargs, and gives up (returns undefined) on anything it does not handle
// exactly as yargs would: then main.ts parses with yargs as before, which also words every error.
// What strict-args.ts's checkRawArgs refuses (a missing or empty value, a number that is not, a
// switch given a value) never gets through the loop below: those go to yargs, where it runs.
import type { CommandModule } from 'yargs';

interface OptionSpec {
  type?: 'string' | 'number' | 'boolean';
  alias?: string | readonly string[];
  choices?: readonly unknown[];
  default?: unknown;
  array?: boolean;
}

interface Positional {
  name: string;
  required: boolean;
  spec: OptionSpec;
}

/** Thrown by the recorder for a builder call this parser does not model (a subcommand, an example…). */
class Unsupported extends Error {}

/** What a command's builder declares: its options, positionals, checks and conflicts. */
class Declared {
  readonly options = new Map<string, OptionSpec>();
  readonly positionalSpecs = new Map<string, OptionSpec>();
  readonly checks: ((argv: Record<string, unknown>) => unknown)[] = [];
  readonly conflictPairs: [string, string][] = [];

  /** A stand-in for yargs' Argv: the calls it knows are recorded, any other gives up. */
  recorder(): unknown {
    const self = this;
    const known: Record<string, (...a: unknown[]) => void> = {
      option: (name, spec) => self.options.set(name as string, (spec ?? {}) as OptionSpec),
      positional: (name, spec) => self.positionalSpecs.set(name as string, (spec ?? {}) as OptionSpec),
      check: (fn) => self.checks.push(fn as (argv: Record<string, unknown>) => unknown),
      conflicts: (a, b) => {
        if (typeof a !== 'string') throw new Unsupported();
        for (const other of Array.isArray(b) ? b : [b]) self.conflictPairs.push([a, other as string]);
      },
    };
    const proxy: unknown = new Proxy(
      {},
      {
        get(_t, prop) {
          const f = typeof prop === 'string' ? known[prop] : undefined;
          if (!f) throw new Unsupported();
          return (...a: unknown[]) => {
            f(...a);
            return proxy;
          };
        },
      },
    );
    return proxy;
  }
}

function aliasesOf(spec: OptionSpec): string[] {
  return spec.alias === undefined ? [] : typeof spec.alias === 'string' ? [spec.alias] : [...spec.alias];
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** A decimal number as written by a person; anything else (hex, exponents, spaces) is left to yargs. */
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?$/;

/**
 * The arguments yargs would hand the command's handler for `tokens` (the words after the command
 * name), or undefined where this parser does not decide: then yargs must parse.
 */
export function fastParse(module: CommandModule<object, object>, command: string, tokens: readonly string[]): Record<string, unknown> | undefined {
  if (typeof module.builder !== 'function' || typeof module.command !== 'string') return undefined;
  const declared = new Declared();
  try {
    (module.builder as (y: unknown) => unknown)(declared.recorder());
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const positionals: Positional[] = [];
  for (const word of module.command.split(/\s+/).slice(1)) {
    const m = /^([<[])(\w[\w-]*)[\]>]$/.exec(word);
    if (!m) return undefined; // variadic (`<reports..>`) and the like
    positionals.push({ name: m[2]!, required: m[1] === '<', spec: declared.positionalSpecs.get(m[2]!) ?? {} });
  }

  const byName = new Map<string, string>();
  for (const [name, spec] of declared.options) {
    byName.set(name, name);
    for (const a of aliasesOf(spec)) byName.set(a, name);
  }
  const given = new Map<string, unknown>();
  let nextPositional = 0;

  const valueFor = (spec: OptionSpec, raw: string): unknown => {
    if (raw === '' || raw.trim() !== raw) return undefined;
    let value: unknown = raw;
    if (spec.type === 'number') {
      if (!PLAIN_NUMBER.test(raw)) return undefined;
      value = Number(raw);
    }
    if (spec.choices && !spec.choices.includes(value)) return undefined;
    return value;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '' || token === '--' || token === '-') return undefined; // yargs keeps a bare - aside
    let name: string;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? undefined : token.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(token)) {
      name = token.slice(1);
    } else if (token.startsWith('-')) {
      return undefined; // -abc, -3, -f=json
    } else {
      const p = positionals[nextPositional++];
      if (!p) return undefined;
      const value = valueFor({ ...p.spec, type: p.spec.type === 'number' ? 'number' : 'string' }, token);
      if (value === undefined || given.has(p.name)) return undefined;
      given.set(p.name, value);
      continue;
    }
    let key = byName.get(name);
    let negated = false;
    if (key === undefined && name.startsWith('no-')) {
      key = byName.get(name.slice(3));
      negated = true;
    }
    if (key === undefined || given.has(key)) return undefined; // unknown, or given twice (yargs makes an array)
    const spec = declared.options.get(key)!;
    if (spec.array) return undefined; // greedy arrays: yargs' rules
    if (spec.type === 'boolean') {
      // `--x=false`, `--x false`: yargs reads the value; leave those to it.
      if (inline !== undefined) return undefined;
      const next = tokens[i + 1];
      if (next === 'true' || next === 'false') return undefined;
      given.set(key, !negated);
      continue;
    }
    if (negated) {
      // `--no-config`, `--no-baseline`: yargs sets a string option to false.
      if (spec.type !== 'string' || inline !== undefined) return undefined;
      given.set(key, false);
      continue;
    }
    if (spec.type !== 'string' && spec.type !== 'number' && !spec.choices) return undefined;
    let raw = inline;
    if (raw === undefined) {
      raw = tokens[i + 1];
      if (raw === undefined || raw.startsWith('-')) return undefined;
      i++;
    }
    const value = valueFor(spec, raw);
    if (value === undefined) return undefined;
    given.set(key, value);
  }

  const args: Record<string, unknown> = { _: [command] };
  const put = (name: string, value: unknown, aliases: string[]) => {
    for (const n of [name, ...aliases]) {
      args[n] = value;
      if (n.includes('-')) args[camel(n)] = value;
    }
  };
  for (const p of positionals) {
    const value = given.has(p.name) ? given.get(p.name) : p.spec.default;
    if (value === undefined) {
      if (p.required) return undefined;
      continue;
    }
    put(p.name, value, aliasesOf(p.spec));
  }
  for (const [name, spec] of declared.options) {
    const value = given.has(name) ? given.get(name) : spec.default;
    if (value !== undefined) put(name, value, aliasesOf(spec));
  }
  for (const [a, b] of declared.conflictPairs) if (args[a] !== undefined && args[b] !== undefined) return undefined;
  for (const check of declared.checks) {
    try {
      if (check(args) !== true) return undefined;
    } catch {
      return undefined;
    }
  }
  args.$0 = 'secretscan';
  return args;
}
