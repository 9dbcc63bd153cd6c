// Image scans: every image's config and layers (streamed, overlay visibility resolved at the end) as a pipeline source.
import path from 'node:path';
import pLimit from 'p-limit';
import type { LocatedMatch } from '../findings/group.js';
import { redactSecret } from '../findings/redact.js';
import { shortDigest } from '../sources/image/blob-check.js';
import { configChunks, layerSteps } from '../sources/image/config-chunks.js';
import type { ImageEntry, ImageSource, PlatformFilter } from '../sources/image/image-source.js';
import { walkLayer } from '../sources/image/layer-walker.js';
import { LayerOverlay } from '../sources/image/overlay.js';
import { DEFAULT_LIMITS, type WalkLimits, type WalkSink } from '../sources/image/tar-walk.js';
import { imageOrigin, type ImageOrigin, type Match, type ScanResult } from '../types.js';
import { applyAllowlist, type ScanSetup } from './engine.js';
import { runScan } from './pipeline.js';
import type { Emit } from './source.js';
import { inShard, type Shard } from '../core/shard.js';

export interface ImageScanOptions {
  platform?: PlatformFilter;
  threads?: number;
  /** Called as each layer starts: for a progress line. */
  onLayer?: (image: ImageEntry, layer: number) => void;
  /** Called as each layer is done: layers done of all images' layers, and bytes matched so far. */
  onProgress?: (p: { layersDone: number; layersTotal: number; bytes: number }) => void;
  /**
   * Match only this shard's part: the layer files by (layer, path), so one huge layer is split
   * too, and each image's config whole. Every shard still streams every layer, for visibility.
   */
  shard?: Shard;
}

/** A layer that could not be read to its end, or whose bytes are not the ones promised. */
export interface LayerError {
  image: string;
  platform: string;
  layer: number;
  digest?: string;
  message: string;
}

export interface ImageScanResult extends ScanResult {
  kind: ImageSource['kind'];
  images: { name: string; platform: string; layers: number }[];
  /** Layers not fully scanned: the run must not pass as clean. Also listed in `skipped`. */
  errors: LayerError[];
}


/** Matching in flight at once: enough to keep every worker busy, bounded in bytes. */
const LIMITS = { chunks: 512, bytes: 64 * 1024 * 1024 };
/** Layers walked at once (see scanImage). */
const LAYER_WALKS = 2;

interface Found {
  match: Match;
  path: string;
  origin: ImageOrigin;
  /** For layer files: resolved into visible/deletedBy once every layer has streamed past. */
  pending?: { layer: number; outer: string; overlay: LayerOverlay };
}

/**
 * Scans every image a source holds (every platform, unless one is picked): the config (Env,
 * Labels, Cmd, Entrypoint, history), then each layer in order, streamed. Each finding says which
 * image, platform, layer and build step it came from, and whether the final image still shows
 * the file: a file deleted by a later layer is still in the image for anyone who pulls it.
 * Progress is per layer: `onLayer` as one starts, `onProgress` as one is done.
 */
export async function scanImage(source: ImageSource, setup: ScanSetup, options: ImageScanOptions = {}): Promise<ImageScanResult> {
  const started = performance.now();
  const images = await source.images(options.platform);
  const totalBytes = images.reduce((n, im) => n + im.layers.reduce((m, l) => m + (l.size ?? 64 * 1024 * 1024), 0), 0);
  const limits: WalkLimits = { ...DEFAULT_LIMITS, maxFileSize: setup.config.maxFileSize };
  // Secrets of config chunks another shard reports: build steps quoted here are redacted with them too.
  const elsewhere: Found[] = [];
  let all: LocatedMatch[] = [];
  const shard = options.shard;
  const errors: LayerError[] = [];
  const multi = images.length > 1;
  const layersTotal = images.reduce((n, im) => n + im.layers.length, 0);
  let layersDone = 0;
  let bytes = 0;

  const walk = async (emit: Emit<Found>, image: ImageEntry) => {
    const where = multi ? ` of ${image.name} ${image.platform}` : '';
    const base = { image: image.name, platform: image.platform };
    const steps = layerSteps(image.config, image.layers.length);
    const configHere = inShard(shard, `config\0${image.configDigest ?? `${image.name}\0${image.platform}`}`);
    for (const chunk of configChunks(image.config)) {
      const layer = chunk.layer !== undefined && chunk.layer < image.layers.length ? chunk.layer : undefined;
      const origin: ImageOrigin = {
        kind: 'image-config',
        source: 'image-config',
        ...base,
        ...(image.configDigest ? { configDigest: image.configDigest } : {}),
        ...(layer !== undefined ? { layer, ...layerIds(image, layer) } : {}),
        visible: true,
      };
      // Matched by every shard (configs are small): their secrets are redacted from build steps.
      await emit.chunk({
        kind: 'bytes',
        path: chunk.path,
        bytes: chunk.bytes,
        counted: configHere,
        locate: (matches) => {
          const found = matches.map((match) => ({ match, path: chunk.path, origin }));
          if (configHere) return found;
          elsewhere.push(...found);
          return [];
        },
      });
    }

    const overlay = new LayerOverlay();
    const layerErrors: LayerError[] = [];
    const walkOne = async (layer: ImageEntry['layers'][number]) => {
      options.onLayer?.(image, layer.index);
      const createdBy = steps[layer.index];
      const layerOrigin = { ...base, layer: layer.index, ...layerIds(image, layer.index), ...(createdBy ? { createdBy } : {}) };
      const layerKey = layer.diffId ?? layer.digest ?? `${image.name}\0${image.platform}\0${layer.index}`;
      const here = (filePath: string) => inShard(shard, `${layerKey}\0${filePath}`);
      const sink: WalkSink = {
        file: (filePath, outer, buf) => {
          if (!here(filePath)) return Promise.resolve();
          const origin: ImageOrigin = { kind: 'image-layer', source: 'image-layer', ...layerOrigin, ...(outer !== filePath ? { archive: outer } : {}), visible: true };
          return emit.chunk({
            kind: 'bytes',
            path: filePath,
            bytes: buf,
            allowAt: path.join(setup.config.baseDir, filePath.replace(/^\/+/, '')),
            locate: (matches) => matches.map((match) => ({ match, path: filePath, origin, pending: { layer: layer.index, outer, overlay } })),
          });
        },
        skip: (filePath, reason, detail) => {
          if (!here(filePath)) return;
          const at = `layer ${layer.index}${where}`;
          emit.skip({ path: filePath, reason, detail: detail ? `${detail}; ${at}` : at });
        },
      };
      const label = `layer ${layer.index} (${layer.digest ? shortDigest(layer.digest) : layer.location}) of ${image.name} ${image.platform}`;
      try {
        await walkLayer(layer, label, limits, sink, overlay);
      } catch (e) {
        const message = (e as Error).message.startsWith(label) ? (e as Error).message : `${label}: ${(e as Error).message}`;
        layerErrors.push({ ...base, layer: layer.index, ...(layer.digest ? { digest: layer.digest } : {}), message });
        emit.skip({ path: layer.location, reason: 'unreadable', detail: `${message} (the layer was not fully scanned)` });
      }
      options.onProgress?.({ layersDone: ++layersDone, layersTotal, bytes });
    };
    // Layers are walked LAYER_WALKS at a time: one layer's decompression (on a libuv thread)
    // waits for this thread between chunks, so while one layer's entries are parsed and packed
    // here, the other's decompression goes on. Where a secret lies, and whether a later layer hid
    // it, does not depend on the order entries arrive in (the overlay is asked at the end).
    const limit = pLimit(LAYER_WALKS);
    await Promise.all(image.layers.map((layer) => limit(() => walkOne(layer))));
    errors.push(...layerErrors.sort((a, b) => a.layer - b.layer));
  };

  const result = await runScan<Found>(
    {
      target: source.target,
      expectedBytes: () => totalBytes,
      async run(emit) {
        options.onProgress?.({ layersDone, layersTotal, bytes });
        for (const image of images) await walk(emit, image);
      },
      finish(found) {
        // Visibility is known once every layer of the image has streamed past.
        for (const f of found) {
          if (!f.pending) continue;
          f.origin = { ...f.origin, ...f.pending.overlay.fate(f.pending.layer, f.pending.outer.replace(/^\/+/, '')) };
          delete f.pending;
        }
        all = [...found, ...elsewhere].map(toLocated);
        return found.map(toLocated);
      },
      settle(located, suppressed) {
        // Allowlists, .gitleaksignore and the baseline see the path inside the image (the one
        // reported and fingerprinted); grouping tells places apart by image, platform and layer.
        const kept = applyAllowlist(setup, located, suppressed);
        // Every secret detected, suppressed ones too: a baselined key is still a live key.
        redactBuildSteps(kept, all);
        return kept;
      },
    },
    setup,
    { started, limits: LIMITS, ...(options.threads !== undefined ? { threads: options.threads } : {}), onMatched: (p) => (bytes = p.bytes) },
  );
  return {
    target: result.target,
    kind: source.kind,
    findings: result.findings,
    ...(result.partners ? { partners: result.partners } : {}),
    skipped: result.skipped,
    suppressed: result.suppressed,
    errors,
    images: images.map((im) => ({ name: im.name, platform: im.platform, layers: im.layers.length })),
    stats: result.stats,
    ...(shard ? { shard } : {}),
  };
}

/**
 * A build step quoted in a location's origin may hold a secret found elsewhere (a RUN line with a
 * token): reports quote it with every found secret redacted, as they print secrets.
 */
function redactBuildSteps(matches: LocatedMatch[], foundElsewhere: LocatedMatch[] = []): void {
  const secrets = [...new Set([...matches, ...foundElsewhere].map((m) => m.secret))].filter((s) => s.length >= 4);
  for (const m of matches) {
    const origin = imageOrigin(m.origin);
    if (!origin?.createdBy) continue;
    let step = origin.createdBy;
    for (const secret of secrets) if (step.includes(secret)) step = step.split(secret).join(redactSecret(secret));
    if (step !== origin.createdBy) m.origin = { ...origin, createdBy: step };
  }
}

function layerIds(image: ImageEntry, index: number): { layerDigest?: string } {
  const layer = image.layers[index];
  const digest = layer?.digest ?? layer?.diffId;
  return digest ? { layerDigest: digest } : {};
}

function toLocated(f: Found): LocatedMatch {
  return { ...f.match, path: f.path, origin: f.origin };
}
