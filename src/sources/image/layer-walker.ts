import { pipeline, type Readable } from 'node:stream';
import { BlobCheck, shortDigest } from './blob-check.js';
import { LayerDecompressor } from './decompress.js';
import type { LayerRef } from './image-source.js';
import { declaredCompression, type Compression } from './media-types.js';
import { entryEffect, type LayerOverlay } from './overlay.js';
import { walkTar, type WalkLimits, type WalkSink } from './tar-walk.js';

export interface LayerWalk {
  compression: Compression | null;
  /** Bytes of the blob as stored. */
  blobBytes: number;
}

/**
 * Streams one layer: blob bytes → digest and size check → gzip/zstd/none → tar entries → sink.
 * Nothing is written to disk and no layer is held whole. Entries feed `overlay` (whiteouts,
 * opaque dirs, rewrites). Rejects when the blob is unreadable, corrupt, truncated or does not
 * match its digest; entries already handed to the sink before that stay handed.
 */
export async function walkLayer(layer: LayerRef, label: string, limits: WalkLimits, sink: WalkSink, overlay: LayerOverlay): Promise<LayerWalk> {
  const source: Readable = await layer.open();
  let blobBytes = 0;
  source.on('data', (c: Buffer) => (blobBytes += c.length));
  const stored = new BlobCheck({ ...(layer.digest ? { digest: layer.digest } : {}), ...(layer.size !== undefined ? { size: layer.size } : {}), label });
  const decompress = new LayerDecompressor(declaredCompression(layer.mediaType));
  // Without a blob digest (legacy docker save), the uncompressed bytes are checked against diff_ids.
  const stages: NodeJS.ReadWriteStream[] = [stored, decompress];
  if (!layer.digest && layer.diffId) stages.push(new BlobCheck({ digest: layer.diffId, label: `${label} (uncompressed, diff_id ${shortDigest(layer.diffId)})` }));
  let chainError: Error | null = null;
  let tarInput!: Readable;
  const chainDone = new Promise<void>((resolve) => {
    // pipeline destroys every stage on error; the tar walker sees the error through its input.
    const last = pipeline([source, ...stages] as unknown as [Readable, ...NodeJS.ReadWriteStream[]], (err) => {
      if (err) chainError = err;
      resolve();
    }) as unknown as Readable;
    tarInput = last;
  });
  try {
    await walkTar(tarInput, '', null, 0, limits, sink, (e) => overlay.record(layer.index, entryEffect(e.name), e.type === 'directory'));
  } catch (e) {
    // Every stage, not only the source: one that has read all its input may still be waiting on
    // a reader to take its output (the zstd child, a paused decoder) and would never end.
    const stopped = new Error('the layer walk stopped');
    for (const s of [source, ...stages]) (s as unknown as Readable).destroy(stopped);
    await chainDone;
    // An error of the chain itself (corrupt data, a digest mismatch) is why the walk failed.
    throw chainError && chainError !== stopped ? chainError : e;
  }
  // The tar may end before the blob does (padding): drain it so that the digest is checked.
  tarInput.resume();
  await chainDone;
  if (chainError) throw chainError;
  return { compression: decompress.compression, blobBytes };
}
