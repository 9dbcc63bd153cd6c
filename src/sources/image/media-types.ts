/** Media types of the OCI image spec and of Docker's v2 manifests, and what each one holds. */

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_V1 = 'application/vnd.docker.distribution.manifest.v1+prettyjws';

/** What a registry is asked for: any kind of index or manifest we can read. */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].join(', ');

export function isIndex(mediaType: string | undefined): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

export function isManifest(mediaType: string | undefined): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;
}

export type Compression = 'none' | 'gzip' | 'zstd';

/**
 * The compression a layer's media type declares (OCI `+gzip`/`+zstd`, Docker's `tar.gzip`), or
 * null when the type does not say (the bytes' magic number decides then).
 */
export function declaredCompression(mediaType: string | undefined): Compression | null {
  if (!mediaType) return null;
  if (/[+.](gzip|gz)$/.test(mediaType) || mediaType.endsWith('.tar.gzip')) return 'gzip';
  if (/[+.]zstd$/.test(mediaType)) return 'zstd';
  if (/\.tar$/.test(mediaType)) return 'none';
  return null;
}

/** Compression named by a blob's first bytes: gzip 1f 8b, zstd frame 28 b5 2f fd. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** Layers that are foreign (Windows base layers) are listed with these types and may not be served. */
export function isForeignLayer(mediaType: string | undefined): boolean {
  return mediaType !== undefined && mediaType.includes('foreign');
}
