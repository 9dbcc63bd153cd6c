// `secretscan hook install|uninstall`: the git pre-commit (or pre-push) hook that runs secretscan.
import { chmodSync, existsSync, lstatSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { writeFileAtomic } from '../io/report-file.js';
import { fileKind } from '../io/entry-type.js';
import { readInputText } from '../io/safe-read.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';

type HookKind = 'pre-commit' | 'pre-push';

interface HookArgs {
  action: 'install' | 'uninstall';
  repo: string;
  'pre-push': boolean;
  chain: boolean;
}

/** The line that marks a hook as ours: uninstall removes only files that carry it. */
export const HOOK_MARKER = '# secretscan-hook: installed by `secretscan hook install`; `secretscan hook uninstall` removes it.';
const CHAINED_SUFFIX = '.secretscan-chained';
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'secretscan.js');

function builder(y: Argv) {
  return y
    .positional('action', { choices: ['install', 'uninstall'] as const, describe: 'install or uninstall' })
    .positional('repo', { type: 'string', default: '.', describe: 'Repository (default: the one around the current folder)' })
    .option('pre-push', { type: 'boolean', default: false, describe: 'The pre-push hook (scans the commits being pushed) instead of pre-commit' })
    .option('chain', { type: 'boolean', default: false, describe: 'Keep an existing hook: it is renamed and runs first, then secretscan' });
}

/** `secretscan hook install|uninstall`: a git hook that runs the staged (or pre-push) scan. */
export function hookCommand(setExitCode: (code: number) => void): CommandModule<object, HookArgs> {
  return {
    command: 'hook <action> [repo]',
    describe: 'Install or remove a git pre-commit (or --pre-push) hook that runs secretscan',
    builder: builder as unknown as CommandModule<object, HookArgs>['builder'],
    handler: async (args) => {
      const kind: HookKind = args['pre-push'] ? 'pre-push' : 'pre-commit';
      const dir = await hooksDir(args.repo);
      const message = args.action === 'install' ? installHook(dir, kind, args.chain) : uninstallHook(dir, kind);
      process.stdout.write(`${message}\n`);
      setExitCode(0);
    },
  };
}

/** The hooks folder git runs hooks from: core.hooksPath when set, else .git/hooks. */
async function hooksDir(repoPath: string): Promise<string> {
  const { openRepo, runGit } = await import('../sources/git-repo.js');
  const repo = await openRepo(repoPath);
  const out = (await runGit(repo.root, repo.env, ['rev-parse', '--git-path', 'hooks'])).trim();
  return path.resolve(repo.root, out);
}

export function installHook(dir: string, kind: HookKind, chain: boolean): string {
  const file = path.join(dir, kind);
  const chained = file + CHAINED_SUFFIX;
  checkHooksDir(dir);
  let note = '';
  if (existsSync(file)) {
    if (isOurs(file)) {
      note = ' (updated)';
    } else if (!chain) {
      throw new UserError(
        `a ${kind} hook already exists at ${file} and was not installed by secretscan: left as it is`,
        `secretscan hook install${kind === 'pre-push' ? ' --pre-push' : ''} --chain keeps it (renamed to ${path.basename(chained)}, run first), or remove it yourself`,
      );
    } else {
      if (existsSync(chained)) throw new UserError(`cannot chain: ${chained} already exists`, 'remove or rename it, then install again');
      renameSync(file, chained);
      note = `; your previous hook was kept as ${path.basename(chained)} and runs first`;
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot create the hooks folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  writeFileAtomic(file, hookScript(kind), `${kind} hook`);
  chmodSync(file, 0o755);
  return `secretscan: installed the ${kind} hook at ${file}${note}`;
}

export function uninstallHook(dir: string, kind: HookKind): string {
  const file = path.join(dir, kind);
  const chained = file + CHAINED_SUFFIX;
  if (!existsSync(file)) return `secretscan: no ${kind} hook at ${file}: nothing to remove`;
  if (!isOurs(file)) {
    throw new UserError(`the ${kind} hook at ${file} was not installed by secretscan: left as it is`);
  }
  unlinkSync(file);
  if (existsSync(chained)) {
    renameSync(chained, file);
    return `secretscan: removed the ${kind} hook at ${file} and restored the hook it chained`;
  }
  return `secretscan: removed the ${kind} hook at ${file}`;
}

function isOurs(file: string): boolean {
  try {
    return readInputText(file, { what: 'hook', maxBytes: 1024 * 1024 }).includes(HOOK_MARKER);
  } catch {
    return false;
  }
}

/** The hooks folder must be a folder (or not exist yet): a file in its place is the user's to fix. */
function checkHooksDir(dir: string): void {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return; // created on install
  }
  if (st.isSymbolicLink()) {
    try {
      st = statSync(dir);
    } catch {
      throw new UserError(`the hooks folder ${dir} is a symbolic link that leads nowhere`, 'fix or remove the link, then install again');
    }
  }
  if (!st.isDirectory()) {
    throw new UserError(`the hooks folder ${dir} is a ${fileKind(st)}, not a folder`, 'move it aside (or set core.hooksPath to a folder), then install again');
  }
}

/** Single-quoted for sh. */
function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook runs the secretscan of this installation (this node, this bin/secretscan.js), else the
 * project's own (node_modules/.bin of the repository). When neither is there, it says so in one line
 * and blocks: a hook that silently stopped scanning would look like a clean commit. Only
 * SECRETSCAN_HOOK_IF_MISSING=pass lets it through. A hook it chains runs first; its failure stops
 * the commit as it did before.
 */
export function hookScript(kind: HookKind): string {
  const args = kind === 'pre-commit' ? 'git --staged' : 'git --pre-push';
  const what = kind === 'pre-commit' ? 'commit' : 'push';
  const missing =
    `secretscan: the ${kind} hook cannot find secretscan (looked for ${CLI} run by ${process.execPath}, and node_modules/.bin/secretscan in this repository): ` +
    `reinstall the hook with \`secretscan hook install${kind === 'pre-push' ? ' --pre-push' : ''}\` from the secretscan you use now, or remove it with \`secretscan hook uninstall\`; ` +
    `${what} blocked (SECRETSCAN_HOOK_IF_MISSING=pass lets it through unscanned)`;
  // The repository's own copy is looked up only when this installation is gone: the git process
  // that finds it is not spawned on every commit.
  const run =
    `if [ -f ${sh(CLI)} ] && [ -x ${sh(process.execPath)} ]; then\n  ${sh(process.execPath)} ${sh(CLI)} ${args}\n` +
    `elif local_cli="$(git rev-parse --show-toplevel 2>/dev/null)/node_modules/.bin/secretscan" && [ -x "$local_cli" ]; then\n  "$local_cli" ${args}\n` +
    `else\n  echo ${sh(missing)} >&2\n  [ "$SECRETSCAN_HOOK_IF_MISSING" = pass ] && exit 0\n  exit 1\nfi`;
  const chained = `chained="$(dirname "$0")/${kind}${CHAINED_SUFFIX}"`;
  if (kind === 'pre-commit') {
    return `#!/bin/sh\n${HOOK_MARKER}\n${chained}\nif [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi\n${run}\n`;
  }
  // pre-push reads the refs being pushed on stdin: keep them for both hooks.
  return (
    `#!/bin/sh\n${HOOK_MARKER}\n${chained}\ninput=$(cat)\n` +
    `if [ -x "$chained" ]; then printf '%s\\n' "$input" | "$chained" "$@" || exit $?; fi\n` +
    `printf '%s\\n' "$input" | {\n${run}\n}\n`
  );
}
