import path from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { defaultConfig, findConfig, loadConfig, type Config } from '../config/config.js';
import { parseSize, Shape } from '../core/shape.js';
import { UserError } from '../errors.js';
import { FORMATS, type Format } from '../report/options.js';
import { raiseVerified, withConfidence } from '../findings/confidence.js';
import { prepareScan } from '../scan/engine.js';
import { scanDirectory } from '../scan/directory.js';
import { parseShard, type Shard } from '../core/shard.js';
import { scanStream } from '../scan/stdin.js';
import { CONFIDENCES, SEVERITIES, type Confidence, type ScanResult, type Severity } from '../types.js';
import { VERSION } from '../version.js';
import { checkExitCode, emit, exitCodeFor, render } from './output.js';
import { listRules } from './rules-command.js';
import { gitCommand } from './git-command.js';
import { hookCommand } from './hook-command.js';
import { imageCommand } from './image-command.js';
import { withMigrationWarnings } from './warnings.js';
import { mergeCommand } from './merge-command.js';
import { baselineCommand } from './baseline-command.js';
import { revokeCommand } from './revoke-command.js';
import { withVersionControl } from './version-control.js';
import { scanProgress } from './progress.js';
import { skippedLines } from './skipped-list.js';
import { printable } from '../report/printable.js';
import { checkOutputPath } from '../io/report-file.js';
import { checkRawArgs, COMMANDS, usageError, type OptionTable } from './strict-args.js';
import { renderCompact } from '../report/compact.js';
import { verificationCounts, type VerificationCounts } from '../report/verification-summary.js';
import { plural } from '../report/words.js';

export interface CommonArgs {
  format: Format;
  output?: string;
  'show-secrets': boolean;
  /** A path, or false for --no-config. */
  config?: string | false;
  'fail-on'?: Severity;
  confidence?: Confidence;
  'exit-code': number;
  fail: boolean;
  'max-file-size'?: string;
  color?: boolean;
  verbose: boolean;
  quiet: boolean;
  decode: boolean;
  'rules-from'?: string[];
  'gitleaks-ignore'?: string;
  shard?: string;
  'shard-total'?: number;
  /** A baseline file, or false for --no-baseline. */
  baseline?: string | false;
  verify?: boolean;
  'only-verified'?: boolean;
  'fail-on-verified'?: boolean;
}

/** `--confidence`, shared with merge; no yargs default, so that the config's `confidence` holds unless given. */
export const confidenceOption = {
  choices: CONFIDENCES,
  describe: 'Lowest confidence reported: low | medium | high (default: medium, or confidence in config); the rest are counted as suppressed',
} as const;

export function commonOptions<T>(y: Argv<T>) {
  return y
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to FILE instead of stdout' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'Print raw secrets (redacted by default: CI logs are often public)' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: nearest .secretscanrc from the target upward; --no-config: none)' })
    .option('fail-on', { choices: SEVERITIES, describe: 'Lowest severity that fails the run (default: low, or fail-on in config)' })
    .option('confidence', confidenceOption)
    .option('exit-code', { type: 'number', default: 1, describe: 'Exit code when findings reach --fail-on (0-255, not 2: that means error)' })
    .option('fail', { type: 'boolean', default: true, describe: 'Exit non-zero on findings; --no-fail: exit 0 after a scan whatever was found' })
    .option('max-file-size', { type: 'string', describe: 'Skip (and report) files larger than this, e.g. 10MB (unset: dir/stdin scan any size in windows, git/image skip over 10MB)' })
    .option('baseline', { type: 'string', describe: 'Report only findings not accepted in this baseline file (see secretscan baseline; --no-baseline ignores the config\'s)' })
    .option('color', { type: 'boolean', describe: 'Colour text output; --no-color: never (default: when stdout is a TTY and NO_COLOR is unset)' })
    .option('decode', { type: 'boolean', default: true, describe: 'Look for secrets inside base64 and percent-encoded text; --no-decode: do not' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'List every skipped file with the reason' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No summary on stderr when writing to --output' })
    .option('rules-from', { type: 'string', array: true, describe: 'Also load the rules of a gitleaks/Betterleaks TOML config (repeatable)' })
    .option('gitleaks-ignore', { type: 'string', describe: 'A .gitleaksignore file to honour (default: .gitleaksignore at the scan root)' })
    .option('shard', { type: 'string', describe: 'Scan only part K of N (K/N, e.g. 2/4) of the files, blobs or layer entries; "auto": K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job). Combine with `secretscan merge`' })
    .option('shard-total', { type: 'number', describe: 'N for --shard auto (default: SECRETSCAN_SHARD_TOTAL)' })
    .option('verify', { type: 'boolean', default: false, describe: 'Ask each key\'s own provider whether it is live (read-only call; see README)' })
    .option('only-verified', { type: 'boolean', default: false, describe: 'Report only keys verified live (implies --verify)' })
    .option('fail-on-verified', { type: 'boolean', default: false, describe: 'Exit non-zero only for keys verified live (implies --verify)' })
    .check((argv) => checkExitCode(argv['exit-code']));
}

/** The shard asked for with --shard, if any; `unsplittable` names a scan that cannot be split. */
export function shardFlag(args: CommonArgs, unsplittable?: string): Shard | undefined {
  if (args.shard === undefined) {
    if (args['shard-total'] !== undefined) throw new UserError('--shard-total goes with --shard auto', 'add --shard auto');
    return undefined;
  }
  if (unsplittable) throw new UserError(`--shard does not apply to ${unsplittable}`, 'shard dir, git history and image scans');
  return parseShard(args.shard, args['shard-total'], process.env);
}

export function resolveConfig(args: CommonArgs, near: string): Config {
  const scanRoot = path.resolve(near); // where .gitleaksignore is looked for
  if (args.config) return { ...loadConfig(args.config), scanRoot };
  if (args.config !== false) {
    const found = findConfig(near);
    if (found) return { ...loadConfig(found, { found: true }), scanRoot };
  }
  return { ...defaultConfig(path.resolve(near)), scanRoot };
}

/** --max-file-size, or a one-line error naming what was given. */
function sizeFlag(value: string): number {
  try {
    return parseSize(value, new Shape('--max-file-size'));
  } catch {
    throw new UserError(`--max-file-size needs a size such as 10MB, 512KB or a number of bytes, not "${value}"`, 'units: B, KB, MB, GB (1024-based)');
  }
}

export function applyFlags(config: Config, args: CommonArgs): Config {
  const c = { ...config };
  if (args['fail-on']) c.failOn = args['fail-on'];
  if (args.confidence) c.confidence = args.confidence;
  if (args['max-file-size'] !== undefined) {
    c.maxFileSize = sizeFlag(args['max-file-size']);
    c.maxFileSizeSet = true;
  }
  if (!args.decode) c.decode = false;
  if (args['rules-from']?.length) c.rulesFrom = [...c.rulesFrom, ...args['rules-from'].map((f) => ({ file: path.resolve(f) }))];
  if (args['gitleaks-ignore'] !== undefined) c.gitleaksIgnore = path.resolve(args['gitleaks-ignore']);
  // Checked before the scan: a planted symlink or a bad folder should not cost a long scan first.
  if (args.output !== undefined) checkOutputPath(args.output, 'report', [c.scanRoot, c.file ?? undefined, c.baseline]);
  if (args.baseline === false) delete c.baseline;
  else if (args.baseline !== undefined) {
    c.baseline = path.resolve(args.baseline);
    delete c.baselineWithin; // named by the user, not by the scanned tree
  }
  return c;
}

/**
 * Verifies (when asked), renders, writes and picks the exit code. `compact`: a git hook's scan,
 * whose text report is one line per finding unless --verbose asks for the whole guidance.
 */
export async function finish(
  result: ScanResult,
  args: CommonArgs,
  config: Config,
  rules: ReturnType<typeof prepareScan>['rules'],
  compact = false,
): Promise<number> {
  result = withMigrationWarnings(result, config);
  let verified: VerificationCounts | undefined;
  if (args.verify || args['only-verified'] || args['fail-on-verified']) ({ result, counts: verified } = await verifyResult(result, args, config, rules));
  // After --verify, which raises a live key to high: a key its provider confirms is never hidden.
  result = withConfidence(result, config.confidence);
  const toTerminal = !args.output && process.stdout.isTTY === true;
  const color = args.color ?? (toTerminal && !process.env.NO_COLOR);
  const text =
    compact && args.format === 'text' && !args.verbose
      ? renderCompact(result, { showSecrets: args['show-secrets'] })
      : render(result, args.format, {
          showSecrets: args['show-secrets'],
          color: args.format === 'text' && color,
          verbose: args.verbose,
          rules,
          toolVersion: VERSION,
        });
  emit(text, args.output);
  if (args.verbose && args.format !== 'text') process.stderr.write(skippedLines(result));
  if (args.output && !args.quiet) {
    process.stderr.write(`secretscan: ${plural(result.findings.length, 'leak')} found, report written to ${args.output}\n`);
  }
  const onlyLive = args['only-verified'] || args['fail-on-verified'];
  const unchecked = verificationNotice(verified, onlyLive === true);
  if (!args.fail) return 0;
  if (onlyLive) {
    if (result.findings.some((f) => f.verification?.status === 'live')) return args['exit-code'];
    // No live key found, but some could not be asked: that is not a clean run.
    return unchecked ? 2 : 0;
  }
  return exitCodeFor(result, config.failOn, args['exit-code']);
}

/** One stderr line when providers could not be asked about some findings; true if there were any. */
function verificationNotice(counts: VerificationCounts | undefined, onlyLive: boolean): boolean {
  if (!counts || counts.network === 0) return false;
  const why = counts.networkDetail ?? 'no answer';
  const kept = onlyLive ? '; they are kept in the report, as any of them may be live' : '';
  if (counts.live + counts.revoked === 0) {
    // An error where it decides the exit code (2), a warning where the findings do.
    const level = onlyLive ? 'error' : 'warning';
    process.stderr.write(`secretscan: ${level}: verification could not run: no provider answered for ${plural(counts.network, 'finding')} (${why})${kept}\n`);
  } else {
    process.stderr.write(`secretscan: ${plural(counts.network, 'finding')} of ${counts.total} could not be verified (${why})${kept}\n`);
  }
  return true;
}

/** `--verify`: each finding's provider asked, live findings first (or alone, with --only-verified). */
async function verifyResult(
  result: ScanResult,
  args: CommonArgs,
  config: Config,
  rules: ReturnType<typeof prepareScan>['rules'],
): Promise<{ result: ScanResult; counts: VerificationCounts | undefined }> {
  // Loaded only here: a scan without --verify (a pre-commit hook) should not pay for the HTTP client.
  const { liveFirst, verifyFindings } = await import('../verify/verify.js');
  await verifyFindings(result, rules, { endpoints: config.verifyEndpoints });
  raiseVerified(result.findings);
  const findings = liveFirst(result.findings);
  // A finding whose provider could not be asked stays: it may be live.
  const kept = (f: (typeof findings)[number]) => f.verification?.status === 'live' || f.verification?.reason === 'network';
  return { result: { ...result, findings: args['only-verified'] ? findings.filter(kept) : findings }, counts: verificationCounts(findings) };
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const command = COMMANDS.find((c) => c === argv[0]);
  // The options of the command being parsed, as its middleware saw them: for "did you mean".
  let options: OptionTable | undefined;
  const parser = yargs(argv)
    .scriptName('secretscan')
    .usage('$0 <command> [options]\n\nFind leaked API keys and secrets, with how to revoke each one.')
    .command(
      'dir [path]',
      'Scan a directory (or one file): every file, dotfiles included, honouring .gitignore inside git repos',
      (y) =>
        commonOptions(y)
          .positional('path', { type: 'string', default: '.', describe: 'Directory or file to scan' })
          .option('ignore', { type: 'boolean', default: true, describe: 'Honour .gitignore; --no-ignore: scan ignored files too' })
          .option('threads', { type: 'number', describe: 'Worker threads for matching (default: one per core, for large scans)' }),
      async (args) => {
        const target = args.path as string;
        const config = applyFlags(resolveConfig(args as CommonArgs, target), args as CommonArgs);
        const setup = prepareScan(config);
        const shard = shardFlag(args as CommonArgs);
        const progress = scanProgress(args as CommonArgs, 'files');
        let result = await scanDirectory(target, setup, {
          gitignore: args.ignore as boolean,
          threads: args.threads as number | undefined,
          ...(shard ? { shard } : {}),
          ...(progress ? { onProgress: (done: number, total: number, bytes: number) => progress.update(done, total, bytes) } : {}),
        }).finally(() => progress?.stop());
        result = await withVersionControl(result, target, (args as CommonArgs).format);
        code = await finish(result, args as CommonArgs, config, setup.rules);
      },
    )
    .command(
      'stdin',
      'Scan standard input (pipes, editors)',
      (y) => commonOptions(y).option('label', { type: 'string', default: '<stdin>', describe: 'Path to show in findings' }),
      async (args) => {
        shardFlag(args as CommonArgs, 'standard input');
        const config = applyFlags(resolveConfig(args as CommonArgs, process.cwd()), args as CommonArgs);
        const setup = prepareScan(config);
        const result = await scanStream(process.stdin, args.label as string, setup);
        code = await finish(result, args as CommonArgs, config, setup.rules);
      },
    )
    .command(
      'rules',
      'List the rules in force (built-in and from config)',
      (y) =>
        y
          .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const })
          .option('config', { alias: 'c', type: 'string', describe: 'Config file (--no-config: none)' }),
      (args) => {
        const config = resolveConfig(args as unknown as CommonArgs, process.cwd());
        process.stdout.write(listRules(prepareScan(config).rules, args.format));
      },
    )
    .command(gitCommand((c) => (code = c)))
    .command(hookCommand((c) => (code = c)))
    .command(imageCommand((c) => (code = c)))
    .command(mergeCommand((c) => (code = c)))
    .command(baselineCommand())
    .command(revokeCommand((c) => (code = c)))
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
    }) as unknown as () => void, true)
    .fail((msg, err) => {
      if (err) throw err;
      throw usageError(msg ?? 'invalid arguments', argv, command, options);
    });
  await parser.parseAsync();
  return code;
}

export async function run(argv: string[] = hideBin(process.argv)): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof UserError) {
      // Messages quote file names, refs and config values: escaped, so they stay one line and cannot drive the terminal.
      process.stderr.write(`secretscan: error: ${printable(e.message)}\n${e.hint ? `  hint: ${printable(e.hint)}\n` : ''}`);
    } else {
      const err = e as Error;
      process.stderr.write(`secretscan: internal error: ${printable(err.message)}\n`);
      if (process.env.SECRETSCAN_DEBUG) process.stderr.write(`${err.stack}\n`);
      else process.stderr.write('  set SECRETSCAN_DEBUG=1 for a stack trace, and please report it\n');
    }
    process.exitCode = 2;
  }
}
