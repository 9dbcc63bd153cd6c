/** Bytes of one slab of the cache's ring. */
export const SLAB_BYTES = 8 * 1024 * 1024;

interface Entry {
  /** A view into a slab, or a buffer of its own for a version larger than a slab. */
  bytes: Buffer;
  /** Where it starts in the ring's running count of bytes written (-1: a buffer of its own). */
  at: number;
}

/**
 * Contents of blobs kept for the later versions of the same file, which are scanned only where
 * they differ. Bounded in bytes: when full, the oldest entries go, and a version whose previous
 * one is gone is scanned whole (slower, never wrong).
 *
 * Versions are copied into a ring of slabs (allocated as the ring first grows, then written over
 * from the oldest): a history of gigabytes makes a few dozen allocations, not one per version.
 * The ring takes three quarters of the bound; a version larger than a slab gets a buffer of its
 * own, and those share the last quarter.
 */
export class VersionCache {
  /** Insertion order is age: the first entry is the oldest. */
  private readonly entries = new Map<string, Entry>();
  /** oid → later versions announced by the history walk and not read yet. */
  private readonly waiting = new Map<string, number>();
  private readonly slabs: Buffer[] = [];
  private readonly ringBytes: number;
  private readonly ownCap: number;
  /** Bytes written into the ring so far (slab tails skipped included): the next entry's place. */
  private written = 0;
  /** Bytes held in buffers of their own. */
  private ownBytes = 0;
  private walkDone = false;

  constructor(capBytes: number) {
    this.ringBytes = Math.max(1, Math.floor((capBytes * 3) / 4 / SLAB_BYTES)) * SLAB_BYTES;
    this.ownCap = Math.max(0, capBytes - this.ringBytes);
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
      this.entries.set(oid, { bytes: Buffer.from(content), at: -1 });
      return;
    }
    let at = this.written;
    // An entry never straddles two slabs: skip the rest of this one.
    if (Math.floor(at / SLAB_BYTES) !== Math.floor((at + content.length - 1) / SLAB_BYTES)) at = Math.ceil(at / SLAB_BYTES) * SLAB_BYTES;
    this.written = at + content.length;
    // Whatever the ring wrote one lap before this stretch is written over now.
    this.evictBefore(this.written - this.ringBytes);
    const index = Math.floor(at / SLAB_BYTES) % (this.ringBytes / SLAB_BYTES);
    const slab = (this.slabs[index] ??= Buffer.allocUnsafeSlow(SLAB_BYTES));
    const start = at % SLAB_BYTES;
    content.copy(slab, start);
    this.entries.set(oid, { bytes: slab.subarray(start, start + content.length), at });
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

  /** Bytes held: the ring's live entries and the buffers of their own. */
  get heldBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes.length;
    return n;
  }

  /** Drops the ring's entries that start before `position`, oldest first. */
  private evictBefore(position: number): void {
    for (const [oid, entry] of this.entries) {
      if (entry.at >= position) break;
      // Own buffers are older or newer than ring entries alike: only the ring's are written over.
      if (entry.at >= 0) this.drop(oid, entry);
    }
  }

  /** Drops the oldest buffers of their own while they pass their share of the bound. */
  private evictOwn(): void {
    for (const [oid, entry] of this.entries) {
      if (this.ownBytes <= this.ownCap) break;
      if (entry.at < 0) this.drop(oid, entry);
    }
  }

  private drop(oid: string, entry: Entry): void {
    this.entries.delete(oid);
    if (entry.at < 0) this.ownBytes -= entry.bytes.length;
  }
}
