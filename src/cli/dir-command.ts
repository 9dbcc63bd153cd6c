// `secretscan dir [path]`: a directory (or one file), every file, honouring .gitignore inside git repos.
import type { Argv, CommandModule } from 'yargs';
import { finish } from './output.js';
import { applyFlags, commonOptions, resolveConfig, shardFlag, type CommonArgs } from './options.js';
import { scanProgress } from './progress.js';
import { attachVersionControl, startVersionControl } from './version-control.js';

interface DirArgs extends CommonArgs {
  path: string;
  ignore: boolean;
  threads?: number;
}

function builder(y: Argv) {
  return commonOptions(y)
    .positional('path', { type: 'string', default: '.', describe: 'Directory or file to scan' })
    .option('ignore', { type: 'boolean', default: true, describe: 'Honour .gitignore; --no-ignore: scan ignored files too' })
    .option('threads', { type: 'number', describe: 'Worker threads for matching (default: one per core, for large scans)' });
}

export function dirCommand(setExitCode: (code: number) => void): CommandModule<object, DirArgs> {
  return {
    command: 'dir [path]',
    describe: 'Scan a directory (or one file): every file, dotfiles included, honouring .gitignore inside git repos',
    builder: builder as unknown as CommandModule<object, DirArgs>['builder'],
    handler: async (args) => {
      const config = applyFlags(resolveConfig(args.config, args.path), args);
      const vcs = startVersionControl(args.path, args.format);
      // Loaded here: the engine (re2, the rules) is paid for only by a scan.
      const { prepareScan } = await import('../scan/engine.js');
      const { scanDirectory } = await import('../scan/directory.js');
      const setup = prepareScan(config);
      const shard = shardFlag(args);
      const progress = scanProgress(args, 'files');
      let result = await scanDirectory(args.path, setup, {
        gitignore: args.ignore,
        threads: args.threads,
        ...(shard ? { shard } : {}),
        ...(progress ? { onProgress: (done: number, total: number, bytes: number) => progress.update(done, total, bytes) } : {}),
      }).finally(() => progress?.stop());
      result = await attachVersionControl(result, vcs);
      setExitCode(await finish(result, args, config, setup.rules));
    },
  };
}
