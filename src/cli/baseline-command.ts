// `secretscan baseline create|update`: a file of accepted findings (fingerprints, reasons), made from a scan or a report.
import { existsSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import type { Config } from '../config/config.js';
import { UserError } from '../errors.js';
import { Baseline, DEFAULT_BASELINE_FILE, type BaselineEntry } from '../filters/baseline.js';
import { locationsOfFindings, locationsOfReadReport, type FoundLocations } from '../filters/baseline-entries.js';
import { readJsonReport } from '../report/read-json.js';
import { applyFlags, resolveConfig, type ConfigFlags } from './options.js';

interface BaselineArgs {
  target: string;
  git: boolean;
  from?: string;
  config?: string | false;
  'max-file-size'?: string;
  decode: boolean;
  ignore: boolean;
  reason?: string;
  'accepted-by'?: string;
  quiet: boolean;
  /** create: the file to write. */
  output?: string;
  force: boolean;
  /** update: the file to update. */
  baseline?: string;
  add: boolean;
}

/** Options shared by create and update: where the findings come from, and how to scan. */
function sourceOptions(y: Argv) {
  return y
    .positional('target', { type: 'string', default: '.', describe: 'Directory (or with --git, repository) to scan; paths in the baseline are relative to it' })
    .option('git', { type: 'boolean', default: false, describe: 'Scan the whole git history (every ref), as `secretscan git` does' })
    .option('from', { type: 'string', describe: 'Take the findings from a JSON report (--format json) instead of scanning' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: nearest .secretscanrc; --no-config: none)' })
    .option('max-file-size', { type: 'string', describe: 'Skip files larger than this, e.g. 10MB' })
    .option('decode', { type: 'boolean', default: true, describe: 'Look inside base64 and percent-encoded text (--no-decode to skip)' })
    .option('ignore', { type: 'boolean', default: true, describe: 'Honour .gitignore (--no-ignore scans ignored files too)' })
    .option('reason', { type: 'string', describe: 'Why these findings are accepted, recorded in each new entry' })
    .option('accepted-by', { type: 'string', describe: 'Who accepted them, recorded in each new entry' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No summary on stderr' });
}

/** `secretscan baseline create|update`: record the findings a team accepts, and keep the record current. */
export function baselineCommand(): CommandModule<object, BaselineArgs> {
  return {
    command: 'baseline',
    describe: 'Accept existing findings (create a baseline) so that scans with --baseline report only new ones',
    builder: ((y: Argv) =>
      y
        .command(
          'create [target]',
          'Record every current finding in a baseline file (by fingerprint, never the secret)',
          (c) =>
            sourceOptions(c)
              .option('output', { alias: 'o', type: 'string', describe: `Baseline file to write (default: config \`baseline\`, else ${DEFAULT_BASELINE_FILE})` })
              .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing baseline (its reasons are lost; see baseline update --add)' }),
          (args) => create(args as unknown as BaselineArgs),
        )
        .command(
          'update [target]',
          'Drop baseline entries whose finding no longer occurs (keeping the others\' reasons); --add records new findings too',
          (c) =>
            sourceOptions(c)
              .option('baseline', { type: 'string', describe: `Baseline file to update (default: config \`baseline\`, else ${DEFAULT_BASELINE_FILE})` })
              .option('add', { type: 'boolean', default: false, describe: 'Also add findings that are not in the baseline yet' }),
          (args) => update(args as unknown as BaselineArgs),
        )
        .demandCommand(1, 'Name a baseline command: create or update')) as unknown as CommandModule<object, BaselineArgs>['builder'],
    handler: () => {},
  };
}

async function create(args: BaselineArgs): Promise<void> {
  const { config, found } = await findLocations(args);
  const file = args.output ?? config.baseline ?? DEFAULT_BASELINE_FILE;
  if (existsSync(file) && !args.force) {
    throw new UserError(`baseline ${file} already exists`, 'keep its reasons with `secretscan baseline update --add`, or overwrite it with --force');
  }
  const baseline = new Baseline();
  for (const [fp, entry] of found) baseline.entries.set(fp, withAcceptance(entry, args));
  baseline.write(file);
  if (!args.quiet) process.stderr.write(`secretscan: baseline ${file} written: ${count(baseline.size, 'entry', 'entries')}\n`);
}

async function update(args: BaselineArgs): Promise<void> {
  // Existing entries keep the reasons they were accepted with: these flags only label new ones.
  if ((args.reason !== undefined || args['accepted-by'] !== undefined) && !args.add) {
    throw new UserError('--reason and --accepted-by label the entries that --add records', 'add --add, or edit the reason of an existing entry in the file');
  }
  const { config, found } = await findLocations(args);
  const file = args.baseline ?? config.baseline ?? DEFAULT_BASELINE_FILE;
  const old = Baseline.read(file);
  const next = new Baseline();
  for (const [fp, entry] of old.entries) if (found.has(fp)) next.entries.set(fp, entry);
  const pruned = old.size - next.size;
  let added = 0;
  if (args.add) {
    for (const [fp, entry] of found) {
      if (next.has(fp)) continue;
      next.entries.set(fp, withAcceptance(entry, args));
      added++;
    }
  }
  next.write(file);
  if (!args.quiet) {
    const missing = args.add ? 0 : [...found.keys()].filter((fp) => !next.has(fp)).length;
    const notAdded = missing > 0 ? ` (${count(missing, 'finding')} not in it; --add records them)` : '';
    process.stderr.write(`secretscan: baseline ${file} updated: ${count(pruned, 'entry', 'entries')} pruned, ${added} added, ${next.size} kept in all${notAdded}\n`);
  }
}

/** Every location found now, by fingerprint: from a report, a directory scan or a history scan. */
async function findLocations(args: BaselineArgs): Promise<{ config: Config; found: FoundLocations }> {
  // Of the config-overriding flags, baseline has these two (its --output and --baseline name the baseline file).
  const flags: ConfigFlags = { 'max-file-size': args['max-file-size'], decode: args.decode };
  if (args.from) {
    if (args.git) throw new UserError('--from takes the findings from a report, --git from a scan: pass one of them');
    const config = resolveConfig(args.config, process.cwd());
    return { config, found: locationsOfReadReport(readJsonReport(args.from).report, args.from) };
  }
  const { prepareScan } = await import('../scan/engine.js');
  if (args.git) {
    const { openRepo } = await import('../sources/git-repo.js');
    const { chooseRevisions, scanHistory } = await import('./git-scan.js');
    const repo = await openRepo(args.target);
    const config = applyFlags(resolveConfig(args.config, repo.root), flags);
    // The baseline is made from everything found: none of it may be filtered by an older one.
    const setup = prepareScan({ ...config, baseline: undefined });
    // Every ref and stash, as `secretscan git` scans by default.
    const revisions = await chooseRevisions({}, repo);
    if (revisions === null) return { config, found: new Map() };
    const result = await scanHistory({ quiet: args.quiet }, repo, setup, revisions, undefined);
    return { config, found: locationsOfFindings(result.findings) };
  }
  const { scanDirectory } = await import('../scan/directory.js');
  const config = applyFlags(resolveConfig(args.config, args.target), flags);
  const setup = prepareScan({ ...config, baseline: undefined });
  const result = await scanDirectory(args.target, setup, { gitignore: args.ignore });
  return { config, found: locationsOfFindings(result.findings) };
}

function withAcceptance(entry: BaselineEntry, args: BaselineArgs): BaselineEntry {
  return {
    ...entry,
    ...(args.reason !== undefined ? { reason: args.reason } : {}),
    ...(args['accepted-by'] !== undefined ? { acceptedBy: args['accepted-by'] } : {}),
  };
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
