import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** A blob whose bytes do not match what its manifest promised: wrong digest, short or long. */
export class BlobIntegrityError extends Error {
  constructor(
    message: string,
    readonly kind: 'digest-mismatch' | 'truncated' | 'size-mismatch',
  ) {
    super(message);
    this.name = 'BlobIntegrityError';
  }
}

const ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha512: 'sha512' };

/** `sha256:<hex>` → the hash to compute it, or null for an algorithm we cannot check. */
export function digestHash(digest: string): Hash | null {
  const algo = ALGORITHMS[digest.slice(0, digest.indexOf(':'))];
  return algo ? createHash(algo) : null;
}

export function shortDigest(digest: string | undefined): string {
  if (!digest) return '?';
  const colon = digest.indexOf(':');
  return colon === -1 ? digest.slice(0, 12) : `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}

export interface Expected {
  /** `sha256:<hex>` of the bytes passing through; unchecked when absent. */
  digest?: string;
  /** Exact byte count; unchecked when absent. */
  size?: number;
  /** Names the blob in errors: "layer 2 (sha256:1a2b…)". */
  label: string;
}

/**
 * Passes bytes through unchanged, hashing and counting them; at the end, fails the stream when
 * the count or the digest differs from what was promised. Bytes past a promised size fail at once.
 */
export class BlobCheck extends Transform {
  private readonly hash: Hash | null;
  private seen = 0;

  constructor(private readonly expected: Expected) {
    super();
    this.hash = expected.digest ? digestHash(expected.digest) : null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    const { size, label } = this.expected;
    if (size !== undefined && this.seen > size) {
      done(new BlobIntegrityError(`${label}: more bytes than the ${size} its manifest lists`, 'size-mismatch'));
      return;
    }
    this.hash?.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const { size, digest, label } = this.expected;
    if (size !== undefined && this.seen < size) {
      done(new BlobIntegrityError(`${label}: truncated, ${this.seen} of ${size} bytes`, 'truncated'));
      return;
    }
    if (this.hash && digest) {
      const actual = `${digest.slice(0, digest.indexOf(':'))}:${this.hash.digest('hex')}`;
      if (actual !== digest) {
        done(new BlobIntegrityError(`${label}: digest mismatch, content is ${shortDigest(actual)} but ${shortDigest(digest)} was expected`, 'digest-mismatch'));
        return;
      }
    }
    done();
  }
}
