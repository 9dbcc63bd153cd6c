import { keyLiteral } from '../rules/prefilter-table.js';
import { FOLD, rarestTrigram } from '../rules/trigrams.js';
import { endSlot, nextSlot, prevSlot, startSlot, TrigramScanner } from './trigram-wasm.js';

/**
 * Finds which of a set of literals occur in a buffer, in one pass of a tight byte loop: a rolling
 * value of the last three bytes (case-folded) is looked up in a bitset holding one trigram of
 * each literal, its rarest (so "password" waits for "ssw", not "pas"), and only positions that
 * hit are compared with the literal. On source trees it runs about twice as fast as an RE2
 * alternation of the same literals, and it does not slow down as literals are added. Literals
 * match in any case unless marked exact.
 */
export interface Literal {
  text: string;
  exact: boolean;
}

/**
 * Whether `bytes` (a literal as LiteralSet holds it: case-folded unless exact) occurs in `buf` at
 * `at`, `buf`'s bytes folded the same way. The caller checks that it fits.
 */
export function literalAt(buf: Uint8Array, at: number, bytes: Uint8Array, exact: boolean): boolean {
  for (let j = 0; j < bytes.length; j++) {
    const b = buf[at + j]!;
    if ((exact ? b : FOLD[b]!) !== bytes[j]) return false;
  }
  return true;
}

interface Candidate {
  index: number;
  bytes: Uint8Array;
  exact: boolean;
  offset: number;
}

/** A literal's bytes; a literal under two bytes is refused (it would hit everywhere). */
export function checkLiteral(lit: Literal): Buffer {
  return Buffer.from(literalBytes(lit), 'latin1');
}

/** A literal's bytes as latin1 text, one character per byte (see checkLiteral), without making a Buffer. */
function literalBytes(lit: Literal): string {
  // Characters past U+00FF lose their high bits in a latin1 Buffer: the same bytes here.
  const text = /[^\x00-\xff]/.test(lit.text) ? Buffer.from(lit.text, 'latin1').toString('latin1') : lit.text;
  if (text.length < 2) throw new Error(`keyword "${lit.text}" is too short: keywords need two bytes or more`);
  return text;
}

/** Slot of a 24-bit key in a table of mask + 1 slots (multiplicative hashing). */
function slotOf(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 12) & mask;
}

export class LiteralSet {
  /** One bit per 24-bit trigram (2 MiB). */
  private readonly trigrams = new Uint32Array(1 << 19);
  /** Trigram → literals holding it at `offset`, as bytes. */
  private readonly starts = new Map<number, Candidate[]>();
  /**
   * The same lists in an open-addressing table (a trigram hit is looked up ~10,000 times per MB of
   * code, and a Map lookup cost as much as the byte loop): slot → trigram key (-1: empty) and list.
   */
  private slotKeys = new Int32Array(0);
  private slotLists: Candidate[][] = [];
  private slotMask = 0;
  /**
   * Two-byte literals are rare (Entra's "Q~"). Each is found by one of its bytes, the one with
   * fewer spellings ("~" rather than q or Q), with Buffer.indexOf (memchr), and the other byte
   * is checked there: per byte searched, its pairs' literal, where the byte sits in it (0 or 1),
   * and the spellings allowed for the other byte. One pass per distinct byte, not per spelling.
   */
  private readonly pairs = new Map<number, { index: number; pos: number; other: Set<number> }[]>();
  /** The byte loop in WebAssembly where it runs (null: the JavaScript loop below), made at the first scan. */
  private wasm: TrigramScanner | null | undefined;

  /** `wasm: false` keeps the JavaScript loop (tests compare the two). */
  constructor(literals: readonly Literal[], options: { wasm?: boolean } = {}) {
    if (options.wasm === false) this.wasm = null;
    literals.forEach((lit, index) => {
      // Typed arrays of the latin1 text, not Buffers: ~9,000 Buffers (and a Buffer.map each) cost
      // a worker's start ~20 ms.
      const text = literalBytes(lit);
      const bytes = new Uint8Array(text.length);
      const folded = lit.exact ? new Uint8Array(text.length) : bytes;
      for (let i = 0; i < text.length; i++) {
        bytes[i] = text.charCodeAt(i);
        folded[i] = FOLD[bytes[i]!]!;
      }
      if (bytes.length === 2) {
        const spell = (b: number) => (lit.exact ? [b] : [...new Set([FOLD[b]!, FOLD[b]! >= 97 && FOLD[b]! <= 122 ? FOLD[b]! - 32 : b])]);
        const [first, second] = [spell(bytes[0]!), spell(bytes[1]!)];
        const pos = second.length <= first.length ? 1 : 0;
        for (const b of pos === 1 ? second : first) {
          const list = this.pairs.get(b) ?? [];
          list.push({ index, pos, other: new Set(pos === 1 ? first : second) });
          this.pairs.set(b, list);
        }
        return;
      }
      const offset = rarestTrigram(folded);
      const key = (folded[offset]! << 16) | (folded[offset + 1]! << 8) | folded[offset + 2]!;
      this.trigrams[key >>> 5]! |= 1 << (key & 31);
      const list = this.starts.get(key) ?? [];
      list.push({ index, bytes: lit.exact ? bytes : folded, exact: lit.exact, offset });
      this.starts.set(key, list);
    });
    let size = 16;
    while (size < 4 * this.starts.size) size *= 2;
    this.slotMask = size - 1;
    this.slotKeys = new Int32Array(size).fill(-1);
    this.slotLists = new Array<Candidate[]>(size).fill([]);
    for (const [key, list] of this.starts) {
      let slot = slotOf(key, this.slotMask);
      while (this.slotKeys[slot] !== -1) slot = (slot + 1) & this.slotMask;
      this.slotKeys[slot] = key;
      this.slotLists[slot] = list;
    }
  }

  /**
   * The WebAssembly loop, with its second and third filters: which trigrams start a literal and
   * the byte before the others, which trigrams end a literal and the byte after the others.
   */
  private makeScanner(): TrigramScanner | null {
    const [starts, ends, prev, next] = [0, 1, 2, 3].map(() => new Uint32Array(TrigramScanner.filterWords)) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const set = (bits: Uint32Array, bit: number) => (bits[bit >>> 5]! |= 1 << (bit & 31));
    for (const [key, list] of this.starts) {
      for (const c of list) {
        if (c.offset === 0) set(starts, startSlot(key));
        else set(prev, prevSlot(key, FOLD[c.bytes[c.offset - 1]!]!));
        if (c.offset + 3 === c.bytes.length) set(ends, endSlot(key));
        else set(next, nextSlot(key, FOLD[c.bytes[c.offset + 3]!]!));
      }
    }
    return TrigramScanner.create(FOLD, this.trigrams, starts, prev, ends, next);
  }

  /** `end` is the position of the trigram's last byte. */
  private verify(buf: Buffer, end: number, key: number, found: (index: number, at: number) => void): void {
    const keys = this.slotKeys;
    let slot = slotOf(key, this.slotMask);
    while (keys[slot] !== key) {
      if (keys[slot] === -1) return;
      slot = (slot + 1) & this.slotMask;
    }
    for (const c of this.slotLists[slot]!) {
      const n = c.bytes.length;
      const at = end - 2 - c.offset;
      if (at < 0 || at + n > buf.length) continue;
      if (literalAt(buf, at, c.bytes, c.exact)) found(c.index, at);
    }
  }

  /** Makes the WebAssembly scanner now rather than at the first scan. */
  prepare(): void {
    this.wasm ??= this.makeScanner();
  }

  /** Calls `found` with the index of each literal and the offset of each place it occurs. */
  scan(buf: Buffer, found: (index: number, at: number) => void): void {
    for (const [byte, list] of this.pairs) {
      for (let at = buf.indexOf(byte); at !== -1; at = buf.indexOf(byte, at + 1)) {
        for (const p of list) {
          const start = at - p.pos;
          const other = buf[p.pos === 1 ? at - 1 : at + 1];
          if (start >= 0 && other !== undefined && p.other.has(other)) found(p.index, start);
        }
      }
    }
    this.wasm ??= this.makeScanner();
    if (this.wasm) {
      this.wasm.scan(buf, (end) => this.verify(buf, end, (FOLD[buf[end - 2]!]! << 16) | (FOLD[buf[end - 1]!]! << 8) | FOLD[buf[end]!]!, found));
      return;
    }
    const tri = this.trigrams;
    const fold = FOLD;
    const n = buf.length;
    // The first two bytes cannot end a trigram; starting h at a value no trigram holds covers them.
    let h = 0xff;
    for (let i = 0; i < n; i++) {
      h = ((h << 8) | fold[buf[i]!]!) & 0xffffff;
      if (tri[h >>> 5]! & (1 << (h & 31))) this.verify(buf, i, h, found);
    }
  }
}

/** A buffer up to this size may be searched literal by literal (see LazyLiteralSet)... */
export const SMALL_INPUT = 256 * 1024;
/** ...while the input seen so far is at most this... */
export const SMALL_TOTAL = 1024 * 1024;
/**
 * ...and the literal searches so far (each an indexOf over its buffer, ~3.5 GB/s) went over at
 * most this many bytes in all (~20 ms): past it, the LiteralSet (~80 ms to build, with its
 * WebAssembly scanner) costs less than more searches.
 */
const SEARCH_BUDGET = 64 * 1024 * 1024;

/** A copy of `buf` folded as LiteralSet folds bytes (A-Z lowered). */
function foldAscii(buf: Buffer): Buffer {
  const out = Buffer.allocUnsafe(buf.length);
  for (let i = 0; i < buf.length; i++) out[i] = FOLD[buf[i]!]!;
  return out;
}

/**
 * A LiteralSet built only when the input needs it. Its tables take ~40 ms to build for the
 * shipped rules and its WebAssembly scanner ~40 ms more, more than a pre-commit hook spends on
 * everything else. Until then, a buffer's trigrams are marked in a bitset, and only the literals
 * whose trigram (see literalTrigram) it holds, a few hundred of ~9,000 in a file of code, are
 * looked for with indexOf: the same occurrences, in another order.
 */
export class LazyLiteralSet {
  private set?: LiteralSet;
  /** Per literal, its bytes as a latin1 string (already folded unless exact), made when first searched. */
  private readonly needles: (string | undefined)[] = [];
  /** One bit per 24-bit trigram, set for a buffer's trigrams and cleared after it (made at the first buffer). */
  private held?: Uint32Array;
  private seen = 0;
  private searched = 0;

  /**
   * `keys`: per literal, its key (see literalKey); `trigrams`: per
   * literal, literalTrigram of its key. `largeInput`: no search literal by literal, the
   * LiteralSet from the first input on (a worker of a large scan: the first inputs searched one
   * by one cost it ~80 ms before it built the LiteralSet anyway).
   */
  constructor(
    private readonly keys: readonly string[],
    private readonly trigrams: ArrayLike<number>,
    private readonly largeInput = false,
  ) {}

  /** With largeInput, builds the LiteralSet (and its WebAssembly scanner) now, not at the first input. */
  prepare(): void {
    if (this.largeInput) this.literalSet().prepare();
  }

  private literalSet(): LiteralSet {
    return (this.set ??= new LiteralSet(this.keys.map(keyLiteral)));
  }

  /** Calls `found` with the index of each literal and the offset of each place it occurs (in no set order). */
  scan(buf: Buffer, found: (index: number, at: number) => void): void {
    const small = !this.set && !this.largeInput && buf.length <= SMALL_INPUT && this.seen + buf.length <= SMALL_TOTAL;
    if (small && this.searchSmall(buf, found)) return;
    this.literalSet().scan(buf, found);
  }

  /** The literal-by-literal search of a small buffer; false (nothing reported) when it would pass the budget. */
  private searchSmall(buf: Buffer, found: (index: number, at: number) => void): boolean {
    const held = (this.held ??= new Uint32Array(1 << 19));
    let h = 0;
    for (let i = 0; i < buf.length; i++) {
      h = ((h << 8) | FOLD[buf[i]!]!) & 0xffffff;
      if (i >= 2) held[h >>> 5]! |= 1 << (h & 31);
    }
    const candidates: number[] = [];
    const trigrams = this.trigrams;
    for (let i = 0; i < trigrams.length; i++) {
      const t = trigrams[i]!;
      if (t === -1 || held[t >>> 5]! & (1 << (t & 31))) candidates.push(i);
    }
    // Cleared word by word where this buffer set bits: a small buffer touches a few words of 2 MiB.
    h = 0;
    for (let i = 0; i < buf.length; i++) {
      h = ((h << 8) | FOLD[buf[i]!]!) & 0xffffff;
      held[h >>> 5] = 0;
    }
    const cost = candidates.length * buf.length;
    if (this.searched + cost > SEARCH_BUDGET) return false;
    this.seen += buf.length;
    this.searched += cost;
    // One byte per character: offsets in the string are offsets in the buffer.
    const plain = buf.toString('latin1');
    let folded: string | undefined;
    for (const i of candidates) {
      const lit = keyLiteral(this.keys[i]!);
      const hay = lit.exact ? plain : (folded ??= foldAscii(buf).toString('latin1'));
      const needle = (this.needles[i] ??= literalBytes(lit));
      for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) found(i, at);
    }
    return true;
  }
}
