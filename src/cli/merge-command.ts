// `secretscan merge`: one report from the JSON reports of shards or of several scans of one target.
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { FORMATS, type Format } from '../report/options.js';
import { SEVERITIES } from '../types.js';
import { finish } from './output.js';
import { checkExitCode, confidenceOption, resolveConfig, type CommonArgs } from './options.js';
import { checkOutputPath } from '../io/report-file.js';
import { printable } from '../report/printable.js';

interface MergeArgs extends CommonArgs {
  reports: string[];
  'allow-partial': boolean;
  'allow-mixed-targets': boolean;
}

function builder(y: Argv) {
  return y
    // No default: yargs would show `[default: []]` next to `[required]`.
    .positional('reports', { type: 'string', array: true, default: undefined, describe: 'JSON reports (--format json) of the shards of one scan, or of several scans of one target' })
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to FILE instead of stdout' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'Print raw secrets: only when every report holds them (written with --show-secrets)' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file for fail-on (default: nearest .secretscanrc from here upward; --no-config: none)' })
    .option('fail-on', { choices: SEVERITIES, describe: 'Lowest severity that fails the run (default: low, or fail-on in config)' })
    .option('confidence', confidenceOption)
    .option('exit-code', { type: 'number', default: 1, describe: 'Exit code when findings reach --fail-on (0-255, not 2: that means error)' })
    .option('fail', { type: 'boolean', default: true, describe: 'Exit non-zero on findings; --no-fail: exit 0 after a merge whatever was found' })
    .option('color', { type: 'boolean', describe: 'Colour text output; --no-color: never (default: when stdout is a TTY and NO_COLOR is unset)' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'List every skipped file with the reason' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No summary on stderr when writing to --output' })
    .option('allow-partial', { type: 'boolean', default: false, describe: 'Merge even when shards are missing (a warning instead of an error)' })
    .option('allow-mixed-targets', { type: 'boolean', default: false, describe: 'Merge reports whose targets differ (one repository checked out at different paths)' })
    .check((argv) => checkExitCode(argv['exit-code']));
}

/** `secretscan merge a.json b.json …`: one report from the JSON reports of shards or scans. */
export function mergeCommand(setExitCode: (code: number) => void): CommandModule<object, MergeArgs> {
  return {
    command: 'merge <reports..>',
    describe: 'Combine JSON reports (from --shard K/N jobs, or scans of one target) into one report in any format',
    builder: builder as unknown as CommandModule<object, MergeArgs>['builder'],
    handler: async (args) => {
      if (args.output !== undefined) checkOutputPath(args.output, 'report', args.reports);
      const { readJsonReport } = await import('../report/read-json.js');
      const { mergeReports, reportedRuleSpecs } = await import('../report/merge.js');
      const merged = mergeReports(args.reports.map(readJsonReport), {
        allowPartial: args['allow-partial'],
        allowMixedTargets: args['allow-mixed-targets'],
      });
      if (args['show-secrets'] && !merged.hasSecrets) {
        throw new UserError('--show-secrets: some reports hold redacted secrets only', 'write every report with --show-secrets, or merge without it');
      }
      for (const w of merged.warnings) process.stderr.write(`secretscan: warning: ${printable(w)}\n`);
      // What the scans could not honour, as each scan said it (text reports do not show it).
      for (const w of merged.result.warnings ?? []) process.stderr.write(`secretscan: warning: ${printable(w.source)}: ${printable(w.message)}\n`);
      const config = resolveConfig(args.config, process.cwd());
      if (args['fail-on']) config.failOn = args['fail-on'];
      if (args.confidence) config.confidence = args.confidence;
      setExitCode(await finish(merged.result, args, config, reportedRuleSpecs(merged.rules)));
    },
  };
}
