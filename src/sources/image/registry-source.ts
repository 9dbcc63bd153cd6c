import { UserError } from '../../errors.js';
import type { Descriptor, ImageEntry, ImageSource, PlatformFilter } from './image-source.js';
import { MAX_JSON_BLOB, resolveImages, verifyBytes, type BlobStore } from './manifests.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { lookupCredentials } from './registry-auth.js';
import { readBody, RegistryClient } from './registry-client.js';
import { formatReference, referenceTarget, type ImageReference } from './reference.js';
import { digestHash } from './blob-check.js';

export interface RegistrySourceOptions {
  insecure: boolean;
  env?: NodeJS.ProcessEnv;
}

/** An image in a registry: manifests fetched by reference, layers streamed blob by blob. */
export class RegistrySource implements ImageSource {
  readonly kind = 'registry' as const;

  private constructor(
    readonly target: string,
    private readonly reference: ImageReference,
    private readonly client: RegistryClient,
  ) {}

  static async open(reference: ImageReference, text: string, options: RegistrySourceOptions): Promise<RegistrySource> {
    const credentials = lookupCredentials(reference.registry, options.env ?? process.env);
    const client = new RegistryClient(reference.registry, reference.repository, { insecure: options.insecure, credentials });
    return new RegistrySource(text, reference, client);
  }

  private readonly store: BlobStore = {
    open: async (desc: Descriptor, what: string) => (await this.client.get(`blobs/${desc.digest}`, '*/*', what)).body,
    openManifest: async (desc: Descriptor, what: string) => (await this.client.get(`manifests/${desc.digest}`, MANIFEST_ACCEPT, what)).body,
  };

  async images(platform: PlatformFilter): Promise<ImageEntry[]> {
    const name = formatReference(this.reference);
    const ref = referenceTarget(this.reference);
    const res = await this.client.get(`manifests/${ref}`, MANIFEST_ACCEPT, `manifest ${name}`);
    const bytes = await readBody(res, MAX_JSON_BLOB, `manifest ${name}`);
    if (this.reference.digest) verifyBytes(bytes, { digest: this.reference.digest, size: bytes.length }, `manifest ${name}`);
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim();
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new UserError(`the manifest of ${name} is not JSON (content type ${mediaType ?? 'none'})`);
    }
    const digest = this.reference.digest ?? `sha256:${digestHash('sha256:')!.update(bytes).digest('hex')}`;
    return resolveImages(this.store, { json, ...(mediaType ? { mediaType } : {}), digest }, name, platform);
  }
}
