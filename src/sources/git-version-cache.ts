/** Bytes of one slab of the cache. */
export const SLAB_BYTES = 8 * 1024 * 1024;

interface Slab {
  bytes: Buffer;
  /** Bytes handed out from its start. */
  used: number;
  /** Entries still held in it: at 0 (and not being filled) it is free for new ones. */
  live: number;
}

interface Entry {
  /** A view into a slab, or a buffer of its own for a version larger than a slab. */
  bytes: Buffer;
  slab: Slab | null;
}

/**
 * Contents of blobs kept for the later versions of the same file, which are scanned only where
 * they differ. Bounded in bytes: when full, the oldest entries go, and a version whose previous
 * one is gone is scanned whole (slower, never wrong).
 *
 * Versions are copied into 8 MiB slabs, filled one after the other; a slab whose versions are all
 * gone is filled again. A history of gigabytes so makes a few dozen allocations, not one per
 * version, and memory grows only as far as the versions still awaited need. Slabs take three
 * quarters of the bound; a version larger than a slab gets a buffer of its own, and those share
 * the last quarter.
 */
export class VersionCache {
  /** Insertion order is age: the first entry is the oldest. */
  private readonly entries = new Map<string, Entry>();
  /** oid → later versions announced by the history walk and not read yet. */
  private readonly waiting = new Map<string, number>();
  private readonly slabs: Slab[] = [];
  private readonly free: Slab[] = [];
  private current: Slab | null = null;
  private readonly maxSlabs: number;
  private readonly ownCap: number;
  /** Bytes held in buffers of their own. */
  private ownBytes = 0;
  private walkDone = false;

  constructor(capBytes: number) {
    this.maxSlabs = Math.max(1, Math.floor((capBytes * 3) / 4 / SLAB_BYTES));
    this.ownCap = Math.max(0, capBytes - this.maxSlabs * SLAB_BYTES);
  }

  /** A later version names `oid` as its previous one. */
  expect(oid: string): void {
    this.waiting.set(oid, (this.waiting.get(oid) ?? 0) + 1);
  }

  /**
   * Keeps a copy of `content` while some later version may still need it. What `take` returned
   * earlier may be written over from here on: use it before keeping the next version.
   */
  keep(oid: string, content: Buffer): void {
    if (this.walkDone && !this.waiting.has(oid)) return;
    if (this.entries.has(oid)) return;
    if (content.length > SLAB_BYTES) {
      if (content.length > this.ownCap) return;
      this.ownBytes += content.length;
      this.evictOwn();
      this.entries.set(oid, { bytes: Buffer.from(content), slab: null });
      return;
    }
    const slab = this.room(content.length);
    content.copy(slab.bytes, slab.used);
    this.entries.set(oid, { bytes: slab.bytes.subarray(slab.used, slab.used + content.length), slab });
    slab.used += content.length;
    slab.live++;
  }

  /** The content of `oid` for one of its announced later versions, if still held. */
  take(oid: string): Buffer | undefined {
    const entry = this.entries.get(oid);
    const left = (this.waiting.get(oid) ?? 1) - 1;
    if (left > 0) this.waiting.set(oid, left);
    else {
      this.waiting.delete(oid);
      if (entry && this.walkDone) this.drop(oid, entry);
    }
    return entry?.bytes;
  }

  /** The walk is over: every later version is announced, so what nothing waits for can go. */
  finishWalk(): void {
    this.walkDone = true;
    for (const [oid, entry] of this.entries) if (!this.waiting.has(oid)) this.drop(oid, entry);
  }

  /** Bytes of the versions held. */
  get heldBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes.length;
    return n;
  }

  /** Bytes allocated: the slabs and the buffers of their own. */
  get allocatedBytes(): number {
    return this.slabs.length * SLAB_BYTES + this.ownBytes;
  }

  /** A slab with `length` bytes free at its end: the one being filled, a free one, a new one, or one emptied of the oldest versions. */
  private room(length: number): Slab {
    if (this.current && SLAB_BYTES - this.current.used >= length) return this.current;
    const done = this.current;
    this.current = null;
    if (done && done.live === 0) this.release(done);
    let next = this.free.pop();
    if (!next && this.slabs.length < this.maxSlabs) {
      next = { bytes: Buffer.allocUnsafeSlow(SLAB_BYTES), used: 0, live: 0 };
      this.slabs.push(next);
    }
    if (!next) {
      for (const [oid, entry] of this.entries) {
        if (entry.slab) this.drop(oid, entry);
        if (this.free.length > 0) break;
      }
      next = this.free.pop()!;
    }
    this.current = next;
    return next;
  }

  private release(slab: Slab): void {
    slab.used = 0;
    this.free.push(slab);
  }

  /** Drops the oldest buffers of their own while they pass their share of the bound. */
  private evictOwn(): void {
    for (const [oid, entry] of this.entries) {
      if (this.ownBytes <= this.ownCap) break;
      if (!entry.slab) this.drop(oid, entry);
    }
  }

  private drop(oid: string, entry: Entry): void {
    this.entries.delete(oid);
    if (!entry.slab) {
      this.ownBytes -= entry.bytes.length;
      return;
    }
    if (--entry.slab.live === 0 && entry.slab !== this.current) this.release(entry.slab);
  }
}
