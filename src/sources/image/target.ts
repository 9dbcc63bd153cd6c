import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { DockerArchiveSource } from './docker-archive.js';
import type { ImageSource } from './image-source.js';
import { DirectoryFiles, TarFiles, type LayoutFiles } from './layout-files.js';
import { sniffCompression } from './media-types.js';
import { OciLayoutSource } from './oci-layout.js';
import { parseReference, type ImageReference } from './reference.js';

/** What a TARGET names: an archive or layout on disk, or an image in a registry. */
export type ImageTarget =
  | { kind: 'path'; path: string; as?: 'docker-archive' | 'oci' }
  /** In the registry; `tryEngines`: a bare name, looked for in the local engines first. */
  | { kind: 'reference'; reference: ImageReference; text: string; tryEngines?: boolean }
  /** Only in a local engine (docker-daemon:NAME, podman:NAME). */
  | { kind: 'engine'; engine: 'docker' | 'podman'; name: string };

/** skopeo-style transports, to say which kind a target is when the guess would be wrong. */
const TRANSPORTS: Record<string, 'docker-archive' | 'oci' | 'docker' | 'docker-daemon' | 'podman'> = {
  'docker-archive:': 'docker-archive',
  'oci:': 'oci',
  'oci-archive:': 'oci',
  'docker://': 'docker',
  'registry:': 'docker',
  'docker-daemon:': 'docker-daemon',
  'podman:': 'podman',
};

/** Things that read as paths, not references: they must exist. */
function looksLikePath(text: string): boolean {
  return /^(\.{0,2}\/|~)/.test(text) || text.includes('\\') || /\.(tar|tar\.gz|tgz|tar\.zst|oci)$/i.test(text);
}

/**
 * Decides what TARGET is: a path that exists is a file or a directory to inspect; anything else
 * must parse as an image reference. Neither is a usage error naming both readings.
 */
export async function classifyTarget(text: string): Promise<ImageTarget> {
  for (const [prefix, kind] of Object.entries(TRANSPORTS)) {
    if (!text.startsWith(prefix)) continue;
    const rest = text.slice(prefix.length);
    if (kind === 'docker-daemon' || kind === 'podman') {
      if (!rest) throw new UserError(`${prefix} needs an image name`, `e.g. ${prefix}myapp:latest`);
      return { kind: 'engine', engine: kind === 'podman' ? 'podman' : 'docker', name: rest };
    }
    if (kind === 'docker') {
      const reference = parseReference(rest);
      if (!reference) throw new UserError(`${rest} is not an image reference`, 'write registry.example.com/team/app:tag or name@sha256:…');
      return { kind: 'reference', reference, text: rest };
    }
    return { kind: 'path', path: rest, as: kind };
  }
  if (await exists(text)) return { kind: 'path', path: text };
  if (looksLikePath(text)) throw new UserError(`${text}: no such file or directory`, 'name a docker save tarball, an OCI layout (directory or tar) or a registry reference');
  const reference = parseReference(text);
  if (!reference) {
    throw new UserError(
      `${text} is neither a file or directory here nor an image reference`,
      'name a docker save tarball, an OCI layout, or a reference such as registry.example.com/team/app:1.2, alpine:3.20 or name@sha256:…',
    );
  }
  return { kind: 'reference', reference, text, tryEngines: true };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Opens an archive or layout on disk as an image source, by what it holds. */
export async function openPathSource(target: string, as?: 'docker-archive' | 'oci'): Promise<ImageSource> {
  let info;
  try {
    info = await stat(target);
  } catch (e) {
    throw new UserError(`${target}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  let files: LayoutFiles;
  if (info.isDirectory()) {
    files = new DirectoryFiles(target);
  } else if (info.isFile()) {
    const compression = await headCompression(target);
    if (compression !== 'none') {
      throw new UserError(`${target} is a ${compression}-compressed file; secretscan reads image archives uncompressed`, `decompress it first, e.g. ${compression === 'gzip' ? 'gunzip -k' : 'zstd -d'} ${path.basename(target)}`);
    }
    files = await TarFiles.open(target);
  } else {
    throw new UserError(`${target} is neither a file nor a directory`);
  }
  const isOci = (await files.has('oci-layout')) && (await files.has('index.json'));
  const isDocker = await files.has('manifest.json');
  // docker save (Docker 25+) writes both; the OCI side carries media types and platforms.
  if (as === 'oci' || (as === undefined && isOci)) {
    if (!isOci) throw new UserError(`${target} is not an OCI image layout (no oci-layout and index.json)`);
    return new OciLayoutSource(target, files);
  }
  if (isDocker) return new DockerArchiveSource(target, files);
  throw new UserError(
    `${target} is neither a docker save archive (no manifest.json) nor an OCI image layout (no oci-layout and index.json)`,
    info.isDirectory() ? 'name the folder that holds index.json or manifest.json' : undefined,
  );
}

async function headCompression(file: string): Promise<'none' | 'gzip' | 'zstd'> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return sniffCompression(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
