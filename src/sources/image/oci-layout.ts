import path from 'node:path';
import { UserError } from '../../errors.js';
import type { Descriptor, ImageEntry, ImageSource, PlatformFilter } from './image-source.js';
import type { LayoutFiles } from './layout-files.js';
import { parseJson, resolveImages, type BlobStore } from './manifests.js';
import { OCI_INDEX } from './media-types.js';

const REF_NAME = 'org.opencontainers.image.ref.name';

/** `blobs/<algorithm>/<hex>` for a digest, refusing digests that would name a path elsewhere. */
export function blobPath(digest: string): string {
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
  if (!m) throw new UserError(`invalid digest ${JSON.stringify(digest)}`);
  return `blobs/${m[1]}/${m[2]}`;
}

/**
 * An OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`), as a directory or a tar.
 * Every manifest index.json names is scanned (each tag, each platform), unless --platform picks.
 */
export class OciLayoutSource implements ImageSource {
  readonly kind = 'oci-layout' as const;

  constructor(
    readonly target: string,
    private readonly files: LayoutFiles,
  ) {}

  private readonly store: BlobStore = {
    open: (desc: Descriptor) => this.files.open(blobPath(desc.digest)),
  };

  async images(platform: PlatformFilter): Promise<ImageEntry[]> {
    const index = parseJson<{ manifests?: Descriptor[] }>(await this.files.read('index.json', 16 * 1024 * 1024), `index.json of ${this.target}`);
    const manifests = index.manifests ?? [];
    if (manifests.length === 0) throw new UserError(`${this.target}: index.json lists no image`);
    const base = path.basename(this.target);
    // One entry per tag, so each image is named by its ref (app:1.2); a tagless one by the layout.
    const images: ImageEntry[] = [];
    const seen = new Set<string>();
    let lastError: UserError | null = null;
    for (const desc of manifests) {
      const ref = desc.annotations?.[REF_NAME];
      const name = ref ? `${base}:${ref}` : base;
      try {
        const found = await resolveImages(this.store, { json: { mediaType: OCI_INDEX, manifests: [desc] }, mediaType: OCI_INDEX }, name, platform);
        for (const image of found) {
          // The same manifest under two tags is one image to scan.
          const key = `${image.configDigest}|${image.platform}`;
          if (seen.has(key)) continue;
          seen.add(key);
          images.push(image);
        }
      } catch (e) {
        if (!(e instanceof UserError) || !platform) throw e;
        lastError = e; // this tag has no such platform; another may
      }
    }
    if (images.length === 0 && lastError) throw lastError;
    return images;
  }
}
