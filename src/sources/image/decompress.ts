import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import { sniffCompression, type Compression } from './media-types.js';

/** Output chunks of 64 KiB: fewer, larger chunks cost less per byte in the tar parser. */
const CHUNK = 64 * 1024;

interface Inner {
  write(chunk: Buffer, done: (err?: Error | null) => void): void;
  end(done: (err?: Error | null) => void): void;
}

/** Node 22.15+ has zstd in zlib; Node 20 does not, and fzstd (pure JS) stands in. */
type ZstdFactory = (options?: { chunkSize?: number }) => zlib.Gunzip;
const nativeZstd = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

/**
 * Decompresses a layer blob: gzip, zstd or none, chosen by the first bytes (media types lie:
 * Docker's `.tar` layers are sometimes gzip), with the declared compression only as a fallback
 * for blobs too short to sniff.
 */
export class LayerDecompressor extends Transform {
  private head: Buffer | null = Buffer.alloc(0);
  private inner: Inner | null = null;
  compression: Compression | null = null;

  constructor(private readonly declared: Compression | null) {
    super({ readableHighWaterMark: 4 * CHUNK });
  }

  private start(head: Buffer): void {
    const sniffed = sniffCompression(head);
    this.compression = head.length >= 4 || this.declared === null ? sniffed : this.declared;
    if (this.compression === 'gzip') this.inner = this.fromZlib(zlib.createGunzip({ chunkSize: CHUNK }));
    else if (this.compression === 'zstd') this.inner = nativeZstd ? this.fromZlib(nativeZstd({ chunkSize: CHUNK })) : this.fromFzstd();
  }

  private fromZlib(z: zlib.Gunzip): Inner {
    z.on('data', (d: Buffer) => this.push(d));
    z.on('error', (e) => this.destroy(new Error(`${this.compression} data is corrupt: ${e.message}`)));
    return {
      write: (chunk, done) => (z.write(chunk) ? done() : z.once('drain', () => done())),
      end: (done) => {
        z.once('end', () => done());
        z.end();
      },
    };
  }

  private fromFzstd(): Inner {
    const z = new ZstdStream((data) => {
      if (data.length) this.push(Buffer.from(data));
    });
    const guard = (fn: () => void, done: (err?: Error | null) => void) => {
      try {
        fn();
        done();
      } catch (e) {
        done(new Error(`zstd data is corrupt or truncated: ${(e as Error).message}`));
      }
    };
    return {
      write: (chunk, done) => guard(() => z.push(chunk), done),
      end: (done) => guard(() => z.push(new Uint8Array(0), true), done),
    };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.head) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 4) {
        done();
        return;
      }
      chunk = this.head;
      this.head = null;
      this.start(chunk);
    }
    if (this.inner) this.inner.write(chunk, done);
    else done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.head) {
      const head = this.head;
      this.head = null;
      this.start(head);
      if (head.length) {
        if (this.inner) {
          this.inner.write(head, (err) => (err ? done(err) : this.finishInner(done)));
          return;
        }
        this.push(head);
      }
    }
    this.finishInner(done);
  }

  private finishInner(done: TransformCallback): void {
    if (this.inner) this.inner.end((err) => done(err));
    else done();
  }
}
