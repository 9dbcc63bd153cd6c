import { COMMON_TRIGRAMS } from './common-trigrams.js';
import { nextSlot, prevSlot, TrigramScanner } from './trigram-wasm.js';

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

const FOLD = new Uint8Array(256).map((_, i) => (i >= 65 && i <= 90 ? i + 32 : i));

/** Rough frequency of a (case-folded) byte in source text, for trigrams outside COMMON_TRIGRAMS. */
const LETTER_FREQ = 'etaoinsrhldcumfpgwybvkxjqz';
function frequency(b: number): number {
  const letter = LETTER_FREQ.indexOf(String.fromCharCode(b));
  if (letter >= 0) return 12 / (1 + letter / 2);
  if (b === 32 || b === 10) return 15;
  // Punctuation and digits are common one by one, but a trigram mixing them with letters
  // (n_t, d_k, s.c) is far rarer than an all-letter one (ssi, acc): rank them low.
  return 1;
}

/** Measured frequency rank of the commonest trigrams of real code (0 = most frequent). */
const COMMON_RANK = new Map(COMMON_TRIGRAMS.map((key, rank) => [key, rank]));
/** Above any guess from letter frequencies (at most 15^3): a measured common trigram is never chosen over an unlisted one. */
const MEASURED = 4000;

/**
 * The cost of waiting for this trigram: its measured rank when it is among the commonest trigrams
 * of code ("con" of concat( is found in every file), else a guess from its letters.
 */
function trigramCost(a: number, b: number, c: number): number {
  const rank = COMMON_RANK.get((a << 16) | (b << 8) | c);
  if (rank !== undefined) return MEASURED + (COMMON_TRIGRAMS.length - rank);
  return frequency(a) * frequency(b) * frequency(c);
}

function rarestTrigram(folded: Uint8Array): number {
  let best = 0;
  let bestCost = Infinity;
  for (let o = 0; o + 3 <= folded.length; o++) {
    const cost = trigramCost(folded[o]!, folded[o + 1]!, folded[o + 2]!);
    if (cost < bestCost) {
      bestCost = cost;
      best = o;
    }
  }
  return best;
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
      const bytes = checkLiteral(lit);
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
      const folded = bytes.map((b) => FOLD[b]!);
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
    const starts = new Uint32Array(this.trigrams.length);
    const ends = new Uint32Array(this.trigrams.length);
    const prev = new Uint32Array(TrigramScanner.prevWords);
    const next = new Uint32Array(TrigramScanner.prevWords);
    const set = (bits: Uint32Array, bit: number) => (bits[bit >>> 5]! |= 1 << (bit & 31));
    for (const [key, list] of this.starts) {
      for (const c of list) {
        if (c.offset === 0) set(starts, key);
        else set(prev, prevSlot(key, FOLD[c.bytes[c.offset - 1]!]!));
        if (c.offset + 3 === c.bytes.length) set(ends, key);
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
      let ok = true;
      for (let j = 0; j < n; j++) {
        const b = buf[at + j]!;
        if ((c.exact ? b : FOLD[b]!) !== c.bytes[j]) {
          ok = false;
          break;
        }
      }
      if (ok) found(c.index, at);
    }
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

/** Input, in bytes over all buffers, searched literal by literal before a LiteralSet is built. */
export const SMALL_INPUT = 64 * 1024;
/**
 * And at most this many literal searches (an indexOf costs ~1 µs however small the buffer): with
 * ~3,000 literals, a handful of files, as a pre-commit hook sees; a tree of small files soon
 * pays for the LiteralSet instead.
 */
const SMALL_SEARCHES = 20_000;

/** A copy of `buf` folded as LiteralSet folds bytes (A-Z lowered). */
function foldAscii(buf: Buffer): Buffer {
  const out = Buffer.allocUnsafe(buf.length);
  for (let i = 0; i < buf.length; i++) out[i] = FOLD[buf[i]!]!;
  return out;
}

/**
 * A LiteralSet built only when the input needs it. Its tables take ~15-40 ms to build for the
 * shipped rules, more than a pre-commit hook spends on everything else: until the input seen so far
 * passes SMALL_INPUT bytes or SMALL_SEARCHES searches, each literal is looked for with indexOf
 * instead (memchr-fast on a few KiB), which reports the same occurrences in another order.
 */
export class LazyLiteralSet {
  private set?: LiteralSet;
  /**
   * Per literal, its bytes as a latin1 string (already folded unless exact), for the search of
   * small inputs: strings, not Buffers, because a pre-commit scan builds ~9,000 of them and searches
   * a few hundred bytes, where making a Buffer per literal cost more than all the searches.
   */
  private readonly needles: string[];
  private seen = 0;
  private searches = 0;

  constructor(private readonly literals: readonly Literal[]) {
    this.needles = literals.map(literalBytes);
  }

  /** Calls `found` with the index of each literal and the offset of each place it occurs (in no set order). */
  scan(buf: Buffer, found: (index: number, at: number) => void): void {
    if (!this.set && buf.length <= SMALL_INPUT && (this.seen += buf.length) <= SMALL_INPUT && (this.searches += this.literals.length) <= SMALL_SEARCHES) {
      const needles = this.needles;
      // One byte per character: offsets in the string are offsets in the buffer.
      const plain = buf.toString('latin1');
      let folded: string | undefined;
      for (let i = 0; i < needles.length; i++) {
        const hay = this.literals[i]!.exact ? plain : (folded ??= foldAscii(buf).toString('latin1'));
        const needle = needles[i]!;
        for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) found(i, at);
      }
      return;
    }
    this.set ??= new LiteralSet(this.literals);
    this.set.scan(buf, found);
  }
}
