// Which trigram of a literal to wait for: the rarest in code. Used by the prefilter's LiteralSet and
// by the build, which writes one trigram per literal into the rule bundle (see literalTrigram).
import { COMMON_TRIGRAMS } from './common-trigrams.js';

/** How the prefilter folds a byte before comparing: A-Z lowered, every other byte as it is. */
export const FOLD = new Uint8Array(256).map((_, i) => (i >= 65 && i <= 90 ? i + 32 : i));

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

/**
 * Measured frequency rank of the commonest trigrams of real code (0 = most frequent), made at the
 * first literal ranked: a scan on the built rule bundle's trigrams (a pre-commit scan) needs none.
 */
let commonRank: Map<number, number> | undefined;
/** Above any guess from letter frequencies (at most 15^3): a measured common trigram is never chosen over an unlisted one. */
const MEASURED = 4000;

/**
 * The cost of waiting for this trigram: its measured rank when it is among the commonest trigrams
 * of code ("con" of concat( is found in every file), else a guess from its letters.
 */
function trigramCost(a: number, b: number, c: number): number {
  const rank = (commonRank ??= new Map(COMMON_TRIGRAMS.map((key, r) => [key, r]))).get((a << 16) | (b << 8) | c);
  if (rank !== undefined) return MEASURED + (COMMON_TRIGRAMS.length - rank);
  return frequency(a) * frequency(b) * frequency(c);
}

/** Offset of the rarest trigram of a literal's folded bytes (the first of those that tie). */
export function rarestTrigram(folded: ArrayLike<number>): number {
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

