/** Where two versions of a file differ, as a byte range of the newer one. */
export interface Region {
  start: number;
  end: number;
}

const BLOCK = 4096;
/** Blocks grow while they match (a long file changed near its end costs few compare calls). */
const MAX_BLOCK = 256 * 1024;

/**
 * Length of the common prefix of `a` and `b`: memcmp blocks (growing while equal), then a binary
 * search inside the first block that differs, comparing only past what is known to be equal.
 */
export function commonPrefix(a: Buffer, b: Buffer): number {
  const max = Math.min(a.length, b.length);
  let lo = 0;
  let block = BLOCK;
  while (lo + block <= max && a.compare(b, lo, lo + block, lo, lo + block) === 0) {
    lo += block;
    block = Math.min(block * 2, MAX_BLOCK);
  }
  let hi = Math.min(lo + block, max);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.compare(b, lo, mid, lo, mid) === 0) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the common suffix of `a` and `b`, at most `max`. */
export function commonSuffix(a: Buffer, b: Buffer, max: number): number {
  const same = (n: number, from: number) => a.compare(b, b.length - n, b.length - from, a.length - n, a.length - from) === 0;
  let lo = 0;
  let block = BLOCK;
  while (lo + block <= max && same(lo + block, lo)) {
    lo += block;
    block = Math.min(block * 2, MAX_BLOCK);
  }
  let hi = Math.min(lo + block, max);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (same(mid, lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The part of `after` that differs from `before`, widened by `margin` bytes on each side and then
 * to whole lines: what a scan of the new version must look at, since the rest was scanned in the
 * previous version. The margin keeps a pattern's context (a key name on the line above, the
 * BEGIN line of a PEM block) in view when the change is next to it.
 */
export function changedRegion(before: Buffer, after: Buffer, margin: number): Region {
  const prefix = commonPrefix(before, after);
  const suffix = commonSuffix(before, after, Math.min(before.length, after.length) - prefix);
  let start = Math.max(0, prefix - margin);
  if (start > 0) start = after.lastIndexOf(10, start - 1) + 1;
  let end = Math.min(after.length, after.length - suffix + margin);
  if (end > 0) {
    const nl = after.indexOf(10, end - 1);
    end = nl === -1 ? after.length : nl + 1;
  }
  return { start, end };
}

/** Number of newlines in `buf` before byte `end`: the line offset of a region starting there. */
export function countLines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
