import type { Argv, CommandModule } from 'yargs';
import type { ImageScanResult } from '../scan/image.js';
import { scanProgress } from './progress.js';
import { applyFlags, commonOptions, finish, resolveConfig, shardFlag, type CommonArgs } from './main.js';
import { printable } from '../report/printable.js';

interface ImageArgs extends CommonArgs {
  target: string;
  platform?: string;
  threads?: number;
  insecure: boolean;
}

function builder(y: Argv) {
  return commonOptions(y)
    .positional('target', {
      type: 'string',
      demandOption: true,
      describe: 'A docker save tarball, an OCI image layout (directory or tar), or a registry reference (registry.example.com/team/app:1.2, alpine:3.20, name@sha256:…)',
    })
    .option('platform', { type: 'string', describe: 'Only this platform of a multi-platform image, e.g. linux/amd64 (default: every platform)' })
    .option('insecure', { type: 'boolean', default: false, describe: 'Talk plain HTTP to the registry (local registries; localhost falls back to HTTP by itself)' })
    .option('threads', { type: 'number', describe: 'Worker threads for matching (default: one per core, for large images)' });
}

/** Layers that could not be scanned: named on stderr after the report, and the run exits 2. */
function reportLayerErrors(result: ImageScanResult): void {
  for (const e of result.errors) process.stderr.write(`secretscan: error: ${printable(e.message)}; this layer was not fully scanned\n`);
  process.stderr.write('  hint: the report holds what the readable layers contain; fetch or export the image again and rescan\n');
}

/** `secretscan image TARGET`: a container image, layer by layer, config included. */
export function imageCommand(setExitCode: (code: number) => void): CommandModule<object, ImageArgs> {
  return {
    command: 'image <target>',
    describe: 'Scan a container image (docker save tarball, OCI layout or registry reference): config, every layer, deleted files too',
    builder: builder as unknown as CommandModule<object, ImageArgs>['builder'],
    handler: async (args) => {
      const shard = shardFlag(args);
      // Loaded here: other commands should not pay for the image modules.
      const { classifyTarget, openPathSource } = await import('../sources/image/target.js');
      const { prepareScan } = await import('../scan/engine.js');
      const { scanImage } = await import('../scan/image.js');
      const target = await classifyTarget(args.target);
      const config = applyFlags(resolveConfig(args, process.cwd()), args);
      const setup = prepareScan(config);
      let source;
      if (target.kind === 'path') {
        source = await openPathSource(target.path, target.as);
      } else {
        const { RegistrySource } = await import('../sources/image/registry-source.js');
        source = await RegistrySource.open(target.reference, target.text, { insecure: args.insecure });
      }
      const progress = scanProgress(args, 'layers');
      const result = await scanImage(source, setup, {
        ...(args.platform ? { platform: args.platform } : {}),
        ...(args.threads ? { threads: args.threads } : {}),
        ...(shard ? { shard } : {}),
        ...(progress ? { onProgress: (p: { layersDone: number; layersTotal: number; bytes: number }) => progress.update(p.layersDone, p.layersTotal, p.bytes) } : {}),
      }).finally(() => progress?.stop());
      let code = await finish(result, args, config, setup.rules);
      if (result.errors.length > 0) {
        reportLayerErrors(result);
        code = 2;
      }
      setExitCode(code);
    },
  };
}
