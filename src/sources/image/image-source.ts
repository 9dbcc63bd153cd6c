import type { Readable } from 'node:stream';

/** An OCI descriptor: what a manifest or index says about a blob it points to. */
export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
  urls?: string[];
}

/** The parts of an image config (OCI image config / Docker image JSON) that secretscan reads. */
export interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: {
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
  } | null;
  history?: { created_by?: string; empty_layer?: boolean; comment?: string }[];
  rootfs?: { type?: string; diff_ids?: string[] };
}

/** One layer of one image, opened lazily: its bytes are streamed when the scan reaches it. */
export interface LayerRef {
  /** 0 for the base layer. */
  index: number;
  /** Digest of the blob as stored (compressed or not), when the source knows it. */
  digest?: string;
  /** sha256 of the uncompressed tar, from the config's rootfs.diff_ids. */
  diffId?: string;
  mediaType?: string;
  /** Size of the blob as stored, when known. */
  size?: number;
  /** Where the blob lives, for messages: "blobs/sha256/1a2b…", "abc/layer.tar". */
  location: string;
  open(): Promise<Readable>;
}

/** One image of one platform, its config already read. */
export interface ImageEntry {
  /** A name for the report: the reference, a RepoTag, or the archive's file name. */
  name: string;
  /** `os/architecture[/variant]`, e.g. linux/amd64. */
  platform: string;
  configDigest?: string;
  config: ImageConfig;
  layers: LayerRef[];
}

export type ImageSourceKind = 'docker-archive' | 'oci-layout' | 'registry';

/** Platform filter: `linux/amd64`, `linux/arm64/v8`, `linux/arm64` (any variant). */
export type PlatformFilter = string | undefined;

/** A docker-archive, an OCI layout or a registry: lists its images and opens their blobs. */
export interface ImageSource {
  kind: ImageSourceKind;
  /** What the user named, as shown in the report. */
  target: string;
  images(platform: PlatformFilter): Promise<ImageEntry[]>;
}

export function platformOf(p: { os?: string; architecture?: string; variant?: string } | undefined): string {
  if (!p || (!p.os && !p.architecture)) return 'unknown';
  return [p.os ?? 'unknown', p.architecture ?? 'unknown', ...(p.variant ? [p.variant] : [])].join('/');
}

/** Does `platform` (os/arch[/variant]) answer the user's --platform? A filter without variant takes any. */
export function platformMatches(platform: string, filter: PlatformFilter): boolean {
  if (!filter) return true;
  const want = filter.toLowerCase().split('/');
  const have = platform.toLowerCase().split('/');
  // arm64 images are published as arm64 or arm64/v8: treat the two as one.
  if (want[1] === 'arm64' && want[2] === 'v8') want.pop();
  if (have[1] === 'arm64' && have[2] === 'v8') have.pop();
  return want.every((part, i) => have[i] === part);
}
