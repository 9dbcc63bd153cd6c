import type { Readable } from 'node:stream';
import { UserError } from '../../errors.js';
import { readAtMost } from '../../io/bounded-read.js';
import { digestHash, shortDigest } from './blob-check.js';
import { platformMatches, platformOf, type Descriptor, type ImageConfig, type ImageEntry, type LayerRef, type PlatformFilter } from './image-source.js';
import { DOCKER_MANIFEST_V1, isIndex, isManifest } from './media-types.js';

/** Manifests and configs are small; a larger "manifest" is not one. */
export const MAX_JSON_BLOB = 16 * 1024 * 1024;

/** Where an OCI layout or a registry keeps its blobs. */
export interface BlobStore {
  /** The blob's bytes, unverified (callers check digests). `what` names it in errors. */
  open(desc: Descriptor, what: string): Promise<Readable>;
  /** Manifests and indexes, where they live apart from blobs (registries). */
  openManifest?(desc: Descriptor, what: string): Promise<Readable>;
}

interface IndexJson {
  mediaType?: string;
  manifests?: Descriptor[];
}

interface ManifestJson {
  mediaType?: string;
  schemaVersion?: number;
  config?: Descriptor;
  layers?: Descriptor[];
}

/** Reads a small blob whole, checking its size and digest: manifests and configs are trusted by digest. */
export async function readJsonBlob<T>(store: BlobStore, desc: Descriptor, what: string, manifest = false): Promise<{ json: T; bytes: Buffer }> {
  if (desc.size > MAX_JSON_BLOB) throw new UserError(`${what} is ${desc.size} bytes, too large for a manifest or config`);
  const stream = manifest && store.openManifest ? await store.openManifest(desc, what) : await store.open(desc, what);
  const bytes = await readAtMost(stream, MAX_JSON_BLOB);
  if (bytes === null) throw new UserError(`${what} is over ${MAX_JSON_BLOB} bytes, too large for a manifest or config`);
  verifyBytes(bytes, desc, what);
  return { json: parseJson<T>(bytes, what), bytes };
}

export function verifyBytes(bytes: Buffer, desc: Descriptor, what: string): void {
  const hash = digestHash(desc.digest);
  if (hash) {
    const actual = `${desc.digest.slice(0, desc.digest.indexOf(':'))}:${hash.update(bytes).digest('hex')}`;
    if (actual !== desc.digest) throw new UserError(`${what}: digest mismatch, content is ${shortDigest(actual)} but ${shortDigest(desc.digest)} was expected`);
  }
  if (desc.size >= 0 && bytes.length !== desc.size) throw new UserError(`${what}: ${bytes.length} bytes where ${desc.size} were expected`);
}

export function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (e) {
    throw new UserError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Attestations (SBOMs, provenance) hang in indexes as manifests of platform unknown/unknown. */
function isAttestation(desc: Descriptor): boolean {
  return desc.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}

/** Picks the manifests of an index (recursing into nested indexes), keeping the platform each names. */
async function collectManifests(store: BlobStore, index: IndexJson, what: string, depth = 0): Promise<{ desc: Descriptor; platform?: string }[]> {
  const out: { desc: Descriptor; platform?: string }[] = [];
  for (const desc of index.manifests ?? []) {
    if (isAttestation(desc)) continue;
    if (isIndex(desc.mediaType)) {
      if (depth >= 4) throw new UserError(`${what}: indexes nested too deep`);
      const nested = await readJsonBlob<IndexJson>(store, desc, `index ${shortDigest(desc.digest)}`, true);
      out.push(...(await collectManifests(store, nested.json, what, depth + 1)));
    } else if (isManifest(desc.mediaType) || desc.mediaType === undefined) {
      out.push({ desc, ...(desc.platform ? { platform: platformOf(desc.platform) } : {}) });
    }
    // Other artifact types (signatures, Helm charts…) are not images.
  }
  return out;
}

/**
 * The images a root manifest or index stands for, each with its config read and its layers ready
 * to stream. `name` names them in the report; `--platform` filters before any config is fetched.
 */
export async function resolveImages(
  store: BlobStore,
  root: { json: unknown; mediaType?: string; digest?: string },
  name: string,
  filter: PlatformFilter,
): Promise<ImageEntry[]> {
  const doc = root.json as IndexJson & ManifestJson;
  const mediaType = root.mediaType ?? doc.mediaType;
  if (mediaType === DOCKER_MANIFEST_V1 || doc.schemaVersion === 1) {
    throw new UserError(`${name} uses the Docker v1 manifest format, which secretscan does not read`, 'copy it to a current registry or archive format first, e.g. with skopeo copy');
  }
  let candidates: { desc?: Descriptor; manifest?: ManifestJson; platform?: string }[];
  if (doc.manifests && !doc.layers) {
    candidates = await collectManifests(store, doc, name);
  } else if (doc.layers) {
    candidates = [{ manifest: doc }];
  } else {
    throw new UserError(`${name}: neither an image manifest nor an index (media type ${mediaType ?? 'unknown'})`);
  }
  const known = candidates.map((c) => c.platform).filter((p): p is string => p !== undefined);
  const images: ImageEntry[] = [];
  const seenPlatforms: string[] = [];
  for (const c of candidates) {
    if (c.platform && !platformMatches(c.platform, filter)) continue;
    const manifest = c.manifest ?? (await readJsonBlob<ManifestJson>(store, c.desc!, `manifest ${shortDigest(c.desc!.digest)} of ${name}`, true)).json;
    const image = await imageFromManifest(store, manifest, name, c.platform);
    seenPlatforms.push(image.platform);
    if (!platformMatches(image.platform, filter)) continue;
    images.push(image);
  }
  if (images.length === 0 && filter) {
    const have = [...new Set([...known, ...seenPlatforms])];
    throw new UserError(`${name} has no image for platform ${filter}`, `it has: ${have.join(', ') || 'no platform information'}`);
  }
  if (images.length === 0) throw new UserError(`${name} holds no image manifest`);
  return images;
}

async function imageFromManifest(store: BlobStore, manifest: ManifestJson, name: string, platform: string | undefined): Promise<ImageEntry> {
  if (!manifest.config || !manifest.layers) throw new UserError(`${name}: a manifest without config or layers`);
  const configDesc = manifest.config;
  const { json: config } = await readJsonBlob<ImageConfig>(store, configDesc, `config ${shortDigest(configDesc.digest)} of ${name}`);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerRef[] = manifest.layers.map((desc, index) => ({
    index,
    digest: desc.digest,
    ...(diffIds[index] ? { diffId: diffIds[index] } : {}),
    ...(desc.mediaType ? { mediaType: desc.mediaType } : {}),
    size: desc.size,
    location: `blobs/${desc.digest.replace(':', '/')}`,
    open: () => store.open(desc, `layer ${index} (${shortDigest(desc.digest)}) of ${name}`),
  }));
  return {
    name,
    platform: platform ?? platformOf(config),
    configDigest: configDesc.digest,
    config,
    layers,
  };
}
