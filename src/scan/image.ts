import path from 'node:path';
import { createPool, type DetectorPool } from '../detect/pool.js';
import { locationFingerprint } from '../findings/fingerprint.js';
import { groupFindings, type LocatedMatch } from '../findings/group.js';
import { redactSecret } from '../findings/redact.js';
import { shortDigest } from '../sources/image/blob-check.js';
import { configChunks, layerSteps } from '../sources/image/config-chunks.js';
import type { ImageEntry, ImageSource, PlatformFilter } from '../sources/image/image-source.js';
import { walkLayer } from '../sources/image/layer-walker.js';
import { LayerOverlay } from '../sources/image/overlay.js';
import { DEFAULT_LIMITS, type WalkLimits, type WalkSink } from '../sources/image/tar-walk.js';
import type { Finding, ImageOrigin, Match, ScanResult, Skipped } from '../types.js';
import { severityRank } from '../types.js';
import { applyAllowlist, withPartners, type ScanSetup } from './engine.js';
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
const MAX_IN_FLIGHT = 64;
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

interface Found {
  match: Match;
  path: string;
  origin: ImageOrigin;
  /** For layer files: resolved into visible/deletedBy once every layer has streamed past. */
  pending?: { layer: number; outer: string; overlay: LayerOverlay };
}

/** Runs pool scans with bounded concurrency and bytes. */
class ScanQueue {
  private readonly running = new Set<Promise<void>>();
  private bytes = 0;

  constructor(private readonly pool: DetectorPool) {}

  async submit(bytes: Buffer, filePath: string, onResult: (matches: Match[], scanned: boolean, size: number) => void): Promise<void> {
    const size = bytes.length;
    this.bytes += size;
    const task = this.pool.scanBytes(bytes, filePath).then((r) => onResult(r.matches, !r.skipped, r.bytes));
    const tracked = task.finally(() => {
      this.bytes -= size;
      this.running.delete(tracked);
    });
    this.running.add(tracked);
    while (this.running.size >= MAX_IN_FLIGHT || this.bytes >= MAX_IN_FLIGHT_BYTES) await Promise.race(this.running);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
  }
}

/**
 * Scans every image a source holds (every platform, unless one is picked): the config (Env,
 * Labels, Cmd, Entrypoint, history), then each layer in order, streamed. Each finding says which
 * image, platform, layer and build step it came from, and whether the final image still shows
 * the file: a file deleted by a later layer is still in the image for anyone who pulls it.
 */
export async function scanImage(source: ImageSource, setup: ScanSetup, options: ImageScanOptions = {}): Promise<ImageScanResult> {
  const started = performance.now();
  const images = await source.images(options.platform);
  const totalBytes = images.reduce((n, im) => n + im.layers.reduce((m, l) => m + (l.size ?? 64 * 1024 * 1024), 0), 0);
  const pool = createPool(setup.detector, totalBytes, options.threads);
  const queue = new ScanQueue(pool);
  const limits: WalkLimits = { ...DEFAULT_LIMITS, maxFileSize: setup.config.maxFileSize };
  const found: Found[] = [];
  // Secrets of config chunks another shard reports: build steps quoted here are redacted with them too.
  const elsewhere: Found[] = [];
  const shard = options.shard;
  const skipped: Skipped[] = [];
  const errors: LayerError[] = [];
  const suppressed: Record<string, number> = {};
  let files = 0;
  let bytes = 0;
  const count = (scanned: boolean, size: number) => {
    if (!scanned) return;
    files++;
    bytes += size;
  };
  const multi = images.length > 1;
  const layersTotal = images.reduce((n, im) => n + im.layers.length, 0);
  let layersDone = 0;
  options.onProgress?.({ layersDone, layersTotal, bytes });

  try {
    for (const image of images) {
      const where = multi ? ` of ${image.name} ${image.platform}` : '';
      const base = { image: image.name, platform: image.platform };
      const steps = layerSteps(image.config, image.layers.length);
      const configHere = inShard(shard, `config\0${image.configDigest ?? `${image.name}\0${image.platform}`}`);
      for (const chunk of configChunks(image.config)) {
        const layer = chunk.layer !== undefined && chunk.layer < image.layers.length ? chunk.layer : undefined;
        const origin: ImageOrigin = {
          source: 'image-config',
          ...base,
          ...(image.configDigest ? { configDigest: image.configDigest } : {}),
          ...(layer !== undefined ? { layer, ...layerIds(image, layer) } : {}),
          visible: true,
        };
        // Matched by every shard (configs are small): their secrets are redacted from build steps.
        await queue.submit(chunk.bytes, chunk.path, (matches, scanned, size) => {
          if (configHere) count(scanned, size);
          for (const match of matches) (configHere ? found : elsewhere).push({ match, path: chunk.path, origin });
        });
      }

      const overlay = new LayerOverlay();
      for (const layer of image.layers) {
        options.onLayer?.(image, layer.index);
        const createdBy = steps[layer.index];
        const layerOrigin = { ...base, layer: layer.index, ...layerIds(image, layer.index), ...(createdBy ? { createdBy } : {}) };
        const layerKey = layer.diffId ?? layer.digest ?? `${image.name}\0${image.platform}\0${layer.index}`;
        const here = (filePath: string) => inShard(shard, `${layerKey}\0${filePath}`);
        const sink: WalkSink = {
          file: (filePath, outer, buf) => {
            if (!here(filePath)) return Promise.resolve();
            if (setup.allowlist.pathAllowed(path.join(setup.config.baseDir, filePath.replace(/^\/+/, '')))) {
              suppressed['allow-path'] = (suppressed['allow-path'] ?? 0) + 1;
              return Promise.resolve();
            }
            return queue.submit(buf, filePath, (matches, scanned, size) => {
              count(scanned, size);
              for (const match of matches) {
                const origin: ImageOrigin = { source: 'image-layer', ...layerOrigin, ...(outer !== filePath ? { archive: outer } : {}), visible: true };
                found.push({ match, path: filePath, origin, pending: { layer: layer.index, outer, overlay } });
              }
            });
          },
          skip: (filePath, reason, detail) => {
            if (!here(filePath)) return;
            const at = `layer ${layer.index}${where}`;
            skipped.push({ path: filePath, reason, detail: detail ? `${detail}; ${at}` : at });
          },
        };
        const label = `layer ${layer.index} (${layer.digest ? shortDigest(layer.digest) : layer.location}) of ${image.name} ${image.platform}`;
        try {
          await walkLayer(layer, label, limits, sink, overlay);
        } catch (e) {
          const message = (e as Error).message.startsWith(label) ? (e as Error).message : `${label}: ${(e as Error).message}`;
          errors.push({ ...base, layer: layer.index, ...(layer.digest ? { digest: layer.digest } : {}), message });
          skipped.push({ path: layer.location, reason: 'unreadable', detail: `${message} (the layer was not fully scanned)` });
        }
        options.onProgress?.({ layersDone: ++layersDone, layersTotal, bytes });
      }
      // Visibility is known only once every layer of the image has streamed past.
      await queue.drain();
      for (const f of found) {
        if (!f.pending || f.pending.overlay !== overlay) continue;
        const fate = overlay.fate(f.pending.layer, f.pending.outer.replace(/^\/+/, ''));
        f.origin = { ...f.origin, ...fate };
        delete f.pending;
      }
    }
    await queue.drain();
  } finally {
    await pool.close();
  }

  // Allowlists, .gitleaksignore and the baseline see the path inside the image (the one reported
  // and fingerprinted); only then is each match keyed by its place for grouping.
  const kept = applyAllowlist(setup, found.map(toLocated), suppressed).map(atPlace);
  // Every secret detected, suppressed ones too: a baselined key is still a live key.
  redactBuildSteps(kept, [...found, ...elsewhere].map(toLocated));
  return {
    target: source.target,
    kind: source.kind,
    ...withPartners(groupByImagePlace(kept, setup), setup.rules),
    skipped,
    suppressed,
    errors,
    images: images.map((im) => ({ name: im.name, platform: im.platform, layers: im.layers.length })),
    stats: { files, bytes, durationMs: Math.round(performance.now() - started) },
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
    const origin = m.origin as Partial<ImageOrigin> | undefined;
    if (!origin?.createdBy) continue;
    let step = origin.createdBy;
    for (const secret of secrets) if (step.includes(secret)) step = step.split(secret).join(redactSecret(secret));
    if (step !== origin.createdBy) m.origin = { ...m.origin, createdBy: step };
  }
}

function layerIds(image: ImageEntry, index: number): { layerDigest?: string } {
  const layer = image.layers[index];
  const digest = layer?.digest ?? layer?.diffId;
  return digest ? { layerDigest: digest } : {};
}

/** Places are told apart by image, platform and layer as well as path: the same path in two layers is two places. */
function placeKey(path: string, origin: ImageOrigin): string {
  return `${origin.image}\0${origin.platform}\0${origin.source}\0${origin.layer ?? ''}\0${path}`;
}

function toLocated(f: Found): LocatedMatch {
  return { ...f.match, path: f.path, origin: f.origin as unknown as Record<string, unknown> };
}

function atPlace(m: LocatedMatch): LocatedMatch {
  return { ...m, path: placeKey(m.path, m.origin as unknown as ImageOrigin) };
}

/**
 * groupFindings keyed by place (so one path in two layers or two platforms stays two locations),
 * then each location gets its path inside the image back, and its fingerprint by that path.
 */
function groupByImagePlace(matches: LocatedMatch[], setup: ScanSetup): Finding[] {
  const findings = groupFindings(matches, setup.rules);
  const order = (o: Record<string, unknown> | undefined) => [String(o?.image), String(o?.platform), o?.source === 'image-config' ? 0 : 1, Number(o?.layer ?? -1)] as const;
  for (const f of findings) {
    for (const loc of f.locations) {
      loc.path = loc.path.slice(loc.path.lastIndexOf('\0') + 1);
      loc.fingerprint = locationFingerprint(f.ruleId, f.secret, loc.path);
    }
    f.locations.sort((a, b) => {
      const [ai, ap, as, al] = order(a.origin);
      const [bi, bp, bs, bl] = order(b.origin);
      return ai.localeCompare(bi) || ap.localeCompare(bp) || as - bs || al - bl || a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column;
    });
  }
  return findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.locations[0]!.path.localeCompare(b.locations[0]!.path) || a.locations[0]!.line - b.locations[0]!.line);
}
