import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { dirCommand } from '../../src/cli/dir-command.js';
import { fastParse } from '../../src/cli/fast-args.js';
import { gitCommand } from '../../src/cli/git-command.js';
import { hookCommand } from '../../src/cli/hook-command.js';
import { imageCommand } from '../../src/cli/image-command.js';
import { stdinCommand } from '../../src/cli/stdin-command.js';

type Any = CommandModule<object, object>;
const MODULES: Record<string, Any> = {
  dir: dirCommand(() => {}) as unknown as Any,
  git: gitCommand(() => {}) as unknown as Any,
  stdin: stdinCommand(() => {}) as unknown as Any,
  hook: hookCommand(() => {}) as unknown as Any,
  image: imageCommand(() => {}) as unknown as Any,
};

/** The arguments yargs hands the command's handler, parsed the way main.ts sets it up. */
async function viaYargs(argv: string[]): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> | undefined;
  const module = MODULES[argv[0]!]!;
  await yargs(argv)
    .scriptName('secretscan')
    .command({ ...module, handler: (a: Record<string, unknown>) => void (seen = a) } as Any)
    .strict()
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseAsync();
  return seen!;
}

const fast = (argv: string[]) => fastParse(MODULES[argv[0]!]!, argv[0]!, argv.slice(1));

/** Command lines the fast parser decides: it must hand the handler exactly what yargs would. */
const PLAIN: string[][] = [
  ['dir'],
  ['dir', 'src'],
  ['dir', '123'],
  ['dir', 'src', '-f', 'json'],
  ['dir', '--format=sarif', '-o', 'out.json'],
  ['dir', '--output', '123', '--quiet'],
  ['dir', '--no-fail', '--show-secrets', 'a b'],
  ['dir', '-v', '-q', '--threads', '4'],
  ['dir', '--no-ignore', 'x'],
  ['dir', '--exit-code', '3', '--fail-on', 'medium', '--confidence', 'high'],
  ['dir', '--no-config', '--no-baseline', '--no-decode'],
  ['dir', '--config', 'c.yml', '--baseline=b.json', '--color'],
  ['dir', '--no-color', '--shard', '1/2'],
  ['dir', '--max-file-size', '10MB', '--gitleaks-ignore', '.gi', '--verify'],
  ['dir', '--only-verified', '--fail-on-verified', '--threads=0.5'],
  ['git', '--staged'],
  ['git', '--staged', '--no-fail', '-f', 'json'],
  ['git', '.', '--range', 'a..b'],
  ['git', 'repo', '--branch', 'main', '--since', '2 weeks ago'],
  ['git', '--pre-push'],
  ['git', '--all', '--whole-blobs', '--threads', '2'],
  ['git', '--github-org', 'acme', '--parallel', '3', '--include-forks'],
  ['git', '--since-commit', 'abc123', '--keep-clone', 'k'],
  ['stdin'],
  ['stdin', '--label', 'x.txt', '--show-secrets'],
  ['hook', 'install'],
  ['hook', 'uninstall', 'repo', '--chain'],
  ['hook', 'install', '--pre-push'],
  ['image', 'nginx:1.27', '-f', 'json'],
];

/** Command lines it must leave to yargs (which words their errors, or has its own rules for them). */
const LEFT_TO_YARGS: string[][] = [
  ['dir', '--help'],
  ['dir', '-h'],
  ['dir', '--version'],
  ['dir', '-vq'],
  ['dir', '--fial'],
  ['dir', 'a', 'b'],
  ['dir', '--rules-from', 'x.toml'],
  ['dir', '--threads', 'abc'],
  ['dir', '--threads', '0x10'],
  ['dir', '--threads'],
  ['dir', '--output', '-x'],
  ['dir', '--format', 'nope'],
  ['dir', '--exit-code', '2'],
  ['dir', '--exit-code', '300'],
  ['dir', '--verbose=maybe'],
  ['dir', '--verbose', 'false'],
  ['dir', '-v', '-v'],
  ['dir', '--', 'x'],
  ['dir', '-'],
  ['dir', ''],
  ['dir', '--output='],
  ['dir', '-f=json'],
  ['dir', '--no-threads'],
  ['git', '--staged', '--range', 'a..b'],
  ['git', '--github-org', 'a', '--gitlab-group', 'b'],
  ['git', '--ci', '--branch', 'x'],
  ['git', '--ci', '--no-all'],
  ['hook'],
  ['hook', 'reinstall'],
];

describe('fast argument parser', () => {
  it.each(PLAIN)('parses %j exactly as yargs does', async (...argv) => {
    const expected = await viaYargs(argv);
    const got = fast(argv);
    expect(got).toBeDefined();
    expect(got).toStrictEqual(JSON.parse(JSON.stringify(expected, (_k, v) => (v === undefined ? null : v)), (_k, v) => (v === null ? undefined : v)));
  });

  it.each(LEFT_TO_YARGS)('leaves %j to yargs', (...argv) => {
    expect(fast(argv)).toBeUndefined();
  });

  it('leaves a command with a variadic positional or a subcommand to yargs', async () => {
    const { mergeCommand } = await import('../../src/cli/merge-command.js');
    const { baselineCommand } = await import('../../src/cli/baseline-command.js');
    expect(fastParse(mergeCommand(() => {}) as unknown as Any, 'merge', ['a.json'])).toBeUndefined();
    expect(fastParse(baselineCommand() as unknown as Any, 'baseline', ['create'])).toBeUndefined();
  });
});
