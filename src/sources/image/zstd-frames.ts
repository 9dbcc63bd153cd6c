/**
 * Finds where zstd frames start and end in a stream (RFC 8878 §3.1), without decoding them: the
 * frame header's length from its descriptor, then block headers, each with the size of its
 * content, then the optional checksum. Skippable frames (magic 0x184D2A5?) are stepped over.
 *
 * Node's own zstd decoder (zlib.createZstdDecompress) stops at the end of the first frame and
 * drops the rest without a word, and ends without an error on a frame cut short; zstd:chunked
 * layers are many frames. So each frame is given to a decoder of its own, and the stream must end
 * on a frame boundary.
 *
 * A frame's header also says how much memory decoding it takes (its window, or for a one-segment
 * frame its whole content): a frame asking for more than `maxWindow` is refused, as the zstd
 * command and Node refuse windows over 128 MiB by default. fzstd would allocate whatever a
 * 14-byte header asks, up to 2 GiB.
 */
export type FrameEvent = { kind: 'start' } | { kind: 'data'; bytes: Buffer } | { kind: 'end' };

const ZSTD_MAGIC = 0xfd2fb528;
/** zstd's default decoding limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT 27), in the zstd command and in Node. */
export const MAX_WINDOW = 128 * 1024 * 1024;

type State = 'magic' | 'descriptor' | 'frame-header' | 'block-header' | 'block' | 'checksum' | 'skippable-size' | 'skippable';

export class ZstdFrames {
  private state: State = 'magic';
  constructor(private readonly maxWindow = MAX_WINDOW) {}

  /** Bytes still wanted by the current state. */
  private want = 4;
  /** Header bytes gathered so far (magic, descriptor, rest of a frame header, block header, skippable size: at most 14). */
  private readonly head = Buffer.alloc(14);
  /** The frame descriptor, while its header is read. */
  private descriptor = 0;
  private have = 0;
  private checksum = false;
  private lastBlock = false;
  /** Bytes of the stream seen, for messages. */
  private offset = 0;

  /** Whether the stream so far ends on a frame boundary (and holds at least nothing partial). */
  get complete(): boolean {
    return this.state === 'magic' && this.have === 0;
  }

  /** What is missing at the end, for a message; null when complete. */
  get missing(): string | null {
    if (this.complete) return null;
    return `the data ends inside a ${this.state.startsWith('skippable') ? 'skippable frame' : 'frame'} (${this.offset} bytes read)`;
  }

  /** Feeds a chunk: `emit` gets frame starts, the bytes of zstd frames (skippable ones left out) and frame ends, in order. Throws on bytes that are not a frame. */
  feed(chunk: Buffer, emit: (e: FrameEvent) => void): void {
    let pos = 0;
    // Start of the run of this chunk's bytes that belong to the current zstd frame, or -1.
    let run = this.inFrame() ? 0 : -1;
    const flush = (to: number) => {
      if (run >= 0 && to > run) emit({ kind: 'data', bytes: chunk.subarray(run, to) });
      run = -1;
    };
    while (pos < chunk.length) {
      const take = Math.min(this.want, chunk.length - pos);
      if (this.gathers()) chunk.copy(this.head, this.have, pos, pos + take);
      this.have += this.gathers() ? take : 0;
      pos += take;
      this.offset += take;
      this.want -= take;
      if (this.want > 0) break;
      const was = this.inFrame();
      this.advance(emit, () => flush(pos));
      if (!was && this.inFrame()) run = pos;
    }
    flush(pos);
  }

  private inFrame(): boolean {
    return this.state !== 'magic' && this.state !== 'skippable-size' && this.state !== 'skippable';
  }

  private gathers(): boolean {
    return this.state !== 'block' && this.state !== 'checksum' && this.state !== 'skippable';
  }

  private go(state: State, want: number): void {
    this.state = state;
    this.want = want;
    this.have = 0;
  }

  /** The current state has all its bytes: move on. `flush` emits the frame bytes read so far. */
  private advance(emit: (e: FrameEvent) => void, flush: () => void): void {
    const h = this.head;
    switch (this.state) {
      case 'magic': {
        const magic = h.readUInt32LE(0);
        if (magic === ZSTD_MAGIC) {
          emit({ kind: 'start' });
          emit({ kind: 'data', bytes: Buffer.from(h.subarray(0, 4)) });
          this.go('descriptor', 1);
        } else if (magic >>> 4 === 0x184d2a5) {
          this.go('skippable-size', 4);
        } else {
          throw new Error(`not a zstd frame at byte ${this.offset - 4}`);
        }
        return;
      }
      case 'descriptor': {
        const d = h[0]!;
        if (d & 0x08) throw new Error(`reserved bit set in a frame header at byte ${this.offset - 1}`);
        this.descriptor = d;
        const single = (d & 0x20) !== 0;
        this.checksum = (d & 0x04) !== 0;
        const rest = (single ? 0 : 1) + [0, 1, 2, 4][d & 3]! + [single ? 1 : 0, 2, 4, 8][d >> 6]!;
        if (rest > 0) this.go('frame-header', rest);
        else this.go('block-header', 3);
        return;
      }
      case 'frame-header': {
        const window = this.windowSize(h.subarray(0, this.have));
        if (window > this.maxWindow) throw new Error(`a frame needs a ${window}-byte window, over the ${this.maxWindow} bytes allowed`);
        this.go('block-header', 3);
        return;
      }
      case 'block-header': {
        const v = h[0]! | (h[1]! << 8) | (h[2]! << 16);
        const type = (v >> 1) & 3;
        if (type === 3) throw new Error(`reserved block type at byte ${this.offset - 3}`);
        this.lastBlock = (v & 1) === 1;
        const size = type === 1 ? 1 : v >>> 3;
        if (size > 0) this.go('block', size);
        else this.afterBlock(emit, flush);
        return;
      }
      case 'block':
        this.afterBlock(emit, flush);
        return;
      case 'checksum':
        this.endFrame(emit, flush);
        return;
      case 'skippable-size': {
        const n = h.readUInt32LE(0);
        if (n > 0) this.go('skippable', n);
        else this.go('magic', 4);
        return;
      }
      case 'skippable':
        this.go('magic', 4);
        return;
    }
  }

  /** The memory a frame's header asks for (RFC 8878 §3.1.1.1.2): its window, or its content size for a one-segment frame. */
  private windowSize(rest: Buffer): number {
    const d = this.descriptor;
    if ((d & 0x20) === 0) {
      const wd = rest[0]!;
      const base = 2 ** (10 + (wd >> 3));
      return base + (base / 8) * (wd & 7);
    }
    // One segment: no window descriptor; the content size is the last field (1, 2, 4 or 8 bytes).
    const fcs = rest.subarray(rest.length - [1, 2, 4, 8][d >> 6]!);
    if (fcs.length === 1) return fcs[0]!;
    if (fcs.length === 2) return fcs.readUInt16LE(0) + 256;
    if (fcs.length === 4) return fcs.readUInt32LE(0);
    return Number(fcs.readBigUInt64LE(0));
  }

  private afterBlock(emit: (e: FrameEvent) => void, flush: () => void): void {
    if (!this.lastBlock) this.go('block-header', 3);
    else if (this.checksum) this.go('checksum', 4);
    else this.endFrame(emit, flush);
  }

  private endFrame(emit: (e: FrameEvent) => void, flush: () => void): void {
    flush();
    emit({ kind: 'end' });
    this.go('magic', 4);
  }
}
