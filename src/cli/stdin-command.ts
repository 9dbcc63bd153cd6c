// `secretscan stdin`: standard input (pipes, editors), shown under a label.
import type { Argv, CommandModule } from 'yargs';
import { finish } from './output.js';
import { applyFlags, commonOptions, resolveConfig, shardFlag, type CommonArgs } from './options.js';

interface StdinArgs extends CommonArgs {
  label: string;
}

function builder(y: Argv) {
  return commonOptions(y).option('label', { type: 'string', default: '<stdin>', describe: 'Path to show in findings' });
}

export function stdinCommand(setExitCode: (code: number) => void): CommandModule<object, StdinArgs> {
  return {
    command: 'stdin',
    describe: 'Scan standard input (pipes, editors)',
    builder: builder as unknown as CommandModule<object, StdinArgs>['builder'],
    handler: async (args) => {
      shardFlag(args, 'standard input');
      const config = applyFlags(resolveConfig(args.config, process.cwd()), args);
      const { prepareScan } = await import('../scan/engine.js');
      const { scanStream } = await import('../scan/stdin.js');
      const setup = prepareScan(config);
      const result = await scanStream(process.stdin, args.label, setup);
      setExitCode(await finish(result, args, config, setup.rules));
    },
  };
}
