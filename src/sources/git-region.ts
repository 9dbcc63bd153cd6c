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
  return equalRun(Math.min(a.length, b.length), BLOCK, (from, to) => a.compare(b, from, to, from, to) === 0);
}

/**
 * The longest n ≤ max for which a run of bytes is the same in two places, where `same(from, to)`
 * compares offsets from..to of the run (all before `from` known equal): blocks growing from
 * `block` while equal, then a binary search inside the first block that differs.
 */
function equalRun(max: number, block: number, same: (from: number, to: number) => boolean): number {
  let lo = 0;
  while (lo + block <= max && same(lo, lo + block)) {
    lo += block;
    block = Math.min(block * 2, MAX_BLOCK);
  }
  let hi = Math.min(lo + block, max);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (same(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the common suffix of `a` and `b`, at most `max`. */
export function commonSuffix(a: Buffer, b: Buffer, max: number): number {
  return equalRun(max, BLOCK, (from, to) => a.compare(b, b.length - to, b.length - from, a.length - to, a.length - from) === 0);
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

/** A stretch of a changed region the same in both versions is left out only from this size: fewer, larger chunks. */
const MIN_SKIP = 4096;
/** Bytes of the newer version looked up in the older one to find where a same stretch starts, and how often each. */
const PROBE = 48;
const PROBE_EVERY = 2048;
const PROBE_EVERY_MAX = 64 * 1024;
const PROBE_TRIES = 4;
const PROBE_WINDOW = 64 * 1024;

/**
 * As changedRegion, but as several regions where the change is in several places: a stretch of the
 * region that is the same in both versions (found by looking up a few bytes of the newer version
 * in the older, in order, then comparing around them) is left out but for `margin` bytes at each
 * end (widened to whole lines), as the unchanged start and end of the file are. What is left out
 * was matched in the previous version, with at least as much of the same context around it.
 */
export function changedRegions(before: Buffer, after: Buffer, margin: number): Region[] {
  const whole = changedRegion(before, after, margin);
  const minRun = 2 * margin + MIN_SKIP;
  if (whole.end - whole.start < minRun) return [whole];
  // Past the common start and end, offsets differ by the change in length.
  const shift = before.length - after.length;
  const skips: Region[] = [];
  let oldAt = Math.max(0, whole.start + Math.min(0, shift));
  let at = whole.start;
  let every = PROBE_EVERY;
  while (at + minRun <= whole.end) {
    const probeAt = after.indexOf(10, at) + 1;
    if (probeAt === 0 || probeAt + minRun > whole.end) break;
    const probe = after.subarray(probeAt, probeAt + PROBE);
    // Looked up near where the older version was left: as far on as the newer one went, and a
    // window more for what was deleted (wider with every probe that fails).
    const near = before.subarray(0, oldAt + (probeAt - at) + PROBE_WINDOW);
    let run: Region | null = null;
    let oldRunEnd = oldAt;
    for (let tries = 0, o = near.indexOf(probe, oldAt); o !== -1 && tries < PROBE_TRIES; tries++, o = near.indexOf(probe, o + 1)) {
      const back = sameBefore(before, o, after, probeAt, Math.min(o - oldAt, probeAt - at));
      const ahead = sameFrom(before, o, after, probeAt, whole.end);
      if (back + ahead >= minRun) {
        run = { start: probeAt - back, end: probeAt + ahead };
        oldRunEnd = o + ahead;
        break;
      }
    }
    if (!run) {
      // Probe after probe failing: the stretch is new text, not the older version's; probes grow
      // sparser (up to one per PROBE_EVERY_MAX), so a rewritten file costs a few searches, not one per 2 KiB.
      at = probeAt + every;
      every = Math.min(every * 2, PROBE_EVERY_MAX);
      continue;
    }
    every = PROBE_EVERY;
    // Whole lines only: from the first line start past the margin to the last one before it.
    const start = after.indexOf(10, run.start + margin - 1) + 1;
    const end = after.lastIndexOf(10, run.end - margin - 1) + 1;
    if (start > 0 && end - start >= MIN_SKIP) skips.push({ start, end });
    at = run.end;
    oldAt = oldRunEnd;
  }
  const out: Region[] = [];
  let from = whole.start;
  for (const s of skips) {
    if (s.start <= from || s.end >= whole.end) continue;
    out.push({ start: from, end: s.start });
    from = s.end;
  }
  out.push({ start: from, end: whole.end });
  return out;
}

/** How many bytes before `x[i]` and `y[j]` are the same, at most `max`. */
function sameBefore(x: Buffer, i: number, y: Buffer, j: number, max: number): number {
  return equalRun(max, 256, (from, to) => x.compare(y, j - to, j - from, i - to, i - from) === 0);
}

/** How many bytes from `x[i]` and `y[j]` on are the same, up to `y[yEnd]`. */
function sameFrom(x: Buffer, i: number, y: Buffer, j: number, yEnd: number): number {
  return equalRun(Math.min(x.length - i, yEnd - j), 256, (from, to) => x.compare(y, j + from, j + to, i + from, i + to) === 0);
}
