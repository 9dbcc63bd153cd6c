/**
 * Contents of blobs kept for the later versions of the same file, which are scanned only where
 * they differ. Bounded in bytes: when full, the oldest entries go, and a version whose previous
 * one is gone is scanned whole (slower, never wrong).
 */
export class VersionCache {
  private readonly entries = new Map<string, Buffer>();
  /** oid → later versions announced by the history walk and not read yet. */
  private readonly waiting = new Map<string, number>();
  private bytes = 0;
  private walkDone = false;

  constructor(private readonly capBytes: number) {}

  /** A later version names `oid` as its previous one. */
  expect(oid: string): void {
    this.waiting.set(oid, (this.waiting.get(oid) ?? 0) + 1);
  }

  /** Keeps `content` (a copy, unless `owned`) while some later version may still need it. */
  keep(oid: string, content: Buffer, owned: boolean): void {
    if (this.walkDone && !this.waiting.has(oid)) return;
    if (this.entries.has(oid) || content.length > this.capBytes / 4) return;
    this.entries.set(oid, owned ? content : Buffer.from(content));
    this.bytes += content.length;
    for (const [old, buf] of this.entries) {
      if (this.bytes <= this.capBytes) break;
      this.drop(old, buf);
    }
  }

  /** The content of `oid` for one of its announced later versions, if still held. */
  take(oid: string): Buffer | undefined {
    const buf = this.entries.get(oid);
    const left = (this.waiting.get(oid) ?? 1) - 1;
    if (left > 0) this.waiting.set(oid, left);
    else {
      this.waiting.delete(oid);
      if (buf && this.walkDone) this.drop(oid, buf);
    }
    return buf;
  }

  /** The walk is over: every later version is announced, so what nothing waits for can go. */
  finishWalk(): void {
    this.walkDone = true;
    for (const [oid, buf] of this.entries) if (!this.waiting.has(oid)) this.drop(oid, buf);
  }

  private drop(oid: string, buf: Buffer): void {
    this.entries.delete(oid);
    this.bytes -= buf.length;
  }
}
