// Reads a whole stream, but never more than a limit: for answers and blobs from untrusted places.

/**
 * The bytes of `stream` (a Node Readable or a web ReadableStream), or null as soon as they pass
 * `limit`. Leaving the loop early destroys a Node stream and cancels a web stream, so an endless
 * body stops being read.
 */
export async function readAtMost(stream: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limit) return null;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}
