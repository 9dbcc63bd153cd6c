// The CLI entry: loads only the module of the command named (all of them for help and typos), parses with yargs, and turns errors into one line and exit 2.
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { printable } from '../report/printable.js';
import { VERSION } from '../version.js';
import { fastParse } from './fast-args.js';
import { checkRawArgs, COMMANDS, usageError, type OptionTable } from './strict-args.js';

type CommandName = (typeof COMMANDS)[number];
type SetCode = (code: number) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own argument type
type AnyCommand = CommandModule<any, any>;

/** Each command's module, imported only when that command runs: a hook's scan loads no image, merge or revoke code. */
const LOADERS: Record<CommandName, (set: SetCode) => Promise<AnyCommand>> = {
  dir: async (set) => (await import('./dir-command.js')).dirCommand(set),
  stdin: async (set) => (await import('./stdin-command.js')).stdinCommand(set),
  git: async (set) => (await import('./git-command.js')).gitCommand(set),
  hook: async (set) => (await import('./hook-command.js')).hookCommand(set),
  image: async (set) => (await import('./image-command.js')).imageCommand(set),
  merge: async (set) => (await import('./merge-command.js')).mergeCommand(set),
  baseline: async () => (await import('./baseline-command.js')).baselineCommand(),
  revoke: async (set) => (await import('./revoke-command.js')).revokeCommand(set),
  rules: async () => (await import('./rules-command.js')).rulesCommand(),
};

/** The order --help lists the commands in (as they were registered before they were loaded lazily). */
const HELP_ORDER: readonly CommandName[] = ['dir', 'stdin', 'rules', 'git', 'hook', 'image', 'merge', 'baseline', 'revoke'];

/**
 * yargs renders a command's whole help (text layout, string widths) after starting its handler, to
 * have it at hand should the handler fail later; this CLI never shows help on a failure (see .fail
 * below), so that rendering (~100 ms) is skipped. --help still renders it, when asked.
 */
function skipHelpCache(y: unknown): void {
  const usage = (y as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {};
}

/**
 * For a failure to load re2's compiled addon (`Cannot find module './build/Release/re2.node'`, as
 * after `npm install --ignore-scripts`, or where npm runs only the install scripts it is allowed
 * to): what to run, in the folder that holds the re2 package. Null for any other error.
 */
export function missingAddon(e: unknown): string | null {
  const err = e as { code?: unknown; message?: unknown; requireStack?: unknown };
  if (err?.code !== 'MODULE_NOT_FOUND' || typeof err.message !== 'string' || !/re2\.node/.test(err.message)) return null;
  const stack = Array.isArray(err.requireStack) ? (err.requireStack as unknown[]).filter((p): p is string => typeof p === 'string') : [];
  const re2 = stack.find((p) => /[\\/]node_modules[\\/]re2[\\/]/.test(p));
  const root = re2 ? re2.slice(0, re2.search(/[\\/]node_modules[\\/]re2[\\/]/)) : null;
  return `${root ? `run \`npm rebuild re2\` in ${root}` : 'run `npm rebuild re2` in the folder secretscan is installed in'} (re2 compiles, a few minutes), or install again with --allow-scripts=secretscan,re2`;
}

export async function main(argv: string[]): Promise<number> {
  // The one flag answered without the parser: the version is all it prints.
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  let code = 0;
  const setCode: SetCode = (c) => (code = c);
  const command = COMMANDS.find((c) => c === argv[0]);
  const commands = await Promise.all((command ? [command] : HELP_ORDER).map((name) => LOADERS[name](setCode)));
  // A plain command line is parsed without yargs (see fast-args.ts); anything else goes to yargs.
  const fast = command ? fastParse(commands[0]!, command, argv.slice(1)) : undefined;
  if (fast) {
    await commands[0]!.handler(fast as Parameters<AnyCommand['handler']>[0]);
    return code;
  }
  // The options of the command being parsed, as its middleware saw them: for "did you mean".
  let options: OptionTable | undefined;
  const { default: yargs } = await import('yargs');
  let parser: Argv = yargs(argv)
    .scriptName('secretscan')
    .usage('$0 <command> [options]\n\nFind leaked API keys and secrets, with how to revoke each one.');
  for (const c of commands) parser = parser.command(c);
  parser = parser
    .demandCommand(1, `Name a command: ${COMMANDS.join(', ')}`)
    .strict()
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .wrap(Math.min(110, process.stdout.columns || 100))
    // yargs passes the command's own parser as the second argument (its typings omit it).
    .middleware(((_args: unknown, y: { getOptions(): OptionTable }) => {
      options = y.getOptions();
      checkRawArgs(argv, options, command);
      skipHelpCache(y);
    }) as unknown as () => void, true)
    .fail((msg, err) => {
      if (err) throw err;
      throw usageError(msg ?? 'invalid arguments', argv, command, options);
    });
  await parser.parseAsync();
  return code;
}

/** Runs the CLI on the process's arguments (after `node` and the script) and sets its exit code. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<void> {
  // `secretscan rules | head`: the reader left. Output stops there, as with any command in a pipe,
  // and the command ends with its own exit code; only another write failure is an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    process.stderr.write(`secretscan: error: cannot write to standard output: ${printable(e.message)}\n`);
    process.exit(2);
  });
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    // A missing re2 addon is not a bug: the package was installed without running re2's build.
    const rebuild = missingAddon(e);
    if (e instanceof UserError) {
      // Messages quote file names, refs and config values: escaped, so they stay one line and cannot drive the terminal.
      process.stderr.write(`secretscan: error: ${printable(e.message)}\n${e.hint ? `  hint: ${printable(e.hint)}\n` : ''}`);
    } else if (rebuild !== null) {
      process.stderr.write(`secretscan: error: the re2 addon (the regular-expression engine) is not built: was secretscan installed with install scripts turned off?\n  hint: ${printable(rebuild)}\n`);
    } else {
      const err = e as Error;
      process.stderr.write(`secretscan: internal error: ${printable(err.message)}\n`);
      if (process.env.SECRETSCAN_DEBUG) process.stderr.write(`${err.stack}\n`);
      else process.stderr.write('  set SECRETSCAN_DEBUG=1 for a stack trace, and please report it\n');
    }
    process.exitCode = 2;
  }
}
