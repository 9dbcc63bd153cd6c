import path from 'node:path';
import { UserError } from '../../errors.js';
import { shortDigest } from './blob-check.js';
import { platformMatches, platformOf, type ImageConfig, type ImageEntry, type ImageSource, type LayerRef, type PlatformFilter } from './image-source.js';
import type { LayoutFiles } from './layout-files.js';
import { MAX_JSON_BLOB, parseJson, verifyBytes } from './manifests.js';

/** One entry of a `docker save` manifest.json. */
interface ArchiveManifest {
  Config?: string;
  RepoTags?: string[] | null;
  Layers?: string[];
}

/** The digest a member's path spells (`blobs/sha256/<hex>`, `<hex>.json`), if any. */
function digestFromPath(rel: string): string | undefined {
  const blob = /(?:^|\/)blobs\/(sha256|sha512)\/([a-f0-9]{64,128})$/.exec(rel);
  if (blob) return `${blob[1]}:${blob[2]}`;
  const legacy = /^([a-f0-9]{64})\.json$/.exec(rel);
  return legacy ? `sha256:${legacy[1]}` : undefined;
}

/**
 * A `docker save` archive (or the same files unpacked in a directory): manifest.json lists each
 * image's config and layer tars. Legacy archives name layers `<id>/layer.tar`; their bytes are
 * checked against the config's diff_ids instead of a blob digest.
 */
export class DockerArchiveSource implements ImageSource {
  readonly kind = 'docker-archive' as const;

  constructor(
    readonly target: string,
    private readonly files: LayoutFiles,
  ) {}

  async images(platform: PlatformFilter): Promise<ImageEntry[]> {
    const manifest = parseJson<ArchiveManifest[]>(await this.files.read('manifest.json', MAX_JSON_BLOB), `manifest.json of ${this.target}`);
    if (!Array.isArray(manifest) || manifest.length === 0) throw new UserError(`${this.target}: manifest.json lists no image`);
    const images: ImageEntry[] = [];
    const platforms: string[] = [];
    for (const [i, entry] of manifest.entries()) {
      if (!entry.Config || !Array.isArray(entry.Layers)) throw new UserError(`${this.target}: manifest.json entry ${i} has no Config or Layers`);
      const name = entry.RepoTags?.[0] ?? (manifest.length > 1 ? `${path.basename(this.target)}#${i}` : path.basename(this.target));
      const configBytes = await this.files.read(entry.Config, MAX_JSON_BLOB);
      const configDigest = digestFromPath(entry.Config);
      if (configDigest) verifyBytes(configBytes, { digest: configDigest, size: configBytes.length }, `config ${entry.Config} of ${name}`);
      const config = parseJson<ImageConfig>(configBytes, `config ${entry.Config} of ${name}`);
      const imagePlatform = platformOf(config);
      platforms.push(imagePlatform);
      if (!platformMatches(imagePlatform, platform)) continue;
      const diffIds = config.rootfs?.diff_ids ?? [];
      const layers: LayerRef[] = [];
      for (const [index, rel] of entry.Layers.entries()) {
        const digest = digestFromPath(rel);
        const size = await this.files.size(rel);
        const label = `layer ${index} (${digest ? shortDigest(digest) : rel}) of ${name}`;
        layers.push({
          index,
          ...(digest ? { digest } : {}),
          ...(diffIds[index] ? { diffId: diffIds[index] } : {}),
          ...(size !== undefined ? { size } : {}),
          location: rel,
          open: () => this.files.open(rel).catch((e: Error) => Promise.reject(new Error(`${label}: ${e.message}`))),
        });
      }
      images.push({ name, platform: imagePlatform, ...(configDigest ? { configDigest } : {}), config, layers });
    }
    if (images.length === 0) {
      throw new UserError(`${this.target} has no image for platform ${platform}`, `it has: ${[...new Set(platforms)].join(', ')}`);
    }
    return images;
  }
}
