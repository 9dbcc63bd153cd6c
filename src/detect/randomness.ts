// How random a value reads: BPE-style tokens per character over a common subword vocabulary.
import { readFileSync } from 'node:fs';

/**
 * Words and identifiers compress into few subword tokens (`formatDistanceLocale44`: 4 tokens for
 * 22 characters); generated keys do not (`Qm7Xk2Lp9Wz4Rt8N`: one token per character). Shannon
 * entropy cannot tell these apart; token efficiency can. The vocabulary is the alphabetic pieces
 * of the cl100k_base BPE ranks (rules/_subwords.txt, made by bench/make-subwords.mjs), and a
 * value is cut into the fewest pieces (a vocabulary piece, up to three digits, or one character,
 * each one token), which is close to what the BPE tokenizer itself counts at a fraction of its
 * load time (a few ms against ~700 ms). Measured by bench/randomness.mjs, see rules/README.md.
 */
const VOCAB_FILE = new URL('../../rules/_subwords.txt', import.meta.url);
const MAX_PIECE = 16;

let vocab: Set<string> | null = null;

/** The vocabulary, read on the first candidate value: most files never need it. */
function subwords(): Set<string> {
  if (!vocab) vocab = new Set(readFileSync(VOCAB_FILE, 'utf8').split(/\s+/).filter(Boolean));
  return vocab;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A piece as the vocabulary may hold it: as written, or folded when Capitalised or ALL CAPS. */
function known(words: Set<string>, piece: string): boolean {
  if (words.has(piece)) return true;
  const lower = piece.toLowerCase();
  if (lower === piece) return false;
  const rest = piece.slice(1);
  return (rest === rest.toLowerCase() || piece === piece.toUpperCase()) && words.has(lower);
}

/** The fewest tokens `value` splits into (see above). */
export function subwordTokens(value: string): number {
  const words = subwords();
  const n = value.length;
  const cost = new Array<number>(n + 1).fill(Infinity);
  cost[0] = 0;
  for (let i = 1; i <= n; i++) {
    let best = cost[i - 1]! + 1;
    for (let k = 2; k <= 3 && k <= i; k++) {
      let digits = true;
      for (let j = i - k; j < i; j++) if (!isDigit(value.charCodeAt(j))) digits = false;
      if (digits) best = Math.min(best, cost[i - k]! + 1);
    }
    for (let len = 2; len <= MAX_PIECE && len <= i; len++) {
      if (cost[i - len]! + 1 < best && known(words, value.slice(i - len, i))) best = cost[i - len]! + 1;
    }
    cost[i] = best;
  }
  return cost[n]!;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/**
 * Tokens per character: near 1 for generated keys, 0.15–0.4 for words and identifiers. A value
 * is also read with leetspeak undone (`S3cretP@ssw0rd` is `SecretPassword`), and the lower count
 * wins: random characters do not turn into words that way.
 */
export function tokensPerChar(value: string): number {
  if (value.length === 0) return 0;
  const plain = subwordTokens(value);
  const unleet = value.replace(/[013457@$]/g, (c) => LEET[c]!);
  return Math.min(plain, unleet === value ? plain : subwordTokens(unleet)) / value.length;
}
