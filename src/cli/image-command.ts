// `secretscan image TARGET`: a container image (docker save tarball, OCI layout, local engine or registry), layer by layer.
import type { Argv, CommandModule } from 'yargs';
import { parseSize, Shape } from '../core/shape.js';
import { UserError } from '../errors.js';
import type { ImageScanResult } from '../scan/image.js';
import type { EngineEndpoint } from '../sources/image/engine.js';
import type { ImageSource } from '../sources/image/image-source.js';
import type { ImageTarget } from '../sources/image/target.js';
import { scanProgress } from './progress.js';
import { finish } from './output.js';
import { applyFlags, commonOptions, resolveConfig, shardFlag, type CommonArgs } from './options.js';
import { printable } from '../report/printable.js';

interface ImageArgs extends CommonArgs {
  target: string;
  platform?: string;
  threads?: number;
  insecure: boolean;
  'max-image-size'?: string;
}

function builder(y: Argv) {
  return commonOptions(y)
    .positional('target', {
      type: 'string',
      demandOption: true,
      describe: 'A docker save tarball, an OCI image layout (directory or tar), an image in the local Docker Engine or Podman, or a registry reference (registry.example.com/team/app:1.2, alpine:3.20, name@sha256:…). A bare name is looked for in the local engines first; docker-daemon:NAME, podman:NAME and registry:NAME force one',
    })
    .option('platform', { type: 'string', describe: 'Only this platform of a multi-platform image, e.g. linux/amd64 (default: every platform)' })
    .option('insecure', { type: 'boolean', default: false, describe: 'Talk plain HTTP to the registry (local registries; localhost falls back to HTTP by itself)' })
    .option('max-image-size', { type: 'string', describe: 'Largest image export accepted from a local Docker Engine or Podman, e.g. 20GB (default 64GB)' })
    .option('threads', { type: 'number', describe: 'Worker threads for matching (default: one per core, for large images)' });
}

interface OpenedSource {
  source: ImageSource;
  /** Engines asked without success before the source was chosen. */
  tried: string[];
  dispose: () => Promise<void>;
}

/** An image exported from a local engine, scanned as the docker save archive it is. */
async function fromEngine(endpoint: EngineEndpoint, name: string, args: ImageArgs, tried: string[]): Promise<OpenedSource> {
  const { exportImage, DEFAULT_ENGINE_LIMITS } = await import('../sources/image/engine.js');
  const { openPathSource } = await import('../sources/image/target.js');
  const maxBytes = args['max-image-size'] !== undefined ? parseSize(args['max-image-size'], new Shape('--max-image-size')) : DEFAULT_ENGINE_LIMITS.maxBytes;
  if (!args.quiet) process.stderr.write(`secretscan: exporting ${name} from the ${endpoint.engine} at ${endpoint.address} into a temporary file (the archive reader needs random access; removed after the scan)\n`);
  const exported = await exportImage(endpoint, name, { ...DEFAULT_ENGINE_LIMITS, maxBytes });
  try {
    return { source: await openPathSource(exported.file, 'docker-archive'), tried, dispose: exported.dispose };
  } catch (e) {
    await exported.dispose();
    throw e;
  }
}

/** The source TARGET names: a path, a local engine's image, or a registry's (engines first for bare names). */
async function openSource(target: ImageTarget, args: ImageArgs): Promise<OpenedSource> {
  const none = async () => {};
  if (target.kind === 'path') {
    const { openPathSource } = await import('../sources/image/target.js');
    return { source: await openPathSource(target.path, target.as), tried: [], dispose: none };
  }
  const { engineEndpoints, findInEngines } = await import('../sources/image/engine.js');
  let tried: string[] = [];
  if (target.kind === 'engine') {
    const found = await findInEngines(target.name, engineEndpoints(target.engine));
    if (!found.endpoint) throw new UserError(`${target.engine === 'podman' ? 'podman' : 'docker-daemon'}:${target.name}: ${found.tried.join('; ')}`, 'start the engine, or name a docker save archive or a registry reference');
    return fromEngine(found.endpoint, target.name, args, found.tried);
  }
  if (target.tryEngines) {
    const found = await findInEngines(target.text, engineEndpoints('any'));
    if (found.endpoint) return fromEngine(found.endpoint, target.text, args, found.tried);
    tried = found.tried;
  }
  const { RegistrySource } = await import('../sources/image/registry-source.js');
  return { source: await RegistrySource.open(target.reference, target.text, { insecure: args.insecure }), tried, dispose: none };
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
      const { classifyTarget } = await import('../sources/image/target.js');
      const { prepareScan } = await import('../scan/engine.js');
      const { scanImage } = await import('../scan/image.js');
      const target = await classifyTarget(args.target);
      const config = applyFlags(resolveConfig(args.config, process.cwd()), args);
      const setup = prepareScan(config);
      const opened = await openSource(target, args);
      const progress = scanProgress(args, 'layers');
      const result = await scanImage(opened.source, setup, {
        ...(args.platform ? { platform: args.platform } : {}),
        ...(args.threads ? { threads: args.threads } : {}),
        ...(shard ? { shard } : {}),
        ...(progress ? { onProgress: (p: { layersDone: number; layersTotal: number; bytes: number }) => progress.update(p.layersDone, p.layersTotal, p.bytes) } : {}),
      })
        .catch((e: unknown) => {
          // A bare name that no local engine had: say which were asked before the registry failed.
          if (e instanceof UserError && opened.tried.length) {
            const engines = `not in a local engine either: ${opened.tried.join('; ')}`;
            throw new UserError(e.message, e.hint ? `${e.hint}\n  hint: ${engines}` : engines);
          }
          throw e;
        })
        .finally(async () => {
          progress?.stop();
          await opened.dispose();
        });
      let code = await finish(result, args, config, setup.rules);
      if (result.errors.length > 0) {
        reportLayerErrors(result);
        code = 2;
      }
      setExitCode(code);
    },
  };
}
