import { describe, expect, it } from 'vitest';
import { changedRegion, commonPrefix, commonSuffix, countLines } from '../../src/sources/git-region.js';

const b = (s: string) => Buffer.from(s);

describe('changedRegion', () => {
  const before = b(Array.from({ length: 2000 }, (_, i) => `line ${i}\n`).join(''));

  it('is the changed lines plus the margin, widened to whole lines', () => {
    const after = b(before.toString().replace('line 1000\n', 'line 1000 KEY=abc\n'));
    const { start, end } = changedRegion(before, after, 0);
    expect(after.toString('utf8', start, end)).toBe('line 1000 KEY=abc\n');
    const wide = changedRegion(before, after, 20);
    expect(after.toString('utf8', wide.start, wide.end)).toBe('line 998\nline 999\nline 1000 KEY=abc\nline 1001\nline 1002\n');
    expect(countLines(after, wide.start)).toBe(998);
  });

  it('covers an insertion at either end, and a deletion (the lines around the cut)', () => {
    const appended = Buffer.concat([before, b('new last\n')]);
    const r1 = changedRegion(before, appended, 0);
    expect(appended.toString('utf8', r1.start, r1.end)).toBe('new last\n');
    const prepended = Buffer.concat([b('new first\n'), before]);
    const r2 = changedRegion(before, prepended, 0);
    expect(prepended.toString('utf8', r2.start, r2.end)).toBe('new first\n');
    const cut = b(before.toString().replace('line 500\n', ''));
    const r3 = changedRegion(before, cut, 0);
    expect(cut.toString('utf8', r3.start, r3.end)).toBe('line 501\n');
  });

  it('finds common prefixes and suffixes longer than a block', () => {
    const x = Buffer.alloc(10_000, 'a');
    const y = Buffer.concat([Buffer.alloc(9_000, 'a'), b('b'), Buffer.alloc(999, 'a')]);
    expect(commonPrefix(x, y)).toBe(9_000);
    expect(commonSuffix(x, y, 10_000 - 9_000)).toBe(999);
  });

  it('agrees with a byte-by-byte comparison for changes at any offset, across growing blocks', () => {
    const naivePrefix = (x: Buffer, y: Buffer) => {
      let i = 0;
      while (i < x.length && i < y.length && x[i] === y[i]) i++;
      return i;
    };
    const naiveSuffix = (x: Buffer, y: Buffer, max: number) => {
      let i = 0;
      while (i < max && x[x.length - 1 - i] === y[y.length - 1 - i]) i++;
      return i;
    };
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const size = 1 + rand(round < 100 ? 20_000 : 2_000_000);
      const x = Buffer.alloc(size, 'x');
      const y = Buffer.from(x);
      const at = rand(size);
      y[at] = 0x79;
      if (rand(2)) y[rand(size)] = 0x7a;
      const p = commonPrefix(x, y);
      expect(p).toBe(naivePrefix(x, y));
      expect(commonSuffix(x, y, size - p)).toBe(naiveSuffix(x, y, size - p));
    }
  });
});
