// Options every scan command shares, and how flags override the config file (one place for precedence).
import path from 'node:path';
import type { Argv } from 'yargs';
import { defaultConfig, findConfig, loadConfig, type Config } from '../config/config.js';
import { parseSize, Shape } from '../core/shape.js';
import { UserError } from '../errors.js';
import { checkOutputPath } from '../io/report-file.js';
import { FORMATS, type Format } from '../report/options.js';
import { parseShard, type Shard } from '../core/shard.js';
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from '../types.js';

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

/**
 * The config in force: the file --config names, else (unless --no-config, `false`) the nearest
 * .secretscanrc from `near` upward, else the defaults.
 */
export function resolveConfig(file: string | false | undefined, near: string): Config {
  const scanRoot = path.resolve(near); // where .gitleaksignore is looked for
  if (file) return { ...loadConfig(file), scanRoot };
  if (file !== false) {
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

/** The flags that override a config's settings; a command passes those it has. */
export type ConfigFlags = Partial<
  Pick<CommonArgs, 'fail-on' | 'confidence' | 'max-file-size' | 'decode' | 'rules-from' | 'gitleaks-ignore' | 'output' | 'baseline'>
>;

/** The config with the flags given on the command line applied over it: a flag beats the file. */
export function applyFlags(config: Config, args: ConfigFlags): Config {
  const c = { ...config };
  if (args['fail-on']) c.failOn = args['fail-on'];
  if (args.confidence) c.confidence = args.confidence;
  if (args['max-file-size'] !== undefined) {
    c.maxFileSize = sizeFlag(args['max-file-size']);
    c.maxFileSizeSet = true;
  }
  if (args.decode === false) c.decode = false;
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
 * Checks --exit-code (a yargs check: true, or a UserError). A process exit status is 0..255, and 2
 * is what secretscan exits with on an error, so a CI job could not tell "leaks found" from "did not run".
 */
export function checkExitCode(value: unknown): true {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
    const shown = typeof value === 'number' && !Number.isNaN(value) ? `, not ${value}` : '';
    throw new UserError(`--exit-code must be an integer from 0 to 255${shown}`, 'e.g. --exit-code 3');
  }
  if (value === 2) throw new UserError('--exit-code 2 is taken: secretscan exits 2 on errors', 'pick another, e.g. --exit-code 3');
  return true;
}
